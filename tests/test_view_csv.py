"""Views exported for French Excel: BOM, semicolons, French headers, dates and labels."""

from __future__ import annotations

from datetime import date

from certify.access.narrowing import DashboardFilters
from certify.exchange.view_export import (
    DASHBOARD_COLUMNS,
    EXPIRING_COLUMNS,
    QUEUE_COLUMNS,
    ViewColumn,
    dashboard_csv,
    heatmap_columns,
    staff_columns,
    view_csv,
)
from certify.exchange.writers import write_csv
from certify.model import Role
from certify.rules.explanation import PersonRef, ProgrammeRef, SiteRef
from certify.rules.progress import ProgressStatus
from certify.views.dashboard import Dashboard, DashboardRow, ProgrammeTotal, StatusCounts
from certify.views.heatmap import HeatmapColumn, HeatmapRow
from certify.views.references import SiteLine
from certify.views.staff_directory import StaffLine, StatusCell
from certify.views.watchlists import ExpiringLine, QueueLine

SQY = SiteRef(3, "SQY", "Cité des métiers de Saint-Quentin-en-Yvelines")
HELENE = PersonRef(7, "Hélène Dupré", "helene.dupre@example.org", SQY)
ACC = ProgrammeRef(1, "CERT-ACC", "Chargé·e d'accueil de 1er niveau", "Reception officer")
CONS = ProgrammeRef(2, "CERT-CONS", "Conseiller·ère", "Counsellor")


def lines_of(data: bytes) -> list[list[str]]:
    """The cells of a CSV file written for French Excel."""
    assert data.startswith(b"\xef\xbb\xbf")
    text = data[3:].decode("utf-8")
    assert text.endswith("\r\n")
    return [line.split(";") for line in text.removesuffix("\r\n").split("\r\n")]


def test_view_csv_is_the_exports_csv() -> None:
    """Same bytes as the exports' writer: one format for every CSV certify writes."""
    columns = [ViewColumn("Jour", lambda row: row[0]), ViewColumn("Nom", lambda row: row[1])]
    rows = [(date(2026, 11, 21), "Hélène\u00a0; Dupré")]
    assert view_csv(columns, rows) == write_csv(
        ["Jour", "Nom"], [[date(2026, 11, 21), "Hélène\u00a0; Dupré"]]
    )
    assert lines_of(view_csv(columns, []))[0] == ["Jour", "Nom"]


def test_expiring_list() -> None:
    """French headers, DD/MM/YYYY, Oui/Non."""
    line = ExpiringLine(HELENE, ACC, "CDM-2023-000042", date(2026, 12, 21), 30, 0, True)
    [header, row] = lines_of(view_csv(EXPIRING_COLUMNS, [line]))
    assert header == [
        "Nom",
        "Adresse e-mail",
        "Site",
        "Programme",
        "Numéro",
        "Valide jusqu'au",
        "Jours restants",
        "Exigences manquantes",
        "Renouvelable",
    ]
    assert row == [
        "Hélène Dupré",
        "helene.dupre@example.org",
        "SQY",
        "CERT-ACC",
        "CDM-2023-000042",
        "21/12/2026",
        "30",
        "0",
        "Oui",
    ]


def test_queue_dashboard_staff_and_heatmap() -> None:
    """Status labels in French; one status and valid-until column per programme."""
    [_, queued] = lines_of(
        view_csv(QUEUE_COLUMNS, [QueueLine(HELENE, ACC, ProgressStatus.ELIGIBLE, None)])
    )
    assert queued[-2:] == ["Éligible, non délivré", ""]
    site = SiteLine(SQY, None, 1, "Île-de-France")
    counts = StatusCounts(certified=3, in_window=1, eligible=2, in_progress=5)
    [header, row] = lines_of(view_csv(DASHBOARD_COLUMNS, [DashboardRow(site, ACC, counts)]))
    assert header[4:] == [
        "Certifié·e",
        "Renouvellement ouvert",
        "Éligible, non délivré",
        "Expiré",
        "En cours",
        "Total",
    ]
    assert row == ["Île-de-France", "SQY", SQY.name, "CERT-ACC", "3", "1", "2", "0", "5", "11"]
    staff = StaffLine(
        HELENE,
        None,
        (Role.COUNSELLOR, Role.TRAINER),
        (StatusCell(ACC, ProgressStatus.CERTIFIED, date(2028, 3, 2), 0),),
        "Hélène",
        "Dupré",
        date(2020, 9, 1),
        None,
        "en",
    )
    [header, row] = lines_of(view_csv(staff_columns([ACC, CONS]), [staff]))
    # the columns of certify export staff, so that the list exported imports back
    assert header == [
        "Adresse e-mail",
        "Prénom",
        "Nom",
        "Site",
        "Employeur",
        "Rôles",
        "Date d'entrée",
        "Date de sortie",
        "Langue",
        "CERT-ACC",
        "CERT-ACC — valide jusqu'au",
        "CERT-CONS",
        "CERT-CONS — valide jusqu'au",
    ]
    assert row == [
        "helene.dupre@example.org",
        "Hélène",
        "Dupré",
        "SQY",
        "",
        "conseiller, formateur",
        "01/09/2020",
        "",
        "en",
        "Certifié·e",
        "02/03/2028",
        "",
        "",
    ]
    columns = (HeatmapColumn(1, "ETH-01", "Éthique", "Ethics", 2),)
    [header, row] = lines_of(view_csv(heatmap_columns(columns), [HeatmapRow(HELENE, (None,))]))
    assert (header[-1], row[-1]) == ("ETH-01", "")


def test_dashboard_lines_then_programme_totals() -> None:
    """The dashboard's CSV: its site lines, then one « Ensemble » line per programme."""
    site = SiteLine(SQY, None, 1, "Île-de-France")
    acc = StatusCounts(certified=3, in_window=1, eligible=2, in_progress=5)
    cons = StatusCounts(expired=1, in_progress=4)
    board = Dashboard(
        date(2026, 11, 21),
        DashboardFilters(),
        (DashboardRow(site, ACC, acc), DashboardRow(site, CONS, cons)),
        (ProgrammeTotal(ACC, acc), ProgrammeTotal(CONS, cons)),
    )
    [header, *rows] = lines_of(dashboard_csv(board))
    assert header == [column.header for column in DASHBOARD_COLUMNS]
    assert rows == [
        ["Île-de-France", "SQY", SQY.name, "CERT-ACC", "3", "1", "2", "0", "5", "11"],
        ["Île-de-France", "SQY", SQY.name, "CERT-CONS", "0", "0", "0", "1", "4", "5"],
        ["", "Ensemble", "Tous les sites de la vue", "CERT-ACC", "3", "1", "2", "0", "5", "11"],
        ["", "Ensemble", "Tous les sites de la vue", "CERT-CONS", "0", "0", "0", "1", "4", "5"],
    ]


def test_text_that_looks_like_a_formula_stays_text() -> None:
    """A name typed as a formula gets a leading quote; numbers and plain text are untouched."""
    columns: list[ViewColumn[tuple[str, int]]] = [
        ViewColumn("Nom", lambda line: line[0]),
        ViewColumn("Nombre", lambda line: line[1]),
    ]
    rows = [("=1+1", -3), ("@SUM(A1)", 2), ("Dupré", 0), ("-1+2", 1), ("+33 1 23", 5)]
    cells = lines_of(view_csv(columns, rows))
    assert [line[0] for line in cells[1:]] == ["'=1+1", "'@SUM(A1)", "Dupré", "'-1+2", "'+33 1 23"]
    assert [line[1] for line in cells[1:]] == ["-3", "2", "0", "1", "5"]
