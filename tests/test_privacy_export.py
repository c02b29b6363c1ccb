"""``certify privacy export``: everything about one person, nothing about anyone else."""

# On the small network, person 3 (Łukasz Wróbel, site coordinator of NIMES) is given a row
# in every table that refers to a person: assessed by trainer 4 and assessing person 5,
# attending and training session 1, holding a certificate issued by 2 (with its PDF and a
# reminder) and issuing one to 5, a cached standing, audit events about them and by them.

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import Column, func, select, update

from certificates.personal_data_report import TABLES
from certify.cli import main
from certify.model import (
    AssessmentMethod,
    Attendance,
    AuditEvent,
    Base,
    CachedStanding,
    Certificate,
    CertificateDocument,
    CertificateState,
    ExpiryReminder,
    Person,
    Programme,
    RecipientKind,
    SessionTrainer,
    SignInThrottle,
    UserAccount,
)
from certify.services.assessments import NewAssessment, record_assessments
from certify.store.audit import Change, record
from certify.store.db import Database
from tests.network import SESSION_ID, STAFF, build_small_network

#: The person whose data is exported.
SUBJECT = 3
#: Their password hash, which must never leave the database.
HASH = "$argon2id$v=19$m=65536,t=3,p=4$c2VjcmV0LWhhc2gtb2YtMw"


def _certificate(
    certificate_id: int, person_id: int, issuer_id: int, reason: str | None = None
) -> Certificate:
    """A certificate of programme 1 held by ``person_id``, issued by ``issuer_id``."""
    given, family, _, _ = STAFF[person_id]
    return Certificate(
        id=certificate_id,
        serial=f"CDM-2026-{certificate_id:05d}",
        person_id=person_id,
        programme_id=1,
        issued_on=date(2026, 4, 1),
        valid_from=date(2026, 4, 1),
        valid_until=date(2028, 3, 31),
        state=CertificateState.REVOKED if reason else CertificateState.ISSUED,
        revoked_on=date(2026, 5, 1) if reason else None,
        revocation_reason=reason,
        issued_by_id=issuer_id,
        status_index=certificate_id,
        snapshot={"holder": {"name": f"{given} {family}", "email": f"p{person_id}@cdm.example"}},
    )


@pytest.fixture
def url(database: Database) -> str:
    """The small network, person 3 in every table that refers to a person."""
    network = build_small_network(database)
    with database.transaction() as session:
        session.execute(
            update(UserAccount).where(UserAccount.person_id == SUBJECT).values(password_hash=HASH)
        )
        session.add(
            Attendance(session_id=SESSION_ID, person_id=SUBJECT, hours_present=Decimal("7.5"))
        )
        session.add(SessionTrainer(session_id=SESSION_ID, person_id=SUBJECT))
        session.add_all(
            SignInThrottle(kind=kind, key=key, failures=2)
            for kind, key in (("account", "user3"), ("account", "user5"), ("client", "10.0.0.3"))
        )
        session.add(
            Programme(
                id=1,
                code="P01",
                title_fr="Accueil",
                title_en="Reception",
                framework_id=1,
                validity_months=24,
                recert_window_months=3,
            )
        )
        session.flush()
        session.add(_certificate(1, SUBJECT, 2))
        session.add(_certificate(2, 5, SUBJECT, reason="Ayşe Yılmaz a quitté le réseau"))
        session.flush()
        session.add_all(
            [
                CertificateDocument(certificate_id=1, lang="fr", pdf=b"%PDF-3", sha256="a" * 64),
                CertificateDocument(certificate_id=2, lang="fr", pdf=b"%PDF-5", sha256="b" * 64),
                ExpiryReminder(
                    certificate_id=1,
                    threshold_days=30,
                    recipient_kind=RecipientKind.HOLDER,
                    recipient_id=SUBJECT,
                ),
                ExpiryReminder(
                    certificate_id=2,
                    threshold_days=30,
                    recipient_kind=RecipientKind.HOLDER,
                    recipient_id=5,
                ),
                CachedStanding(
                    person_id=SUBJECT, programme_id=1, site_id=1, status="valid", missing=0
                ),
                CachedStanding(person_id=5, programme_id=1, site_id=1, status="revoked", missing=1),
            ]
        )
        session.flush()
        record(
            session,
            1,
            Change(
                "person.updated",
                "person",
                SUBJECT,
                before={"family_name": "Wrobel"},
                after={"family_name": "Wróbel"},
            ),
        )
        record(
            session,
            SUBJECT,
            Change("person.updated", "person", 5, after={"given_name": "Ayşe"}),
        )
    with database.transaction() as session:
        assessed = NewAssessment(
            SUBJECT, 1, 2, date(2026, 5, 3), AssessmentMethod.OBSERVATION, "accueil soigné"
        )
        record_assessments(session, network.actor(4), [assessed], date(2026, 5, 3))
    with database.transaction() as session:
        given = NewAssessment(
            5, 2, 3, date(2026, 5, 4), AssessmentMethod.ENTRETIEN, "Yılmaz, p5@cdm.example"
        )
        record_assessments(session, network.actor(SUBJECT), [given], date(2026, 5, 4))
    return database.url


