"""One assessment outside a session: a person and a competency found by typing."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, VerticalScroll
from textual.widgets import Footer, Header, Input, Label, Select, Static

from certify.access.permissions import Action
from certify.errors import CertifyError
from certify.model import AssessmentMethod
from certify.services.assessments import NewAssessment
from certify.services.training import StaffHit
from certify.views.catalogue import CompetencyChoice
from tui import wording
from tui.failures import report
from tui.i18n import N_, _
from tui.screens.base import Audience, CertifyScreen
from tui.widgets.evidence import EvidenceInput, charter_reminder
from tui.widgets.picker import Hits, Picker
from tui.widgets.selects import chosen
from tui.workers import deliver


class AssessScreen(CertifyScreen[None]):
    """Record a single assessment (not tied to a session)."""

    NAME = N_("Assess one person")
    AUDIENCE = Audience(action=Action.RECORD_ASSESSMENT)
    AUTO_FOCUS = "#person Input"
    HELP = N_(
        "Find the person and the competency by typing part of a name, e-mail, code or "
        "label (enter takes the first hit), then choose the level and the method, check "
        "the date and write the evidence. Nobody may assess themselves."
    )
    KEYS_FROM = (Picker,)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s",
            "save",
            N_("Save"),
            id="assess.save",
            tooltip=N_("Record this assessment"),
        ),
        Binding("escape", "app.pop_screen", N_("Back"), id="assess.back"),
    ]

    def __init__(self, person: StaffHit | None = None) -> None:
        """Assess ``person``, or someone to find."""
        super().__init__()
        self._person = person
        self._competency: CompetencyChoice | None = None
        self._recording = False

    def compose(self) -> ComposeResult:
        """Who and what (searched), then level, method, date, evidence."""
        yield Header()
        with VerticalScroll(), Grid(id="assess-form"):
            yield Label(_("Person"))
            yield Picker(self.find_person, _("Type part of a name or e-mail"), id="person")
            yield Label(classes="spacer")
            yield Static(_("Nobody chosen yet."), id="person-chosen", classes="chosen")
            yield Label(_("Competency"))
            yield Picker(self.find_competency, _("Type part of a code or label"), id="competency")
            yield Label(classes="spacer")
            yield Static(_("No competency chosen yet."), id="competency-chosen", classes="chosen")
            yield Label(_("Level"))
            yield Select[int]([], prompt=_("Choose the level"), id="level")
            yield Label(_("Method"))
            yield Select[AssessmentMethod](
                ((wording.method(m), m) for m in AssessmentMethod),
                value=AssessmentMethod.OBSERVATION,
                allow_blank=False,
                id="method",
            )
            yield Label(_("Date"))
            yield Input(wording.day(self.backend.today), id="assessed-on")
            yield Label(_("Evidence"))
            yield EvidenceInput(id="evidence", placeholder=_("What you observed"))
            yield Label(classes="spacer")
            yield Static(charter_reminder(), classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        """Show the person given, if any."""
        if self._person is not None:
            self.show_person(self._person)

    def find_person(self, text: str) -> Hits:
        """People the user may see matching ``text`` (in a worker)."""
        return [
            (f"{hit.name} · {hit.site_code} · {hit.email}", hit)
            for hit in self.backend.search_staff(self.actor, text)
        ]

    def find_competency(self, text: str) -> Hits:
        """Competencies matching ``text`` (in a worker)."""
        return [
            (f"{c.code} — {wording.pick(c.label_fr, c.label_en)}", c)
            for c in self.backend.search_competencies(text)
        ]

    @on(Picker.Picked, "#person")
    def person_picked(self, event: Picker.Picked) -> None:
        """Keep the picked person; on to the competency."""
        self.show_person(event.value)
        event.picker.clear()
        self.query_one("#competency", Picker).query_one(Input).focus()

    def show_person(self, person: StaffHit) -> None:
        """Say who is assessed."""
        self._person = person
        self.query_one("#person-chosen", Static).add_class("-set")
        self.query_one("#person-chosen", Static).update(
            f"{person.name} · {person.site_code} · {person.email}"
        )

    @on(Picker.Picked, "#competency")
    def competency_picked(self, event: Picker.Picked) -> None:
        """Keep the picked competency and offer its scale; on to the level."""
        self.show_competency(event.value)
        event.picker.clear()
        self.query_one("#level", Select).focus()

    def show_competency(self, competency: CompetencyChoice | None) -> None:
        """Say what is assessed (or that nothing is yet) and offer its scale."""
        self._competency = competency
        chosen_line = self.query_one("#competency-chosen", Static)
        chosen_line.set_class(competency is not None, "-set")
        levels = () if competency is None else competency.levels
        chosen_line.update(
            _("No competency chosen yet.")
            if competency is None
            else f"{competency.code} — {wording.pick(competency.label_fr, competency.label_en)}"
        )
        self.query_one("#level", Select).set_options(
            (wording.level(number, levels), number) for number, _fr, _en in levels
        )

    def action_save(self) -> None:
        """Check what can be checked here, then record in the background (once)."""
        if self._recording:
            return
        level: int | None = chosen(self.query_one("#level", Select))
        method: AssessmentMethod | None = chosen(self.query_one("#method", Select))
        try:
            if self._person is None or self._competency is None or level is None:
                raise CertifyError(_("Choose a person, a competency and a level."))
            assert method is not None, "the method select has no blank"
            entry = NewAssessment(
                person_id=self._person.id,
                competency_id=self._competency.id,
                level=level,
                assessed_on=wording.parse_day(self.query_one("#assessed-on", Input).value),
                method=method,
                evidence=self.query_one("#evidence", Input).value.strip(),
            )
        except CertifyError as error:
            report(self.app, error)
            return
        self._recording = True
        self.record(entry)

    @work(thread=True, exit_on_error=False, group="write")
    def record(self, entry: NewAssessment) -> None:
        """Record the assessment in one transaction."""
        self.backend.record_assessments(self.actor, [entry])
        deliver(self.app, self.recorded)

    def recorded(self) -> None:
        """Say so; clear what was assessed, keeping the person for the next competency."""
        self._recording = False
        self.notify(_("Assessment recorded."))
        self.show_competency(None)
        self.query_one("#evidence", Input).value = ""
        self.query_one("#competency", Picker).query_one(Input).focus()

    def worker_failed(self, error: BaseException) -> None:
        """A refused assessment: the form keeps it, to fix and save again."""
        self._recording = False
