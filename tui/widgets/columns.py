"""Column widths measured from the data before a table is filled, and tables fitted to
their width.

Textual's ``DataTable`` sizes automatic columns on idle, after rows may already have been
drawn at the headers' width; giving each column its width up front avoids that. A
:class:`FittedTable` tells its screen each width it gets: a screen's own ``Resize`` is
handled before its widgets are laid out again, so a screen fitting columns there would fit
them to the width the table had (none, before the first layout).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.cells import cell_len
from textual import events
from textual.message import Message
from textual.widgets import DataTable

#: Narrowest a column taking the spare width gets.
NARROWEST = 12


def width(label: str, values: Iterable[str], most: int | None = None) -> int:
    """The widest of ``label`` and ``values`` (at most ``most``, when given)."""
    widest = max([cell_len(label), *(cell_len(value) for value in values)])
    return widest if most is None else min(widest, most)


def widths(labels: Sequence[str], rows: Sequence[Sequence[str]]) -> list[int]:
    """For each column, the widest of its label and its cells."""
    return [width(label, (row[index] for row in rows)) for index, label in enumerate(labels)]


def spare_width(table: DataTable[object], widths: Sequence[int]) -> int:
    """The width left for one more column after columns of these widths (and padding)."""
    padding = 2 * table.cell_padding * (len(widths) + 1)
    used = sum(widths) + padding + table.styles.scrollbar_size_vertical
    return max(table.size.width - used, NARROWEST)


class FittedTable(DataTable[object]):
    """A table whose columns are fitted to its width: it says when it gets a new one."""

    class Resized(Message):
        """The table was laid out at a new width: fit its columns again."""

    def on_resize(self, event: events.Resize) -> None:
        """Tell the screen, which fits the columns."""
        self.post_message(self.Resized())


def laid_out(table: DataTable[object]) -> bool:
    """Whether the table has its width yet (if not, its first ``Resized`` fills it)."""
    return table.size.width > 0
