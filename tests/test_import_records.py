"""Sessions and attendance, past assessments and past certificates: dates and serials kept."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from certify.exchange import render_report
from certify.model import Assessment, Certificate, CertificateState, SerialCounter
from certify.rules.explanation import Explanation
from certify.store.db import Database
from tests.exchange_helpers import dump, found, natural, run_import, write_csv
from tests.factories import MiniNetwork

JEAN = "jean.martin@example.org"
SESSIONS = ["Module", "Site", "Début", "Fin", "Formateurs", "Participant", "Heures de présence"]
ASSESSMENTS = [
    "Personne",
    "Compétence",
    "Niveau",
    "Date",
    "Évaluateur",
    "Méthode",
    "Preuve",
    "Corrige",
    "Motif de correction",
]
CERTIFICATES = [
    "Numéro",
    "Personne",
    "Programme",
    "Délivré le",
    "Valide à partir du",
    "Valide jusqu'au",
    "État",
    "Révoqué le",
    "Motif de révocation",
    "Motif de reprise",
]
#: Why the administrator records past certificates.
REASON = "Reprise du registre papier de la Cité des métiers de Lyon"


@pytest.fixture
def network(database: Database) -> Database:
    """The miniature network, with three counsellors: alice.durand.1@… (PARIS), bob.roux.2@…
    (SQY) and carla.petit.3@… (PARIS-N, a centre of PARIS)."""
    with database.transaction() as session:
        net = MiniNetwork.build(session)
        net.person("Alice", "Durand")
        net.person("Bob", "Roux", site="SQY")
        net.person("Carla", "Petit", site="PARIS-N")
    return database


ALICE, BOB = "alice.durand.1@example.org", "bob.roux.2@example.org"
CARLA = "carla.petit.3@example.org"


def test_sessions_with_attendance_one_row_per_participant(
    network: Database, tmp_path: Path
) -> None:
    """Session values repeat on each participant's row; a row alone describes a session."""
    rows = [
        SESSIONS,
        ["M02", "PARIS", "03/09/2024", "04/09/2024", JEAN, ALICE, "14"],
        ["M02", "PARIS", "03/09/2024", "04/09/2024", JEAN, CARLA, "10,5"],
        ["M04", "SQY", "01/10/2024", "01/10/2024", "", "", ""],
    ]
    report = run_import(network, "sessions", write_csv(tmp_path / "s.csv", rows))
    assert [(p.entity.name, len(p.creations)) for p in report.plan] == [
        ("session", 2),
        ("attendance", 2),
    ]
    data = natural(network, ["session", "attendance"])
    session = (("M02",), ("PARIS",), date(2024, 9, 3))
    assert data["session"][session] == {"ends_on": date(2024, 9, 4), "trainers": {(JEAN,)}}
    assert data["attendance"][(session, (CARLA,))]["hours_present"] == Decimal("10.5")
    rows[2][6] = "12"
    again = run_import(network, "sessions", write_csv(tmp_path / "t.csv", rows))
    assert (again.plan.created, again.plan.updated, again.plan.unchanged) == (0, 1, 3)


def test_session_rows_that_disagree_or_overflow(network: Database, tmp_path: Path) -> None:
    """Two end days for one session, hours beyond the module's, an unknown participant."""
    rows = [
        SESSIONS,
        ["M02", "PARIS", "03/09/2024", "04/09/2024", JEAN, ALICE, "14"],
        ["M02", "PARIS", "03/09/2024", "05/09/2024", JEAN, CARLA, "15"],
        ["M02", "PARIS", "03/09/2024", "04/09/2024", JEAN, "zoe@example.org", ""],
    ]
    before = dump(network)
    report = run_import(network, "sessions", write_csv(tmp_path / "s.csv", rows))
    assert found(report) == [
        (3, "Fin", "05/09/2024"),
        (3, "Heures de présence", "15"),
        (4, "Participant", "zoe@example.org"),
    ]
    assert "dépasse la durée du module (14 h)" in render_report(report)
    assert dump(network) == before


