"""Every key of the UI has an id and words, so the help and the palette can list it."""

from __future__ import annotations

from textual.binding import Binding

from tui.app import CertifyApp
from tui.screens.help import SCREENS, HelpScreen
from tui.widgets.picker import Picker


def test_every_binding_has_an_id_and_a_description() -> None:
    """Every key of the UI can be found in the help and the palette by its id and words."""
    owners = [CertifyApp, *SCREENS, HelpScreen, Picker]
    owners += [widget for screen in SCREENS for widget in screen.KEYS_FROM]
    for owner in owners:
        for binding in Binding.make_bindings(vars(owner).get("BINDINGS", [])):
            assert binding.id and binding.description, (owner.__name__, binding.key)
