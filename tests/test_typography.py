"""French reads as French: no-break spaces before « : ; ? ! » and inside « », and no ISO date
in a sentence, in the TUI's French catalog and in every French text of the code."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tui.i18n import LOCALE_DIR

ROOT = Path(__file__).parent.parent
#: An ordinary space (or none) before a high sign, or inside guillemets (a ``{}`` stands for
#: an f-string's value, which may be the no-break space).
FAULT = re.compile(
    r"(?:(?<=\S) |(?<=[^\s\u00a0\u202f}]))[:;?!](?=\s|$)|« |«(?=[^\s\u00a0{])| »|(?<=[^\s}])»"
)
#: A day written as ISO in a sentence.
ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def faults(text: str) -> list[str]:
    """Where ``text`` breaks French typography, with a little context."""
    return [text[max(0, m.start() - 12) : m.end() + 12] for m in FAULT.finditer(text)]


def catalog_texts() -> Iterator[str]:
    """Every French translation of the TUI."""
    with (LOCALE_DIR / "fr" / "LC_MESSAGES" / "certify.po").open("rb") as file:
        for message in read_po(file, locale="fr"):
            if message.id:
                yield from (
                    message.string if isinstance(message.string, tuple) else (message.string,)
                )


def french_texts(path: Path) -> Iterator[tuple[int, str]]:
    """The French side of each two-language text in ``path``: the first argument of every
    ``Wording(fr, en)``, ``CertifyError(fr, en)`` and ``super().__init__(fr, en)``."""
    for node in ast.walk(ast.parse(path.read_text())):
        if not (isinstance(node, ast.Call) and len(node.args) >= 2):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name not in ("Wording", "__init__", "say") and not str(name).endswith("Error"):
            continue
        first = node.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            yield node.lineno, first.value
        elif isinstance(first, ast.JoinedStr):
            yield (
                node.lineno,
                "{}".join(v.value if isinstance(v, ast.Constant) else "{}" for v in first.values),
            )


def test_the_french_catalog_is_typeset() -> None:
    """Each French translation has its no-break spaces and no ISO date."""
    found = {text[:60]: faults(text) for text in catalog_texts() if faults(text)}
    assert found == {}
    assert [text for text in catalog_texts() if ISO_DAY.search(text)] == []


@pytest.mark.parametrize("package", ["certify", "certificates", "tui"])
def test_the_french_texts_of_the_code_are_typeset(package: str) -> None:
    """Each French text of the code (messages, errors, PDFs) has its no-break spaces."""
    found = [
        f"{path.relative_to(ROOT)}:{line}: {fault!r}"
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts
        for line, text in french_texts(path)
        for fault in faults(text)
    ]
    assert found == []


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        ("Remarque : rien", True),
        ("Remarque: rien", True),
        ("« certify »", True),
        ("Remarque\u00a0: «\u00a0certify\u00a0» ; fin", True),
        ("Remarque\u00a0: «\u00a0certify\u00a0»\u00a0; fin\u00a0?", False),
        ("https://example.org 12:30", False),
    ],
)
def test_the_check_itself(text: str, wrong: bool) -> None:
    """The check finds what it should, and leaves addresses and times alone."""
    assert bool(faults(text)) is wrong
