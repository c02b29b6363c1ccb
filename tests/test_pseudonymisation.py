"""A leaver pseudonymised: no trace of their name or e-mail, records kept, certificates verify."""

# Łukasz Wróbel holds a signed CERT-ACC certificate, downloaded as a PDF (French and
# English), an account with failed sign-ins, an assessment whose evidence names him, and
# audit events keeping his names; then he leaves and an administrator pseudonymises him.

from __future__ import annotations

import base64
import io
import json
import multiprocessing
import traceback
from datetime import date, timedelta
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select, update

from certificates.checks import IssuerKeys, certificate_pdf, verify_certificates
from certificates.publication.urls import code_file_name
from certificates.snapshot import HolderPseudonymised
from certificates.token import verification_code
from certificates.verification import Verdict
from certify.access.permissions import Actor, PermissionDenied, Reason
from certify.cli import main
from certify.errors import CertifyError
from certify.model import (
    Assessment,
    AuditEvent,
    AuditPersonal,
    Base,
    Certificate,
    CertificateDocument,
    CertificateSignature,
    Person,
    Role,
    SignInThrottle,
    UserAccount,
)
from certify.services.issuance import issue_certificate, reissue_certificate
from certify.services.pseudonymisation import (
    AlreadyPseudonymised,
    NotALeaver,
    pseudonymisation,
    pseudonymise,
)
from certify.store.audit import Change, record
from certify.store.db import Database
from certify.views.certificate_records import find_certificate
from tests.pdf_helpers import issue_hard_names, make_ring

#: The day of issue, of leaving (the day before) and of the pseudonymisation.
TODAY = date.today()
#: An administrator who is nobody's colleague.
ADMIN = Actor("admin", None, frozenset({Role.ADMIN}))
#: The leaver's e-mail and user name.
EMAIL = "lukasz.wrobel@nimes.example.org"
USERNAME = "lwrobel"
#: What must be found nowhere after: his names and his e-mail, as people write them.
TRACES = ("Wróbel", "Wrobel", "Łukasz", EMAIL, USERNAME)


def run(capsys: pytest.CaptureFixture[str], database: Database, *argv: str) -> tuple[int, str]:
    """Run ``certify --db <database> argv…``: its exit status and what it printed."""
    status = main(["--db", database.url, *argv])
    captured = capsys.readouterr()
    return status, captured.out + captured.err


class Leaver:
    """The leaver's ids and the PDFs he was given."""

    def __init__(self, person_id: int, serial: str, pdfs: dict[str, bytes]) -> None:
        """Remember them."""
        self.person_id, self.serial, self.pdfs = person_id, serial, pdfs


@pytest.fixture
def ring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> IssuerKeys:
    """The test issuer's key ring."""
    return IssuerKeys(make_ring(tmp_path / "keys", monkeypatch))


@pytest.fixture
def leaver(database: Database, ring: IssuerKeys) -> Leaver:
    """Łukasz Wróbel, certified and downloaded, with traces everywhere, left yesterday."""
    issued = issue_hard_names(database, TODAY)
    person_id, serial = issued.person_ids[1], issued.serials[1]
    with database.transaction() as session:
        certificate_id = find_certificate(session, serial).id
        pdfs = {
            lang: certificate_pdf(session, ADMIN, certificate_id, ring, lang)
            for lang in ["fr", "en"]
        }
        person = session.get(Person, person_id)
        assert person is not None and person.full_name == "Łukasz Wróbel"
        person.email = EMAIL
        person.active_until = TODAY - timedelta(days=1)
        session.add(UserAccount(username=USERNAME, person_id=person_id, password_hash="x"))
        session.add(SignInThrottle(kind="account", key=USERNAME, failures=2))
        session.execute(
            update(Assessment)
            .where(Assessment.person_id == person_id)
            .values(evidence="Entretien mené par ŁUKASZ WRÓBEL (lukasz.wrobel@nimes.example.org).")
        )
        record(
            session,
            None,
            Change(
                "person.import_updated",
                "person",
                person_id,
                before={"given_name": "Lukasz", "family_name": "Wrobel", "email": EMAIL},
                after={"given_name": "Łukasz", "family_name": "Wróbel"},
            ),
        )
    return Leaver(person_id, serial, pdfs)


def traces(database: Database) -> list[str]:
    """Where the leaver's names or e-mail still are: ``table.column`` (tokens left out, on
    purpose: the README says why)."""
    found = []
    with database.reading() as session:
        for table in Base.metadata.sorted_tables:
            for row in session.execute(select(table)).mappings():
                for column, value in row.items():
                    if (table.name, column) == ("certificate_signature", "token"):
                        continue
                    if any(trace.casefold() in _text(value).casefold() for trace in TRACES):
                        found.append(f"{table.name}.{column}")
    return sorted(set(found))


