"""Training modules (natural key: the code), with the competencies they cover.

Competencies are listed in one cell (« ETH-01, ETH-02 ») from the framework named in
« Référentiel » (optional when the database holds one framework); one from another
framework is written « RCM v2 ETH-01 ».
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from certify.exchange.cells import IntegerCell, ListCell, NumberCell
from certify.exchange.columns import Blank, Column
from certify.exchange.entities import MODULE
from certify.exchange.kind import ExportRow, Kind, Visible
from certify.exchange.kinds.common import (
    CODE,
    COMPETENCY_ITEM,
    FRAMEWORK_REF,
    TITLE_COLUMNS,
    bound_row,
    by_pk,
    competency_item,
    competency_ref,
    main_framework,
    row_framework,
)
from certify.exchange.messages import Text
from certify.exchange.rows import Item, Row
from certify.exchange.store import Store

COLUMNS = (
    Column("code", "Code", "Code", CODE, required=True, field="code", aliases=("code module",)),
    *TITLE_COLUMNS,
    Column(
        "hours",
        "Durée (heures)",
        "Hours",
        NumberCell(strict=True),
        required=True,
        field="hours",
        aliases=("durée", "heures", "duration"),
    ),
    Column(
        "refresh_months",
        "Renouvellement (mois)",
        "Refresh (months)",
        IntegerCell(1),
        field="refresh_months",
        aliases=("renouvellement", "recyclage (mois)", "refresh"),
    ),
    Column(
        "min_attendance_percent",
        "Présence minimale (%)",
        "Minimum attendance (%)",
        IntegerCell(1, 100),
        field="min_attendance_percent",
        blank=Blank.KEEP,
        aliases=("assiduité minimale", "assiduité", "minimum attendance"),
    ),
    Column("framework", "Référentiel", "Framework", FRAMEWORK_REF),
    Column(
        "competencies",
        "Compétences",
        "Competencies",
        ListCell(COMPETENCY_ITEM),
        blank=Blank.EMPTY,
        aliases=("compétences couvertes", "covered competencies"),
    ),
)


def items(row: Row, store: Store) -> list[Item | None]:
    """The module of a row, with references to the competencies it covers."""
    if not row.given("competencies"):
        return [row.item(MODULE)]
    listed = row.get("competencies") or ()
    framework = row_framework(
        row, store, "framework", needed=any(code is None for code, _, _ in listed)
    )
    references = [competency_ref(row, store, "competencies", value, framework) for value in listed]
    return [row.item(MODULE, competencies=frozenset(r for r in references if r is not None))]


def rows(store: Store, visible: Visible) -> Iterator[ExportRow]:
    """Every module, with its competencies relative to the framework most of them belong to."""
    table = store.table("module")
    for key in by_pk(table):
        fields = table.rows[key]
        framework = main_framework(fields["competencies"])
        yield bound_row(KIND, MODULE, key, fields) | {
            "framework": framework,
            "competencies": frozenset(
                competency_item(c, framework) for c in fields["competencies"]
            ),
            "hours": Decimal(fields["hours"]),
        }


KIND = Kind(
    name="modules",
    names=("modules", "module"),
    label=Text("modules", "modules"),
    columns=COLUMNS,
    entities=(MODULE,),
    items=items,
    rows=rows,
    reference=True,
)
