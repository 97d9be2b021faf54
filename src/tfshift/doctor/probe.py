"""tfshift doctor probe: a snapshot of one Python environment, taken without importing TensorFlow.

Run by path with the interpreter under diagnosis (`python probe.py [--root DIR]`); it prints one
JSON document on stdout. Standard library only, and Python 3.6+ syntax, because it runs in
TensorFlow 1.x environments too. It never imports a third-party module: it reads distribution
metadata, `build_info.py` (with `ast`), headers and /proc files. Each section is isolated, so
a failure becomes an entry in "errors" instead of a lost snapshot.

`--root DIR` reads system files (/proc, /etc, /usr, /lib) under DIR instead of /; tests use it
to present fabricated GPU machines.
"""

import ast
import contextlib
import json
import os
import platform
import re
import struct
import sys
from importlib.machinery import PathFinder

PROBE_VERSION = 1
HERE = os.path.dirname(os.path.abspath(__file__))

# Top-level modules whose resolution matters: a local folder or file with one of these names
# hides the installed package.
WATCHED_MODULES = (
    "tensorflow", "tensorflow_core", "keras", "tf_keras", "numpy", "h5py", "ml_dtypes",
    "tensorboard", "tensorflow_estimator", "tensorflow_text", "tensorflow_hub",
    "tensorflow_probability", "tensorflow_addons", "tensorflow_io",
)
ENV_VARS = (
    "LD_LIBRARY_PATH", "TF_USE_LEGACY_KERAS", "CUDA_VISIBLE_DEVICES", "PYTHONPATH",
    "CONDA_PREFIX", "VIRTUAL_ENV", "PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION",
    "TF_CPP_MIN_LOG_LEVEL", "KERAS_BACKEND", "XLA_FLAGS", "CUDA_HOME", "CUDA_PATH",
    "PYTHONNOUSERSITE", "PYTHONSAFEPATH",
)
# Shared libraries TensorFlow dlopens for the GPU (and the driver's own).
CUDA_LIB = re.compile(
    r"^lib(cudart|cudnn|cublas|cublasLt|cufft|curand|cusolver|cusparse|nccl|nvinfer|cuda|"
    r"nvidia-ml|nvrtc|nvJitLink|cupti)\.so(\.[0-9][0-9.]*)?$"
)
SYSTEM_LIB_DIRS = (
    "/lib", "/usr/lib", "/lib64", "/usr/lib64", "/lib/x86_64-linux-gnu",
    "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
    "/usr/local/cuda/lib64", "/usr/local/cuda/targets/x86_64-linux/lib", "/usr/lib/wsl/lib",
)
HEADER_DIRS = (
    "/usr/include", "/usr/include/x86_64-linux-gnu", "/usr/local/cuda/include",
    "/usr/local/cuda/targets/x86_64-linux/include",
)


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


class Probe(object):
    def __init__(self, root):
        self.root = root
        self.errors = []

    def sys_path(self, path):
        """A system path under --root."""
        if self.root == "/":
            return path
        return os.path.join(self.root, path.lstrip("/"))

    def section(self, name, func, default=None):
        try:
            return func()
        except Exception as exc:  # a probe must never die: record and go on
            self.errors.append({"section": name, "error": "%s: %s" % (type(exc).__name__, exc)})
            return default


def read_text(path, limit=None):
    try:
        with open(path, "rb") as fh:
            data = fh.read() if limit is None else fh.read(limit)
    except (OSError, IOError):
        return None
    return data.decode("utf-8", "replace")


# -- Python -------------------------------------------------------------------------------------

def python_info():
    impl = sys.implementation
    return {
        "executable": sys.executable,
        "version": "%d.%d.%d" % sys.version_info[:3],
        "version_info": list(sys.version_info[:3]),
        "implementation": impl.name,
        "bits": struct.calcsize("P") * 8,
        "platform": sys.platform,
        "machine": platform.machine(),
        "system": platform.system(),
        "prefix": sys.prefix,
        "base_prefix": getattr(sys, "base_prefix", sys.prefix),
        "in_venv": getattr(sys, "base_prefix", sys.prefix) != sys.prefix,
        "user_site_enabled": bool(getattr(__import__("site"), "ENABLE_USER_SITE", False)),
    }


