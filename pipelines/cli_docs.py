"""The CLI reference of the documentation (docs/reference/cli.md), rendered from the argparse definitions.

Everything below MARKER in that page is `reference_markdown()` verbatim: one section per command and subcommand
of `pipelines.cli.build_parser()` with its synopsis and a table of its arguments.  `tests/test_cli_docs.py` fails
when the page and the parser differ; `python -m pipelines.cli_docs --write` brings the page in step (the text
above the marker is written by hand and kept), `python -m pipelines.cli_docs` prints the generated part.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipelines.cli import build_parser

PAGE = Path(__file__).resolve().parents[1] / "docs" / "reference" / "cli.md"
MARKER = "<!-- Generated below by `python -m pipelines.cli_docs --write` from pipelines/cli.py: edit that. -->"


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, tuple[str, argparse.ArgumentParser]]:
    """name -> (its help line, its parser), in the order they were added."""
    found: dict[str, tuple[str, argparse.ArgumentParser]] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
            found.update((name, (helps.get(name, ""), sub)) for name, sub in action.choices.items())
    return found


def _metavar(action: argparse.Action) -> str:
    if action.metavar is not None:
        return str(action.metavar)
    if action.choices is not None and not isinstance(action, argparse._SubParsersAction):
        return "{" + ",".join(str(choice) for choice in action.choices) + "}"
    return action.dest if not action.option_strings else action.dest.upper()


def _takes_value(action: argparse.Action) -> bool:
    return action.nargs != 0


def _term(action: argparse.Action) -> str:
    """One argument as the synopsis writes it: `--quarter QUARTER`, `--force`, `files...`, `COMMAND`."""
    if not action.option_strings:
        return _metavar(action) + ("..." if action.nargs in ("+", "*") else "")
    name = max(action.option_strings, key=len)
    return f"{name} {_metavar(action)}" if _takes_value(action) else name


def _documented(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    return [action for action in parser._actions if not isinstance(action, argparse._HelpAction)]


def _synopsis(parser: argparse.ArgumentParser) -> str:
    groups = {id(action): group for group in parser._mutually_exclusive_groups for action in group._group_actions}
    parts: list[str] = []
    done: set[int] = set()
    for action in _documented(parser):
        group = groups.get(id(action))
        if group is not None:
            if id(group) not in done:
                done.add(id(group))
                joined = " | ".join(_term(member) for member in group._group_actions)
                parts.append(f"({joined})" if group.required else f"[{joined}]")
            continue
        term = _term(action)
        parts.append(term if action.required or not action.option_strings else f"[{term}]")
    return " ".join([parser.prog, *parts])


def _meaning(action: argparse.Action) -> str:
    words = [action.help or ""] if action.help not in (None, argparse.SUPPRESS) else []
    if action.option_strings and action.required:
        words.append("required")
    if action.default not in (None, False, "", argparse.SUPPRESS) and _takes_value(action):
        words.append(f"default `{action.default}`")
    text = "; ".join(word for word in words if word)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")


def _argument(action: argparse.Action) -> str:
    if not action.option_strings:
        return f"`{_term(action)}`"
    value = f" {_metavar(action)}" if _takes_value(action) else ""
    return ", ".join(f"`{option}{value}`" for option in action.option_strings)


def _section(parser: argparse.ArgumentParser, summary: str, level: int) -> str:
    lines = [f"{'#' * level} `{parser.prog}`", ""]
    if summary or parser.description:
        lines += [parser.description or summary, ""]
    lines += ["```text", _synopsis(parser), "```", ""]
    arguments = [action for action in _documented(parser) if not isinstance(action, argparse._SubParsersAction)]
    if arguments:
        lines += ["| argument | meaning |", "|---|---|"]
        lines += [f"| {_argument(action)} | {_meaning(action)} |" for action in arguments]
        lines.append("")
    subcommands = _subcommands(parser)
    if subcommands:
        lines += ["| command | what it does |", "|---|---|"]
        lines += [f"| `{name}` | {text} |" for name, (text, _) in subcommands.items()]
        lines.append("")
    text = "\n".join(lines)
    return "\n".join([text, *(_section(sub, help_text, level + 1) for help_text, sub in subcommands.values())])


def reference_markdown(parser: argparse.ArgumentParser | None = None) -> str:
    """Every command of `python -m pipelines`, its synopsis and its arguments, as markdown."""
    intro = ("## Every command\n\nEach command's synopsis and arguments, as `--help` gives them "
             "(generated from `pipelines/cli.py`).\n\n")
    return intro + _section(parser or build_parser(), "", 3)


def generated_part(page_text: str) -> str:
    """What follows MARKER in a page ('' when it has none)."""
    _, found, after = page_text.partition(MARKER + "\n\n")
    return after if found else ""


def write_page(page: Path = PAGE) -> None:
    """Keep the page's text above MARKER and put the generated reference below it."""
    text = page.read_text(encoding="utf-8") if page.exists() else f"# CLI reference\n\n{MARKER}\n"
    if MARKER not in text:
        raise SystemExit(f"{page}: the line {MARKER!r} is missing; put it where the generated part begins")
    head = text.partition(MARKER)[0].rstrip("\n")
    page.write_text(f"{head}\n\n{MARKER}\n\n{reference_markdown()}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(prog="python -m pipelines.cli_docs", description=__doc__.splitlines()[0])
    args.add_argument("--write", action="store_true", help=f"update {PAGE.relative_to(PAGE.parents[2])}")
    if args.parse_args(argv).write:
        write_page()
    else:
        sys.stdout.write(reference_markdown())
    return 0


if __name__ == "__main__":
    sys.exit(main())
