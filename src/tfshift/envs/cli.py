"""Command line for environments: `tfshift env`, `tfshift run`, `tfshift matrix`."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from tfshift.arguments import JOBS
from tfshift.output import emit_json, table


def register(subparsers, name: str, help_text: str) -> argparse.ArgumentParser:
    return {"env": _register_env, "run": _register_run, "matrix": _register_matrix}[name](
        subparsers, name, help_text
    )


def _add_with(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--with", dest="extras", action="append", default=[], metavar="REQ",
        help="extra requirement (repeatable); each set of extras gets its own cached environment",
    )


def _add_gpu(parser: argparse.ArgumentParser, cuda: bool = True) -> None:
    parser.add_argument(
        "--gpu", action="store_true",
        help="the GPU environment: the CUDA build with the CUDA/cuDNN it was built against "
        "(NVIDIA's pip wheels from TF 2.12; the system's CUDA before)",
    )
    if cuda:
        parser.add_argument(
            "--cuda", metavar="VERSION",
            help="another CUDA the build can use (implies --gpu): 11.8 for TF 2.5-2.11 "
            "(pip wheels instead of the system's CUDA 11.2)",
        )


def _warn_system_cuda(env) -> None:
    """GPU environments on the system's CUDA: one line on what the machine lacks."""
    from tfshift.envs import gpu
    from tfshift.output import warn

    if env.gpu and env.gpu.get("source") == "system":
        line = gpu.warning(env)
        if line:
            warn(line)


def _register_env(subparsers, name, help_text):
    parser = subparsers.add_parser(name, help=help_text, description=help_text)
    actions = parser.add_subparsers(dest="env_command", metavar="ACTION", required=True)

    create = actions.add_parser(
        "create", help="build (or reuse) the environment of a TensorFlow version",
        description="Build, or reuse after checking it, an isolated environment holding that "
        "TensorFlow version, the newest Python that has wheels for it, and the pins it needs. "
        "Prints the environment's path as the last line.",
    )
    create.add_argument("version", help="TensorFlow version: 2.15 (newest patch) or 2.15.1")
    create.add_argument("--python", metavar="PATH", help="use this interpreter instead of discovering one")
    create.add_argument("--keras2", action="store_true",
                        help="Keras 2 through tf-keras and TF_USE_LEGACY_KERAS=1 (TF 2.16+)")
    _add_with(create)
    _add_gpu(create)
    create.add_argument("--force", action="store_true", help="rebuild even if it exists")
    create.add_argument("--backend", choices=["uv", "pip"], help="environment builder (default: uv, else pip)")
    create.add_argument("--compile", action="store_true",
                        help="byte-compile the installed packages (TensorFlow then imports ~3x faster "
                        "when PYTHONDONTWRITEBYTECODE is set)")
    create.set_defaults(handler=_create)

    lst = actions.add_parser("list", help="list managed environments")
    lst.add_argument("--json", action="store_true", help="print JSON (schema env-list/1)")
    lst.set_defaults(handler=_list)

    path = actions.add_parser("path", help="print the path of an existing environment")
    path.add_argument("version")
    path.add_argument("--keras2", action="store_true")
    _add_gpu(path)
    path.set_defaults(handler=_path)

    remove = actions.add_parser("remove", help="remove environments of a version, or all")
    remove.add_argument("version", nargs="?")
    remove.add_argument("--keras2", action="store_true")
    remove.add_argument("--gpu", action="store_true", help="the GPU environments of that version")
    remove.add_argument("--all", action="store_true", help="remove every managed environment")
    remove.set_defaults(handler=_remove)
    return parser


def _register_run(subparsers, name, help_text):
    parser = subparsers.add_parser(
        name, help=help_text,
        description="Run COMMAND with the environment first on PATH (creating it when missing). "
        "`python` means the environment's interpreter. Exits with COMMAND's exit code.",
        usage="tfshift run --tf VERSION [--keras2] [--with REQ ...] -- COMMAND [ARG ...]",
    )
    parser.add_argument("--tf", metavar="VERSION",
                        help='TensorFlow version (or tf = "2.21" in [tool.tfshift.run])')
    parser.add_argument("--keras2", action="store_true")
    parser.add_argument("--python", metavar="PATH", help="interpreter to build the environment with")
    _add_with(parser)
    _add_gpu(parser)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    parser.set_defaults(handler=_run)
    return parser


def _register_matrix(subparsers, name, help_text):
    parser = subparsers.add_parser(
        name, help=help_text,
        description="Run COMMAND once per TensorFlow version, concurrently; each version's output "
        "goes to its own log. Exit 0 only if every run exited 0.",
        usage="tfshift matrix --tf V1,V2,... [--jobs N] [--json] -- COMMAND [ARG ...]",
    )
    parser.add_argument("--tf", metavar="V1,V2,...",
                        help='TensorFlow versions (or tf = "1.15,2.21" in [tool.tfshift.matrix])')
    parser.add_argument("--jobs", type=JOBS, default=min(os.cpu_count() or 1, JOBS.high), metavar="N")
    parser.add_argument("--keras2", action="store_true")
    _add_with(parser)
    _add_gpu(parser)
    parser.add_argument("--json", action="store_true", help="print JSON (schema matrix/1)")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    parser.set_defaults(handler=_matrix)
    return parser


