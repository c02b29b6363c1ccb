"""Problems found in an import file, and how each is told to the user."""

from __future__ import annotations

from dataclasses import dataclass

from certify.errors import CertifyError
from certify.exchange.messages import Text, quoted

#: Most characters of a value shown in a problem (a whole huge cell would drown the report).
SHOWN_VALUE = 80


def shortened(value: str) -> str:
    """``value``, cut after :data:`SHOWN_VALUE` characters with an ellipsis."""
    return value if len(value) <= SHOWN_VALUE else f"{value[:SHOWN_VALUE]}…"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where, what, why, and perhaps what was meant."""

    #: Line of the file (``None``: the file as a whole).
    line: int | None
    #: Column as headed in the file (``None``: the whole row or file).
    column: str | None
    #: The offending value as written (``None``: a missing value).
    value: str | None
    #: Why it is wrong.
    reason: Text
    #: A known value close to the one written.
    suggestion: str | None = None

    def render(self, lang: str = "fr") -> str:
        """One line, e.g. « ligne 14, colonne site : « Marseile » inconnu — vouliez-vous … ? »."""
        english = lang == "en"
        place = []
        if self.line is not None:
            place.append(f"line {self.line}" if english else f"ligne {self.line}")
        if self.column:
            place.append(f"column {self.column}" if english else f"colonne {self.column}")
        where = ", ".join(place) or ("file" if english else "fichier")
        value = f"{quoted(shortened(self.value), lang)} " if self.value else ""
        hint = ""
        if self.suggestion:
            hint = (
                f" — did you mean {quoted(self.suggestion, lang)}?"
                if english
                else f" — vouliez-vous dire {quoted(self.suggestion)}\u00a0?"
            )
        return f"{where}{': ' if english else ' : '}{value}{self.reason(lang)}{hint}"

    @property
    def order(self) -> int:
        """Sort key: file-level problems first, then by line (stable within a line)."""
        return self.line or 0


class UnreadableFile(CertifyError):
    """A file that cannot be read at all (format, encoding, syntax)."""

    def __init__(self, problem: Problem) -> None:
        """Keep the problem to report."""
        super().__init__(problem.render())
        #: What is wrong with the file.
        self.problem = problem
