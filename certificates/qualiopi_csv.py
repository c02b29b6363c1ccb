"""The Qualiopi evidence as CSV that opens as it is in a French Excel.

UTF-8 with a byte-order mark, ``;`` between fields, CRLF line ends, dates ``21/11/2026``
and decimal commas (in English: ISO dates and decimal points), written by the exports'
CSV writer (a would-be formula quoted). One row per piece of
evidence; a person with none in the period gets one row saying so.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from certify.exchange.writers import write_csv
from certify.rules.wording import METHODS, Lang, Wording, hours
from certify.rules.written_dates import short_date
from certify.views.qualiopi_evidence import AssessedCompetency, PersonEvidence, TrainingFollowed

#: The column headers.
HEADERS = (
    Wording("Site", "Site"),
    Wording("Nom", "Family name"),
    Wording("Prénom", "Given name"),
    Wording("E-mail", "E-mail"),
    Wording("Indicateur Qualiopi", "Qualiopi indicator"),
    Wording("Preuve", "Evidence"),
    Wording("Code", "Code"),
    Wording("Intitulé", "Title"),
    Wording("Date de début", "Start date"),
    Wording("Date de fin", "End date"),
    Wording("Niveau", "Level"),
    Wording("Libellé du niveau", "Level label"),
    Wording("Méthode", "Method"),
    Wording("Évaluateur ou formateurs", "Assessor or trainers"),
    Wording("Heures de présence", "Hours present"),
    Wording("Durée du module (h)", "Module hours"),
)
#: What each kind of row is.
ASSESSMENT = Wording("Évaluation de compétence", "Competency assessment")
TRAINING = Wording("Formation suivie", "Training followed")
NOTHING = Wording("Aucune preuve sur la période", "No evidence in the period")


def qualiopi_csv(people: Iterable[PersonEvidence], lang: Lang) -> bytes:
    """The CSV file's bytes."""
    rows: list[list[str]] = []
    for person in people:
        who = [person.site, person.family_name, person.given_name, person.email]
        rows += ([*who, *_assessment(item, lang)] for item in person.assessments)
        rows += ([*who, *_training(item, lang)] for item in person.trainings)
        if not person.assessments and not person.trainings:
            rows.append([*who, "", NOTHING.in_(lang)])
    return write_csv([header.in_(lang) for header in HEADERS], rows)


def _assessment(item: AssessedCompetency, lang: Lang) -> list[str]:
    """The evidence columns of an assessment (indicator 21)."""
    return [
        "21",
        ASSESSMENT.in_(lang),
        item.code,
        item.label.in_(lang),
        short_date(item.assessed_on, lang),
        "",
        str(item.level),
        item.level_label.in_(lang),
        METHODS[item.method].in_(lang),
        item.assessor,
        "",
        "",
    ]


def _training(item: TrainingFollowed, lang: Lang) -> list[str]:
    """The evidence columns of a session followed (indicator 22)."""
    return [
        "22",
        TRAINING.in_(lang),
        item.code,
        item.title.in_(lang),
        short_date(item.starts_on, lang),
        short_date(item.ends_on, lang),
        "",
        "",
        "",
        ", ".join(item.trainers),
        _hours(item.hours_present, lang),
        _hours(item.module_hours, lang),
    ]


def _hours(value: Decimal, lang: Lang) -> str:
    """Hours without trailing zeros nor unit, with the language's decimal separator."""
    return hours(value).in_(lang).removesuffix(" h")