def marker_environment():
    """PEP 508 marker values, as packaging.markers.default_environment() computes them."""
    impl = sys.implementation
    iver = impl.version
    implementation_version = "%d.%d.%d" % (iver.major, iver.minor, iver.micro)
    if iver.releaselevel != "final":
        implementation_version += iver.releaselevel[0] + str(iver.serial)
    return {
        "implementation_name": impl.name,
        "implementation_version": implementation_version,
        "os_name": os.name,
        "platform_machine": platform.machine(),
        "platform_release": platform.release(),
        "platform_system": platform.system(),
        "platform_version": platform.version(),
        "python_full_version": platform.python_version(),
        "platform_python_implementation": platform.python_implementation(),
        "python_version": ".".join(platform.python_version_tuple()[:2]),
        "sys_platform": sys.platform,
    }


def search_path():
    """sys.path as the user's own `python -c` or REPL would see it: the working directory first.

    Python put this script's folder first; that entry is replaced, never imported from.
    """
    entries = list(sys.path)
    if entries and os.path.abspath(entries[0] or ".") == HERE:
        entries.pop(0)
        if not os.environ.get("PYTHONSAFEPATH"):
            entries.insert(0, os.getcwd())
    seen = set()
    out = []
    for entry in entries:
        full = os.path.abspath(entry or ".")
        if full not in seen:
            seen.add(full)
            out.append(full)
    return out


# -- Distributions ------------------------------------------------------------------------------

def parse_headers(text):
    """RFC 822 headers of METADATA / PKG-INFO, up to the first blank line (the body is skipped)."""
    headers = {}
    last = None
    for line in text.splitlines():
        if not line.strip():
            break
        if line[:1] in (" ", "\t") and last is not None:
            headers[last][-1] += " " + line.strip()
            continue
        key, sep, value = line.partition(":")
        if not sep:
            continue
        last = key.strip().lower()
        headers.setdefault(last, []).append(value.strip())
    return headers


def egg_requires(text):
    """requires.txt sections ([extra], [:marker], [extra:marker]) as Requires-Dist strings."""
    out = []
    marker = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            extra, _, cond = line[1:-1].partition(":")
            parts = []
            if extra.strip():
                parts.append('extra == "%s"' % extra.strip())
            if cond.strip():
                parts.append("(%s)" % cond.strip())
            marker = " and ".join(parts) or None
            continue
        out.append(line + ("; " + marker if marker else ""))
    return out


def record_top_level(text):
    """Top-level names a distribution installs, from its RECORD (when top_level.txt is absent)."""
    names = set()
    for line in text.splitlines():
        path = line.split(",", 1)[0].strip().strip('"')
        if not path or path.startswith(".."):
            continue
        first = path.split("/", 1)[0]
        if first.endswith((".dist-info", ".data", ".egg-info")) or first == "__pycache__":
            continue
        if "/" in path:
            if "." not in first:  # numpy.libs/, tensorflow.libs/: vendored libraries, not modules
                names.add(first)
        elif first.endswith(".py"):
            names.add(first[:-3])
        elif ".so" in first or first.endswith(".pyd"):
            names.add(first.split(".", 1)[0])
    return sorted(names)


