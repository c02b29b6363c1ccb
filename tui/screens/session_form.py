"""Create or change a session: module, site, dates, and participants found by search."""

from __future__ import annotations

from typing import ClassVar, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid
from textual.widgets import Footer, Header, Input, Label, OptionList, Select
from textual.widgets.option_list import Option

from certify.access.permissions import Action
from certify.errors import CertifyError
from certify.services.training import Participant, SessionDraft, StaffHit
from tui import wording
from tui.backend import Choices, SessionView
from tui.failures import report
from tui.i18n import N_, _, ngettext
from tui.screens.base import Audience, CertifyScreen
from tui.screens.dialogs import ConfirmDialog
from tui.widgets.picker import Hits, Picker
from tui.widgets.selects import chosen
from tui.workers import deliver


class SessionFormScreen(CertifyScreen[int | None]):
    """A new session (no id) or an existing one; dismissed with the session's id once saved."""

    NAME = N_("Session form")
    AUDIENCE = Audience(action=Action.MANAGE_SESSION)
    HELP = N_(
        "Choose the module and the site, type the first and last days (DD/MM/YYYY), and "
        "find participants by typing part of a name or e-mail (ctrl+f goes there): enter "
        "adds the first hit, down goes through the hits. Delete removes the highlighted "
        "participant, asking first when they have hours or assessments in the session."
    )
    KEYS_FROM = (Picker,)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s",
            "save",
            N_("Save"),
            id="session-form.save",
            tooltip=N_("Save the session"),
        ),
        Binding(
            "escape",
            "cancel",
            N_("Cancel"),
            id="session-form.cancel",
            tooltip=N_("Leave without saving (asks first if something changed)"),
        ),
        Binding(
            "ctrl+f",
            "find",
            N_("Find staff"),
            id="session-form.find",
            tooltip=N_("Go to the participant search"),
        ),
        Binding(
            "delete",
            "remove",
            N_("Remove"),
            id="session-form.remove",
            tooltip=N_("Take the highlighted participant off the session"),
        ),
    ]

    def __init__(self, session_id: int | None = None) -> None:
        """The form of session ``session_id``, or of a new session."""
        super().__init__()
        #: The session changed, or ``None`` for a new one.
        self.session_id = session_id
        self.sub_title = _("New session") if session_id is None else _("Edit session")
        self._participants: dict[int, str] = {}
        #: The session's participants as recorded (hours, assessments), by person id.
        self._recorded: dict[int, Participant] = {}
        self._trainers: frozenset[int] = frozenset()
        self._site_id: int | None = None
        self._initial: tuple[object, ...] | None = None

    def compose(self) -> ComposeResult:
        """Module and site, dates, then the participant search beside the participants."""
        yield Header()
        with Grid(id="session-form"):
            yield Label(_("Module"))
            yield Select[int]([], prompt=_("Choose a module"), id="module")
            yield Label(_("Site"))
            yield Select[int]([], prompt=_("Choose a site"), id="site")
            yield Label(_("From"))
            yield Input(id="starts-on", placeholder=wording.day(self.backend.today))
            yield Label(_("To"))
            yield Input(id="ends-on", placeholder=wording.day(self.backend.today))
            yield Picker(self.find_staff, _("Add: type part of a name"), id="staff")
            yield OptionList(id="participants")
        yield Footer()

    def on_mount(self) -> None:
        """Load the choices and, for an existing session, its values."""
        self.load()

    @work(thread=True, exit_on_error=False, group="read")
    def load(self) -> None:
        """Read modules, sites and the session."""
        choices = self.backend.choices(self.actor)
        view = (
            None if self.session_id is None else self.backend.session(self.actor, self.session_id)
        )
        deliver(self.app, self.fill, choices, view)

    def fill(self, choices: Choices, view: SessionView | None) -> None:
        """Offer the choices; start from the session's values or from today."""
        module = self.query_one("#module", Select)
        module.set_options(
            (f"{m.code} — {wording.pick(m.title_fr, m.title_en)}", m.id) for m in choices.modules
        )
        site = self.query_one("#site", Select)
        site.set_options((f"{s.code} — {s.name}", s.id) for s in choices.sites)
        today = wording.day(self.backend.today)
        starts_on, ends_on = today, today
        if view is None:
            me = self.actor.person_id
            self._trainers = frozenset() if me is None else frozenset({me})
            if self.actor.site_id in {s.id for s in choices.sites}:
                site.value = self.actor.site_id
        else:
            detail = view.detail
            module.value, site.value = detail.module_id, detail.site_id
            starts_on = wording.day(detail.summary.starts_on)
            ends_on = wording.day(detail.summary.ends_on)
            self._trainers = frozenset(person_id for person_id, _name in detail.trainers)
            self._participants = {p.person_id: f"{p.name} · {p.email}" for p in detail.participants}
            self._recorded = {p.person_id: p for p in detail.participants}
        self.query_one("#starts-on", Input).value = starts_on
        self.query_one("#ends-on", Input).value = ends_on
        self.show_participants()
        self._initial = self.values()
        module.focus()

    @on(Select.Changed, "#site")
    def site_chosen(self, event: Select.Changed) -> None:
        """Remember the site: participant searches look at its staff."""
        self._site_id = chosen(cast("Select[int]", event.select))  # Changed.select is untyped

    def find_staff(self, text: str) -> Hits:
        """Staff of the chosen site (and its centres) matching ``text`` (in a worker)."""
        hits = self.backend.search_staff(self.actor, text, self._site_id)
        return [(f"{hit.name} · {hit.site_code} · {hit.email}", hit) for hit in hits]

    @on(Picker.Picked, "#staff")
    def add(self, event: Picker.Picked) -> None:
        """Add the picked person to the participants."""
        hit: StaffHit = event.value
        self._participants[hit.id] = f"{hit.name} · {hit.email}"
        self.show_participants()
        event.picker.clear()

    def action_find(self) -> None:
        """Put the cursor in the participant search."""
        self.query_one("#staff Input", Input).focus()

    def action_remove(self) -> None:
        """Remove the highlighted participant, asking first if they have records here."""
        options = self.query_one("#participants", OptionList)
        if options.highlighted is None:
            return
        person_id = int(str(options.get_option_at_index(options.highlighted).id))

        def remove(agreed: bool | None = True) -> None:
            """Take them off the list (saved with the session)."""
            if agreed:
                self._participants.pop(person_id, None)
                self.show_participants()

        recorded = self._recorded.get(person_id)
        question = None if recorded is None else removal_question(recorded)
        if question is None:
            remove()
        else:
            self.app.push_screen(ConfirmDialog(question, _("Remove")), remove)

    def show_participants(self) -> None:
        """List the participants by name, with their count in the border."""
        options = self.query_one("#participants", OptionList)
        options.clear_options()
        options.add_options(
            Option(name, id=str(person_id))
            for person_id, name in sorted(self._participants.items(), key=lambda item: item[1])
        )
        options.border_title = _("Participants ({count})").format(count=len(self._participants))

    def values(self) -> tuple[object, ...]:
        """What the form holds now (to tell whether anything changed)."""
        return (
            self.query_one("#module", Select).value,
            self.query_one("#site", Select).value,
            self.query_one("#starts-on", Input).value,
            self.query_one("#ends-on", Input).value,
            frozenset(self._participants),
        )

    def has_unsaved_changes(self) -> bool:
        """Whether the form differs from what it was loaded with."""
        return self._initial is not None and self.values() != self._initial

    def action_cancel(self) -> None:
        """Leave without saving, asking first if something changed."""
        self.certify.confirm_loss(self.has_unsaved_changes(), lambda: self.dismiss(None))

    def action_save(self) -> None:
        """Check what can be checked here, then save in the background."""
        module_id: int | None = chosen(self.query_one("#module", Select))
        site_id: int | None = chosen(self.query_one("#site", Select))
        try:
            if module_id is None or site_id is None:
                raise CertifyError(_("Choose a module and a site."))
            draft = SessionDraft(
                id=self.session_id,
                module_id=module_id,
                site_id=site_id,
                starts_on=wording.parse_day(self.query_one("#starts-on", Input).value),
                ends_on=wording.parse_day(self.query_one("#ends-on", Input).value),
                trainer_ids=self._trainers,
                participant_ids=frozenset(self._participants),
            )
        except CertifyError as error:
            report(self.app, error)
            return
        self.save(draft)

    @work(thread=True, exit_on_error=False, group="write")
    def save(self, draft: SessionDraft) -> None:
        """Save the session in one transaction, then close the form with its id."""
        session_id = self.backend.save_session(self.actor, draft)
        deliver(self.app, self.saved, session_id)

    def saved(self, session_id: int) -> None:
        """Say so and close."""
        self.notify(_("Session saved."))
        self.dismiss(session_id)


def removal_question(participant: Participant) -> str | None:
    """What removing ``participant`` does to their records here (``None``: they have none)."""
    hours, count = participant.hours_present, participant.assessments
    if hours and count:
        text = ngettext(
            "Remove {name}: their {hours} h of attendance are deleted, their assessment of "
            "this session stays (correct it from their history).",
            "Remove {name}: their {hours} h of attendance are deleted, their {count} "
            "assessments of this session stay (correct them from their history).",
            count,
        )
    elif hours:
        text = _("Remove {name}: their {hours} h of attendance are deleted.")
    elif count:
        text = ngettext(
            "Remove {name}: their assessment of this session stays (correct it from their "
            "history).",
            "Remove {name}: their {count} assessments of this session stay (correct them "
            "from their history).",
            count,
        )
    else:
        return None
    return text.format(name=participant.name, hours=wording.hours(hours), count=count)
