"""One PDF of a batch, rendered and written by a worker process from plain data only.

Workers get everything already signed (:class:`RenderJob`): they hold no key, open no
database, and write each file atomically, so an interrupted batch leaves only whole PDFs.
They hand the PDF back for the main process to store as the document of record.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from certificates.files import write_atomically
from certificates.pdf import CertificateDocument, render_pdf


@dataclass(frozen=True)
class RenderJob:
    """One PDF to render and write: its certificate, its file and its content."""

    #: The certificate's id.
    certificate_id: int
    #: Where to write the PDF.
    path: Path
    #: The signed document to render.
    document: CertificateDocument


@dataclass(frozen=True)
class RenderOutcome:
    """A PDF a worker rendered and wrote."""

    #: The certificate's id.
    certificate_id: int
    #: The PDF's file.
    path: Path
    #: The PDF.
    pdf: bytes


def render_job(job: RenderJob) -> RenderOutcome:
    """Render ``job`` and write it."""
    pdf = render_pdf(job.document)
    write_atomically(job.path, pdf)
    return RenderOutcome(job.certificate_id, job.path, pdf)