def read_distribution(site, entry):
    meta_dir = os.path.join(site, entry)
    egg = entry.endswith(".egg-info")
    is_dir = os.path.isdir(meta_dir)
    if is_dir:
        text = read_text(os.path.join(meta_dir, "PKG-INFO" if egg else "METADATA"), 262144)
    else:
        text = read_text(meta_dir)  # a bare PKG-INFO file named *.egg-info
    headers = parse_headers(text or "")
    name = (headers.get("name") or [""])[0]
    version = (headers.get("version") or [""])[0]
    dist = {
        "entry": entry,
        "location": site,
        "name": canonical(name) if name else None,
        "raw_name": name or None,
        "version": version or None,
        "requires": list(headers.get("requires-dist", [])),
        "requires_python": (headers.get("requires-python") or [None])[0],
        "format": "egg-info" if egg else "dist-info",
        "problems": [],
    }
    if text is None:
        dist["problems"].append("no METADATA" if not egg else "no PKG-INFO")
    if not name or not version:
        dist["problems"].append("metadata without Name or Version")
    if is_dir:
        if egg:
            req = read_text(os.path.join(meta_dir, "requires.txt"))
            if req:
                dist["requires"] = egg_requires(req)
        top = read_text(os.path.join(meta_dir, "top_level.txt"))
        if top is not None:
            dist["top_level"] = sorted(set(t.strip().split("/")[0] for t in top.splitlines() if t.strip()))
            dist["top_level_source"] = "top_level.txt"
        else:
            record = read_text(os.path.join(meta_dir, "RECORD"))
            dist["top_level"] = record_top_level(record) if record else []
            dist["top_level_source"] = "RECORD" if record else None
        installer = read_text(os.path.join(meta_dir, "INSTALLER"), 200)
        dist["installer"] = installer.strip().splitlines()[0] if installer and installer.strip() else None
        wheel = read_text(os.path.join(meta_dir, "WHEEL"), 4096)
        dist["wheel_tags"] = [
            line.split(":", 1)[1].strip() for line in (wheel or "").splitlines() if line.startswith("Tag:")
        ]
        direct = read_text(os.path.join(meta_dir, "direct_url.json"), 65536)
        if direct:
            with contextlib.suppress(ValueError):
                dist["direct_url"] = json.loads(direct)
    return dist


def scan_site(site):
    """Distributions and top-level entries of one sys.path folder."""
    try:
        entries = sorted(os.listdir(site))
    except OSError:
        return [], []
    dists = [
        read_distribution(site, entry) for entry in entries
        if entry.endswith((".dist-info", ".egg-info")) and not entry.startswith("~")
    ]
    return dists, entries


def distributions(path):
    found = []
    listing = {}
    for site in path:
        if not os.path.isdir(site):
            continue
        dists, entries = scan_site(site)
        listing[site] = entries
        found.extend(dists)
    return found, listing


def is_site_dir(folder, dists):
    """An installation folder (site-packages, dist-packages, user site), not a project folder."""
    if any(d["location"] == folder for d in dists):
        return True
    if os.path.basename(folder) in ("site-packages", "dist-packages"):
        return True
    import site

    known = list(getattr(site, "getsitepackages", lambda: [])())
    if getattr(site, "ENABLE_USER_SITE", False):
        known.append(site.getusersitepackages())
    return folder in [os.path.abspath(k) for k in known]


def module_names(entries):
    """The importable top-level names among a folder's entries."""
    names = set()
    for entry in entries:
        if entry.endswith((".dist-info", ".egg-info", ".pth")):
            continue
        names.add(entry)
        names.add(entry.split(".", 1)[0])
    return names


def check_files(dists, listing):
    """Mark distributions whose top-level packages are missing from their folder."""
    for dist in dists:
        present = module_names(listing.get(dist["location"], []))
        missing = [name for name in dist.get("top_level") or [] if name not in present]
        if missing:
            dist["missing_top_level"] = missing


# -- Modules, leftovers ---------------------------------------------------------------------------

def resolve_modules(path):
    """Where `import NAME` would come from, found without executing anything."""
    out = {}
    for name in WATCHED_MODULES:
        spec = PathFinder.find_spec(name, path)
        if spec is None:
            out[name] = None
            continue
        locations = list(spec.submodule_search_locations or [])
        origin = spec.origin if spec.origin not in (None, "namespace") else None
        if origin:
            entry = os.path.dirname(origin)
            if os.path.basename(origin).startswith("__init__."):
                entry = os.path.dirname(entry)
            kind = "package" if locations else "module"
        else:
            entry = os.path.dirname(locations[0]) if locations else None
            kind = "namespace"
        out[name] = {"origin": origin, "locations": locations, "path_entry": entry, "kind": kind}
    return out


