"""Every phrase printed on a certificate, in French or English, from its facts alone."""

from __future__ import annotations

from dataclasses import dataclass

from certificates.facts import CertificateFacts, CertifiedCompetency
from certificates.pdf_metadata import PdfMetadata
from certify.rules.wording import Lang, Wording
from certify.rules.written_dates import written_date

#: The document's title, printed large.
TITLE = Wording("Certificat de compétences", "Certificate of competence")
#: Before the holder's name.
AWARDED_TO = Wording("décerné à", "awarded to")
#: Before the programme.
FOR_PROGRAMME = Wording("pour le programme de certification", "for the certification programme")
#: Above the list of competencies.
COMPETENCIES = Wording("Compétences certifiées", "Certified competencies")
#: Above the verification code.
CODE_LABEL = Wording("Code de vérification", "Verification code")
#: How to check the certificate.
HOW_TO_VERIFY = Wording(
    "Pour vérifier\u00a0: scannez le code QR, ou «\u00a0certify verify\u00a0» sur ce fichier PDF.",
    "To verify: scan the QR code, or run “certify verify” on this PDF file.",
)


@dataclass(frozen=True)
class CompetencyLine:
    """One certified competency as printed: code, label, level reached."""

    #: Competency code (``ETH-01``).
    code: str
    #: Its label.
    label: str
    #: The level reached, « Acquis (niveau 2) ».
    level: str


@dataclass(frozen=True)
class CertificateText:
    """The phrases of one certificate in one language."""

    #: The issuing network.
    network: str
    #: The holder's site.
    site: str
    #: « Certificat de compétences ».
    title: str
    #: « décerné à ».
    awarded_to: str
    #: The holder's name.
    holder: str
    #: « pour le programme de certification ».
    for_programme: str
    #: Programme title.
    programme: str
    #: Programme code.
    programme_code: str
    #: « Compétences certifiées ».
    competencies_heading: str
    #: The competencies, in the facts' order.
    competencies: tuple[CompetencyLine, ...]
    #: Issue date and validity, written out.
    dates: str
    #: Who issued it (empty when nobody is named).
    coordinator: str
    #: « N° CDM-2026-000123 ».
    serial: str
    #: « Code de vérification ».
    code_label: str
    #: The short verification code printed beside the QR code.
    code: str
    #: How to check the certificate.
    how_to_verify: str


def certificate_text(
    facts: CertificateFacts, network: str, code: str, lang: Lang
) -> CertificateText:
    """The phrases of the certificate of ``facts`` issued by ``network``, in ``lang``."""
    return CertificateText(
        network=network,
        site=facts.site_name,
        title=TITLE.in_(lang),
        awarded_to=AWARDED_TO.in_(lang),
        holder=facts.holder_name,
        for_programme=FOR_PROGRAMME.in_(lang),
        programme=facts.programme_title_fr if lang == "fr" else facts.programme_title_en,
        programme_code=facts.programme_code,
        competencies_heading=COMPETENCIES.in_(lang),
        competencies=tuple(_competency(item, lang) for item in facts.competencies),
        dates=_dates(facts, lang),
        coordinator=_coordinator(facts.issuer_name).in_(lang) if facts.issuer_name else "",
        serial=Wording(f"N° {facts.serial}", f"No. {facts.serial}").in_(lang),
        code_label=CODE_LABEL.in_(lang),
        code=code,
        how_to_verify=HOW_TO_VERIFY.in_(lang),
    )


def certificate_metadata(facts: CertificateFacts, network: str, lang: Lang) -> PdfMetadata:
    """The PDF metadata of a certificate: title, author (the network), subject, keywords."""
    programme = facts.programme_title_fr if lang == "fr" else facts.programme_title_en
    subject = Wording(
        f"Certificat n° {facts.serial}\u00a0: {programme} ({facts.programme_code})",
        f"Certificate No. {facts.serial}: {programme} ({facts.programme_code})",
    )
    return PdfMetadata(
        title=f"{TITLE.in_(lang)} — {facts.holder_name} — {facts.programme_code}",
        author=network,
        subject=subject.in_(lang),
        keywords=(facts.serial, facts.programme_code, network),
        lang=lang,
        created=facts.issued_on,
    )


def _competency(item: CertifiedCompetency, lang: Lang) -> CompetencyLine:
    """A competency's printed line."""
    level = Wording(
        f"{item.level_label_fr} (niveau {item.level})",
        f"{item.level_label_en} (level {item.level})",
    )
    label = item.label_fr if lang == "fr" else item.label_en
    return CompetencyLine(item.code, label, level.in_(lang))


def _dates(facts: CertificateFacts, lang: Lang) -> str:
    """« Délivré le … — valable jusqu'au … » (« du … au … » when validity starts later)."""
    issued = written_date(facts.issued_on, lang)
    until = written_date(facts.valid_until, lang)
    if facts.valid_from == facts.issued_on:
        wording = Wording(
            f"Délivré le {issued} — valable jusqu'au {until}",
            f"Issued on {issued} — valid until {until}",
        )
    else:
        start = written_date(facts.valid_from, lang)
        wording = Wording(
            f"Délivré le {issued} — valable du {start} au {until}",
            f"Issued on {issued} — valid from {start} to {until}",
        )
    return wording.in_(lang)


def _coordinator(name: str) -> Wording:
    """« Coordination : name »."""
    return Wording(f"Coordination\u00a0: {name}", f"Coordinator: {name}")