def _text(value: Any) -> str:
    """A stored value as text a search would read (JSON both ways, a PDF's text)."""
    if isinstance(value, bytes | memoryview):
        reader = PdfReader(io.BytesIO(bytes(value)))
        return "".join(page.extract_text() for page in reader.pages)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False) + json.dumps(value)
    return str(value)


def test_no_trace_of_the_name_or_email_is_left_and_records_stay(
    database: Database, leaver: Leaver, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before: traces in the person, account, throttle, evidence, snapshot, credential,
    PDFs and audit values. After: none; every assessment and certificate still counted."""
    assert traces(database) == [
        "assessment.evidence",
        "audit_personal.values",
        "certificate.snapshot",
        "certificate_document.pdf",
        "certificate_signature.credential",
        "person.email",
        "person.family_name",
        "person.given_name",
        "sign_in_throttle.key",
        "user_account.username",
    ]
    with database.reading() as session:
        kept = _counts(session, leaver.person_id)
    status, output = run(capsys, database, "privacy", "pseudonymise", EMAIL)
    assert status == 0, output
    assert output.startswith("Łukasz Wróbel (n° ")
    assert (
        "lignes supprimées\u00a0: audit_personal 1, certificate_document 2, sign_in_throttle 1"
        in output
    )
    assert traces(database) == []
    with database.reading() as session:
        assert _counts(session, leaver.person_id) == kept
        person = session.get(Person, leaver.person_id)
        assert person is not None and person.pseudonymised_on == TODAY
        assert person.full_name.startswith("Pseudonyme ") and person.email.endswith(".invalid")
        assert person.site_id is not None and person.active_until == TODAY - timedelta(days=1)
        account = session.scalars(
            select(UserAccount).where(UserAccount.person_id == person.id)
        ).one()
        assert not account.is_active
        evidence = session.scalars(
            select(Assessment.evidence).where(Assessment.person_id == person.id)
        ).all()
        assert evidence and all(person.full_name in text for text in evidence)


def _counts(session: Any, person_id: int) -> tuple[int, int]:
    """The person's assessments and certificates."""
    return (
        session.scalar(select(func.count()).where(Assessment.person_id == person_id)),
        session.scalar(select(func.count()).where(Certificate.person_id == person_id)),
    )


def test_the_certificates_still_verify_and_the_chain_too(
    database: Database,
    leaver: Leaver,
    ring: IssuerKeys,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The PDF he holds verifies offline, the site finds his token by serial and code, the
    person page judges it from the token, and the audit chain still verifies."""
    with database.transaction() as session:
        pseudonymise(session, ADMIN, pseudonymisation(session, ADMIN, leaver.person_id, TODAY))
    assert run(capsys, database, "status-list", "export")[0] == 0
    for lang, pdf in leaver.pdfs.items():
        (tmp_path / f"{lang}.pdf").write_bytes(pdf)
        status, output = run(capsys, database, "verify", str(tmp_path / f"{lang}.pdf"))
        assert status == 0 and output.startswith("VALIDE"), output
    with database.reading() as session:
        [check] = verify_certificates(
            session, ADMIN, leaver.person_id, lambda: ring, TODAY
        ).checks.values()
        token = session.scalars(select(CertificateSignature.token)).all()
        credentials = session.scalars(select(CertificateSignature.credential)).all()
    assert (check.result.verdict, check.from_pdf) == (Verdict.VALID, False)
    assert sorted(credentials, key=str)[0] is None  # his erased, the other holder's kept
    status, output = run(capsys, database, "publish", "--out", str(tmp_path / "site"))
    assert status == 0, output
    found = tmp_path / "site" / "verifier" / "c" / code_file_name(leaver.serial, check.code)
    assert found.read_text(encoding="ascii").strip() in token
    claims = json.loads(base64.urlsafe_b64decode(found.read_text().split(".")[1] + "=="))
    assert claims["hn"] == "Łukasz Wróbel"  # kept on purpose: what his QR code carries
    assert verification_code(found.read_text().strip()) == check.code
    status, output = run(capsys, database, "audit", "verify")
    assert status == 0 and "intacte" in output, output
    with database.reading() as session:
        assert (
            session.scalar(
                select(func.count())
                .select_from(AuditPersonal)
                .where(AuditPersonal.person_id == leaver.person_id)
            )
            == 0
        )
        last = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert last is not None and last.action == "person.pseudonymised"
        assert "Wr" not in json.dumps(last.details, ensure_ascii=False)


def test_a_pseudonymised_person_is_never_printed_nor_certified_again(
    database: Database, leaver: Leaver, ring: IssuerKeys
) -> None:
    """No PDF rendered again (the stored ones went), no reissue, no new certificate."""
    with database.transaction() as session:
        pseudonymise(session, ADMIN, pseudonymisation(session, ADMIN, leaver.person_id, TODAY))
    with database.transaction() as session:
        certificate = find_certificate(session, leaver.serial)
        assert (
            session.scalar(
                select(func.count())
                .select_from(CertificateDocument)
                .where(CertificateDocument.certificate_id == certificate.id)
            )
            == 0
        )
        with pytest.raises(HolderPseudonymised, match="still verifies by its serial"):
            certificate_pdf(session, ADMIN, certificate.id, ring, "fr")
        with pytest.raises(CertifyError, match="no certificate is issued to them any more"):
            reissue_certificate(session, ADMIN, leaver.serial, "nom corrigé", TODAY)
        with pytest.raises(CertifyError, match="no certificate is issued to them any more"):
            issue_certificate(session, ADMIN, leaver.person_id, certificate.programme_id, TODAY)


def test_only_an_administrator_pseudonymises_only_a_leaver_once_never_themselves(
    database: Database, leaver: Leaver, capsys: pytest.CaptureFixture[str]
) -> None:
    """A coordinator is refused; so is the leaver as an administrator; someone still active
    is refused with their last day; a dry run writes nothing; a second time is refused."""
    coordinator = Actor("coord", None, frozenset({Role.COORDINATOR}))
    himself = Actor(USERNAME, leaver.person_id, frozenset({Role.ADMIN}))
    with database.reading() as session:
        with pytest.raises(PermissionDenied) as refused:
            pseudonymisation(session, coordinator, leaver.person_id, TODAY)
        assert refused.value.why is Reason.ADMINS_ONLY
        with pytest.raises(PermissionDenied) as refused:
            pseudonymisation(session, himself, leaver.person_id, TODAY)
        assert refused.value.why is Reason.NOT_FOR_ONESELF
        with pytest.raises(NotALeaver, match="only a person who left"):
            pseudonymisation(session, ADMIN, leaver.person_id, TODAY - timedelta(days=2))
        colleague = session.scalars(select(Person.id).where(Person.id != leaver.person_id)).first()
        assert colleague is not None
        with pytest.raises(NotALeaver, match="has no leaving date"):
            pseudonymisation(session, ADMIN, colleague, TODAY)
    before = traces(database)
    status, output = run(
        capsys, database, "--lang", "en", "privacy", "pseudonymise", EMAIL, "--dry-run"
    )
    assert status == 0 and output.endswith("Dry run (--dry-run): nothing was written.\n"), output
    assert "becomes “Pseudonyme " in output and traces(database) == before
    assert run(capsys, database, "privacy", "pseudonymise", EMAIL)[0] == 0
    with (
        database.reading() as session,
        pytest.raises(AlreadyPseudonymised, match="was already pseudonymised on"),
    ):
        pseudonymisation(session, ADMIN, leaver.person_id, TODAY)


def _pseudonymise_at_once(
    barrier: Barrier, results: multiprocessing.Queue, url: str, person_id: int
) -> None:
    """Wait for the others, then pseudonymise ``person_id`` in a transaction of its own."""
    database = Database(url)
    barrier.wait()
    try:
        with database.transaction() as session:
            pseudonymise(session, ADMIN, pseudonymisation(session, ADMIN, person_id, TODAY))
        results.put("won")
    except CertifyError as error:
        results.put(f"refused: {error}")
    except BaseException:  # any other failure is what the test looks for
        results.put("raw " + traceback.format_exc())
    finally:
        database.dispose()


@pytest.mark.postgres
def test_two_administrators_at_once_pseudonymise_once(database: Database, leaver: Leaver) -> None:
    """Four processes pseudonymise the same leaver at once: one does it, the others are told
    he already is; one pseudonym, one audited event."""
    if database.is_sqlite:
        pytest.skip("a PostgreSQL race: SQLite writers queue whole transactions")
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(4), context.Queue()
    processes = [
        context.Process(
            target=_pseudonymise_at_once,
            args=(barrier, results, database.url, leaver.person_id),
        )
        for _ in range(4)
    ]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    won = [outcome for outcome in outcomes if outcome == "won"]
    refused = [outcome for outcome in outcomes if "was already pseudonymised on" in outcome]
    assert (len(won), len(refused)) == (1, 3), outcomes
    with database.reading() as session:
        events = session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "person.pseudonymised")
        )
    assert events == 1