def leftovers(listing, dists):
    """`tensorflow*` folders that no distribution in the same folder claims, and pip's `~` debris."""
    owned = {}
    for dist in dists:
        for name in dist.get("top_level") or []:
            owned.setdefault(dist["location"], set()).add(name)
    out = []
    for site, entries in listing.items():
        for entry in entries:
            full = os.path.join(site, entry)
            if entry in ("tensorflow", "tensorflow_core") and entry not in owned.get(site, set()):
                if os.path.isdir(full):
                    try:
                        inner = os.listdir(full)
                    except OSError:
                        inner = []
                    out.append({
                        "path": full, "name": entry, "entries": len(inner),
                        "has_init": "__init__.py" in inner,
                        "only_cache": bool(inner) and set(inner) <= {"__pycache__"},
                    })
            elif entry.startswith("~") and "ensorflow" in entry:
                out.append({"path": full, "name": entry, "entries": None, "has_init": False,
                            "only_cache": False, "pip_debris": True})
    return out


# -- TensorFlow build facts -----------------------------------------------------------------------

def literal_assignments(source):
    """Module-level NAME = literal, and NAME = OrderedDict([...]) / dict(...) / {...}."""
    tree = ast.parse(source)
    values = {}
    for node in tree.body:
        if not isinstance(node, ast.Assign) or len(node.targets) != 1:
            continue
        target = node.targets[0]
        if not isinstance(target, ast.Name):
            continue
        value = node.value
        try:
            if isinstance(value, ast.Call) and len(value.args) == 1 and not value.keywords:
                values[target.id] = dict(ast.literal_eval(value.args[0]))
            else:
                values[target.id] = ast.literal_eval(value)
        except (ValueError, TypeError, SyntaxError):
            continue
    return values


def tf_package_dirs(modules, dists):
    """Folders of the `tensorflow` (and `tensorflow_core`) packages that are installed."""
    dirs = []
    for name in ("tensorflow", "tensorflow_core"):
        spec = modules.get(name)
        if spec and spec["locations"]:
            dirs.extend(spec["locations"])
    for dist in dists:
        for name in ("tensorflow", "tensorflow_core"):
            if name in (dist.get("top_level") or []):
                dirs.append(os.path.join(dist["location"], name))
    out = []
    for d in dirs:
        if d not in out and os.path.isdir(d):
            out.append(d)
    return out


def build_info(package_dirs):
    for pkg in package_dirs:
        path = os.path.join(pkg, "python", "platform", "build_info.py")
        text = read_text(path)
        if text is None:
            continue
        values = literal_assignments(text)
        merged = dict(values.get("build_info") or {})
        for key, value in values.items():
            if key != "build_info" and not key.startswith("_"):
                merged.setdefault(key, value)
        # Old builds (1.x, 2.0, 2.1) spell the versions cuda_version_number / cudnn_version_number.
        if "cuda_version_number" in merged:
            merged.setdefault("cuda_version", merged["cuda_version_number"])
        if "cudnn_version_number" in merged:
            merged.setdefault("cudnn_version", merged["cudnn_version_number"])
        return {"path": path, "values": merged}
    return None


def cuda_config(package_dirs):
    candidates = (
        ("include", "third_party", "gpus", "cuda", "cuda_config.h"),
        ("include", "external", "local_config_cuda", "cuda", "cuda", "cuda_config.h"),
    )
    for pkg in package_dirs:
        for parts in candidates:
            path = os.path.join(pkg, *parts)
            text = read_text(path)
            if text is None:
                continue
            values = dict(re.findall(r'#define\s+(TF_\w+)\s+"?([^"\n]*?)"?\s*$', text, re.M))
            return {"path": path, "values": values}
    return None


# -- System ---------------------------------------------------------------------------------------

def glibc():
    try:
        text = os.confstr("CS_GNU_LIBC_VERSION")
    except (AttributeError, ValueError, OSError):
        text = None
    if text and text.startswith("glibc "):
        return text.split()[1]
    lib, version = platform.libc_ver()
    return version if lib == "glibc" and version else None


def run(cmd, timeout=5):
    import subprocess  # only macOS needs it; importing it costs the other platforms time

    try:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        out, _ = proc.communicate(timeout=timeout)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.decode("utf-8", "replace") if proc.returncode == 0 else None


