"""Races: one unsigned certificate signed by two processes at once keeps one signature.

A coordinator downloading a certificate issued unsigned signs it on the way
(:func:`certificates.signing.signatures_of`) while an admin runs ``certify certificate
sign``. Each has its own connection. On PostgreSQL both can find the certificate
unsigned and sign it; the one that stores second keeps the stored signature and PDFs,
and its user's action goes on with them. On SQLite the second writer waits for the first
(writing transactions begin IMMEDIATE), then finds the certificate signed.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from certificates.pdf_verify import read_pdf
from certificates.service import deliver_certificate
from certificates.signing import Signer, sign_certificates, signing_now
from certify.model import Certificate, CertificateDocument, CertificateSignature
from certify.services.documents import Signature, unsigned_certificates
from certify.store.db import Database
from certify.views.certificate_records import find_certificate
from tests.pdf_helpers import issue_hard_names, make_ring

#: Seconds the first signer holds its transaction open when the other does not come (on
#: SQLite the other waits for the write lock, well within the busy timeout).
HOLD = 1.0


@pytest.fixture
def signer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Signer:
    """A test ring's active key, decrypted."""
    return Signer.load(make_ring(tmp_path / "keys", monkeypatch))


@pytest.fixture
def second(database: Database) -> Iterator[Database]:
    """Another process's connection to the same database."""
    other = Database(database.url)
    yield other
    other.dispose()


class Holder(threading.Thread):
    """A first process: signs in a transaction, then holds it open until told to commit."""

    def __init__(self, database: Database, work: Callable[[Any], object]) -> None:
        """Do ``work(session)`` in a transaction of ``database``, in a thread."""
        super().__init__(daemon=True)
        self.database, self.work = database, work
        self.signed, self.may_commit = threading.Event(), threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        """Work, say so, wait (at most :data:`HOLD` seconds), commit."""
        try:
            with self.database.transaction() as session:
                self.work(session)
                self.signed.set()
                self.may_commit.wait(HOLD)
        except BaseException as error:  # re-raised by the test
            self.error = error
            self.signed.set()

    def commit_now(self) -> None:
        """Let the transaction commit, and wait until it has."""
        self.may_commit.set()
        self.join(timeout=60)
        assert not self.is_alive()
        if self.error is not None:
            raise self.error


def admin_signs(signer: Signer) -> Callable[[Any], dict[int, Signature]]:
    """What ``certify certificate sign`` does in its transaction."""
    return lambda session: sign_certificates(
        session, unsigned_certificates(session), signer, signing_now()
    )


def stored(database: Database) -> tuple[list[CertificateSignature], dict[str, bytes]]:
    """Every stored signature, and the stored PDFs by language."""
    with database.reading() as session:
        signatures = list(session.scalars(select(CertificateSignature)))
        rows = session.execute(select(CertificateDocument.lang, CertificateDocument.pdf))
        pdfs = {lang: pdf for lang, pdf in rows}
    return signatures, pdfs


def embedded_credential(pdf: bytes) -> dict[str, Any]:
    """The credential a PDF carries."""
    contents = read_pdf(pdf)
    assert contents is not None and contents.credential is not None
    return dict(contents.credential)


def test_a_download_racing_the_sign_command_delivers_the_stored_signature(
    database: Database, second: Database, signer: Signer
) -> None:
    """The admin signs first and commits while the coordinator's download is signing it too:
    one signature stays, and the coordinator gets the PDF of record, which carries it."""
    serial = issue_hard_names(database, names=(("Nguyễn Thị", "Hương"),)).serials[0]
    admin = Holder(database, admin_signs(signer))
    admin.start()
    assert admin.signed.wait(60)
    found_unsigned: list[bool] = []

    def coordinator_signer() -> Signer:
        """The coordinator found it unsigned: the admin's transaction commits now."""
        found_unsigned.append(True)
        admin.commit_now()
        return signer

    with second.transaction() as session:
        certificate = find_certificate(session, serial)
        pdf = deliver_certificate(session, certificate, "fr", coordinator_signer)
    admin.commit_now()
    # PostgreSQL lets both find it unsigned; SQLite queues the download behind the admin.
    assert found_unsigned == ([] if database.is_sqlite else [True])
    signatures, pdfs = stored(database)
    assert len(signatures) == 1
    credential = json.loads(signatures[0].credential)
    assert sorted(pdfs) == ["en", "fr"]
    assert pdf == pdfs["fr"]
    for document in (pdf, pdfs["en"]):
        assert embedded_credential(document) == credential


def test_the_sign_command_racing_a_download_keeps_the_stored_signature(
    database: Database, second: Database, signer: Signer
) -> None:
    """The coordinator's download signs first and commits while the admin signs it too: the
    admin's command ends well, with the stored signature, and one signature stays."""
    serial = issue_hard_names(database, names=(("Łukasz", "Wróbel"),)).serials[0]

    def coordinator_downloads(session: Any) -> None:
        """The coordinator's download, which signs the certificate on the way."""
        deliver_certificate(session, find_certificate(session, serial), "fr", lambda: signer)

    coordinator = Holder(database, coordinator_downloads)
    coordinator.start()
    assert coordinator.signed.wait(60)
    with second.transaction() as session:
        pending: list[Certificate] = unsigned_certificates(session)
        coordinator.commit_now()
        returned = sign_certificates(session, pending, signer, signing_now())
    signatures, pdfs = stored(database)
    assert len(signatures) == 1
    assert len(pending) == (0 if database.is_sqlite else 1)
    assert all(value.credential == signatures[0].credential for value in returned.values())
    credential = json.loads(signatures[0].credential)
    assert sorted(pdfs) == ["en", "fr"]
    for document in pdfs.values():
        assert embedded_credential(document) == credential
