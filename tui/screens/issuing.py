"""Issuing the certificates of a selection, batch by batch, with a progress bar; escape stops.

Each batch is one transaction of :func:`certify.services.issuance.issue_batch`: a batch is issued
whole or not at all, so stopping (or a failure) leaves every certificate issued complete
and every line not reached still in the queue.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import groupby
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import ProgressBar, Static

from tui.i18n import N_, _
from tui.screens.base import CertifyDialog
from tui.workers import deliver

#: A line of the queue: (person id, programme id).
QueueKey = tuple[int, int]
#: People issued to per transaction (progress is shown after each).
CHUNK = 20


def batches(selection: set[QueueKey], size: int) -> Iterator[tuple[int, list[int]]]:
    """The selection as (programme id, up to ``size`` person ids), by programme then person."""
    ordered = sorted(selection, key=lambda key: (key[1], key[0]))
    for programme_id, lines in groupby(ordered, key=lambda key: key[1]):
        people = [person_id for person_id, _programme in lines]
        for start in range(0, len(people), size):
            yield programme_id, people[start : start + size]


@dataclass
class IssueOutcome:
    """What a run of the dialog did."""

    #: Lines asked for.
    total: int
    #: Lines dealt with: issued, or found holding a certificate already.
    done: set[QueueKey] = field(default_factory=set)
    #: Serials of the certificates issued, in order.
    serials: list[str] = field(default_factory=list)
    #: Whether the user stopped it (or a failure did) before the end.
    stopped: bool = False


class IssueDialog(CertifyDialog[IssueOutcome]):
    """Issues a selection in batches, showing « 12 / 37 »; answers what it did."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "stop",
            N_("Stop"),
            id="issuing.stop",
            tooltip=N_("Stop after the batch under way; the rest stays in the queue"),
        ),
    ]

    def __init__(self, selection: set[QueueKey]) -> None:
        """Issue to every line of ``selection``."""
        super().__init__()
        self._selection = set(selection)
        #: What was done so far (filled by the worker, read once it has stopped).
        self.outcome = IssueOutcome(len(selection))
        self._stop = threading.Event()

    def compose(self) -> ComposeResult:
        """Title, bar, count and how to stop."""
        with Vertical(classes="dialog", id="issuing"):
            yield Static(_("Issuing certificates"), classes="box-title")
            yield ProgressBar(total=self.outcome.total, show_eta=False)
            yield Static(self.count(0), id="issued-count")
            yield Static(
                _("Escape: stop after the batch under way"), id="stop-hint", classes="hint"
            )

    def count(self, done: int) -> str:
        """« 12 / 37 »."""
        return f"{done} / {self.outcome.total}"

    def on_mount(self) -> None:
        """Start issuing."""
        self.issue()

    @work(thread=True, exit_on_error=False, group="write")
    def issue(self) -> None:
        """Issue batch by batch, each in its own transaction, until done or stopped."""
        outcome = self.outcome
        for programme_id, people in batches(self._selection, CHUNK):
            if self._stop.is_set():
                outcome.stopped = True
                break
            report = self.backend.issue_batch(self.actor, programme_id, people)
            outcome.serials += report.issued
            outcome.done |= {(person_id, programme_id) for person_id in people}
            deliver(self.app, self.advance, len(outcome.done))
        deliver(self.app, self.finish)

    def advance(self, done: int) -> None:
        """Show how many lines are dealt with."""
        self.query_one(ProgressBar).update(progress=done)
        self.query_one("#issued-count", Static).update(self.count(done))

    def finish(self) -> None:
        """Close, answering what was done."""
        self.dismiss(self.outcome)

    def action_stop(self) -> None:
        """Stop after the batch under way."""
        self._stop.set()
        self.query_one("#stop-hint", Static).update(_("Stopping after the batch under way…"))

    def worker_failed(self, error: BaseException) -> None:
        """A batch failed (the user was told; it issued nothing): answer what was done."""
        self.outcome.stopped = True
        self.finish()
