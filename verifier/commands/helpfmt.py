"""`--help` that reads well at 80 columns and at 120, as `gh` and `ruff` print theirs.

Typer's rich tables give each option six columns and squeeze the help into what is left (18 characters
at 80 columns), cutting words with an ellipsis. This prints the plain two-column layout instead,
wrapped by click's formatter (which never cuts a word), with the options grouped under the panels their
declarations name (`rich_help_panel=`), flags shown as flags and defaults shown. Every command the
`pacer-verify` group builds uses it (verifier.cli), so a command added later reads the same.
"""

from __future__ import annotations

import inspect
import textwrap
from typing import Any

from typer.core import TyperCommand, TyperGroup

#: The widest help is drawn at (a wider terminal still gets 120: long lines are hard to read).
MAX_WIDTH = 120
#: Panels shown in this order (verifier.commands.options names them); others follow in the order declared,
#: and options without a panel are listed under OTHER, at the end.
ORDER = ("Arguments", "Site", "Browser", "Politeness", "Outputs", "Week by week")
OTHER = "Options"
ARGUMENTS = "Arguments"
#: The option column's widest; a longer name puts its help on the next line, as click does.
NAME_COLUMN_MAX = 30


def _metavar(param: Any) -> str:
    """A value's placeholder: the declared metavar, else the option's own name in capitals (`--out OUT`)."""
    if param.metavar:
        return str(param.metavar)
    return str(param.name or "value").upper()


def _names(param: Any) -> str:
    """`-o, --out OUT`, `--resume`, `--headed / --headless`: a flag has no placeholder."""
    shorts = [o for o in param.opts if not o.startswith("--")]
    longs = [o for o in param.opts if o.startswith("--")]
    text = ", ".join([*shorts, *longs])
    if param.secondary_opts:
        text += " / " + ", ".join(param.secondary_opts)
    if not (getattr(param, "is_flag", False) or getattr(param, "count", False)):
        text += " " + _metavar(param)
    return text


def _default(param: Any, ctx: Any) -> str:
    """What is used when the option is not given, or "" when that goes without saying (a flag left off)."""
    if isinstance(param.show_default, str):
        return param.show_default
    if param.show_default is False:
        return ""
    value = param.get_default(ctx, call=False)
    if value is None or callable(value):
        return ""
    if getattr(param, "is_flag", False):  # arguments have no is_flag
        if param.secondary_opts:  # --x/--no-x: name the side that applies
            side = param.opts[0] if value else param.secondary_opts[0]
            return str(side).lstrip("-")
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) if value else ""
    return str(value)


def _help_line(param: Any, ctx: Any) -> str:
    """The help, its own note (`[env: X]`), then a bracket with what the declaration says besides:
    `[env: X] [default: 30]`."""
    text = " ".join((param.help or "").split())
    extras = []
    default = _default(param, ctx)
    if default:
        extras.append(f"default: {default}")
    if param.param_type_name == "option" and param.required:
        extras.append("required")
    if extras:
        text = f"{text} [{'; '.join(extras)}]".strip()
    return text


def _usage(command: Any, ctx: Any) -> str:
    """`[OPTIONS] ROSTER`, `[OPTIONS] RESULTS_FILES...`: arguments in capitals, as click writes them."""
    pieces = [command.options_metavar] if command.options_metavar else []
    for param in command.get_params(ctx):
        if param.param_type_name != "argument":
            continue
        name = _metavar(param)
        if param.nargs != 1:
            name += "..."
        pieces.append(name if param.required else f"[{name}]")
    if hasattr(command, "list_commands"):  # a group, typer's or click's
        pieces.append("COMMAND [ARGS]...")
    return " ".join(pieces)


def _panels(command: Any, ctx: Any) -> dict[str, list[tuple[str, str]]]:
    panels: dict[str, list[tuple[str, str]]] = {}
    for param in command.get_params(ctx):
        if getattr(param, "hidden", False):
            continue
        if param.param_type_name == "argument":
            panel = ARGUMENTS
            row = (_metavar(param) + ("..." if param.nargs != 1 else ""), _help_line(param, ctx))
        else:
            panel = getattr(param, "rich_help_panel", None) or OTHER
            row = (_names(param), _help_line(param, ctx))
        panels.setdefault(panel, []).append(row)
    ordered = {title: panels.pop(title) for title in ORDER if title in panels}
    other = panels.pop(OTHER, None)
    ordered.update(panels)
    if other:
        ordered[OTHER] = other
    return ordered


def _write_rows(formatter: Any, rows: list[tuple[str, str]], name_width: int) -> None:
    """Two columns, the help wrapped beside the name; one name column width for the whole help."""
    help_width = max(formatter.width - formatter.current_indent - name_width - 2, 20)
    for name, text in rows:
        lines = textwrap.wrap(text, help_width, break_on_hyphens=False) or [""]
        indent = " " * formatter.current_indent
        if len(name) > name_width:
            formatter.write(f"{indent}{name}\n")
            first = lines
        else:
            formatter.write(f"{indent}{name.ljust(name_width)}  {lines[0]}\n".rstrip() + "\n")
            first = lines[1:]
        for line in first:
            formatter.write(f"{indent}{' ' * (name_width + 2)}{line}\n")


def format_help(command: Any, ctx: Any, formatter: Any) -> None:
    """The whole help of one command or group, written to click's formatter."""
    formatter.write_usage(ctx.command_path, _usage(command, ctx))
    text = inspect.cleandoc(command.help or "").partition("\f")[0]
    if text:
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(text)
    panels = _panels(command, ctx)
    commands = []
    if hasattr(command, "list_commands"):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:  # the summary whole: never cut off with "..."
                commands.append((name, " ".join(inspect.cleandoc(sub.help or "").split("\n\n")[0].split())))
    names = [name for rows in panels.values() for name, _ in rows] + [name for name, _ in commands]
    name_width = min(max((len(n) for n in names if len(n) <= NAME_COLUMN_MAX), default=10), NAME_COLUMN_MAX)
    for title, rows in panels.items():
        with formatter.section(title):
            _write_rows(formatter, rows, name_width)
    if commands:
        with formatter.section("Commands"):
            _write_rows(formatter, commands, name_width)
    if command.epilog:
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(inspect.cleandoc(command.epilog))


class PlainHelpCommand(TyperCommand):
    """A typer command whose `--help` is the plain, panelled layout above."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        settings = dict(kwargs.pop("context_settings", None) or {})
        settings.setdefault("max_content_width", MAX_WIDTH)
        settings.setdefault("help_option_names", ["-h", "--help"])
        super().__init__(*args, context_settings=settings, **kwargs)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        format_help(self, ctx, formatter)


class PlainHelpGroup(TyperGroup):
    """A typer group (a command with subcommands) whose `--help` is the plain, panelled layout above."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        settings = dict(kwargs.pop("context_settings", None) or {})
        settings.setdefault("max_content_width", MAX_WIDTH)
        settings.setdefault("help_option_names", ["-h", "--help"])
        super().__init__(*args, context_settings=settings, **kwargs)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        format_help(self, ctx, formatter)
