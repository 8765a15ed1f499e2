"""Named experiments a teacher reaches for: TF Playground's default and the classic lessons."""

from __future__ import annotations

from playground.config import Config, Layer


def _layers(spec: str) -> list[Layer]:
    out = []
    for token in spec.split(","):
        units, act = token.split(":")
        out.append(Layer(int(units), act))
    return out


# name -> (one-line description, changes from the default config)
PRESETS: dict[str, tuple[str, dict]] = {
    "tf-default": ("TF Playground's opening setup: circle, 4-2 tanh, SGD 0.03, batch 10", {}),
    "xor-no-hidden": ("XOR with no hidden layer: a line cannot separate it",
                      dict(dataset="xor", layers=[], epochs=300)),
    "xor-hidden": ("XOR with one hidden layer of 4 tanh neurons solves it",
                   dict(dataset="xor", layers=_layers("4:tanh"), epochs=300)),
    "xor-cross": ("XOR with the feature x1x2 alone: a linear model succeeds",
                  dict(dataset="xor", features=["x1x2"], layers=[], epochs=100)),
    "circle-squares": ("Circle with x1² and x2²: no hidden layer needed",
                       dict(dataset="circle", features=["x1sq", "x2sq"], layers=[], epochs=200)),
    "spiral-deep": ("Spiral with a deep network of 6 x 8 tanh",
                    dict(dataset="spiral", layers=_layers(",".join(["8:tanh"] * 6)), epochs=1000)),
    "spiral-features": ("Spiral with all seven features and 2 hidden layers",
                        dict(dataset="spiral", features=["x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2"],
                             layers=_layers("8:tanh,8:tanh"), epochs=1000)),
    "lr-too-high": ("Learning rate 10 with ReLU on the plane: it diverges",
                    dict(dataset="plane", problem="regression", layers=_layers("8:relu,8:relu"),
                         learning_rate=3.0, epochs=50)),
    "overfit": ("Few, noisy training points and a big network: it overfits",
                dict(dataset="gauss", noise=50, train_percent=10, n_samples=200,
                     layers=_layers("8:relu,8:relu,8:relu"), learning_rate=0.03, epochs=600)),
    "overfit-l2": ("The same with L2 regularisation 0.03: a calmer boundary",
                   dict(dataset="gauss", noise=50, train_percent=10, n_samples=200,
                        layers=_layers("8:relu,8:relu,8:relu"), learning_rate=0.03, epochs=600,
                        regularization="l2", regularization_rate=0.03)),
    "l1-sparse": ("L1 on all seven features: unneeded weights go to exactly 0",
                  dict(dataset="circle", features=["x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2"],
                       layers=_layers("4:tanh"), regularization="l1", regularization_rate=0.01, epochs=400)),
    "deep-sigmoid": ("Eight sigmoid layers: the gradients vanish on the way back",
                     dict(dataset="circle", layers=_layers(",".join(["8:sigmoid"] * 8)), epochs=200)),
    "zero-init": ("Zero initialisation: hidden neurons stay identical",
                  dict(dataset="circle", init="zeros", layers=_layers("4:tanh,4:tanh"), epochs=200)),
    "adam-spiral": ("Adam on the spiral: fast progress where SGD crawls",
                    dict(dataset="spiral", layers=_layers("8:relu,8:relu,8:relu"), optimizer="adam",
                         learning_rate=0.01, loss="bce", init="he_uniform", epochs=500)),
    "blobs": ("Four blobs with a softmax output and cross-entropy",
              dict(dataset="blobs", n_classes=4, loss="ce", layers=_layers("8:relu"), init="he_uniform",
                   optimizer="adam", learning_rate=0.01, epochs=200)),
    "regression-multigauss": ("Regression on six bumps",
                              dict(dataset="multigauss", problem="regression", layers=_layers("8:tanh,8:tanh"),
                                   epochs=500)),
}


def preset(name: str) -> Config:
    """The preset's config; KeyError names the known presets."""
    if name not in PRESETS:
        raise KeyError(f"unknown preset {name!r}; known: {', '.join(PRESETS)}")
    return Config().evolve(**PRESETS[name][1])
