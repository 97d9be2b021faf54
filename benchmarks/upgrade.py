"""tfshift scan/upgrade against tf_upgrade_v2, side by side, on the same large tree.

    TFSHIFT_HOME=... python benchmarks/upgrade.py [--jobs 2] [--skip-cli]

The tree is every Python file of the installed TensorFlow 1.15 and tensorflow-estimator 1.15
(from tfshift's 1.15 environment). tf_upgrade_v2 runs from TensorFlow 2.21's environment and
from 2.15's, as users run it (`--intree/--outtree`). Its CLI stops the whole tree at the first
file its parser (pasta) cannot annotate, so it is also run through its own Python API, one file
after another in one process with each failure caught, which gives its speed on the full tree.
tfshift runs cold (`--no-cache`), then a cached rescan of the unchanged tree.

Printed for each: wall time, CPU time of the process tree, files, lines/s, findings, and how
many times faster than tf_upgrade_v2 tfshift is (cold, wall time). Figures depend on the
machine and its load: this is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tfshift.envs import manager

DRIVER = r'''
import io, os, sys, time, traceback
from tensorflow.tools.compatibility import ast_edits, tf_upgrade_v2
spec = tf_upgrade_v2.TFAPIChangeSpec(upgrade_compat_v1_import=True)
upgrader = ast_edits.ASTCodeUpgrader(spec)
tree, out = sys.argv[1], sys.argv[2]
files = issues = failures = 0
started = time.perf_counter()
for folder, _, names in os.walk(tree):
    for name in names:
        if not name.endswith(".py"):
            continue
        src = os.path.join(folder, name)
        dst = os.path.join(out, os.path.relpath(src, tree))
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        try:
            processed, _, errors = upgrader.process_file(src, dst)
            issues += len(errors)
            failures += not processed
        except Exception:
            failures += 1
        files += 1
print("DRIVER", files, issues, failures, time.perf_counter() - started)
'''


def copy_tree(destination: Path) -> tuple[int, int]:
    env = manager.ensure("1.15")
    site = next(env.path.glob("lib/python3*/site-packages"))
    files = lines = 0
    for package in ("tensorflow_core", "tensorflow_estimator"):
        for folder, _, names in os.walk(site / package):
            for name in names:
                if name.endswith(".py"):
                    source = Path(folder) / name
                    target = destination / package / source.relative_to(site / package)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(source, target)
                    files += 1
                    lines += source.read_bytes().count(b"\n")
    return files, lines


def timed(command: list[str], env: dict | None = None, cwd: str | None = None):
    """(wall seconds, CPU seconds of the child tree, completed process)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=cwd, stdin=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done


def count_py(root: Path) -> int:
    return sum(1 for _, _, names in os.walk(root) for n in names if n.endswith(".py")) if root.exists() else 0


def tf_upgrade_v2_cli(version: str, tree: Path, work: Path) -> dict:
    env = manager.ensure(version)
    out = work / f"out-cli-{version}"
    wall, cpu, done = timed([str(env.bin / "tf_upgrade_v2"), "--intree", str(tree), "--outtree", str(out),
                             "--reportfile", str(work / f"report-{version}.txt")],
                            env=env.worker_environ(), cwd=str(work))
    report = work / f"report-{version}.txt"
    match = re.search(r"Detected (\d+) issues", report.read_text()) if report.exists() else None
    aborted = not report.exists() or done.returncode != 0
    last = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""
    return {"tool": f"tf_upgrade_v2 {version} (CLI)", "wall": wall, "cpu": cpu, "files": count_py(out),
            "findings": int(match.group(1)) if match else None,
            "note": f"aborted: {last[:90]}" if aborted else "completed"}


def tf_upgrade_v2_api(version: str, tree: Path, work: Path) -> dict:
    env = manager.ensure(version)
    script = work / "driver.py"
    script.write_text(DRIVER)
    out = work / f"out-api-{version}"
    wall, cpu, done = timed([str(env.python), str(script), str(tree), str(out)],
                            env=env.worker_environ(), cwd=str(work))
    line = next((x for x in done.stdout.splitlines() if x.startswith("DRIVER ")), None)
    if line is None:
        return {"tool": f"tf_upgrade_v2 {version} (API, per file)", "wall": wall, "cpu": cpu, "files": 0,
                "findings": None, "note": f"failed: {done.stderr.strip().splitlines()[-1:]}"}
    _, files, issues, failures, _ = line.split()
    return {"tool": f"tf_upgrade_v2 {version} (API, per file)", "wall": wall, "cpu": cpu, "files": int(files),
            "findings": int(issues), "note": f"{failures} files failed to parse/annotate"}


