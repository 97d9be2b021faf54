"""Which sink ops of a TF1 graph are its results, shared by the worker and the host.

A graph's outputs are its sink ops that compute something; saving, restoring, initialising,
training and logging ops are bookkeeping. The worker uses this to pick a graph's outputs, and
the host (tfshift inspect, which never imports TensorFlow) to describe the same graph the same
way. Plain Python 3.7, no imports.
"""
import re

NOT_OUTPUTS = frozenset([
    "NoOp", "Const", "Placeholder", "PlaceholderWithDefault", "Assert", "Print", "PrintV2",
    "Assign", "AssignAdd", "AssignSub", "AssignVariableOp", "AssignAddVariableOp",
    "AssignSubVariableOp", "VariableV2", "Variable", "VarHandleOp", "VarIsInitializedOp",
    "IsVariableInitialized", "MergeV2Checkpoints", "InitializeTableV2", "InitializeTableFromTextFileV2", "MergeSummary", "WriteScalarSummary",
    "Shape", "ShapeN", "Size", "Rank",  # the shape of something: left behind by asserts, not a result
])
VARIABLE_OPS = frozenset(["VariableV2", "Variable", "VarHandleOp", "AutoReloadVariable"])
READS = frozenset(["Identity", "ReadVariableOp", "Snapshot"])
# Optimizer state: slots (dense/kernel/Adam_1) and accumulators (beta1_power).
OPTIMIZER_STATE = re.compile(
    r"(^|/)(Adam|Adam_\d+|Momentum|RMSProp|RMSProp_\d+|Adagrad|AdagradDA|Ftrl|Ftrl_\d+|Adadelta|"
    r"Adadelta_\d+|Nadam|beta1_power|beta2_power|ExponentialMovingAverage)(/|$)")
NOT_OUTPUT_PREFIXES = ("Apply", "ResourceApply", "Save", "Restore")
NOT_OUTPUT_SCOPES = re.compile(
    r"^(save(_\d+)?|init(_\d+)?|init_all_tables|report_uninitialized_\w+|gradients(_\d+)?|"
    r"global_step|summaries|train(_op)?)(/|$)")
NO_DATA = ("resource", "variant")  # tensors that carry no values to compare


def is_result(op_type, name, input_types=()):
    """True when a sink op of this type and name (whose inputs are ops of `input_types`) is one
    of the graph's results: not bookkeeping, not a bare read of a variable or optimizer slot."""
    if op_type in NOT_OUTPUTS:
        return False
    if op_type.startswith(NOT_OUTPUT_PREFIXES) or op_type.endswith("Summary"):
        return False
    if op_type in READS and input_types and input_types[0] in VARIABLE_OPS:
        return False  # dense/kernel/read: a variable's value, unused by the model
    return not NOT_OUTPUT_SCOPES.match(name) and not OPTIMIZER_STATE.search(name)


def trains(op_types):
    """A training graph: it holds an optimizer's update ops."""
    return any(t.startswith(("Apply", "ResourceApply")) for t in op_types)


def training_outputs(outputs):
    """Of a training graph's result tensors [(name, rank or None)], the model's outputs: the
    ones that are not scalar metrics (loss, accuracy) when there are such. (kept, left out)."""
    kept = [name for name, rank in outputs if rank != 0]
    if not kept:
        return [name for name, _ in outputs], []
    return kept, [name for name, rank in outputs if rank == 0]
