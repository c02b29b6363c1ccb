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
    "01/01/1900": date(1900, 1, 1),
    "2100-12-31": date(2100, 12, 31),
}

#: Texts a lenient parser would complete from today or guess a century for.
REFUSED = ["3", "1/2", "1/2/3", "1 1 1", "01.02.26", "30/02/2024", "2024-02-30", "November 2026"]
#: Days that exist but no one means: before 1900 or after 2100.
OUT_OF_RANGE = ["0001-01-01", "1/1/0001", "31/12/1899", "01/01/2101", "9999-12-31", "1 January 201"]
#: Texts that are no date at all, however long.
NOT_DATES = ["demain", "", "9" * 5000, "1/1/" + "9" * 5000, "21 " * 2000 + "novembre 2026"]


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize(("text", "day"), ACCEPTED.items())
def test_every_reader_reads_the_same_days(reader: str, text: str, day: date) -> None:
    """Day first or ISO, with slashes, dots or dashes, and a midnight time Excel adds."""
    assert READERS[reader](text) == day


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("text", [*REFUSED, *OUT_OF_RANGE, *NOT_DATES])
def test_every_reader_refuses_what_it_would_have_to_guess(reader: str, text: str) -> None:
    """No day is completed from today, no two-digit year widened, no impossible day shifted."""
    with pytest.raises((CertifyError, CellError)):
        READERS[reader](text)


def test_the_refusal_says_why_in_both_languages() -> None:
    """« 30/02/2024 » is a day that does not exist; « 3 » is not a date at all."""
    with pytest.raises(CertifyError) as no_such_day:
        parse_date("30/02/2024", "--date")
    assert no_such_day.value.french == (
        "--date '30/02/2024' n'est pas une date valide\u00a0: ce jour n'existe pas"
    )
    with pytest.raises(CertifyError) as not_a_date:
        parse_date("3", "--date")
    assert not_a_date.value.english == "--date '3' is not a date (DD/MM/YYYY or YYYY-MM-DD)"


@pytest.mark.parametrize("text", OUT_OF_RANGE)
def test_a_day_out_of_range_is_told_so(text: str) -> None:
    """Year 1 or 9999 is a typo: the refusal names the range, not the calendar."""
    with pytest.raises(CertifyError) as refused:
        parse_date(text, "--date")
    assert refused.value.french == (
        f"--date {text!r} est hors des dates possibles (01/01/1900 à 31/12/2100)"
    )
    assert refused.value.english.endswith(
        "is outside the possible dates (01/01/1900 to 31/12/2100)"
    )


@pytest.mark.parametrize("day", [date(1, 1, 1), date(1899, 12, 31), date(2101, 1, 1)])
def test_a_date_a_spreadsheet_stored_is_held_to_the_same_range(day: date) -> None:
    """Excel and YAML hand over dates, not text: they are refused the same way."""
    with pytest.raises(CellError) as refused:
        DayCell().parse(day)
    assert refused.value.reason.en == "is outside the possible dates (01/01/1900 to 31/12/2100)"


def test_the_first_and_last_possible_days_are_read() -> None:
    """The range is inclusive, for dates a spreadsheet stored too."""
    assert DayCell().parse(date(1900, 1, 1)) == date(1900, 1, 1)
    assert DayCell().parse(date(2100, 12, 31)) == date(2100, 12, 31)
