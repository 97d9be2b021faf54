"""Read a Keras HDF5 file's metadata in a child process: `python -I h5_child.py PATH [MEMBER]`.

Prints one JSON object: the root attributes (keras_version, backend, model_config, ...) and every
dataset's path, dtype and shape. Values are never read. It runs apart from tfshift because the
HDF5 library parses damaged files in C: a crash or a hang there costs this child, not the caller.
MEMBER names a file inside the zip at PATH (a .keras file's model.weights.h5).
"""
import json
import sys
import zipfile

MAX_DATASETS = 200000
MAX_ATTRIBUTE = 8 << 20  # bytes of one attribute (model_config): modelguard.MAX_JSON_BYTES


def text(value):
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, list):
        return [text(v) for v in value]
    return value if isinstance(value, (str, int, float, bool)) or value is None else str(value)


def describe(handle):
    import h5py

    datasets = []

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            if len(datasets) >= MAX_DATASETS:
                return True
            datasets.append([name, str(obj.dtype), list(obj.shape) if obj.shape is not None else None])
        return None

    with h5py.File(handle, "r") as fh:
        for key in fh.attrs:
            size = fh.attrs.get_id(key).get_storage_size()
            if size > MAX_ATTRIBUTE:
                raise ValueError(f"its {key} attribute is {size >> 20} MB, past the "
                                 f"{MAX_ATTRIBUTE >> 20} MB tfshift reads (a damaged or hostile file?)")
        attrs = {key: text(fh.attrs[key]) for key in fh.attrs}
        fh.visititems(visit)
    return {"attrs": attrs, "datasets": datasets}


def main(argv):
    path = argv[0]
    try:
        if len(argv) > 1:
            with zipfile.ZipFile(path) as zf, zf.open(argv[1]) as member:
                result = describe(member)
        else:
            result = describe(path)
    except Exception as exc:  # h5py raises OSError, KeyError, ValueError, RuntimeError...
        first = str(exc).splitlines()[0] if str(exc) else ""
        result = {"error": f"{type(exc).__name__}: {first}"}
    sys.stdout.write(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
