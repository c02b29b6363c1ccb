"""``certify import`` and ``certify export``: spreadsheets in and out."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from functools import partial
from pathlib import Path

from certify.cli.common import acting, add_actor_option, open_database
from certify.cli.language import Say
from certify.exchange import (
    FORMATS,
    KINDS,
    Kind,
    export_kind,
    find_kind,
    import_file,
    render_report,
)
from certify.exchange.templates import template
from certify.rules.wording import Lang, Wording, count

#: Rows from which a progress bar is drawn.
PROGRESS_FROM = 5000
#: Width of the progress bar, in characters.
BAR_WIDTH = 30


def _kind_names() -> str:
    """The kinds, with their French names, for the help text."""
    return ", ".join(f"{kind.name} ({kind.names[1]})" for kind in KINDS)


def register(commands: argparse._SubParsersAction, say: Say) -> None:
    """Add ``certify import`` and ``certify export``."""
    kinds = _kind_names()
    importing = commands.add_parser(
        "import",
        help=say(
            "importer un fichier CSV, XLSX ou YAML (tout ou rien)",
            "import a CSV, XLSX or YAML file (all or nothing)",
        ),
        description=say(
            "Vérifie tout le fichier, puis écrit toutes les lignes ou aucune. Types\u00a0: "
            f"{kinds}. Les lignes se reconnaissent à leurs e-mails, codes et numéros\u00a0: "
            "importer deux fois le même fichier ne change rien.",
            f"Check the whole file, then write every row or none. Kinds: {kinds}. Rows are "
            "matched on e-mails, codes and serials: importing the same file twice changes "
            "nothing.",
        ),
    )
    importing.add_argument(
        "kind",
        metavar=say("TYPE", "KIND"),
        help=say("ce que contient le fichier (voir plus haut)", "what the file holds (see above)"),
    )
    importing.add_argument(
        "file",
        type=Path,
        metavar=say("FICHIER", "FILE"),
        help=say(".csv, .xlsx ou .yaml", ".csv, .xlsx or .yaml"),
    )
    importing.add_argument(
        "--dry-run",
        action="store_true",
        help=say(
            "essai à blanc\u00a0: montrer ce qui serait créé, mis à jour et laissé tel quel, "
            "sans rien écrire",
            "show what would be created, updated and left unchanged; write nothing",
        ),
    )
    add_actor_option(importing, say)
    importing.set_defaults(func=import_command)

    exporting = commands.add_parser(
        "export",
        help=say(
            "exporter un type de données (CSV pour Excel en français, XLSX ou YAML)",
            "export a kind of data (CSV for French Excel, XLSX or YAML)",
        ),
        description=say(
            f"Types\u00a0: {kinds}. Le fichier se réimporte tel quel.",
            f"Kinds: {kinds}. The file imports back as it is.",
        ),
    )
    exporting.add_argument(
        "kind",
        metavar=say("TYPE", "KIND"),
        help=say("ce qu'il faut exporter (voir plus haut)", "what to export (see above)"),
    )
    exporting.add_argument(
        "--out",
        type=Path,
        metavar=say("FICHIER", "FILE"),
        help=say(
            "le fichier à écrire (par défaut\u00a0: la sortie standard)",
            "file to write (default: stdout)",
        ),
    )
    exporting.add_argument(
        "--format",
        choices=FORMATS,
        help=say(
            "format du fichier (par défaut\u00a0: selon l'extension de --out, sinon csv)",
            "file format (default: from --out's extension, else csv)",
        ),
    )
    exporting.add_argument(
        "--template",
        action="store_true",
        help=say(
            "un fichier vide à remplir\u00a0: la ligne d'en-tête seule, dans la langue "
            "choisie (csv ou xlsx)",
            "an empty file to fill in: the header row only, in the language chosen (csv or xlsx)",
        ),
    )
    add_actor_option(exporting, say)
    exporting.set_defaults(func=export_command)


#: The phases an import reports its progress in, as the exchange names them.
PHASES = {
    "validation": Wording("validation", "checking"),
    "écriture": Wording("écriture", "writing"),
}


def progress_bar(lang: Lang, phase: str, done: int, total: int) -> None:
    """A one-line progress bar on standard error, for large files."""
    if total < PROGRESS_FROM:
        return
    filled = BAR_WIDTH * done // max(total, 1)
    bar = f"{'#' * filled}{'.' * (BAR_WIDTH - filled)}"
    named = PHASES[phase].in_(lang) if phase in PHASES else phase
    shown = f"{count(done).in_(lang)}/{count(total).in_(lang)}"
    print(f"\r{named:<10} [{bar}] {shown}", end="", file=sys.stderr, flush=True)
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
        progress=partial(progress_bar, args.lang),
    )
    print(render_report(report, args.lang))
    return 1 if report.problems else 0


def write_template(args: argparse.Namespace, kind: Kind, format: str) -> int:
    """Write an empty file of ``kind`` to fill in, to a file or to standard output."""
    data = template(kind, format, args.lang)
    if args.out is None:
        sys.stdout.buffer.write(data)
    else:
        args.out.write_bytes(data)
        said = Say(args.lang)(f"modèle écrit\u00a0: {args.out}", f"template written: {args.out}")
        print(said, file=sys.stderr)
    return 0


def export_command(args: argparse.Namespace) -> int:
    """Write the export to a file or to standard output."""
    kind = find_kind(args.kind)
    suffix = args.out.suffix.lower().lstrip(".") if args.out else ""
    chosen = args.format or {"yml": "yaml"}.get(suffix, suffix if suffix in FORMATS else "csv")
    if args.template:
        return write_template(args, kind, chosen)
    database = open_database(args)
    with database.reading() as session:
        export = export_kind(session, acting(session, args), kind, chosen)
    if args.out is None:
        sys.stdout.buffer.write(export.data)
        return 0
    args.out.write_bytes(export.data)
    rows = Wording(
        f"{count(export.rows).fr} ligne(s) exportée(s)", f"{count(export.rows).en} row(s) exported"
    ).agreed(export.rows)
    print(
        Say(args.lang)(f"{rows.fr}\u00a0: {args.out}", f"{rows.en}: {args.out}"),
        file=sys.stderr,
    )
    return 0
