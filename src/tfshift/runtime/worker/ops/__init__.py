"""The worker's operations. Each module here registers its own with `registry.operation`.

To add operations: write a module in this folder and import it below (worker code: Python 3.7,
standard library, NumPy and TensorFlow only).
"""
from ..registry import OPS
from . import basic, convert_graph, convert_keras, kerasclasses, models, oplist

__all__ = ["OPS", "basic", "convert_graph", "convert_keras", "kerasclasses", "models", "oplist"]
