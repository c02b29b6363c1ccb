"""The issuer's PAdES seal on a certificate PDF: one ECDSA P-256 signature over the whole file.

pyHanko appends the seal as an incremental update (PAdES B-B, ``/SubFilter
/ETSI.CAdES.detached``, an invisible signature field): any later change to the file,
an overlay, a swapped attachment or another update, leaves it broken or not covering
the file. ECDSA P-256 rather than Ed25519 because poppler's ``pdfsig`` 22 and most
readers check only RSA and ECDSA seals. The seal is made so that the PDF stays PDF/A-3b:
PDF 1.7 (the ESIC extension, not PDF 2.0's ISO 32002 one), the document information and
XMP left as rendered, and deterministic (RFC 6979 nonces, a signing time given): the same
PDF, key and moment give the same bytes.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any, TypeVar

from asn1crypto import cms
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_der_private_key,
)
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.signers.constants import ESIC_EXTENSION_1
from pyhanko.sign.signers.pdf_signer import PdfSigningSession
from pyhanko_certvalidator.registry import SimpleCertificateStore

#: What a coroutine gives.
T = TypeVar("T")
#: Name of the seal's signature field.
SEAL_FIELD = "Sceau"
#: Bytes reserved for the CMS signature (about 1,300 are used): no trial signature needed.
SEAL_RESERVED = 4096
#: The end of validity of a certificate whose key is still active (RFC 5280: no expiry).
NO_EXPIRY = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)


def new_seal_key() -> ec.EllipticCurvePrivateKey:
    """A fresh ECDSA P-256 seal key."""
    return ec.generate_private_key(ec.SECP256R1())


def seal_certificate(
    seal_key: ec.EllipticCurvePrivateKey,
    issuer_name: str,
    network: str,
    issuer_id: str,
    valid_from: datetime,
    valid_until: datetime | None = None,
) -> x509.Certificate:
    """The self-signed certificate of ``seal_key``: CN the issuer's name, O the network.

    Its subject alternative name is the issuer's id (URL); its validity is the window the
    key seals in (``valid_until`` ``None``: still active).
    """
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, issuer_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, network),
        ]
    )
    public_key = seal_key.public_key()
    subject_key_id = x509.SubjectKeyIdentifier.from_public_key(public_key)
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    serial = int.from_bytes(subject_key_id.digest[:16], "big") >> 1 or 1
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public_key)
        .serial_number(serial)
        .not_valid_before(valid_from)
        .not_valid_after(valid_until or NO_EXPIRY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(subject_key_id, critical=False)
        .add_extension(
            x509.SubjectAlternativeName([x509.UniformResourceIdentifier(issuer_id)]),
            critical=False,
        )
        .sign(seal_key, hashes.SHA256())
    )


def renewed_certificate(
    seal_key: ec.EllipticCurvePrivateKey, certificate: x509.Certificate, valid_until: datetime
) -> x509.Certificate:
    """``certificate`` made again by its key, ending at ``valid_until`` (its key retired)."""
    subject = certificate.subject
    alternative = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    (issuer_id,) = alternative.value.get_values_for_type(x509.UniformResourceIdentifier)
    return seal_certificate(
        seal_key,
        str(subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value),
        str(subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value),
        issuer_id,
        certificate.not_valid_before_utc,
        valid_until,
    )


def seal_pdf(
    pdf: bytes,
    seal_key: ec.EllipticCurvePrivateKey,
    certificate: x509.Certificate,
    signed_at: datetime,
) -> bytes:
    """``pdf`` sealed by ``seal_key`` (named by ``certificate``) at ``signed_at``."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    # The document information and XMP stay as rendered (pyHanko would stamp itself as
    # producer in both, and reword the XMP's PDF/A extension schema).
    writer._update_meta = lambda: None  # pyright: ignore[reportAttributeAccessIssue]
    # The update's document id is derived from the file and the moment, not random.
    changed_id = hashlib.sha256(pdf + signed_at.isoformat().encode()).digest()[:16]
    writer._document_id = generic.ArrayObject(
        [generic.ByteStringObject(writer.document_id[0]), generic.ByteStringObject(changed_id)]
    )
    metadata = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    signer = _DeterministicSigner(
        signing_cert=asn1_x509.Certificate.load(certificate.public_bytes(Encoding.DER)),
        signing_key=asn1_keys.PrivateKeyInfo.load(
            seal_key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
        ),
        cert_registry=SimpleCertificateStore(),
    )
    output = io.BytesIO()
    sealer = _Sealer(metadata, signer, signed_at)
    run_async(sealer.async_sign_pdf(writer, bytes_reserved=SEAL_RESERVED, output=output))
    return output.getvalue()


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run one of pyHanko's coroutines to its end, from a thread with or without a loop.

    pyHanko's synchronous calls use ``asyncio.run``, which fails inside a running event
    loop (the terminal app's): there the coroutine runs in a thread of its own.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


class _DeterministicSigner(signers.SimpleSigner):
    """pyHanko's signer, its CMS built from fixed parts: fast, and deterministic (RFC 6979).

    pyHanko assembles the CMS with asn1crypto, about 25 ms a seal; here the PAdES B-B
    signed attributes (content type, message digest, ESS signing-certificate-v2, the
    signing time going in the signature dictionary's ``/M``) are joined from DER parts
    computed once per certificate, then signed.
    """

    async def async_sign(
        self,
        data_digest: bytes,
        digest_algorithm: str,
        dry_run: bool = False,
        use_pades: bool = False,
        timestamper: Any = None,
        signed_attr_settings: Any = None,
        is_pdf_sig: bool = True,
        encap_content_info: Any = None,
    ) -> cms.ContentInfo:
        """The detached CMS signature of a document whose SHA-256 is ``data_digest``."""
        certificate = self.signing_cert
        if dry_run or digest_algorithm != "sha256" or certificate is None:
            return await super().async_sign(
                data_digest,
                digest_algorithm,
                dry_run,
                use_pades,
                timestamper,
                signed_attr_settings,
                is_pdf_sig,
                encap_content_info,
            )
        parts = _cms_parts(certificate.dump())
        attributes = sorted(
            [
                parts.content_type,
                _der(0x30, _OID_MESSAGE_DIGEST + _der(0x31, _der(0x04, data_digest))),
                parts.signing_certificate,
            ]
        )
        signed = _der(0x31, b"".join(attributes))
        key = load_der_private_key(self.signing_key.dump(), password=None)
        assert isinstance(key, ec.EllipticCurvePrivateKey)
        signature = key.sign(signed, ec.ECDSA(hashes.SHA256(), deterministic_signing=True))
        signer_info = _der(
            0x30,
            _der(0x02, b"\x01")
            + parts.issuer_and_serial
            + _SHA256
            + b"\xa0"
            + signed[1:]  # the same attributes, tagged [0] IMPLICIT
            + _ECDSA_SHA256
            + _der(0x04, signature),
        )
        signed_data = _der(
            0x30,
            _der(0x02, b"\x01")
            + _der(0x31, _SHA256)
            + _der(0x30, _OID_DATA)
            + _der(0xA0, parts.certificate)
            + _der(0x31, signer_info),
        )
        return cms.ContentInfo.load(_der(0x30, _OID_SIGNED_DATA + _der(0xA0, signed_data)))


@dataclass(frozen=True)
class _CmsParts:
    """The DER parts of a seal's CMS that depend only on its certificate."""

    #: The certificate.
    certificate: bytes
    #: ``IssuerAndSerialNumber`` naming it.
    issuer_and_serial: bytes
    #: The content-type attribute (id-data).
    content_type: bytes
    #: The ESS signing-certificate-v2 attribute binding it.
    signing_certificate: bytes


@cache
def _cms_parts(certificate_der: bytes) -> _CmsParts:
    """The fixed parts of the CMS of seals made with the certificate ``certificate_der``."""
    certificate = x509.load_der_x509_certificate(certificate_der)
    issuer = certificate.issuer.public_bytes()
    serial = _der(0x02, _unsigned(certificate.serial_number))
    issuer_serial = _der(0x30, _der(0x30, _der(0xA4, issuer)) + serial)
    cert_id = _der(0x30, _der(0x04, hashlib.sha256(certificate_der).digest()) + issuer_serial)
    return _CmsParts(
        certificate=certificate_der,
        issuer_and_serial=_der(0x30, issuer + serial),
        content_type=_der(0x30, _OID_CONTENT_TYPE + _der(0x31, _OID_DATA)),
        signing_certificate=_der(
            0x30, _OID_SIGNING_CERTIFICATE_V2 + _der(0x31, _der(0x30, _der(0x30, cert_id)))
        ),
    )


def _der(tag: int, content: bytes) -> bytes:
    """A DER element: ``tag``, the definite length of ``content``, ``content``."""
    size = len(content)
    if size < 0x80:
        return bytes([tag, size]) + content
    length = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(length)]) + length + content


