"""Reading a certificate PDF's seal back: intact, over the whole file, the last revision.

pyHanko checks the CMS signature and the digest of the signed byte range; here the byte
range must also end at the file's last byte and the seal's revision be the file's last,
so that nothing (an overlay, a new attachment, any incremental update) follows it. Who
sealed is judged by the caller against the pinned seal certificates
(:mod:`certificates.pdf_verify`): the certificate found in the PDF is only compared.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from certificates.data_integrity import proof_set
from certificates.seal import SEAL_FIELD, run_async
from certificates.timestamps import parse_instant
from certificates.verification import Verdict

#: Why a seal that is not intact is refused.
BROKEN = (
    "Le sceau du PDF est rompu\u00a0: le fichier a été modifié après avoir été scellé. "
    "/ The PDF's seal is broken: the file was changed after it was sealed."
)
#: Why a seal followed by anything is refused.
NOT_LAST = (
    "Le fichier a été modifié après son sceau (mise à jour ajoutée à la fin). "
    "/ The file was changed after its seal (an update appended to it)."
)
#: Why a PDF with more than the one seal is refused.
SEVERAL = (
    "Le PDF porte plusieurs signatures\u00a0: un certificat n'en a qu'une, le sceau de l'émetteur. "
    "/ The PDF carries several signatures: a certificate has one, the issuer's seal."
)
#: Why a PDF pyHanko cannot read is refused.
UNREADABLE = (
    "Structure PDF illisible\u00a0: le sceau ne peut pas être vérifié. "
    "/ Unreadable PDF structure: the seal cannot be checked."
)

#: Why a PDF sealed by another certificate is refused.
FOREIGN = (
    "Le PDF est scellé par un autre certificat que celui de la clé de l'émetteur qui a "
    "signé l'attestation\u00a0: il a été refait après coup. / The PDF is sealed by a certificate "
    "other than that of the issuer's key that signed the credential: it was remade."
)
#: Why a seal the pinned keys know nothing of is not trusted.
NOT_PINNED = (
    "Le PDF est scellé, mais les clés épinglées n'ont pas de certificat de sceau pour la "
    "clé qui a signé : exportez-les à nouveau (« certify keys export »). / The PDF is sealed, "
    "but the pinned keys have no seal certificate for the signing key: export them again "
    "('certify keys export')."
)
#: Why a seal dated outside its certificate's validity is refused.
OUTSIDE = (
    "Le sceau est daté hors de la période de validité de son certificat. "
    "/ The seal is dated outside its certificate's validity."
)
#: Why a PDF whose credential was signed when seals existed, but has none, is refused.
UNSEALED_NEW = (
    "Ce PDF n'est pas scellé alors que son attestation a été signée par une clé qui scelle\u00a0: "
    "le sceau a été retiré ou le fichier refait. / This PDF is not sealed although its "
    "credential was signed by a sealing key: the seal was removed or the file remade."
)
#: The note added to the verdict of a PDF made before seals.
UNSEALED = (
    "Note : PDF antérieur aux sceaux, non scellé ; seuls l'attestation et le texte imprimé "
    "sont vérifiés. / Note: PDF made before seals, unsealed; only the credential and the "
    "printed text are checked."
)

# pyHanko logs every signature it cannot validate: the verdict says it already.
logging.getLogger("pyhanko").setLevel(logging.CRITICAL)


@dataclass(frozen=True)
class Seal:
    """What a PDF's seal says, once checked: who sealed, when, and what is wrong."""

    #: The certificate the seal names (``None`` if unreadable).
    certificate: x509.Certificate | None
    #: The signing time the seal states (``None`` if absent).
    signed_at: datetime | None
    #: Why the seal does not hold (``None``: intact, over the whole file, nothing after).
    problem: str | None


def read_seal(data: bytes) -> Seal | None:
    """The checked seal of the PDF ``data``; ``None`` if it has no signature at all."""
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except (PdfError, ValueError, KeyError, TypeError, AttributeError):
        return Seal(None, None, UNREADABLE)
    if not signatures:
        return None
    if len(signatures) > 1 or signatures[0].field_name != SEAL_FIELD:
        return Seal(None, None, SEVERAL)
    signature = signatures[0]
    try:
        certificate = x509.load_der_x509_certificate(signature.signer_cert.dump())
        signed_at = signature.self_reported_timestamp
        # Trust is judged against the pins by the caller, never by the system's roots.
        context = ValidationContext(trust_roots=[signature.signer_cert], allow_fetching=False)
        status = run_async(
            async_validate_pdf_signature(signature, signer_validation_context=context)
        )
    except (PdfError, ValueError, KeyError, TypeError, AttributeError):
        return Seal(None, None, BROKEN)
    if not (status.intact and status.valid):
        return Seal(certificate, signed_at, BROKEN)
    byte_range: Any = signature.byte_range
    ranges = [int(value) for value in byte_range]
    last_revision = reader.xrefs.total_revisions - 1
    if (
        status.coverage != SignatureCoverageLevel.ENTIRE_FILE
        or ranges[0] != 0
        or ranges[2] + ranges[3] != len(data)
        or signature.signed_revision != last_revision
    ):
        return Seal(certificate, signed_at, NOT_LAST)
    return Seal(certificate, signed_at, None)


def judge_seal(
    data: bytes, credential: Mapping[str, Any], expected: x509.Certificate | None
) -> tuple[Verdict | None, str | None]:
    """The verdict the PDF's seal calls for and why; no verdict, maybe a note, if it holds.

    ``expected`` is the pinned seal certificate of the key that signed ``credential``
    (``None``: the key has none): the seal must be its, made within its validity. A PDF
    with no seal passes, with a note, only if it could not have had one: its credential
    has a lone proof (made before proof sets), or its key had no seal certificate when it
    signed. A seal the pins do not know of (pinned before the key had one) is UNKNOWN
    KEY; any other seal is BAD SIGNATURE: the credential inside is the issuer's, so the
    file was remade around it.
    """
    seal = read_seal(data)
    if seal is None:
        if _before_seals(credential, expected):
            return None, UNSEALED
        return Verdict.BAD_SIGNATURE, UNSEALED_NEW
    if seal.problem is not None:
        return Verdict.BAD_SIGNATURE, seal.problem
    if expected is None:
        return Verdict.UNKNOWN_KEY, NOT_PINNED
    if seal.certificate is None or not same_key(seal.certificate, expected):
        return Verdict.BAD_SIGNATURE, FOREIGN
    if seal.signed_at is None or not (
        expected.not_valid_before_utc <= seal.signed_at <= expected.not_valid_after_utc
    ):
        return Verdict.BAD_SIGNATURE, OUTSIDE
    return None, None


def _before_seals(credential: Mapping[str, Any], expected: x509.Certificate | None) -> bool:
    """Whether ``credential`` was signed before its key could seal (``expected``)."""
    if expected is None or isinstance(credential.get("proof"), Mapping):
        return True
    moments = []
    for proof in proof_set(credential):
        try:
            moments.append(parse_instant(str(proof.get("created"))))
        except ValueError:
            return False
    return bool(moments) and max(moments) < expected.not_valid_before_utc


def same_key(first: x509.Certificate, second: x509.Certificate) -> bool:
    """Whether two certificates certify the same public key."""
    return _public_key(first) == _public_key(second)


def _public_key(certificate: x509.Certificate) -> bytes:
    """The certificate's public key, DER-encoded."""
    return certificate.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
