"""The certificate commands end to end: keys, export, status list, every verdict, batches."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from certificates import batch, render_worker
from certificates.batch import render_batch
from certificates.commands.verify import in_language
from certificates.issuer import load_issuer
from certificates.pdf import render_pdf
from certificates.publication.urls import token_from_scan
from certificates.seal_check import UNSEALED
from certificates.sealing import signed_document
from certificates.signing import Signer
from certify.cli import main
from certify.model import Certificate, CertificateDocument
from certify.parsing import find_programme
from certify.rules.scope import Scope
from certify.rules.wording import Lang
from certify.services.documents import pdf_sha256, store_pdfs, stored_signatures
from certify.store.db import Database
from certify.views.certificate_records import find_certificate
from certify.views.standing_certificates import standing_certificates
from tests.pdf_helpers import HARD_NAMES, cheap_keys, issue_hard_names, make_ring, qr_codes

#: The day the commands run (status lists are signed at the real time).
TODAY = date.today()
#: More holders, for batches.
MORE_NAMES = (("Ayşe", "Demir"), ("Zoë", "Lefèvre"), ("Kofi", "Mensah"), ("Inès", "Carvalho"))


def run(capsys: pytest.CaptureFixture[str], database: Database, *argv: str) -> tuple[int, str]:
    """Run ``certify --db <database> argv…``; the exit status and standard output."""
    status = main(["--db", database.url, *argv])
    return status, capsys.readouterr().out


@pytest.fixture
def ring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A key ring for the test issuer, chosen through the environment."""
    return make_ring(tmp_path / "keys", monkeypatch)


def signer(ring: Path) -> Callable[[], Signer]:
    """What signs with the ring's active key, loaded when asked for."""
    return lambda: Signer.load(ring)


def test_keys_init_rotate_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``keys init`` saves the issuer; ``rotate`` adds a key; ``export`` lists both."""
    cheap_keys(monkeypatch)
    folder = tmp_path / "keys"
    argv = ["--keys-dir", str(folder)]
    assert main(["keys", "init", "--issuer-url", "https://cdm.example/", *argv]) == 0
    settings = load_issuer(folder)
    assert settings.profile.id == settings.profile.url == "https://cdm.example"
    assert settings.profile.name == "Réseau des Cités des métiers"
    assert settings.status_list_url == "https://cdm.example/certify/status-list.json"
    assert main(["keys", "rotate", *argv]) == 0
    capsys.readouterr()
    assert main(["keys", "export", *argv]) == 0
    exported = json.loads(capsys.readouterr().out)
    assert [entry["retired"] is None for entry in exported] == [False, True]
    assert main(["keys", "export", "--out", str(tmp_path / "pins.json"), *argv]) == 0
    assert json.loads((tmp_path / "pins.json").read_text()) == exported


def test_export_is_deterministic_and_stores_its_hash(
    database: Database, ring: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two exports give the same bytes, whose hash is printed and stored; English on request."""
    serial = issue_hard_names(database, TODAY).serials[0]
    first, second, english = (tmp_path / name for name in ("a.pdf", "b.pdf", "en.pdf"))
    status, out = run(capsys, database, "certificate", "export", serial, "--out", str(first))
    assert status == 0
    digest = pdf_sha256(first.read_bytes())
    assert out == f"{serial} → {first} (SHA-256 {digest})\n"
    assert run(capsys, database, "certificate", "export", serial, "--out", str(second))[0] == 0
    assert first.read_bytes() == second.read_bytes()
    with database.reading() as session:
        assert find_certificate(session, serial).pdf_sha256 == digest
    argv = ["certificate", "export", serial, "--lang", "en", "--out", str(english)]
    out = run(capsys, database, *argv)[1]
    assert PdfReader(english).trailer["/Root"]["/Lang"] == "en"
    assert out == f"{serial} → {english} (SHA-256 {pdf_sha256(english.read_bytes())})\n"


