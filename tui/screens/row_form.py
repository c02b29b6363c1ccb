"""One new row of a kind of data (a site, a staff member), typed in a form.

Each field is a column of that kind's import file; ctrl+s imports the row as a file of
that one row would be (``certify.exchange.entry``): the same checks, all or nothing,
audited, and never a change to a row that exists. Each problem is listed by its field,
and the fields at fault are marked; the form stays as typed.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Button, Footer, Header, Input, Label, Static

from certify.access.permissions import Action
from tui.i18n import N_, _, language
from tui.screens.base import Audience, CertifyScreen
from tui.workers import deliver

if TYPE_CHECKING:
    from certify.exchange import ImportReport
    from certify.exchange.templates import ColumnGuide


class RowFormScreen(CertifyScreen[bool]):
    """A new row of one kind, checked as an import; dismissed with ``True`` once created."""

    NAME = N_("New entry")
    AUDIENCE = Audience(action=Action.IMPORT_DATA)
    HELP = N_(
        "Types in one new site (from the dashboard, Insert, administrators) or one new "
        "staff member (from the staff list, Insert). Each field is a column of that kind's "
        "import file, * when required, its placeholder saying what it holds. ctrl+s checks "
        "the row as an import of it would be and creates it, or lists every problem by its "
        "field and marks the field; nothing that exists is changed (an import file changes "
        "it). Escape leaves, asking first when something was typed."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", N_("Create"), id="row.save", tooltip=N_("Check and create")),
        Binding("escape", "back", N_("Back"), id="row.back"),
    ]

    def __init__(self, kind_name: str) -> None:
        """A form of the kind ``kind_name`` (``sites``, ``staff``)."""
        super().__init__()
        #: The kind of row typed in.
        self.kind_name = kind_name
        #: Its columns, in file order.
        self.columns: list[ColumnGuide] = []

    def compose(self) -> ComposeResult:
        """The problems (above, always in sight), a field per column, the button."""
        kind = self.backend.import_kind(self.kind_name)
        self.columns = self.backend.import_columns(self.kind_name, language())
        self.sub_title = _("New: {kind}").format(kind=kind.label(language()))
        yield Header()
        yield Static(id="row-problems", classes="status")
        with VerticalScroll(id="row-form", classes="form"):
            for column in self.columns:
                yield Label(f"{column.header}{' *' if column.required else ''}")
                yield Input(placeholder=column.holds, id=f"field-{column.key}")
            yield Button(_("Create"), id="create", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        """Typing goes to the first field at once."""
        self.query_one(f"#field-{self.columns[0].key}", Input).focus(scroll_visible=False)

    def typed(self) -> dict[str, str]:
        """What each field holds, by column key."""
        return {c.key: self.query_one(f"#field-{c.key}", Input).value for c in self.columns}

    def has_unsaved_changes(self) -> bool:
        """Whether anything was typed."""
        return any(value.strip() for value in self.typed().values())

    @on(Button.Pressed, "#create")
    def action_save(self) -> None:
        """Check and create the row in the background."""
        self.create(self.typed())

    @work(thread=True, exit_on_error=False, group="write")
    def create(self, values: dict[str, str]) -> None:
        """Import the row; then leave, or show its problems."""
        report = self.backend.enter_row(self.actor, self.kind_name, values)
        deliver(self.app, self.checked, report)

    def checked(self, report: ImportReport) -> None:
        """Leave once created; else list each problem by its field and mark the fields."""
        lang = language()
        if report.written:
            self.notify(_("Created: {kind}.").format(kind=report.kind.label(lang)))
            self.dismiss(True)
            return
        # The row's file is headed in French: each problem is told with the form's label.
        labels = {
            column.french: guide
            for column, guide in zip(report.kind.columns, self.columns, strict=True)
        }
        wrong = {labels[p.column].key for p in report.problems if p.column in labels}
        for guide in self.columns:
            self.query_one(f"#field-{guide.key}", Input).set_class(guide.key in wrong, "-invalid")
        lines = [
            replace(
                p, line=None, column=labels[p.column].header if p.column in labels else None
            ).render(lang)
            for p in report.problems
        ]
        self.query_one("#row-problems", Static).update("\n".join(lines))
        first = next((guide for guide in self.columns if guide.key in wrong), None)
        if first is not None:
            self.query_one(f"#field-{first.key}", Input).focus()

    def action_back(self) -> None:
        """Leave, after confirming if what was typed would be lost."""
        self.certify.confirm_loss(self.has_unsaved_changes(), lambda: self.dismiss(False))
