"""One person, for those who may see them: who, progress, certificates and assessments."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Header, Static, TabPane

from certify.access.permissions import Action
from certify.views.person_overview import PersonOverview
from tui import wording
from tui.backend import PersonHistory
from tui.i18n import N_, _
from tui.screens.base import Audience
from tui.screens.my_progress import StandingScreen, personal_data_keys
from tui.widgets.history import HistoryView
from tui.workers import deliver


def identity(overview: PersonOverview, today: date) -> str:
    """Two lines: name, whether they have left, roles and dates of activity; then site, region
    and employer."""
    person = overview.person
    since = wording.day(overview.active_from)
    active = (
        _("active since {day}").format(day=since)
        if overview.active_until is None
        else _("active {start} → {end}").format(start=since, end=wording.day(overview.active_until))
    )
    who = [person.name, wording.roles(frozenset(overview.roles)), active]
    if overview.active_until is not None and overview.active_until < today:
        who.insert(1, wording.departure(overview.active_until))
    where = [
        f"{person.site.code} {person.site.name}",
        overview.region,
        overview.employer or _("no employer recorded"),
    ]
    return " · ".join(who) + "\n" + " · ".join(where)


class PersonScreen(StandingScreen):
    """A person's page: identity, progress explained, certificates, assessment history."""

    NAME = N_("Person")
    AUDIENCE = Audience(action=Action.VIEW_PROGRESS)
    HELP = N_(
        "Everything about one person you may see: site, region, employer, roles and dates; "
        "their status in each programme with each requirement met or missing; their "
        "certificates with what a verifier would conclude today (s saves a PDF; "
        "coordinators of the person's site and administrators revoke with v and reissue "
        "with i, each with a reason and a confirmation); and their assessments, each with "
        "whether it still counts today (Enter shows everything about one). d saves "
        "everything certify holds about the person as JSON (their right of access: "
        "administrators, and coordinators within their scope)."
    )
    KEYS_FROM = (*StandingScreen.KEYS_FROM, HistoryView)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "p",
            "show_tab('progress')",
            N_("Progress"),
            id="person.progress",
            tooltip=N_("Status in each programme, explained"),
        ),
        Binding(
            "c",
            "show_tab('certificates')",
            N_("Certificates"),
            id="person.certificates",
            tooltip=N_("Certificates, their verification and PDFs"),
        ),
        Binding(
            "h",
            "show_tab('history')",
            N_("Assessments"),
            id="person.history",
            tooltip=N_("Assessments, newest first"),
        ),
        *personal_data_keys(
            (N_("Personal data"), N_("Personal data (PDF)")),
            "person.data",
            (
                N_("Everything certify holds about this person, saved as JSON"),
                N_("Everything certify holds about this person, as a PDF to read"),
            ),
        ),
        Binding("escape", "app.pop_screen", N_("Back"), id="person.back"),
    ]

    def __init__(self, person_id: int) -> None:
        """The page of ``person_id``."""
        super().__init__()
        #: The person shown.
        self.person_id = person_id
        #: Whether the user may export the person's data (read with the page).
        self.exportable = False

    def compose(self) -> ComposeResult:
        """Who, then progress, certificates and history in tabs."""
        yield Header()
        yield Static(_("Loading…"), id="person-card", classes="heading")
        yield from self.tabs(TabPane(_("Assessments"), HistoryView(), id="history"))
        yield Footer()

    def on_mount(self) -> None:
        """Load the person."""
        self.load()

    @work(thread=True, exit_on_error=False, group="read", exclusive=True)
    def load(self) -> None:
        """Read the person's page, what the user may do on their certificates, the history."""
        overview = self.backend.person_overview(self.actor, self.person_id)
        changes = self.backend.certificate_changes(self.actor, self.person_id)
        history = self.backend.history(self.actor, self.person_id)
        exportable = self.backend.may_export_personal_data(self.actor, self.person_id)
        deliver(self.app, self.show, overview, changes, history, exportable)

    def person_shown(self) -> int:
        """The person of the page."""
        return self.person_id

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The personal data key only for those who may export them."""
        if action == "personal_data":
            return self.exportable
        return super().check_action(action, parameters)

    def show(
        self,
        overview: PersonOverview,
        changes: frozenset[Action],
        history: PersonHistory,
        exportable: bool = False,
    ) -> None:
        """Fill the card and the three tabs."""
        self.exportable = exportable
        self.refresh_bindings()
        self.query_one("#person-card", Static).update(identity(overview, self.backend.today))
        self.show_standing(
            self.person_id, overview.standings, overview.certificates, changes=changes
        )
        self.query_one(HistoryView).show(history)

    def worker_failed(self, error: BaseException) -> None:
        """A person the user may not see (or no such person): say so on the card."""
        self.query_one("#person-card", Static).update(_("This person cannot be shown."))
