"""One PDF of a batch, rendered and written by a worker process from plain data only.

Workers get everything already signed (:class:`RenderJob`): they hold no key, open no
database, and write each file atomically, so an interrupted batch leaves only whole PDFs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from certificates.pdf import CertificateDocument, pdf_sha256, render_pdf


@dataclass(frozen=True)
class RenderJob:
    """One PDF to write: its file, its content, and the hash it must have, if known."""

    #: The certificate's id.
    certificate_id: int
    #: Where to write the PDF.
    path: Path
    #: The signed document to render.
    document: CertificateDocument
    #: The stored SHA-256 the rendering must reproduce (``None``: first rendering).
    expected_sha256: str | None


@dataclass(frozen=True)
class RenderOutcome:
    """What a worker did with one job."""

    #: The certificate's id.
    certificate_id: int
    #: The PDF's file.
    path: Path
    #: SHA-256 of the rendering.
    sha256: str
    #: Whether the file was written (not when the rendering differs from the stored hash).
    written: bool
    #: Whether it was the certificate's first rendering (no hash stored yet).
    first: bool


def render_job(job: RenderJob) -> RenderOutcome:
    """Render ``job``; write it unless it differs from the hash already stored."""
    pdf = render_pdf(job.document)
    digest = pdf_sha256(pdf)
    first = job.expected_sha256 is None
    if not first and digest != job.expected_sha256:
        return RenderOutcome(job.certificate_id, job.path, digest, written=False, first=first)
    write_atomically(job.path, pdf)
    return RenderOutcome(job.certificate_id, job.path, digest, written=True, first=first)


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file renamed over it when complete."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    temporary.replace(path)
