#!/usr/bin/env python3
"""Benchmark: `tfshift env create` against raw uv and against venv + pip, side by side.

    python benchmarks/envs.py [--tf 2.21] [--repeat 3] [--gpu]

Warm create: the environment is removed but the package caches are kept, as when a user
recreates an environment. tfshift runs with a private TFSHIFT_HOME that shares the uv cache of
the real one; raw uv gets the same interpreter, the same pins and the same cache; pip gets its
own cache, warmed once before timing. Reuse: `tfshift env create` of an environment that exists,
a whole CLI run (interpreter start-up, imports, the integrity check), several times per round.
Targets (issue 2): warm create within 1.15x of raw uv; reuse under 0.2 s.

--gpu (issue 19): the GPU environment (`env create VERSION --gpu`) against raw uv installing the
same TensorFlow and nvidia-* pins by hand; pip is left out (it would fill a scratch pip cache
with GBs). Target: warm create within 1.5x of raw uv.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from tfshift.envs import backends, gpu, interpreters, table  # noqa: E402


def timed(cmd: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def settle() -> None:
    """Let the filesystem finish freeing a deleted 2 GB tree before the next timing starts."""
    os.sync()
    time.sleep(1.0)


def median(values: list[float]) -> float:
    return statistics.median(values)


def spread(values: list[float]) -> str:
    return f"{min(values):.2f}-{max(values):.2f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tf", default="2.21")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--pip-repeat", type=int, default=2, help="pip is slow: fewer runs of it")
    parser.add_argument("--reuse-repeat", type=int, default=5, help="reuse runs after each create")
    parser.add_argument("--gpu", action="store_true", help="the GPU environment (CUDA wheels); no pip runs")
    args = parser.parse_args()
    if args.gpu:
        args.pip_repeat = 0
    target = 1.5 if args.gpu else 1.15

    request = table.parse(args.tf)
    release = request.release
    interp = interpreters.find(release.pythons_for(request.exact))
    patch = request.exact or release.patch_for(interp.minor)
    requirements = [f"tensorflow=={patch}", *release.pins]
    create = ["env", "create", args.tf]
    if args.gpu:
        plan = gpu.plan(request.minor, patch)
        requirements = [plan.tf_requirement, *release.pins, *plan.requirements]
        create.append("--gpu")
    uv = backends.uv_binary()
    shared_uv_cache = str(backends.uv_cache_dir())

    scratch = Path(tempfile.mkdtemp(prefix="tfshift-bench-envs-"))
    home = scratch / "home"
    base_env = {**os.environ, "TFSHIFT_HOME": str(home), "UV_CACHE_DIR": shared_uv_cache}
    base_env.pop("VIRTUAL_ENV", None)
    uv_env = {**base_env, "UV_PYTHON_DOWNLOADS": "never", "UV_NO_PROGRESS": "1"}
    pip_env = {**base_env, "PIP_CACHE_DIR": str(scratch / "pip-cache"), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    tfshift = [sys.executable, "-m", "tfshift"]
    print(f"TF {patch} on Python {interp.version} ({interp.path}); pins: {' '.join(requirements)}")
    print(f"{subprocess.run([uv, '--version'], capture_output=True, text=True).stdout.strip()}; "
          f"{args.repeat} runs each ({args.pip_repeat} of pip), median reported; "
          f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}\n")

    # Warm every cache once, untimed.
    subprocess.run([*tfshift, *create], env=base_env, check=True, stdout=subprocess.DEVNULL)
    pip_dir = scratch / "pip-venv"
    if args.pip_repeat:
        subprocess.run([str(interp.path), "-m", "venv", str(pip_dir)], env=pip_env, check=True)
        subprocess.run([str(pip_dir / "bin" / "python"), "-m", "pip", "install", "-q", *requirements],
                       env=pip_env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    results: dict[str, list[float]] = {"tfshift": [], "uv": [], "pip": [], "reuse": []}
    def run_tfshift() -> None:
        for path in manager_envs(home):
            shutil.rmtree(path)
        settle()
        results["tfshift"].append(timed([*tfshift, *create], base_env))
        for _ in range(args.reuse_repeat):
            results["reuse"].append(timed([*tfshift, *create], base_env))

    def run_uv() -> None:
        raw = scratch / "raw-uv"
        shutil.rmtree(raw, ignore_errors=True)
        settle()
        started = time.perf_counter()
        subprocess.run([uv, "venv", "-q", "--python", str(interp.path), str(raw)], env=uv_env, check=True)
        subprocess.run([uv, "pip", "install", "-q", "--python", str(raw / "bin" / "python"), *requirements],
                       env=uv_env, check=True)
        results["uv"].append(time.perf_counter() - started)

    def run_pip() -> None:
        shutil.rmtree(pip_dir, ignore_errors=True)
        settle()
        started = time.perf_counter()
        subprocess.run([str(interp.path), "-m", "venv", str(pip_dir)], env=pip_env, check=True)
        subprocess.run([str(pip_dir / "bin" / "python"), "-m", "pip", "install", "-q", *requirements],
                       env=pip_env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        results["pip"].append(time.perf_counter() - started)

    for n in range(args.repeat):
        # Alternate the order so that neither side always runs right after a large deletion.
        for step in ((run_tfshift, run_uv) if n % 2 == 0 else (run_uv, run_tfshift)):
            step()
        if n < args.pip_repeat:
            run_pip()

    t, u, r = (median(results[k]) for k in ("tfshift", "uv", "reuse"))
    p = median(results["pip"]) if results["pip"] else None
    print(f"{'what':<44}{'median s':>10}{'range s':>13}{'vs raw uv':>11}")
    for label, key, value in (
        (f"tfshift {' '.join(create)} (warm cache)", "tfshift", t),
        ("uv venv + uv pip install (same pins, cache)", "uv", u),
        ("python -m venv + pip install (warm cache)", "pip", p),
    ):
        if value is None:
            continue
        print(f"{label:<44}{value:>10.2f}{spread(results[key]):>13}{value / u:>10.2f}x")
    print(f"{'tfshift env create (environment exists)':<44}{r:>10.3f}{spread(results['reuse']):>13}")
    print()
    # Each round times tfshift and raw uv back to back: the ratio within a round is the least
    # disturbed by the machine's load drifting between rounds.
    ratios = [a / b for a, b in zip(results["tfshift"], results["uv"], strict=True)]
    ratio = median(ratios)
    print(f"warm create: tfshift / raw uv = {ratio:.3f}x, median of the rounds' ratios "
          f"({spread(ratios)}; of the medians {t / u:.3f}x, a difference of {(t - u) * 1000:+.0f} ms) "
          f"(target <= {target}x): {'met' if ratio <= target else 'MISSED'}")
    print(f"reuse: {r * 1000:.0f} ms (target < 200 ms): {'met' if r < 0.2 else 'MISSED'}")
    if p is not None:
        print(f"pip / tfshift = {p / t:.1f}x slower")
    print(f"load {os.getloadavg()[0]:.1f} at the end")
    shutil.rmtree(scratch, ignore_errors=True)
    return 0


def manager_envs(home: Path) -> list[Path]:
    envs = home / "envs"
    return [p for p in envs.iterdir() if p.is_dir() and not p.name.startswith(".")] if envs.exists() else []


if __name__ == "__main__":
    raise SystemExit(main())
