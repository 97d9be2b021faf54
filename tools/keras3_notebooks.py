"""Real Keras 2 notebooks: run on TF 2.15, `tfshift upgrade` to 2.21 (Keras 3), compare.

    python tools/keras3_notebooks.py [--work DIR] [--only LABEL ...] [--baseline] [--json FILE]

For each notebook below (public repositories, pinned commits): extract it from a local git
mirror (/work/.mirror/OWNER+NAME/repo, as the `fetch` tool leaves them, or --mirrors DIR) or
from the copies vendored in tests/fixtures/notebooks; `tfshift upgrade --from 2.15 --to 2.21`;
turn the original and the upgraded notebook into scripts (code cells in order, IPython magics
commented out, a cell's last expression printed when it is numbers, as the notebook would
display it); and run `tfshift verify-code` on them: the original under TF 2.15 (Keras 2), the
upgraded one under TF 2.21 (Keras 3), from the same initial weights. `--baseline` also
compares the original, unchanged, under 2.21: what a user gets without tfshift.

Both sides import tools/keras3_notebooks_shim.py first, which substitutes synthetic data for
the datasets this machine cannot download and turns off what Keras 2 and Keras 3 randomise
differently (fit's shuffling, dropout): see its docstring. The same substitutions are made on
both sides, so a difference is the migration's.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHIM = Path(__file__).resolve().parent / "keras3_notebooks_shim.py"
VENDORED = ROOT / "tests" / "fixtures" / "notebooks"
TFSHIFT = [sys.executable, "-m", "tfshift"]
WITH = ["matplotlib", "pandas", "scikit-learn", "tensorboard"]  # what the notebooks import


@dataclass(frozen=True)
class Notebook:
    label: str
    repo: str
    commit: str
    path: str
    args: tuple[str, ...] = ()
    images: str | None = None  # stand-in MNIST-like train,test counts (None: the real 60000,10000)
    # Absolute tolerance of the final weights (default verify's 1e-6); looser only where long
    # training compounds Keras 3's last-bit rounding differences (see docs/keras3.md)
    atol: float | None = None
    unsafe: bool = False  # upgrade with --unsafe-fixes (the table says why)


TF_DOCS = "48fd03d5991220717f45b12620bf8091d042531b"  # 2023-11-30, the TF 2.15 era
DLWP = "dea84a4e12cc3bb3cb61ce952a0168bca113d315"
HOML2 = "1e2115277b50f6c584cd668fa30e3af309a5b136"
NOTEBOOKS = [
    Notebook("tf quickstart beginner", "tensorflow/docs", TF_DOCS,
             "site/en/tutorials/quickstart/beginner.ipynb", images="8192,2048"),
    Notebook("tf quickstart advanced", "tensorflow/docs", TF_DOCS,
             "site/en/tutorials/quickstart/advanced.ipynb", images="8192,2048"),
    Notebook("tf keras classification", "tensorflow/docs", TF_DOCS,
             "site/en/tutorials/keras/classification.ipynb", images="8192,2048"),
    Notebook("tf keras save_and_load", "tensorflow/docs", TF_DOCS,
             "site/en/tutorials/keras/save_and_load.ipynb"),
    Notebook("tf images cnn", "tensorflow/docs", TF_DOCS,
             "site/en/tutorials/images/cnn.ipynb", images="2048,512"),
    Notebook("tf custom layers", "tensorflow/docs", TF_DOCS,
             "site/en/tutorials/customization/custom_layers.ipynb"),
    # its last cell saves a SavedModel nothing reads: TFK001's .keras path is an unsafe fix
    Notebook("tf guide basics", "tensorflow/docs", TF_DOCS, "site/en/guide/basics.ipynb",
             unsafe=True),
    Notebook("tf guide intro_to_modules", "tensorflow/docs", TF_DOCS,
             "site/en/guide/intro_to_modules.ipynb"),
    # saves weights nothing reads: TFK003's .weights.h5 path is an unsafe fix
    Notebook("tf guide basic_training_loops", "tensorflow/docs", TF_DOCS,
             "site/en/guide/basic_training_loops.ipynb", unsafe=True),
    # saves weights nothing reads: TFK003's .weights.h5 path is an unsafe fix
    Notebook("tf guide checkpoint", "tensorflow/docs", TF_DOCS, "site/en/guide/checkpoint.ipynb",
             unsafe=True),
    Notebook("tf guide advanced_autodiff", "tensorflow/docs", TF_DOCS,
             "site/en/guide/advanced_autodiff.ipynb"),
    Notebook("tf guide function", "tensorflow/docs", TF_DOCS, "site/en/guide/function.ipynb"),
    Notebook("DLwP1 2.1 first network", "fchollet/deep-learning-with-python-notebooks", DLWP,
             "first_edition/2.1-a-first-look-at-a-neural-network.ipynb", atol=1e-3),
    Notebook("DLwP1 3.5 movie reviews", "fchollet/deep-learning-with-python-notebooks", DLWP,
             "first_edition/3.5-classifying-movie-reviews.ipynb"),
    Notebook("DLwP1 3.6 newswires", "fchollet/deep-learning-with-python-notebooks", DLWP,
             "first_edition/3.6-classifying-newswires.ipynb"),
    Notebook("DLwP1 3.7 house prices", "fchollet/deep-learning-with-python-notebooks", DLWP,
             "first_edition/3.7-predicting-house-prices.ipynb"),
    Notebook("DLwP1 5.1 convnets", "fchollet/deep-learning-with-python-notebooks", DLWP,
             "first_edition/5.1-introduction-to-convnets.ipynb"),
    Notebook("DLwP2 ch2 building blocks", "fchollet/deep-learning-with-python-notebooks", DLWP,
             "second_edition/chapter02_mathematical-building-blocks.ipynb"),
    Notebook("DLwP2 ch3 keras and tf", "fchollet/deep-learning-with-python-notebooks", DLWP,
             "second_edition/chapter03_introduction-to-keras-and-tf.ipynb"),
    Notebook("DLwP2 ch4 getting started", "fchollet/deep-learning-with-python-notebooks", DLWP,
             "second_edition/chapter04_getting-started-with-neural-networks.ipynb"),
    Notebook("DLwP2 ch5 fundamentals", "fchollet/deep-learning-with-python-notebooks", DLWP,
             "second_edition/chapter05_fundamentals-of-ml.ipynb"),
    Notebook("DLwP2 ch7 working with keras", "fchollet/deep-learning-with-python-notebooks", DLWP,
             "second_edition/chapter07_working-with-keras.ipynb"),
    Notebook("HOML2 ch10 neural nets", "ageron/handson-ml2", HOML2,
             "10_neural_nets_with_keras.ipynb"),
]


def notebook_text(nb: Notebook, mirrors: Path) -> str:
    vendored = VENDORED / nb.repo.replace("/", "+") / Path(nb.path).name
    if vendored.exists():
        return vendored.read_text(encoding="utf-8")
    git_dir = mirrors / nb.repo.replace("/", "+") / "repo"
    return subprocess.run(["git", "-C", str(git_dir), "show", f"{nb.commit}:{nb.path}"],
                          check=True, capture_output=True, text=True).stdout


def to_script(notebook_json: str) -> str:
    """A notebook's code cells as one script, each cell's displayed value printed."""
    cells = json.loads(notebook_json)["cells"]
    parts = ["from _tfshift_shim import _tfshift_show  # harness: offline data, see the shim\n"]
    for number, cell in enumerate(cells, start=1):
        if cell.get("cell_type") != "code":
            continue
        source = cell["source"]
        text = "".join(source) if isinstance(source, list) else source
        if text.lstrip().startswith("%%"):
            continue  # a cell magic: not Python
        lines = [("# " + line) if line.lstrip().startswith(("%", "!")) else line
                 for line in text.splitlines()]
        text = "\n".join(lines)
        try:
            tree = ast.parse(text)
        except SyntaxError:
            parts.append(f"# cell {number}: not Python, left out\n")
            continue
        last = tree.body[-1] if tree.body else None
        if isinstance(last, ast.Expr) and not _is_print_like(last.value):
            start, end = last.lineno - 1, last.end_lineno - 1
            tail = lines[end]
            cut = len(tail.encode("utf-8")[:last.end_col_offset].decode("utf-8"))
            lines[end] = tail[:cut] + "))" + tail[cut:]  # before a trailing comment
            lines[start] = "_tfshift_show((" + lines[start]  # `a, b` is one tuple
        parts.append(f"# cell {number}\n" + "\n".join(lines) + "\n")
    return "\n".join(parts)


def _is_print_like(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    root = func
    while isinstance(root, ast.Attribute):
        root = root.value
    return name in ("print", "summary", "display") or (isinstance(root, ast.Name) and root.id == "plt")


def prepare(nb: Notebook, work: Path, mirrors: Path) -> dict:
    folder = work / nb.label.replace(" ", "_")
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "upgraded").mkdir(parents=True)
    original = folder / "original.ipynb"
    original.write_text(notebook_text(nb, mirrors), encoding="utf-8")
    upgrade = subprocess.run([*TFSHIFT, "upgrade", str(original), "--from", "2.15", "--to", "2.21",
                              "--out", str(folder / "upgraded"), "--json",
                              *(["--unsafe-fixes"] if nb.unsafe else [])],
                             capture_output=True, text=True)
    upgraded = folder / "upgraded" / "original.ipynb"
    try:
        report = json.loads(upgrade.stdout)
    except ValueError:
        report = {"error": upgrade.stderr.strip()[-300:]}
    if not upgraded.exists():
        shutil.copy(original, upgraded)
    for side, source in (("a", original), ("b", upgraded), ("base", original)):
        (folder / side).mkdir()
        (folder / side / "notebook.py").write_text(to_script(source.read_text(encoding="utf-8")),
                                                   encoding="utf-8")
        shutil.copy(SHIM, folder / side / "_tfshift_shim.py")
    return {"folder": folder, "upgrade": report}


def verify(folder: Path, b: str, args: tuple[str, ...], timeout: int, images: str | None = None,
           atol: float | None = None) -> dict:
    command = [*TFSHIFT, "verify-code", str(folder / "a" / "notebook.py"),
               str(folder / b / "notebook.py"), "--tf-a", "2.15", "--tf-b", "2.21",
               "--timeout", str(timeout), "--json"]
    if atol is not None:
        command += ["--atol", str(atol)]
    for extra in WITH:
        command += ["--with-a", extra, "--with-b", extra]
    if args:
        command += ["--", *args]
    started = time.monotonic()
    env = dict(os.environ)
    if images and "KERAS3_NOTEBOOKS_IMAGES" not in env:
        env["KERAS3_NOTEBOOKS_IMAGES"] = images
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    try:
        result = json.loads(done.stdout)
    except ValueError:
        result = {"ok": False, "same": None, "error": (done.stderr.strip() or "no output")[-400:]}
    result["wall"] = time.monotonic() - started
    (folder / f"verify-{b}.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    return result


def describe(result: dict) -> str:
    if result.get("error"):
        error = result["error"].replace("\n", " ")
        return "error: " + (error[:160] + "..." if len(error) > 160 else error)
    printed = result.get("printed") or {}
    variables = result.get("variables") or []
    worst = max([printed.get("max_abs") or 0.0] + [v.get("max_abs") or 0.0 for v in variables])
    verdict = "SAME" if result.get("same") else "DIFFERENT"
    return (f"{verdict}: {result['a'].get('printed_numbers', 0)} numbers, {len(variables)} "
            f"variables, max abs {worst:.2g}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/keras3_notebooks"))
    parser.add_argument("--mirrors", type=Path, default=Path("/work/.mirror"))
    parser.add_argument("--only", action="append", default=[])
    parser.add_argument("--baseline", action="store_true")
    parser.add_argument("--timeout", type=int, default=1800)
    parser.add_argument("--json", type=Path)
    options = parser.parse_args(argv)
    rows = []
    for nb in NOTEBOOKS:
        if options.only and not any(o.lower() in nb.label.lower() for o in options.only):
            continue
        prepared = prepare(nb, options.work, options.mirrors)
        upgrade = prepared["upgrade"]
        fixes = sorted({f.get("rule", f.get("id", "?")) for f in upgrade.get("applied", [])}
                       if isinstance(upgrade.get("applied"), list) else [])
        row = {"notebook": nb.label, "source": f"{nb.repo}@{nb.commit[:7]}:{nb.path}",
               "fixes": fixes, "upgrade": upgrade}
        row["upgraded"] = verify(prepared["folder"], "b", nb.args, options.timeout, nb.images, nb.atol)
        if options.baseline:
            row["unchanged"] = verify(prepared["folder"], "base", nb.args, options.timeout, nb.images, nb.atol)
        rows.append(row)
        print(f"{nb.label}: {describe(row['upgraded'])} ({row['upgraded']['wall']:.0f} s)",
              file=sys.stderr, flush=True)
    print(f"\n{'notebook':30} {'upgraded on 2.21 vs 2.15':60}" + (" unchanged on 2.21" if options.baseline else ""))
    for row in rows:
        line = f"{row['notebook']:30} {describe(row['upgraded']):60}"
        if options.baseline:
            line += " " + describe(row["unchanged"])
        print(line)
    same = sum(1 for r in rows if r["upgraded"].get("same"))
    print(f"\n{same} of {len(rows)} notebooks: the upgraded notebook on TF 2.21 matches the original on 2.15")
    if options.json:
        options.json.write_text(json.dumps(rows, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
