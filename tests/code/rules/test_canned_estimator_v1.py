from functools import partial

import pytest

from tests.code import tools

check = partial(tools.check, select=["TFE002"], target="2.15")
check_noop = partial(tools.check_noop, select=["TFE002"], target="2.15")
TF = "import tensorflow as tf\n"


@pytest.mark.parametrize(("before", "after"), [
    pytest.param(TF + "e = tf.estimator.DNNClassifier(hidden_units=[8], feature_columns=cols)\n",
                 TF + "e = tf.compat.v1.estimator.DNNClassifier(hidden_units=[8], feature_columns=cols)\n",
                 id="classifier: TF1's loss_reduction SUM"),
    pytest.param(TF + "e = tf.estimator.LinearRegressor(cols, optimizer=tf.train.FtrlOptimizer(0.1))\n",
                 TF + "e = tf.compat.v1.estimator.LinearRegressor(cols, optimizer=tf.train.FtrlOptimizer(0.1))\n",
                 id="regressor with a TF1 optimizer"),
    pytest.param(TF + "e = tf.estimator.BaselineClassifier(n_classes=3)\n",
                 TF + "e = tf.compat.v1.estimator.BaselineClassifier(n_classes=3)\n", id="baseline"),
    pytest.param("from tensorflow.estimator import DNNLinearCombinedRegressor\n",
                 "from tensorflow.compat.v1.estimator import DNNLinearCombinedRegressor\n", id="from-import"),
    pytest.param(TF + "e = tf.estimator.DNNEstimator(head, [8], cols, optimizer='Adam')\n",
                 TF + "e = tf.compat.v1.estimator.DNNEstimator(head, [8], cols, optimizer='Adam')\n",
                 id="headed estimator with an optimizer"),
    pytest.param(TF + "e = tf.estimator.LinearEstimator(head, cols, input_layer_partitioner=p)\n",
                 TF + "e = tf.compat.v1.estimator.LinearEstimator(head, cols, input_layer_partitioner=p)\n",
                 id="headed estimator with a partitioner"),
])
def test_fixes(before, after):
    check(before, after)


def test_message_names_the_loss_reduction_change_and_fix_needs_from():
    src = TF + "e = tf.estimator.DNNRegressor(hidden_units=[8], feature_columns=cols)\n"
    [message] = tools.messages(src, select=["TFE002"], target="2.15")
    assert "loss_reduction" in message and "SUM_OVER_BATCH_SIZE" in message
    assert tools.found(src, select=["TFE002"], target="2.15", source_known=False) == [("TFE002", 2, 5, "unsafe")]


@pytest.mark.parametrize(("src", "options"), [
    pytest.param(TF + "e = tf.estimator.DNNEstimator(head, [8], cols)\n", {}, id="headed, nothing changed"),
    pytest.param(TF + "e = tf.compat.v1.estimator.DNNClassifier([8], cols)\n", {}, id="compat.v1 already"),
    pytest.param(TF + "e = tf.estimator.Estimator(model_fn)\n", {}, id="custom Estimator"),
    pytest.param(TF + "e = tf.estimator.DNNClassifier([8], cols)\n", {"source": "2.0"}, id="TF2 source"),
])
def test_noop(src, options):
    check_noop(src, **options)
