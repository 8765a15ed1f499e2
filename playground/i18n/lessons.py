"""Text of the Lessons page and of every lesson (keys start with `lessons.`); Chinese terms follow the glossary.

A lesson's texts may name {epochs} and {seeds} (from its config); its `result` names the numbers its
check measured (see playground/lessons.py).
"""

TEXT = {
    # ---- the page ------------------------------------------------------------------------------------------
    "lessons.title": ("Lessons", "课程实验"),
    "lessons.intro": (
        "Guided experiments for class. Each asks one question, opens the exact experiment in the Playground "
        "with one click, and tells you what to watch. The answer is folded away so students can predict "
        "first. Every expected result below is checked by an automated test that trains the same "
        "configuration.",
        "供课堂使用的引导实验。每个实验提出一个问题，一键在游乐场中打开完全相同的实验，并说明要观察什么。"
        "答案默认折叠，方便学生先做预测。下面每个预期结果都由自动化测试用相同的配置训练并验证。"),
    "lessons.topic": ("Topic", "主题"),
    "lessons.topic.all": ("All lessons", "全部实验"),
    "lessons.topic.features": ("Features and layers", "特征与层"),
    "lessons.topic.learning": ("Learning rate and optimizers", "学习率与优化器"),
    "lessons.topic.overfitting": ("Overfitting and regularisation", "过拟合与正则化"),
    "lessons.topic.inside": ("Inside the network", "网络内部"),
    "lessons.count": ("{n} lessons", "共 {n} 个实验"),
    "lessons.bad_topic": ("The link names a topic that does not exist (“{topic}”), so all lessons are shown.",
                          "链接中的主题（“{topic}”）不存在，因此显示全部实验。"),
    "lessons.number": ("Lesson {n}", "实验 {n}"),
    "lessons.question": ("Question", "问题"),
    "lessons.do": ("What to do", "怎么做"),
    "lessons.watch": ("What to watch", "观察什么"),
    "lessons.see": ("What you should see, and why", "你应该看到什么，以及原因"),
    "lessons.why": ("Why:", "原因："),
    "lessons.open": ("Open in the Playground", "在游乐场中打开"),
    "lessons.open_help": ("Opens this exact experiment (data, network, seed and all) in the Playground",
                          "在游乐场中打开完全相同的实验（数据、网络、随机种子等全部一致）"),
    "lessons.compare": ("Compare: {label}", "对比：{label}"),
    "lessons.check": ("Check it on this server", "在本服务器上验证"),
    "lessons.check_help": ("Trains the lesson's experiments here, headless, exactly as the automated test does",
                           "在这里以无界面方式训练本实验的配置，与自动化测试完全相同"),
    "lessons.checking": ("Training the lesson's experiments…", "正在训练本实验的配置……"),
    "lessons.held": ("Confirmed: the engine reproduces this lesson. {result}",
                     "已确认：引擎重现了本实验的结果。{result}"),
    "lessons.failed": ("Not reproduced: the engine did not show what this lesson states; please report it. {result}",
                       "未能重现：引擎没有出现本实验所述的结果，请报告此问题。{result}"),
    "lessons.check_error": ("The check could not run: {error}", "验证无法运行：{error}"),
    "lessons.seconds": ("Trained in {seconds:.1f} s.", "训练用时 {seconds:.1f} 秒。"),

    # ---- 1. a line is enough -------------------------------------------------------------------------------
    "lessons.gauss_line.title": ("A line is enough for two clusters", "两个簇，一条直线就够了"),
    "lessons.gauss_line.question": (
        "How many hidden neurons does a network need to separate two clusters that lie well apart?",
        "要分开两个相距较远的簇，网络需要多少个隐藏神经元？"),
    "lessons.gauss_line.do": (
        "Open the experiment: two Gaussian clusters, inputs x₁ and x₂, and no hidden layer at all. Press Play "
        "and pause at about epoch {epochs}.",
        "打开实验：两个高斯簇，输入为 x₁ 和 x₂，完全没有隐藏层。点击“播放”，在第 {epochs} 轮左右暂停。"),
    "lessons.gauss_line.watch": ("The output picture (the decision boundary) and the test accuracy.",
                                 "输出图（决策边界）和测试准确率。"),
    "lessons.gauss_line.see": (
        "The boundary is a straight line between the clusters, and the test accuracy reaches (nearly) 100% "
        "within {epochs} epochs.",
        "决策边界是两簇之间的一条直线，测试准确率在 {epochs} 轮内达到（接近）100%。"),
    "lessons.gauss_line.why": (
        "Without hidden layers the network is a single neuron, o = tanh(w₁x₁ + w₂x₂ + b), and its boundary "
        "w₁x₁ + w₂x₂ + b = 0 is a straight line. Two clusters on either side of a line need nothing more; "
        "hidden layers are for shapes a line cannot draw.",
        "没有隐藏层时，网络就是一个神经元 o = tanh(w₁x₁ + w₂x₂ + b)，它的决策边界 w₁x₁ + w₂x₂ + b = 0 是一条直线。"
        "两个簇分别位于直线两侧，这就足够了；隐藏层是用来画直线画不出的形状的。"),
    "lessons.gauss_line.result": ("Test accuracy after {epochs} epochs: {acc:.0%}.",
                                  "训练 {epochs} 轮后的测试准确率：{acc:.0%}。"),

    # ---- 2. XOR needs a hidden layer -----------------------------------------------------------------------
    "lessons.xor_hidden.title": ("XOR needs a hidden layer", "异或需要隐藏层"),
    "lessons.xor_hidden.question": (
        "Can a network without hidden layers learn XOR, where opposite corners share a class?",
        "没有隐藏层的网络能学会异或吗？在异或数据中，对角的两个象限属于同一类。"),
    "lessons.xor_hidden.do": (
        "Open the experiment: XOR data and no hidden layer. Play to about epoch {epochs} and note the test "
        "accuracy. Then open the comparison, which adds one hidden layer of 4 tanh neurons, and do the same.",
        "打开实验：异或数据，没有隐藏层。播放到第 {epochs} 轮左右，记下测试准确率。然后打开对比实验"
        "（增加一个含 4 个 tanh 神经元的隐藏层），重复同样的操作。"),
    "lessons.xor_hidden.watch": ("The test accuracy and the output picture of each run.",
                                 "两次训练的测试准确率和输出图。"),
    "lessons.xor_hidden.see": (
        "Without a hidden layer the test accuracy hovers around 50%, a coin toss, and the boundary stays one "
        "straight line. With 4 hidden neurons it passes 90%: the boundary follows the four quadrants.",
        "没有隐藏层时，测试准确率在 50% 左右徘徊，和抛硬币差不多，决策边界始终是一条直线。"
        "有了 4 个隐藏神经元，准确率超过 90%：决策边界沿着四个象限划分。"),
    "lessons.xor_hidden.why": (
        "A network without hidden layers draws one straight line, and no line puts (+,+) and (−,−) on one side "
        "and (+,−) and (−,+) on the other. Each hidden neuron draws its own line; the output neuron combines "
        "them, so one hidden layer can build the bent boundary XOR needs.",
        "没有隐藏层的网络只能画一条直线，而没有任何一条直线能把 (+,+) 和 (−,−) 分在一侧、把 (+,−) 和 (−,+) "
        "分在另一侧。每个隐藏神经元各画一条直线，输出神经元再把它们组合起来，所以一个隐藏层就能构造出异或所需的折线边界。"),
    "lessons.xor_hidden.result": ("Test accuracy: {line:.0%} without a hidden layer, {hidden:.0%} with one.",
                                  "测试准确率：没有隐藏层 {line:.0%}，有一个隐藏层 {hidden:.0%}。"),
    "lessons.xor_hidden.run.hidden": ("one hidden layer of 4 tanh neurons", "一个含 4 个 tanh 神经元的隐藏层"),

    # ---- 3. a feature cross for XOR ------------------------------------------------------------------------
    "lessons.xor_cross.title": ("A feature cross solves XOR without hidden layers", "特征交叉：不用隐藏层也能解决异或"),
    "lessons.xor_cross.question": (
        "If we give the network the product x₁x₂ as its input, does it still need a hidden layer for XOR?",
        "如果把乘积 x₁x₂ 作为网络的输入，解决异或还需要隐藏层吗？"),
    "lessons.xor_cross.do": (
        "Open the experiment: XOR with the single input feature x₁x₂ and no hidden layer. Play to about "
        "epoch {epochs}. Then open the comparison: the same model on x₁ and x₂.",
        "打开实验：异或数据，唯一的输入特征是 x₁x₂，没有隐藏层。播放到第 {epochs} 轮左右。"
        "然后打开对比实验：同样的模型，但输入为 x₁ 和 x₂。"),
    "lessons.xor_cross.watch": ("The map of the input feature in the network view, and the test accuracy.",
                                "网络图中输入特征的图像，以及测试准确率。"),
    "lessons.xor_cross.see": (
        "With x₁x₂ the test accuracy reaches (nearly) 100% within {epochs} epochs; on x₁ and x₂ the same model "
        "stays around 50%.",
        "使用 x₁x₂ 时，测试准确率在 {epochs} 轮内达到（接近）100%；使用 x₁ 和 x₂ 时，同样的模型停留在 50% 左右。"),
    "lessons.xor_cross.why": (
        "XOR's class is the sign of x₁·x₂. The feature cross x₁x₂ hands the network exactly that number, so a "
        "single neuron only has to check whether it is positive: a straight cut in the new feature. The right "
        "features can replace layers.",
        "异或的类别就是 x₁·x₂ 的符号。特征交叉 x₁x₂ 直接把这个数交给网络，一个神经元只需判断它是否为正，"
        "也就是在新特征上切一刀。选对特征可以代替增加层数。"),
    "lessons.xor_cross.result": ("Test accuracy: {cross:.0%} with x₁x₂, {plain:.0%} with x₁ and x₂.",
                                 "测试准确率：使用 x₁x₂ 为 {cross:.0%}，使用 x₁ 和 x₂ 为 {plain:.0%}。"),
    "lessons.xor_cross.run.plain": ("the same model on x₁ and x₂", "同样的模型，输入 x₁ 和 x₂"),

    # ---- 4. squares for the circle -------------------------------------------------------------------------
    "lessons.circle_squares.title": ("Squares turn the circle into a straight cut", "平方特征把圆变成一刀直切"),
    "lessons.circle_squares.question": (
        "Can a model without hidden layers separate a disc from the ring around it?",
        "没有隐藏层的模型能把圆盘和它外面的圆环分开吗？"),
    "lessons.circle_squares.do": (
        "Open the experiment: circle data, input features x₁² and x₂², no hidden layer. Play to about epoch "
        "{epochs}. Then open the comparison with x₁ and x₂ instead.",
        "打开实验：圆形数据，输入特征为 x₁² 和 x₂²，没有隐藏层。播放到第 {epochs} 轮左右。"
        "然后打开对比实验：改用 x₁ 和 x₂。"),
    "lessons.circle_squares.watch": ("The shape of the boundary in the output picture, and the test accuracy.",
                                     "输出图中决策边界的形状，以及测试准确率。"),
    "lessons.circle_squares.see": (
        "With x₁² and x₂² the boundary closes into an oval around the disc and the test accuracy reaches "
        "(nearly) 100%. With x₁ and x₂ the boundary is a straight line and the accuracy stays at 70% or below.",
        "使用 x₁² 和 x₂² 时，决策边界围绕圆盘闭合成一个椭圆，测试准确率达到（接近）100%。"
        "使用 x₁ 和 x₂ 时，决策边界是一条直线，准确率不超过 70%。"),
    "lessons.circle_squares.why": (
        "Inside the disc x₁² + x₂² is small, on the ring it is large. In the squared features the classes are "
        "split by the straight line w₁x₁² + w₂x₂² + b = 0, which in the original plane is an ellipse. A model "
        "without hidden layers is linear in its features, not in the plane.",
        "圆盘内 x₁² + x₂² 较小，圆环上较大。在平方特征中，两类由直线 w₁x₁² + w₂x₂² + b = 0 分开，"
        "而这条直线在原平面上是一个椭圆。没有隐藏层的模型对它的特征是线性的，对平面却不一定。"),
    "lessons.circle_squares.result": ("Test accuracy: {squares:.0%} with x₁² and x₂², {plain:.0%} with x₁ and x₂.",
                                      "测试准确率：使用 x₁² 和 x₂² 为 {squares:.0%}，使用 x₁ 和 x₂ 为 {plain:.0%}。"),
    "lessons.circle_squares.run.plain": ("the same model on x₁ and x₂", "同样的模型，输入 x₁ 和 x₂"),

    # ---- 5. the spiral -------------------------------------------------------------------------------------
    "lessons.spiral.title": ("The spiral needs depth or extra features", "螺旋需要更深的网络或更多特征"),
    "lessons.spiral.question": (
        "Two interleaved spirals: is one wide hidden layer enough, or does the network need depth?",
        "两条交错的螺旋：一个很宽的隐藏层够不够？还是网络需要更深？"),
    "lessons.spiral.do": (
        "Open the experiment: spiral data, inputs x₁ and x₂, one hidden layer of 16 tanh neurons. Play to about "
        "epoch {epochs}. Then open the two comparisons: three hidden layers of 16, and one layer of 16 fed all "
        "seven input features.",
        "打开实验：螺旋数据，输入为 x₁ 和 x₂，一个含 16 个 tanh 神经元的隐藏层。播放到第 {epochs} 轮左右。"
        "然后打开两个对比实验：三个各含 16 个神经元的隐藏层；以及一个 16 神经元的隐藏层，但输入全部七个特征。"),
    "lessons.spiral.watch": ("The test accuracy, and whether the boundary follows the spiral arms.",
                             "测试准确率，以及决策边界是否沿着螺旋臂延伸。"),
    "lessons.spiral.see": (
        "One layer of 16 stalls at 80% test accuracy or below, with a boundary that only roughly follows the "
        "spiral. Three layers of 16, and one layer with all seven features, both pass 90% and trace the arms.",
        "一个 16 神经元的隐藏层停在 80% 或更低的测试准确率，决策边界只能粗略地跟随螺旋。"
        "三个 16 神经元的隐藏层，或一个隐藏层加上全部七个特征，准确率都超过 90%，边界沿着螺旋臂延伸。"),
    "lessons.spiral.why": (
        "One hidden layer can only add up smooth ridges, one per neuron; a spiral winding almost twice needs "
        "many of them. In a deeper network later neurons combine the bends of earlier ones, so the pieces "
        "multiply instead of adding up. Extra features such as sin x₁ and sin x₂ hand the network curves that "
        "already wind, so it needs less depth.",
        "一个隐藏层只能把平滑的“山脊”相加，每个神经元一条；绕了将近两圈的螺旋需要非常多条。"
        "在更深的网络中，后面的神经元组合前面神经元的弯折，形状的数量是相乘而不是相加。"
        "sin x₁、sin x₂ 等额外特征直接给网络提供了弯曲的曲线，因此需要的深度更少。"),
    "lessons.spiral.result": (
        "Test accuracy: one layer of 16 {wide:.0%}, three layers of 16 {deep:.0%}, one layer with all seven "
        "features {features:.0%}.",
        "测试准确率：一个 16 神经元隐藏层 {wide:.0%}，三个 16 神经元隐藏层 {deep:.0%}，"
        "一个隐藏层加全部七个特征 {features:.0%}。"),
    "lessons.spiral.run.deep": ("three hidden layers of 16", "三个各含 16 个神经元的隐藏层"),
    "lessons.spiral.run.features": ("one layer of 16 with all seven features",
                                    "一个 16 神经元隐藏层，输入全部七个特征"),

    # ---- 6. learning rate too high -------------------------------------------------------------------------
    "lessons.lr_high.title": ("Too large a learning rate diverges", "学习率过大会发散"),
    "lessons.lr_high.question": ("What happens when gradient descent takes steps that are too big?",
                                 "如果梯度下降每一步迈得太大，会发生什么？"),
    "lessons.lr_high.do": (
        "Open the experiment: regression on the tilted plane with a linear model (no hidden layer), each step "
        "computed on the whole training set (batch size 500), learning rate 0.3. Press Play and watch the loss. "
        "Then open the comparison with learning rate 0.05.",
        "打开实验：在倾斜平面上做回归，使用线性模型（没有隐藏层），每一步都用整个训练集计算"
        "（批量大小 500），学习率 0.3。点击“播放”，观察损失。然后打开学习率为 0.05 的对比实验。"),
    "lessons.lr_high.watch": ("The training loss and the loss curve, and the message when training stops.",
                              "训练损失和损失曲线，以及训练停止时的提示信息。"),
    "lessons.lr_high.see": (
        "With 0.3 the loss grows instead of shrinking, by more than a thousandfold, until training stops as "
        "diverged within a few dozen epochs. With 0.05 the same model converges: its loss falls below 1% of "
        "where it started.",
        "学习率为 0.3 时，损失不降反升，增长超过一千倍，几十轮之内训练就因发散而停止。"
        "学习率为 0.05 时，同一个模型收敛：损失降到初始值的 1% 以下。"),
    "lessons.lr_high.why": (
        "Each step moves the weights by α·∇J. Once α is larger than 2 divided by the loss surface's steepest "
        "curvature, every step jumps past the minimum to a point farther away than where it started, so the "
        "error grows by a constant factor each step and explodes. Smaller steps shrink it instead.",
        "每一步把权重移动 α·∇J。一旦 α 大于 2 除以损失曲面最陡方向的曲率，每一步都会越过最小值，"
        "落到比出发点更远的地方，于是误差每一步都按固定倍数增长，最终爆炸。步长小一些，误差就会逐步缩小。"),
    "lessons.lr_high.result": (
        "With 0.3 the loss went from {start:.2f} to {peak:.1e} and training diverged at epoch {epoch}; with 0.05 "
        "it ended at {calm:.1e}.",
        "学习率 0.3：损失从 {start:.2f} 升到 {peak:.1e}，训练在第 {epoch} 轮发散；"
        "学习率 0.05：损失最终为 {calm:.1e}。"),
    "lessons.lr_high.run.moderate": ("learning rate 0.05", "学习率 0.05"),

    # ---- 7. learning rate too low --------------------------------------------------------------------------
    "lessons.lr_low.title": ("Too small a learning rate crawls", "学习率过小则进展缓慢"),
    "lessons.lr_low.question": ("If big steps are dangerous, why not always take tiny ones?",
                                "既然步子太大很危险，为什么不总是迈小步？"),
    "lessons.lr_low.do": (
        "Open the experiment: the circle with the default network and learning rate 0.0003, a hundred times "
        "smaller than the default. Play to about epoch {epochs}. Then open the comparison with 0.03.",
        "打开实验：圆形数据，默认网络，学习率 0.0003，比默认值小一百倍。播放到第 {epochs} 轮左右。"
        "然后打开学习率为 0.03 的对比实验。"),
    "lessons.lr_low.watch": ("The loss curve and the decision boundary.", "损失曲线和决策边界。"),
    "lessons.lr_low.see": (
        "With 0.0003 the training loss does go down, but by less than 10% in {epochs} epochs, and the boundary "
        "hardly changes. With 0.03 the loss falls by more than 90% and the circle is found.",
        "学习率为 0.0003 时，训练损失确实在下降，但 {epochs} 轮内降幅不到 10%，决策边界几乎不变。"
        "学习率为 0.03 时，损失下降超过 90%，网络找到了圆形边界。"),
    "lessons.lr_low.why": (
        "Each step is α·∇J; with α a hundred times smaller the network needs about a hundred times as many steps "
        "to travel the same way. It heads in the right direction, just too slowly to arrive in class time.",
        "每一步是 α·∇J；α 小一百倍，走同样的路就需要大约一百倍的步数。方向是对的，只是太慢，一节课内到不了终点。"),
    "lessons.lr_low.result": (
        "In {epochs} epochs the training loss fell by {slow:.1%} with 0.0003 and by {normal:.1%} with 0.03.",
        "{epochs} 轮内，学习率 0.0003 时训练损失下降了 {slow:.1%}，学习率 0.03 时下降了 {normal:.1%}。"),
    "lessons.lr_low.run.normal": ("learning rate 0.03", "学习率 0.03"),

    # ---- 8. batch size -------------------------------------------------------------------------------------
    "lessons.batch_size.title": ("Batch size and the noise in the loss curve", "批量大小与损失曲线中的噪声"),
    "lessons.batch_size.question": (
        "Why does the loss curve jitter with small batches and run smoothly with large ones?",
        "为什么小批量时损失曲线抖动，大批量时却很平滑？"),
    "lessons.batch_size.do": (
        "Open the experiment: the circle, learning rate 0.1, batch size 1 (a step after every single point). "
        "Play to about epoch {epochs}, then open the comparison with batch size 50. A logarithmic loss axis "
        "in the loss curves shows the jitter best.",
        "打开实验：圆形数据，学习率 0.1，批量大小 1（每个点之后都更新一次）。播放到第 {epochs} 轮左右，"
        "然后打开批量大小为 50 的对比实验。在损失曲线中使用对数坐标，抖动最明显。"),
    "lessons.batch_size.watch": ("The training loss curve: smooth or jagged?", "训练损失曲线：平滑还是锯齿状？"),
    "lessons.batch_size.see": (
        "With batch size 1 the training loss goes back up after a good share of the epochs, one in six or "
        "more: a jagged curve, though it still ends below a third of where it started. With batch size 50 "
        "it falls smoothly, epoch after epoch, and also ends below a third of its start.",
        "批量大小为 1 时，训练损失在相当多的轮次（六分之一以上）之后会回升，曲线呈锯齿状，"
        "不过最终仍降到初始值的三分之一以下。"
        "批量大小为 50 时，损失一轮接一轮平滑下降，最终同样降到初始值的三分之一以下。"),
    "lessons.batch_size.why": (
        "Each step follows the gradient of its own batch. One point's gradient is a noisy estimate of the whole "
        "training set's, so single steps often make the overall loss worse; the average over 50 points is much "
        "closer to the true gradient. Small batches take many cheap, noisy steps per epoch, large batches a few "
        "accurate ones.",
        "每一步沿着本批数据的梯度走。单个点的梯度只是整个训练集梯度的带噪声估计，所以单步更新常常让整体损失变差；"
        "50 个点的平均梯度则接近真实梯度得多。"
        "小批量每轮走很多步，每步便宜但有噪声；大批量每轮只走几步，但每步更准确。"),
    "lessons.batch_size.result": (
        "The loss rose after {rises_1:.0%} of epochs with batch size 1 ({steps_1:.0f} steps per epoch) and after "
        "{rises_50:.0%} with batch size 50 ({steps_50:.0f} steps per epoch); final training loss {loss_1:.4f} "
        "and {loss_50:.4f}.",
        "批量大小为 1 时（每轮 {steps_1:.0f} 步），{rises_1:.0%} 的轮次之后损失回升；批量大小为 50 时"
        "（每轮 {steps_50:.0f} 步），这一比例为 {rises_50:.0%}。最终训练损失分别为 {loss_1:.4f} 和 {loss_50:.4f}。"),
    "lessons.batch_size.run.batch50": ("batch size 50", "批量大小 50"),

    # ---- 9. Adam against SGD -------------------------------------------------------------------------------
    "lessons.adam.title": ("Adam against plain SGD", "Adam 与普通 SGD 对比"),
    "lessons.adam.question": ("Same network, same learning rate: does the optimizer matter?",
                              "同样的网络、同样的学习率：优化器的选择有影响吗？"),
    "lessons.adam.do": (
        "Open the experiment: the spiral, three hidden layers of 8 ReLU neurons, binary cross-entropy, and Adam "
        "with learning rate 0.01. Play to about epoch {epochs}. Then open the comparison: everything the same "
        "except plain SGD.",
        "打开实验：螺旋数据，三个各含 8 个 ReLU 神经元的隐藏层，二元交叉熵损失，优化器为 Adam，学习率 0.01。"
        "播放到第 {epochs} 轮左右。然后打开对比实验：其他完全相同，只是换成普通随机梯度下降（SGD）。"),
    "lessons.adam.watch": ("The training loss and the output picture after {epochs} epochs.",
                           "{epochs} 轮后的训练损失和输出图。"),
    "lessons.adam.see": (
        "Adam brings the training loss below 0.1 and traces the spiral, with test accuracy above 90%. SGD at "
        "the same learning rate has barely started: its loss is still above 0.5 and its accuracy no better "
        "than 75%.",
        "Adam 把训练损失降到 0.1 以下，决策边界描出了螺旋，测试准确率超过 90%。"
        "同样学习率下的 SGD 几乎还没开始：损失仍高于 0.5，准确率不超过 75%。"),
    "lessons.adam.why": (
        "SGD moves every weight by α times its gradient, and in this network many gradients are tiny, so "
        "α = 0.01 means tiny steps. Adam divides each gradient by a running average of its size, so every "
        "weight moves by about α per step whatever the scale of its gradient, and its momentum keeps it going "
        "in consistent directions.",
        "SGD 把每个权重移动 α 乘以它的梯度；这个网络里很多梯度都很小，所以 α = 0.01 意味着非常小的步子。"
        "Adam 用梯度大小的滑动平均去除每个梯度，无论梯度的量级如何，每个权重每步大约都移动 α，"
        "而它的动量让权重沿着一致的方向持续前进。"),
    "lessons.adam.result": (
        "After {epochs} epochs: training loss {loss_adam:.3f} with Adam and {loss_sgd:.3f} with SGD; test "
        "accuracy {acc_adam:.0%} and {acc_sgd:.0%}.",
        "{epochs} 轮后：训练损失 Adam 为 {loss_adam:.3f}，SGD 为 {loss_sgd:.3f}；测试准确率分别为 {acc_adam:.0%} "
        "和 {acc_sgd:.0%}。"),
    "lessons.adam.run.sgd": ("plain SGD", "普通 SGD"),

    # ---- 10. overfitting -----------------------------------------------------------------------------------
    "lessons.overfitting.title": ("Overfitting: few noisy points, a big network", "过拟合：少量带噪声的点，一个大网络"),
    "lessons.overfitting.question": ("What happens when a big network trains on 30 noisy points?",
                                     "一个大网络只用 30 个带噪声的点训练，会发生什么？"),
    "lessons.overfitting.do": (
        "Open the experiment: XOR with noise 50, only 10% of 300 points used for training, three hidden layers "
        "of 16 ReLU neurons. Show the test data. Play to about epoch {epochs}.",
        "打开实验：异或数据，噪声 50，300 个点中只有 10% 用于训练，三个各含 16 个 ReLU 神经元的隐藏层。"
        "勾选显示测试数据。播放到第 {epochs} 轮左右。"),
    "lessons.overfitting.watch": ("The training loss and the test loss side by side, and how the boundary "
                                  "bends around single training points.",
                                  "并排比较训练损失和测试损失，并观察决策边界如何绕着个别训练点弯曲。"),
    "lessons.overfitting.see": (
        "The training loss keeps falling, but the test loss reaches its lowest point early and then climbs, "
        "ending at least 20% above its minimum. The training accuracy ends far above the test accuracy, which "
        "stays at 80% or less.",
        "训练损失持续下降，但测试损失很早就到达最低点，随后回升，最终比最低点高出至少 20%。"
        "训练准确率远高于测试准确率，而测试准确率始终不超过 80%。"),
    "lessons.overfitting.why": (
        "With far more weights than training points the network can memorise each point, noise included. The "
        "noise does not repeat in the test set, so everything learnt about it is wrong there: the model fits "
        "the training set instead of the rule behind it.",
        "网络的权重远多于训练点，它可以把每个点连同噪声一起记住。噪声不会在测试集中重复出现，"
        "所以网络从噪声中学到的东西在测试集上全是错的：模型拟合的是训练集本身，而不是背后的规律。"),
    "lessons.overfitting.result": (
        "Averaged over {seeds} seeds: training accuracy {train:.0%}, test accuracy {test:.0%}; the final test "
        "loss is {rise:.2f} times its lowest value.",
        "{seeds} 个随机种子的平均：训练准确率 {train:.0%}，测试准确率 {test:.0%}；"
        "最终测试损失是其最低值的 {rise:.2f} 倍。"),

    # ---- 11. L2 --------------------------------------------------------------------------------------------
    "lessons.l2.title": ("L2 regularisation calms an overfitting network", "L2 正则化抑制过拟合"),
    "lessons.l2.question": ("Can a penalty on large weights stop the network from memorising noise?",
                            "对大权重施加惩罚，能阻止网络记住噪声吗？"),
    "lessons.l2.do": (
        "Open the experiment: the overfitting setup with L2 regularisation at rate 0.03. Play to about epoch "
        "{epochs}. Then open the comparison without regularisation and compare the two.",
        "打开实验：与过拟合实验相同的设置，加上正则化率为 0.03 的 L2 正则化。播放到第 {epochs} 轮左右。"
        "然后打开不加正则化的对比实验，比较两者。"),
    "lessons.l2.watch": ("The test loss, the gap between training and test accuracy, the thickness of the links "
                         "in the network, and the boundary.",
                         "测试损失、训练与测试准确率之差、网络中连线的粗细，以及决策边界。"),
    "lessons.l2.see": (
        "With L2 the test loss ends at least 20% lower, the gap between training and test accuracy shrinks, "
        "the weights stay less than half as large (thinner links), and the boundary is shorter and smoother.",
        "加上 L2 后，测试损失至少低 20%，训练与测试准确率之差缩小，"
        "权重不到原来的一半（连线更细），决策边界更短、更平滑。"),
    "lessons.l2.why": (
        "L2 adds λ·Σw² to the loss, which shrinks every weight a little at every step. Only weights that keep "
        "earning their size on many training points stay large; the sharp bends needed to wrap single noisy "
        "points need large weights, and they fade away.",
        "L2 在损失中加入 λ·Σw²，每一步都让每个权重缩小一点。只有在许多训练点上持续发挥作用的权重才能保持较大；"
        "绕住个别噪声点所需的急弯依赖大权重，于是逐渐消失。"),
    "lessons.l2.result": (
        "Averaged over {seeds} seeds: test loss {loss_with:.3f} with L2 and {loss_without:.3f} without; accuracy "
        "gap {gap_with:.0%} against {gap_without:.0%}; summed weight norms {w_with:.1f} against {w_without:.1f}; "
        "boundary length (in plot widths) {boundary_with:.2f} against {boundary_without:.2f}.",
        "{seeds} 个随机种子的平均：测试损失有 L2 为 {loss_with:.3f}，无 L2 为 {loss_without:.3f}；"
        "准确率差 {gap_with:.0%} 对 {gap_without:.0%}；权重范数之和 {w_with:.1f} 对 {w_without:.1f}；"
        "决策边界长度（以图宽为单位）{boundary_with:.2f} 对 {boundary_without:.2f}。"),
    "lessons.l2.run.none": ("without regularisation", "不加正则化"),

    # ---- 12. dropout ---------------------------------------------------------------------------------------
    "lessons.dropout.title": ("Dropout: training with neurons switched off", "Dropout：训练时随机关闭神经元"),
    "lessons.dropout.question": ("Does randomly silencing neurons during training help against overfitting?",
                                 "训练时随机让一些神经元“沉默”，能缓解过拟合吗？"),
    "lessons.dropout.do": (
        "Open the experiment: the overfitting setup with dropout 0.3 in each hidden layer. Play to about epoch "
        "{epochs}. Then open the comparison without dropout.",
        "打开实验：与过拟合实验相同的设置，每个隐藏层加入比例为 0.3 的 Dropout（随机失活）。播放到第 {epochs} 轮左右。"
        "然后打开不加 Dropout 的对比实验。"),
    "lessons.dropout.watch": ("The test loss, the training accuracy, the gap between training and test "
                              "accuracy, and the boundary.",
                              "测试损失、训练准确率、训练与测试准确率之差，以及决策边界。"),
    "lessons.dropout.see": (
        "With dropout the training accuracy is lower, yet the test loss ends at least 15% lower, the gap "
        "between training and test accuracy shrinks, and the boundary is shorter and smoother.",
        "加入 Dropout 后，训练准确率反而更低，但测试损失至少低 15%，训练与测试准确率之差缩小，决策边界更短、更平滑。"),
    "lessons.dropout.why": (
        "At every step dropout switches off a random 30% of the hidden neurons (and scales up the rest), so no "
        "neuron can rely on particular partners to memorise a point. What the network learns must be spread "
        "over many neurons, which works like averaging many smaller networks. At test time all neurons are on.",
        "每一步 Dropout 都随机关闭 30% 的隐藏神经元（并放大其余神经元的输出），任何神经元都无法依赖特定的“搭档”"
        "来记住某个点。网络学到的东西必须分散到许多神经元上，效果类似于对许多更小的网络取平均。测试时所有神经元都工作。"),
    "lessons.dropout.result": (
        "Averaged over {seeds} seeds: test loss {loss_with:.3f} with dropout and {loss_without:.3f} without; "
        "training accuracy {train_with:.0%} against {train_without:.0%}; accuracy gap {gap_with:.0%} against "
        "{gap_without:.0%}; boundary length (in plot widths) {boundary_with:.2f} against {boundary_without:.2f}.",
        "{seeds} 个随机种子的平均：测试损失有 Dropout 为 {loss_with:.3f}，无 Dropout 为 {loss_without:.3f}；"
        "训练准确率 {train_with:.0%} 对 {train_without:.0%}；准确率差 {gap_with:.0%} 对 {gap_without:.0%}；"
        "决策边界长度（以图宽为单位）{boundary_with:.2f} 对 {boundary_without:.2f}。"),
    "lessons.dropout.run.none": ("without dropout", "不加 Dropout"),

    # ---- 13. L1 --------------------------------------------------------------------------------------------
    "lessons.l1.title": ("L1 drives unneeded weights to exactly zero", "L1 把不需要的权重压到恰好为零"),
    "lessons.l1.question": ("Given all seven features for the circle, can the network find out which ones it needs?",
                            "把全部七个特征都交给网络去学圆形数据，它能自己找出需要哪些特征吗？"),
    "lessons.l1.do": (
        "Open the experiment: the circle with all seven input features, one hidden layer of 4 tanh neurons, and "
        "L1 regularisation at rate 0.01. Play to about epoch {epochs}. Then open the comparison with L2 at the "
        "same rate.",
        "打开实验：圆形数据，输入全部七个特征，一个含 4 个 tanh 神经元的隐藏层，正则化率为 0.01 的 L1 正则化。"
        "播放到第 {epochs} 轮左右。然后打开同样正则化率的 L2 对比实验。"),
    "lessons.l1.watch": ("The links leaving each input feature in the network view; hover over them to read "
                         "the weights.",
                         "网络图中从每个输入特征出发的连线；将鼠标悬停在连线上可查看权重。"),
    "lessons.l1.see": (
        "With L1 at least 90% of the weights leaving x₁, x₂, x₁x₂, sin x₁ and sin x₂ become exactly 0, their "
        "links vanish, and only x₁² and x₂² stay connected, with test accuracy close to 100%. With L2 the "
        "unneeded weights shrink, but not one of them is exactly zero.",
        "使用 L1 时，从 x₁、x₂、x₁x₂、sin x₁ 和 sin x₂ 出发的权重至少有 90% 变成恰好为 0，对应的连线消失，"
        "只有 x₁² 和 x₂² 保持连接，测试准确率接近 100%。使用 L2 时，不需要的权重会变小，但没有一个恰好为零。"),
    "lessons.l1.why": (
        "L1 subtracts the same small amount λ·sign(w) from every weight at every step, however small the weight "
        "already is, so a weight the data do not keep pushing up reaches zero and stays there. L2 subtracts "
        "λ·w, a step that shrinks along with the weight, so weights become small but never exactly zero. That "
        "is why L1 selects features.",
        "L1 每一步都从每个权重中减去同样大小的 λ·sign(w)，无论权重已经多小；数据不持续推高的权重就会降到零并停在那里。"
        "L2 减去的是 λ·w，步长随权重一起变小，所以权重会变小但永远不会恰好为零。这就是 L1 能做特征选择的原因。"),
    "lessons.l1.result": (
        "Weights from the five unneeded features that are exactly zero: {zero_l1:.0%} with L1, {zero_l2:.0%} "
        "with L2. Test accuracy with L1: {acc:.0%}.",
        "来自五个不需要的特征、恰好为零的权重：L1 为 {zero_l1:.0%}，L2 为 {zero_l2:.0%}。L1 的测试准确率：{acc:.0%}。"),
    "lessons.l1.run.l2": ("L2 at the same rate", "同样正则化率的 L2"),

    # ---- 14. vanishing gradients ---------------------------------------------------------------------------
    "lessons.vanishing.title": ("Deep sigmoid networks: the vanishing gradient", "深层 sigmoid 网络：梯度消失"),
    "lessons.vanishing.question": (
        "Why does a deep network of sigmoid neurons hardly learn, while the same depth with tanh does?",
        "为什么由 sigmoid 神经元构成的深层网络几乎学不动，而同样深度的 tanh 网络却可以？"),
    "lessons.vanishing.do": (
        "Open the experiment: the circle with six hidden layers of 8 sigmoid neurons. Play to about epoch "
        "{epochs}. Then open the comparison: the same six layers with tanh. The check below prints each "
        "layer's gradient norm.",
        "打开实验：圆形数据，六个各含 8 个 sigmoid 神经元的隐藏层。播放到第 {epochs} 轮左右。"
        "然后打开对比实验：同样六层，但使用 tanh。下方的验证会给出每一层的梯度范数。"),
    "lessons.vanishing.watch": ("The loss curve, the output picture, whether the first layers' neuron maps "
                                "change at all, and the bars of “Gradient reaching each layer” under the network.",
                                "损失曲线、输出图、前几层神经元的图像是否有任何变化，以及网络图下方“到达各层的梯度”的条形。"),
    "lessons.vanishing.see": (
        "The sigmoid network stays near 50% test accuracy and its output is almost the same everywhere. The "
        "gradient reaching the first layer is more than 100 times smaller than the output layer's. The tanh "
        "network of the same depth solves the circle (95% or better).",
        "sigmoid 网络的测试准确率停在 50% 左右，输出在各处几乎相同。传到第一层的梯度比输出层的小 100 倍以上。"
        "同样深度的 tanh 网络则解决了圆形问题（95% 或更高）。"),
    "lessons.vanishing.why": (
        "Backpropagation multiplies the gradient by the activation's derivative at every layer. The sigmoid's "
        "derivative is at most 0.25, so six layers shrink it by 0.25⁶ ≈ 1/4000 or more: the first layers get "
        "almost no signal and barely move. tanh's derivative reaches 1 and is centred at zero, so the gradient "
        "survives the trip back.",
        "反向传播在每一层都要乘以激活函数的导数。sigmoid 的导数最大只有 0.25，六层下来至少缩小 0.25⁶ ≈ 1/4000："
        "前几层几乎收不到信号，也就几乎不动。tanh 的导数最大为 1，且以零为中心，梯度在反向传递中得以保留。"),
    "lessons.vanishing.result": (
        "Gradient norm in the first layer {first:.1e}, at the output {last:.1e} (ratio {ratio:.1e}; with tanh "
        "{ratio_tanh:.2f}). Test accuracy {acc:.0%} with sigmoid and {acc_tanh:.0%} with tanh.",
        "第一层的梯度范数为 {first:.1e}，输出层为 {last:.1e}（比值 {ratio:.1e}；tanh 为 {ratio_tanh:.2f}）。"
        "测试准确率：sigmoid {acc:.0%}，tanh {acc_tanh:.0%}。"),
    "lessons.vanishing.run.tanh": ("six tanh layers", "六个 tanh 隐藏层"),

    # ---- 15. dead ReLUs ------------------------------------------------------------------------------------
    "lessons.dead_relu.title": ("Dead ReLUs after a large step", "大步更新之后的“死亡” ReLU"),
    "lessons.dead_relu.question": ("Can too large a learning step switch ReLU neurons off for good?",
                                   "过大的学习步长会让 ReLU 神经元永久关闭吗？"),
    "lessons.dead_relu.do": (
        "Open the experiment: regression on the tilted plane, two hidden layers of 8 ReLU neurons, learning "
        "rate 1. Play to about epoch {epochs}. Then open the comparison with learning rate 0.03.",
        "打开实验：在倾斜平面上做回归，两个各含 8 个 ReLU 神经元的隐藏层，学习率 1。播放到第 {epochs} 轮左右。"
        "然后打开学习率为 0.03 的对比实验。"),
    "lessons.dead_relu.watch": ("The neuron maps of the second hidden layer, the output picture, the "
                                "training loss, and the share of switched-off ReLUs under the network.",
                                "第二个隐藏层的神经元图像、输出图、训练损失，以及网络图下方已关闭的 ReLU 比例。"),
    "lessons.dead_relu.see": (
        "Within the first few epochs every neuron of the second layer goes dark: it outputs 0 for every input. The "
        "output turns completely flat and the loss freezes at the level of always predicting the average. "
        "With learning rate 0.03 hardly any neuron dies and the loss falls below 0.02.",
        "最初几轮之内，第二层的每个神经元都“熄灭”了：对任何输入都输出 0。输出图变得完全平坦，"
        "损失停在“始终预测平均值”的水平不再变化。学习率为 0.03 时几乎没有神经元死亡，损失降到 0.02 以下。"),
    "lessons.dead_relu.why": (
        "A ReLU outputs max(0, z). One big step can push a neuron's weights and bias so far that z < 0 for every "
        "training point. From then on its output and its gradient are 0 on all the data, so no later step can "
        "move it again: the neuron is dead. With a whole layer dead, nothing reaches the output but its bias.",
        "ReLU 的输出是 max(0, z)。一次大步更新就可能把某个神经元的权重和偏置推得太远，使所有训练点上都有 z < 0。"
        "从此它在全部数据上的输出和梯度都是 0，之后任何一步都无法再让它动起来：这个神经元“死亡”了。"
        "一整层都死亡后，到达输出的只剩下输出层的偏置。"),
    "lessons.dead_relu.result": (
        "Dead ReLUs: {dead:.0%} of all, {dead_last:.0%} of the second layer with learning rate 1; {dead_small:.0%} "
        "with 0.03. Training loss {loss:.3f} against {loss_small:.4f}.",
        "死亡的 ReLU：学习率 1 时占全部的 {dead:.0%}，第二层的 {dead_last:.0%}；学习率 0.03 时为 {dead_small:.0%}。"
        "训练损失 {loss:.3f} 对 {loss_small:.4f}。"),
    "lessons.dead_relu.run.small": ("learning rate 0.03", "学习率 0.03"),

    # ---- 16. zero initialisation ---------------------------------------------------------------------------
    "lessons.zero_init.title": ("Zero initialisation keeps hidden neurons identical",
                                "全零初始化让隐藏神经元始终一模一样"),
    "lessons.zero_init.question": ("Why not simply start with all weights at zero?",
                                   "为什么不干脆把所有权重都初始化为零？"),
    "lessons.zero_init.do": (
        "Open the experiment: the circle, two hidden layers of 4 sigmoid neurons, every weight and bias "
        "initialised to zero. Play to about epoch {epochs}. Then open the comparison with the usual random "
        "initialisation.",
        "打开实验：圆形数据，两个各含 4 个 sigmoid 神经元的隐藏层，所有权重和偏置都初始化为零。"
        "播放到第 {epochs} 轮左右。然后打开使用常规随机初始化的对比实验。"),
    "lessons.zero_init.watch": ("The neuron maps within each layer, and the test accuracy.",
                                "每一层内各神经元的图像，以及测试准确率。"),
    "lessons.zero_init.see": (
        "The weights do change, yet the neurons of a layer stay exact copies of each other: all maps in a layer "
        "look the same, and the test accuracy stays at 70% or below. With random initial weights the neurons "
        "differ and the circle is learnt (95% or better).",
        "权重确实在变化，但同一层的神经元始终是彼此的精确复制：一层里所有神经元的图像都一样，测试准确率不超过 70%。"
        "使用随机初始权重时，各神经元互不相同，网络学会了圆形（95% 或更高）。"),
    "lessons.zero_init.why": (
        "Neurons of a layer that start identical get identical inputs and identical gradients, so every update "
        "keeps them identical: the symmetry never breaks, and the layer acts like a single neuron. Random "
        "initial weights start each neuron somewhere different, so they can learn different things.",
        "同一层中初始完全相同的神经元，得到相同的输入和相同的梯度，每次更新后仍然相同：对称性永远不会被打破，"
        "这一层的作用就相当于一个神经元。随机初始权重让每个神经元从不同位置出发，它们才能学到不同的东西。"),
    "lessons.zero_init.result": (
        "Largest difference between two neurons of a layer: {spread:.1e} with zeros, {spread_random:.2f} with "
        "random weights. Test accuracy {acc:.0%} against {acc_random:.0%}.",
        "同一层两个神经元之间的最大差异：全零初始化为 {spread:.1e}，随机初始化为 {spread_random:.2f}。"
        "测试准确率 {acc:.0%} 对 {acc_random:.0%}。"),
    "lessons.zero_init.run.random": ("random initialisation", "随机初始化"),
}
