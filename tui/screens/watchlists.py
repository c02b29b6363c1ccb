"""What a coordinator watches: certifications expiring soon, and the queue of people to certify."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Footer, Header, Select, Static

from certify.access.narrowing import DashboardFilters
from certify.access.permissions import Action, may_issue_certificates
from certify.exchange.view_export import PersonLine
from certify.model import RecipientKind
from certify.store.paging import Page
from certify.views.labels import PROGRESS_STATUSES
from certify.views.reminder_lines import DueLine, SentLine
from certify.views.watchlists import HORIZONS, ExpiringLine, QueueLine
from tui import wording
from tui.i18n import N_, _, language, ngettext
from tui.saving import save
from tui.screens.base import Audience
from tui.screens.dialogs import ConfirmDialog
from tui.screens.issuing import IssueDialog, IssueOutcome, QueueKey
from tui.screens.paged import PAGING, PagedScreen
from tui.screens.passphrase import when_signing_ready
from tui.widgets.columns import FittedTable, laid_out, spare_width, widths
from tui.workers import deliver

#: A line of a watchlist.
L = TypeVar("L", bound=PersonLine)
#: The horizon the expiring list opens with: the next three months.
FIRST_HORIZON = 90
#: Narrowest the name column gets (wider lists scroll sideways).
NAME_WIDTH = 16
#: Each horizon's key label (marked, translated when shown).
HORIZON_LABELS: dict[int, str] = {30: N_("30 days"), 90: N_("90 days"), 180: N_("180 days")}


def fill_people(
    table: DataTable[object],
    labels: Sequence[str],
    rows: Sequence[Sequence[str]],
    stretch: int,
    optional: Sequence[int] = (),
) -> None:
    """Put ``rows`` in ``table``, column ``stretch`` (the name) taking the width left.

    The ``optional`` columns (repeated under the list) are left out, in that order, while
    the others do not fit; what still does not fit scrolls sideways.
    """
    if not laid_out(table):
        return
    sizes = widths(labels, rows)
    sizes[stretch] = min(sizes[stretch], NAME_WIDTH)
    shown = list(range(len(labels)))
    for column in optional:
        if fits(table, [sizes[index] for index in shown]):
            break
        shown.remove(column)
    others = [sizes[index] for index in shown if index != stretch]
    sizes[stretch] = max(spare_width(table, others), sizes[stretch])
    cursor = table.cursor_coordinate
    table.clear(columns=True)
    for index in shown:
        table.add_column(labels[index], width=sizes[index])
    for row in rows:
        table.add_row(*(wording.one_line(row[index]) for index in shown))
    table.cursor_coordinate = cursor


def fits(table: DataTable[object], sizes: Sequence[int]) -> bool:
    """Whether columns of these widths (and their padding) fit in the table's width."""
    padding = 2 * table.cell_padding * len(sizes)
    return sum(sizes) + padding + table.styles.scrollbar_size_vertical <= table.size.width


class WatchlistScreen(PagedScreen[Page[L]]):
    """A watchlist: the page shown, each line naming a person."""

    def __init__(self) -> None:
        """No page read yet."""
        super().__init__()
        self._page: Page[L] = Page((), 0, 0, self.PAGE)

    def highlighted(self) -> L | None:
        """The line under the cursor."""
        row = self.query_one(DataTable).cursor_row
        return self._page.items[row] if 0 <= row < len(self._page.items) else None

    def person_at_cursor(self) -> int | None:
        """The person on the highlighted line."""
        line = self.highlighted()
        return line.person.id if line else None

    def show(self, result: Page[L]) -> None:
        """Show a page just read."""
        self._page = result
        self.counted(result)
        self.fill()

    def on_fitted_table_resized(self) -> None:
        """Names take the width there is."""
        self.fill()

    def fill(self) -> None:
        """Put the page in the table."""
        raise NotImplementedError


