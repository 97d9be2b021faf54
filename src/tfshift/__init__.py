"""tfshift: move TensorFlow code and models across TensorFlow versions.

The host process never imports TensorFlow: TensorFlow lives in managed environments
(``tfshift env``) and runs in worker processes (``tfshift.Runtime``).
"""

__version__ = "0.1.0"

__all__ = ["ModelLoadError", "Runtime", "WorkerError", "__version__", "verify_code"]


def __getattr__(name):
    # The runtime is imported on first use, so `import tfshift` and the CLI stay fast.
    if name in ("Runtime", "ModelLoadError", "WorkerError"):
        from tfshift import runtime

        return getattr(runtime, name)
    if name == "verify_code":
        from tfshift.verifycode import verify_code

        return verify_code
    raise AttributeError(f"module 'tfshift' has no attribute {name!r}")
