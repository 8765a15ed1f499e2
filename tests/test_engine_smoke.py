"""First checks of the engine: it imports without streamlit and learns the default experiment."""

import subprocess
import sys

from playground.config import Config
from playground.training import Trainer


def test_playground_never_imports_streamlit():
    code = "import sys, playground, playground.training, playground.inspection, playground.presets; " \
           "import playground.__main__; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_default_experiment_learns_circle():
    trainer = Trainer(Config(epochs=60))
    first = trainer.snapshot()
    last = trainer.run(60)
    assert last.train_loss < first.train_loss * 0.2
    assert last.test_accuracy >= 0.95
