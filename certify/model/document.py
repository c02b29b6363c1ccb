"""Certificate PDFs as first delivered, kept as the documents of record."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from certify.model.base import Base, UTCDateTime, utcnow


class CertificateDocument(Base):
    """A certificate's PDF in one language, stored when first rendered and returned ever after.

    Later downloads return these bytes without rendering, so a new layout, font or
    reportlab never changes, nor blocks, a certificate already delivered.
    """

    __tablename__ = "certificate_document"
    __table_args__ = (CheckConstraint("lang IN ('fr', 'en')", name="lang_known"),)

    #: The certificate.
    certificate_id: Mapped[int] = mapped_column(
        ForeignKey("certificate.id", ondelete="CASCADE"), primary_key=True
    )
    #: Language of the page: ``fr`` or ``en``.
    lang: Mapped[str] = mapped_column(String(2), primary_key=True)
    #: The PDF, byte for byte as delivered.
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    #: SHA-256 (hex) of ``pdf``.
    sha256: Mapped[str] = mapped_column(String(64))
    #: When the PDF was rendered.
    rendered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
