"""What every screen and dialog shares: translated key bindings, failures, the app's parts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, ClassVar, TypeVar, cast

from textual import events, on
from textual.binding import ActiveBinding
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen

from certify.access.permissions import NEVER_FOR_ONESELF, Action, Actor, may_ever
from tui.backend import Backend
from tui.failures import ReportsFailures
from tui.i18n import _

if TYPE_CHECKING:
    from tui.app import CertifyApp

#: What a screen returns when dismissed.
R = TypeVar("R")


def translate(active: ActiveBinding) -> ActiveBinding:
    """An active binding whose description and tooltip are in the language in use."""
    binding = active.binding
    return active._replace(
        binding=replace(
            binding,
            description=_(binding.description) if binding.description else "",
            tooltip=_(binding.tooltip) if binding.tooltip else "",
            group=replace(binding.group, description=_(binding.group.description))
            if binding.group
            else None,
        ),
        tooltip=_(active.tooltip) if active.tooltip else "",
    )


@dataclass(frozen=True)
class Audience:
    """Whom a screen is for (the help describes it to them only)."""

    #: Signed in (``True``), not yet (``False``), or either (``None``).
    signed_in: bool | None = True
    #: What the user's roles must allow somewhere, if anything.
    action: Action | None = None
    #: Whether only staff members, with records of their own, open it.
    staff: bool = False

    def includes(self, actor: Actor | None) -> bool:
        """Whether ``actor`` (``None``: nobody signed in) is among them."""
        if actor is None:
            return self.signed_in is not True
        if self.signed_in is False or (self.staff and not actor.is_staff):
            return False
        return self.action is None or may_ever(actor, self.action)


#: Screens of anyone signed in.
SIGNED_IN = Audience()
#: Screens before signing in.
SIGNED_OUT = Audience(signed_in=False)
#: Screens of everyone, signed in or not.
EVERYONE = Audience(signed_in=None)
#: Screens of a staff member's own records.
STAFF = Audience(staff=True)


def key_offered(
    owner: type[DOMNode], action: str, actor: Actor | None, *, oneself: bool = False
) -> bool:
    """Whether a key of ``owner`` is for ``actor``: the action its ``KEYS_NEED`` names is one
    their roles allow somewhere, and not one nobody does on their own records when the screen
    shows ``oneself``."""
    needed = cast("Mapping[str, Action]", getattr(owner, "KEYS_NEED", {})).get(action)
    if needed is None:
        return True
    if actor is None or (oneself and needed in NEVER_FOR_ONESELF):
        return False
    return may_ever(actor, needed)


class TranslatedBindings:
    """Key bindings shown (footer, key panel) in the language in use."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The screen's bindings, described in the language in use."""
        active: dict[str, ActiveBinding] = super().active_bindings  # type: ignore[misc]
        return {key: translate(binding) for key, binding in active.items()}


class AppParts:
    """Typed access to the certify app, its backend and the signed-in actor."""

    @property
    def certify(self) -> CertifyApp:
        """The running certify app."""
        return cast("CertifyApp", self.app)  # type: ignore[attr-defined]

    @property
    def backend(self) -> Backend:
        """The door to certify's services."""
        return self.certify.backend

    @property
    def actor(self) -> Actor:
        """The signed-in user (screens past sign-in only)."""
        actor = self.certify.actor
        assert actor is not None, "signed in"
        return actor


class CertifyScreen(AppParts, TranslatedBindings, ReportsFailures, Screen[R]):
    """A full screen of certify."""

    #: The screen's name in the header and the help (marked, translated when shown).
    NAME: ClassVar[str] = ""
    #: What the screen does, for the help screen (marked, translated when shown).
    HELP: ClassVar[str | None] = ""
    #: Widgets whose keys work on this screen too (listed by the help screen).
    KEYS_FROM: ClassVar[tuple[type[DOMNode], ...]] = ()
    #: Whom the screen is for.
    AUDIENCE: ClassVar[Audience] = SIGNED_IN
    #: Whether the screen shows the signed-in user's own records.
    ONESELF: ClassVar[bool] = False
    #: The action a key's user must be allowed somewhere, by the key's action name.
    KEYS_NEED: ClassVar[Mapping[str, Action]] = {}

    def __init__(self) -> None:
        """Name the screen in the header."""
        super().__init__()
        self.sub_title = _(self.NAME)

    @on(events.Mount)
    def _opened(self) -> None:
        """Count among the open screens (asked about unsaved edits before signing out)."""
        self.certify.open_screens.add(self)

    @on(events.Unmount)
    def _no_longer_open(self) -> None:
        """No longer open."""
        self.certify.open_screens.discard(self)

    def has_unsaved_changes(self) -> bool:
        """Whether leaving this screen would lose edits."""
        return False

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A save waits for the one under way (no double submit)."""
        return None if action == "save" and self.is_saving() else True

    def is_saving(self) -> bool:
        """Whether a write of this screen is under way (a second save must wait for it)."""
        return any(
            worker.node is self and worker.group == "write" and worker.is_running
            for worker in self.app.workers
        )


class CertifyDialog(AppParts, TranslatedBindings, ReportsFailures, ModalScreen[R]):
    """A dialog over the current screen."""