class ExpiringScreen(WatchlistScreen[ExpiringLine]):
    """Certifications ending within 30, 90 or 180 days in the coordinator's view."""

    NAME = N_("Expiring certifications")
    AUDIENCE = Audience(action=Action.VIEW_PROGRESS)
    HELP = N_(
        "Certifications of your scope (narrowed by the dashboard's filters) ending within "
        "30, 90 or 180 days, soonest first: 1, 2 and 3 switch the horizon. For each: the "
        "days left, the requirements of a renewal still missing, and whether a renewal may "
        "be issued now. Enter opens the person; f9 saves the whole list as CSV."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            str(number),
            f"horizon({days})",
            HORIZON_LABELS[days],
            id=f"expiring.horizon-{days}",
            tooltip=N_("Certifications ending within this many days"),
        )
        for number, days in enumerate(HORIZONS, start=1)
    ] + [
        Binding(
            "m",
            "reminders",
            N_("Reminders"),
            id="expiring.reminders",
            tooltip=N_("The expiry reminders due, and those sent"),
        ),
        *PAGING,
    ]

    def __init__(self, filters: DashboardFilters) -> None:
        """The expiring list of the dashboard's ``filters``."""
        super().__init__()
        #: The dashboard's filters.
        self.filters = filters
        #: Days ahead the list looks.
        self.horizon = FIRST_HORIZON

    def compose(self) -> ComposeResult:
        """The horizon, the list and the highlighted line in full."""
        yield Header()
        with Horizontal(id="filters"):
            yield Select(
                ((_("Within {days} days").format(days=days), days) for days in HORIZONS),
                value=self.horizon,
                allow_blank=False,
                id="horizon",
            )
        yield FittedTable(id="watchlist", cursor_type="row", zebra_stripes=True)
        yield Static(id="watch-status", classes="status")
        yield Footer()

    def action_horizon(self, days: int) -> None:
        """Look ``days`` ahead (the select follows)."""
        self.query_one("#horizon", Select).value = days

    def action_reminders(self) -> None:
        """The expiry reminders of the scope: due, and sent."""
        self.app.push_screen(RemindersScreen())

    @on(Select.Changed, "#horizon")
    def horizon_changed(self, event: Select.Changed) -> None:
        """Read the list again for the horizon chosen."""
        if isinstance(event.value, int) and event.value != self.horizon:
            self.horizon = event.value
            self.restart()

    def fetch(self, offset: int, limit: int) -> Page[ExpiringLine]:
        """One page of the list, for the horizon chosen."""
        return self.backend.expiring(self.actor, self.horizon, self.filters, offset, limit)

    def fill(self) -> None:
        """Put the page in the table."""
        labels = [
            _("Person"),
            _("Site"),
            _("Programme"),
            _("Serial"),
            _("Expires"),
            _("Days"),
            _("Missing"),
            _("Renewable"),
        ]
        rows = [
            [
                line.person.name,
                line.person.site.code,
                line.programme.code,
                line.serial,
                wording.day(line.valid_until),
                str(line.days_left),
                str(line.missing),
                _("yes") if line.renewable else _("no"),
            ]
            for line in self._page.items
        ]
        fill_people(self.query_one(DataTable), labels, rows, stretch=0, optional=(3, 1))
        self.describe()

    @on(DataTable.RowHighlighted)
    def describe(self) -> None:
        """Under the list: the highlighted line in words, and the count."""
        line = self.highlighted()
        if line is None:
            about = _("No certification ends within {days} days.").format(days=self.horizon)
        else:
            about = f"{line.person.name} · {line.person.site.code} · {line.serial}"
        count = ngettext(
            "{count} certification ends within {days} days",
            "{count} certifications end within {days} days",
            self.total,
        ).format(count=wording.number(self.total), days=self.horizon)
        where = self.position()
        self.query_one("#watch-status", Static).update(
            f"{about}\n{count}" + (f" · {where}" if where else "")
        )

    def csv_filename(self) -> str:
        """« echeances-90-jours-2026-11-21.csv »."""
        return _("expiring-{days}-days-{day}.csv").format(
            days=self.horizon, day=self.backend.today.isoformat()
        )

    def csv(self) -> bytes:
        """The whole list for the horizon chosen."""
        return self.backend.expiring_csv(self.actor, self.horizon, self.filters)


