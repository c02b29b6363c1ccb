"""``certify import`` and ``certify export``: spreadsheets in and out."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from certify.cli.common import acting, add_actor_option, open_database
from certify.exchange import FORMATS, KINDS, export_kind, find_kind, import_file, render_report

#: Rows from which a progress bar is drawn.
PROGRESS_FROM = 5000
#: Width of the progress bar, in characters.
BAR_WIDTH = 30


def _kind_names() -> str:
    """The kinds, with their French names, for the help text."""
    return ", ".join(f"{kind.name} ({kind.names[1]})" for kind in KINDS)


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``certify import`` and ``certify export``."""
    importing = commands.add_parser(
        "import",
        help="importer un fichier / import a CSV, XLSX or YAML file (all or nothing)",
        description="Check the whole file, then write every row or none. Kinds: "
        f"{_kind_names()}. Rows are matched on e-mails, codes and serials: importing the "
        "same file twice changes nothing.",
    )
    importing.add_argument("kind", metavar="KIND", help="what the file holds (see above)")
    importing.add_argument("file", type=Path, metavar="FILE", help=".csv, .xlsx or .yaml")
    importing.add_argument(
        "--dry-run",
        action="store_true",
        help="show what would be created, updated and left unchanged; write nothing",
    )
    add_actor_option(importing)
    importing.set_defaults(func=import_command)

    exporting = commands.add_parser(
        "export",
        help="exporter / export a kind of data (CSV for French Excel, XLSX or YAML)",
        description=f"Kinds: {_kind_names()}. The file imports back as it is.",
    )
    exporting.add_argument("kind", metavar="KIND", help="what to export (see above)")
    exporting.add_argument(
        "--out", type=Path, metavar="FILE", help="file to write (default: stdout)"
    )
    exporting.add_argument(
        "--format", choices=FORMATS, help="file format (default: from --out's extension, else csv)"
    )
    add_actor_option(exporting)
    exporting.set_defaults(func=export_command)


def progress_bar(phase: str, done: int, total: int) -> None:
    """A one-line progress bar on standard error, for large files."""
    if total < PROGRESS_FROM:
        return
    filled = BAR_WIDTH * done // max(total, 1)
    bar = f"{'#' * filled}{'.' * (BAR_WIDTH - filled)}"
    print(f"\r{phase:<10} [{bar}] {done}/{total}", end="", file=sys.stderr, flush=True)
    if done == total:
        print(file=sys.stderr)


def import_command(args: argparse.Namespace) -> int:
    """Import a file; exit 1 (nothing written) when it has any problem."""
    kind = find_kind(args.kind)
    database = open_database(args)
    with database.reading() as session:
        actor = acting(session, args)
    report = import_file(
        database,
        actor,
        kind,
        args.file,
        today=date.today(),
        dry_run=args.dry_run,
        progress=progress_bar,
    )
    print(render_report(report, getattr(args, "lang", "fr")))
    return 1 if report.problems else 0


def export_command(args: argparse.Namespace) -> int:
    """Write the export to a file or to standard output."""
    kind = find_kind(args.kind)
    suffix = args.out.suffix.lower().lstrip(".") if args.out else ""
    chosen = args.format or {"yml": "yaml"}.get(suffix, suffix if suffix in FORMATS else "csv")
    database = open_database(args)
    with database.reading() as session:
        export = export_kind(session, acting(session, args), kind, chosen)
    if args.out is None:
        sys.stdout.buffer.write(export.data)
        return 0
    args.out.write_bytes(export.data)
    print(f"{export.rows} ligne(s) exportée(s) / row(s) exported: {args.out}", file=sys.stderr)
    return 0
