from tests.code import tools


def test_saver_format_kept():
    tools.check("import tensorflow as tf\ne = tf.keras.estimator.model_to_estimator(keras_model=m)\n",
                "import tensorflow as tf\ne = tf.keras.estimator.model_to_estimator(keras_model=m, "
                "checkpoint_format=\"saver\")\n", select=["TFE004"], target="2.15")


def test_given_format_left_alone():
    tools.check_noop("import tensorflow as tf\ne = tf.keras.estimator.model_to_estimator(m, checkpoint_format='checkpoint')\n",
                     select=["TFE004"], target="2.15")
