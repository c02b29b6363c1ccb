"""``certify certificate export SERIAL`` and ``certify certificate batch``: the PDFs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from certificates.batch import merge_pdfs, render_batch
from certificates.commands.common import (
    ProgressBar,
    add_keys_option,
    add_lang_option,
    keys_folder,
    passphrase,
)
from certificates.files import write_atomically
from certificates.issuer import load_issuer
from certificates.keys import SigningKeys
from certificates.service import deliver_certificate
from certify.access.narrowing import requested_scope
from certify.cli.common import (
    acting,
    add_actor_option,
    add_date_option,
    chosen_date,
    open_database,
)
from certify.model import CertificateState
from certify.parsing import find_programme
from certify.services.documents import pdf_sha256
from certify.services.issuance import batch_candidates, issue_batch
from certify.views.certificate_records import viewable_certificate
from certify.views.standing_certificates import standing_certificates

#: Worker processes of a batch by default.
DEFAULT_WORKERS = 2


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``certificate export`` and ``certificate batch``."""
    certificate = commands.add_parser("certificate", help="certificate PDFs")
    actions = certificate.add_subparsers(
        title="certificate commands", metavar="ACTION", required=True
    )
    export = actions.add_parser("export", help="write the PDF of one certificate")
    export.add_argument("serial", help="e.g. CDM-2026-000123")
    export.add_argument(
        "--out", type=Path, metavar="FILE", help="default: SERIAL.pdf (SERIAL-en.pdf in English)"
    )
    add_lang_option(export)
    add_keys_option(export)
    add_actor_option(export)
    export.set_defaults(func=export_command)

    batch = actions.add_parser(
        "batch",
        help="issue to every eligible person of a scope, then write every standing "
        "certificate's PDF (re-run after an interruption to finish)",
    )
    batch.add_argument("--programme", required=True, help="programme code")
    where = batch.add_mutually_exclusive_group()
    where.add_argument("--site", help="a site (code) and its centres")
    where.add_argument("--region", help="a region (name)")
    batch.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder of PDFs")
    batch.add_argument("--merged", type=Path, metavar="FILE", help="also one PDF for printing")
    batch.add_argument("--workers", type=int, default=DEFAULT_WORKERS, help="processes")
    add_lang_option(batch)
    add_date_option(batch, "day of issue")
    add_keys_option(batch)
    add_actor_option(batch)
    batch.set_defaults(func=batch_command)


def export_command(args: argparse.Namespace) -> int:
    """Write one certificate's PDF: the one stored, else rendered now and stored."""
    folder = keys_folder(args)
    issuer = load_issuer(folder)
    keys = SigningKeys(folder, passphrase())
    database = open_database(args)
    with database.transaction() as session:
        certificate = viewable_certificate(session, acting(session, args), args.serial)
        pdf = deliver_certificate(session, certificate, keys, issuer, args.lang)
    suffix = "" if args.lang == "fr" else f"-{args.lang}"
    target = args.out or Path(f"{certificate.serial}{suffix}.pdf")
    write_atomically(target, pdf)
    print(f"{certificate.serial} → {target} (SHA-256 {pdf_sha256(pdf)})")
    if certificate.state is not CertificateState.ISSUED:
        print(
            f"attention : ce certificat est {certificate.state} ; la vérification le dira. "
            f"/ warning: this certificate is {certificate.state}; verification will say so.",
            file=sys.stderr,
        )
    return 0


def batch_command(args: argparse.Namespace) -> int:
    """Issue to the eligible, then write the PDFs of the scope's standing certificates."""
    as_of = chosen_date(args)
    folder = keys_folder(args)
    issuer = load_issuer(folder)
    keys = SigningKeys(folder, passphrase())
    database = open_database(args)
    with database.transaction() as session:
        actor = acting(session, args)
        programme = find_programme(session, args.programme)
        scope = requested_scope(session, actor, args.site, args.region).scope
        candidates = batch_candidates(session, actor, programme.id, scope, as_of)
        issued = issue_batch(
            session, actor, programme.id, candidates, as_of, ProgressBar("délivrance / issue")
        )
    with database.reading() as session:
        certificates = standing_certificates(session, programme.id, scope, as_of)
    result = render_batch(
        database,
        certificates,
        keys,
        issuer,
        args.out,
        args.lang,
        args.workers,
        ProgressBar("PDF"),
    )
    print(
        f"{len(issued.issued)} certificat(s) délivré(s) / issued; "
        f"{len(result.rendered)} PDF rendu(s) / rendered, {len(result.copied)} repris de la "
        f"base / from the database, in {args.out}"
    )
    if args.merged:
        merge_pdfs(result.paths, args.merged)
        print(f"PDF d'impression / print PDF: {args.merged} ({len(result.paths)} pages)")
    return 0
