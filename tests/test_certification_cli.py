"""``certify why|issue|revoke|reissue|audit verify`` from the command line, errors included."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from certify.cli import ERROR, main
from certify.store.db import Database
from tests.factories import MiniNetwork


@pytest.fixture
def cli(database: Database) -> tuple[str, str, str]:
    """(database URL, a qualified person's e-mail, an unqualified person's e-mail)."""
    with database.transaction() as session:
        net = MiniNetwork.build(session)
        alice = net.person("Alice", "Durand")
        net.qualify(alice, "CERT-ACC", on=date(2025, 3, 2))
        bob = net.person("Bob", "Léger")
        net.assess(bob, "ETH-01", 1, on=date(2025, 3, 2))
        return database.url, alice.email, bob.email


def run(capsys: pytest.CaptureFixture[str], url: str, *args: str) -> tuple[int, str, str]:
    """Run the CLI on the database at ``url``; return exit code, standard output and error."""
    code = main(["--db", url, *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_why_explains_in_french_and_english(
    cli: tuple[str, str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Eligible exits 0 with the evidence; not eligible exits 3 with what is missing."""
    url, alice, bob = cli
    code, out, _ = run(capsys, url, "why", alice, "cert-acc", "--date", "21/11/2026")
    assert code == 0 and "ETH-01" in out and "Jean Martin" in out
    code, out, _ = run(capsys, url, "why", bob, "CERT-ACC", "--lang", "en")
    assert code == 3 and "ETH-01" in out
    assert out.startswith("In progress: ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("why", "nobody@example.org", "CERT-ACC"),
            "aucun membre du personnel ne correspond à 'nobody@example.org'",
        ),
        (
            ("why", "{alice}", "CERT-AC"),
            "programme inconnu 'CERT-AC' — vouliez-vous dire «\u00a0CERT-ACC\u00a0»\u00a0?",
        ),
        (
            ("why", "{alice}", "CERT-ACC", "--date", "31/02/2026"),
            "--date '31/02/2026' n'est pas une date valide",
        ),
        (
            ("issue", "--programme", "CERT-ACC", "--person", "{bob}"),
            "n'est pas éligible à CERT-ACC",
        ),
        (("revoke", "CDM-2030-000009", "--reason", "x"), "aucun certificat de numéro"),
        (("issue", "--programme", "CERT-ACC", "--site", "PARIZ"), "site inconnu 'PARIZ'"),
    ],
)
def test_errors_are_one_clear_line(
    cli: tuple[str, str, str],
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    message: str,
) -> None:
    """Unknown people, programmes, sites and serials, bad dates: one line, exit 1."""
    url, alice, bob = cli
    filled = [a.format(alice=alice, bob=bob) for a in args]
    code, _, err = run(capsys, url, *filled)
    assert code == 1
    assert err.startswith((ERROR.fr, ERROR.en)) and err.count("\n") == 1
    assert message in err


def test_errors_speak_the_users_language(
    cli: tuple[str, str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """An error is in French by default and in English with ``--lang en``."""
    url, alice, _ = cli
    _, _, err = run(capsys, url, "why", alice, "CERT-AC")
    assert err == (
        "certify\u00a0: erreur\u00a0: programme inconnu 'CERT-AC' — "
        "vouliez-vous dire «\u00a0CERT-ACC\u00a0»\u00a0?\n"
    )
    _, _, err = run(capsys, url, "--lang", "en", "why", alice, "CERT-AC")
    assert err == "certify: error: unknown programme 'CERT-AC' — did you mean “CERT-ACC”?\n"


def test_issue_revoke_reissue_and_audit(
    cli: tuple[str, str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """A certificate's life from the command line, ending with a verified audit trail."""
    url, alice, bob = cli
    code, out, _ = run(
        capsys, url, "issue", "--programme", "CERT-ACC", "--person", alice, "--date", "20/03/2025"
    )
    assert code == 0 and "\u00a0: délivré CDM-2025-000001 (CERT-ACC, valable du " in out
    assert "au 2 mars 2028)" in out
    code, out, _ = run(
        capsys,
        url,
        *("--lang", "en", "issue", "--programme", "CERT-ACC", "--person", alice),
        *("--date", "2025-04-01"),
    )
    assert code == 0 and "already holds CDM-2025-000001" in out and "→ 2028-03-02)" in out
    code, out, _ = run(
        capsys,
        url,
        "--lang",
        "en",
        "issue",
        "--programme",
        "CERT-ACC",
        "--person",
        bob,
        "--date",
        "20/03/2025",
        "--override",
        "Jury du 18 mars",
    )
    assert code == 0 and "issued CDM-2025-000002" in out
    code, out, _ = run(
        capsys, url, "reissue", "cdm-2025-000001", "--reason", "Nom", "--date", "01/04/2025"
    )
    assert code == 0 and "CDM-2025-000001 remplacé par CDM-2025-000003" in out
    code, out, _ = run(
        capsys,
        url,
        *("--lang", "en", "revoke", "CDM-2025-000002", "--reason", "Fraude"),
        *("--date", "02/04/2025"),
    )
    assert code == 0 and "revoked from 2025-04-02" in out
    code, out, _ = run(capsys, url, "--lang", "en", "audit", "verify")
    assert code == 0 and "audit trail intact: 4 events verified" in out


def test_audit_verify_reports_a_tampered_event(
    cli: tuple[str, str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """An edited event is found and named; the exit code says so."""
    url, alice, _ = cli
    run(capsys, url, "issue", "--programme", "CERT-ACC", "--person", alice, "--date", "20/03/2025")
    database = Database(url)
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE audit_event SET entity_key = 'CDM-2025-999999'"))
    database.dispose()
    code, out, _ = run(capsys, url, "--lang", "en", "audit", "verify")
    assert code == 4 and "audit trail BROKEN at event" in out and "edited" in out


def test_batch_from_the_command_line(
    cli: tuple[str, str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Every eligible person of a site, with a progress bar on standard error."""
    url, _, _ = cli
    code, out, err = run(
        capsys, url, "issue", "--programme", "CERT-ACC", "--site", "PARIS", "--date", "20/03/2025"
    )
    assert code == 0 and "1 certificat délivré pour CERT-ACC (CDM-2025-000001" in out
    assert "1/1" in err