def _unsigned(number: int) -> bytes:
    """The content octets of a non-negative DER INTEGER."""
    return number.to_bytes(number.bit_length() // 8 + 1, "big")


#: DER of the identifiers the seal's CMS uses (RFC 5652, RFC 5035, RFC 5758).
_OID_DATA = bytes.fromhex("06092a864886f70d010701")
_OID_SIGNED_DATA = bytes.fromhex("06092a864886f70d010702")
_OID_CONTENT_TYPE = bytes.fromhex("06092a864886f70d010903")
_OID_MESSAGE_DIGEST = bytes.fromhex("06092a864886f70d010904")
_OID_SIGNING_CERTIFICATE_V2 = bytes.fromhex("060b2a864886f70d010910022f")
#: AlgorithmIdentifier of SHA-256 (NULL parameters, as pyHanko writes it).
_SHA256 = bytes.fromhex("300d06096086480165030402010500")
#: AlgorithmIdentifier of ECDSA with SHA-256.
_ECDSA_SHA256 = bytes.fromhex("300a06082a8648ce3d040302")


class _Sealer(signers.PdfSigner):
    """pyHanko's PDF signer at a given signing time, keeping the file PDF 1.7."""

    def __init__(
        self,
        metadata: signers.PdfSignatureMetadata,
        signer: signers.Signer,
        signed_at: datetime,
    ) -> None:
        """Sign with ``signer`` as ``metadata`` says, dated ``signed_at``."""
        super().__init__(metadata, signer=signer)
        self._signed_at = signed_at

    def init_signing_session(
        self, pdf_out: BasePdfFileWriter, existing_fields_only: bool = False
    ) -> PdfSigningSession:
        """pyHanko's signing session, its clock set to the signing time."""
        session = super().init_signing_session(pdf_out, existing_fields_only)
        session.system_time = self._signed_at
        return session

    def register_extensions(self, pdf_out: BasePdfFileWriter, *, md_algorithm: str) -> None:
        """Only PAdES's ESIC extension: ISO 32002's (for P-256) would make the file PDF 2.0."""
        pdf_out.ensure_output_version(version=(1, 7))
        pdf_out.register_extension(ESIC_EXTENSION_1)
