"""Delivered certificate PDFs are stored once, per language, and returned as stored ever after."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import UTC, date
from pathlib import Path
from typing import Any, cast

import pytest
from sqlalchemy import delete, func, select

from certificates import layout, sealing, service
from certificates.pdf_verify import read_pdf
from certificates.service import deliver_certificate
from certificates.signing import Signer, sign_certificates, signing_now
from certify.errors import DatabaseRefused
from certify.model import Certificate, CertificateDocument
from certify.rules.wording import Lang
from certify.services.documents import store_pdfs, stored_signatures, unsigned_certificates
from certify.store.db import Database
from certify.views.certificate_records import find_certificate
from tests.certificate_factory import CREATED
from tests.pdf_helpers import issue_hard_names, make_ring
from tests.seal_helpers import sealed_pdf

#: The day the certificates are issued (the test ring's key is made today).
TODAY = date.today()
#: The languages a certificate is delivered in.
LANGS: tuple[Lang, ...] = ("fr", "en")


@pytest.fixture
def signer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[], Signer]:
    """What signs with a test ring's active key."""
    folder = make_ring(tmp_path / "keys", monkeypatch)
    return lambda: Signer.load(folder)


def refuse_signing() -> Signer:
    """Stand in for the ring, which must not be needed."""
    raise AssertionError("a key was asked for")


def deliver(database: Database, serial: str, signer: Callable[[], Signer], lang: Lang) -> bytes:
    """Download the certificate ``serial`` in ``lang``, in a transaction of its own."""
    with database.transaction() as session:
        certificate = find_certificate(session, serial)
        return deliver_certificate(session, certificate, lang, signer)


def documents(database: Database) -> dict[tuple[str, str], CertificateDocument]:
    """Every stored document, by certificate serial and language."""
    with database.reading() as session:
        rows = session.execute(
            select(Certificate.serial, CertificateDocument).join(
                Certificate, Certificate.id == CertificateDocument.certificate_id
            )
        )
        return {(serial, document.lang): document for serial, document in rows}


def embedded_credential(pdf: bytes) -> dict[str, Any]:
    """The credential a PDF carries."""
    contents = read_pdf(pdf)
    assert contents is not None and contents.credential is not None
    return dict(contents.credential)


def test_first_download_stores_each_language(
    database: Database, signer: Callable[[], Signer]
) -> None:
    """French and English are stored apart, each with its SHA-256, from one signature."""
    serial = issue_hard_names(database, TODAY).serials[0]
    assert documents(database) == {}
    delivered = {lang: deliver(database, serial, signer, lang) for lang in LANGS}
    assert delivered["fr"] != delivered["en"]
    assert embedded_credential(delivered["fr"]) == embedded_credential(delivered["en"])
    stored = documents(database)
    assert sorted(stored) == [(serial, "en"), (serial, "fr")]
    for lang in LANGS:
        document = stored[serial, lang]
        assert document.pdf == delivered[lang]
        assert document.sha256 == hashlib.sha256(delivered[lang]).hexdigest()
        assert document.rendered_at.tzinfo is UTC
    with database.reading() as session:
        assert find_certificate(session, serial).pdf_sha256 == stored[serial, "fr"].sha256


def test_a_signed_certificate_renders_with_no_key(
    database: Database, signer: Callable[[], Signer]
) -> None:
    """Signed when issued, a certificate's PDFs need no private key, and carry that signature."""
    serial, other = issue_hard_names(database, TODAY).serials
    with database.transaction() as session:
        certificate = find_certificate(session, serial)
        signature = sign_certificates(session, [certificate], signer(), CREATED)[certificate.id]
    for lang in LANGS:
        pdf = deliver(database, serial, refuse_signing, lang)
        assert embedded_credential(pdf) == json.loads(signature.credential)
    with database.reading() as session:
        assert [item.serial for item in unsigned_certificates(session)] == [other]


def test_a_certificate_is_signed_once(database: Database, signer: Callable[[], Signer]) -> None:
    """Signing a certificate signed meanwhile (found unsigned by another process) keeps what
    was signed and its PDFs, and returns them; the others are signed and sealed."""
    signed_serial, other_serial = issue_hard_names(database, TODAY).serials
    with database.transaction() as session:
        signed = find_certificate(session, signed_serial)
        first = sign_certificates(session, [signed], signer(), CREATED)[signed.id]
    before = documents(database)
    with database.transaction() as session:
        stale = [find_certificate(session, serial) for serial in (signed_serial, other_serial)]
        returned = sign_certificates(session, stale, signer(), signing_now())
    other = stale[1]
    assert returned[signed.id] == first
    assert returned[other.id].signed_at != CREATED
    after = documents(database)
    assert sorted(after) == sorted([*before, *((other_serial, lang) for lang in LANGS)])
    for lang in LANGS:
        assert after[signed_serial, lang].pdf == before[signed_serial, lang].pdf
        assert embedded_credential(after[other_serial, lang].pdf) == json.loads(
            returned[other.id].credential
        )
    with database.reading() as session:
        assert stored_signatures(session, [signed.id, other.id]) == returned


