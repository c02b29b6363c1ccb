"""``certify audit log``: the audit trail people can read, filtered, paged, in three formats."""

from __future__ import annotations

import argparse
import csv
import io
import json
from typing import Any

from certify.cli.common import acting, add_actor_option, add_lang_option, open_database
from certify.cli.language import Say
from certify.errors import CertifyError
from certify.parsing import find_person, parse_date
from certify.rules.wording import Lang, Wording
from certify.views.audit_log import AuditFilters, AuditLine, AuditPage, audit_log

#: Most events one page may hold.
MOST_PER_PAGE = 1000
#: The text table's columns: heading and width (the last column takes what is left).
COLUMNS: tuple[tuple[Wording, int], ...] = (
    (Wording("n°", "no."), 7),
    (Wording("date", "time"), 16),
    (Wording("acteur", "actor"), 14),
    (Wording("action", "action"), 30),
    (Wording("personne", "person"), 22),
    (Wording("détails", "details"), 0),
)


def register_log(audit_actions: argparse._SubParsersAction, say: Say) -> None:
    """Add ``audit log`` to the ``audit`` commands."""
    log = audit_actions.add_parser(
        "log",
        help=say(
            "la piste d'audit, des événements les plus récents aux plus anciens\u00a0: qui a fait "
            "quoi, pour qui, quand (dans votre périmètre)",
            "the audit trail, newest first: who did what, to whom, when (within your scope)",
        ),
    )
    log.add_argument(
        "--person",
        metavar=say("PERSONNE", "PERSON"),
        help=say(
            "les événements concernant cette personne\u00a0: e-mail, n° ou nom",
            "events about this person: e-mail, id or name",
        ),
    )
    log.add_argument(
        "--actor",
        metavar=say("IDENTIFIANT", "USERNAME"),
        help=say("les événements de ce compte (ou system)", "events by this account (or system)"),
    )
    log.add_argument(
        "--action",
        nargs="+",
        metavar="ACTION",
        help=say(
            "les événements de ces actions, par exemple assessment.recorded",
            "events of these actions, e.g. assessment.recorded",
        ),
    )
    log.add_argument(
        "--since",
        metavar="DATE",
        help=say(
            "les événements de ce jour ou d'après (heure de Paris)",
            "events on or after this day (Paris time)",
        ),
    )
    log.add_argument(
        "--until",
        metavar="DATE",
        help=say(
            "les événements de ce jour ou d'avant (heure de Paris)",
            "events on or before this day (Paris time)",
        ),
    )
    log.add_argument(
        "--limit",
        type=int,
        default=50,
        metavar="N",
        help=say("événements par page (par défaut\u00a0: 50)", "events per page (default 50)"),
    )
    paging = log.add_mutually_exclusive_group()
    paging.add_argument(
        "--page",
        type=int,
        metavar="K",
        help=say(
            "la page K (1\u00a0: les événements les plus récents)", "page K (1: the newest events)"
        ),
    )
    paging.add_argument(
        "--before",
        type=int,
        metavar=say("NUMÉRO", "EVENT_ID"),
        help=say(
            "les événements de numéro inférieur à celui-ci", "the events numbered below this one"
        ),
    )
    log.add_argument(
        "--format",
        choices=["text", "csv", "json"],
        default="text",
        help=say("format de sortie (par défaut\u00a0: text)", "output format (default: text)"),
    )
    add_lang_option(log, say)
    add_actor_option(log, say)
    log.set_defaults(func=audit_log_command)


def _positive(value: int | None, option: str) -> None:
    """Refuse a page size or number below 1."""
    if value is not None and value < 1:
        raise CertifyError(
            f"{option} doit être un nombre entier positif",
            f"{option} must be a positive whole number",
        )


