"""docs/reference/cli.md lists every command and argument of `python -m pipelines`, as the parser defines them."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from pipelines import cli_docs
from pipelines.cli import build_parser


def parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    found = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found += parsers(sub)
    return found


def test_the_committed_cli_page_is_the_generated_reference() -> None:
    """Fails when an argument is added, renamed or re-explained in pipelines/cli.py without
    `python -m pipelines.cli_docs --write`."""
    text = cli_docs.PAGE.read_text(encoding="utf-8")
    assert cli_docs.MARKER in text
    assert cli_docs.generated_part(text) == cli_docs.reference_markdown()


def test_every_command_and_option_of_the_parser_is_in_the_reference() -> None:
    text = cli_docs.reference_markdown()
    every = parsers(build_parser())
    assert len(every) > 20  # the commands, and the actions of `users` and `periods`
    for parser in every:
        assert f"`{parser.prog}`" in text
        for action in parser._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            for option in action.option_strings:
                assert f"`{option}" in text, (parser.prog, option)
            if action.help and action.help != argparse.SUPPRESS:
                assert action.help.replace("<", "&lt;").replace(">", "&gt;") in text, (parser.prog, action.dest)


def test_a_new_option_changes_the_reference() -> None:
    parser = build_parser()
    before = cli_docs.reference_markdown(parser)
    init = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices["init"]
    init.add_argument("--dry-run", action="store_true", help="only say what would change")
    after = cli_docs.reference_markdown(parser)
    assert after != before
    assert "python -m pipelines init [--dry-run]" in after
    assert "| `--dry-run` | only say what would change |" in after


def test_write_keeps_the_hand_written_part_and_replaces_the_generated_one(tmp_path: Path) -> None:
    page = tmp_path / "cli.md"
    page.write_text(f"# CLI\n\nHand-written intro.\n\n{cli_docs.MARKER}\n\n## stale\n", encoding="utf-8")
    cli_docs.write_page(page)
    text = page.read_text(encoding="utf-8")
    assert text.startswith("# CLI\n\nHand-written intro.\n\n")
    assert "## stale" not in text
    assert cli_docs.generated_part(text) == cli_docs.reference_markdown()


def test_write_refuses_a_page_without_the_marker(tmp_path: Path) -> None:
    page = tmp_path / "cli.md"
    page.write_text("# CLI\n\nno marker here\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="missing"):
        cli_docs.write_page(page)
    assert page.read_text(encoding="utf-8") == "# CLI\n\nno marker here\n"


@pytest.mark.parametrize("argv", [[], ["--help"]])
def test_the_generator_runs_from_the_command_line(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    if argv:
        with pytest.raises(SystemExit) as ended:
            cli_docs.main(argv)
        assert ended.value.code == 0
        assert "--write" in capsys.readouterr().out
    else:
        assert cli_docs.main(argv) == 0
        assert capsys.readouterr().out == cli_docs.reference_markdown()
