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
from tfshift import config, output, supervisor
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
    "verify-code": ("tfshift.verifycode.cli", "prove a migrated program computes what the original did"),
    "demo": ("tfshift.demo.cli", "run the end-to-end demo on bundled examples"),
    "generate-shell-completion": ("tfshift.completion", "print a bash, zsh or fish completion script"),
}


def available_commands() -> dict[str, tuple[str, str]]:
    return {name: entry for name, entry in COMMANDS.items() if _present(entry[0])}


def _present(module_name: str) -> bool:
    try:
        return importlib.util.find_spec(module_name) is not None
    except ModuleNotFoundError:
        return False


class UsageError(TfshiftError):
    """A command line argparse refused (exit 2, one line)."""


class ArgumentParser(argparse.ArgumentParser):
    """argparse with one-line errors (exit 2) instead of usage dumps."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: error: {message} (see {self.prog} --help)")


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS,
        help="show tracebacks for errors",
    )
    parser.add_argument(
        "--quiet", "-q", action="store_true", default=argparse.SUPPRESS,
        help="no progress and no summary lines; only results and errors",
    )


def build_parser(command: str | None) -> ArgumentParser:
    """The parser, with the chosen command's module imported (the others are placeholders)."""
    parser = ArgumentParser(
        prog="tfshift",
        description="Move TensorFlow code and models across TensorFlow versions.",
        epilog="Run `tfshift COMMAND --help` for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"tfshift {tfshift.__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks for errors")
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress and no summary lines")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=ArgumentParser)
    for name, (module_name, help_text) in available_commands().items():
        if command != "*" and name != command:
            # Only the chosen command is imported; the others get a placeholder for --help.
            subparsers.add_parser(name, help=help_text)
            continue
        module = importlib.import_module(module_name)
        sub = module.register(subparsers, name, help_text)
        for action_parser in _all_parsers(sub):
            _add_common(action_parser)
    return parser


def command_parsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


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


def _wants_json(argv: Sequence[str]) -> bool:
    """--json / --format json before any `--` (after it, the words belong to COMMAND)."""
    for index, arg in enumerate(argv):
        if arg == "--":
            return False
        if arg == "--json" or arg in ("--format=json", "--format=sarif"):
            return True
        if arg == "--format" and index + 1 < len(argv) and argv[index + 1] in ("json", "sarif"):
            return True
    return False


def _positional_paths(parser: argparse.ArgumentParser, args: argparse.Namespace) -> list[str]:
    """The values of the positional arguments of the parsed command (the paths it was given)."""
    values: list[str] = []
    for sub in _all_parsers(parser):
        for action in sub._actions:
            if action.option_strings or action.nargs == argparse.REMAINDER:
                continue
            if isinstance(action, argparse._SubParsersAction):
                continue
            value = getattr(args, action.dest, None)
            if isinstance(value, str):
                values.append(value)
            elif isinstance(value, list):
                values.extend(v for v in value if isinstance(v, str))
    return values


def _apply_config(parser: ArgumentParser, command: str, argv: list[str]) -> argparse.Namespace:
    """Parse once to learn the paths, find the configuration above them, parse again with it."""
    args = parser.parse_args(argv)
    chosen = command_parsers(parser).get(command)
    if chosen is None:
        return args
    found = config.load(config.start_for(_positional_paths(chosen, args)))
    if not found.table:
        return args
    # Every command's options, to reject keys that no command has (a typo).
    everything = command_parsers(build_parser("*"))
    options = {name: config.options_of(name, sub) for name, sub in everything.items()}
    defaults = config.defaults_for(command, found, options)
    if defaults:
        for action_parser in _all_parsers(chosen):
            known = {a.dest for a in action_parser._actions}
            mine = {k: v for k, v in defaults.items() if k in known}
            if mine:
                action_parser.set_defaults(**mine)
        args = parser.parse_args(argv)
    args.config_path = str(found.path)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = _chosen_command(argv)
    as_json = _wants_json(argv)
    try:
        # From here on SIGTERM and SIGHUP stop the command as Ctrl-C does (see supervisor.py).
        with supervisor.signals():
            return _main(argv, command, as_json)
    except KeyboardInterrupt as exc:
        how = f"terminated ({exc.args[0]})" if isinstance(exc, supervisor.Terminated) else "interrupted"
        return _fail(command, how, supervisor.exit_code(exc), as_json)


def _main(argv: list[str], command: str | None, as_json: bool) -> int:
    debug = "--debug" in (argv[: argv.index("--")] if "--" in argv else argv)
    try:
        parser = build_parser(command if command is not None else "__none__")
        args = _apply_config(parser, command, argv) if command else parser.parse_args(argv)
        output.set_quiet(bool(getattr(args, "quiet", False)))
        handler = getattr(args, "handler", None)
        if handler is None:
            parser.print_help()
            return 0 if not argv else 2
        debug = bool(getattr(args, "debug", False))
        return int(handler(args) or 0)
    except TfshiftError as exc:
        if debug:
            traceback.print_exc()
        return _fail(command, str(exc), exc.exit_code, as_json)
    except BrokenPipeError:
        return 0
    except Exception as exc:
        if debug:
            raise
        return _fail(command, f"internal error: {type(exc).__name__}: {exc} "
                     "(rerun with --debug for the traceback, and please report it)", 2, as_json)


def _fail(command: str | None, message: str, code: int, as_json: bool) -> int:
    if message.startswith("tfshift"):  # argparse's own message names the program already
        line = message
    else:
        line = f"tfshift: {message}" if code >= 128 else f"tfshift: error: {message}"
    sys.stderr.write(line + "\n")
    if as_json:
        output.emit_error_json(command, message, code)
    return code
