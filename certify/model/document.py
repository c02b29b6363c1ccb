"""Certificate PDFs as first delivered, kept as the documents of record."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String, Text
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


class CertificateSignature(Base):
    """A certificate as signed when issued: its credential and QR token, never re-signed.

    Every PDF of the certificate is rendered from these, so a download needs no private
    key, and a later key or layout never changes what was signed.
    """

    __tablename__ = "certificate_signature"

    #: The certificate.
    certificate_id: Mapped[int] = mapped_column(
        ForeignKey("certificate.id", ondelete="CASCADE"), primary_key=True
    )
    #: When it was signed: the proofs' ``created`` and the token's ``iat``.
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: The verification method of the key that signed.
    key_id: Mapped[str] = mapped_column(String(300))
    #: The signed Open Badges credential (JSON text, as signed); ``None`` once its holder
    #: was pseudonymised (the holder's own PDF carries it, and verifies without certify).
    credential: Mapped[str | None] = mapped_column(Text)
    #: The signed token the QR code carries.
    token: Mapped[str] = mapped_column(Text)
