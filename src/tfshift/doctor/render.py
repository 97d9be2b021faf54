"""Output of `tfshift doctor`: the human report (grouped by severity, ending with the fix
commands) and the `doctor/1` JSON document."""

from __future__ import annotations

from typing import Any

from packaging.version import Version

from tfshift.doctor.findings import SEVERITIES, Finding
from tfshift.doctor.rules.gpu import pip_cuda
from tfshift.doctor.snapshot import Snapshot
from tfshift.output import color

COLORS = {"error": "1;31", "warning": "1;33", "info": "36"}
COMPANIONS = ("keras", "tf-keras", "numpy", "protobuf", "h5py", "ml-dtypes", "tensorflow-estimator",
              "tensorflow-text", "tensorflow-probability", "tensorflow-addons", "tensorflow-io", "tensorflow-hub")


def tf_keras_flavour(s: Snapshot) -> str | None:
    """What `tf.keras` resolves to, as TensorFlow's lazy loader decides it."""
    tf = s.tf_version
    if tf is None:
        return None
    if tf >= Version("2.15") and s.env_flag_legacy_keras:
        found = s.dist("tf-keras")
        return f"tf-keras {found.raw_version} (TF_USE_LEGACY_KERAS)" if found else "tf-keras (missing)"
    if tf >= Version("2.6"):
        keras = s.dist("keras")
        if keras is None:
            return "keras (missing)"
        major = keras.version.major if keras.version else 0
        return f"Keras {'3' if major >= 3 else '2'} (keras {keras.raw_version})"
    return "Keras 2 (built in)"


def summary(findings: list[Finding]) -> dict[str, int]:
    return {sev: sum(1 for f in findings if f.severity == sev) for sev in SEVERITIES}


def document(s: Snapshot, findings: list[Finding], import_check: dict[str, Any] | None) -> dict[str, Any]:
    py = s.python
    system = s.system
    cpu = system.get("cpu") or {}
    doc: dict[str, Any] = {
        "python": {
            "executable": s.python_path, "version": py.get("version"), "implementation": py.get("implementation"),
            "platform": py.get("platform"), "machine": py.get("machine"), "bits": py.get("bits"),
            "prefix": py.get("prefix"), "in_venv": py.get("in_venv"), "chosen_by": s.python_source,
        },
        "tensorflow": None,
        "packages": {d.name: d.raw_version for d in sorted(s.by_name.values(), key=lambda d: d.name)},
        "system": {
            "glibc": system.get("glibc"), "os": system.get("os"), "wsl": system.get("wsl"),
            "container": system.get("container"), "cpu_model": cpu.get("model"),
            "cpu_features": [f for f in cpu.get("flags") or [] if f.startswith(("avx", "fma", "sse4", "amx"))],
        },
        "gpu": {
            "driver": s.gpu.get("driver"), "nvml": s.gpu.get("nvml"), "pip_cuda": pip_cuda(s),
            "pci_gpus": s.gpu.get("pci_gpus"),
            "cuda_libraries": s.gpu.get("libraries") or [], "cudnn_headers": s.gpu.get("cudnn_headers") or [],
            "cuda_toolkits": s.gpu.get("toolkits") or [],
        },
        "findings": [f.as_dict() for f in findings],
        "summary": summary(findings),
    }
    if s.tf is not None:
        doc["tensorflow"] = {
            "distribution": s.tf.name, "version": s.tf.raw_version, "location": s.tf.location,
            "distributions": [d.label() for d in s.tf_owners], "tf_keras": tf_keras_flavour(s),
            "build": s.build_info,
        }
    if s.data.get("assumed_tf"):
        doc["preview"] = s.data["assumed_tf"]
    if import_check is not None:
        doc["import_check"] = import_check
    return doc


def _evidence(evidence: dict[str, Any]) -> str:
    parts = []
    for key, value in evidence.items():
        if value is None or value == [] or value == {}:
            continue
        if isinstance(value, list):
            shown = [str(v).strip() for v in value]
            if len(shown) > 4:  # a log tail: the last lines carry the error
                shown = [f"... {len(shown) - 3} more", *shown[-3:]]
            value = " | ".join(shown)
        elif isinstance(value, dict):
            value = "; ".join(f"{k}={v}" for k, v in value.items())
        parts.append(f"{key}={value}")
    return "  ".join(parts)


