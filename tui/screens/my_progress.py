"""Staff's own progress: where they stand in each programme, and their certificates."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Header, Static, TabbedContent, TabPane
from textual.worker import Worker

from certify.views.certificate_lines import CertificateLine
from certify.views.standing import Standing
from tui.i18n import N_, _, language
from tui.saving import save
from tui.screens.base import STAFF, CertifyScreen
from tui.widgets.certificates import CertificatesView
from tui.widgets.progress import ProgressView
from tui.workers import deliver


def personal_data_keys(
    labels: tuple[str, str], binding_id: str, tooltips: tuple[str, str]
) -> list[Binding]:
    """d: save the person's data as JSON, D: as a PDF to read (rare: listed in F1, the
    footer kept for the daily keys)."""
    return [
        Binding(
            key,
            f"personal_data('{kind}')",
            label,
            id=f"{binding_id}{suffix}",
            show=False,
            tooltip=tooltip,
        )
        for key, kind, suffix, label, tooltip in zip(
            ("d", "D"), ("json", "pdf"), ("", "-pdf"), labels, tooltips, strict=True
        )
    ]


class StandingScreen(CertifyScreen[None]):
    """A person's progress and certificates in tabs, reloaded when a certificate changes."""

    KEYS_FROM = (CertificatesView,)
    AUTO_FOCUS = "#programmes"

    def action_show_tab(self, pane: str) -> None:
        """Bring the tab ``pane`` to the front, its list focused."""
        self.query_one(TabbedContent).active = pane
        self.query_one(f"#{pane} DataTable").focus()

    def tabs(self, *more: TabPane) -> ComposeResult:
        """« Progress » and « Certificates », then ``more`` tabs."""
        with TabbedContent():
            yield TabPane(_("Progress"), ProgressView(), id="progress")
            yield TabPane(_("Certificates"), CertificatesView(), id="certificates")
            yield from more

    def show_standing(
        self,
        person_id: int,
        standings: Sequence[Standing],
        lines: Sequence[CertificateLine],
        **more: Any,
    ) -> None:
        """Fill both tabs (``more`` goes to :meth:`CertificatesView.show`)."""
        self.query_one(ProgressView).show(standings)
        self.query_one(CertificatesView).show(person_id, lines, **more)

    def action_personal_data(self, kind: str) -> None:
        """Save everything certify holds about the person shown (right of access), as JSON or
        as a PDF to read."""
        person_id = self.person_shown()
        pdf = kind == "pdf"
        save(
            self,
            (_("personal-data-{id}.pdf") if pdf else _("personal-data-{id}.json")).format(
                id=person_id
            ),
            "application/pdf" if pdf else "application/json",
            lambda: self.backend.personal_data(self.actor, person_id, language(), pdf=pdf),
        )

    def person_shown(self) -> int:
        """The person whose progress is shown."""
        raise NotImplementedError

    @on(CertificatesView.Changed)
    def certificate_changed(self) -> None:
        """A certificate was revoked or reissued: read everything again."""
        self.load()

    def load(self) -> Worker[None]:
        """Read the person (in a worker)."""
        raise NotImplementedError


class MyProgressScreen(StandingScreen):
    """The signed-in person's own standing and certificates (read only)."""

    NAME = N_("My progress")
    AUDIENCE = STAFF
    ONESELF = True
    HELP = N_(
        "Where you stand in each programme: certified until when, in the renewal window, "
        "expired, eligible, or how many requirements are missing. Below the list, each "
        "requirement of the highlighted programme, met (✓) with its evidence or missing (✗). "
        "The Certificates tab lists your certificates with what a verifier would conclude "
        "today and the verification code; s saves the highlighted one as a PDF. d saves "
        "everything certify holds about you as a JSON file (your right of access)."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "p",
            "show_tab('progress')",
            N_("Progress"),
            id="my-progress.progress",
            tooltip=N_("Your status in each programme, explained"),
        ),
        Binding(
            "c",
            "show_tab('certificates')",
            N_("Certificates"),
            id="my-progress.certificates",
            tooltip=N_("Your certificates, their verification and PDFs"),
        ),
        *personal_data_keys(
            (N_("My data"), N_("My data (PDF)")),
            "my-progress.data",
            (
                N_("Everything certify holds about you, saved as JSON"),
                N_("Everything certify holds about you, as a PDF to read"),
            ),
        ),
    ]

    def person_shown(self) -> int:
        """The signed-in person."""
        assert self.actor.person_id is not None
        return self.actor.person_id

    def compose(self) -> ComposeResult:
        """Who, then the two tabs."""
        yield Header()
        yield Static(_("Loading…"), id="person-card", classes="heading")
        yield from self.tabs()
        yield Footer()

    def on_mount(self) -> None:
        """Load the person's standing."""
        self.load()

    @work(thread=True, exit_on_error=False, group="read", exclusive=True)
    def load(self) -> None:
        """Read the signed-in person's standings and certificates."""
        standings = self.backend.my_progress(self.actor)
        lines = self.backend.my_certificates(self.actor)
        deliver(self.app, self.show, standings, lines)

    def show(self, standings: list[Standing], lines: list[CertificateLine]) -> None:
        """Who, their progress and certificates."""
        assert self.actor.person_id is not None
        if standings:
            person = standings[0].explanation.person
            self.query_one("#person-card", Static).update(
                f"{person.name} · {person.email} · {person.site.code}"
            )
        self.show_standing(self.actor.person_id, standings, lines)
