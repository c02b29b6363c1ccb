"""Importing a file: choose it and its kind, read the dry run's report, then import for real.

The exchange engine does all the work (``certify import``): the whole file is checked
first, every problem is listed by line and column, and nothing is written unless the
file is clean. This screen only shows its progress and its report.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import (
    Button,
    DataTable,
    Footer,
    Header,
    Input,
    Label,
    OptionList,
    ProgressBar,
    Select,
    Static,
)
from textual.worker import Worker

from certify.access.permissions import Action
from certify.exchange.report import problem_lines
from tui.i18n import N_, _, language, ngettext
from tui.saving import save
from tui.screens.base import Audience, CertifyScreen
from tui.widgets.columns import FittedTable, laid_out, spare_width, widths
from tui.widgets.file_path import PathSuggester
from tui.workers import deliver

if TYPE_CHECKING:
    from certify.exchange import ImportReport, Kind

#: The engine's progress phases (as ``certify import`` names them), as the user reads them.
PHASES: dict[str, str] = {"validation": N_("Checking"), "écriture": N_("Writing")}
#: The kind offered first, when the user may import it.
FIRST_KIND = "staff"


class ImportScreen(CertifyScreen[None]):
    """Coordinators and administrators import staff lists, past records and reference data."""

    NAME = N_("Imports")
    AUDIENCE = Audience(action=Action.IMPORT_DATA)
    AUTO_FOCUS = "#import-path"
    HELP = N_(
        "Import a CSV or Excel file (French Excel files are fine: « ; », accents, dates "
        "like 03/09/2024). Type the file's path (right arrow completes it) and choose what "
        "it holds: coordinators import staff and records of their sites, administrators "
        "also sites, the framework, modules and programmes. The columns of that kind are "
        "listed, * for those every row fills; f9 saves an empty file of it to fill in (its "
        "header row). Enter or ctrl+r checks the "
        "whole file without writing anything: what would be created, changed or left "
        "unchanged, and every problem by line and column. A file with problems cannot be "
        "imported: correct it and check again. ctrl+s then imports it, all rows or none. "
        "Importing the same file twice changes nothing."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+r",
            "check",
            N_("Check"),
            id="imports.check",
            tooltip=N_("Check the whole file without writing anything (dry run)"),
        ),
        Binding(
            "ctrl+s",
            "save",
            N_("Import"),
            id="imports.import",
            tooltip=N_("Import the checked file: every row or none"),
        ),
        Binding(
            "f9",
            "template",
            N_("Template"),
            id="imports.template",
            tooltip=N_("Save an empty CSV file of the chosen kind, its columns ready to fill in"),
        ),
    ]

    def __init__(self) -> None:
        """Nothing checked yet."""
        super().__init__()
        #: The last report shown (a dry run, or the import done).
        self.report: ImportReport | None = None
        #: The kinds the user may import, by name.
        self.kinds: dict[str, Kind] = {}

    def compose(self) -> ComposeResult:
        """The file and its kind, the buttons, the progress, then the report."""
        yield Header()
        kinds = self.backend.importable_kinds(self.actor)
        self.kinds = {kind.name: kind for kind in kinds}
        names = list(self.kinds)
        with Horizontal(classes="import-row"):
            yield Label(_("File"))
            yield Input(
                placeholder=_("Path of a .csv or .xlsx file (right arrow completes)"),
                suggester=PathSuggester(),
                id="import-path",
            )
        with Horizontal(classes="import-row"):
            yield Label(_("Data"))
            yield Select(
                ((kind.label(language()).capitalize(), kind.name) for kind in kinds),
                value=FIRST_KIND if FIRST_KIND in names else names[0],
                allow_blank=False,
                id="import-kind",
            )
            yield Button(_("Check"), id="check")
            yield Button(_("Import"), id="import", variant="primary", disabled=True)
        with Horizontal(id="import-progress"):
            yield Static(id="import-phase")
            yield ProgressBar(show_eta=False)
        yield Static(_("No file checked yet."), id="import-source", classes="heading")
        yield FittedTable(id="import-columns", cursor_type="row", zebra_stripes=True)
        yield DataTable(id="import-counts", cursor_type="none")
        yield OptionList(id="import-problems")
        yield Static(self.hint(), id="import-status", classes="status")
        yield Footer()

    def on_mount(self) -> None:
        """The columns of the kind offered first."""
        self.show_columns()

    def hint(self) -> str:
        """What to do first."""
        return _(
            "Choose a file and what it holds, then Enter or ctrl+r checks it; f9 saves an "
            "empty file of that kind to fill in."
        )

    def on_fitted_table_resized(self) -> None:
        """The columns table has a new width: fit its columns to it."""
        self.show_columns()

    def show_columns(self) -> None:
        """The columns of the kind chosen: header, whether required, what a cell holds
        (wrapped in the width left)."""
        table = self.query_one("#import-columns", FittedTable)
        table.display = self.report is None
        if not laid_out(table):
            return
        guides = self.backend.import_columns(self.chosen()[1], language())
        labels = [_("Column"), "*"]
        sized = widths(labels, [[guide.header, "*"] for guide in guides])
        table.clear(columns=True)
        table.add_column(labels[0], width=sized[0])
        table.add_column(labels[1], width=sized[1])
        table.add_column(_("What it holds"), width=spare_width(table, sized))
        for guide in guides:
            required = "*" if guide.required else ""
            table.add_row(guide.header, required, Text(guide.holds), height=None)

    def action_template(self) -> None:
        """Save an empty file of the kind chosen (its header row) to fill in."""
        kind, lang_used = self.chosen()[1], language()
        named = self.kinds[kind].names[1] if lang_used == "fr" else kind
        name = _("template-{kind}.csv").format(kind=named)
        save(self, name, "text/csv", lambda: self.backend.import_template(kind, lang_used))

    def chosen(self) -> tuple[Path, str]:
        """The file typed and the kind chosen."""
        typed = self.query_one("#import-path", Input).value.strip()
        return Path(typed).expanduser(), str(self.query_one("#import-kind", Select).value)

    def can_import(self) -> bool:
        """Whether a clean dry run with something to write is shown."""
        report = self.report
        return (
            report is not None
            and report.dry_run
            and report.plan is not None
            and not report.problems
            and bool(report.plan.created + report.plan.updated)
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Importing needs a clean dry run (shown dimmed until then); one job at a time."""
        if action in ("check", "save") and self.is_busy():
            return None
        if action == "save" and not self.can_import():
            return None
        return super().check_action(action, parameters)

    def is_busy(self) -> bool:
        """Whether a check or an import of this screen is under way."""
        return any(worker.node is self and worker.is_running for worker in self.app.workers)

    @on(Input.Changed, "#import-path")
    @on(Select.Changed, "#import-kind")
    def choice_changed(self) -> None:
        """Another file or kind: the report shown (a check's, or an import's done) no longer
        applies; the kind's columns show."""
        if self.report is not None and not self.is_busy():
            self.forget()
        self.show_columns()

    def forget(self) -> None:
        """Clear the report: the next step is checking again."""
        self.report = None
        self.query_one("#import-source", Static).update(_("No file checked yet."))
        self.query_one("#import-counts", DataTable).clear(columns=True)
        self.query_one("#import-problems", OptionList).clear_options()
        self.query_one("#import-status", Static).update(self.hint())
        self.show_columns()
        self.changed_state()

    def changed_state(self) -> None:
        """Footer keys and buttons follow what may be done now."""
        busy = self.is_busy()
        self.query_one("#check", Button).disabled = busy
        self.query_one("#import", Button).disabled = busy or not self.can_import()
        self.refresh_bindings()

    @on(Input.Submitted, "#import-path")
    @on(Button.Pressed, "#check")
    def action_check(self) -> None:
        """Check the file chosen (a dry run), unless a check or an import is under way."""
        if self.is_busy():
            return
        path, kind = self.chosen()
        if not str(path) or str(path) == ".":
            self.notify(_("Type the path of the file to import first."), severity="warning")
            return
        self.forget()
        self.started(_("Reading the file…"))
        self.dry_run(path, kind)

    @on(Button.Pressed, "#import")
    def action_save(self) -> None:
        """Import the file checked, for real."""
        if not self.can_import():
            return
        path, kind = self.chosen()
        self.started(_("Reading the file again…"))
        self.run_import(path, kind)

    def started(self, what: str) -> None:
        """Show the progress bar, waiting for the engine's first report."""
        self.query_one("#import-progress").display = True
        self.query_one("#import-phase", Static).update(what)
        self.query_one(ProgressBar).update(total=None, progress=0)

    @work(thread=True, exit_on_error=False, group="read", exclusive=True)
    def dry_run(self, path: Path, kind: str) -> None:
        """Check the whole file in the background; nothing is written."""
        report = self.backend.check_import(self.actor, kind, path, self.progressed)
        deliver(self.app, self.show, report)

    @work(thread=True, exit_on_error=False, group="write")
    def run_import(self, path: Path, kind: str) -> None:
        """Import the file in the background, all rows or none."""
        report = self.backend.import_file(self.actor, kind, path, self.progressed)
        deliver(self.app, self.show, report)

    def progressed(self, phase: str, done: int, total: int) -> None:
        """From the worker: the engine's progress (as ``certify import`` draws its bar)."""
        self.app.call_from_thread(self.show_progress, phase, done, total)

    def show_progress(self, phase: str, done: int, total: int) -> None:
        """Move the bar: ``done`` of ``total`` rows in ``phase``."""
        label = _(PHASES[phase]) if phase in PHASES else phase
        self.query_one("#import-phase", Static).update(f"{label} {done}/{total}")
        self.query_one(ProgressBar).update(total=total, progress=done)

    def show(self, report: ImportReport) -> None:
        """Show what the file holds, what it does (or did), and every problem."""
        self.report = report
        self.query_one("#import-progress").display = False
        self.query_one("#import-columns", FittedTable).display = False
        lang = language()
        described = f" — {report.description(lang)}" if report.description else ""
        rows = ngettext("{count} data row", "{count} data rows", report.rows).format(
            count=report.rows
        )
        self.query_one("#import-source", Static).update(
            f"{report.source} · {report.kind.label(lang)}{described} · {rows}"
        )
        self.show_counts(report)
        problems = self.query_one("#import-problems", OptionList)
        problems.clear_options()
        problems.add_options(problem_lines(report, lang))
        problems.add_options(
            _("Note: {note}").format(note=note.render(lang)) for note in report.notes
        )
        self.query_one("#import-status", Static).update(self.verdict(report))
        if not report.dry_run and report.plan is not None and not report.problems:
            self.notify(self.verdict(report), title=_("Import done"))
        self.changed_state()

    def show_counts(self, report: ImportReport) -> None:
        """Per kind of row: new, changed, unchanged (to be, or done)."""
        table = self.query_one("#import-counts", DataTable)
        table.clear(columns=True)
        if report.plan is None:
            return
        if report.dry_run:
            headers = [_("Data"), _("To create"), _("To update"), _("Unchanged")]
        else:
            headers = [_("Data"), _("Created"), _("Updated"), _("Unchanged")]
        table.add_columns(*headers)
        for plan in report.plan:
            table.add_row(
                plan.entity.label(language()).capitalize(),
                str(len(plan.creations)),
                str(len(plan.updates)),
                str(plan.unchanged),
            )

    def verdict(self, report: ImportReport) -> str:
        """The outcome in a sentence, and what to do next."""
        if report.problems:
            count = len(report.problems)
            return ngettext(
                "{count} problem: nothing can be imported. Correct the file, then check again.",
                "{count} problems: nothing can be imported. Correct the file, then check again.",
                count,
            ).format(count=count)
        assert report.plan is not None
        created, updated = report.plan.created, report.plan.updated
        if not created + updated:
            return _("Nothing to change: the database is already up to date.")
        if report.dry_run:
            return _(
                "Dry run: nothing written yet. ctrl+s imports {created} new and "
                "{updated} changed rows, all or none."
            ).format(created=created, updated=updated)
        return _("Imported: {created} rows created, {updated} updated.").format(
            created=created, updated=updated
        )

    @on(Worker.StateChanged)
    def worker_changed(self) -> None:
        """A check or an import started or ended: keys and buttons follow."""
        self.changed_state()

    def worker_failed(self, error: BaseException) -> None:
        """The check or the import failed (the user was told): nothing is pending."""
        self.query_one("#import-progress").display = False
        self.report = None
        self.changed_state()
