"""Offline stand-ins the notebook harness (tools/keras3_notebooks.py) puts beside each notebook.

Imported first by both sides of a comparison (TF 2.15 with Keras 2, TF 2.21 with Keras 3), so
whatever it changes, it changes alike on both. It runs in tfshift's worker environments:
standard library, NumPy and TensorFlow only (plus what the notebook itself imports).

- Datasets: this machine reaches no dataset server, so `keras.datasets.*.load_data` and
  scikit-learn's `fetch_california_housing` return deterministic synthetic arrays of the real
  shapes and dtypes (fewer samples), with labels the inputs predict, so that training learns.
- `Model.fit(shuffle=True)` (Keras's default) becomes `shuffle=False`: Keras 2 and Keras 3 draw
  different permutations from the same seed, so the batches would differ.
- `Dropout` is the identity: Keras 3 draws its masks with stateless ops, Keras 2 with stateful
  ones; the masks differ whatever the seed.
- `Model.summary()` prints the parameter count only: Keras 3's table has other numbers (sizes
  in bytes) than Keras 2's.
- `keras.utils.plot_model` draws nothing: it needs Graphviz, which the environments lack, and
  its picture holds no number.
- `_tfshift_show(value)` prints what a notebook cell's last expression would have displayed,
  when it is a number, an array or a tensor (objects and plots are not printed).
"""

import os

import numpy as np

os.environ.setdefault("MPLBACKEND", "Agg")

# The real counts (notebooks reshape to them); the tests ask for fewer.
N_IMAGES, N_IMAGES_TEST = (int(n) for n in os.environ.get("KERAS3_NOTEBOOKS_IMAGES", "60000,10000").split(","))
N_TEXTS, N_TEXTS_TEST = 10500, 1000  # notebooks hold out x_train[:10000] for validation


def _images(rs, protos, n, label_shape=()):
    labels = rs.randint(0, len(protos), size=n)
    noise = rs.normal(0.0, 90.0, size=(n,) + protos.shape[1:])
    x = np.clip(protos[labels] * 0.5 + noise + 64, 0, 255).astype("uint8")
    return x, labels.astype("uint8").reshape((n,) + label_shape)


def _image_data(shape, classes, seed, label_shape=()):
    """Noisy copies of one random prototype per class, train and test alike: learnable, not
    trivially (a model that reaches zero loss turns float rounding into Adam steps)."""
    def load_data(*args, **kwargs):
        rs = np.random.RandomState(seed)
        protos = rs.randint(0, 256, size=(classes,) + shape)
        return (_images(rs, protos, N_IMAGES, label_shape),
                _images(rs, protos, N_IMAGES_TEST, label_shape))
    return load_data


def _texts(rs, n, classes, num_words, maxlen):
    num_words = num_words or 10000
    top = rs.randint(4, num_words, size=(classes, 30))  # words each class uses more
    labels = rs.randint(0, classes, size=n)
    sequences = []
    for label in labels:
        length = rs.randint(20, maxlen or 200)
        common = rs.randint(4, num_words, size=length)
        marked = rs.rand(length) < 0.3
        words = np.where(marked, top[label][rs.randint(0, 30, size=length)], common)
        sequences.append([1] + [int(w) for w in words])
    x = np.empty(n, dtype=object)
    x[:] = sequences
    return x, labels.astype("int64")


def _text_data(classes, seed, n_train, n_test):
    def load_data(path=None, num_words=None, skip_top=0, maxlen=None, *args, **kwargs):
        rs = np.random.RandomState(seed)
        return (_texts(rs, n_train, classes, num_words, maxlen),
                _texts(rs, n_test, classes, num_words, maxlen))
    return load_data


def _word_index(*args, **kwargs):
    return {"w%d" % i: i for i in range(1, 10001)}


