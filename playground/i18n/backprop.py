"""Text of the "Backpropagation, step by step" page."""

TEXT = {
    "backprop.title": ("Backpropagation, step by step", "反向传播，一步一步"),
    "backprop.intro": (
        "A 2-{h}-1 network learns from one example. Walk through the forward pass, the chain rule backwards "
        "and one gradient-descent update, with every number written out. Change any number and all the others "
        "follow.",
        "一个 2-{h}-1 的神经网络从一个样本中学习。逐步查看前向传播、用链式法则进行的反向传播和一次梯度下降更新，"
        "每个数字都写了出来。修改任意一个数字，其他数字会随之变化。",
    ),
    # sidebar
    "backprop.settings": ("Network and training", "网络与训练"),
    "backprop.hidden": ("Hidden neurons", "隐藏层神经元数"),
    "backprop.hidden_activation": ("Hidden-layer activation f", "隐藏层激活函数 f"),
    "backprop.output_activation": ("Output activation g", "输出层激活函数 g"),
    "backprop.loss": ("Loss function", "损失函数"),
    "backprop.lr": ("Learning rate α", "学习率 α"),
    "backprop.digits": ("Significant digits shown", "显示的有效数字位数"),
    "backprop.digits_help": (
        "Only how numbers are written in the formulas; every computation uses full double precision.",
        "只影响公式中数字的显示；所有计算都使用完整的双精度。",
    ),
    "backprop.start_values": ("Start values", "初始值"),
    "backprop.seed": ("Seed", "随机种子"),
    "backprop.random": ("Random weights", "随机权重"),
    "backprop.random_help": (
        "Draw every weight and bias from the seed (rounded to two decimals); x and y stay as they are.",
        "用随机种子生成所有权重和偏置（保留两位小数）；x 和 y 保持不变。",
    ),
    "backprop.example": ("Course example", "课程示例"),
    "backprop.example_help": (
        "The course text's worked example: x = (1, 2), y = 0, 3 hidden neurons, ReLU, squared error, α = 0.01. "
        "The text lists only two output weights (0.7, 0.8) for three hidden neurons; the third, 0.9, continues "
        "its pattern.",
        "课程文章中的例题：x = (1, 2)，y = 0，3 个隐藏层神经元，ReLU，平方误差，α = 0.01。"
        "文章只给出了两个输出层权重（0.7、0.8），而隐藏层有三个神经元；第三个取 0.9，延续其规律。",
    ),
    # activation and loss names
    "backprop.act.sigmoid": ("Sigmoid", "Sigmoid"),
    "backprop.act.tanh": ("tanh", "tanh"),
    "backprop.act.relu": ("ReLU", "ReLU"),
    "backprop.act.leaky_relu": ("Leaky ReLU (slope 0.01)", "Leaky ReLU（负半轴斜率 0.01）"),
    "backprop.act.elu": ("ELU", "ELU"),
    "backprop.act.gelu": ("GELU", "GELU"),
    "backprop.act.silu": ("SiLU (swish)", "SiLU（Swish）"),
    "backprop.act.softplus": ("Softplus", "Softplus"),
    "backprop.act.linear": ("Linear (identity)", "线性（恒等）"),
    "backprop.loss.mse": ("Mean squared error (one sample): (ŷ − y)²", "均方误差（单个样本）：(ŷ − y)²"),
    "backprop.loss.square": ("Half squared error: ½(ŷ − y)²", "半平方误差：½(ŷ − y)²"),
    "backprop.loss.mae": ("Absolute error: |ŷ − y|", "绝对误差：|ŷ − y|"),
    "backprop.loss.huber": ("Huber (threshold 1)", "Huber 损失（阈值 1）"),
    "backprop.loss.bce": ("Binary cross-entropy (sigmoid output, 0 ≤ y ≤ 1)", "二元交叉熵（Sigmoid 输出，0 ≤ y ≤ 1）"),
    "backprop.loss.hinge": ("Hinge: max(0, 1 − y·ŷ) (y = −1 or +1)", "合页损失：max(0, 1 − y·ŷ)（y = −1 或 +1）"),
    # step navigation
    "backprop.prev": ("Previous", "上一步"),
    "backprop.next": ("Next", "下一步"),
    "backprop.prev_help": ("Previous step (← key)", "上一步（← 键）"),
    "backprop.next_help": ("Next step (→ key)", "下一步（→ 键）"),
    "backprop.all": ("Show all steps", "显示全部步骤"),
    "backprop.one": ("One step at a time", "逐步显示"),
    "backprop.iterate": ("Next iteration", "下一次迭代"),
    "backprop.iterate_help": (
        "Take this update, then start the walkthrough again with the new weights.",
        "执行这次更新，然后用新的权重重新开始逐步演示。",
    ),
    "backprop.reset": ("Back to the start", "回到初始值"),
    "backprop.reset_help": ("Restore the weights of iteration 0 and clear the chart.",
                            "恢复第 0 次迭代的权重，并清空损失曲线。"),
    "backprop.progress": ("Step {i} of {n}", "第 {i} 步，共 {n} 步"),
    "backprop.phase.forward": ("Forward", "前向传播"),
    "backprop.phase.backward": ("Backward", "反向传播"),
    "backprop.phase.update": ("Update", "参数更新"),
    # step titles and explanations
    "backprop.step.hidden_forward": ("Hidden neuron {j}", "隐藏层神经元 {j}"),
    "backprop.step.output_forward": ("Output neuron", "输出层神经元"),
    "backprop.step.loss": ("The loss", "损失"),
    "backprop.step.output_delta": ("Error of the output neuron δ⁽²⁾", "输出层神经元的误差项 δ⁽²⁾"),
    "backprop.step.output_grads": ("Gradients of the output layer", "输出层的梯度"),
    "backprop.step.hidden_backward": ("Hidden neuron {j}", "隐藏层神经元 {j}"),
    "backprop.step.update_output": ("Output layer", "输出层"),
    "backprop.step.update_hidden": ("Hidden layer", "隐藏层"),
    "backprop.step.check": ("The loss after the update", "更新后的损失"),
    "backprop.explain.hidden_forward": (
        "Hidden neuron {j} adds up the inputs times its weights, plus its bias: z = w·x + b. "
        "The activation function turns that into its output a = f(z).",
        "隐藏层神经元 {j} 把输入与权重相乘后求和，再加上偏置：z = w·x + b。激活函数再把它变成输出 a = f(z)。",
    ),
    "backprop.explain.output_forward": (
        "The output neuron does the same with the hidden outputs, and its activation g gives the prediction ŷ.",
        "输出层神经元对隐藏层的输出做同样的计算，经过激活函数 g 得到预测值 ŷ。",
    ),
    "backprop.explain.loss": (
        "The loss measures how far the prediction ŷ is from the target y. Backpropagation finds how much each "
        "weight and bias contributed to it.",
        "损失函数衡量预测值 ŷ 与目标值 y 的差距。反向传播要算出每个权重和偏置对它的影响有多大。",
    ),
    "backprop.explain.output_delta": (
        "Going backwards starts at the loss. By the chain rule, the output neuron's error δ⁽²⁾ = ∂L/∂z⁽²⁾ is "
        "∂L/∂ŷ times the slope of the output activation g′(z⁽²⁾).",
        "反向传播从损失开始。由链式法则，输出层神经元的误差项 δ⁽²⁾ = ∂L/∂z⁽²⁾ 等于 ∂L/∂ŷ 乘以输出层激活函数的"
        "导数 g′(z⁽²⁾)。",
    ),
    "backprop.explain.output_grads": (
        "Each output weight multiplies one hidden output, so its gradient is δ⁽²⁾ times that output. "
        "The bias adds 1 × b, so its gradient is δ⁽²⁾ itself.",
        "每个输出层权重乘以一个隐藏层输出，所以它的梯度是 δ⁽²⁾ 乘以该输出。偏置相当于乘以 1，所以它的梯度就是 δ⁽²⁾。",
    ),
    "backprop.explain.hidden_backward": (
        "The error flows back to hidden neuron {j} through its output weight: ∂L/∂a = δ⁽²⁾·w. Times the slope "
        "f′(z) this is the neuron's error δ, and δ times each input is the gradient of that input's weight.",
        "误差通过输出权重传回隐藏层神经元 {j}：∂L/∂a = δ⁽²⁾·w。再乘以激活函数的导数 f′(z) 得到该神经元的误差项 δ，"
        "δ 乘以各个输入就是对应权重的梯度。",
    ),
    "backprop.explain.update_output": (
        "Gradient descent: every parameter takes a small step against its gradient, w ← w − α·∂L/∂w, "
        "with learning rate α = {lr}.",
        "梯度下降：每个参数沿梯度的反方向走一小步，w ← w − α·∂L/∂w，学习率 α = {lr}。",
    ),
    "backprop.explain.update_hidden": (
        "The same rule for the hidden layer, written with matrices: all its weights and biases at once.",
        "隐藏层使用同样的规则，这里用矩阵一次写出它的全部权重和偏置。",
    ),
    "backprop.explain.check": (
        "The same input through the new weights gives a new prediction ŷ′ and loss L′. A negative L′ − L means "
        "the step helped; “Next iteration” takes it and starts again.",
        "用新的权重对同一个输入再做一次前向传播，得到新的预测值 ŷ′ 和损失 L′。L′ − L 为负说明这一步有效；"
        "“下一次迭代”会执行这次更新并重新开始。",
    ),
    # numbers
    "backprop.numbers": ("Inputs, target, weights and biases", "输入、目标值、权重和偏置"),
    "backprop.sample": ("Input and target", "输入与目标值"),
    "backprop.neuron": ("Hidden neuron {j}", "隐藏层神经元 {j}"),
    "backprop.output": ("Output neuron", "输出层神经元"),
    "backprop.target": ("target", "目标值"),
    # loss chart and summary
    "backprop.chart": ("Loss over iterations", "损失随迭代的变化"),
    "backprop.iteration_axis": ("iteration", "迭代次数"),
    "backprop.loss_axis": ("loss", "损失"),
    "backprop.summary": ("Iteration {k}: loss {loss}", "第 {k} 次迭代：损失 {loss}"),
    "backprop.summary_after": ("After this update it would be {after} ({change}).",
                               "执行这次更新后将变为 {after}（{change}）。"),
    "backprop.autograd_ok": ("PyTorch autograd gives the same gradients (largest difference {diff}).",
                             "PyTorch 自动求导得到相同的梯度（最大差值 {diff}）。"),
    "backprop.autograd_bad": ("PyTorch autograd's gradients differ by up to {diff}.",
                              "PyTorch 自动求导的梯度与此处最多相差 {diff}。"),
    # errors
    "backprop.error.hidden": ("The hidden layer must have 2 to 4 neurons.", "隐藏层必须有 2 到 4 个神经元。"),
    "backprop.error.activation": ("Unknown activation function {name}.", "未知的激活函数 {name}。"),
    "backprop.error.loss": ("Unknown loss function {name}.", "未知的损失函数 {name}。"),
    "backprop.error.not_finite": (
        "The numbers overflowed (infinite or not a number). Use smaller weights or a smaller learning rate.",
        "数值溢出（无穷大或非数）。请使用更小的权重或更小的学习率。",
    ),
    "backprop.error.lr": ("The learning rate must be zero or positive.", "学习率必须大于或等于 0。"),
    "backprop.error.bce_output": (
        "Binary cross-entropy needs an output between 0 and 1: choose Sigmoid as the output activation.",
        "二元交叉熵要求输出在 0 和 1 之间：请把输出层激活函数设为 Sigmoid。",
    ),
    "backprop.error.bce_target": ("Binary cross-entropy needs a target y between 0 and 1.",
                                  "二元交叉熵要求目标值 y 在 0 和 1 之间。"),
    "backprop.error.hinge_target": ("The hinge loss needs the target y to be −1 or +1.",
                                    "合页损失要求目标值 y 为 −1 或 +1。"),
    "backprop.error.bce_saturated": (
        "The sigmoid output rounded to exactly 0 or 1, so the cross-entropy is infinite. Use smaller weights.",
        "Sigmoid 输出被舍入为 0 或 1，交叉熵为无穷大。请使用更小的权重。",
    ),
    "backprop.bce_switched": ("Binary cross-entropy needs a probability, so the output activation is now Sigmoid.",
                              "二元交叉熵需要概率作为输出，因此输出层激活函数已改为 Sigmoid。"),
    "backprop.kept": ("Still showing the last numbers that worked.", "仍显示上一组有效的数字。"),
    "backprop.overshoot": (
        "That update would make the numbers overflow, so it was not taken. Lower the learning rate.",
        "这次更新会使数值溢出，因此没有执行。请降低学习率。",
    ),
}
