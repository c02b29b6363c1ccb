"""One person's standing: each programme's status, and why, requirement by requirement.

The words come from the rules themselves (:meth:`certify.views.standing.Standing.headline` and
:mod:`certify.rules.wording`): this view lays them out, it decides nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Static

from certify.rules.evidence import RequirementKind
from certify.rules.explanation import Explanation, Requirement
from certify.rules.progress import ProgressStatus
from certify.rules.wording import Lang, finding, required
from certify.views.standing import Standing
from tui import wording
from tui.i18n import _, language
from tui.widgets.columns import spare_width, widths

#: How each status reads at a glance.
STATUS_STYLES: dict[ProgressStatus, str] = {
    ProgressStatus.CERTIFIED: "green",
    ProgressStatus.IN_WINDOW: "yellow",
    ProgressStatus.ELIGIBLE: "cyan",
    ProgressStatus.EXPIRED: "red",
}


def lang() -> Lang:
    """The language in use, as the rules' wordings name it."""
    return "fr" if language() == "fr" else "en"


def headline(standing: Standing) -> Text:
    """The status in one sentence, coloured by status."""
    return Text(standing.headline().in_(lang()), style=STATUS_STYLES.get(standing.status, ""))


def programme_title(explanation: Explanation) -> str:
    """The programme's title in the language in use."""
    programme = explanation.programme
    return wording.pick(programme.title_fr, programme.title_en)


def requirement_label(line: Requirement) -> str:
    """What a requirement is about: its code and label (the active line: its label)."""
    label = wording.pick(line.label_fr, line.label_en)
    return label if line.kind is RequirementKind.ACTIVE else f"{line.code} {label}"


def requirements(explanation: Explanation) -> Text:
    """Two lines per requirement: met (✓) or not (✗) and the rule, then the evidence found."""
    text = Text()
    for line in explanation.requirements:
        text.append("✓ " if line.met else "✗ ", style="bold green" if line.met else "bold red")
        text.append(requirement_label(line), style="bold")
        text.append(f" — {required(line).in_(lang())}\n")
        text.append(f"  {finding(line).in_(lang())}\n", style="" if line.met else "red")
    text.rstrip()
    return text


class ProgressView(Vertical):
    """Programmes with their status; the one under the cursor explained below."""

    def __init__(self, *, id: str | None = None) -> None:
        """Empty until :meth:`show` is given standings."""
        super().__init__(id=id, classes="progress")
        #: The standings shown, by programme code.
        self.standings: list[Standing] = []

    def compose(self) -> ComposeResult:
        """Programmes, then the explanation of the current one."""
        yield DataTable(cursor_type="row", zebra_stripes=True, id="programmes")
        yield Static(_("Loading…"), id="explanation-title", classes="heading")
        with VerticalScroll(id="explanation"):
            yield Static(id="requirements")

    def show(self, standings: Sequence[Standing]) -> None:
        """Show ``standings``, the cursor staying on the programme it was on."""
        self.standings = list(standings)
        self.fill()

    def fill(self) -> None:
        """List the programmes with their status."""
        table = self.query_one(DataTable)
        row = table.cursor_row
        labels = [_("Programme"), _("Status")]
        rows = [
            [standing.explanation.programme.code, standing.headline().in_(lang())]
            for standing in self.standings
        ]
        sizes = widths(labels, rows)
        table.clear(columns=True)
        for label, size in zip(labels, sizes, strict=True):
            table.add_column(label, width=size)
        table.add_column(_("Title"), width=spare_width(table, sizes))
        for standing in self.standings:
            explanation = standing.explanation
            table.add_row(
                explanation.programme.code,
                headline(standing),
                wording.one_line(programme_title(explanation)),
                key=explanation.programme.code,
            )
        if not self.standings:
            self.query_one("#explanation-title", Static).update(_("No programme yet."))
            return
        table.move_cursor(row=min(row, len(self.standings) - 1))
        self.explain()

    def on_resize(self) -> None:
        """Titles take the width there is."""
        if self.standings:
            self.fill()

    def current(self) -> Standing | None:
        """The standing under the cursor."""
        row = self.query_one(DataTable).cursor_row
        return self.standings[row] if 0 <= row < len(self.standings) else None

    @on(DataTable.RowHighlighted, "#programmes")
    def explain(self) -> None:
        """Explain the current programme, requirement by requirement."""
        standing = self.current()
        if standing is None:
            return
        explanation = standing.explanation
        met = len(explanation.requirements) - explanation.missing_count
        self.query_one("#explanation-title", Static).update(
            _("{code} “{title}” — requirements met: {met}/{total}").format(
                code=explanation.programme.code,
                title=programme_title(explanation),
                met=met,
                total=len(explanation.requirements),
            )
        )
        self.query_one("#requirements", Static).update(requirements(explanation))