def tfshift(args: list[str], label: str, env: dict, python: str = sys.executable) -> dict:
    wall, cpu, done = timed([python, "-m", "tfshift", *args], env=env)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{label} failed: {done.stderr}")
    document = json.loads(done.stdout)
    if "findings" in document:
        findings = len(document["findings"])
    else:
        findings = sum(len(c["fixes"]) for c in document["changed"]) + len(document["remaining"])
    return {"tool": label, "wall": wall, "cpu": cpu, "files": document["files"], "findings": findings,
            "note": ""}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=2, help="tfshift worker processes (default 2)")
    parser.add_argument("--skip-cli", action="store_true", help="skip tf_upgrade_v2's own CLI runs")
    parser.add_argument("--baseline", metavar="PYTHON",
                        help="also time `scan` (cold) with another tfshift installation's interpreter, "
                             "alternating with this one (--rounds times), and print the ratio")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds for --baseline")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="tfshift-bench-"))
    tree = work / "tree"
    files, lines = copy_tree(tree)
    print(f"tree: {files} files, {lines} lines (TF 1.15 tensorflow_core + tensorflow_estimator 1.15)")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start\n")

    rows = []
    for version in ("2.21", "2.15"):
        if not args.skip_cli:
            rows.append(tf_upgrade_v2_cli(version, tree, work))
        rows.append(tf_upgrade_v2_api(version, tree, work))

    home = work / "home"  # a private cache: cold means cold
    env = {**os.environ, "TFSHIFT_HOME": str(home)}
    common = ["--from", "1.15", "--to", "2.21", "-j", str(args.jobs), "--format", "json"]
    rows.append(tfshift(["scan", str(tree), "--no-cache", *common], "tfshift scan (cold)", env))
    rows.append(tfshift(["upgrade", str(tree), "--no-cache", "--out", str(work / "out-tfshift"), *common],
                        "tfshift upgrade --out (cold)", env))
    tfshift(["scan", str(tree), *common], "warm-up", env)
    rows.append(tfshift(["scan", str(tree), *common], "tfshift scan (cached rescan)", env))
    if args.baseline:
        # Alternate the two builds so that the machine's load hits both alike; keep the best round.
        this, other = [], []
        for _ in range(args.rounds):
            this.append(tfshift(["scan", str(tree), "--no-cache", *common], "tfshift scan (cold)", env))
            other.append(tfshift(["scan", str(tree), "--no-cache", *common], "baseline scan (cold)", env,
                                 python=args.baseline))
        best = min(this, key=lambda r: r["wall"]), min(other, key=lambda r: r["wall"])
        rows.append(dict(best[1], tool="baseline tfshift scan (cold, best)",
                         note=f"this build / baseline: wall {best[0]['wall'] / best[1]['wall']:.2f}x, "
                              f"cpu {min(r['cpu'] for r in this) / min(r['cpu'] for r in other):.2f}x"))

    baseline = {v: next((r["wall"] for r in rows if r["tool"] == f"tf_upgrade_v2 {v} (API, per file)"
                         and r["files"]), None) for v in ("2.21", "2.15")}
    print(f"{'tool':36} {'wall s':>8} {'cpu s':>8} {'files':>6} {'lines/s':>10} {'findings':>9}  "
          f"{'x vs 2.21':>9} {'x vs 2.15':>9}  note")
    for row in rows:
        share = row["files"] / files if files else 0
        rate = lines * share / row["wall"] if row["wall"] else 0
        ratios = [f"{baseline[v] / row['wall']:9.1f}" if baseline[v] and row["tool"].startswith("tfshift")
                  else f"{'':9}" for v in ("2.21", "2.15")]
        findings = "" if row["findings"] is None else str(row["findings"])
        print(f"{row['tool']:36} {row['wall']:8.2f} {row['cpu']:8.2f} {row['files']:6d} {rate:10.0f} "
              f"{findings:>9}  {ratios[0]} {ratios[1]}  {row['note']}")
    print("\ntargets: scan >= 15x and upgrade >= 10x faster than tf_upgrade_v2 cold; cached rescan <= 0.5 s")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
