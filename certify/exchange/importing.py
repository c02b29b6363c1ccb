"""Importing a file: read it, check all of it outside the write lock, then write all or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from certify.access.permissions import Action, Actor, PermissionDenied, Reason, authorize_admin
from certify.exchange.apply import apply_plan
from certify.exchange.kind import Kind
from certify.exchange.messages import Text
from certify.exchange.plan import Plan, make_plan
from certify.exchange.problems import Problem, UnreadableFile
from certify.exchange.store import Store
from certify.exchange.tabular import Sheet, read_table
from certify.exchange.validate import Progress, validate
from certify.model import AuditHead
from certify.store.db import Database
from certify.store.statistics import analyze


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
    #: Whether its row must be new (a form creates, never updates): else a problem.
    new_only: bool = False

    @property
    def written(self) -> bool:
        """Whether the database was changed."""
        return (
            self.plan is not None
            and not self.dry_run
            and not self.problems
            and bool(self.plan.created + self.plan.updated)
        )


#: Why a row that must be new is refused.
EXISTS = Text(
    "existe déjà\u00a0: un import modifie ce qui existe",
    "already exists: an import changes what exists",
)

#: Checks of a file made outside the write lock before one is made inside it (each one
#: after the first means someone else wrote meanwhile).
CHECKS_OUTSIDE_THE_LOCK = 2


def authorize_import(actor: Actor, kind: Kind) -> None:
    """Reference data: administrators; staff and records: administrators and coordinators."""
    if kind.reference:
        authorize_admin(actor, Action.IMPORT_REFERENCE_DATA)
    elif not actor.oversees:
        raise PermissionDenied(
            actor, Action.IMPORT_DATA, kind.name, Reason.ADMINS_AND_COORDINATORS_ONLY
        )


def import_file(
    database: Database,
    actor: Actor,
    kind: Kind,
    path: Path,
    *,
    today: date,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a file all or nothing; with any problem, nothing is written.

    ``today`` is the day rows are checked against (no assessment after it).

    The file is checked and planned in a reading session, outside the write lock, so a
    long check does not hold up other users' saves. The write transaction then locks the
    audit trail's head, which every write moves: if it moved since the check, the check
    is made again outside the lock (``CHECKS_OUTSIDE_THE_LOCK`` times in all), then, if
    the database still keeps changing, inside the write transaction. Either way, what
    was checked is what is written.
    """
    authorize_import(actor, kind)
    report = ImportReport(kind, path.name, dry_run)
    try:
        sheet = read_table(path)
    except UnreadableFile as error:
        report.problems.append(error.problem)
        return report
    return import_sheet(database, actor, report, sheet, today, progress)


def import_sheet(
    database: Database,
    actor: Actor,
    report: ImportReport,
    sheet: Sheet,
    today: date,
    progress: Progress | None = None,
) -> ImportReport:
    """Check ``sheet`` outside the write lock, then write it all or nothing (see
    :func:`import_file`); ``report`` names its kind, its source and whether to write."""
    report.description = sheet.description
    for _attempt in range(CHECKS_OUTSIDE_THE_LOCK):
        with database.reading() as session:
            checked_at = audit_head(session)
            check(session, report, sheet, actor, today, progress)
        if report.plan is None or report.dry_run:
            return report
        with database.transaction() as session:
            if audit_head(session, lock=True) == checked_at:
                write_plan(session, report.plan, actor, report.source, progress)
                return report
    with database.transaction() as session:
        audit_head(session, lock=True)
        check(session, report, sheet, actor, today, progress)
        if report.plan is not None:
            write_plan(session, report.plan, actor, report.source, progress)
    return report


def write_plan(
    session: Session, plan: Plan, actor: Actor, source: str, progress: Progress | None
) -> None:
    """Write ``plan``, then refresh the planner's statistics, which thousands of rows outdate."""
    apply_plan(session, plan, actor, source, progress)
    analyze(session.connection())


def audit_head(session: Session, *, lock: bool = False) -> str | None:
    """The audit trail's newest hash (locked against other writers when ``lock``)."""
    query = select(AuditHead.last_hash).where(AuditHead.id == 1)
    return session.execute(query.with_for_update() if lock else query).scalar_one_or_none()


def check(
    session: Session,
    report: ImportReport,
    sheet: Sheet,
    actor: Actor,
    today: date,
    progress: Progress | None,
) -> None:
    """Check ``sheet`` against the database; plan it into ``report`` if it has no problem."""
    store = Store.load(session, [entity.name for entity in report.kind.entities])
    validation = validate(sheet, report.kind, store, actor, today, progress)
    report.rows, report.notes = validation.rows, validation.notes
    report.problems = validation.problems
    report.plan = None if report.problems else make_plan(report.kind, validation.items, store)
    if report.new_only and report.plan is not None and not report.plan.entities[-1].creations:
        key, cells = report.kind.columns[0], sheet.rows[-1].cells
        value = None if cells[0] is None else str(cells[0])
        report.problems.append(Problem(sheet.rows[-1].line, key.french, value, EXISTS))
        report.plan = None
