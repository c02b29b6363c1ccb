"""A certificate's facts, read from its row and its frozen snapshot only.

The snapshot was written on the day of issue (:func:`certify.services.issuance.issue_certificate`):
the holder's name, the site, the issuing coordinator and the whole eligibility
explanation. Reading nothing else — not the person, not the référentiel as they are
today — is what makes every later rendering identical to the first.

The snapshot's JSON (layout version ``SNAPSHOT_VERSION``, that of
:meth:`certify.rules.explanation.Explanation.to_dict`) is read as it is, without
rebuilding the whole explanation: a batch reads thousands, and the few fields printed
are all that is needed.
"""

from __future__ import annotations

from typing import Any

from certificates.facts import CertificateFacts, CertifiedCompetency
from certify.errors import CertifyError
from certify.model import Certificate
from certify.rules.evidence import RequirementKind
from certify.services.issuance import SNAPSHOT_VERSION, refuse_issued_elsewhere
from certify.services.pseudonymisation import PSEUDONYMISED


class UnreadableSnapshot(CertifyError):
    """A certificate whose snapshot cannot give the facts to print."""


class HolderPseudonymised(CertifyError):
    """A certificate of a leaver pseudonymised since: never printed again."""

    def __init__(self, serial: str) -> None:
        """Name the certificate, and how it is still checked."""
        super().__init__(
            f"Le certificat {serial} n'est plus produit\u00a0: son titulaire a quitté le réseau "
            "et a été pseudonymisé. Le PDF qu'il détient reste vérifiable par son numéro et "
            "son code de vérification.",
            f"Certificate {serial} is no longer produced: its holder left the network and was "
            "pseudonymised. The PDF they hold still verifies by its serial and verification "
            "code.",
        )


def facts_from_certificate(certificate: Certificate) -> CertificateFacts:
    """The facts of ``certificate``, with its own (random) index in the revocation list.

    Refused (:class:`~certify.services.issuance.IssuedElsewhere`) for a certificate issued
    elsewhere: certify signs only its own.
    """
    refuse_issued_elsewhere(certificate)
    snapshot = certificate.snapshot
    if PSEUDONYMISED in (snapshot or {}).get("holder", {}):
        raise HolderPseudonymised(certificate.serial)
    if not snapshot or snapshot.get("version") != SNAPSHOT_VERSION:
        raise UnreadableSnapshot(
            f"Le certificat {certificate.serial} n'a pas d'instantané lisible (version "
            f"{SNAPSHOT_VERSION} attendue)\u00a0: il ne peut pas être imprimé. / Certificate "
            f"{certificate.serial} has no readable snapshot (version {SNAPSHOT_VERSION} "
            "expected): it cannot be printed."
        )
    try:
        explanation: dict[str, Any] = snapshot["explanation"]
        holder: dict[str, Any] = snapshot["holder"]
        programme: dict[str, Any] = explanation["programme"]
        return CertificateFacts(
            serial=certificate.serial,
            holder_name=holder["name"],
            programme_code=programme["code"],
            programme_title_fr=programme["title_fr"],
            programme_title_en=programme["title_en"],
            competencies=_competencies(explanation["requirements"]),
            site_name=snapshot["site"]["name"],
            issued_on=certificate.issued_on,
            valid_from=certificate.valid_from,
            valid_until=certificate.valid_until,
            issuer_name=snapshot["issuer"] or "",
            status_index=certificate.status_index,
        )
    except (KeyError, TypeError, ValueError) as error:
        raise UnreadableSnapshot(
            f"Instantané du certificat {certificate.serial} incomplet\u00a0: {error!r}. "
            f"/ Incomplete snapshot of certificate {certificate.serial}: {error!r}."
        ) from error


def _competencies(requirements: list[dict[str, Any]]) -> tuple[CertifiedCompetency, ...]:
    """The competency lines that carry an assessment, with the level it gave."""
    return tuple(
        CertifiedCompetency(
            code=line["code"],
            label_fr=line["label_fr"],
            label_en=line["label_en"],
            level=int(line["evidence"]["level"]["level"]),
            level_label_fr=line["evidence"]["level"]["label_fr"],
            level_label_en=line["evidence"]["level"]["label_en"],
        )
        for line in requirements
        if line["kind"] == RequirementKind.COMPETENCY and line["evidence"] is not None
    )
