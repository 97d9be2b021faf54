from tests.code import tools

EST = "import tensorflow as tf\nest = tf.estimator.Estimator(model_fn)\n"


def test_renamed():
    tools.check(EST + "est.export_savedmodel('out', serving_fn)\n",
                EST + "est.export_saved_model('out', serving_fn)\n", select=["TFE003"], target="2.15")


def test_strip_default_attrs_is_unsafe():
    src = EST + "est.export_savedmodel('out', serving_fn, strip_default_attrs=True)\n"
    assert tools.found(src, select=["TFE003"], target="2.15") == [("TFE003", 3, 1, "unsafe")]
    tools.check(src, EST + "est.export_saved_model('out', serving_fn)\n", select=["TFE003"], target="2.15",
                unsafe=True)


def test_not_tensorflow_code_is_left_alone():
    tools.check_noop("thing.export_savedmodel('out')\n", select=["TFE003"], target="2.15")
