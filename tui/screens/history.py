"""A person's assessments per competency, with who assessed what and when; corrections."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Header, Static

from certify.access.permissions import Action
from tui.backend import PersonHistory
from tui.i18n import N_, _
from tui.screens.base import Audience, CertifyScreen
from tui.screens.correction import CorrectionDialog
from tui.widgets.history import HistoryView
from tui.widgets.picker import Hits, Picker
from tui.workers import deliver


class HistoryScreen(CertifyScreen[None]):
    """Find a person, read their history, correct an assessment with a reason."""

    NAME = N_("Person history")
    AUDIENCE = Audience(action=Action.CORRECT_ASSESSMENT)
    AUTO_FOCUS = "#person Input"
    HELP = N_(
        "Type part of a name or e-mail to find a person, then read their assessments, "
        "newest first, filtered by competency, each with whether it still counts today. "
        "Enter shows everything about the highlighted assessment. c corrects it: the "
        "corrected one stays in the history, marked corrected, with the reason."
    )
    KEYS_FROM = (Picker, HistoryView)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "c",
            "correct",
            N_("Correct"),
            id="history.correct",
            tooltip=N_("Correct the highlighted assessment (the old one stays)"),
        ),
        Binding("escape", "app.pop_screen", N_("Back"), id="history.back"),
    ]

    def __init__(self, person_id: int | None = None, competency_code: str | None = None) -> None:
        """The history of ``person_id`` (or of the person found), on one competency if given."""
        super().__init__()
        #: The person shown.
        self.person_id = person_id
        self._competency_code = competency_code

    def compose(self) -> ComposeResult:
        """Search, who, then the history."""
        yield Header()
        yield Picker(
            self.find_person, _("Find a person: type part of a name or e-mail"), id="person"
        )
        yield Static(_("Nobody chosen yet."), id="person-card", classes="heading")
        yield HistoryView()
        yield Footer()

    def on_mount(self) -> None:
        """Load the person's history, if a person was given."""
        if self.person_id is not None:
            self.load()

    def find_person(self, text: str) -> Hits:
        """People the trainer may see matching ``text`` (in a worker)."""
        return [
            (f"{hit.name} · {hit.site_code} · {hit.email}", hit.id)
            for hit in self.backend.search_staff(self.actor, text)
        ]

    @on(Picker.Picked, "#person")
    def person_picked(self, event: Picker.Picked) -> None:
        """Show the picked person's history."""
        self.person_id = event.value
        event.picker.clear()
        self.load()

    @work(thread=True, exit_on_error=False, group="read", exclusive=True)
    def load(self) -> None:
        """Read the person's history."""
        assert self.person_id is not None
        history = self.backend.history(self.actor, self.person_id)
        deliver(self.app, self.show, history)

    def show(self, history: PersonHistory) -> None:
        """Show who and their history, on the competency asked for the first time."""
        person = history.person
        self.query_one("#person-card", Static).update(
            f"{person.name} · {person.email} · {person.site_code}"
        )
        view = self.query_one(HistoryView)
        view.show(history, self._competency_code)
        self._competency_code = None
        view.query_one("DataTable").focus()

    def action_correct(self) -> None:
        """Correct the highlighted assessment, unless it was already corrected."""
        view = self.query_one(HistoryView)
        line = view.current()
        if line is None or view.history is None:
            return
        if line.superseded_by is not None:
            self.notify(
                _("This one was already corrected: correct the newer one."), severity="warning"
            )
            return
        competency = view.history.competencies.get(line.competency_code)

        def correct(answer: tuple[int, str] | None) -> None:
            """Record the correction, if one was given."""
            if answer is not None:
                self.record_correction(line.id, *answer)

        self.app.push_screen(CorrectionDialog(line, competency), correct)

    @work(thread=True, exit_on_error=False, group="write")
    def record_correction(self, assessment_id: int, level: int, reason: str) -> None:
        """Supersede the assessment, then show the history again."""
        self.backend.correct(self.actor, assessment_id, level, reason)
        deliver(self.app, self.corrected)

    def corrected(self) -> None:
        """Say so and reload."""
        self.notify(_("Assessment corrected; the previous one stays in the history."))
        self.load()
