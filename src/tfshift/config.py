"""Where tfshift keeps its state, and `[tool.tfshift]` configuration from pyproject.toml.

Configuration comes from the nearest `pyproject.toml` above the paths a command is given (else
above the working directory), as ruff finds its own. Keys are long option names (`from`,
`unsafe-fixes`; `unsafe_fixes` also works), at the top of `[tool.tfshift]` for every command
that has the option, or in `[tool.tfshift.<command>]` for one command. The command line wins.
A key no command has, or a value of the wrong type, is an error: a silently ignored setting is
a setting the user believes in and does not get.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tfshift.arguments import Number
from tfshift.errors import TfshiftError

# Options that are questions, not project settings: a top-level key never feeds them (`tf`
# for `run` must not turn every `doctor` into a preview of that version).
NOT_FROM_TOP_LEVEL = {("doctor", "tf"), ("api", "tf"), ("api", "symbol")}


def home() -> Path:
    """TFSHIFT_HOME, or the user cache dir (``$XDG_CACHE_HOME/tfshift``, ``~/.cache/tfshift``)."""
    explicit = os.environ.get("TFSHIFT_HOME")
    if explicit:
        return Path(explicit).expanduser().resolve()
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return (Path(cache) / "tfshift").resolve()


def find_pyproject(start: Path | None = None) -> Path | None:
    """The nearest pyproject.toml at or above `start` (default: the working directory)."""
    here = (start or Path.cwd()).resolve()
    if here.is_file() or not here.exists():
        here = here.parent
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


@dataclass
class Config:
    table: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None  # the pyproject.toml it came from


def load(start: Path | None = None) -> Config:
    """The `[tool.tfshift]` table of the nearest pyproject.toml (empty when there is none).

    A pyproject.toml that is not valid TOML is an error only when it mentions tool.tfshift:
    rejecting other tools' files is not our business.
    """
    path = find_pyproject(start)
    if path is None:
        return Config()
    try:
        raw = path.read_bytes()
    except OSError:
        return Config()
    if b"tfshift" not in raw:  # most projects: no need to load a TOML parser at start-up
        return Config(path=path)
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        if b"tool.tfshift" in raw:
            raise TfshiftError(f"{path}: not valid TOML ({exc}); fix it or remove [tool.tfshift]") from None
        return Config(path=path)
    table = data.get("tool", {}).get("tfshift", {})
    if not isinstance(table, dict):
        raise TfshiftError(f"{path}: tool.tfshift must be a table ([tool.tfshift])")
    return Config(table, path)


def start_for(paths: list[str]) -> Path | None:
    """Where to look for configuration: the first of the given paths that exists."""
    for value in paths:
        candidate = Path(value).expanduser()
        if candidate.exists():
            return candidate
    return None


# -- Checking the table against the command line ----------------------------------------------


@dataclass(frozen=True)
class Option:
    command: str
    dest: str  # where argparse stores it (--json stores "json" into format)
    kind: str  # "flag", "list", "int", "float", "str"
    choices: tuple | None
    version: bool  # holds TensorFlow versions: must be a string in TOML (2.10 is not 2.1)
    const: Any = None  # what a flag stores when it is set (store_const)
    number: Any = None  # an arguments.Number: its range is checked as on the command line


def options_of(command: str, parser: argparse.ArgumentParser) -> dict[str, Option]:
    """The long options of a command (and of its sub-actions, for `env`), by key: the long
    option's name with `_` for `-` (`unsafe_fixes`), or the dest of a positional."""
    found: dict[str, Option] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                found.update(options_of(command, child))
            continue
        if isinstance(action, (argparse._HelpAction, argparse._VersionAction)):
            continue
        if not action.option_strings and action.nargs == argparse.REMAINDER:
            continue
        if action.dest in ("debug", "quiet"):
            continue
        longs = [s[2:] for s in action.option_strings if s.startswith("--")]
        keys = [name.replace("-", "_") for name in longs] or [action.dest]
        const = action.const if isinstance(action, argparse._StoreConstAction) else None
        number = action.type if isinstance(action.type, Number) else None
        option = Option(command, action.dest, "number" if number else _kind(action),
                        tuple(action.choices) if action.choices else None,
                        (action.metavar or "").startswith(("VERSION", "V1")), const, number)
        for key in keys:
            found[key] = option
    return found


