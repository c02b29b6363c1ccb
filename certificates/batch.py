"""Many certificates' PDFs written into a folder, on several cores, resumable after an interruption.

A certificate whose PDF is stored (:mod:`certify.services.documents`) gets that PDF, written
from the database, never rendered again. For the others, the main process reads what was
signed at issue (signing now, in one transaction, those still unsigned: the private key
never leaves it) and hands plain :class:`RenderJob` values to a pool of worker processes,
which render and write each PDF atomically and hand it back; the main process
stores those PDFs as the documents of record, a chunk per transaction and once more when
the batch stops, even interrupted: a re-run writes the stored PDFs again and renders only
the rest.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfWriter

from certificates.files import write_atomically
from certificates.pool import worker_pool
from certificates.render_worker import RenderJob, RenderOutcome, render_job
from certificates.sealing import signed_document
from certificates.signing import Signer, signatures_of
from certify.model import Certificate
from certify.rules.wording import Lang
from certify.services.documents import store_pdfs, stored_pdfs
from certify.store.db import Database

#: PDFs stored, or read from the database, per transaction.
STORE_CHUNK = 100
#: Jobs sent to a worker at a time.
WORKER_CHUNK = 8
#: Up to this many certificates, rendering here beats starting worker processes.
POOL_THRESHOLD = 64

#: Called with the number of certificates done and the total.
Progress = Callable[[int, int], None]


@dataclass
class BatchResult:
    """What a batch rendering did."""

    #: PDFs rendered for the first time, stored and written, by path.
    rendered: list[Path] = field(default_factory=list)
    #: PDFs already stored, written from the database, by path.
    copied: list[Path] = field(default_factory=list)

    @property
    def done(self) -> int:
        """How many certificates are dealt with."""
        return len(self.rendered) + len(self.copied)

    @property
    def paths(self) -> list[Path]:
        """Every PDF of the batch, by file name."""
        return sorted([*self.rendered, *self.copied])


def render_batch(
    database: Database,
    certificates: list[Certificate],
    signer: Callable[[], Signer],
    folder: Path,
    lang: Lang,
    workers: int = 2,
    on_progress: Progress | None = None,
) -> BatchResult:
    """Write ``folder/<serial>.pdf`` for each certificate: the stored PDF, else a new one.

    ``signer()`` is called only if a certificate is still unsigned.
    """
    folder.mkdir(parents=True, exist_ok=True)
    result = BatchResult()

    def progress() -> None:
        """Tell ``on_progress`` how many certificates are done."""
        if on_progress is not None:
            on_progress(result.done, len(certificates))

    unstored: list[Certificate] = []
    for certificate, stored in _with_stored_pdfs(database, certificates, lang):
        if stored is None:
            unstored.append(certificate)
            continue
        path = _pdf_path(folder, certificate)
        write_atomically(path, stored)
        result.copied.append(path)
        progress()
    with database.transaction() as session:
        signatures = signatures_of(session, unstored, signer)
    jobs = (
        RenderJob(
            certificate.id,
            _pdf_path(folder, certificate),
            signed_document(certificate, signatures[certificate.id], lang),
        )
        for certificate in unstored
    )
    with worker_pool(workers if len(unstored) > POOL_THRESHOLD else 1, WORKER_CHUNK) as render:
        pending: list[RenderOutcome] = []
        try:
            for outcome in render(render_job, jobs):
                result.rendered.append(outcome.path)
                pending.append(outcome)
                if len(pending) >= STORE_CHUNK:
                    _store(database, pending, lang)
                    pending.clear()
                progress()
        finally:
            _store(database, pending, lang)
    return result


def _with_stored_pdfs(
    database: Database, certificates: list[Certificate], lang: Lang
) -> Iterator[tuple[Certificate, bytes | None]]:
    """Each certificate with its stored PDF in ``lang`` (``None``: none yet), read by chunks."""
    for start in range(0, len(certificates), STORE_CHUNK):
        chunk = certificates[start : start + STORE_CHUNK]
        with database.reading() as session:
            stored = stored_pdfs(session, [certificate.id for certificate in chunk], lang)
        for certificate in chunk:
            yield certificate, stored.get(certificate.id)


def _pdf_path(folder: Path, certificate: Certificate) -> Path:
    """Where a batch writes the PDF of ``certificate``."""
    return folder / f"{certificate.serial}.pdf"


def merge_pdfs(paths: Iterable[Path], target: Path) -> None:
    """One PDF of every page of ``paths``, in order, for printing."""
    writer = PdfWriter()
    for path in paths:
        writer.append(path)
    buffer = io.BytesIO()
    writer.write(buffer)
    write_atomically(target, buffer.getvalue())


def _store(database: Database, outcomes: list[RenderOutcome], lang: Lang) -> None:
    """Store the workers' PDFs in one transaction; rewrite any file unlike the PDF stored first.

    A file differs only if another process stored that certificate's PDF meanwhile.
    """
    if not outcomes:
        return
    with database.transaction() as session:
        stored = store_pdfs(session, {item.certificate_id: item.pdf for item in outcomes}, lang)
    for outcome in outcomes:
        if stored[outcome.certificate_id] != outcome.pdf:
            write_atomically(outcome.path, stored[outcome.certificate_id])
