"""What several kinds share: cell types, French labels of values, frameworks and competencies.

Cell syntaxes (documented in the README):

- lists: ``conseiller, formateur`` (commas or semicolons);
- a framework: ``RCM v1`` (``RCM`` alone when it has one version);
- a competency: ``ETH-01``, in the row's framework, or ``RCM v2 ETH-01`` in another;
- a required competency: ``ETH-01:2`` (code, then the minimum level);
- a prerequisite: ``CERT-ACC (24 mois)`` (or ``CERT-ACC`` for no minimum time), the
  programme by its code or its title;
- a scale: ``0 = Non acquis / Not acquired | 1 = En cours / In progress``;
- a session: ``M02 PARIS 03/09/2024`` (module, site, first day);
- a corrected assessment: ``09/03/2024 jean.martin@example.org 1`` (day, assessor, level).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Any

from certify.exchange.cells import (
    ChoiceCell,
    CodeCell,
    DayCell,
    EmailCell,
    IntegerCell,
    LanguageCell,
    ListCell,
    PatternCell,
    ReferenceCell,
    TextCell,
)
from certify.exchange.columns import Column
from certify.exchange.entities import Entity, Key
from certify.exchange.kind import ExportRow, Kind
from certify.exchange.messages import Text
from certify.exchange.naming import closest
from certify.exchange.rows import Ref, Row
from certify.exchange.store import Store, Table
from certify.model import (
    AssessmentMethod,
    CertificateState,
    Role,
    ServiceLevel,
    SiteKind,
)
from certify.views.labels import ROLES as ROLE_LABELS

CODE = CodeCell()
#: A reference to a row by its code or its name (a site, a module, a programme).
REFERENCE = ReferenceCell()
EMAIL = EmailCell()
DAY = DayCell()
COUNTRY = CodeCell(most=2)
#: A person's language: ``fr`` or ``en``, or its name (« français », « anglais »…).
LANGUAGES = LanguageCell(
    {
        "fr": ("français", "française", "French", "francais"),
        "en": ("anglais", "anglaise", "English"),
    }
)
SITE_KINDS = ChoiceCell(
    {
        SiteKind.CITE: ("Cité des métiers", "Cite des metiers", "cité", "CDM"),
        SiteKind.CENTRE: ("centre associé", "associated centre", "centre", "associate centre"),
        SiteKind.RELAIS: ("point relais", "relay point", "relais"),
    }
)
#: Roles by their export label (first), aliases, and the labels the app displays
#: (« Conseiller·ère »), so a list exported as shown imports back.
ROLES = ChoiceCell(
    {
        role: (*names, ROLE_LABELS[role].fr, ROLE_LABELS[role].en)
        for role, names in {
            Role.RECEPTION: ("accueil", "reception", "chargé d'accueil", "chargée d'accueil"),
            Role.COUNSELLOR: ("conseiller", "counsellor", "conseillère", "counselor", "conseil"),
            Role.TRAINER: ("formateur", "trainer", "formatrice"),
            Role.COORDINATOR: ("coordinateur", "coordinator", "coordinatrice"),
            Role.ADMIN: ("admin", "administrator", "administrateur", "administratrice"),
        }.items()
    }
)
METHODS = ChoiceCell(
    {
        AssessmentMethod.OBSERVATION: ("observation", "observation"),
        AssessmentMethod.MISE_EN_SITUATION: ("mise en situation", "role play", "simulation"),
        AssessmentMethod.ENTRETIEN: ("entretien", "interview"),
        AssessmentMethod.QUIZ: ("quiz", "quiz", "questionnaire"),
        AssessmentMethod.PORTFOLIO: ("portfolio", "portfolio"),
    }
)
STATES = ChoiceCell(
    {
        CertificateState.ISSUED: ("délivré", "issued", "délivrée", "valide"),
        CertificateState.REVOKED: ("révoqué", "revoked", "révoquée", "retiré"),
        CertificateState.SUPERSEDED: ("remplacé", "superseded", "remplacée"),
    }
)
SERVICE_LEVELS = ChoiceCell(
    {
        ServiceLevel.ACCUEIL: ("accueil", "reception"),
        ServiceLevel.CONSEIL: ("conseil", "guidance"),
        ServiceLevel.ACCOMPAGNEMENT: ("accompagnement", "support"),
        ServiceLevel.FORMATION: ("formation", "training"),
    }
)


def framework_text(key: Key) -> str:
    """A framework as written in cells: ``RCM v1``."""
    return f"{key[0]} v{key[1]}"


def day_text(day: date) -> str:
    """A day as written inside a cell of several parts: DD/MM/YYYY."""
    return day.strftime("%d/%m/%Y")


FRAMEWORK_REF = PatternCell(
    r"(\S+?)(?:\s+v?\s*(\d+))?",
    (CODE, IntegerCell(1)),
    framework_text,
    Text("un référentiel (ex. RCM v1)", "a framework (e.g. RCM v1)"),
)


def competency_text(value: tuple[Any, ...]) -> str:
    """A competency as written in cells: its code, after its framework when another one."""
    code, version, competency = value
    return competency if code is None else f"{code} v{version} {competency}"


#: A competency by its code or its label (« ETH-01 », « Accueillir le public »), after its
#: framework when another one (« RCM v2 ETH-01 »).
COMPETENCY_ITEM = PatternCell(
    r"(?:(\S+)\s+v?\s*(\d+)\s+)?(.+)",
    (CODE, IntegerCell(1), REFERENCE),
    competency_text,
    Text("une compétence (ex. ETH-01)", "a competency (e.g. ETH-01)"),
)
REQUIREMENT = PatternCell(
    r"(.+?)\s*[:=]\s*(\d+)",
    (COMPETENCY_ITEM, IntegerCell(0)),
    lambda value: f"{competency_text(value[0])}:{value[1]}",
    Text(
        "une exigence «\u00a0compétence:niveau\u00a0» (ex. ETH-01:2)",
        "a “competency:level” requirement (e.g. ETH-01:2)",
    ),
)
PREREQUISITE = PatternCell(
    r"(.+?)(?:\s*\(\s*(\d+)\s*(?:mois|months?|m)?\s*\))?",
    (REFERENCE, IntegerCell(0)),
    lambda value: f"{value[0]} ({value[1]} mois)" if value[1] else value[0],
    Text("un prérequis (ex. CERT-ACC (24 mois))", "a prerequisite (e.g. CERT-ACC (24 months))"),
)
SCALE_LEVEL = PatternCell(
    r"(\d+)\s*[=:]\s*(.+?)\s*/\s*(.+)",
    (IntegerCell(0), TextCell(80), TextCell(80)),
    lambda value: f"{value[0]} = {value[1]} / {value[2]}",
    Text(
        "un niveau «\u00a0N = libellé / label\u00a0» (ex. 2 = Acquis / Acquired)",
        "a level “N = libellé / label” (e.g. 2 = Acquis / Acquired)",
    ),
)
SCALE = ListCell(SCALE_LEVEL, separators="|", joiner=" | ")
#: The French and English title columns of modules and programmes.
TITLE_COLUMNS = (
    Column(
        "title_fr",
        "Titre",
        "Title (French)",
        TextCell(200),
        required=True,
        field="title_fr",
        aliases=("intitulé", "titre français"),
    ),
    Column(
        "title_en",
        "Titre (anglais)",
        "Title (English)",
        TextCell(200),
        required=True,
        field="title_en",
        aliases=("titre anglais", "english title"),
    ),
)
SESSION_REF = PatternCell(
    r"(\S+)\s+(\S+)\s+(\S+)",
    (CODE, CODE, DAY),
    lambda value: f"{value[0]} {value[1]} {day_text(value[2])}",
    Text(
        "une session «\u00a0module site début\u00a0» (ex. M02 PARIS 03/09/2024)",
        "a session “module site start” (e.g. M02 PARIS 03/09/2024)",
    ),
)
ASSESSMENT_REF = PatternCell(
    r"(\S+)\s+(\S+)\s+(\d+)",
    (DAY, EMAIL, IntegerCell(0)),
    lambda value: f"{day_text(value[0])} {value[1]} {value[2]}",
    Text(
        "une évaluation «\u00a0date évaluateur niveau\u00a0» (ex. 09/03/2024 a@b.fr 1)",
        "an assessment “date assessor level” (e.g. 09/03/2024 a@b.fr 1)",
    ),
)

UNKNOWN_FRAMEWORK = Text("référentiel inconnu", "unknown framework")
WHICH_VERSION = Text(
    "désigne plusieurs versions\u00a0: précisez-la ({versions})",
    "matches several versions: say which ({versions})",
)
WHICH_FRAMEWORK = Text(
    "référentiel à préciser\u00a0: la base en compte {count} ({frameworks})",
    "framework needed: the database holds {count} ({frameworks})",
)
NO_FRAMEWORK = Text("aucun référentiel dans la base", "no framework in the database")


def find_framework(
    row: Row, store: Store, column: str, code: str, version: int | None, text: str
) -> Key | None:
    """The framework named ``code`` (and ``version``), or note why there is none."""
    known = list(store.table("framework").rows)
    candidates = [k for k in known if k[0] == code and version in (None, k[1])]
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        versions = ", ".join(framework_text(k) for k in sorted(candidates))
        row.reading.problem(row.line, column, text, WHICH_VERSION.format(versions=versions))
    else:
        hint = closest(text, (framework_text(k) for k in known))
        row.reading.problem(row.line, column, text, UNKNOWN_FRAMEWORK, hint)
    return None


def row_framework(row: Row, store: Store, column: str, *, needed: bool) -> Key | None:
    """The framework a row names in ``column``, or the only one in the database."""
    value = row.get(column)
    if value is not None:
        return find_framework(row, store, column, value[0], value[1], row.texts[column])
    if not needed or column in row.texts:
        return None
    known = sorted(store.table("framework").rows)
    if len(known) == 1:
        return known[0]
    reason = (
        WHICH_FRAMEWORK.format(
            count=len(known), frameworks=", ".join(framework_text(k) for k in known)
        )
        if known
        else NO_FRAMEWORK
    )
    row.reading.problem(row.line, column, None, reason)
    return None


def competency_ref(
    row: Row, store: Store, column: str, value: tuple[Any, ...], framework: Key | None
) -> Ref | None:
    """The competency an item names (``ETH-01`` or ``RCM v2 ETH-01``), as a reference."""
    code, version, competency = value
    text = competency_text(value)
    if code is not None:
        framework = find_framework(row, store, column, code, version, text)
    if framework is None:
        return None
    return Ref("competency", (framework, competency), column, text, context=1)


def competency_item(key: Key, framework: Key | None) -> tuple[Any, ...]:
    """A competency as a cell item, relative to the row's framework."""
    own, code = key
    return (None, None, code) if own == framework else (own[0], own[1], code)


def main_framework(competencies: Iterable[Key]) -> Key | None:
    """The framework most of these competencies belong to."""
    counts = Counter(key[0] for key in competencies)
    return min(counts, key=lambda k: (-counts[k], k)) if counts else None


def by_pk(table: Table) -> list[Key]:
    """A table's keys in the order their rows were written (referenced rows first)."""
    return sorted(table.rows, key=table.pks.__getitem__)


def bound_row(kind: Kind, entity: Entity, key: Key, fields: dict[str, Any]) -> ExportRow:
    """The cells of the kind's bound columns for one row (references as their codes)."""
    natural = dict(zip((f.name for f in entity.key), key, strict=True)) | fields
    row: ExportRow = {}
    for column in kind.columns:
        if column.field is None:
            continue
        value = natural.get(column.field)
        if value is not None and column.ref is not None:
            value = frozenset(v[0] for v in value) if column.type.many else value[0]
        row[column.key] = value
    return row