def audit_log_command(args: argparse.Namespace) -> int:
    """Print one page of the audit trail the acting account may read."""
    _positive(args.limit, "--limit")
    _positive(args.page, "--page")
    _positive(args.before, "--before")
    if args.limit > MOST_PER_PAGE:
        raise CertifyError(
            f"--limit ne dépasse pas {MOST_PER_PAGE}", f"--limit is {MOST_PER_PAGE} at most"
        )
    since = parse_date(args.since, "--since") if args.since else None
    until = parse_date(args.until, "--until") if args.until else None
    database = open_database(args)
    with database.reading() as session:
        actor = acting(session, args)
        person_id = find_person(session, args.person).id if args.person else None
        filters = AuditFilters(person_id, args.actor, tuple(args.action or ()), since, until)
        page = audit_log(
            session,
            actor,
            filters,
            limit=args.limit,
            before=args.before,
            offset=((args.page or 1) - 1) * args.limit,
        )
    lang: Lang = args.lang
    if args.format == "json":
        print(json.dumps(as_json(page, lang), ensure_ascii=False, indent=2))
    elif args.format == "csv":
        print(as_csv(page, lang), end="")
    else:
        print(as_text(page, lang))
    return 0


def _record(line: AuditLine, lang: Lang) -> dict[str, Any]:
    """One event, every field of it."""
    return {
        "id": line.id,
        "occurred_at": line.local_time.isoformat(),
        "actor_id": line.actor_id,
        "actor": line.actor,
        "action": line.action,
        "label": line.label.in_(lang),
        "entity_type": line.entity_type,
        "entity_key": line.entity_key,
        "person_id": line.person_id,
        "person": line.person,
        "summary": line.summary,
        "details": line.details,
    }


def as_json(page: AuditPage, lang: Lang) -> dict[str, Any]:
    """The page as a JSON document: its events and the ``--before`` of the next page."""
    return {
        "events": [_record(line, lang) for line in page.lines],
        "next_before": page.next_before,
    }


def as_csv(page: AuditPage, lang: Lang) -> str:
    """The page as CSV, one event a row, the payload whole as JSON in the last column."""
    out = io.StringIO()
    writer = csv.writer(out)
    fields = list(_record(page.lines[0], lang)) if page.lines else list(_EMPTY_FIELDS)
    writer.writerow(fields)
    for line in page.lines:
        record = _record(line, lang)
        record["details"] = json.dumps(line.details, ensure_ascii=False, sort_keys=True)
        writer.writerow(["" if record[f] is None else record[f] for f in fields])
    return out.getvalue()


#: The CSV columns, for a page without events.
_EMPTY_FIELDS = (
    "id",
    "occurred_at",
    "actor_id",
    "actor",
    "action",
    "label",
    "entity_type",
    "entity_key",
    "person_id",
    "person",
    "summary",
    "details",
)


def _cell(text: str, width: int) -> str:
    """``text`` in a column ``width`` wide, cut with … when too long."""
    if width == 0:
        return text
    return text.ljust(width) if len(text) <= width else text[: width - 1] + "…"


def as_text(page: AuditPage, lang: Lang) -> str:
    """The page as a table, with how to read the next one."""
    if not page.lines:
        return Wording("aucun événement", "no events").in_(lang)
    moment = "%d/%m/%Y %H:%M" if lang == "fr" else "%Y-%m-%d %H:%M"
    rows = [[heading.in_(lang) for heading, _ in COLUMNS]]
    for line in page.lines:
        rows.append(
            [
                str(line.id),
                line.local_time.strftime(moment),
                line.actor,
                line.label.in_(lang),
                line.person or "",
                line.summary,
            ]
        )
    lines = [
        "  ".join(
            _cell(text, width) for text, (_, width) in zip(row, COLUMNS, strict=True)
        ).rstrip()
        for row in rows
    ]
    if page.next_before is not None:
        lines.append(
            Wording(
                f"suite\u00a0: --before {page.next_before}", f"more: --before {page.next_before}"
            ).in_(lang)
        )
    return "\n".join(lines)
