"""TFD201-TFD206: how TensorFlow is installed (duplicates, aliases, leftovers, shadowing)."""

from __future__ import annotations

import os
from collections.abc import Iterator

from packaging.version import Version

from tfshift.doctor.findings import Finding, Rule, rule
from tfshift.doctor.fixes import note, quote
from tfshift.doctor.rules.common import relevant
from tfshift.doctor.snapshot import Snapshot


@rule("TFD201", "several-tf-distributions", severity="error",
      summary="More than one installed distribution provides the `tensorflow` package",
      catalog=("E33",), fix="uninstall all, reinstall one")
def several_tf_distributions(r: Rule, s: Snapshot) -> Iterator[Finding]:
    """## What it does
    Finds every distribution whose files include the `tensorflow` package (from `top_level.txt`
    or `RECORD`, so forks and renamed builds count): `tensorflow`, `tensorflow-cpu`,
    `tensorflow-gpu`, `tf-nightly`, `tensorflow-intel`, `tensorflow-macos`, ... Installer wheels
    that only depend on the real build (`tensorflow` -> `tensorflow-intel` on Windows,
    `tensorflow-cpu-aws` on Linux aarch64) own no files and are not counted.

    ## Why is this bad?
    The distributions write the same files; the last install wins file by file, and removing
    either one deletes files the other needs. Symptoms: `module 'tensorflow' has no attribute
    ...`, undefined symbols in `_pywrap_tensorflow_internal`, or a version that differs from
    `pip list` (catalog E33).

    ## Example
    `pip install tensorflow-cpu==2.15.1` run in an environment that has tensorflow 2.15.1:

    ```
    $ tfshift doctor --python .venv
    error (1)
      TFD201 2 distributions install the tensorflow package: tensorflow-cpu 2.15.1, tensorflow 2.15.1
    To fix, run:
      /proj/.venv/bin/python -m pip uninstall -y tensorflow tensorflow-cpu && /proj/.venv/bin/python -m pip install tensorflow-cpu==2.15.1
    ```

    ## Fix
    Uninstall every one of them, then install the one you want (the fix keeps the one that
    `import tensorflow` loads now).
    """
    owners = s.tf_owners
    if len(owners) < 2:
        return
    keep = s.tf
    names = sorted({d.name for d in owners})
    labels = [f"{d.label()} ({d.location})" for d in owners]
    yield r.finding(f"{len(owners)} distributions install the tensorflow package: "
                    + ", ".join(d.label() for d in owners),
                    evidence={"distributions": labels, "imported": keep.label() if keep else None},
                    fix=s.fix.reinstall(names, f"{keep.name}=={keep.raw_version}") if keep else None)


@rule("TFD202", "tensorflow-gpu-alias", severity="warning", versions=">=2.1",
      summary="`tensorflow-gpu` is installed; since 2.1 it is an alias of `tensorflow`, removed after 2.11",
      catalog=("E22",), fix="replace with tensorflow")
def tensorflow_gpu_alias(r: Rule, s: Snapshot) -> Iterator[Finding]:
    """## What it does
    Flags `tensorflow-gpu` (and `tf-nightly-gpu`) 2.1 or newer.

    ## Why is this bad?
    From 2.1 `tensorflow` itself supports GPUs and `tensorflow-gpu` is the same package under
    another name; no release exists after 2.11, and `pip install tensorflow-gpu` of a newer
    version fails with 'The "tensorflow-gpu" package has been removed!' (catalog E22).
    Requirements files that name it cannot move to a newer TensorFlow.

    ## Example
    tensorflow-gpu 2.10.0, the only TensorFlow of the environment:

    ```
    $ tfshift doctor --python .venv
    warning (1)
      TFD202 tensorflow-gpu 2.10.0 is an alias of tensorflow since 2.1 and has no releases after 2.11
    To fix, run:
      /proj/.venv/bin/python -m pip uninstall -y tensorflow-gpu && /proj/.venv/bin/python -m pip install tensorflow==2.10.0
    ```

    ## Fix
    Depend on `tensorflow` (on Linux with an NVIDIA GPU, from 2.14: `tensorflow[and-cuda]`).
    """
    for dist in s.dists:
        if dist.name in ("tensorflow-gpu", "tf-nightly-gpu") and dist.version and dist.version >= Version("2.1"):
            yield r.finding(f"{dist.label()} is an alias of tensorflow since 2.1 and has no releases after 2.11",
                            evidence={"distribution": dist.label(), "location": dist.location},
                            fix=s.fix.reinstall([dist.name], f"tensorflow=={dist.raw_version}"))


def _position(s: Snapshot, folder: str) -> int:
    path = s.data.get("path") or []
    return path.index(folder) if folder in path else len(path)