def test_past_assessments_keep_their_dates_and_reimport_as_nothing(
    network: Database, tmp_path: Path
) -> None:
    """Old assessments, a correction of one of them; the same file again adds nothing."""
    rows = [
        ASSESSMENTS,
        [ALICE, "ETH-01", "1", "12/03/2019", JEAN, "observation", "Premier essai", "", ""],
        [
            ALICE,
            "ETH-01",
            "2",
            "12/03/2019",
            JEAN,
            "mise en situation",
            "",
            f"12/03/2019 {JEAN} 1",
            "niveau mal saisi",
        ],
        [BOB, "ACC-01", "3", "2020-06-30", JEAN, "Entretien", "", "", ""],
    ]
    report = run_import(network, "evaluations", write_csv(tmp_path / "a.csv", rows))
    assert not report.problems and report.plan.created == 3
    with network.reading() as session:
        assessments = session.scalars(select(Assessment).order_by(Assessment.id)).all()
        assert [a.assessed_on for a in assessments] == [date(2019, 3, 12)] * 2 + [date(2020, 6, 30)]
        assert assessments[1].supersedes_id == assessments[0].id
        assert assessments[1].correction_reason == "niveau mal saisi"
    before = dump(network)
    again = run_import(network, "assessments", write_csv(tmp_path / "b.csv", rows))
    assert (again.plan.created, again.plan.updated) == (0, 0)
    assert dump(network) == before


def test_assessment_problems(network: Database, tmp_path: Path) -> None:
    """Unknown competency (suggested), level off the scale, self-assessment, future date, twins."""
    rows = [
        ASSESSMENTS,
        [ALICE, "ETH-1", "2", "12/03/2019", JEAN, "observation", "", "", ""],
        [ALICE, "ETH-02", "9", "12/03/2019", JEAN, "observation", "", "", ""],
        [JEAN, "ETH-02", "2", "12/03/2019", JEAN, "quiz", "", "", ""],
        [ALICE, "ETH-03", "2", "12/03/2999", JEAN, "quiz", "", "", ""],
        [BOB, "ETH-03", "2", "12/03/2020", JEAN, "quiz", "", "", ""],
        [BOB, "ETH-03", "2", "2020-03-12", JEAN, "portfolio", "", "", ""],
        [BOB, "ETH-01", "2", "12/03/2020", JEAN, "quiz", "", "01/01/2001 a@b.fr 1", ""],
    ]
    before = dump(network)
    report = run_import(network, "assessments", write_csv(tmp_path / "a.csv", rows))
    assert found(report) == [
        (2, "Compétence", "ETH-1"),
        (3, "Niveau", "9"),
        (4, "Évaluateur", JEAN),
        (5, "Date", "12/03/2999"),
        (7, "Personne", f"{BOB} / ETH-03 / 2020-03-12 / {JEAN} / 2"),
        (8, "Corrige", "01/01/2001 a@b.fr 1"),
    ]
    assert "vouliez-vous dire" in report.problems[0].render()
    assert "(ETH-01)\u00a0?" in report.problems[0].render()
    assert "n'est pas un niveau de l'échelle (0–3)" in report.problems[1].render()
    assert dump(network) == before


def test_past_certificates_are_recorded_as_issued_elsewhere(
    network: Database, tmp_path: Path
) -> None:
    """Certificates issued elsewhere: serial, dates, state and reason kept; no issuer; flagged
    as issued elsewhere; certify's serial counter untouched."""
    rows = [
        CERTIFICATES,
        [
            "LYON-2019-42",
            ALICE,
            "CERT-ACC",
            "15/03/2019",
            "12/03/2019",
            "12/03/2022",
            "délivré",
            "",
            "",
            REASON,
        ],
        [
            "ANCIEN-7",
            BOB,
            "CERT-ACC",
            "01/02/2018",
            "01/02/2018",
            "01/02/2021",
            "révoqué",
            "01/06/2019",
            "Fraude",
            REASON,
        ],
    ]
    report = run_import(network, "certificats", write_csv(tmp_path / "c.csv", rows))
    assert not report.problems
    with network.reading() as session:
        imported = session.scalar(select(Certificate).where(Certificate.serial == "LYON-2019-42"))
        assert (imported.issued_on, imported.valid_from, imported.valid_until) == (
            date(2019, 3, 15),
            date(2019, 3, 12),
            date(2022, 3, 12),
        )
        assert (imported.issued_by_id, imported.issued_elsewhere) == (None, True)
        assert imported.import_reason == REASON
        assert imported.snapshot["imported"] is True
        assert imported.snapshot["original"]["serial"] == "LYON-2019-42"
        assert imported.snapshot["holder"] == {"name": "Alice Durand", "email": ALICE}
        revoked = session.scalar(select(Certificate).where(Certificate.serial == "ANCIEN-7"))
        assert (revoked.state, revoked.revoked_on) == (CertificateState.REVOKED, date(2019, 6, 1))
        assert session.scalar(select(func.count()).select_from(SerialCounter)) == 0
        explanation = Explanation.from_dict(imported.snapshot["explanation"])
        assert (explanation.programme.code, explanation.requirements) == ("CERT-ACC", ())
    again = run_import(network, "certificates", write_csv(tmp_path / "d.csv", rows))
    assert (again.plan.created, again.plan.updated) == (0, 0)


