"""What a kind of file holds, column by column, and an empty file of it to fill in."""

from __future__ import annotations

from dataclasses import dataclass

from certify.errors import CertifyError
from certify.exchange.kind import Kind
from certify.exchange.messages import Text
from certify.exchange.writers import write_csv, write_xlsx
from certify.rules.wording import Lang

#: Said of a column whose unknown names create their row (an employer…).
CREATES = Text("un nom nouveau est créé", "a new name is created")
#: Between two things said of a column.
SEPARATOR = {"fr": "\u00a0; ", "en": "; "}


@dataclass(frozen=True)
class ColumnGuide:
    """One column of a kind, as told to someone filling a file."""

    #: The column's key (what a form's field fills).
    key: str
    #: Its header, in the language asked for (the other language's is read too).
    header: str
    #: Whether every row must fill it.
    required: bool
    #: What a cell holds (« date JJ/MM/AAAA », « code ou nom »…).
    holds: str


def column_guide(kind: Kind, lang: Lang) -> list[ColumnGuide]:
    """The columns of ``kind`` in file order, each with what its cells hold."""
    return [
        ColumnGuide(
            column.key,
            column.english if lang == "en" else column.french,
            column.required,
            column.type.describe()(lang)
            + (f"{SEPARATOR[lang]}{CREATES(lang)}" if column.create else ""),
        )
        for column in kind.columns
    ]


def template(kind: Kind, format: str, lang: Lang) -> bytes:
    """An empty file of ``kind`` (its header row, in ``lang``) as CSV or XLSX."""
    header = [guide.header for guide in column_guide(kind, lang)]
    if format == "csv":
        return write_csv(header, [])
    if format == "xlsx":
        return write_xlsx(header, [], kind.label(lang))
    raise CertifyError(
        f"un modèle s'écrit en csv ou xlsx, pas en {format}",
        f"a template is written as csv or xlsx, not {format}",
    )
