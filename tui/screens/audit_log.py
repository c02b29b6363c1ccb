"""The audit trail as admins and coordinators read it: newest first, filtered, a page at a time.

Read by :func:`certify.views.audit_log.audit_log` through the backend, paged by key (each
page holds the events numbered below the last one of the page before it), so that a page
of a trail of 100,000 events costs what the first one does.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Header, Input, Static

from certify.access.permissions import Action
from certify.errors import CertifyError
from certify.parsing import fold
from certify.rules.audit_actions import ACTION_LABELS
from certify.rules.written_dates import written_date
from certify.views.audit_log import AuditFilters, AuditLine, AuditPage
from tui import wording
from tui.failures import report
from tui.i18n import N_, _, language, ngettext
from tui.screens.base import Audience
from tui.screens.paged import PAGING, PagedScreen
from tui.widgets.columns import FittedTable, laid_out, spare_width, widths

#: The filter fields: id, placeholder and tooltip (marked, translated when shown).
FIELDS: tuple[tuple[str, str, str], ...] = (
    ("audit-person", N_("Person"), N_("Events about this person: e-mail, id or name")),
    ("audit-actor", N_("By (account)"), N_("Events by this user name, or by system")),
    ("audit-action", N_("Action"), N_("Words of actions' labels or codes, comma-separated")),
    ("audit-since", N_("From dd/mm/yyyy"), N_("Events on or after this day")),
    ("audit-until", N_("To dd/mm/yyyy"), N_("Events on or before this day")),
)


def matching_actions(text: str) -> tuple[str, ...]:
    """The actions named by ``text``: comma-separated codes, or words of their labels.

    A term holding a dot is taken as an action's code as it is (imports write
    ``<entity>.imported``); any other term names every action whose code or label, in
    either language, contains it, accents and case ignored.
    """
    found: set[str] = set()
    for term in (fold(part) for part in text.split(",")):
        if not term:
            continue
        named = {
            action
            for action, label in ACTION_LABELS.items()
            if term in fold(action) or term in fold(label.fr) or term in fold(label.en)
        }
        if "." in term:
            named.add(term)
        if not named:
            raise CertifyError(
                _("No action is called {term!r}: type a word of its label, e.g. {example}").format(
                    term=term, example=_("assessment")
                )
            )
        found |= named
    return tuple(sorted(found))


def written_time(moment: datetime) -> str:
    """« 21 novembre 2026 à 14 h 05 », "21 November 2026 at 14:05"."""
    return _("{day} at {time}").format(
        day=written_date(moment.date(), language()), time=moment.strftime(_("%H:%M"))
    )


def details_text(line: AuditLine) -> str:
    """The whole payload of an event, one value a line (changes as ``before → after``)."""
    before = line.details.get("before") or {}
    after = line.details.get("after") or {}
    rows: list[str] = []
    if isinstance(before, dict) and isinstance(after, dict):
        for key in [*after, *(k for k in before if k not in after)]:
            new = shown(after[key]) if key in after else "∅"
            rows.append(
                f"{key}: {shown(before[key])} → {new}" if key in before else f"{key}: {new}"
            )
    rows += [
        f"{key}: {shown(value)}"
        for key, value in line.details.items()
        if key not in ("before", "after")
    ]
    return "\n".join(rows) or _("No details.")


def shown(value: Any) -> str:
    """A payload value as it reads: lists and objects as compact JSON."""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


class AuditLogScreen(PagedScreen[AuditPage]):
    """Who did what, to whom and when, within the reader's scope."""

    NAME = N_("Audit trail")
    AUDIENCE = Audience(action=Action.READ_AUDIT)
    AUTO_FOCUS = "#audit-table"
    HELP = N_(
        "Every change certify recorded, newest first: when, by whom, what, about whom, and "
        "its details under the list. Administrators read the whole network; a coordinator "
        "reads the events about the people of their scope and their own. Type in the fields "
        "above the list to narrow it (a person, an account or system, an action, from and to "
        "dates), then enter. pagedown and pageup move between pages; enter on an event opens "
        "the person it is about."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "slash",
            "filter",
            N_("Filter"),
            id="audit.filter",
            tooltip=N_("Narrow the trail to a person, an account, an action or dates"),
        ),
        *(binding for binding in PAGING if getattr(binding, "id", None) != "paged.export"),
    ]

    def __init__(self) -> None:
        """The whole trail the reader may read; nothing read yet."""
        super().__init__()
        #: What the trail is narrowed to (the person apart: typed, found when reading).
        self.filters = AuditFilters()
        #: The person typed, as typed.
        self.person = ""
        #: The ``before`` of each page from the first to the one shown.
        self.befores: list[int | None] = [None]
        #: The page shown.
        self.page = AuditPage((), None)

    def compose(self) -> ComposeResult:
        """The filters, the page of events, the highlighted event's details."""
        yield Header()
        with Horizontal(id="audit-filters"):
            for field_id, placeholder, tooltip in FIELDS:
                field = Input(placeholder=_(placeholder), id=field_id, select_on_focus=False)
                field.tooltip = _(tooltip)
                yield field
        yield Static(id="audit-position", classes="heading")
        yield FittedTable(id="audit-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="audit-details")
        yield Footer()

    def fetch(self, offset: int, limit: int) -> AuditPage:
        """In a worker: the page below the last event of the page before."""
        return self.backend.audit_log(
            self.actor, self.filters, self.person, self.befores[-1], limit
        )

    def show(self, result: AuditPage) -> None:
        """Show a page just read, the cursor on its newest event."""
        self.page = result
        self.first_line = (len(self.befores) - 1) * self.PAGE
        self.refresh_bindings()
        self.query_one("#audit-position", Static).update(self.position())
        self.fill()
        self.query_one(DataTable).move_cursor(row=0)

    def on_fitted_table_resized(self) -> None:
        """Details take the width there is."""
        self.fill()

    def fill(self) -> None:
        """Put the page in the table: when, by whom, what, about whom, details."""
        table = self.query_one(DataTable)
        if not laid_out(table):
            return
        labels = [_("When"), _("By"), _("Action"), _("About")]
        rows = [
            [
                written_time(line.local_time),
                line.actor,
                line.label.in_(language()),
                line.person or "",
            ]
            for line in self.page.lines
        ]
        sizes = widths(labels, rows)
        table.clear(columns=True)
        for label, size in zip(labels, sizes, strict=True):
            table.add_column(label, width=size)
        table.add_column(_("Details"), width=spare_width(table, sizes))
        for line, row in zip(self.page.lines, rows, strict=True):
            table.add_row(*map(wording.one_line, [*row, line.summary]), key=str(line.id))
        self.describe()

    def highlighted(self) -> AuditLine | None:
        """The event under the cursor."""
        row = self.query_one(DataTable).cursor_row
        return self.page.lines[row] if 0 <= row < len(self.page.lines) else None

    def person_at_cursor(self) -> int | None:
        """The person the highlighted event is about."""
        line = self.highlighted()
        return line.person_id if line else None

    @on(DataTable.RowHighlighted)
    def describe(self) -> None:
        """Under the list: the highlighted event whole."""
        line = self.highlighted()
        panel = self.query_one("#audit-details", Static)
        if line is None:
            panel.update(_("No event: change the filters."))
            return
        heading = _("Event no. {number} · {action} · {entity} {key}").format(
            number=line.id, action=line.action, entity=line.entity_type, key=line.entity_key
        )
        panel.update(f"{heading}\n{details_text(line)}")

    def position(self) -> str:
        """Where the page stands: « événements 51 à 100 · page 2 »."""
        count = len(self.page.lines)
        if count == 0:
            return _("No event")
        if self.page.next_before is None and len(self.befores) == 1:
            return ngettext("{count} event", "{count} events", count).format(count=count)
        return _("events {first}–{last} · page {page} (pgdn, pgup)").format(
            first=wording.number(self.first_line + 1),
            last=wording.number(self.first_line + len(self.page.lines)),
            page=wording.number(len(self.befores)),
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Paging keys while there is more than one page, dimmed at either end."""
        if action == "page":
            older = self.page.next_before is not None
            newer = len(self.befores) > 1
            if not older and not newer:
                return False
            return True if (older if parameters[0] == 1 else newer) else None
        return super().check_action(action, parameters)

    def action_page(self, step: int) -> None:
        """The next (older, ``step`` 1) or previous (newer, -1) page."""
        if step > 0 and self.page.next_before is not None:
            self.befores.append(self.page.next_before)
            self.read()
        elif step < 0 and len(self.befores) > 1:
            self.befores.pop()
            self.read()

    def action_filter(self) -> None:
        """Go to the first filter field."""
        self.query_one("#audit-person", Input).focus()

    @on(Input.Submitted)
    def narrow(self) -> None:
        """Enter in a filter field: read the first page of the trail so narrowed."""
        values = {name: self.query_one(f"#{name}", Input).value.strip() for name, *_texts in FIELDS}
        try:
            self.filters = AuditFilters(
                actor=values["audit-actor"] or None,
                actions=matching_actions(values["audit-action"]),
                since=day_or_none(values["audit-since"]),
                until=day_or_none(values["audit-until"]),
            )
        except CertifyError as error:
            report(self.app, error)
            return
        self.person = values["audit-person"]
        self.befores = [None]
        self.restart()
        self.query_one(DataTable).focus()


def day_or_none(text: str) -> date | None:
    """A day typed in a filter, ``None`` when left empty."""
    return wording.parse_day(text) if text else None
