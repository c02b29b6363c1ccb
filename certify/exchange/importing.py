"""Importing a file: read it, check all of it, plan, then write everything or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from certify.access.permissions import Action, Actor, PermissionDenied, Reason, authorize_admin
from certify.exchange.apply import apply_plan
from certify.exchange.kind import Kind
from certify.exchange.messages import Text
from certify.exchange.plan import Plan, make_plan
from certify.exchange.problems import Problem, UnreadableFile
from certify.exchange.store import Store
from certify.exchange.tabular import read_table
from certify.exchange.validate import Progress, validate


@dataclass
class ImportReport:
    """What an import found and did."""

    #: The kind of file.
    kind: Kind
    #: The file's name.
    source: str
    #: Whether nothing was to be written (``--dry-run``).
    dry_run: bool
    #: How the file was read (format, encoding, delimiter).
    description: Text | None = None
    #: Data rows read.
    rows: int = 0
    #: Every problem found; when there is any, nothing was written.
    problems: list[Problem] = field(default_factory=list)
    #: Remarks that did not stop the import.
    notes: list[Problem] = field(default_factory=list)
    #: What the import does (``None`` when there were problems).
    plan: Plan | None = None

    @property
    def written(self) -> bool:
        """Whether the database was changed."""
        return (
            self.plan is not None
            and not self.dry_run
            and not self.problems
            and bool(self.plan.created + self.plan.updated)
        )


def authorize_import(actor: Actor, kind: Kind) -> None:
    """Reference data: administrators; staff and records: administrators and coordinators."""
    if kind.reference:
        authorize_admin(actor, Action.IMPORT_DATA)
    elif not actor.oversees:
        raise PermissionDenied(
            actor, Action.IMPORT_DATA, kind.name, Reason.ADMINS_AND_COORDINATORS_ONLY
        )


def import_file(
    session: Session,
    actor: Actor,
    kind: Kind,
    path: Path,
    *,
    today: date,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a file in the caller's transaction; with any problem, nothing is written.

    ``today`` is the day rows are checked against (no assessment after it).

    ``session`` should come from ``Database.transaction()`` (or ``reading()`` for a dry
    run): the database is read, the file checked and planned, and the plan written in the
    same transaction, so what was checked is what is written.
    """
    authorize_import(actor, kind)
    report = ImportReport(kind, path.name, dry_run)
    try:
        sheet = read_table(path)
    except UnreadableFile as error:
        report.problems.append(error.problem)
        return report
    report.description = sheet.description
    store = Store.load(session, [entity.name for entity in kind.entities])
    validation = validate(sheet, kind, store, actor, today, progress)
    report.rows, report.notes = validation.rows, validation.notes
    report.problems = validation.problems
    if report.problems:
        return report
    report.plan = make_plan(kind, validation.items, store)
    if not dry_run:
        apply_plan(session, report.plan, actor, path.name, progress)
    return report
