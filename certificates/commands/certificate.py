"""``certify certificate export|batch|sign``, and the signing of what ``issue`` and ``reissue``
issue: certificates are signed in the transaction that issues them."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
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
from certificates.keys import INDEX_FILE
from certificates.service import deliver_certificate
from certificates.signing import Signer, sign_certificates, signing_now
from certify.access.narrowing import requested_scope
from certify.access.permissions import Action, authorize_admin
from certify.cli.certification import SignIssued
from certify.cli.common import (
    acting,
    add_actor_option,
    add_date_option,
    chosen_date,
    open_database,
    subcommand,
)
from certify.model import Certificate, CertificateState
from certify.parsing import find_programme
from certify.services.documents import pdf_sha256, unsigned_certificates
from certify.services.issuance import batch_candidates, issue_batch
from certify.views.certificate_records import find_certificates, viewable_certificate
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

    sign = actions.add_parser(
        "sign",
        help="sign the certificates issued unsigned (before signing at issue, or "
        "while no key ring was configured)",
    )
    add_keys_option(sign)
    add_actor_option(sign)
    sign.set_defaults(func=sign_command)

    for name in ("issue", "reissue"):
        issuing = subcommand(commands, name)
        add_keys_option(issuing)
        issuing.set_defaults(sign_issued=issued_signer)


def issued_signer(args: argparse.Namespace) -> SignIssued:
    """What signs the certificates ``issue``/``reissue`` write, with the ring's active key.

    Without a key ring here they are issued unsigned, and the user is told how to sign them.
    """
    folder = keys_folder(args)
    if not (folder / INDEX_FILE).exists():
        return lambda session, certificates: _warn_unsigned(folder, certificates)
    signer = Signer.load(folder, passphrase())
    return lambda session, certificates: sign_certificates(
        session, certificates, signer, signing_now()
    )


def _warn_unsigned(folder: Path, certificates: Sequence[Certificate]) -> None:
    """Say that ``certificates`` were issued unsigned, for want of a key ring in ``folder``."""
    if certificates:
        print(
            f"attention\u00a0: aucun trousseau de clés dans {folder}\u00a0; {len(certificates)} "
            "certificat(s) délivré(s) sans signature («\u00a0certify certificate sign\u00a0» les "
            f"signera). / warning: no key ring in {folder}; {len(certificates)} "
            "certificate(s) issued unsigned ('certify certificate sign' will sign them).",
            file=sys.stderr,
        )


def _signer(args: argparse.Namespace) -> Callable[[], Signer]:
    """The ring's signer, loaded (and the passphrase asked) only if a certificate needs it."""
    folder = keys_folder(args)
    return lambda: Signer.load(folder, passphrase())


def export_command(args: argparse.Namespace) -> int:
    """Write one certificate's PDF: the one stored, else rendered now and stored."""
    database = open_database(args)
    with database.transaction() as session:
        certificate = viewable_certificate(session, acting(session, args), args.serial)
        pdf = deliver_certificate(session, certificate, args.lang, _signer(args))
    suffix = "" if args.lang == "fr" else f"-{args.lang}"
    target = args.out or Path(f"{certificate.serial}{suffix}.pdf")
    write_atomically(target, pdf)
    print(f"{certificate.serial} → {target} (SHA-256 {pdf_sha256(pdf)})")
    if certificate.state is not CertificateState.ISSUED:
        print(
            f"attention : ce certificat est {certificate.state} ; la vérification le dira. "
            f"/ warning: this certificate is {certificate.state}; verification will say so.",
            file=sys.stderr,
        )
    return 0


def batch_command(args: argparse.Namespace) -> int:
    """Issue to the eligible, then write the PDFs of the scope's standing certificates."""
    as_of = chosen_date(args)
    signer = Signer.load(keys_folder(args), passphrase())
    database = open_database(args)
    with database.transaction() as session:
        actor = acting(session, args)
        programme = find_programme(session, args.programme)
        scope = requested_scope(session, actor, args.site, args.region).scope
        candidates = batch_candidates(session, actor, programme.id, scope, as_of)
        issued = issue_batch(
            session, actor, programme.id, candidates, as_of, ProgressBar("délivrance / issue")
        )
        new = find_certificates(session, issued.issued)
        sign_certificates(session, new, signer, signing_now())
    with database.reading() as session:
        certificates = standing_certificates(session, programme.id, scope, as_of)
    result = render_batch(
        database,
        certificates,
        lambda: signer,
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


def sign_command(args: argparse.Namespace) -> int:
    """Sign, in one transaction, every certificate certify issued that is not signed yet."""
    database = open_database(args)
    with database.transaction() as session:
        authorize_admin(acting(session, args), Action.SIGN_CERTIFICATES)
        pending: list[Certificate] = unsigned_certificates(session)
        if pending:
            sign_certificates(session, pending, _signer(args)(), signing_now())
    print(f"{len(pending)} certificat(s) signé(s) / certificate(s) signed")
    return 0
