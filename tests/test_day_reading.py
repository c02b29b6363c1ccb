"""One reader of days for the CLI, the TUI and the imports: the same days, the same refusals."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from certify.errors import CertifyError
from certify.exchange.cells import CellError, DayCell
from certify.parsing import parse_date
from tui.wording import parse_day as typed_in_the_tui

#: Each way a day comes in: typed on the command line, in a TUI field, in an import cell.
READERS: dict[str, Callable[[str], date]] = {
    "cli": parse_date,
    "tui": typed_in_the_tui,
    "import": DayCell().parse,
}

ACCEPTED = {
    "21/11/2026": date(2026, 11, 21),
    "1/2/2026": date(2026, 2, 1),
    "21.11.2026": date(2026, 11, 21),
    "21-11-2026": date(2026, 11, 21),
    "2026-11-21": date(2026, 11, 21),
    " 2026-11-21 00:00:00 ": date(2026, 11, 21),
    "21 November 2026": date(2026, 11, 21),
}

#: Texts a lenient parser would complete from today or guess a century for.
REFUSED = ["3", "1/2", "1/2/3", "01.02.26", "30/02/2024", "2024-02-30", "November 2026", "demain"]


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize(("text", "day"), ACCEPTED.items())
def test_every_reader_reads_the_same_days(reader: str, text: str, day: date) -> None:
    """Day first or ISO, with slashes, dots or dashes, and a midnight time Excel adds."""
    assert READERS[reader](text) == day


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("text", REFUSED)
def test_every_reader_refuses_what_it_would_have_to_guess(reader: str, text: str) -> None:
    """No day is completed from today, no two-digit year widened, no impossible day shifted."""
    with pytest.raises((CertifyError, CellError)):
        READERS[reader](text)


def test_the_refusal_says_why_in_both_languages() -> None:
    """« 30/02/2024 » is a day that does not exist; « 3 » is not a date at all."""
    with pytest.raises(CertifyError) as no_such_day:
        parse_date("30/02/2024", "--date")
    assert no_such_day.value.french == (
        "--date '30/02/2024' n'est pas une date valide : ce jour n'existe pas"
    )
    with pytest.raises(CertifyError) as not_a_date:
        parse_date("3", "--date")
    assert not_a_date.value.english == "--date '3' is not a date (DD/MM/YYYY or YYYY-MM-DD)"