def cpu(probe):
    info = {"flags": None, "model": None, "rosetta": False}
    if sys.platform.startswith("linux"):
        text = read_text(probe.sys_path("/proc/cpuinfo"), 1 << 20) or ""
        for line in text.splitlines():
            key, _, value = line.partition(":")
            key = key.strip().lower()
            if key in ("flags", "features") and info["flags"] is None:
                info["flags"] = sorted(set(value.split()))
            elif key == "model name" and info["model"] is None:
                info["model"] = value.strip()
    elif sys.platform == "darwin":
        out = run(["sysctl", "-n", "machdep.cpu.features", "machdep.cpu.leaf7_features"])
        if out:
            info["flags"] = sorted(set(f.lower().replace("1.0", "") for f in out.split()))
        info["model"] = (run(["sysctl", "-n", "machdep.cpu.brand_string"]) or "").strip() or None
        info["rosetta"] = (run(["sysctl", "-n", "sysctl.proc_translated"]) or "").strip() == "1"
    elif sys.platform == "win32":
        import ctypes

        present = ctypes.windll.kernel32.IsProcessorFeaturePresent
        # PF_AVX_INSTRUCTIONS_AVAILABLE = 39, PF_AVX2 = 40, PF_AVX512F = 41
        info["flags"] = [name for code, name in ((39, "avx"), (40, "avx2"), (41, "avx512f")) if present(code)]
    return info


def os_release(probe):
    text = read_text(probe.sys_path("/etc/os-release"))
    if not text:
        return None
    for line in text.splitlines():
        if line.startswith("PRETTY_NAME="):
            return line.split("=", 1)[1].strip().strip('"')
    return None


def system(probe):
    proc_version = read_text(probe.sys_path("/proc/version"), 4096) or ""
    cgroup = read_text(probe.sys_path("/proc/1/cgroup"), 65536) or ""
    return {
        "glibc": glibc() if sys.platform.startswith("linux") else None,
        "cpu": probe.section("cpu", lambda: cpu(probe), {}),
        "os": probe.section("os", lambda: os_release(probe)),
        "wsl": "microsoft" in proc_version.lower(),
        "container": os.path.exists(probe.sys_path("/.dockerenv")) or "docker" in cgroup or "containerd" in cgroup,
    }


# -- GPU ------------------------------------------------------------------------------------------

def ld_so_conf_dirs(probe, path="/etc/ld.so.conf", depth=0):
    """Folders listed in ld.so.conf and its includes (the loader cache is built from them)."""
    text = read_text(probe.sys_path(path))
    if text is None or depth > 4:
        return []
    out = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("include "):
            pattern = line.split(None, 1)[1]
            if not pattern.startswith("/"):
                pattern = os.path.join(os.path.dirname(path), pattern)
            folder, _, glob = pattern.rpartition("/")
            regex = re.compile("^" + re.escape(glob).replace("\\*", ".*") + "$")
            try:
                names = sorted(os.listdir(probe.sys_path(folder)))
            except OSError:
                names = []
            for name in names:
                if regex.match(name):
                    out.extend(ld_so_conf_dirs(probe, folder + "/" + name, depth + 1))
        else:
            out.append(line)
    return out


def library_dirs(probe, site_dirs):
    """Folders searched for CUDA libraries, in the loader's order, each with where it comes from."""
    dirs = []
    for entry in os.environ.get("LD_LIBRARY_PATH", "").split(os.pathsep):
        if entry:
            dirs.append((entry, "LD_LIBRARY_PATH"))
    for site in site_dirs:
        nvidia = os.path.join(site, "nvidia")
        try:
            subs = sorted(os.listdir(nvidia))
        except OSError:
            continue
        for sub in subs:
            lib = os.path.join(nvidia, sub, "lib")
            if os.path.isdir(lib):
                dirs.append((lib, "pip"))
    conda = os.environ.get("CONDA_PREFIX")
    if conda:
        dirs.append((os.path.join(conda, "lib"), "conda"))
    for entry in ld_so_conf_dirs(probe) + list(SYSTEM_LIB_DIRS):
        dirs.append((probe.sys_path(entry), "system"))
    seen = set()
    out = []
    for folder, origin in dirs:
        key = os.path.normpath(folder)
        if key not in seen:
            seen.add(key)
            out.append((folder, origin))
    return out


