"""Variables shared by scope name (TF1 `variable_scope(reuse=True / tf.AUTO_REUSE)`, shared
towers) as TensorFlow 2 objects made once.

In a file that shares by name, the variables and layers families write every `get_variable`
and `tf.layers` call with weights as a look-up in one module-level registry, `tf1_scopes`, keyed
by the TF1 name the call had (its variable scopes' names, then its own):

    with tf.variable_scope("tower", reuse=tf.AUTO_REUSE):      with tf1_scopes.scope("tower"):
        w = tf.get_variable("w", [3, 3])               ->          w = tf1_scopes.get("w", lambda: tf.Variable(...))
        h = tf.layers.dense(x, 4)                                  h = tf1_scopes.layer(None, "dense", lambda: keras.layers.Dense(4))(x)

The first call makes the variable (or layer) with TF1's initial value; later calls under the
same TF1 name get the same object, which is what TF1's reuse returned. A program TF1 ran never
asks twice for a name it did not share (TF1 raised "already exists"), so the registry changes no
number. Default layer names follow TF1's rule (`dense`, `dense_1`, ... counted afresh each time
a scope is entered), so a tower called twice under a reused scope finds its layers again.
`tf1_scopes.variables()` maps TF1 checkpoint names to the variables (graph programs' generated
`tf1_variables()` includes it).

The registry class is written once into the file (HELPER), after its imports.
"""

from __future__ import annotations

import ast

from tfshift.native.family import Edit, Unit

REGISTRY = "tf1_scopes"
CLASS = "TF1Scopes"

HELPER = '''\
class TF1Scopes:
    """TF1's variable scopes for what this module shares by name (tfshift upgrade --native,
    docs/native.md): a variable or layer is made the first time its TF1 name is asked for, and
    the same object is returned afterwards, as variable_scope(reuse=...) returned it."""

    def __init__(self):
        self.made = {{}}  # TF1 name -> tf.Variable or Keras layer
        self.path = []  # the names of the scopes open now
        self.counts = [{{}}]  # per open scope: names entered in it (TF1's default layer names)

    def scope(self, name):
        return _TF1Scope(self, name)

    def get(self, name, make):
        key = "/".join([*self.path, name])
        if key not in self.made:
            self.made[key] = make()
        return self.made[key]

    def layer(self, name, base, make):
        counts = self.counts[-1]
        if name is None:  # TF1's variable_scope(default_name=base): base, base_1, ...
            name, index = base, 0
            while counts.get(name):
                index += 1
                name = f"{{base}}_{{index}}"
        counts[name] = counts.get(name, 0) + 1
        return self.get(name, make)

    def variables(self):
        """TF1 checkpoint names -> variables."""
        found = {{}}
        for name, made in self.made.items():
            if isinstance(made, {tf}.Variable):
                found[name] = made
            else:
                found.update({{f"{{name}}/{{v.name}}": v for v in made.weights}})
        return found

    def trainable_variables(self):
        return [v for v in self.variables().values() if v.trainable]


class _TF1Scope:
    def __init__(self, scopes, name):
        self.scopes, self.name = scopes, name
        self.name_scope = {tf}.name_scope(name)

    def __enter__(self):
        counts = self.scopes.counts[-1]
        counts[self.name] = counts.get(self.name, 0) + 1
        self.scopes.path.append(self.name)
        self.scopes.counts.append({{}})
        return self.name_scope.__enter__()

    def __exit__(self, *exc):
        self.scopes.path.pop()
        self.scopes.counts.pop()
        return self.name_scope.__exit__(*exc)


tf1_scopes = TF1Scopes()
'''


def defined(unit: Unit) -> bool:
    """Whether the file has the registry already (a module-level `tf1_scopes = ...`)."""
    for node in unit.tree.body:
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == REGISTRY for t in node.targets):
            return True
    return False


def used(unit: Unit) -> bool:
    return REGISTRY in unit.text and any(isinstance(n, ast.Name) and n.id == REGISTRY and isinstance(n.ctx, ast.Load)
               for n in unit.nodes())


def helper_edit(unit: Unit, tf: str) -> Edit:
    """The registry class, inserted before the first statement after the file's leading
    imports (and docstring)."""
    position = len(unit.text)
    for node in unit.tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)) or (
                isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)):
            continue
        position = unit.starts[node.lineno - 1]
        break
    nl = unit.newline
    text = HELPER.format(tf=tf).replace("\n", nl)
    return Edit(position, position, text + nl + nl)