def run(capsys: pytest.CaptureFixture[str], url: str, *args: str) -> tuple[int, str, str]:
    """``certify privacy export`` on ``url``: exit code, standard output and error."""
    code = main(["--db", url, "privacy", "export", *args])
    out, err = capsys.readouterr()
    return code, out, err


def export(capsys: pytest.CaptureFixture[str], url: str, *args: str) -> tuple[dict[str, Any], str]:
    """The export's document and its text, which must succeed."""
    code, out, err = run(capsys, url, *args)
    assert code == 0, err
    return json.loads(out), out


def person_columns() -> list[Column[Any]]:
    """Every column outside ``person`` referring to a person (foreign key, or ``person_id``)."""
    return [
        column
        for table in Base.metadata.sorted_tables
        if table.name != "person"
        for column in table.columns
        if column.name == "person_id"
        or any(fk.column.table.name == "person" for fk in column.foreign_keys)
    ]


def test_every_table_referring_to_a_person_gives_their_rows(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each person column of the metadata gives exactly the rows SQL counts for person 3."""
    document, _ = export(capsys, url, str(SUBJECT))
    database = Database(url)
    counted: dict[str, int] = {}
    try:
        with database.reading() as session:
            for column in person_columns():
                counted[f"{column.table.name}.{column.name}"] = (
                    session.scalar(
                        select(func.count()).select_from(column.table).where(column == SUBJECT)
                    )
                    or 0
                )
    finally:
        database.dispose()
    assert {"assessment.assessor_id", "attendance.person_id", "user_account.person_id"} <= set(
        counted
    )
    assert [name for name, count in counted.items() if count == 0] == []  # seed them all
    for name, count in counted.items():
        table, column = name.split(".")
        rows = (
            document["records"][table] if column == "person_id" else document["involved_in"][name]
        )
        assert len(rows) == count, name
        assert {row[column] for row in rows} == {SUBJECT}, name
        assert table in document["header"]["tables_read"]
    assert document["person"]["email"] == "p3@cdm.example"
    assert document["person"]["given_name"] == "Łukasz"
    # rows hanging off theirs: their certificate's PDF and reminder, not person 5's
    assert [row["certificate_id"] for row in document["records"]["certificate_document"]] == [1]
    assert [row["certificate_id"] for row in document["records"]["expiry_reminder"]] == [1]
    assert document["records"]["attendance"] == [
        {"session_id": SESSION_ID, "person_id": SUBJECT, "hours_present": "7.50"}
    ]
    # failed sign-ins are kept by the user name typed: theirs, not another's nor an address
    assert [row["key"] for row in document["records"]["sign_in_throttle"]] == ["user3"]


def test_the_header_and_the_audit_events_about_them(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The header, the events about them with their personal values; no event written."""
    database = Database(url)
    try:
        with database.reading() as session:
            before = session.scalar(select(func.count()).select_from(AuditEvent))
        document, _ = export(capsys, url, "p3@cdm.example")
        with database.reading() as session:
            assert session.scalar(select(func.count()).select_from(AuditEvent)) == before
    finally:
        database.dispose()
    header = document["header"]
    assert header["person_id"] == SUBJECT and header["certify_version"]
    assert header["generated_at"].endswith("+00:00")
    assert {"person", "audit_event", "audit_personal"} <= set(header["tables_read"])
    events = document["audit_events"]
    assert [e["action"] for e in events] == ["person.updated", "assessment.recorded"]
    assert events[0]["details"]["after"]["family_name"] == "Wróbel"
    assert events[1]["actor_id"] == 4
    done = document["involved_in"]["audit_event.actor_id"]
    assert [e["action"] for e in done] == ["person.updated", "assessment.recorded"]
    assert all("details" not in e for e in done)


def test_nothing_about_anyone_else(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """No other person's name or e-mail anywhere; the password hash withheld, and said so."""
    document, text = export(capsys, url, "Łukasz", "--lang", "en")
    assert "Łukasz" in text and "Wróbel" in text
    for person_id, (given, family, _, _) in STAFF.items():
        if person_id != SUBJECT:
            for value in (given, family, f"p{person_id}@cdm.example"):
                assert value not in text, value
    assert HASH not in text and "password_hash" not in text
    assert document["withheld"] == ["kept, not exported: password hash"]
    given = document["involved_in"]["assessment.assessor_id"]
    assert [(row["person_id"], row["level"]) for row in given] == [(5, 3)]
    assert "evidence" not in given[0]
    french, _ = export(capsys, url, "3")
    assert french["withheld"] == ["conservé, non exporté\u00a0: empreinte du mot de passe"]


@pytest.mark.parametrize(
    ("user", "person"),
    [
        ("user3", 7),  # site coordinator of NIMES, person 7 at LIEGE
        ("user8", 7),  # region coordinator of Occitanie, LIEGE is in Wallonie
        ("user4", 5),  # a trainer, even at their own site
        ("user9", 7),  # a trainer, even at their own site
        ("user6", 5),  # a staff member, someone else
    ],
)
def test_others_are_refused(
    url: str, capsys: pytest.CaptureFixture[str], user: str, person: int
) -> None:
    """Outside a coordinator's scope, trainers and staff: one clear French line, exit 1."""
    code, out, err = run(capsys, url, str(person), "--as", user)
    assert (code, out) == (1, "")
    assert err == (
        f"certify\u00a0: erreur\u00a0: {user} ne peut pas exporter les données personnelles "
        f"d'une personne (personne {person})\u00a0: hors de votre périmètre\n"
    )
    code, _, err = run(capsys, url, str(person), "--as", user, "--lang", "en")
    assert code == 1
    assert err.endswith(f"(person {person}): outside your scope\n")
    assert "Traceback" not in err


@pytest.mark.parametrize(("user", "person"), [("user1", 7), ("user2", 7), ("user3", 5)])
def test_admins_and_coordinators_export_their_scope(
    url: str, capsys: pytest.CaptureFixture[str], user: str, person: int
) -> None:
    """An admin anyone, a network coordinator anyone, a site coordinator their site."""
    document, _ = export(capsys, url, str(person), "--as", user)
    assert document["person"]["id"] == person


@pytest.mark.parametrize("user", ["user6", "user4", "user3"])
def test_everyone_exports_their_own(
    url: str, capsys: pytest.CaptureFixture[str], user: str
) -> None:
    """Staff, trainers and coordinators export their own data ("my data")."""
    person = int(user.removeprefix("user"))
    document, _ = export(capsys, url, str(person), "--as", user)
    assert document["person"]["id"] == person
    assert [row["username"] for row in document["records"]["user_account"]] == [user]
    assert "password" not in json.dumps(document["records"])


def test_output_writes_the_file(
    url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``--output`` writes UTF-8 JSON (accents kept) and prints nothing."""
    target = tmp_path / "export.json"
    code, out, err = run(capsys, url, "3", "--output", str(target))
    assert (code, out, err) == (0, "", "")
    text = target.read_text(encoding="utf-8")
    assert "Łukasz" in text and "\\u" not in text
    assert json.loads(text)["person"]["id"] == SUBJECT


def test_an_unknown_person_is_one_line(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A person nobody matches: one line, exit 1."""
    code, out, err = run(capsys, url, "nobody@nowhere.example")
    assert (code, out) == (1, "")
    assert err.startswith("certify\u00a0: erreur\u00a0: aucun membre du personnel")
    assert err.count("\n") == 1


def test_every_person_column_is_known() -> None:
    """The metadata's person columns, as this test seeds them (a new one must be seeded)."""
    assert sorted(f"{c.table.name}.{c.name}" for c in person_columns()) == [
        "assessment.assessor_id",
        "assessment.person_id",
        "attendance.person_id",
        "audit_event.actor_id",
        "audit_personal.person_id",
        "certificate.issued_by_id",
        "certificate.person_id",
        "coordinator_scope.person_id",
        "expiry_reminder.recipient_id",
        "person_role.person_id",
        "session_trainer.person_id",
        "standing_snapshot.person_id",
        "user_account.person_id",
    ]
    assert Person.__tablename__ == "person"


def test_the_same_data_reads_as_a_pdf(
    url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``certify report personal-data``: every kind of record under its heading, dates
    written out, decimal commas in French, the same refusal as the JSON's for others."""
    document, _ = export(capsys, url, str(SUBJECT))
    target = tmp_path / "donnees.pdf"
    assert main(["--db", url, "report", "personal-data", str(SUBJECT), "--out", str(target)]) == 0
    capsys.readouterr()
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(target).pages)
    assert "Vos données dans certify Łukasz Wróbel, n° 3 — extrait le " in text
    for heading in (
        "Évaluations",
        "Présences",
        "Certificats",
        "PDF des certificats",
        "Rappels d'échéance",
        "Compte",
        "Ce que vous avez fait pour d'autres",
        "Piste d'audit vous concernant",
        "Conservé, jamais exporté",
    ):
        assert heading in text, heading
    assert set(document["records"]) <= set(TABLES)
    assert "3 mai 2026" in text and "7,5" in text and "accueil soigné" in text
    assert "password" not in text and "$argon2" not in text
    code = main(
        ["--db", url, "report", "personal-data", "5", "--out", str(target), "--as", "user4"]
    )
    assert code == 1 and "hors de votre périmètre" in capsys.readouterr().err
