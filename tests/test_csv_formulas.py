"""CSV formula injection: every CSV certify writes quotes would-be formulas; imports unquote."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from certificates.qualiopi_csv import qualiopi_csv
from certify.cli import main
from certify.exchange.formulas import inert, revived
from certify.exchange.view_export import EXPIRING_COLUMNS, view_csv
from certify.model import Person
from certify.rules.explanation import PersonRef, ProgrammeRef, SiteRef
from certify.store.db import Database
from certify.views.qualiopi_evidence import PersonEvidence
from certify.views.watchlists import ExpiringLine
from tests.exchange_helpers import copy_all, natural, run_import, second_database, write_csv
from tests.factories import MiniNetwork

#: A programme of the lists.
ACC = ProgrammeRef(1, "CERT-ACC", "Chargé·e d'accueil", "Reception officer")
#: The payload of the finding, and other would-be formulas.
HOSTILE = ["=cmd|'/c calc'!A1", "+1+2", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", "\tTab", "\rCR"]


def cells(data: bytes) -> list[list[str]]:
    """The cells of a CSV file certify wrote."""
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


@pytest.mark.parametrize("text", HOSTILE)
def test_would_be_formulas_get_a_leading_quote(text: str) -> None:
    """OWASP: ``=``, ``+``, ``-``, ``@``, tab and carriage return start a quoted cell."""
    assert inert(text) == "'" + text
    assert revived(inert(text)) == text


@pytest.mark.parametrize("text", ["-3,5", "+2", "-12", "3.25", "Durand", "'quoted", "", "a=b"])
def test_numbers_and_plain_text_are_written_as_they_are(text: str) -> None:
    """A signed number is data; text not starting a formula is left alone."""
    assert inert(text) == text
    assert revived(text) == text


def test_a_quote_before_a_formula_is_itself_quoted() -> None:
    """``'=x`` typed by someone is written ``''=x`` so that reading gives ``'=x`` back."""
    assert inert("'=x") == "''=x"
    assert revived("''=x") == "'=x"


@given(st.text(alphabet="'=+-@\t\r0123456789,.ab", max_size=8))
def test_reading_undoes_writing(text: str) -> None:
    """Whatever the text, reading a written cell gives it back."""
    assert revived(inert(text)) == text


def test_view_exports_quote_formulas_but_not_numbers() -> None:
    """A list export: the hostile name quoted; a negative day count written as a number."""
    person = PersonRef(1, HOSTILE[0], "a@example.org", SiteRef(1, "PARIS", "Paris"))
    line = ExpiringLine(person, ACC, "CDM-2023-000042", date(2026, 12, 21), -3, 0, True)
    [_, row] = cells(view_csv(EXPIRING_COLUMNS, [line]))
    assert row[0] == "'=cmd|'/c calc'!A1" and row[6] == "-3"


def test_qualiopi_csv_quotes_formulas() -> None:
    """``report qualiopi``'s CSV goes through the same writer."""
    person = PersonEvidence(1, "@Kofi", HOSTILE[0], "k@example.org", "PARIS", (), ())
    [_, row] = cells(qualiopi_csv([person], "fr"))
    assert row[:4] == ["PARIS", "'=cmd|'/c calc'!A1", "'@Kofi", "k@example.org"]


def test_cli_export_staff_quotes_formulas(
    database: Database, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    """``certify export staff``: the finding's payload comes out quoted."""
    with database.transaction() as session:
        MiniNetwork.build(session).person(HOSTILE[0], "@Durand").email = "a@example.org"
    assert main(["--db", database.url, "export", "staff"]) == 0
    text = capsysbinary.readouterr().out.decode("utf-8-sig")
    assert "'=cmd|'/c calc'!A1" in text and ";'@Durand;" in text
    assert ";=cmd" not in text


def test_hostile_names_round_trip(database: Database, tmp_path: Path) -> None:
    """Exported to CSV and imported into a fresh database: the names exactly as they were."""
    with database.transaction() as session:
        net = MiniNetwork.build(session)
        for n, text in enumerate([*HOSTILE, "'=x", "-3,5"]):
            net.person(text, f"Nom{n}").email = f"p{n}@example.org"
    with second_database(database, tmp_path) as fresh:
        copy_all(database, fresh, tmp_path, "csv")
        assert natural(fresh, ["person"]) == natural(database, ["person"])
        with fresh.reading() as session:
            names = set(session.scalars(select(Person.given_name)))
    assert {*HOSTILE, "'=x", "-3,5"} <= names


def test_a_leading_tab_is_kept_not_stripped(database: Database, tmp_path: Path) -> None:
    """A tab before a name is part of it (a code refuses it): never silently dropped."""
    with database.transaction() as session:
        MiniNetwork.build(session)
    header = ["Prénom", "Nom", "Adresse e-mail", "Site", "Date d'entrée"]
    row = ["\tAna", "Lima", "ana@example.org", "PARIS", "01/01/2024"]
    report = run_import(database, "staff", write_csv(tmp_path / "s.csv", [header, row]))
    assert not report.problems, [p.render() for p in report.problems]
    with database.reading() as session:
        assert session.scalar(select(Person.given_name).where(Person.family_name == "Lima")) == (
            "\tAna"
        )
    bad = ["Ana", "Lima", "ana@example.org", "\tPARIS", "01/01/2024"]
    report = run_import(database, "staff", write_csv(tmp_path / "t.csv", [header, bad]))
    assert report.problems