def cuda_libraries(probe, site_dirs):
    found = []
    for folder, origin in library_dirs(probe, site_dirs):
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        for name in names:
            match = CUDA_LIB.match(name)
            if not match:
                continue
            full = os.path.join(folder, name)
            real = os.path.realpath(full)
            found.append({
                "lib": match.group(1), "name": name, "path": full, "origin": origin,
                "real": os.path.basename(real), "exists": os.path.exists(real),
            })
    return found


def header_defines(text, names):
    out = {}
    for name in names:
        match = re.search(r"#define\s+%s\s+(\d+)" % name, text)
        if match:
            out[name] = int(match.group(1))
    return out


def cudnn_headers(probe, site_dirs):
    dirs = [(probe.sys_path(d), "system") for d in HEADER_DIRS]
    for site in site_dirs:
        dirs.append((os.path.join(site, "nvidia", "cudnn", "include"), "pip"))
    conda = os.environ.get("CONDA_PREFIX")
    if conda:
        dirs.append((os.path.join(conda, "include"), "conda"))
    for entry in os.environ.get("LD_LIBRARY_PATH", "").split(os.pathsep):
        if entry:
            dirs.append((os.path.join(os.path.dirname(entry.rstrip("/")), "include"), "LD_LIBRARY_PATH"))
    found = []
    seen = set()
    for folder, origin in dirs:
        for header in ("cudnn_version.h", "cudnn.h"):
            path = os.path.join(folder, header)
            if path in seen:
                continue
            seen.add(path)
            text = read_text(path)
            if not text:
                continue
            values = header_defines(text, ("CUDNN_MAJOR", "CUDNN_MINOR", "CUDNN_PATCHLEVEL"))
            if "CUDNN_MAJOR" in values:
                found.append({
                    "path": path, "origin": origin,
                    "version": "%d.%d.%d" % (values["CUDNN_MAJOR"], values.get("CUDNN_MINOR", 0),
                                             values.get("CUDNN_PATCHLEVEL", 0)),
                })
                break
    return found