def _create(args) -> int:
    from tfshift.envs import manager

    env = manager.ensure(args.version, keras2=args.keras2, extras=args.extras, python=args.python,
                         force=args.force, backend=args.backend, compile_bytecode=args.compile,
                         gpu=args.gpu, cuda=args.cuda)
    _warn_system_cuda(env)
    print(env.path)
    return 0


def _list(args) -> int:
    from tfshift.envs import disk, gpu, manager

    envs = manager.list_envs()
    measured, together = disk.tree_sizes([Path(e["path"]) for e in envs])
    for entry in envs:
        entry.update(measured[Path(entry["path"])])
    if args.json:
        emit_json("env-list/1", {"home": str(manager.envs_dir()), "environments": envs,
                                 "bytes": together})
        return 0
    if not envs:
        print(f"no environments under {manager.envs_dir()}; create one with `tfshift env create 2.21`")
        return 0
    rows = [
        (e["name"], e.get("tf") or "?", e.get("python") or "?", "yes" if e.get("keras2") else "",
         gpu.label(e.get("gpu")), ",".join(e.get("with") or []), disk.human(e["bytes"]), e["status"])
        for e in envs
    ]
    print(table(["NAME", "TF", "PYTHON", "KERAS2", "GPU", "WITH", "SIZE", "STATUS"], rows))
    listed = sum(e["bytes"] for e in envs)
    print(f"\n{len(envs)} environment(s) under {manager.envs_dir()}: {disk.human(listed)} listed, "
          f"{disk.human(together)} on disk (files hardlinked from uv's cache counted once)")
    return 0


def _path(args) -> int:
    from tfshift.envs import manager

    print(manager.require_existing(args.version, keras2=args.keras2, gpu=args.gpu, cuda=args.cuda).path)
    return 0


def _remove(args) -> int:
    from tfshift.envs import manager
    from tfshift.errors import TfshiftError

    if args.all == bool(args.version):
        raise TfshiftError("give either a VERSION or --all")
    removed = (manager.remove_all() if args.all
               else manager.remove(args.version, keras2=args.keras2, gpu=args.gpu))
    for path in removed:
        print(f"removed {path}")
    if not removed:
        sys.stderr.write("tfshift: nothing to remove\n")
    return 0


def _run(args) -> int:
    from tfshift.envs import manager
    from tfshift.envs.run import exec_in, strip_separator
    from tfshift.errors import TfshiftError

    if not args.tf:
        raise TfshiftError('--tf VERSION is required (or tf = "2.21" in [tool.tfshift.run] of pyproject.toml)')
    if "," in args.tf:
        raise TfshiftError(f"--tf {args.tf}: run takes one version; use `tfshift matrix` for several")
    command = strip_separator(args.command)
    if not command:
        raise TfshiftError("no command given; write it after --, e.g. tfshift run --tf 2.21 -- python -V")
    env = manager.ensure(args.tf, keras2=args.keras2, extras=args.extras, python=args.python,
                         gpu=args.gpu, cuda=args.cuda)
    _warn_system_cuda(env)
    exec_in(env, command)


def _matrix(args) -> int:
    from tfshift.envs import table as versions
    from tfshift.envs.matrix import run_matrix
    from tfshift.envs.run import strip_separator
    from tfshift.errors import TfshiftError

    if not args.tf:
        raise TfshiftError('--tf V1,V2,... is required (or tf = "1.15,2.21" in [tool.tfshift.matrix] of pyproject.toml)')
    requests = versions.parse_list(args.tf)
    command = strip_separator(args.command)
    if not command:
        raise TfshiftError("no command given; write it after --, e.g. tfshift matrix --tf 1.15,2.21 -- python -V")
    logs, outcomes = run_matrix(requests, command, jobs=args.jobs, keras2=args.keras2, extras=args.extras,
                                gpu=args.gpu, cuda=args.cuda)
    failed = [o for o in outcomes if o.exit_code != 0]
    if args.json:
        emit_json("matrix/1", {"command": command, "log_dir": str(logs),
                               "results": [o.as_dict() for o in outcomes]})
    else:
        from tfshift.output import GREEN, RED, color

        gpu = any(o.gpu for o in outcomes)
        rows = [(o.tf, o.python, *([o.gpu] if gpu else []), o.exit_code, f"{o.seconds:.1f}", o.output_tail)
                for o in outcomes]
        exit_at = 3 if gpu else 2
        styles = [tuple((GREEN if o.exit_code == 0 else RED) if i == exit_at else None
                        for i in range(len(rows[0]))) for o in outcomes]
        print(table(["TF", "PYTHON", *(["GPU"] if gpu else []), "EXIT", "SECONDS", "LAST LINE"], rows,
                    styles=styles))
        print(f"\nlogs: {logs}")
        if failed:
            print(color("failed under: " + ", ".join(f"TF {o.tf} (exit {o.exit_code})" for o in failed), RED))
        else:
            print(color(f"passed under all {len(outcomes)} versions", GREEN))
    return 1 if failed else 0