def test_certify_serials_and_reasonless_files_are_refused(
    network: Database, tmp_path: Path
) -> None:
    """A serial of certify's own form is certify's to give; a file without reasons is refused."""
    row = ["cdm-2019-000042", ALICE, "CERT-ACC", "15/03/2019", "12/03/2019", "12/03/2022"]
    before = dump(network)
    report = run_import(
        network,
        "certificates",
        write_csv(tmp_path / "c.csv", [CERTIFICATES, [*row, *[""] * 3, REASON]]),
    )
    assert found(report) == [(2, "Numéro", "cdm-2019-000042")]
    assert "a la forme des numéros de certify" in render_report(report)
    no_reason = run_import(
        network,
        "certificates",
        write_csv(tmp_path / "d.csv", [CERTIFICATES[:-1], ["X-1", *row[1:], "", "", ""]]),
    )
    assert [(p.value, p.reason.en) for p in no_reason.problems] == [
        ("Motif de reprise", "required column missing")
    ]
    assert dump(network) == before


def test_certificate_problems(network: Database, tmp_path: Path) -> None:
    """Validity backwards, revocation without reason, two standing certificates for one start."""
    rows = [
        CERTIFICATES,
        ["A-1", ALICE, "CERT-ACC", "15/03/2019", "12/03/2019", "12/03/2018", "", "", "", REASON],
        [
            "A-2",
            ALICE,
            "CERT-ACC",
            "15/03/2019",
            "12/03/2019",
            "12/03/2022",
            "révoqué",
            "01/01/2020",
            "",
            REASON,
        ],
        ["A-3", BOB, "CERT-ACC", "15/03/2019", "12/03/2019", "12/03/2022", "", "", "", REASON],
        ["A-4", BOB, "CERT-ACC", "15/03/2019", "12/03/2019", "12/03/2022", "", "", "", REASON],
    ]
    before = dump(network)
    report = run_import(network, "certificates", write_csv(tmp_path / "c.csv", rows))
    assert [(line, column) for line, column, _ in found(report)] == [
        (2, "Valide jusqu'au"),
        (3, "État"),
        (4, "Valide à partir du"),
        (5, "Valide à partir du"),
    ]
    assert dump(network) == before


def test_a_failure_while_writing_leaves_the_database_unchanged(
    network: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows are inserted, then the audit fails: the whole import is rolled back."""

    def broken(*args: object) -> int:
        """Fail as a lost connection would."""
        raise RuntimeError("connection lost")

    monkeypatch.setattr("certify.exchange.apply.record_all", broken)
    rows = [SESSIONS, ["M02", "PARIS", "03/09/2024", "04/09/2024", JEAN, ALICE, "14"]]
    before = dump(network)
    with pytest.raises(RuntimeError, match="connection lost"):
        run_import(network, "sessions", write_csv(tmp_path / "s.csv", rows))
    assert dump(network) == before


def test_assessments_are_corrected_never_edited(network: Database, tmp_path: Path) -> None:
    """Re-importing an assessment with other evidence is refused: it must be corrected."""
    rows = [ASSESSMENTS, [ALICE, "ETH-01", "1", "12/03/2019", JEAN, "observation", "Vu", "", ""]]
    run_import(network, "assessments", write_csv(tmp_path / "a.csv", rows))
    rows[1][6] = "Vu deux fois"
    report = run_import(network, "assessments", write_csv(tmp_path / "b.csv", rows))
    assert found(report) == [(2, "Preuve", "Vu deux fois")]
    assert "une évaluation ne se modifie pas" in render_report(report)


def test_an_import_changes_no_certificate(network: Database, tmp_path: Path) -> None:
    """Neither a new end of validity, nor a revocation, nor an un-revocation: revoking and
    reissuing are actions of their own."""
    row = ["X-1", ALICE, "CERT-ACC", "15/03/2019", "12/03/2019", "12/03/2022", "", "", "", REASON]
    revoked = ["Y-1", BOB, *row[2:6], "révoqué", "01/01/2020", "Erreur de saisie", REASON]
    first = run_import(
        network, "certificates", write_csv(tmp_path / "a.csv", [CERTIFICATES, row, revoked])
    )
    assert first.plan is not None and first.plan.created == 2
    changed = [
        [*row[:5], "12/03/2023", *row[6:]],
        [*row[:6], "révoqué", "01/01/2020", "Erreur de saisie", REASON],
        [*revoked[:6], "délivré", "", "", REASON],
    ]
    before = dump(network)
    for number, new in enumerate(changed):
        report = run_import(
            network, "certificates", write_csv(tmp_path / f"b{number}.csv", [CERTIFICATES, new])
        )
        assert report.problems and report.plan is None
        assert "un import ne change aucun certificat" in render_report(report)
    assert dump(network) == before