def test_pdfs_of_a_signature_lost_are_not_stored(
    database: Database, signer: Callable[[], Signer]
) -> None:
    """Between another process storing its signature and its PDFs, a signer that lost the
    race stores none of its own PDFs of that certificate: they carry another credential."""
    serial = issue_hard_names(database, TODAY).serials[0]
    with database.transaction() as session:
        certificate = find_certificate(session, serial)
        first = sign_certificates(session, [certificate], signer(), CREATED)[certificate.id]
        session.execute(
            delete(CertificateDocument).where(CertificateDocument.certificate_id == certificate.id)
        )
    with database.transaction() as session:
        stale = find_certificate(session, serial)
        assert sign_certificates(session, [stale], signer(), signing_now())[stale.id] == first
    assert documents(database) == {}


def test_delivered_pdf_outlives_a_new_renderer(
    database: Database, signer: Callable[[], Signer], monkeypatch: pytest.MonkeyPatch
) -> None:
    """After the layout changed, downloads give the first bytes, rendering nothing, no key used."""
    serial = issue_hard_names(database, TODAY).serials[1]
    first = {lang: deliver(database, serial, signer, lang) for lang in LANGS}
    monkeypatch.setattr(layout, "COMPETENCY_SIZES", (7.0,))

    def refuse(document: object) -> bytes:
        """Stand in for the renderer, which must not run."""
        raise AssertionError("a stored PDF was rendered again")

    monkeypatch.setattr(service, "render_pdf", refuse)
    for lang in LANGS:
        assert deliver(database, serial, refuse_signing, lang) == first[lang]
    assert len(documents(database)) == len(LANGS)


def test_the_first_stored_pdf_stays(database: Database) -> None:
    """A later PDF never replaces a stored one, nor a hash already on the certificate."""
    serials = issue_hard_names(database, TODAY).serials
    with database.transaction() as session:
        stored, legacy = (find_certificate(session, serial) for serial in serials)
        legacy.pdf_sha256 = "0" * 64
        session.flush()
        assert store_pdfs(session, {stored.id: b"%PDF-first"}, "fr") == {stored.id: b"%PDF-first"}
        pdfs = {stored.id: b"%PDF-second", legacy.id: b"%PDF-legacy"}
        assert store_pdfs(session, pdfs, "fr") == {
            stored.id: b"%PDF-first",
            legacy.id: b"%PDF-legacy",
        }
    with database.reading() as session:
        hashes = dict(session.execute(select(Certificate.serial, Certificate.pdf_sha256)).all())
    assert hashes == {serials[0]: hashlib.sha256(b"%PDF-first").hexdigest(), serials[1]: "0" * 64}


def test_documents_go_with_their_certificate(database: Database) -> None:
    """Only French and English documents; deleting a certificate deletes its documents."""
    serial = issue_hard_names(database, TODAY).serials[0]
    with pytest.raises(DatabaseRefused), database.transaction() as session:
        german = cast(Lang, "de")
        store_pdfs(session, {find_certificate(session, serial).id: b"%PDF-de"}, german)
    with database.transaction() as session:
        certificate = find_certificate(session, serial)
        store_pdfs(session, {certificate.id: b"%PDF-fr"}, "fr")
        store_pdfs(session, {certificate.id: b"%PDF-en"}, "en")
    with database.transaction() as session:
        session.execute(delete(Certificate).where(Certificate.serial == serial))
    with database.reading() as session:
        assert session.scalar(select(func.count()).select_from(CertificateDocument)) == 0


def test_pages_rendered_by_worker_processes_are_the_ones_sealed_here(
    database: Database, signer: Callable[[], Signer], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rendered in a pool (as a big batch is), each PDF is its own certificate's, in its
    language, byte for byte what rendering and sealing here gives."""
    monkeypatch.setattr(sealing, "POOL_THRESHOLD", 0)
    serials = issue_hard_names(database, TODAY).serials
    key = signer()
    with database.transaction() as session:
        certificates = [find_certificate(session, serial) for serial in serials]
        signatures = sign_certificates(session, certificates, key, CREATED)
    stored = documents(database)
    with database.reading() as session:
        for serial in serials:
            certificate = find_certificate(session, serial)
            signature = signatures[certificate.id]
            for lang in LANGS:
                document = sealing.signed_document(certificate, signature, lang)
                expected = sealed_pdf(document, key.key, CREATED)
                assert stored[serial, lang].pdf == expected