def cuda_toolkits(probe):
    found = []
    base = probe.sys_path("/usr/local")
    try:
        names = sorted(os.listdir(base))
    except OSError:
        names = []
    for name in names:
        if not name.startswith("cuda"):
            continue
        folder = os.path.join(base, name)
        version = None
        text = read_text(os.path.join(folder, "version.json"))
        if text:
            try:
                version = json.loads(text).get("cuda", {}).get("version")
            except ValueError:
                version = None
        if version is None:
            text = read_text(os.path.join(folder, "version.txt")) or ""
            match = re.search(r"CUDA Version\s+([\d.]+)", text)
            version = match.group(1) if match else None
        if version is None:
            text = read_text(os.path.join(folder, "include", "cuda_runtime_api.h")) or ""
            number = header_defines(text, ("CUDART_VERSION",)).get("CUDART_VERSION")
            version = "%d.%d" % (number // 1000, (number % 1000) // 10) if number else None
        found.append({
            "path": folder, "version": version,
            "nvcc": os.path.exists(os.path.join(folder, "bin", "nvcc")),
            "link": os.path.islink(folder),
        })
    return found


def driver_from_proc(probe):
    text = read_text(probe.sys_path("/proc/driver/nvidia/version"), 4096)
    if not text:
        return None
    match = re.search(r"Kernel Module(?:\s+for\s+\S+)?\s+(\d+\.\d+(?:\.\d+)?)", text)
    return {"version": match.group(1) if match else None, "source": "/proc/driver/nvidia/version",
            "text": text.splitlines()[0].strip() if text.strip() else ""}


def nvml():
    """Driver version, CUDA driver API version and GPUs through NVML, when libnvidia-ml loads."""
    import ctypes

    try:
        lib = ctypes.CDLL("libnvidia-ml.so.1")
    except OSError:
        return None
    init = getattr(lib, "nvmlInit_v2", None) or lib.nvmlInit
    if init() != 0:
        return {"error": "nvmlInit failed"}
    try:
        buf = ctypes.create_string_buffer(96)
        out = {"gpus": []}
        if lib.nvmlSystemGetDriverVersion(buf, 96) == 0:
            out["driver"] = buf.value.decode()
        cuda = ctypes.c_int()
        if lib.nvmlSystemGetCudaDriverVersion(ctypes.byref(cuda)) == 0:
            out["cuda_driver"] = "%d.%d" % (cuda.value // 1000, (cuda.value % 1000) // 10)
        count = ctypes.c_uint()
        if lib.nvmlDeviceGetCount_v2(ctypes.byref(count)) == 0:
            for index in range(count.value):
                handle = ctypes.c_void_p()
                if lib.nvmlDeviceGetHandleByIndex_v2(index, ctypes.byref(handle)) != 0:
                    continue
                name = ctypes.create_string_buffer(96)
                lib.nvmlDeviceGetName(handle, name, 96)
                major, minor = ctypes.c_int(), ctypes.c_int()
                cc = None
                if lib.nvmlDeviceGetCudaComputeCapability(handle, ctypes.byref(major), ctypes.byref(minor)) == 0:
                    cc = "%d.%d" % (major.value, minor.value)
                out["gpus"].append({"name": name.value.decode(), "compute_capability": cc})
        return out
    finally:
        lib.nvmlShutdown()


def pci_gpus(probe):
    """NVIDIA display or 3D controllers on the PCI bus (vendor 0x10de, class 0x03xxxx): a GPU that
    is there whether or not a driver is loaded (sysfs shows it in containers too)."""
    base = probe.sys_path("/sys/bus/pci/devices")
    try:
        names = sorted(os.listdir(base))
    except OSError:
        return None
    found = []
    for name in names:
        vendor = (read_text(os.path.join(base, name, "vendor"), 64) or "").strip()
        klass = (read_text(os.path.join(base, name, "class"), 64) or "").strip()
        if vendor == "0x10de" and klass.startswith("0x03"):
            found.append(name)
    return found


def gpu(probe, site_dirs):
    info = {
        "pci_gpus": probe.section("pci_gpus", lambda: pci_gpus(probe)),
        "driver": probe.section("driver", lambda: driver_from_proc(probe)),
        "libraries": probe.section("cuda_libraries", lambda: cuda_libraries(probe, site_dirs), []),
        "cudnn_headers": probe.section("cudnn_headers", lambda: cudnn_headers(probe, site_dirs), []),
        "toolkits": probe.section("cuda_toolkits", lambda: cuda_toolkits(probe), []),
        "nvml": None,
    }
    # NVML and libcuda are only meaningful for the real machine, not for a --root tree.
    if probe.root == "/" and sys.platform.startswith("linux"):
        info["nvml"] = probe.section("nvml", nvml)
        if info["driver"] is None and info["nvml"] and info["nvml"].get("driver"):
            info["driver"] = {"version": info["nvml"]["driver"], "source": "NVML", "text": ""}
    return info


# -- Main -----------------------------------------------------------------------------------------

def snapshot(root):
    probe = Probe(root)
    path = search_path()
    dists, listing = probe.section("distributions", lambda: distributions(path), ([], {}))
    probe.section("files", lambda: check_files(dists, listing))
    modules = probe.section("modules", lambda: resolve_modules(path), {})
    site_dirs = [site for site in path if is_site_dir(site, dists)]
    packages = probe.section("tf_dirs", lambda: tf_package_dirs(modules, dists), [])
    return {
        "probe": PROBE_VERSION,
        "python": python_info(),
        "markers": probe.section("markers", marker_environment, {}),
        "cwd": os.getcwd(),
        "path": path,
        "site_dirs": site_dirs,
        "distributions": dists,
        "modules": modules,
        "leftovers": probe.section("leftovers", lambda: leftovers(listing, dists), []),
        "build_info": probe.section("build_info", lambda: build_info(packages)),
        "cuda_config": probe.section("cuda_config", lambda: cuda_config(packages)),
        "environ": dict((k, os.environ[k]) for k in ENV_VARS if k in os.environ),
        "pip": PathFinder.find_spec("pip", site_dirs) is not None,
        "system": probe.section("system", lambda: system(probe), {}),
        "gpu": probe.section("gpu", lambda: gpu(probe, site_dirs), {}),
        "errors": probe.errors,
    }


def main(argv):
    root = "/"
    if len(argv) >= 2 and argv[0] == "--root":
        root = os.path.abspath(argv[1])
    document = snapshot(root)
    out = json.dumps(document, sort_keys=True)
    sys.stdout.write(out + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
