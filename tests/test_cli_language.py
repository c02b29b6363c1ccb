"""The command line speaks the language chosen: every help text, argparse's own words, errors."""

from __future__ import annotations

import argparse
from collections.abc import Iterator

import pytest

from certify.cli import build_parser, main
from tests.test_typography import ISO_DAY, faults

#: Help texts that are the same words in both languages.
SAME_IN_BOTH = {"port", "sessions", "code"}


def parsers(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every parser of the tree, by its command path (``()`` for ``certify`` itself)."""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from parsers(child, (*path, name))


def help_texts(parser: argparse.ArgumentParser) -> Iterator[tuple[str, str]]:
    """Each help text a parser shows, named by its option or sub-command."""
    if parser.description:
        yield "description", parser.description
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                yield choice.dest, str(choice.help)
        elif action.help not in (None, argparse.SUPPRESS):
            yield "/".join(action.option_strings) or action.dest, str(action.help)


def test_every_help_text_is_in_the_language_chosen() -> None:
    """Each command's help, option by option, differs between French and English (none left
    in one language), and the French reads as French."""
    english = dict(parsers(build_parser("en")))
    untranslated, badly_set = [], []
    for path, parser in parsers(build_parser("fr")):
        assert path in english, path
        french = dict(help_texts(parser))
        for name, text in help_texts(english[path]):
            if french[name] == text and text.casefold() not in SAME_IN_BOTH:
                untranslated.append(f"certify {' '.join(path)} {name}: {text}")
        shown = parser.format_help()
        badly_set += [f"certify {' '.join(path)}: {fault!r}" for fault in faults(shown)]
        badly_set += [f"certify {' '.join(path)}: ISO day" for _ in ISO_DAY.findall(shown)]
        assert shown.startswith("utilisation\u00a0: certify"), path
        assert "show this help message" not in shown
    assert untranslated == []
    assert badly_set == []
    assert len(english) > 40


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["frob"], "argument COMMANDE\u00a0: choix invalide\u00a0: 'frob'"),
        (["--lang", "en", "frob"], "argument COMMAND: invalid choice: 'frob'"),
        (["why"], "arguments obligatoires manquants\u00a0:"),
        (["--lang", "en", "why"], "the following arguments are required:"),
        (["info", "--frob"], "arguments inconnus\u00a0: --frob"),
    ],
)
def test_argparse_errors_speak_the_language(
    argv: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A mistyped command line is told so in the language chosen, after « certify : erreur : »."""
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    error = capsys.readouterr().err.splitlines()[-1]
    prefix = ": error: " if "en" in argv else "\u00a0: erreur\u00a0: "
    assert error.startswith("certify") and prefix in error and said in error, error


def test_the_environment_chooses_the_language_and_lang_overrides_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``CERTIFY_LANG=en`` gives English help; ``--lang fr`` before the command wins over it."""
    monkeypatch.setenv("CERTIFY_LANG", "en")
    with pytest.raises(SystemExit):
        main(["info", "--help"])
    assert capsys.readouterr().out.startswith("usage: certify info")
    with pytest.raises(SystemExit):
        main(["--lang", "fr", "info", "--help"])
    assert capsys.readouterr().out.startswith("utilisation\u00a0: certify info")
