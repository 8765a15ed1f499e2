"""Neural Playground's engine: datasets, networks, training, inspection and figures (no streamlit)."""

from playground.config import Config, ConfigError, Layer

__all__ = ["Config", "ConfigError", "Layer"]
__version__ = "0.1.0"