def _kind(action: argparse.Action) -> str:
    if isinstance(action, (argparse._StoreTrueAction, argparse._StoreFalseAction,
                           argparse._StoreConstAction)):
        return "flag"
    if isinstance(action, argparse._AppendAction) or action.nargs in ("+", "*"):
        return "list"
    if action.type is int:
        return "int"
    if action.type is float:
        return "float"
    return "str"


def _check(key: str, value: Any, option: Option, where: str) -> Any:
    """The value as argparse would have produced it, or an error naming the key."""
    def bad(expected: str) -> TfshiftError:
        return TfshiftError(f"{where}: {key} = {value!r} must be {expected}")

    if option.kind == "flag":
        if not isinstance(value, bool):
            raise bad("true or false")
        return value
    if option.kind == "list":
        values = value if isinstance(value, list) else [value]
        if not all(isinstance(v, str) for v in values):
            raise bad('a string or a list of strings (e.g. ["TFK008"])')
        return list(values)
    if option.kind == "number":
        try:
            return option.number.check(value)
        except TfshiftError as exc:
            raise TfshiftError(f"{where}: {key} = {value!r}: {exc}") from None
    if option.kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise bad("a whole number")
        return value
    if option.kind == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise bad("a number")
        return float(value)
    if option.version and isinstance(value, list) and all(isinstance(v, str) for v in value):
        value = ",".join(value)  # tf = ["1.15", "2.21"] for matrix
    if not isinstance(value, str):
        if option.version:
            raise bad(f'a quoted string, e.g. {key} = "2.10" (TOML reads 2.10 as the number 2.1)')
        raise bad("a string")
    if option.choices and value not in option.choices:
        raise bad("one of " + ", ".join(map(str, option.choices)))
    return value


def defaults_for(command: str, config: Config, all_options: dict[str, dict[str, Option]]) -> dict[str, Any]:
    """Option defaults (by argparse dest) for `command` from the config, after checking every
    key of the table.

    `all_options` maps each command name to its options (by key). Unknown keys anywhere in the
    table are errors, whichever command runs, so a typo is found the first time.
    """
    table = config.table
    if not table:
        return {}
    where = str(config.path) if config.path else "pyproject.toml"
    known_anywhere = {key for options in all_options.values() for key in options}
    mine = all_options.get(command, {})
    merged: dict[str, Any] = {}

    def store(option: Option, value: Any) -> None:
        if option.kind == "flag" and option.const is not None:
            if value:
                merged[option.dest] = option.const
        else:
            merged[option.dest] = value

    for key, value in table.items():
        name = key.replace("-", "_")
        if isinstance(value, dict):
            if key not in all_options:
                raise TfshiftError(f"{where}: [tool.tfshift.{key}] names no tfshift command; "
                                   f"commands: {', '.join(sorted(all_options))}")
            continue
        if name not in known_anywhere:
            raise TfshiftError(f"{where}: [tool.tfshift] has unknown key {key!r}; keys are long "
                               "option names, e.g. to = \"2.21\" (see tfshift COMMAND --help)")
        if name in mine and (command, name) not in NOT_FROM_TOP_LEVEL:
            store(mine[name], _check(key, value, mine[name], f"{where}: [tool.tfshift]"))
    for section_name, section in table.items():
        if not isinstance(section, dict):
            continue
        options = all_options[section_name]
        for key, value in section.items():
            name = key.replace("-", "_")
            if name not in options:
                raise TfshiftError(f"{where}: [tool.tfshift.{section_name}] has unknown key {key!r}; "
                                   f"see tfshift {section_name} --help")
            checked = _check(key, value, options[name], f"{where}: [tool.tfshift.{section_name}]")
            if section_name == command:
                store(options[name], checked)
    return merged