@rule("TFD203", "tensorflow-leftovers", severity="error",
      summary="A `tensorflow` folder that no installed distribution owns (an interrupted uninstall or upgrade)",
      catalog=("E33",), fix="remove the folder, reinstall")
def tensorflow_leftovers(r: Rule, s: Snapshot) -> Iterator[Finding]:
    """## What it does
    Looks in every `sys.path` folder for `tensorflow/` or `tensorflow_core/` folders that no
    distribution in that folder lists among its files, and for pip's `~ensorflow*` debris.

    ## Why is this bad?
    Upgrading or uninstalling over a broken install leaves files behind; `import tensorflow`
    then loads the orphan (or a mix), giving `module 'tensorflow' has no attribute 'constant'`
    or undefined symbols (catalog E33). It is an error when no TensorFlow is installed or when
    the orphan comes earlier on `sys.path` than the installed one; otherwise a warning.

    ## Example
    An interrupted `pip uninstall tensorflow` left the package folder, and pip's `~` debris:

    ```
    $ tfshift doctor --python .venv
    error (1)
      TFD203 /proj/.venv/lib/python3.11/site-packages/tensorflow is not owned by any installed distribution (2 entries)
    warning (1)
      TFD203 pip left ~ensorflow-2.15.1.dist-info behind in /proj/.venv/lib/python3.11/site-packages (an interrupted install or uninstall)
    To fix, run:
      rm -rf /proj/.venv/lib/python3.11/site-packages/tensorflow && /proj/.venv/bin/python -m pip install tensorflow
      rm -rf '/proj/.venv/lib/python3.11/site-packages/~ensorflow-2.15.1.dist-info'
    ```

    ## Fix
    Delete the folder, then reinstall TensorFlow.
    """
    tf = s.tf
    for item in s.data.get("leftovers") or []:
        path = item["path"]
        folder = os.path.dirname(path)
        if item.get("pip_debris"):
            yield r.finding(f"pip left {item['name']} behind in {folder} (an interrupted install or uninstall)",
                            evidence={"path": path}, fix="rm -rf " + quote([path]), severity="warning")
            continue
        severity = "warning"
        if item["name"] == "tensorflow":
            if tf is None or _position(s, folder) < _position(s, tf.location):
                severity = "error"
        elif tf is not None and tf.version and Version("1.15") <= tf.version < Version("2.2"):
            severity = "error"  # these releases import tensorflow_core
        content = "only __pycache__" if item.get("only_cache") else f"{item['entries']} entries"
        fix = "rm -rf " + quote([path])
        if tf is not None:
            fix += " && " + s.fix.install(f"{tf.name}=={tf.raw_version}", force=True)
        elif item["name"] == "tensorflow":
            fix += " && " + s.fix.install("tensorflow")
        yield r.finding(f"{path} is not owned by any installed distribution ({content})",
                        evidence={"path": path, "installed": tf.label() if tf else None}, fix=fix,
                        severity=severity)


def _owners(s: Snapshot, module: str):
    return [d for d in s.dists if d.owns(module)]


@rule("TFD204", "local-module-shadows-package", severity="error",
      summary="A local file or folder hides an installed package (tensorflow, keras, numpy, ...)",
      catalog=("E34",), fix="rename or move it")
def local_module_shadows_package(r: Rule, s: Snapshot) -> Iterator[Finding]:
    """## What it does
    Resolves `tensorflow`, `keras`, `tf_keras`, `numpy`, `h5py` and the other packages
    TensorFlow imports the way `python -c` would (working directory first, then `PYTHONPATH`,
    then site-packages) without executing them, and reports any that come from a folder that is
    not an installed environment: a script named `tensorflow.py`, a `keras/` folder in the
    project, a TensorFlow source checkout.

    ## Why is this bad?
    Python imports the local one: "Unless you are using bazel, you should not try to import
    tensorflow from its source directory", `cannot import name 'pywrap_tensorflow'`, or a
    confusing AttributeError (catalog E34).

    ## Example
    An experiment saved as `tensorflow.py` in the project folder the doctor runs from:

    ```
    $ cd /proj && tfshift doctor --python .venv
    error (1)
      TFD204 /proj/tensorflow.py hides the installed tensorflow (tensorflow 2.15.1); it comes first via the working directory
    To fix, run:
      # rename or move /proj/tensorflow.py
    ```

    ## Fix
    Rename or move the file or folder (or run from another directory, or fix `PYTHONPATH`).
    """
    site_dirs = set(s.data.get("site_dirs") or [])
    cwd = s.data.get("cwd")
    for module, spec in sorted((s.data.get("modules") or {}).items()):
        if not spec or spec.get("kind") == "namespace":
            continue
        entry = spec.get("path_entry")
        if entry is None or entry in site_dirs:
            continue
        owners = _owners(s, module)
        if any(d.editable for d in owners):
            continue  # a development install of that very package
        if not owners and module != "tensorflow":
            continue
        local = spec.get("origin") or entry
        if spec.get("kind") == "package":
            local = os.path.dirname(local)
        how = "the working directory" if entry == cwd else "a sys.path entry (PYTHONPATH?)"
        installed = ", ".join(d.label() for d in owners) or "nothing installed"
        yield r.finding(f"{local} hides the installed {module} ({installed}); it comes first via {how}",
                        evidence={"module": module, "path": local, "sys_path_entry": entry,
                                  "installed": [f"{d.label()} ({d.location})" for d in owners]},
                        fix=note(f"rename or move {local}"))


