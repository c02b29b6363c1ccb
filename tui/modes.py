"""The modes a signed-in user works in, and who gets which."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.screen import Screen

from certify.access.permissions import Actor, may_run_sessions
from tui.i18n import N_
from tui.screens.accounts import AccountsScreen
from tui.screens.dashboard import DashboardScreen
from tui.screens.imports import ImportScreen
from tui.screens.my_assessments import MyAssessmentsScreen
from tui.screens.my_progress import MyProgressScreen
from tui.screens.sessions import SessionsScreen


@dataclass(frozen=True)
class Mode:
    """A Textual mode: its name, its label and the screen it opens on."""

    #: Mode name (Textual's key).
    name: str
    #: Label in the command palette and the help (marked, translated when shown).
    label: str
    #: The mode's first screen.
    screen: Callable[[], Screen[None]]
    #: Whether an actor gets this mode.
    offered_to: Callable[[Actor], bool]


#: Every signed-in mode; the first one offered to a user opens first.
MODES = (
    Mode("dashboard", N_("Dashboard"), DashboardScreen, lambda actor: actor.oversees),
    Mode("trainer", N_("Training sessions"), SessionsScreen, may_run_sessions),
    Mode("progress", N_("My progress"), MyProgressScreen, lambda actor: actor.is_staff),
    Mode("staff", N_("My assessments"), MyAssessmentsScreen, lambda actor: actor.is_staff),
    Mode("imports", N_("Imports"), ImportScreen, lambda actor: actor.oversees),
    Mode("accounts", N_("Accounts"), AccountsScreen, lambda actor: actor.is_admin),
)


def modes_for(actor: Actor) -> list[Mode]:
    """The modes offered to ``actor``, the one to open first leading."""
    return [mode for mode in MODES if mode.offered_to(actor)]
