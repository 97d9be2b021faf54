"""The `tfshift` command line: one entry point, a subcommand per capability.

A subcommand's module is imported only when that subcommand runs, so the CLI starts fast
whatever the capabilities weigh.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
import traceback
from collections.abc import Sequence

import tfshift
from tfshift import arguments, config, supervisor
from tfshift.errors import TfshiftError

# name -> (module that registers it, one-line help). The module has `register(subparsers, name)`.
# Commands whose module is not present in this build are left out of the parser.
COMMANDS: dict[str, tuple[str, str]] = {
    "env": ("tfshift.envs.cli", "create, list, locate and remove managed TensorFlow environments"),
    "run": ("tfshift.envs.cli", "run a command inside a managed TensorFlow environment"),
    "matrix": ("tfshift.envs.cli", "run a command under several TensorFlow versions at once"),
    "doctor": ("tfshift.doctor.cli", "diagnose a Python environment's TensorFlow setup without importing it"),
    "api": ("tfshift.api.cli", "where and how a TensorFlow/Keras symbol exists across releases"),
    "scan": ("tfshift.code.cli", "report code that breaks or changes behaviour on a target version"),
    "upgrade": ("tfshift.code.cli", "rewrite code for a target TensorFlow version"),
    "rules": ("tfshift.rulebook", "document the rules of doctor, scan and upgrade"),
    "inspect": ("tfshift.models.cli", "describe a model file: format, producer, signatures, ops"),
    "convert": ("tfshift.models.convert.cli", "convert a TF1 or Keras 2 model for a newer TensorFlow"),
    "verify": ("tfshift.models.cli", "prove two models compute the same outputs, each in its own TF"),
    "demo": ("tfshift.demo.cli", "run the end-to-end demo on bundled examples"),
}


def available_commands() -> dict[str, tuple[str, str]]:
    return {name: entry for name, entry in COMMANDS.items() if _present(entry[0])}


def _present(module_name: str) -> bool:
    try:
        return importlib.util.find_spec(module_name) is not None
    except ModuleNotFoundError:
        return False


class ArgumentParser(argparse.ArgumentParser):
    """argparse with one-line errors (exit 2) instead of usage dumps."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS,
        help="show tracebacks for errors",
    )


def build_parser(command: str | None) -> ArgumentParser:
    parser = ArgumentParser(
        prog="tfshift",
        description="Move TensorFlow code and models across TensorFlow versions.",
        epilog="Run `tfshift COMMAND --help` for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"tfshift {tfshift.__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks for errors")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=ArgumentParser)
    table = config.load()
    source = str(config.find_pyproject() or "pyproject.toml")
    for name, (module_name, help_text) in available_commands().items():
        if command is not None and name != command:
            # Only the chosen command is imported; the others get a placeholder for --help.
            subparsers.add_parser(name, help=help_text)
            continue
        module = importlib.import_module(module_name)
        sub = module.register(subparsers, name, help_text)
        for action_parser in _all_parsers(sub):
            _add_common(action_parser)
            defaults = arguments.config_defaults(action_parser, config.defaults_for(name, table), source)
            if defaults:
                action_parser.set_defaults(**defaults)
    return parser


def _all_parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    found = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                found.extend(_all_parsers(child))
    return found


def _chosen_command(argv: Sequence[str]) -> str | None:
    for arg in argv:
        if arg == "--":
            return None
        if not arg.startswith("-"):
            return arg if arg in available_commands() else None
    return None


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        # From here on SIGTERM and SIGHUP stop the command as Ctrl-C does (see supervisor.py).
        with supervisor.signals():
            return _main(argv)
    except KeyboardInterrupt as exc:
        how = f"terminated ({exc.args[0]})" if isinstance(exc, supervisor.Terminated) else "interrupted"
        sys.stderr.write(f"tfshift: {how}\n")
        return supervisor.exit_code(exc)


def _main(argv: list[str]) -> int:
    command = _chosen_command(argv)
    try:
        parser = build_parser(command if command is not None else "__none__")
    except TfshiftError as exc:  # a bad [tool.tfshift] value
        sys.stderr.write(f"tfshift: error: {exc}\n")
        return exc.exit_code
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 0 if not argv else 2
    debug = bool(getattr(args, "debug", False))
    try:
        return int(handler(args) or 0)
    except TfshiftError as exc:
        if debug:
            traceback.print_exc()
        sys.stderr.write(f"tfshift: error: {exc}\n")
        return exc.exit_code
    except BrokenPipeError:
        return 0
    except Exception as exc:
        if debug:
            raise
        sys.stderr.write(
            f"tfshift: internal error: {type(exc).__name__}: {exc} "
            "(rerun with --debug for the traceback, and please report it)\n"
        )
        return 2