def header(s: Snapshot) -> list[str]:
    py = s.python
    system = s.system
    where = f"{py.get('platform')} {py.get('machine')}"
    if system.get("glibc"):
        where += f", glibc {system['glibc']}"
    lines = [f"Python {py.get('version')}  {s.python_path}  ({where}; chosen by {s.python_source})"]
    assumed = s.data.get("assumed_tf")
    if assumed:
        lines.append(f"Previewing TensorFlow {assumed['version']} in place of {assumed['installed'] or 'nothing'} "
                     "(its published requirements against what is installed)")
    if s.tf is None:
        lines.append("TensorFlow: not installed")
    else:
        parts = [f"TensorFlow {s.tf.raw_version} ({s.tf.name})", f"tf.keras: {tf_keras_flavour(s)}"]
        parts += [f"{n} {s.dist(n).raw_version}" for n in COMPANIONS if n != "keras" and s.dist(n)]
        lines.append(" | ".join(parts))
        info = s.build_info
        gpu = []
        if info.get("is_cuda_build"):
            gpu.append(f"CUDA build {info.get('cuda_version')}/cuDNN {info.get('cudnn_version')}")
            pip = pip_cuda(s)
            if pip:
                gpu.append(f"pip CUDA {pip['cuda']}/cuDNN {pip.get('cudnn') or 'none'} (nvidia-* wheels)")
        elif info:
            gpu.append("CPU-only build")
        driver = (s.gpu.get("driver") or {}).get("version")
        gpu.append(f"NVIDIA driver {driver}" if driver else "no NVIDIA driver")
        flags = (system.get("cpu") or {}).get("flags") or []
        avx = [f.upper() for f in ("avx", "avx2", "avx512f") if f in flags]
        if flags:
            gpu.append("CPU: " + (" ".join(avx) if avx else "no AVX"))
        lines.append(" | ".join(gpu))
    return lines


def fixes(findings: list[Finding]) -> list[str]:
    """Fix commands, errors first, each once."""
    out: list[str] = []
    for f in findings:
        if f.fix and f.fix not in out and f.severity != "info":
            out.append(f.fix)
    for f in findings:
        if f.fix and f.fix not in out:
            out.append(f.fix)
    return out


def text(s: Snapshot, findings: list[Finding], import_check: dict[str, Any] | None) -> str:
    lines = header(s)
    if import_check is not None:
        if import_check.get("skipped"):
            lines.append(f"import check: skipped ({import_check['skipped']})")
        elif import_check["ok"]:
            tf = import_check.get("tensorflow") or {}
            keras = import_check.get("keras") or {}
            lines.append(f"import check: TensorFlow {tf.get('version')} imported in {import_check['seconds']:.1f} s, "
                         f"tf.keras -> {keras.get('module')}")
        else:
            how = "timed out" if import_check["timed_out"] else (import_check["signal"] or f"exit {import_check['returncode']}")
            lines.append(f"import check: FAILED ({how}) after {import_check['seconds']:.1f} s")
    lines.append("")
    if not findings:
        lines.append("No problems found.")
        return "\n".join(lines)
    for severity in SEVERITIES:
        group = [f for f in findings if f.severity == severity]
        if not group:
            continue
        lines.append(color(f"{severity} ({len(group)})", COLORS[severity]))
        for f in group:
            lines.append(f"  {color(f.id, COLORS[severity])} {f.message}")
            evidence = _evidence(f.evidence)
            if evidence:
                lines.append(f"         {evidence}")
    counts = summary(findings)
    first = min(findings, key=lambda f: f.sort_key).id
    lines += ["", f"{counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} info; "
              f"explain a rule with `tfshift rules {first}`"]
    commands = fixes(findings)
    if commands:
        lines += ["", "To fix, run:"]
        lines += [f"  {c}" for c in commands]
    return "\n".join(lines)
