"""`tfshift generate-shell-completion bash|zsh|fish`: completion scripts made from the parser.

The scripts are generated from the same argparse parsers the commands use, so a new option is
completed as soon as it exists. They complete commands, `env` actions, long options, the choices
of options that have them (`--format`), TensorFlow versions after `--tf`/`--to`/`--from`, and
files for everything else.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field

from tfshift.errors import TfshiftError

SHELLS = ("bash", "zsh", "fish")
VERSION_DESTS = {"tf", "to", "from", "tf_a", "tf_b", "target", "source", "version"}


def register(subparsers, name: str, help_text: str) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        name, help=help_text,
        description="Print a completion script. bash: add `eval \"$(tfshift generate-shell-completion "
        "bash)\"` to ~/.bashrc; zsh: write it to a file named _tfshift on $fpath; fish: write it "
        "to ~/.config/fish/completions/tfshift.fish.")
    parser.add_argument("shell", choices=SHELLS, help="the shell to complete in")
    parser.set_defaults(handler=_run)
    return parser


@dataclass
class Command:
    name: str
    help: str
    options: list[tuple[list[str], str, tuple[str, ...] | None, bool]] = field(default_factory=list)
    # (option strings, help, choices, takes a value)
    actions: list[Command] = field(default_factory=list)  # `env create`, `env list`, ...


def commands() -> list[Command]:
    from tfshift import cli

    parser = cli.build_parser("*")
    found = []
    for name, sub in cli.command_parsers(parser).items():
        help_text = cli.available_commands().get(name, ("", ""))[1]
        found.append(_describe(name, help_text, sub))
    return found


def _describe(name: str, help_text: str, parser: argparse.ArgumentParser) -> Command:
    command = Command(name, help_text)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help or "" for a in action._choices_actions}
            for child_name, child in action.choices.items():
                command.actions.append(_describe(child_name, helps.get(child_name, ""), child))
            continue
        if not action.option_strings or isinstance(action, argparse._HelpAction):
            continue
        takes = action.nargs != 0
        choices = tuple(str(c) for c in action.choices) if action.choices else None
        if choices is None and takes and action.dest in VERSION_DESTS:
            choices = _versions()
        command.options.append((list(action.option_strings), _clean(action.help), choices, takes))
    return command


def _versions() -> tuple[str, ...]:
    from tfshift.envs import table

    return tuple(table.minors())


def _clean(text: str | None) -> str:
    if not text or text == argparse.SUPPRESS:
        return ""
    return " ".join(text.split()).replace("%%", "%")


def _run(args) -> int:
    import sys

    if args.shell not in SHELLS:
        raise TfshiftError(f"unknown shell {args.shell!r}; choose one of {', '.join(SHELLS)}")
    sys.stdout.write({"bash": bash, "zsh": zsh, "fish": fish}[args.shell](commands()))
    return 0


# -- bash ---------------------------------------------------------------------------------------


def _q(text: str) -> str:
    """Single-quoted for a POSIX shell."""
    return "'" + text.replace("'", "'\\''") + "'"


def bash(cmds: list[Command]) -> str:
    lines = [
        "# bash completion for tfshift (tfshift generate-shell-completion bash)",
        "_tfshift() {",
        "    local cur prev words cword",
        "    cur=${COMP_WORDS[COMP_CWORD]}",
        "    prev=${COMP_WORDS[COMP_CWORD-1]}",
        "    local i cmd='' action=''",
        "    for ((i = 1; i < COMP_CWORD; i++)); do",
        "        case ${COMP_WORDS[i]} in",
        "            --) COMPREPLY=($(compgen -c -- \"$cur\")); return 0 ;;",
        "            -*) ;;",
        "            *) if [[ -z $cmd ]]; then cmd=${COMP_WORDS[i]};"
        " elif [[ -z $action ]]; then action=${COMP_WORDS[i]}; fi ;;",
        "        esac",
        "    done",
        "    if [[ -z $cmd ]]; then",
        f"        COMPREPLY=($(compgen -W {_q(' '.join(c.name for c in cmds) + ' --version --help --debug')}"
        " -- \"$cur\"))",
        "        return 0",
        "    fi",
        "    case $cmd in",
    ]
    for cmd in cmds:
        lines.append(f"        {cmd.name})")
        if cmd.actions:
            names = " ".join(a.name for a in cmd.actions)
            lines.append("            if [[ -z $action ]]; then")
            lines.append(f"                COMPREPLY=($(compgen -W {_q(names)} -- \"$cur\")); return 0")
            lines.append("            fi")
            lines.append("            case $action in")
            for action in cmd.actions:
                lines.append(f"                {action.name})")
                lines.extend("    " * 4 + line for line in _bash_options(action))
                lines.append("                    ;;")
            lines.append("            esac")
        else:
            lines.extend("    " * 3 + line for line in _bash_options(cmd))
        lines.append("            ;;")
    lines += [
        "    esac",
        "}",
        "complete -o default -F _tfshift tfshift",
        "",
    ]
    return "\n".join(lines)


def _bash_options(cmd: Command) -> list[str]:
    out = ["case $prev in"]
    for strings, _help, choices, takes in cmd.options:
        if takes and choices:
            out.append(f"    {'|'.join(strings)}) COMPREPLY=($(compgen -W {_q(' '.join(choices))}"
                       " -- \"$cur\")); return 0 ;;")
        elif takes:
            out.append(f"    {'|'.join(strings)}) COMPREPLY=($(compgen -f -- \"$cur\")); return 0 ;;")
    out.append("esac")
    words = " ".join(s for strings, *_ in cmd.options for s in strings if s.startswith("--"))
    out.append("if [[ $cur == -* ]]; then")
    out.append(f"    COMPREPLY=($(compgen -W {_q(words + ' --help')} -- \"$cur\")); return 0")
    out.append("fi")
    out.append("COMPREPLY=($(compgen -f -- \"$cur\"))")
    return out


# -- zsh ----------------------------------------------------------------------------------------


def _zq(text: str) -> str:
    """Text inside a single-quoted _arguments spec: quotes doubled, brackets and colons escaped."""
    return (text.replace("'", "'\\''").replace("[", "\\[").replace("]", "\\]")
            .replace(":", "\\:"))


def zsh(cmds: list[Command]) -> str:
    lines = [
        "#compdef tfshift",
        "# zsh completion for tfshift (tfshift generate-shell-completion zsh)",
        "",
        "_tfshift() {",
        "    local -a commands",
        "    commands=(",
    ]
    lines += [f"        '{_zq(c.name)}:{_zq(c.help)}'" for c in cmds]
    lines += [
        "    )",
        "    if (( CURRENT == 2 )); then",
        "        _describe -t commands 'tfshift command' commands",
        "        return",
        "    fi",
        "    local cmd=${words[2]}",
        "    case $cmd in",
    ]
    for cmd in cmds:
        lines.append(f"        {cmd.name})")
        if cmd.actions:
            lines.append("            if (( CURRENT == 3 )); then")
            lines.append("                local -a actions")
            lines.append("                actions=(" + " ".join(
                f"'{_zq(a.name)}:{_zq(a.help)}'" for a in cmd.actions) + ")")
            lines.append("                _describe -t actions 'action' actions")
            lines.append("                return")
            lines.append("            fi")
            lines.append("            case ${words[3]} in")
            for action in cmd.actions:
                lines.append(f"                {action.name})")
                lines.append("                    shift 2 words; (( CURRENT -= 2 ))")
                lines.append("                    _arguments -s " + _zsh_specs(action) + " '*:file:_files'")
                lines.append("                    ;;")
            lines.append("            esac")
        else:
            lines.append("            shift words; (( CURRENT-- ))")
            lines.append("            _arguments -s " + _zsh_specs(cmd) + " '*:file:_files'")
        lines.append("            ;;")
    lines += ["    esac", "}", "", 'if [[ $zsh_eval_context[-1] == loadautofunc ]]; then',
              '    _tfshift "$@"', "else", "    compdef _tfshift tfshift", "fi", ""]
    return "\n".join(lines)


def _zsh_specs(cmd: Command) -> str:
    specs = []
    for strings, help_text, choices, takes in cmd.options:
        names = strings[0] if len(strings) == 1 else "{" + ",".join(strings) + "}"
        value = ""
        if takes:
            value = f":value:({' '.join(choices)})" if choices else ":value:_files"
        if len(strings) == 1:
            specs.append(f"'{names}[{_zq(help_text)}]{value}'")
        else:
            specs.append(f"'({' '.join(strings)})'{names}'[{_zq(help_text)}]{value}'")
    return " ".join(specs)


# -- fish ---------------------------------------------------------------------------------------


def _fq(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def fish(cmds: list[Command]) -> str:
    names = " ".join(c.name for c in cmds)
    lines = [
        "# fish completion for tfshift (tfshift generate-shell-completion fish)",
        "complete -c tfshift -f",
        "complete -c tfshift -n __fish_use_subcommand -l version -d 'print the version'",
    ]
    for cmd in cmds:
        lines.append(f"complete -c tfshift -n __fish_use_subcommand -a {cmd.name} -d {_fq(cmd.help)}")
    for cmd in cmds:
        condition = f"__fish_seen_subcommand_from {cmd.name}"
        if cmd.actions:
            actions = " ".join(a.name for a in cmd.actions)
            lines.append(f"complete -c tfshift -n '{condition}; and not __fish_seen_subcommand_from "
                         f"{actions}' -a {_fq(actions)}")
            for action in cmd.actions:
                inner = f"{condition}; and __fish_seen_subcommand_from {action.name}"
                lines.extend(_fish_options(inner, action))
        else:
            lines.extend(_fish_options(condition, cmd))
            lines.append(f"complete -c tfshift -n '{condition}' -F")
    del names
    return "\n".join(lines) + "\n"


def _fish_options(condition: str, cmd: Command) -> list[str]:
    out = []
    for strings, help_text, choices, takes in cmd.options:
        parts = [f"complete -c tfshift -n '{condition}'"]
        for string in strings:
            parts.append(f"-l {string[2:]}" if string.startswith("--") else f"-s {string[1:]}")
        if takes:
            parts.append("-r")
            parts.append(f"-a {_fq(' '.join(choices))}" if choices else "-F")
        if help_text:
            parts.append(f"-d {_fq(help_text[:80])}")
        out.append(" ".join(parts))
    return out
