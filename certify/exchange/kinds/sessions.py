"""Training sessions and their attendance: one row per participant.

A session is identified by its module, site and first day; its last day and trainers
repeat on each of its rows. A row without a participant describes the session alone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from certify.access.permissions import Action
from certify.exchange.cells import ListCell, NumberCell
from certify.exchange.checking import Checking, scope_covers
from certify.exchange.columns import Blank, Column
from certify.exchange.entities import ATTENDANCE, SESSION, Key
from certify.exchange.kind import ExportRow, Kind, Nest, Visible
from certify.exchange.kinds.common import DAY, EMAIL, REFERENCE, by_pk
from certify.exchange.messages import Text
from certify.exchange.rows import Item, Row
from certify.exchange.store import Store
from certify.rules.scope import Scope

COLUMNS = (
    Column(
        "module",
        "Module",
        "Module",
        REFERENCE,
        required=True,
        ref="module",
        aliases=("code module",),
    ),
    Column(
        "site", "Site", "Site", REFERENCE, required=True, ref="site", aliases=("code site", "lieu")
    ),
    Column(
        "start",
        "Début",
        "Start",
        DAY,
        required=True,
        aliases=("date de début", "premier jour", "du", "start date", "starts on"),
    ),
    Column(
        "end",
        "Fin",
        "End",
        DAY,
        required=True,
        aliases=("date de fin", "dernier jour", "au", "end date", "ends on"),
    ),
    Column(
        "trainers",
        "Formateurs",
        "Trainers",
        ListCell(EMAIL),
        ref="person",
        blank=Blank.EMPTY,
        aliases=("formateur", "formatrice", "formateurs et formatrices", "intervenants", "trainer"),
    ),
    Column(
        "participant",
        "Participant",
        "Participant",
        EMAIL,
        ref="person",
        aliases=("participante", "stagiaire", "adresse électronique", "participant e-mail"),
    ),
    Column(
        "hours",
        "Heures de présence",
        "Hours present",
        NumberCell(),
        blank=Blank.KEEP,
        aliases=("heures", "présence (heures)", "hours"),
    ),
)

ENDS_BEFORE_START = Text("est antérieure au début de la session", "is before the session starts")
NOT_STAFF_OF_SITE = Text(
    "hors du personnel de {site} ou de ses centres", "not staff of {site} or its centres"
)
TOO_MANY_HOURS = Text(
    "dépasse la durée du module ({hours} h)", "exceeds the module's duration ({hours} h)"
)


def items(row: Row, store: Store) -> list[Item | None]:
    """The session of a row and, when a participant is named, their attendance."""
    module, site, start = row.ref("module", "module"), row.ref("site", "site"), row.get("start")
    key = (module, site, start)
    found = [
        row.make(
            SESSION, key, ("module", "site", "start"), {"ends_on": "end", "trainers": "trainers"}
        )
    ]
    participant = row.ref("person", "participant")
    if participant is not None and None not in key:
        attendance = row.make(
            ATTENDANCE, (key, participant), ("participant",), {"hours_present": "hours"}
        )
        if attendance is not None:
            attendance.defaults["hours_present"] = Decimal(0)
        found.append(attendance)
    return found


def check(checking: Checking) -> None:
    """Dates ordered, hours within the module's, sites within the actor's scope; never the
    actor as a participant; new participants staff of the session's site, in the scope."""
    for item in checking.each(SESSION):
        ends = item.fields.get("ends_on")
        if ends is not None and ends < item.key[2]:
            checking.flag(item, "ends_on", ENDS_BEFORE_START)
        checking.within_scope(item, item.key[1], "site")
    for item in checking.each(ATTENDANCE):
        (module_key, site, _), person = item.key
        checking.not_for_oneself(item, person, "person", Action.RECORD_ATTENDANCE)
        holder = (checking.store.row("person", person) or {}).get("site")
        if checking.store.row("attendance", item.key) is None:  # a new participant
            session_site = Scope.sites(checking.store.tables["site"].id(site))
            if holder is not None and not scope_covers(checking.store, session_site, holder):
                checking.flag(item, "person", NOT_STAFF_OF_SITE.format(site=site[0]))
            checking.within_scope(item, holder, "person")
        module = checking.store.row("module", module_key) or {}
        hours = item.fields.get("hours_present")
        if hours is not None and "hours" in module and hours > module["hours"]:
            limit = f"{Decimal(module['hours']):f}".rstrip("0").rstrip(".")
            checking.flag(item, "hours_present", TOO_MANY_HOURS.format(hours=limit))


def rows(store: Store, visible: Visible) -> Iterator[ExportRow]:
    """Every session of the visible sites, one row per participant (or one alone)."""
    attendances: dict[Key, list[Key]] = defaultdict(list)
    table = store.table("attendance")
    for key in by_pk(table):
        attendances[key[0]].append(key)
    sessions = store.table("session")
    for key in by_pk(sessions):
        module, site, start = key
        if not visible(site):
            continue
        fields = sessions.rows[key]
        head: ExportRow = {
            "module": module[0],
            "site": site[0],
            "start": start,
            "end": fields["ends_on"],
            "trainers": frozenset(t[0] for t in fields["trainers"]),
        }
        if not attendances[key]:
            yield head
        for attendance in attendances[key]:
            hours = table.rows[attendance]["hours_present"]
            yield head | {"participant": attendance[1][0], "hours": Decimal(hours)}


KIND = Kind(
    name="sessions",
    names=("sessions", "seances", "attendance", "presences"),
    label=Text("sessions et présences", "sessions and attendance"),
    columns=COLUMNS,
    entities=(SESSION, ATTENDANCE),
    items=items,
    rows=rows,
    repeated=frozenset({"session"}),
    check=check,
    nesting=(Nest("participants", ("participant", "hours")),),
)
