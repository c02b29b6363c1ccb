"""The Qualiopi evidence as a PDF for auditors: person by person, assessments then trainings."""

from __future__ import annotations

from datetime import date

from reportlab.platypus import CondPageBreak, Flowable, Spacer

from certificates.pdf_metadata import PdfMetadata
from certificates.report_document import (
    BODY,
    CONTACT,
    NOTE,
    SUBHEADING,
    SUBTITLE,
    TITLE,
    ReportPages,
    build_report,
    data_table,
    paragraph,
)
from certify.rules.wording import METHODS, Lang, Wording, hours
from certify.rules.written_dates import short_date, written_date
from certify.views.qualiopi_evidence import PersonEvidence, TrainingFollowed

#: The report's title.
REPORT_TITLE = Wording(
    "Preuves Qualiopi — indicateurs 21 et 22", "Qualiopi evidence — indicators 21 and 22"
)
#: What the indicators ask, printed under the title.
INDICATORS = Wording(
    "Indicateur 21\u00a0: les compétences des personnels sont évaluées (compétence, date, niveau, "
    "méthode, évaluateur). Indicateur 22\u00a0: elles sont entretenues et développées (formations "
    "suivies, dates, heures de présence, formateurs).",
    "Indicator 21: staff competencies are evaluated (competency, date, level, method, "
    "assessor). Indicator 22: they are maintained and developed (trainings followed, dates, "
    "hours present, trainers).",
)
#: Headers of the assessments table.
ASSESSMENT_HEADERS = (
    Wording("Date", "Date"),
    Wording("Code", "Code"),
    Wording("Compétence évaluée (ind. 21)", "Competency assessed (ind. 21)"),
    Wording("Niveau", "Level"),
    Wording("Méthode", "Method"),
    Wording("Évaluateur", "Assessor"),
)
#: Headers of the trainings table.
TRAINING_HEADERS = (
    Wording("Dates", "Dates"),
    Wording("Module", "Module"),
    Wording("Formation suivie (ind. 22)", "Training followed (ind. 22)"),
    Wording("Présence", "Present"),
    Wording("Lieu", "Place"),
    Wording("Formateurs", "Trainers"),
)
#: Space a person's section needs to start on a page (heading and a few rows).
PERSON_MIN_SPACE = 110
#: Column widths of both tables (A4 portrait): the place and the people are wide enough
#: for the longest word of a place name (« Saint-Quentin-en-Yvelines »), never broken.
WIDTHS = (70, 42, 128, 74, 116, 86)
#: A person without evidence.
NOTHING = Wording(
    "Aucune évaluation ni formation sur la période.", "No assessment nor training in the period."
)


def qualiopi_report(
    people: tuple[PersonEvidence, ...], scope_name: Wording, start: date, end: date, lang: Lang
) -> bytes:
    """The PDF of the evidence of ``people`` between ``start`` and ``end``."""
    period = Wording(
        f"du {written_date(start, 'fr')} au {written_date(end, 'fr')}",
        f"from {written_date(start, 'en')} to {written_date(end, 'en')}",
    ).in_(lang)
    subtitle = Wording(
        f"{scope_name.fr} — {period} — {len(people)} personnes",
        f"{scope_name.en} — {period} — {len(people)} staff",
    ).in_(lang)
    title = REPORT_TITLE.in_(lang)
    story: list[Flowable] = [
        paragraph(title, TITLE),
        paragraph(subtitle, SUBTITLE),
        Spacer(1, 4),
        paragraph(INDICATORS.in_(lang), NOTE),
    ]
    for person in people:
        story += _person(person, lang)
    metadata = PdfMetadata(
        title=f"{title} — {scope_name.in_(lang)}",
        author=Wording("Réseau des Cités des métiers", "Cités des métiers network").in_(lang),
        subject=subtitle,
        keywords=("Qualiopi", "21", "22", start.isoformat(), end.isoformat()),
        lang=lang,
        created=end,
    )
    return build_report(story, metadata, ReportPages(landscape=False, footer=f"certify — {title}"))


def _person(person: PersonEvidence, lang: Lang) -> list[Flowable]:
    """A person's heading, then their assessments and trainings (or a line saying none)."""
    heading = paragraph(
        f"{person.family_name.upper()} {person.given_name} — {person.site}", SUBHEADING
    )
    contact = paragraph(person.email, CONTACT)
    blocks: list[Flowable] = []
    if person.assessments:
        rows = [
            [
                short_date(item.assessed_on, lang),
                item.code,
                item.label.in_(lang),
                f"{item.level} — {item.level_label.in_(lang)}",
                METHODS[item.method].in_(lang),
                item.assessor,
            ]
            for item in person.assessments
        ]
        blocks.append(data_table([_header(ASSESSMENT_HEADERS, lang), *rows], WIDTHS, None))
    if person.trainings:
        rows = [
            [
                _dates(item, lang),
                item.code,
                item.title.in_(lang),
                f"{hours(item.hours_present).in_(lang)} / {hours(item.module_hours).in_(lang)}",
                item.site,
                ", ".join(item.trainers),
            ]
            for item in person.trainings
        ]
        blocks += [Spacer(1, 3), data_table([_header(TRAINING_HEADERS, lang), *rows], WIDTHS, None)]
    if not blocks:
        blocks.append(paragraph(NOTHING.in_(lang), BODY))
    return [CondPageBreak(PERSON_MIN_SPACE), heading, contact, *blocks]


def _header(headers: tuple[Wording, ...], lang: Lang) -> list[str]:
    """A table's header row in ``lang``."""
    return [header.in_(lang) for header in headers]


def _dates(training: TrainingFollowed, lang: Lang) -> str:
    """The session's day, or its first and last days."""
    first = short_date(training.starts_on, lang)
    if training.ends_on == training.starts_on:
        return first
    return f"{first} – {short_date(training.ends_on, lang)}"
