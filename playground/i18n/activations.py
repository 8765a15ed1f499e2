"""Text of the "Activations and losses" page."""

TEXT = {
    "activations.title": ("Activations and losses", "激活函数与损失函数"),
    "activations.intro": (
        "Backpropagation multiplies the gradient by the slope of every activation it passes through, and it "
        "starts from the slope of the loss. Where a slope is near zero, learning stalls. Move the sliders to "
        "see both at any point; every derivative here is computed by autograd.",
        "反向传播每经过一个激活函数，就把梯度乘以该函数的斜率；而它的起点是损失函数的斜率。斜率接近零的地方，"
        "学习就会停滞。拖动滑块查看任意一点的函数值和导数；这里的每个导数都由自动求导（autograd）计算。",
    ),
    "activations.section.act": ("Activation functions", "激活函数"),
    "activations.section.loss": ("Loss functions", "损失函数"),
    "activations.act_choice": ("Activation function", "激活函数"),
    "activations.act_x": ("Input x", "输入 x"),
    "activations.metric.f": ("f(x)", "f(x)"),
    "activations.metric.df": ("f′(x)", "f′(x)"),
    "activations.at.dead": (
        "At x = {x}, the unit is **dead**: f′(x) = 0, so no gradient passes back through it and its incoming "
        "weights stop changing.",
        "在 x = {x} 处，该单元处于**死亡**状态：f′(x) = 0，没有梯度能反向穿过它，它的输入权重不再更新。",
    ),
    "activations.at.saturating": (
        "At x = {x}, the unit is **saturated**: the gradient passing back through it is multiplied by "
        "f′(x) = {d}, almost nothing.",
        "在 x = {x} 处，该单元处于**饱和**状态：反向穿过它的梯度要乘以 f′(x) = {d}，几乎为零。",
    ),
    "activations.at.active": (
        "At x = {x}, the gradient passing back through the unit is multiplied by f′(x) = {d}.",
        "在 x = {x} 处，反向穿过该单元的梯度要乘以 f′(x) = {d}。",
    ),
    "activations.regions": (
        "Shaded: red where f′ is exactly 0 (dead), grey where f′ has faded below 10% of its peak (saturating).",
        "阴影：红色表示 f′ 恰好为 0（死亡区），灰色表示 f′ 已降到峰值的 10% 以下（饱和区）。",
    ),
    "activations.fig.dead": ("dead", "死亡区"),
    "activations.fig.saturating": ("saturating", "饱和区"),
    "activations.name.relu": ("ReLU", "ReLU"),
    "activations.name.leaky_relu": ("Leaky ReLU", "Leaky ReLU"),
    "activations.name.elu": ("ELU", "ELU"),
    "activations.name.gelu": ("GELU", "GELU"),
    "activations.name.silu": ("SiLU (Swish)", "SiLU（Swish）"),
    "activations.name.tanh": ("tanh", "tanh"),
    "activations.name.sigmoid": ("Sigmoid", "Sigmoid"),
    "activations.name.softplus": ("Softplus", "Softplus"),
    "activations.name.linear": ("Linear (identity)", "线性（恒等）"),
    "activations.explain.relu": (
        "ReLU passes a positive input unchanged and outputs 0 for a negative one. Its slope is exactly 1 on "
        "the right, so gradients flow back through many layers without shrinking: that is why deep networks "
        "train well with it. On the left the slope is exactly 0. A unit whose input is negative for every "
        "example gets no gradient at all and can never recover: a dead ReLU. One large learning-rate step can "
        "push many units there at once.",
        "ReLU 对正输入原样输出，对负输入输出 0。右侧斜率恰好为 1，梯度穿过很多层也不会缩小，这正是深层网络用它"
        "容易训练的原因。左侧斜率恰好为 0：如果某个单元对所有样本的输入都是负数，它就完全得不到梯度，再也无法"
        "恢复，这就是“死亡 ReLU”。一次过大的学习率更新就可能把许多单元同时推到那里。",
    ),
    "activations.explain.leaky_relu": (
        "Leaky ReLU is ReLU with a small slope, 0.01, for negative inputs. It behaves almost like ReLU, but a "
        "negative input still lets a little gradient through, so a unit pushed to the left can come back "
        "instead of dying.",
        "Leaky ReLU 就是在负输入一侧保留一个很小斜率（0.01）的 ReLU。它的表现几乎和 ReLU 一样，但负输入时仍有"
        "少量梯度通过，所以被推到左侧的单元还能回来，而不会死亡。",
    ),
    "activations.explain.elu": (
        "ELU follows x for positive inputs and bends smoothly towards −1 for negative ones (eˣ − 1). Its "
        "outputs can be negative, which keeps the average activation nearer 0. For very negative inputs it "
        "saturates at −1 and its slope fades to 0, gradually rather than abruptly as in ReLU.",
        "ELU 对正输入等于 x，对负输入平滑地弯向 −1（eˣ − 1）。它的输出可以为负，使激活的平均值更接近 0。"
        "输入非常负时，它在 −1 处饱和，斜率逐渐衰减到 0，而不像 ReLU 那样突然变为 0。",
    ),
    "activations.explain.gelu": (
        "GELU weights the input by the probability that a standard normal variable lies below it: x·Φ(x). It "
        "looks like a smoothed ReLU with a small dip below zero near x ≈ −0.75, and is the usual activation in "
        "Transformers such as BERT and GPT. Far to the left its output and its slope both fade to 0.",
        "GELU 用“标准正态变量小于输入的概率”来加权输入：x·Φ(x)。它像一个平滑的 ReLU，在 x ≈ −0.75 附近略低于"
        "零，是 BERT、GPT 等 Transformer 模型常用的激活函数。在最左侧，它的输出和斜率都逐渐衰减到 0。",
    ),
    "activations.explain.silu": (
        "SiLU, also called Swish, is x·σ(x): like GELU, a smooth ReLU with a small dip below zero (lowest near "
        "x ≈ −1.28), where its slope even turns slightly negative. Far to the left its output and its slope "
        "both fade to 0.",
        "SiLU（也叫 Swish）等于 x·σ(x)：和 GELU 一样，是一个略低于零的平滑 ReLU（最低点在 x ≈ −1.28 附近），"
        "那里的斜率甚至略为负。在最左侧，它的输出和斜率都逐渐衰减到 0。",
    ),
    "activations.explain.tanh": (
        "tanh squashes any input into (−1, 1) and is centred on 0, with its steepest slope, 1, at x = 0. For "
        "|x| beyond about 1.8 it saturates: the output barely changes and f′ is close to 0, so the gradient "
        "passing back through the unit almost vanishes. Stacking many saturated layers multiplies these small "
        "factors together: the vanishing-gradient problem.",
        "tanh 把任何输入压缩到 (−1, 1) 之间，以 0 为中心，在 x = 0 处斜率最大，为 1。当 |x| 超过约 1.8 时它就饱和了："
        "输出几乎不变，f′ 接近 0，反向穿过该单元的梯度几乎消失。许多饱和的层叠在一起，这些很小的因子相乘，"
        "就是梯度消失问题。",
    ),
    "activations.explain.sigmoid": (
        "The sigmoid σ(x) = 1/(1 + e⁻ˣ) squashes any input into (0, 1), which makes it a natural output for a "
        "probability. Its slope is at most 0.25, at x = 0, so even in the best case each sigmoid layer divides "
        "the gradient by four, and in its saturating tails (|x| beyond about 3.6) by far more. Deep sigmoid "
        "networks therefore learn slowly in their first layers. Its outputs are all positive, not centred on 0.",
        "Sigmoid 函数 σ(x) = 1/(1 + e⁻ˣ) 把任何输入压缩到 (0, 1) 之间，因此很适合作为概率输出。它的斜率最大只有 "
        "0.25（在 x = 0 处），所以即使在最好的情况下，每经过一层 sigmoid 梯度也要缩小为四分之一；在饱和区"
        "（|x| 超过约 3.6）缩小得更多。因此深层 sigmoid 网络前面几层学得很慢。它的输出全为正，不以 0 为中心。",
    ),
    "activations.explain.softplus": (
        "Softplus, ln(1 + eˣ), is a smooth version of ReLU: always positive, and its slope is exactly the "
        "sigmoid σ(x). Its gradient is never exactly zero, but for very negative inputs it becomes tiny.",
        "Softplus，即 ln(1 + eˣ)，是 ReLU 的平滑版本：输出总为正，斜率恰好等于 sigmoid 函数 σ(x)。它的梯度"
        "永远不会恰好为零，但输入非常负时会变得极小。",
    ),
    "activations.explain.linear": (
        "The identity f(x) = x. Its slope is 1 everywhere, so it never saturates, but a stack of linear layers "
        "is still just one linear function however deep it is: without a non-linear activation, hidden layers "
        "add nothing. It is used on the output of regression networks.",
        "恒等函数 f(x) = x。它的斜率处处为 1，永远不会饱和；但无论叠多少层，线性层组合起来仍然只是一个线性函数："
        "没有非线性激活函数，隐藏层就毫无作用。它用于回归网络的输出层。",
    ),
    "activations.loss_choice": ("Loss function", "损失函数"),
    "activations.target": ("Target y", "目标值 y"),
    "activations.target_bce": ("Target y (class)", "目标值 y（类别）"),
    "activations.target_hinge": ("Target t (label ±1)", "目标 t（标签 ±1）"),
    "activations.target_ce": ("Target class", "目标类别"),
    "activations.class": ("class {name}", "类别 {name}"),
    "activations.delta": ("Huber δ", "Huber δ"),
    "activations.pred.value": ("Prediction ŷ", "预测值 ŷ"),
    "activations.pred.logit": ("Raw score (logit) z", "原始分数（logit）z"),
    "activations.pred.score": ("Score s", "分数 s"),
    "activations.pred.class_logit": ("Score z of class A (B and C at 0)", "类别 A 的分数 z（B、C 的分数为 0）"),
    "activations.metric.loss": ("Loss L", "损失 L"),
    "activations.metric.grad": ("Gradient ∂L/∂{sym}", "梯度 ∂L/∂{sym}"),
    "activations.loss_step": (
        "Gradient descent would move the prediction by −α·{g}: {direction}.",
        "梯度下降会让预测值移动 −α·{g}：{direction}。",
    ),
    "activations.direction.up": ("upwards", "向上"),
    "activations.direction.down": ("downwards", "向下"),
    "activations.direction.none": ("not at all, this point gives no gradient", "完全不动，这一点没有梯度"),
    "activations.fig.loss": ("loss L", "损失 L"),
    "activations.fig.grad": ("gradient ∂L/∂{sym}", "梯度 ∂L/∂{sym}"),
    "activations.fig.target": ("target", "目标"),
    "activations.lossname.mse": ("Mean squared error (MSE)", "均方误差（MSE）"),
    "activations.lossname.mae": ("Mean absolute error (MAE)", "平均绝对误差（MAE）"),
    "activations.lossname.huber": ("Huber", "Huber 损失"),
    "activations.lossname.bce": ("Binary cross-entropy", "二元交叉熵"),
    "activations.lossname.hinge": ("Hinge", "合页损失（Hinge）"),
    "activations.lossname.ce": ("Cross-entropy (3 classes)", "交叉熵（3 个类别）"),
    "activations.lossexplain.mse": (
        "Squared error (ŷ − y)². Its gradient, 2(ŷ − y), is proportional to the error: large mistakes are "
        "pushed hard and small ones gently, so steps shrink by themselves near the answer. Outliers weigh a "
        "lot because their error is squared.",
        "平方误差 (ŷ − y)²。它的梯度 2(ŷ − y) 与误差成正比：大错误被用力推回，小错误被轻轻推回，所以接近答案时"
        "步子会自动变小。由于误差被平方，离群点的影响很大。",
    ),
    "activations.lossexplain.mae": (
        "Absolute error |ŷ − y|. Its gradient is ±1 whatever the size of the error: an outlier pulls no harder "
        "than a small mistake, which makes it robust, but the step does not shrink near the answer, and at "
        "ŷ = y the slope jumps from −1 to +1.",
        "绝对误差 |ŷ − y|。无论误差多大，它的梯度都是 ±1：离群点并不比小错误拉得更用力，因此更稳健；但接近"
        "答案时步子不会变小，并且在 ŷ = y 处斜率从 −1 跳到 +1。",
    ),
    "activations.lossexplain.huber": (
        "Squared error for small errors (|ŷ − y| ≤ δ), absolute error beyond. The gradient grows with the error "
        "up to ±δ and then stays there: the gentle landing of MSE with the robustness of MAE to outliers.",
        "误差较小时（|ŷ − y| ≤ δ）是平方误差，超出后是绝对误差。梯度随误差增大，到 ±δ 后保持不变：既有 MSE "
        "平稳收敛的优点，又有 MAE 对离群点稳健的优点。",
    ),
    "activations.lossexplain.bce": (
        "Binary cross-entropy on a sigmoid output, drawn against the raw score z. For target 1 it is −ln σ(z): "
        "large when the model is confidently wrong, near 0 when it is confidently right. Its gradient is simply "
        "σ(z) − y, which does not fade on the wrong side; this is why cross-entropy trains a sigmoid classifier "
        "faster than squared error.",
        "基于 sigmoid 输出的二元交叉熵，横轴是原始分数 z。目标为 1 时它等于 −ln σ(z)：模型自信地犯错时损失很大，"
        "自信地答对时接近 0。它的梯度就是 σ(z) − y，在错误的一侧不会衰减，这就是交叉熵训练 sigmoid 分类器"
        "比平方误差更快的原因。",
    ),
    "activations.lossexplain.hinge": (
        "max(0, 1 − t·s) with labels t = ±1, as in a support vector machine. Once the score is on the right side "
        "with a margin of at least 1 (t·s ≥ 1) the loss is exactly 0: well-classified examples stop contributing "
        "any gradient. Otherwise the gradient is the constant −t.",
        "max(0, 1 − t·s)，标签 t = ±1，与支持向量机相同。一旦分数落在正确一侧且间隔至少为 1（t·s ≥ 1），损失恰好"
        "为 0：已经分对的样本不再贡献任何梯度。否则梯度是常数 −t。",
    ),
    "activations.lossexplain.ce": (
        "Cross-entropy over three classes A, B and C after a softmax. The chart varies the score z of class A "
        "with the other two scores at 0. If the target is A, raising z lowers the loss; if it is B or C, raising "
        "z raises it. The gradient is softmax(z)_A − [target = A]: the predicted probability of A minus the "
        "true one.",
        "在 softmax 之后对 A、B、C 三个类别计算交叉熵。图中改变类别 A 的分数 z，另外两个分数固定为 0。目标是 A "
        "时，提高 z 会降低损失；目标是 B 或 C 时，提高 z 会增大损失。梯度等于 softmax(z)_A − [目标 = A]：A 的"
        "预测概率减去真实概率。",
    ),
}
