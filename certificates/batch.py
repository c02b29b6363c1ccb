"""Many certificates rendered into a folder, on several cores, resumable after an interruption.

The main process reads the certificates, signs them (the private key never leaves it) and
hands plain :class:`RenderJob` values to a pool of worker processes, which render and
write each PDF atomically. A PDF already in the folder with the certificate's stored
SHA-256 is skipped; the hashes of first renderings are stored as results come in, a
chunk at a time and once more when the batch stops, even interrupted: a re-run finishes
the job without redoing it.
"""

from __future__ import annotations

import hashlib
import io
import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfWriter
from sqlalchemy import bindparam, update

from certificates.fonts import register_fonts
from certificates.issuer import IssuerSettings
from certificates.keys import SigningKeys
from certificates.render_worker import RenderJob, RenderOutcome, render_job, write_atomically
from certificates.service import REFERENCE_LANG, PdfMismatch, certificate_document, signing_moment
from certify.db import Database
from certify.model import Certificate
from certify.rules.wording import Lang

#: Results stored per transaction.
HASH_CHUNK = 100
#: Jobs sent to a worker at a time.
WORKER_CHUNK = 8
#: Up to this many certificates, rendering here beats starting worker processes.
POOL_THRESHOLD = 64

#: Called with the number of certificates done and the total.
Progress = Callable[[int, int], None]


@dataclass
class BatchResult:
    """What a batch rendering did."""

    #: PDFs written, by path.
    written: list[Path] = field(default_factory=list)
    #: PDFs already in the folder with the right hash.
    kept: list[Path] = field(default_factory=list)
    #: PDFs not written: their rendering no longer matches the stored hash.
    mismatched: list[Path] = field(default_factory=list)

    @property
    def done(self) -> int:
        """How many certificates are dealt with."""
        return len(self.written) + len(self.kept) + len(self.mismatched)

    @property
    def paths(self) -> list[Path]:
        """Every PDF of the batch, written or kept, by file name."""
        return sorted([*self.written, *self.kept])


def render_batch(
    database: Database,
    certificates: list[Certificate],
    keys: SigningKeys,
    issuer: IssuerSettings,
    folder: Path,
    lang: Lang,
    workers: int = 2,
    on_progress: Progress | None = None,
) -> BatchResult:
    """Write ``folder/<serial>.pdf`` for each certificate; ``PdfMismatch`` if any differs."""
    folder.mkdir(parents=True, exist_ok=True)
    result = BatchResult()
    total = len(certificates)
    with _renderer(workers if total > POOL_THRESHOLD else 1) as render:
        first_hashes: dict[int, str] = {}
        try:
            for outcome in render(_jobs(certificates, keys, issuer, folder, lang, result)):
                if outcome.written:
                    result.written.append(outcome.path)
                else:
                    result.mismatched.append(outcome.path)
                if outcome.written and outcome.first and lang == REFERENCE_LANG:
                    first_hashes[outcome.certificate_id] = outcome.sha256
                if len(first_hashes) >= HASH_CHUNK:
                    _store_hashes(database, first_hashes)
                    first_hashes.clear()
                if on_progress is not None:
                    on_progress(result.done, total)
        finally:
            _store_hashes(database, first_hashes)
    if on_progress is not None and result.done == len(result.kept):
        on_progress(result.done, total)
    if result.mismatched:
        serials = ", ".join(path.stem for path in result.mismatched)
        raise PdfMismatch(
            f"{len(result.mismatched)} certificat(s) ne se reproduisent plus à l'identique, "
            f"non écrits : {serials}. / {len(result.mismatched)} certificate(s) no longer "
            "render identically, not written."
        )
    return result


def _jobs(
    certificates: list[Certificate],
    keys: SigningKeys,
    issuer: IssuerSettings,
    folder: Path,
    lang: Lang,
    result: BatchResult,
) -> Iterator[RenderJob]:
    """The signed jobs of the certificates not yet in ``folder`` (those are noted as kept).

    A generator: the workers render the first jobs while the next ones are being signed.
    """
    for certificate in certificates:
        path = folder / f"{certificate.serial}.pdf"
        expected = certificate.pdf_sha256 if lang == REFERENCE_LANG else None
        if expected is not None and path.exists() and _file_sha256(path) == expected:
            result.kept.append(path)
            continue
        key = keys.active_at(signing_moment(certificate))
        document = certificate_document(certificate, key, issuer, lang)
        yield RenderJob(certificate.id, path, document, expected)


def merge_pdfs(paths: Iterable[Path], target: Path) -> None:
    """One PDF of every page of ``paths``, in order, for printing."""
    writer = PdfWriter()
    for path in paths:
        writer.append(path)
    buffer = io.BytesIO()
    writer.write(buffer)
    write_atomically(target, buffer.getvalue())


@contextmanager
def _renderer(workers: int) -> Iterator[Callable[[Iterable[RenderJob]], Iterator[RenderOutcome]]]:
    """A function rendering jobs in order: here for one worker, else in a process pool.

    The pool's processes start at once, while this process signs the jobs.
    """
    if workers <= 1:
        yield lambda jobs: map(render_job, jobs)
        return
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(workers, mp_context=context)
    try:
        for _ in range(workers):
            pool.submit(register_fonts)
        yield lambda jobs: pool.map(render_job, jobs, chunksize=WORKER_CHUNK)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _store_hashes(database: Database, hashes: dict[int, str]) -> None:
    """Store first renderings' hashes (never over one already stored)."""
    if not hashes:
        return
    table = Certificate.__table__
    statement = (
        update(table)
        .where(table.c.id == bindparam("certificate_id"), table.c.pdf_sha256.is_(None))
        .values(pdf_sha256=bindparam("digest"))
    )
    with database.transaction() as session:
        session.connection().execute(
            statement,
            [{"certificate_id": key, "digest": value} for key, value in hashes.items()],
        )


def _file_sha256(path: Path) -> str:
    """The hex SHA-256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()
