"""Which delimiter a CSV file uses: the one that splits its header into the most fields."""

from __future__ import annotations

import pytest

from certify.exchange.tabular import find_delimiter


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("Nom;Prénom;Site\nDurand;Alice;PARIS\n", ";"),
        ("name,given,site\n", ","),
        ("name\tgiven\tsite\n", "\t"),
        ('"Nom, prénom";Site;Rôle\n', ";"),
        ('"a;b;c;d",site,role,email\n', ","),
        ("Liste du personnel\n\nNom;Prénom\n", ";"),
        ("Nom\n", ";"),
    ],
)
def test_the_header_decides(text: str, delimiter: str) -> None:
    """Quoted delimiters do not count; a title line above the header is skipped."""
    assert find_delimiter(text) == delimiter


def test_a_line_that_stalls_csv_sniffer_is_read_at_once() -> None:
    """Thousands of quoted blanks (csv.Sniffer took seconds to minutes on such lines)."""
    header = ";".join(['" "'] * 5000) + "\n"
    assert find_delimiter(header) == ";"