@pytest.mark.parametrize("how", ["global option", "environment"])
def test_the_interface_language_reaches_the_document(
    database: Database,
    ring: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    how: str,
) -> None:
    """``certify --lang en`` or ``CERTIFY_LANG=en`` exports the English certificate."""
    serial = issue_hard_names(database, TODAY).serials[0]
    out = tmp_path / "c.pdf"
    if how == "environment":
        monkeypatch.setenv("CERTIFY_LANG", "en")
        argv = ["certificate", "export", serial, "--out", str(out)]
    else:
        argv = ["--lang", "en", "certificate", "export", serial, "--out", str(out)]
    assert run(capsys, database, *argv)[0] == 0
    assert PdfReader(out).trailer["/Root"]["/Lang"] == "en"


def test_verdicts_through_the_command_line(
    database: Database, ring: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """VALID only with a fresh list; REVOKED once revoked and republished; dates; exit codes."""
    serial, other = issue_hard_names(database, TODAY).serials
    pdf = tmp_path / "certificate.pdf"
    run(capsys, database, "certificate", "export", serial, "--out", str(pdf))

    status, out = run(capsys, database, "verify", str(pdf))
    assert (status, out.splitlines()[0]) == (3, "STATUT INCONNU")
    assert "Nguyễn Thị Hương" in out

    run(capsys, database, "status-list", "export")
    status, out = run(capsys, database, "verify", str(pdf))
    assert (status, out.splitlines()[0]) == (0, "VALIDE")
    assert serial in out
    status, out = run(capsys, database, "--lang", "en", "verify", str(pdf))
    assert (status, out.splitlines()[0]) == (0, "VALID")
    assert "Signed fields:" in out and "Champs" not in out

    later = (TODAY + timedelta(days=365 * 4)).isoformat()
    earlier = (TODAY - timedelta(days=60)).isoformat()
    stale = (TODAY + timedelta(days=40)).isoformat()
    for day, verdict in ((later, "EXPIRÉ"), (earlier, "PAS ENCORE"), (stale, "STATUT INCONNU")):
        assert run(capsys, database, "verify", str(pdf), "--date", day)[1].startswith(verdict)

    assert run(capsys, database, "revoke", serial, "--reason", "erreur de saisie")[0] == 0
    assert run(capsys, database, "verify", str(pdf))[1].startswith("VALIDE")
    run(capsys, database, "status-list", "export")
    status, out = run(capsys, database, "verify", str(pdf))
    assert (status, out.splitlines()[0]) == (3, "RÉVOQUÉ")

    other_pdf = tmp_path / "other.pdf"
    run(capsys, database, "certificate", "export", other, "--out", str(other_pdf))
    assert run(capsys, database, "verify", str(other_pdf))[1].startswith("VALIDE")


def test_reissued_certificate_is_withdrawn(
    database: Database, ring: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """After a reissue the old PDF reads REVOKED in the next list; the new one is VALID."""
    serial = issue_hard_names(database, TODAY).serials[1]
    old, new = tmp_path / "old.pdf", tmp_path / "new.pdf"
    run(capsys, database, "certificate", "export", serial, "--out", str(old))
    status, out = run(capsys, database, "reissue", serial, "--reason", "nom corrigé")
    assert status == 0
    new_serial = out.split()[-1]
    run(capsys, database, "certificate", "export", new_serial, "--out", str(new))
    run(capsys, database, "status-list", "export")
    assert run(capsys, database, "verify", str(old))[1].startswith("RÉVOQUÉ")
    assert run(capsys, database, "verify", str(new))[1].startswith("VALIDE")


def test_status_list_file_option(
    database: Database, ring: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--out`` and ``--status-list`` carry the list elsewhere; a missing file is an error."""
    serial = issue_hard_names(database, TODAY).serials[1]
    pdf, listing = tmp_path / "c.pdf", tmp_path / "list.json"
    run(capsys, database, "certificate", "export", serial, "--out", str(pdf))
    run(capsys, database, "status-list", "export", "--out", str(listing))
    assert not (ring / "status-list.json").exists()
    assert run(capsys, database, "verify", str(pdf), "--status-list", str(listing))[0] == 0
    assert main(["verify", str(pdf), "--status-list", str(tmp_path / "none.json")]) == 1


def test_unknown_key_and_edited_page(
    database: Database,
    ring: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Pins of another ring: UNKNOWN KEY. The page re-rendered with another name: BAD SIGNATURE."""
    serial = issue_hard_names(database, TODAY).serials[1]
    pdf = tmp_path / "certificate.pdf"
    run(capsys, database, "certificate", "export", serial, "--out", str(pdf))
    run(capsys, database, "status-list", "export")

    other = make_ring(tmp_path / "other", monkeypatch)
    pins = tmp_path / "other-pins.json"
    main(["keys", "export", "--keys-dir", str(other), "--out", str(pins)])
    status, out = run(capsys, database, "verify", str(pdf), "--keys", str(pins))
    assert (status, out.splitlines()[0]) == (3, "CLÉ INCONNUE")
    monkeypatch.setenv("CERTIFY_KEYS_DIR", str(ring))

    with database.reading() as session:
        certificate = find_certificate(session, serial)
        signature = stored_signatures(session, [certificate.id])[certificate.id]
        document = signed_document(certificate, signature, "fr")
    forged_facts = dataclasses.replace(document.facts, holder_name="Lukasz Wrobel")
    forged = tmp_path / "forged.pdf"
    forged.write_bytes(render_pdf(dataclasses.replace(document, facts=forged_facts)))
    status, out = run(capsys, database, "verify", str(forged))
    assert (status, out.splitlines()[0]) == (3, "SIGNATURE INVALIDE")
    assert "texte imprimé diffère" in out
    assert "Łukasz Wróbel" in out


def test_verify_a_scanned_token(
    database: Database, ring: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The QR code read by zbarimg verifies with ``--token``; an edited token does not."""
    serial = issue_hard_names(database, TODAY).serials[0]
    pdf = tmp_path / "certificate.pdf"
    run(capsys, database, "certificate", "export", serial, "--out", str(pdf))
    run(capsys, database, "status-list", "export")
    (token,) = map(token_from_scan, qr_codes(pdf))
    status, out = run(capsys, database, "verify", "--token", token)
    assert (status, out.splitlines()[0]) == (0, "VALIDE")
    code = next(line for line in out.splitlines() if "Code de vérification" in line).split()[-1]
    assert code in PdfReader(pdf).pages[0].extract_text()
    header, payload, signature = token.split(".")
    edited = payload[:-2] + ("A" if payload[-2] != "A" else "B") + payload[-1]
    tampered = f"{header}.{edited}.{signature}"
    status, out = run(capsys, database, "verify", "--token", tampered)
    assert (status, out.splitlines()[0]) == (3, "SIGNATURE INVALIDE")


def test_batch_issues_writes_and_merges(
    database: Database,
    ring: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Issued and already held certificates all get a PDF, stored; a re-run rewrites them as is."""
    issue_hard_names(database, TODAY)
    folder, merged = tmp_path / "pdf", tmp_path / "all.pdf"
    argv = ["certificate", "batch", "--programme", "CERT-ACC", "--out", str(folder)]
    status, out = run(capsys, database, *argv, "--merged", str(merged))
    assert status == 0
    assert f"{len(HARD_NAMES)} PDF rendus, 0 repris de la base" in out
    first = {path.name: path.read_bytes() for path in folder.glob("*.pdf")}
    assert len(first) == len(HARD_NAMES)
    assert len(PdfReader(merged).pages) == len(HARD_NAMES)
    with database.reading() as session:
        stored = session.execute(
            select(Certificate.serial, CertificateDocument.pdf)
            .join(CertificateDocument, CertificateDocument.certificate_id == Certificate.id)
            .where(CertificateDocument.lang == "fr")  # signing seals both languages
        )
        assert {f"{serial}.pdf": pdf for serial, pdf in stored} == first

    def refuse(document: object) -> bytes:
        """Stand in for the renderer, which must not run."""
        raise AssertionError("a stored PDF was rendered again")

    monkeypatch.setattr(render_worker, "render_pdf", refuse)
    edited, removed = sorted(folder.glob("*.pdf"))
    edited.write_bytes(b"edited")
    removed.unlink()
    status, out = run(capsys, database, *argv)
    assert "0 certificat délivré\u00a0;" in out
    assert f"0 PDF rendu, {len(HARD_NAMES)} repris de la base" in out
    assert {path.name: path.read_bytes() for path in folder.glob("*.pdf")} == first


def test_interrupted_batch_resumes_without_duplicates(
    database: Database, ring: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Interrupted after a few PDFs (two worker processes), re-run: every PDF, once, whole."""
    issue_hard_names(database, TODAY, HARD_NAMES + MORE_NAMES)
    monkeypatch.setattr(batch, "POOL_THRESHOLD", 0)
    monkeypatch.setattr(batch, "STORE_CHUNK", 1)
    monkeypatch.setattr(batch, "WORKER_CHUNK", 1)
    folder = tmp_path / "pdf"

    def certificates() -> list[Certificate]:
        """The certificates of the batch, read afresh."""
        with database.reading() as session:
            programme = find_programme(session, "CERT-ACC")
            return standing_certificates(session, programme.id, Scope.network(), TODAY)

    def interrupt(done: int, total: int) -> None:
        """Stop the batch once three PDFs are written."""
        if done >= 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        render_batch(database, certificates(), signer(ring), folder, "fr", 2, interrupt)
    result = render_batch(database, certificates(), signer(ring), folder, "fr", 2)
    assert len(result.copied) >= 3
    assert result.done == 6
    with database.reading() as session:
        hashes = dict(session.execute(select(Certificate.serial, Certificate.pdf_sha256)).all())
        documents = session.execute(
            select(Certificate.serial, CertificateDocument.sha256)
            .join(CertificateDocument, CertificateDocument.certificate_id == Certificate.id)
            .where(CertificateDocument.lang == "fr")  # signing seals both languages
        )
        assert dict(documents.all()) == hashes
        assert session.scalar(select(func.count()).select_from(Certificate)) == 6
    written = {path.stem: pdf_sha256(path.read_bytes()) for path in folder.glob("*.pdf")}
    assert written == hashes
    assert not list(folder.glob(".*"))


def test_batch_writes_the_pdf_stored_first(
    database: Database, ring: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A PDF another process stored while the batch rendered is the one written."""
    serial = issue_hard_names(database, TODAY).serials[0]
    with database.transaction() as session:
        certificate = find_certificate(session, serial)
        store_pdfs(session, {certificate.id: b"%PDF-stored elsewhere"}, "fr")

    def none_yet(session: Session, certificate_ids: Sequence[int], lang: Lang) -> dict[int, bytes]:
        """The batch's look-up, made before the other process stored its PDF."""
        return {}

    monkeypatch.setattr(batch, "stored_pdfs", none_yet)
    folder = tmp_path / "pdf"
    result = render_batch(database, [certificate], signer(ring), folder, "fr")
    assert result.rendered == [folder / f"{serial}.pdf"]
    assert result.rendered[0].read_bytes() == b"%PDF-stored elsewhere"


def test_a_verdicts_detail_and_its_note_are_printed_in_one_language() -> None:
    """« français / English », with the note of an unsealed PDF after it: one language each."""
    french, english = UNSEALED.split(" / ")
    detail = f"Non révoqué. / Not revoked. {UNSEALED}"
    assert in_language(detail, "fr") == f"Non révoqué. {french}"
    assert in_language(detail, "en") == f"Not revoked. {english}"
    assert in_language("Not bilingual", "en") == "Not bilingual"
