"""TensorFlow names a file gets through the project's own modules.

`from gcn.layers import *` where gcn/layers.py does `import tensorflow as tf` gives the importing
file a `tf`; `from mypkg.ops import dense` where ops.py has `dense = tf.layers.dense` gives it a
`dense` that is `tf.layers.dense`. Each file's scan leaves a small summary of its module-level
TensorFlow bindings and of its imports from other modules (`summarize`); `Project` resolves those
imports against the scanned tree's package layout (absolute imports from the file's own folder,
as a script sees them, and from its package root; relative imports from its package) and tells
each file what it receives (`Project.received`), which the file's Bindings then hold like its
own imports. What a file receives is also what its result depends on: the cache keys on it.

Only module-level names are followed; `import mypkg` followed by `mypkg.tf.x` is not.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os

from tfshift.code.names import ROOTS, is_internal

STAR = "*"
# In what a file receives: the modules it imports use Keras (evidence for Keras method rules:
# `model.save(path)` in train.py where model comes from a Keras module). Never an import key.
KERAS = "keras"


def summarize(tree: ast.Module, entries, module_bindings: dict, text: str) -> dict:
    """What other files may take from this one, and what it takes from modules that are not
    TensorFlow or Keras (JSON, cached with the file's result)."""
    exported = {name: b.qual for name, b in module_bindings.items() if not is_internal(b.qual)}
    imports = []
    names_all = None
    for entry in entries:
        node = entry.node
        if type(node) is ast.ImportFrom:
            module = node.module or ""
            if module.partition(".")[0] in ROOTS or module == "__future__":
                continue
            imports.append([node.level, module, [[a.name, a.asname] for a in node.names],
                            not entry.scopes])
        elif not entry.scopes and type(node) in (ast.Assign, ast.AugAssign):
            target = node.targets[0] if type(node) is ast.Assign else node.target
            if type(target) is ast.Name and target.id == "__all__":
                listed = _strings(node.value)
                if listed is not None:
                    names_all = (names_all or []) + listed if type(node) is ast.AugAssign else listed
    return {"tf": exported, "imports": imports, "all": names_all, "keras": "keras" in text}


def _strings(node: ast.AST) -> list[str] | None:
    if isinstance(node, (ast.List, ast.Tuple)) and all(
            isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts):
        return [e.value for e in node.elts]
    return None


def key_of(level: int, module: str) -> str:
    """How a `from` import is named in what a file receives."""
    return f"{level}:{module}"


def digest_of(received: dict) -> str:
    """A short, stable digest of what a file receives (part of its cache key)."""
    text = json.dumps(received, sort_keys=True, separators=(",", ":"))
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


class Project:
    """The scanned tree's modules, their summaries, and what each file receives."""

    def __init__(self, summaries: dict[str, dict]) -> None:
        self.summaries = summaries  # absolute path -> summary
        self._packages: dict[str, bool] = {}
        self._exports: dict[str, dict[str, str]] = {}
        self._keras: dict[str, bool] = {}
        self._by_name: dict[str, list[str]] = {}
        self._names: dict[str, tuple[str, str]] = {}
        for path in summaries:
            if path.endswith(".py"):
                root, name = self._module_of(path)
                self._names[path] = (root, name)
                self._by_name.setdefault(name, []).append(path)

    # Layout -------------------------------------------------------------------------------

    def _is_package(self, folder: str) -> bool:
        known = self._packages.get(folder)
        if known is None:
            known = self._packages[folder] = os.path.isfile(os.path.join(folder, "__init__.py"))
        return known

    def _module_of(self, path: str) -> tuple[str, str]:
        """(root folder, dotted module name): folders with __init__.py are packages."""
        folder, file = os.path.split(path)
        parts = [] if file == "__init__.py" else [file[:-3]]
        while self._is_package(folder):
            folder, name = os.path.split(folder)
            parts.append(name)
            if not name:
                break
        return folder, ".".join(reversed(parts))

    def _file_in(self, folder: str, dotted: str) -> str | None:
        base = os.path.join(folder, *dotted.split(".")) if dotted else folder
        for candidate in (base + ".py", os.path.join(base, "__init__.py")):
            if candidate in self.summaries:
                return candidate
        return None

    def resolve(self, importer: str, level: int, module: str) -> str | None:
        """The file in the tree that `from <level dots><module> import ...` in `importer` reads."""
        if level:
            root, name = self._names.get(importer, (None, None))
            if root is None:
                return None
            package = name.split(".") if importer.endswith("__init__.py") else name.split(".")[:-1]
            if level - 1 > len(package):
                return None
            base = package[:len(package) - (level - 1)]
            dotted = ".".join([*base, *([module] if module else [])])
            return self._file_in(root, dotted) if dotted else None
        if not module or module.partition(".")[0] in ROOTS:
            return None
        found = self._file_in(os.path.dirname(importer), module)  # a script's sibling modules
        if found is None and importer in self._names:
            found = self._file_in(self._names[importer][0], module)
        if found is None:
            same = self._by_name.get(module, ())
            found = same[0] if len(same) == 1 else None
        return found

    # Names --------------------------------------------------------------------------------

    def exports(self, path: str, _busy: set | None = None) -> dict[str, str]:
        """Every module-level TensorFlow name of a module: its own and those it imports."""
        done = self._exports.get(path)
        if done is not None:
            return done
        busy = _busy if _busy is not None else set()
        if path in busy:
            return {}  # an import cycle: what is known so far
        busy.add(path)
        summary = self.summaries[path]
        names: dict[str, str] = {}
        for level, module, aliases, toplevel in summary["imports"]:
            if not toplevel:
                continue
            source = self.resolve(path, level, module)
            if source is None:
                continue
            theirs = self.exports(source, busy)
            for name, asname in aliases:
                if name == STAR:
                    names.update(self.public(source, theirs))
                elif name in theirs:
                    names[asname or name] = theirs[name]
        names.update(summary["tf"])  # its own imports win over what a star brought
        busy.discard(path)
        if _busy is None or not busy:
            self._exports[path] = names
        return names

    def public(self, path: str, names: dict[str, str]) -> dict[str, str]:
        """What `from module import *` takes: `__all__`, else the names without an underscore."""
        listed = self.summaries[path]["all"]
        if listed is not None:
            return {n: q for n, q in names.items() if n in listed}
        return {n: q for n, q in names.items() if not n.startswith("_")}

    def reaches_keras(self, path: str) -> bool:
        """Whether a module the file imports from the project (or one those import) uses Keras."""
        known = self._keras.get(path)
        if known is not None:
            return known
        self._keras[path] = False  # an import cycle ends here
        found = False
        for level, module, _, _ in self.summaries[path]["imports"]:
            source = self.resolve(path, level, module)
            if source is not None and source != path and (
                    self.summaries[source]["keras"] or self.reaches_keras(source)):
                found = True
                break
        self._keras[path] = found
        return found

    def received(self, path: str) -> dict[str, dict[str, str]]:
        """`key_of(level, module)` -> {name: qualified path} for each import of `path` that
        brings TensorFlow names from the project (empty for most files)."""
        summary = self.summaries.get(path)
        if not summary or not summary["imports"]:
            return {}
        out: dict[str, dict[str, str]] = {}
        if not summary["keras"] and self.reaches_keras(path):
            out[KERAS] = {}
        for level, module, aliases, _ in summary["imports"]:
            source = self.resolve(path, level, module)
            if source is None or source == path:
                continue
            theirs = self.exports(source)
            if not theirs:
                continue
            got: dict[str, str] = {}
            for name, _ in aliases:
                if name == STAR:
                    got.update(self.public(source, theirs))
                elif name in theirs:
                    got[name] = theirs[name]
            if got:
                out.setdefault(key_of(level, module), {}).update(got)
        return out
