"""Text of the "Optimizers on a loss surface" page."""

TEXT = {
    "optimizers.title": ("Optimizers on a loss surface", "损失曲面上的优化器"),
    "optimizers.intro": (
        "Gradient descent walks downhill: $\\theta \\leftarrow \\theta - \\alpha\\,\\nabla J(\\theta)$. At every "
        "step the parameters θ = (x, y) move against the gradient of the loss J, scaled by the learning "
        "rate α. Pick a surface and a start point, choose "
        "some optimizers and press play: they all leave from the same point, each with its own colour.",
        "梯度下降就是沿着下坡走：$\\theta \\leftarrow \\theta - \\alpha\\,\\nabla J(\\theta)$。"
        "每一步都让参数 θ = (x, y) 逆着损失 J 的梯度方向移动，步长由学习率 α 决定。"
        "选择一个曲面和起点，挑几个优化器，然后点击播放：它们从同一个点出发，每个优化器一种颜色。",
    ),
    "optimizers.surface": ("Loss surface", "损失曲面"),
    "optimizers.surface.bowl": ("Round bowl", "圆碗"),
    "optimizers.surface.ravine": ("Ravine (ill-conditioned)", "狭长山谷（病态）"),
    "optimizers.surface.rosenbrock": ("Rosenbrock's banana valley", "Rosenbrock 香蕉形山谷"),
    "optimizers.surface.beale": ("Beale", "Beale 函数"),
    "optimizers.surface.saddle": ("Saddle point", "鞍点"),
    "optimizers.surface.himmelblau": ("Himmelblau (four minima)", "Himmelblau（四个极小值）"),
    "optimizers.note.bowl": (
        "Every direction curves the same way, so the gradient points straight at the minimum and every "
        "optimizer gets there. A baseline for the others.",
        "各个方向的弯曲程度相同，梯度直指最小值，每个优化器都能到达。可作为其他曲面的对照。",
    ),
    "optimizers.note.ravine": (
        "The valley is 1000 times more curved across (y) than along (x). Plain gradient descent needs "
        "α < 2/20 = 0.1 or it diverges; just below that it zig-zags across the valley and crawls along it. "
        "Momentum with α = 0.02, β = 0.99 keeps its speed along the floor and gets much closer in the same "
        "number of steps.",
        "山谷横向（y）的弯曲程度是纵向（x）的 1000 倍。普通梯度下降需要 α < 2/20 = 0.1，否则会发散；"
        "略小于这个值时，它在山谷两壁之间来回折返，沿谷底却走得很慢。动量法取 α = 0.02、β = 0.99 时，"
        "沿谷底不断积累速度，在同样的步数内离最小值近得多。",
    ),
    "optimizers.note.rosenbrock": (
        "A curved, almost flat valley shaped like a banana. Reaching the valley floor is quick; following "
        "it to the minimum at (1, 1) is slow.",
        "一条弯曲、几乎平坦的香蕉形山谷。落到谷底很快，但沿着谷底走到 (1, 1) 的最小值很慢。",
    ),
    "optimizers.note.beale": (
        "Flat plateaus and very steep walls near the corners: the size of the gradient changes by many "
        "orders of magnitude, which is hard for a single fixed learning rate.",
        "平坦的高原和角落附近极陡的山壁：梯度大小相差好几个数量级，单一固定的学习率很难兼顾。",
    ),
    "optimizers.note.saddle": (
        "The start sits almost on the ridge through the saddle point at the origin, where the slope along y "
        "is nearly zero. Plain gradient descent lingers there; adaptive optimizers rescale the tiny gradient "
        "and roll off into a valley much sooner.",
        "起点几乎位于经过原点鞍点的山脊上，那里沿 y 方向的坡度几乎为零。普通梯度下降会在那里徘徊；"
        "自适应优化器会放大这个微小的梯度，更快地滑进某个山谷。",
    ),
    "optimizers.note.himmelblau": (
        "Four minima of equal height. Which one a run ends in depends on the start and on the optimizer: "
        "momentum can carry a run past the nearest valley into another one.",
        "四个高度相同的极小值。最终落入哪一个取决于起点和优化器：动量可能带着它冲过最近的山谷，进入另一个。",
    ),
    "optimizers.start": ("Start point", "起点"),
    "optimizers.start_hint": ("…or click anywhere on the map.", "……或直接在图上点击。"),
    "optimizers.pick": ("Optimizers", "优化器"),
    "optimizers.pick_none": ("Pick at least one optimizer to start a race.", "请至少选择一个优化器来开始比赛。"),
    "optimizers.settings": ("Settings of {name}", "{name} 的设置"),
    "optimizers.knob.learning_rate": ("Learning rate α", "学习率 α"),
    "optimizers.knob.momentum": ("Momentum μ", "动量系数 μ"),
    "optimizers.knob.beta1": ("β₁ (average of gradients)", "β₁（梯度的平均）"),
    "optimizers.knob.beta2": ("β₂ (average of squared gradients)", "β₂（梯度平方的平均）"),
    "optimizers.knob.rho": ("ρ (average of squared gradients)", "ρ（梯度平方的平均）"),
    "optimizers.knob.weight_decay": ("Weight decay λ", "权重衰减 λ"),
    "optimizers.max_steps": ("Steps in the race", "比赛步数"),
    "optimizers.speed": ("Steps per frame", "每帧步数"),
    "optimizers.speed_help": (
        "How many optimizer steps are taken between two pictures while playing.",
        "播放时两帧画面之间执行多少步优化。",
    ),
    "optimizers.play": ("Play", "播放"),
    "optimizers.pause": ("Pause", "暂停"),
    "optimizers.step": ("Step", "单步"),
    "optimizers.reset": ("Reset", "重置"),
    "optimizers.progress": ("Step {step} of {total}", "第 {step} 步，共 {total} 步"),
    "optimizers.finished": ("The race is over.", "比赛结束。"),
    "optimizers.col.optimizer": ("Optimizer", "优化器"),
    "optimizers.col.status": ("Status", "状态"),
    "optimizers.col.loss": ("J", "J"),
    "optimizers.col.position": ("Position", "位置"),
    "optimizers.col.distance": ("Distance to nearest minimum", "到最近极小值的距离"),
    "optimizers.status.running": ("moving", "前进中"),
    "optimizers.status.arrived": ("at a minimum", "已到达极小值"),
    "optimizers.status.diverged": ("diverged at step {step}", "在第 {step} 步发散"),
    "optimizers.diverged_hint": (
        "A diverged run overshoots the valley, lands higher on the far side, where the slope is even "
        "steeper, and overshoots further each step. Lower its learning rate.",
        "发散的优化器一步迈过了山谷，落在对面更高、更陡的地方，于是下一步迈得更远。请调小它的学习率。",
    ),
    "optimizers.bad_knobs": ("This setting cannot be used: {message}", "该设置无法使用：{message}"),
    "optimizers.rules": ("How each optimizer updates θ", "各优化器如何更新 θ"),
    "optimizers.rules_intro": (
        "g = ∇J(θ) is the gradient at the current point; these are the exact updates torch.optim performs.",
        "g = ∇J(θ) 是当前点的梯度；下面是 torch.optim 实际执行的更新公式。",
    ),
    "optimizers.try": ("Things to try", "动手试一试"),
    "optimizers.try_text": (
        "- **Ravine:** raise SGD's learning rate from 0.09 to 0.11 and watch it diverge; momentum with "
        "α = 0.02 and β = 0.99 in effect takes steps far larger than 0.1 and still converges.\n"
        "- **Ravine:** compare momentum with Nesterov: same α and β, but Nesterov looks ahead before it "
        "steps and stops bouncing between the walls.\n"
        "- **Saddle point:** count how many steps SGD spends near the origin before it leaves.\n"
        "- **Himmelblau:** click different start points: each lands in one of four valleys.\n"
        "- **Bowl:** set SGD's α to 1 (one step to the minimum), then 2.1 (divergence).",
        "- **狭长山谷：**把 SGD 的学习率从 0.09 调到 0.11，观察它发散；动量法取 α = 0.02、β = 0.99，"
        "实际步长远大于 0.1，却仍能收敛。\n"
        "- **狭长山谷：**比较动量法与 Nesterov 动量：α 和 β 相同，但 Nesterov 先“向前看”再迈步，"
        "不再在两壁之间来回弹跳。\n"
        "- **鞍点：**数一数 SGD 在原点附近停留了多少步才离开。\n"
        "- **Himmelblau：**点击不同的起点：每次都会落入四个山谷之一。\n"
        "- **圆碗：**把 SGD 的 α 设为 1（一步到达最小值），再设为 2.1（发散）。",
    ),
    "optimizers.name.sgd": ("SGD", "SGD"),
    "optimizers.name.momentum": ("Momentum", "动量"),
    "optimizers.name.nesterov": ("Nesterov", "Nesterov 动量"),
    "optimizers.name.adagrad": ("AdaGrad", "AdaGrad"),
    "optimizers.name.rmsprop": ("RMSprop", "RMSprop"),
    "optimizers.name.adam": ("Adam", "Adam"),
    "optimizers.name.adamw": ("AdamW", "AdamW"),
    "optimizers.fig.minimum": ("minimum", "极小值"),
    "optimizers.fig.saddle": ("saddle point", "鞍点"),
    "optimizers.fig.start": ("start", "起点"),
    "optimizers.fig.step": ("step", "步数"),
    "optimizers.fig.loss_gap": ("J − J(minimum)", "J − J(极小值)"),
    "optimizers.fig.diverged_at": ("diverged at step {step}", "第 {step} 步发散"),
    "optimizers.fig.click_hint": ("click: start here", "点击：从这里出发"),
}