class EligibleQueueScreen(WatchlistScreen[QueueLine]):
    """People a certificate may be issued to now; select some and issue in batches."""

    NAME = N_("Eligible, not yet certified")
    AUDIENCE = Audience(action=Action.ISSUE_CERTIFICATE)
    HELP = N_(
        "Everyone of your scope (narrowed by the dashboard's filters) who meets every "
        "requirement of a programme and holds no valid certificate, or may renew one now. "
        "Space selects the highlighted line, a selects the whole queue (every page), i "
        "issues the certificates of the selection after confirming: a progress bar shows "
        "the batches; escape stops after the batch under way. Enter opens the person; f9 "
        "saves the whole queue as CSV."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "space",
            "toggle_line",
            N_("Select"),
            id="queue.toggle",
            tooltip=N_("Select or unselect the highlighted line"),
        ),
        Binding(
            "a",
            "select_all",
            N_("Select all"),
            id="queue.select-all",
            tooltip=N_("Select the whole queue, every page (again: select nothing)"),
        ),
        Binding(
            "i",
            "issue",
            N_("Issue"),
            id="queue.issue",
            tooltip=N_("Issue the certificates of the selection"),
        ),
        *PAGING,
    ]

    def __init__(self, filters: DashboardFilters) -> None:
        """The queue of the dashboard's ``filters``."""
        super().__init__()
        #: The dashboard's filters.
        self.filters = filters
        #: Lines selected, on any page.
        self.selection: set[QueueKey] = set()

    def compose(self) -> ComposeResult:
        """The queue and the highlighted line in full."""
        yield Header()
        yield FittedTable(id="watchlist", cursor_type="row", zebra_stripes=True)
        yield Static(id="watch-status", classes="status")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Issuing is offered only to those who may issue."""
        if action == "issue":
            return may_issue_certificates(self.actor)
        return super().check_action(action, parameters)

    def fetch(self, offset: int, limit: int) -> Page[QueueLine]:
        """One page of the queue."""
        return self.backend.eligible_queue(self.actor, self.filters, offset, limit)

    def fill(self) -> None:
        """Put the page in the table, selected lines ticked."""
        labels = ["✓", _("Person"), _("Site"), _("Programme"), _("Status"), _("Expires")]
        rows = [
            [
                "✓" if key(line) in self.selection else "",
                line.person.name,
                line.person.site.code,
                line.programme.code,
                wording.pick(PROGRESS_STATUSES[line.status].fr, PROGRESS_STATUSES[line.status].en),
                wording.day(line.valid_until) if line.valid_until else "",
            ]
            for line in self._page.items
        ]
        fill_people(self.query_one(DataTable), labels, rows, stretch=1, optional=(2,))
        self.describe()

    @on(DataTable.RowHighlighted)
    def describe(self) -> None:
        """Under the list: the highlighted line in words, the selection and the count."""
        line = self.highlighted()
        if line is None:
            about = _("Nobody to certify in this view.")
        else:
            title = wording.pick(line.programme.title_fr, line.programme.title_en)
            about = f"{line.person.name} · {line.person.site.code} · {title}"
        count = ngettext(
            "{selected} selected of {count} in the queue",
            "{selected} selected of {count} in the queue",
            len(self.selection),
        ).format(selected=wording.number(len(self.selection)), count=wording.number(self.total))
        where = self.position()
        self.query_one("#watch-status", Static).update(
            f"{about}\n{count}" + (f" · {where}" if where else "")
        )

    def action_toggle_line(self) -> None:
        """Select the highlighted line, or unselect it; then go to the next line."""
        if (line := self.highlighted()) is None:
            return
        self.selection ^= {key(line)}
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.update_cell_at(
            Coordinate(row, 0), "✓" if key(line) in self.selection else "", update_width=False
        )
        table.move_cursor(row=row + 1)
        self.describe()

    @work(thread=True, exit_on_error=False, group="read", exclusive=True)
    def action_select_all(self) -> None:
        """Select every line of the queue, on every page (all selected already: none)."""
        queue = self.backend.eligible_queue(self.actor, self.filters)
        deliver(self.app, self.select_all, {key(line) for line in queue.items})

    def select_all(self, everyone: set[QueueKey]) -> None:
        """Select ``everyone`` (the whole queue), or nothing when they all were."""
        if everyone and everyone <= self.selection:
            self.selection = set()
            self.notify(_("Selection cleared."))
        else:
            self.selection = everyone
            self.notify(
                ngettext(
                    "The whole queue is selected: {count} line.",
                    "The whole queue is selected: {count} lines.",
                    len(everyone),
                ).format(count=len(everyone))
            )
        self.fill()

    def action_issue(self) -> None:
        """After confirming, issue the certificates of the selection."""
        count = len(self.selection)
        if not count:
            self.notify(
                _("Select lines first: space for one, a for the whole queue."),
                severity="warning",
            )
            return
        question = ngettext(
            "Issue {count} certificate?", "Issue {count} certificates?", count
        ).format(count=count)

        def confirmed(agreed: bool | None) -> None:
            """Issue, if the user agreed."""
            if agreed:
                when_signing_ready(
                    self,
                    self.backend,
                    lambda: self.app.push_screen(IssueDialog(self.selection), self.issued),
                )

        self.app.push_screen(ConfirmDialog(question, _("Issue")), confirmed)

    def issued(self, outcome: IssueOutcome | None) -> None:
        """Say what was issued (their serials) and what is left; read the queue again; offer
        to save the PDFs of those issued (signed here: there are keys)."""
        assert outcome is not None
        self.selection -= outcome.done
        issued = len(outcome.serials)
        message = ngettext(
            "{count} certificate issued.", "{count} certificates issued.", issued
        ).format(count=issued)
        if outcome.serials:
            message += " " + ngettext(
                "Serial: {first}.", "Serials: {first} … {last}.", issued
            ).format(first=outcome.serials[0], last=outcome.serials[-1])
        if held := len(outcome.done) - issued:
            message += " " + ngettext(
                "{count} person already held one.", "{count} people already held one.", held
            ).format(count=held)
        if left := outcome.total - len(outcome.done):
            message += " " + ngettext(
                "Stopped: {count} line not issued is still in the queue.",
                "Stopped: {count} lines not issued are still in the queue.",
                left,
            ).format(count=left)
        self.notify(message, title=_("Issuing"), severity="warning" if left else "information")
        self.restart()
        if outcome.serials and self.backend.has_key_ring:
            self.offer_pdfs(outcome.serials)

    def offer_pdfs(self, serials: list[str]) -> None:
        """Offer to save the PDFs of the certificates just issued, in one ZIP file."""
        question = ngettext(
            "Save the PDF of the certificate issued ({first})?",
            "Save the PDFs of the {count} certificates issued ({first} … {last}), in one ZIP file?",
            len(serials),
        ).format(count=len(serials), first=serials[0], last=serials[-1])
        actor, backend, language_used = self.actor, self.backend, language()
        name = _("certificates-{day}.zip").format(day=backend.today.isoformat())

        def answered(agreed: bool | None) -> None:
            """Save them, if the user wants."""
            if agreed:
                save(
                    self,
                    name,
                    "application/zip",
                    lambda: backend.certificates_zip(actor, serials, language_used),
                )

        self.app.push_screen(ConfirmDialog(question, _("Save the PDFs"), _("Close")), answered)

    def csv_filename(self) -> str:
        """« eligibles-2026-11-21.csv »."""
        return _("eligible-{day}.csv").format(day=self.backend.today.isoformat())

    def csv(self) -> bytes:
        """The whole queue."""
        return self.backend.eligible_queue_csv(self.actor, self.filters)


#: The reminders' two lists: those due, those sent.
DUE, SENT = "due", "sent"
#: Each list's label (marked, translated when shown).
REMINDER_LISTS: dict[str, str] = {DUE: N_("Due"), SENT: N_("Sent")}
#: Each kind of recipient, as the sent list names it (marked, translated when shown).
RECIPIENTS: dict[RecipientKind, str] = {
    RecipientKind.HOLDER: N_("holder"),
    RecipientKind.COORDINATORS: N_("coordinators"),
}


def threshold(days: int) -> str:
    """A reminder's threshold: « 30 jours avant », « à l'échéance »."""
    return _("on expiry") if days == 0 else _("{days} days before").format(days=days)


class RemindersScreen(WatchlistScreen[DueLine | SentLine]):
    """The expiry reminders of the coordinator's scope: the next due, and those sent."""

    NAME = N_("Expiry reminders")
    AUDIENCE = Audience(action=Action.VIEW_PROGRESS)
    HELP = N_(
        "The e-mails certify remind sends before a certification of your scope expires, "
        "90, 60, 30 and 7 days before and on expiry. 1 lists the next reminder each "
        "certification nearing its expiry will get (when it goes, and whether the holder "
        "opted out: their coordinators' digest still lists them); 2 lists those sent, most "
        "recent first, to the holder or in the coordinators' digest. Enter opens the person."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            str(number),
            f"show_list('{name}')",
            REMINDER_LISTS[name],
            id=f"reminders.{name}",
            tooltip=N_("Reminders due, or reminders sent"),
        )
        for number, name in enumerate((DUE, SENT), start=1)
    ] + PAGING

    def __init__(self) -> None:
        """The reminders due first; nothing read yet."""
        super().__init__()
        #: The list shown: :data:`DUE` or :data:`SENT`.
        self.shown = DUE

    def compose(self) -> ComposeResult:
        """The list chosen, the list and the highlighted line in full."""
        yield Header()
        with Horizontal(id="filters"):
            yield Select(
                ((_(label), name) for name, label in REMINDER_LISTS.items()),
                value=self.shown,
                allow_blank=False,
                id="reminder-list",
            )
        yield FittedTable(id="watchlist", cursor_type="row", zebra_stripes=True)
        yield Static(id="watch-status", classes="status")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No CSV export here: the lists are read on screen."""
        if action == "export":
            return False
        return super().check_action(action, parameters)

    def action_show_list(self, name: str) -> None:
        """Show the reminders due, or those sent (the select follows)."""
        self.query_one("#reminder-list", Select).value = name

    @on(Select.Changed, "#reminder-list")
    def list_changed(self, event: Select.Changed) -> None:
        """Read the list chosen."""
        if isinstance(event.value, str) and event.value != self.shown:
            self.shown = event.value
            self._page = Page((), 0, 0, self.PAGE)
            self.query_one(DataTable).clear(columns=True)
            self.restart()

    def fetch(self, offset: int, limit: int) -> Page[DueLine | SentLine]:
        """One page of the list shown."""
        if self.shown == SENT:
            sent = self.backend.sent_reminders(self.actor, offset, limit)
            return Page(sent.items, sent.total, sent.offset, sent.limit)
        due = self.backend.due_reminders(self.actor, offset, limit)
        return Page(due.items, due.total, due.offset, due.limit)

    def fill(self) -> None:
        """Put the page in the table."""
        if not self.loaded:
            return
        table = self.query_one(DataTable)
        if self.shown == SENT:
            labels = [
                _("Sent on"),
                _("Person"),
                _("Site"),
                _("Programme"),
                _("Serial"),
                _("Recipient"),
                _("Reminder"),
            ]
            rows = [
                [
                    wording.day(line.sent_at.date()),
                    line.person.name,
                    line.person.site.code,
                    line.programme_code,
                    line.serial,
                    _(RECIPIENTS[line.recipient_kind]),
                    threshold(line.threshold),
                ]
                for line in self._page.items
                if isinstance(line, SentLine)
            ]
            fill_people(table, labels, rows, stretch=1, optional=(4, 2))
        else:
            labels = [
                _("Person"),
                _("Site"),
                _("Programme"),
                _("Serial"),
                _("Expires"),
                _("Days"),
                _("Reminder"),
                _("Goes"),
                _("Opted out"),
            ]
            rows = [
                [
                    line.person.name,
                    line.person.site.code,
                    line.programme_code,
                    line.serial,
                    wording.day(line.valid_until),
                    str(line.days_left),
                    threshold(line.threshold),
                    _("today") if line.goes_on <= self.backend.today else wording.day(line.goes_on),
                    _("yes") if line.reminders_off else _("no"),
                ]
                for line in self._page.items
                if isinstance(line, DueLine)
            ]
            fill_people(table, labels, rows, stretch=0, optional=(3, 1, 4))
        self.describe()

    @on(DataTable.RowHighlighted)
    def describe(self) -> None:
        """Under the list: the highlighted line in words, and the count."""
        if not self.loaded:
            return
        status = self.query_one("#watch-status", Static)
        line = self.highlighted()
        if self.shown == SENT:
            empty = _("No reminder sent yet: certify remind sends them, daily from cron.")
            count = ngettext("{count} reminder sent", "{count} reminders sent", self.total).format(
                count=wording.number(self.total)
            )
        else:
            empty = _("No reminder due: no certification of your scope nears its expiry.")
            count = ngettext(
                "{count} reminder to come", "{count} reminders to come", self.total
            ).format(count=wording.number(self.total))
        if line is None:
            about = empty
        else:
            about = f"{line.person.name} · {line.person.site.code} · {line.serial}"
            if isinstance(line, DueLine):
                about += " · " + _("expires {day}").format(day=wording.day(line.valid_until))
        where = self.position()
        status.update(f"{about}\n{count}" + (f" · {where}" if where else ""))


def key(line: QueueLine) -> QueueKey:
    """The selection key of a line of the queue."""
    return line.person.id, line.programme.id
