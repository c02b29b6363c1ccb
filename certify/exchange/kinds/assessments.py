"""Assessments, past or recent, kept with their dates.

Natural key: person, competency, day, assessor and level — importing the same file twice
adds nothing. « Session »: ``M02 PARIS 03/09/2024``. A correction names the assessment it
corrects in « Corrige » (``09/03/2024 assessor@example.org 1``: day, assessor, level of
the same person's same competency), on an earlier line or already in the database.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from certify.access.permissions import Action
from certify.exchange.cells import IntegerCell, TextCell
from certify.exchange.checking import Checking
from certify.exchange.columns import Blank, Column
from certify.exchange.entities import ASSESSMENT
from certify.exchange.kind import ExportRow, Kind, Visible
from certify.exchange.kinds.common import (
    ASSESSMENT_REF,
    COMPETENCY_ITEM,
    DAY,
    EMAIL,
    FRAMEWORK_REF,
    METHODS,
    SESSION_REF,
    by_pk,
    competency_ref,
    row_framework,
)
from certify.exchange.messages import Text
from certify.exchange.rows import Item, Ref, Row
from certify.exchange.store import Store

COLUMNS = (
    Column(
        "person",
        "Personne",
        "Person",
        EMAIL,
        required=True,
        ref="person",
        aliases=("personne évaluée", "adresse électronique", "e-mail", "email", "assessed person"),
    ),
    Column("competency", "Compétence", "Competency", COMPETENCY_ITEM, required=True),
    Column("framework", "Référentiel", "Framework", FRAMEWORK_REF),
    Column("level", "Niveau", "Level", IntegerCell(0), required=True, aliases=("niveau atteint",)),
    Column(
        "date",
        "Date",
        "Date",
        DAY,
        required=True,
        aliases=("date de l'évaluation", "évalué le", "assessed on"),
    ),
    Column(
        "assessor",
        "Évaluateur",
        "Assessor",
        EMAIL,
        required=True,
        ref="person",
        aliases=("évaluatrice", "évaluateur ou évaluatrice", "évalué par", "assessed by"),
    ),
    Column("method", "Méthode", "Method", METHODS, required=True, aliases=("modalité",)),
    Column(
        "evidence",
        "Preuve",
        "Evidence",
        TextCell(10_000),
        blank=Blank.EMPTY,
        aliases=("preuves", "commentaire", "observations", "note"),
    ),
    Column("session", "Session", "Session", SESSION_REF, aliases=("séance", "séance de formation")),
    Column("supersedes", "Corrige", "Corrects", ASSESSMENT_REF, aliases=("correction de",)),
    Column(
        "reason",
        "Motif de correction",
        "Correction reason",
        TextCell(500),
        aliases=("motif", "correction reason"),
    ),
)

OFF_SCALE = Text("n'est pas un niveau de l'échelle ({levels})", "is not on the scale ({levels})")
SELF_ASSESSED = Text("nul ne s'évalue soi-même", "nobody assesses themselves")
IN_THE_FUTURE = Text("est dans le futur", "is in the future")
REASON_NEEDED = Text("une correction doit dire pourquoi", "a correction needs a reason")
NOT_EDITED = Text(
    "diffère de l'évaluation déjà enregistrée\u00a0: une évaluation ne se modifie pas, "
    "elle se corrige (colonnes Corrige et Motif de correction)",
    "differs from the assessment on record: assessments are never edited, they are "
    "corrected (columns Corrects and Correction reason)",
)
CORRECTED_TWICE = Text(
    "cette évaluation est déjà corrigée par une autre", "this assessment is corrected already"
)


def items(row: Row, store: Store) -> list[Item | None]:
    """The assessment of a row."""
    person, assessor = row.ref("person", "person"), row.ref("person", "assessor")
    written = row.get("competency")
    competency = None
    if written is not None:
        framework = row_framework(row, store, "framework", needed=written[0] is None)
        competency = competency_ref(row, store, "competency", written, framework)
    extra: dict[str, Ref | None] = {}
    if row.given("session"):
        extra["session"] = _session(row)
    if row.given("supersedes"):
        extra["supersedes"] = _corrected(row, person, competency)
    key = (person, competency, row.get("date"), assessor, row.get("level"))
    columns = ("person", "competency", "date", "assessor", "level")
    mapping = {"method": "method", "evidence": "evidence", "correction_reason": "reason"}
    return [row.make(ASSESSMENT, key, columns, mapping, **extra)]


def _session(row: Row) -> Ref | None:
    """The session named in « Session »."""
    value = row.get("session")
    if value is None:
        return None
    module, site, start = value
    return Ref("session", ((module,), (site,), start), "session", row.texts["session"])


def _corrected(row: Row, person: Ref | None, competency: Ref | None) -> Ref | None:
    """The assessment of the same person and competency named in « Corrige »."""
    value = row.get("supersedes")
    if value is None or person is None or competency is None:
        return None
    day, assessor, level = value
    key = (person.key, competency.key, day, (assessor,), level)
    return Ref("assessment", key, "supersedes", row.texts["supersedes"])


def check(checking: Checking) -> None:
    """Levels on the scale, nobody self-assessed (nor assessing under another's name), no
    future date, corrections explained."""
    corrected = Counter(
        fields["supersedes"]
        for fields in checking.store.table("assessment").rows.values()
        if fields["supersedes"] is not None
    )
    today = checking.today
    for item in checking.each(ASSESSMENT):
        person, competency, day, assessor, level = item.key
        scale = (checking.store.row("framework", competency[0]) or {}).get("scale", ())
        levels = sorted(lv for lv, _, _ in scale)
        if level not in levels:
            bounds = "–".join(str(lv) for lv in levels[:: max(len(levels) - 1, 1)])
            checking.flag(item, "level", OFF_SCALE.format(levels=bounds))
        if person == assessor:
            checking.flag(item, "assessor", SELF_ASSESSED)
        if day > today:
            checking.flag(item, "assessed_on", IN_THE_FUTURE)
        for field in sorted(checking.changed(item)):
            checking.flag(item, field, NOT_EDITED)
        target = item.fields.get("supersedes")
        if target is not None:
            if not item.fields.get("correction_reason"):
                checking.flag(item, "correction_reason", REASON_NEEDED)
            stored = checking.store.row("assessment", item.key) or {}
            corrected[target] += stored.get("supersedes") != target
            if corrected[target] > 1:
                checking.flag(item, "supersedes", CORRECTED_TWICE)
        site = (checking.store.row("person", person) or {}).get("site")
        checking.within_scope(item, site, "person")
        action = Action.CORRECT_ASSESSMENT if target is not None else Action.RECORD_ASSESSMENT
        checking.not_for_oneself(item, person, "person", action)


def rows(store: Store, visible: Visible) -> Iterator[ExportRow]:
    """Every assessment of people of the visible sites, in the order they were recorded."""
    table = store.table("assessment")
    people = store.table("person").rows
    for key in by_pk(table):
        person, competency, day, assessor, level = key
        if not visible(people[person]["site"]):
            continue
        fields = table.rows[key]
        session, corrected = fields["session"], fields["supersedes"]
        yield {
            "person": person[0],
            "competency": (None, None, competency[1]),
            "framework": competency[0],
            "level": level,
            "date": day,
            "assessor": assessor[0],
            "method": fields["method"],
            "evidence": fields["evidence"],
            "session": (session[0][0], session[1][0], session[2]) if session else None,
            "supersedes": (corrected[2], corrected[3][0], corrected[4]) if corrected else None,
            "reason": fields["correction_reason"],
        }


KIND = Kind(
    name="assessments",
    names=("assessments", "evaluations", "assessment", "evaluation"),
    label=Text("évaluations", "assessments"),
    columns=COLUMNS,
    entities=(ASSESSMENT,),
    items=items,
    rows=rows,
    check=check,
)