def _boston(*args, **kwargs):
    rs = np.random.RandomState(13)
    coef = rs.normal(size=13)
    scale = rs.uniform(0.5, 100.0, size=13)

    def part(n):
        x = rs.normal(size=(n, 13)) * scale + scale
        y = 22.0 + (x / scale - 1.0) @ coef * 3.0 + rs.normal(0, 1.0, size=n)
        return x.astype("float64"), np.clip(y, 5.0, 50.0).astype("float64")
    return part(404), part(102)


def _california(*args, **kwargs):
    from types import SimpleNamespace
    rs = np.random.RandomState(8)
    n = 2000
    x = rs.normal(size=(n, 8)) * [1.9, 12.6, 2.5, 0.5, 1132.0, 10.4, 2.1, 2.0] + [
        3.9, 28.6, 5.4, 1.1, 1425.0, 3.1, 35.6, -119.6]
    y = np.clip(2.0 + (x - x.mean(0)) / x.std(0) @ rs.normal(0, 0.5, size=8)
                + rs.normal(0, 0.3, size=n), 0.15, 5.0)
    names = ["MedInc", "HouseAge", "AveRooms", "AveBedrms", "Population", "AveOccup",
             "Latitude", "Longitude"]
    if kwargs.get("return_X_y"):
        return x, y
    return SimpleNamespace(data=x, target=y, feature_names=names, target_names=["MedHouseVal"],
                           DESCR="synthetic stand-in for the California housing data")


DATASETS = {
    "mnist": {"load_data": _image_data((28, 28), 10, 1)},
    "fashion_mnist": {"load_data": _image_data((28, 28), 10, 2)},
    "cifar10": {"load_data": _image_data((32, 32, 3), 10, 3, (1,))},
    "imdb": {"load_data": _text_data(2, 4, N_TEXTS, N_TEXTS_TEST), "get_word_index": _word_index},
    "reuters": {"load_data": _text_data(46, 5, 2000, 500), "get_word_index": _word_index},
    "boston_housing": {"load_data": _boston},
}


def _keras_roots():
    import tensorflow as tf
    roots = []
    try:
        roots.append(tf.keras)
    except Exception:
        pass
    try:
        import keras
        roots.append(keras)
    except Exception:
        pass
    return roots


def _patch_datasets(root):
    for name, functions in DATASETS.items():
        try:
            module = getattr(root.datasets, name)
        except Exception:
            continue
        for function, value in functions.items():
            setattr(module, function, value)


def _patch_model(root):
    model = root.Model
    if getattr(model.fit, "_tfshift_shim", False):
        return
    fit, summary = model.fit, model.summary

    def shim_fit(self, *args, **kwargs):
        kwargs["shuffle"] = False
        return fit(self, *args, **kwargs)

    def shim_summary(self, *args, **kwargs):
        try:
            print("Total params:", self.count_params())
        except Exception:
            print("Total params: (not built)")

    shim_fit._tfshift_shim = True
    model.fit, model.summary = shim_fit, shim_summary
    dropout = root.layers.Dropout

    def identity(self, inputs, training=None):
        return inputs
    dropout.call = identity


def _patch_plot_model(root):
    def plot_model(*args, **kwargs):
        return None
    utils = getattr(root, "utils", None)
    if utils is not None:
        utils.plot_model = plot_model


def _patch_sklearn():
    try:
        import sklearn.datasets as datasets
    except Exception:
        return
    datasets.fetch_california_housing = _california


def _tfshift_show(value):
    """What a notebook displays for a cell's last expression, when it is numbers."""
    if value is None or isinstance(value, (str, bytes, bool)):
        return
    if hasattr(value, "numpy") and callable(value.numpy):
        try:
            value = value.numpy()
        except Exception:
            return
    if isinstance(value, (int, float, np.number, np.ndarray)):
        print(value)
    elif isinstance(value, (list, tuple)) and value and all(
            isinstance(v, (int, float, np.number)) for v in value):
        print(value)


for _root in _keras_roots():
    _patch_datasets(_root)
    _patch_model(_root)
    _patch_plot_model(_root)
_patch_sklearn()
