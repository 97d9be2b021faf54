"""`--import-check`: import TensorFlow (and resolve tf.keras) in a child of the diagnosed interpreter,
then map a failure (signal, exit status, stderr) to an entry of the error catalog."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from typing import Any

from tfshift import supervisor
from tfshift.doctor import catalog
from tfshift.doctor.findings import Finding
from tfshift.doctor.snapshot import Snapshot

MARK = "TFSHIFT_IMPORT "
# Runs in the diagnosed interpreter (Python 3.6+). Exit 3: TensorFlow imported, tf.keras failed.
SCRIPT = r"""
import json, sys, time
start = time.time()
import tensorflow as tf
print("TFSHIFT_IMPORT " + json.dumps({"stage": "tensorflow", "version": getattr(tf, "__version__", None),
      "file": getattr(tf, "__file__", None), "seconds": round(time.time() - start, 2)}))
sys.stdout.flush()
try:
    keras = tf.keras
    keras.layers
    print("TFSHIFT_IMPORT " + json.dumps({"stage": "keras", "module": getattr(keras, "__name__", None),
          "version": getattr(keras, "__version__", None)}))
except Exception as exc:
    import traceback
    traceback.print_exc()
    print("TFSHIFT_IMPORT " + json.dumps({"stage": "keras", "error": "%s: %s" % (type(exc).__name__, exc)}))
    sys.exit(3)
"""
# Log lines that are noise whatever happens (catalog E7, E8, E11, and TensorFlow's banners).
NOISE = ("Unable to register cuDNN factory", "Unable to register cuFFT factory", "Unable to register cuBLAS factory",
         "TF-TRT Warning", "This TensorFlow binary is optimized", "To enable the following instructions",
         "oneDNN custom operations are on", "Could not find cuda drivers", "All log messages before absl::InitializeLog",
         "cpu_feature_guard")


def run(s: Snapshot, timeout: float = 300) -> tuple[dict[str, Any], list[Finding]]:
    env = dict(os.environ)
    env["TF_CPP_MIN_LOG_LEVEL"] = "0"  # the loader's warnings are the evidence
    started = time.monotonic()
    # Its own process group, killed with everything it started when we stop (or die).
    proc = supervisor.popen([s.python_path, "-c", SCRIPT], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, text=True, errors="replace", env=env, cwd=s.data.get("cwd"))
    try:
        out, err = proc.communicate(timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        supervisor.stop(proc)
        out, err = proc.communicate()
        timed_out = True
    finally:
        supervisor.stop(proc)
    seconds = round(time.monotonic() - started, 2)
    stages = {}
    for line in out.splitlines():
        if line.startswith(MARK):
            try:
                item = json.loads(line[len(MARK):])
            except ValueError:
                continue
            stages[item.get("stage")] = item
    code = proc.returncode
    sig = signal.Signals(-code).name if code is not None and code < 0 and not timed_out else None
    tail = [ln for ln in err.splitlines() if ln.strip() and not any(n in ln for n in NOISE)][-12:]
    result = {
        "ok": code == 0 and not timed_out, "returncode": code, "signal": sig, "timed_out": timed_out,
        "seconds": seconds, "tensorflow": stages.get("tensorflow"), "keras": stages.get("keras"), "stderr_tail": tail,
    }
    return result, findings_for(s, result, err)


def findings_for(s: Snapshot, result: dict[str, Any], stderr: str) -> list[Finding]:
    evidence = {"returncode": result["returncode"], "signal": result["signal"], "seconds": result["seconds"],
                "stderr_tail": result["stderr_tail"]}
    if result["timed_out"]:
        rule = catalog.TIMEOUT
        return [rule.finding(f"importing TensorFlow did not finish in {result['seconds']:.0f} s", evidence=evidence)]
    if result["ok"]:
        hit = catalog.classify(stderr, success=True)
        if hit is None:
            return []
        entry, match = hit
        return [entry.rule.finding(f"TensorFlow imported, but: {_one_line(match.group(0))} ({entry.cause})",
                                   evidence=evidence, fix=entry.fix(s, match), severity="warning")]
    where = "tf.keras" if result.get("tensorflow") else "import tensorflow"
    text = stderr
    if result["signal"] == "SIGILL":
        text += "\nIllegal instruction"
    hit = catalog.classify(text, success=False)
    if hit is not None:
        entry, match = hit
        return [entry.rule.finding(f"{where} failed: {_one_line(match.group(0))} ({entry.cause})",
                                   evidence=evidence, fix=entry.fix(s, match))]
    last = result["stderr_tail"][-1] if result["stderr_tail"] else f"exit code {result['returncode']}"
    if result["signal"]:
        return [catalog.CRASHED.finding(f"{where} was killed by {result['signal']}: {last}", evidence=evidence)]
    return [catalog.FAILED.finding(f"{where} failed: {last}", evidence=evidence)]


def _one_line(text: str) -> str:
    return " ".join(text.split())
