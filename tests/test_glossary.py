"""One vocabulary: the core's wording and the UI's catalogs use the glossary's terms only."""

from __future__ import annotations

import ast
import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from certify.access.permissions import Action, Reason
from certify.glossary import GLOSSARY, markdown

#: The repository's root.
ROOT = Path(__file__).resolve().parent.parent
#: The UI's catalogs.
CATALOGS = ROOT / "tui" / "locale"
#: Calls whose first string arguments are a French and an English text (« Column »: after a key).
BILINGUAL_CALLS = {"Wording": 0, "Text": 0, "Column": 1}


def fold(text: str) -> str:
    """``text`` in lower case without accents."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def pattern(words: Iterable[str]) -> re.Pattern[str]:
    """Any of ``words`` as whole words (any spaces between the words of a phrase), folded."""
    phrases = (r"\s+".join(map(re.escape, fold(word).split())) for word in words)
    return re.compile(r"(?<!\w)(?:" + "|".join(phrases) + r")(?!\w)")


#: Words the French texts never use.
AVOID_FR = pattern(word for term in GLOSSARY for word in term.avoid_fr)
#: Words the English texts never use.
AVOID_EN = pattern(word for term in GLOSSARY for word in term.avoid_en)


def misused(texts: Iterable[tuple[str, str]], avoid: re.Pattern[str]) -> list[str]:
    """``where: word in « text »`` for each text using a word to avoid."""
    return [
        f"{where}: {match.group(0)!r} in {text!r}"
        for where, text in texts
        for match in avoid.finditer(fold(text))
    ]


def forms(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """A message's singular and plural forms (or its one form)."""
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def catalog(language: str) -> Iterator[tuple[str, str, str]]:
    """Each ``(msgid, msgid or plural form, msgstr form)`` of a language's catalog."""
    with (CATALOGS / language / "LC_MESSAGES" / "certify.po").open("rb") as source:
        for message in read_po(source):
            if message.id:
                key = forms(message.id)[0]
                yield from ((key, "msgid", text) for text in forms(message.id))
                yield from ((key, "msgstr", text) for text in forms(message.string))


def literal(node: ast.expr) -> str | None:
    """The text of a string literal, an f-string's fixed parts spaced out, else ``None``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return " ".join(literal(part) or " " for part in node.values)
    return None


def core_wording() -> Iterator[tuple[str, str, str]]:
    """``(where, French, English)`` of the core's and the PDFs' bilingual texts."""
    for folder in ("certify", "certificates"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                    continue
                first = BILINGUAL_CALLS.get(node.func.id)
                if first is None or len(node.args) < first + 2:
                    continue
                french, english = (literal(arg) for arg in node.args[first : first + 2])
                if french is not None and english is not None:
                    where = f"{path.relative_to(ROOT)}:{node.lineno}"
                    yield where, french, english
    for refusal in (*Action, *Reason):
        yield f"{type(refusal).__name__}.{refusal.name}", refusal.french, refusal.value


def test_the_core_finds_its_wording() -> None:
    """The scan reaches the explanations, the labels, the refusals and the import messages."""
    french = {text for _where, text, _english in core_wording()}
    found = {"mise en situation", "Délivré", "délivrer un certificat", "référentiel inconnu"}
    assert found <= french


def test_french_catalog_uses_the_glossary() -> None:
    """No French msgstr uses a French word to avoid."""
    texts = ((f"fr {key!r}", text) for key, kind, text in catalog("fr") if kind == "msgstr")
    assert not misused(texts, AVOID_FR)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_english_messages_use_the_glossary(language: str) -> None:
    """No msgid, nor any English msgstr, uses an English word to avoid."""
    texts = (
        (f"{language} {kind} {key!r}", text)
        for key, kind, text in catalog(language)
        if kind == "msgid" or language == "en"
    )
    assert not misused(texts, AVOID_EN)


def test_core_wording_uses_the_glossary() -> None:
    """The core's French and English texts use no word to avoid in their language."""
    wording = list(core_wording())
    french = misused(((where, fr) for where, fr, _en in wording), AVOID_FR)
    english = misused(((where, en) for where, _fr, en in wording), AVOID_EN)
    assert not french + english


def test_no_chosen_term_is_a_word_to_avoid() -> None:
    """The glossary does not forbid one concept's term for another, in the same language."""
    assert not misused(((term.en, term.fr) for term in GLOSSARY), AVOID_FR)
    assert not misused(((term.fr, term.en) for term in GLOSSARY), AVOID_EN)


def test_the_readme_shows_the_glossary() -> None:
    """The README's glossary is the table the module renders."""
    assert markdown() in (ROOT / "README.md").read_text(encoding="utf-8")
