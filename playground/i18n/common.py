"""Text shared by every page: navigation, language, config errors, statuses."""

TEXT = {
    "app.title": ("Neural Playground", "神经网络游乐场"),
    "app.language": ("Language", "语言"),
    "nav.playground": ("Playground", "游乐场"),
    "nav.lessons": ("Lessons", "课程实验"),
    "nav.backprop": ("Backpropagation", "反向传播"),
    "nav.optimizers": ("Optimizers", "优化器"),
    "nav.activations": ("Activations & losses", "激活函数与损失函数"),
    "nav.sweep": ("Sweeps", "超参数扫描"),
    "nav.section.build": ("Build and train", "搭建与训练"),
    "nav.section.learn": ("Learn how it works", "理解原理"),
    "error.config": ("{key}: {value} is not allowed; expected {allowed}.",
                     "{key}：不允许取值 {value}；应为 {allowed}。"),
    "warning.url_skipped": ("Ignored a value in the link — {message}",
                            "已忽略链接中的一个值——{message}"),
    "status.running": ("running", "训练中"),
    "status.done": ("done", "已完成"),
    "status.diverged": ("diverged", "已发散"),
    "status.stopped": ("stopped", "已停止"),
}
