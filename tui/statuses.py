"""How where a person stands on a programme reads on screen: headers, counts, cells, colours."""

from __future__ import annotations

from rich.text import Text

from certify.rules.progress import ProgressStatus
from tui.i18n import N_, _, ngettext
from tui.wording import number

#: Each status as a count column's header, on two lines (marked, translated when shown).
HEADERS: dict[ProgressStatus, str] = {
    ProgressStatus.CERTIFIED: N_("Certified"),
    ProgressStatus.IN_WINDOW: N_("In renewal\nwindow"),
    ProgressStatus.ELIGIBLE: N_("Eligible,\nnot issued"),
    ProgressStatus.EXPIRED: N_("Expired"),
    ProgressStatus.IN_PROGRESS: N_("In\nprogress"),
}
#: Each status in a person's cell, in a word or two (marked, translated when shown).
CELLS: dict[ProgressStatus, str] = {
    ProgressStatus.CERTIFIED: N_("certified"),
    ProgressStatus.IN_WINDOW: N_("renew"),
    ProgressStatus.ELIGIBLE: N_("eligible"),
    ProgressStatus.EXPIRED: N_("expired"),
    ProgressStatus.IN_PROGRESS: N_("in progress"),
}
#: Each status in a sentence about one person (marked, translated when shown).
WORDS: dict[ProgressStatus, str] = {
    ProgressStatus.CERTIFIED: N_("certified"),
    ProgressStatus.IN_WINDOW: N_("in renewal window"),
    ProgressStatus.ELIGIBLE: N_("eligible, not issued"),
    ProgressStatus.EXPIRED: N_("expired"),
    ProgressStatus.IN_PROGRESS: N_("in progress"),
}
#: Each status's colour.
STYLES: dict[ProgressStatus, str] = {
    ProgressStatus.CERTIFIED: "green",
    ProgressStatus.IN_WINDOW: "yellow",
    ProgressStatus.ELIGIBLE: "bold cyan",
    ProgressStatus.EXPIRED: "red",
    ProgressStatus.IN_PROGRESS: "",
}


def header(status: ProgressStatus) -> Text:
    """A count column's header, right-aligned like its counts."""
    return Text(_(HEADERS[status]), justify="right")


def name(status: ProgressStatus) -> str:
    """A status on one line, e.g. « Éligibles non certifiés »."""
    return _(HEADERS[status]).replace("\n", " ")


def counted(status: ProgressStatus, count: int) -> str:
    """« 3 certifiés », « 1 expiré »… (each form written out for the catalogs)."""
    forms = {
        ProgressStatus.CERTIFIED: ngettext("{count} certified", "{count} certified", count),
        ProgressStatus.IN_WINDOW: ngettext(
            "{count} in renewal window", "{count} in renewal window", count
        ),
        ProgressStatus.ELIGIBLE: ngettext(
            "{count} eligible, not certified", "{count} eligible, not certified", count
        ),
        ProgressStatus.EXPIRED: ngettext("{count} expired", "{count} expired", count),
        ProgressStatus.IN_PROGRESS: ngettext("{count} in progress", "{count} in progress", count),
    }
    return forms[status].format(count=count)


def count_cell(status: ProgressStatus, count: int) -> Text:
    """A count in a table, grouped by thousands, right-aligned, coloured by its status (dim
    when zero)."""
    return Text(number(count), style=STYLES[status] if count else "dim", justify="right")


def status_cell(status: ProgressStatus) -> Text:
    """A person's status on one programme, in its colour."""
    return Text(_(CELLS[status]), style=STYLES[status], no_wrap=True)
