"""The privacy notice: what certify stores about people, why, for how long, and their rights.

The text is kept in one place, ``tui/privacy/<lang>.md`` (the README carries the same
text, checked by the tests), and shown here to anyone, signed in or not.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Markdown

from certify.rules.wording import Lang
from tui.i18n import N_, language
from tui.screens.base import EVERYONE, CertifyScreen

#: The folder of the notice, one Markdown file per language.
NOTICES = Path(__file__).parent.parent / "privacy"


def notice(lang: Lang) -> str:
    """The privacy notice in ``lang``, as Markdown."""
    return (NOTICES / f"{lang}.md").read_text(encoding="utf-8")


class PrivacyScreen(CertifyScreen[None]):
    """The privacy notice, in the language in use."""

    NAME = N_("Privacy")
    AUDIENCE = EVERYONE
    HELP = N_(
        "Who processes which data about staff in certify, why, for how long, the rights of "
        "the people concerned and whom to ask. Open it with f10 from any screen, before "
        "signing in too."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f10", "app.pop_screen", N_("Close"), id="privacy.close"),
    ]

    def compose(self) -> ComposeResult:
        """The notice as one scrolling document."""
        yield Header()
        with VerticalScroll(id="privacy"):
            yield Markdown(notice(language()))
        yield Footer()
