"""`tfshift convert`: a TF1 graph, checkpoint or SavedModel, or a Keras 2 model, rewritten for a
newer TensorFlow (a TF2 SavedModel) or for Keras 3 (a `.keras` of real Keras 3 layers).

    from tfshift.models.convert import convert
    result = convert("model.pb", "converted/", target="2.21", verify=True)

The front function lives in front.py and is imported on first use: the CLI looks this package
up at start-up, which must stay cheap (no NumPy, no runtime).
"""

__all__ = ["ConvertError", "ConvertResult", "convert"]


def __getattr__(name):
    if name in __all__:
        from tfshift.models.convert import front

        return getattr(front, name)
    raise AttributeError(f"module 'tfshift.models.convert' has no attribute {name!r}")