@rule("TFD205", "tensorflow-files-missing", severity="error",
      summary="TensorFlow's metadata is installed but its package folder is gone", catalog=("E33",),
      fix="force-reinstall")
def tensorflow_files_missing(r: Rule, s: Snapshot) -> Iterator[Finding]:
    """## What it does
    Checks that each distribution owning `tensorflow` still has the `tensorflow` (or, for 1.15
    to 2.1, `tensorflow_core`) folder beside its metadata.

    ## Why is this bad?
    After a folder was deleted by hand, or after uninstalling one of two TensorFlow
    distributions that shared it, pip still lists TensorFlow but `import tensorflow` fails or
    finds something else.

    ## Example
    tensorflow and tensorflow-cpu 2.15.1 were installed together, then tensorflow was
    uninstalled, removing the folder both had written:

    ```
    $ tfshift doctor --python .venv
    error (1)
      TFD205 tensorflow-cpu 2.15.1 is listed in /proj/.venv/lib/python3.11/site-packages but its tensorflow folder is missing
    To fix, run:
      /proj/.venv/bin/python -m pip install --force-reinstall --no-deps tensorflow-cpu==2.15.1
    ```

    ## Fix
    Reinstall the distribution over itself.
    """
    for dist in s.tf_owners:
        missing = [m for m in dist.missing_top_level if m in ("tensorflow", "tensorflow_core")]
        if missing:
            yield r.finding(f"{dist.label()} is listed in {dist.location} but its {', '.join(missing)} folder is missing",
                            evidence={"distribution": dist.label(), "metadata": dist.metadata_path, "missing": missing},
                            fix=s.fix.install(f"{dist.name}=={dist.raw_version}", force=True))


@rule("TFD206", "distribution-in-several-places", severity="warning",
      summary="The same distribution is installed in several sys.path folders with different versions",
      fix="uninstall the shadowing copy")
def distribution_in_several_places(r: Rule, s: Snapshot) -> Iterator[Finding]:
    """## What it does
    Finds a distribution installed more than once on `sys.path` with different versions, for
    example numpy in `~/.local` (a `pip install --user`) and in the environment.

    ## Why is this bad?
    The first one on `sys.path` is imported, whatever `pip list` shows for the environment;
    this is how NumPy 2 reaches a TensorFlow that pins NumPy 1.

    ## Example
    `pip install --user numpy==2.0.0` on a system Python whose TensorFlow 2.15.1 and numpy
    1.26.4 are in `/usr/local/lib/python3.11/dist-packages` (TFD301 fires too):

    ```
    $ tfshift doctor --python /usr/bin/python3
    warning (1)
      TFD206 numpy 2.0.0 in /home/me/.local/lib/python3.11/site-packages hides 1.26.4 in /usr/local/lib/python3.11/dist-packages
    To fix, run:
      # remove /home/me/.local/lib/python3.11/site-packages/numpy-2.0.0.dist-info and the numpy files it lists, or the other copies
    ```

    ## Fix
    Uninstall the copy you do not want (for a user-site copy: run the uninstall with the user
    site enabled, or delete it from `~/.local/lib/pythonX.Y/site-packages`).
    """
    seen: dict[str, list] = {}
    for dist in s.dists:
        if relevant(s, dist.name):
            seen.setdefault(dist.name, []).append(dist)
    for name, copies in sorted(seen.items()):
        versions = {d.raw_version for d in copies}
        if len(copies) < 2 or len(versions) < 2:
            continue
        first, rest = copies[0], copies[1:]
        yield r.finding(f"{name} {first.raw_version} in {first.location} hides "
                        + ", ".join(f"{d.raw_version} in {d.location}" for d in rest),
                        evidence={"copies": [f"{d.label()} ({d.location})" for d in copies]},
                        fix=note(f"remove {os.path.join(first.location, first.entry)} and the {name} "
                                 f"files it lists, or the other copies"))

