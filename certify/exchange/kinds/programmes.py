"""Certification programmes (natural key: the code) and their requirements.

« Compétences requises »: ``ETH-01:2, ETH-02:2`` (code and minimum level); « Modules
requis »: ``M01, M02``; « Prérequis »: ``CERT-ACC (24 mois)`` — a programme whose
certificate must be held, for at least so many months (none when left out).
"""

from __future__ import annotations

from collections.abc import Iterator

from certify.exchange.cells import IntegerCell, ListCell, TextCell
from certify.exchange.checking import Checking
from certify.exchange.columns import Blank, Column
from certify.exchange.entities import PROGRAMME
from certify.exchange.kind import ExportRow, Kind, Visible
from certify.exchange.kinds.common import (
    CODE,
    FRAMEWORK_REF,
    PREREQUISITE,
    REFERENCE,
    REQUIREMENT,
    TITLE_COLUMNS,
    bound_row,
    by_pk,
    competency_item,
    competency_ref,
    framework_text,
    row_framework,
)
from certify.exchange.messages import Text
from certify.exchange.rows import Item, Ref, Row
from certify.exchange.store import Store

COLUMNS = (
    Column("code", "Code", "Code", CODE, required=True, field="code", aliases=("code programme",)),
    *TITLE_COLUMNS,
    Column("framework", "Référentiel", "Framework", FRAMEWORK_REF, required=True),
    Column(
        "validity_months",
        "Validité (mois)",
        "Validity (months)",
        IntegerCell(1),
        required=True,
        field="validity_months",
        aliases=("validité", "durée de validité", "validity"),
    ),
    Column(
        "recert_window_months",
        "Fenêtre de renouvellement (mois)",
        "Renewal window (months)",
        IntegerCell(0),
        required=True,
        field="recert_window_months",
        aliases=("fenêtre de renouvellement", "renewal window"),
    ),
    Column(
        "recertification_note",
        "Conditions de recertification",
        "Recertification note",
        TextCell(5000),
        field="recertification_note",
        blank=Blank.EMPTY,
        aliases=("recertification", "note"),
    ),
    Column(
        "competencies",
        "Compétences requises",
        "Required competencies",
        ListCell(REQUIREMENT),
        blank=Blank.EMPTY,
        aliases=("compétences", "competencies"),
    ),
    Column(
        "modules",
        "Modules requis",
        "Required modules",
        ListCell(REFERENCE),
        field="modules",
        ref="module",
        blank=Blank.EMPTY,
        aliases=("modules",),
    ),
    Column(
        "prerequisites",
        "Prérequis",
        "Prerequisites",
        ListCell(PREREQUISITE),
        blank=Blank.EMPTY,
        aliases=("programmes prérequis", "prerequisite"),
    ),
)

WINDOW_TOO_LONG = Text("doit être plus courte que la validité", "must be shorter than the validity")
LEVEL_OFF_SCALE = Text(
    "niveau {level} absent de l'échelle du référentiel", "level {level} is not on the scale"
)
REQUIRES_ITSELF = Text(
    "un programme ne peut se requérir lui-même", "a programme cannot require itself"
)


def items(row: Row, store: Store) -> list[Item | None]:
    """The programme of a row, with its required competencies, modules and prerequisites."""
    framework = row_framework(row, store, "framework", needed=True)
    extra: dict[str, object] = {}
    if framework is not None:
        text = row.texts.get("framework", framework_text(framework))
        extra["framework"] = Ref("framework", framework, "framework", text)
    if row.given("competencies") and framework is not None:
        required = [
            (competency_ref(row, store, "competencies", value, framework), level)
            for value, level in row.get("competencies") or ()
        ]
        extra["competencies"] = frozenset((r, level) for r, level in required if r is not None)
    if row.given("prerequisites"):
        extra["prerequisites"] = frozenset(
            (Ref("programme", (code,), "prerequisites", code), months or 0)
            for code, months in row.get("prerequisites") or ()
        )
    return [row.item(PROGRAMME, **extra)]


def check(checking: Checking) -> None:
    """Window within validity; levels on the scale; no programme requiring itself."""
    for item in checking.each(PROGRAMME):
        programme = checking.current("programme", item.key) or {}
        window, validity = programme.get("recert_window_months"), programme.get("validity_months")
        if window is not None and validity is not None and window >= validity:
            checking.flag(item, "recert_window_months", WINDOW_TOO_LONG)
        for competency, level in item.fields.get("competencies", ()):
            scale = (checking.store.row("framework", competency[0]) or {}).get("scale", ())
            if level not in {lv for lv, _, _ in scale}:
                checking.flag(
                    item, "competencies", LEVEL_OFF_SCALE.format(level=level), competency[1]
                )
        if any(key == item.key for key, _ in item.fields.get("prerequisites", ())):
            checking.flag(item, "prerequisites", REQUIRES_ITSELF)


def rows(store: Store, visible: Visible) -> Iterator[ExportRow]:
    """Every programme, in the order they were recorded."""
    table = store.table("programme")
    for key in by_pk(table):
        fields = table.rows[key]
        framework = fields["framework"]
        yield bound_row(KIND, PROGRAMME, key, fields) | {
            "framework": framework,
            "competencies": frozenset(
                (competency_item(c, framework), level) for c, level in fields["competencies"]
            ),
            "prerequisites": frozenset((p[0], months) for p, months in fields["prerequisites"]),
        }


KIND = Kind(
    name="programmes",
    names=("programmes", "programme", "programs"),
    label=Text("programmes", "programmes"),
    columns=COLUMNS,
    entities=(PROGRAMME,),
    items=items,
    rows=rows,
    reference=True,
    check=check,
)
