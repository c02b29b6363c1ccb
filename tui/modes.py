"""The modes a signed-in user works in, and who gets which."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.screen import Screen

from certify.model import Role
from certify.permissions import Actor
from tui.i18n import N_
from tui.screens.my_assessments import MyAssessmentsScreen
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


def _runs_sessions(actor: Actor) -> bool:
    """Trainers, and coordinators and administrators for the sessions in their scope."""
    return actor.is_admin or actor.has(Role.TRAINER) or actor.coordinator_scope is not None


#: Every signed-in mode, the default first.
MODES = (
    Mode("trainer", N_("Training sessions"), SessionsScreen, _runs_sessions),
    Mode("staff", N_("My assessments"), MyAssessmentsScreen, lambda actor: True),
)


def modes_for(actor: Actor) -> list[Mode]:
    """The modes offered to ``actor``, the one to open first leading."""
    return [mode for mode in MODES if mode.offered_to(actor)]
