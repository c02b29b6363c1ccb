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
    add_site_or_region,
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
    add_lang_option,
    chosen_date,
    open_database,
    subcommand,
)
from certify.cli.language import Say
from certify.model import Certificate, CertificateState
from certify.parsing import find_programme
from certify.rules.wording import Lang, Wording, count
from certify.services.documents import pdf_sha256, unsigned_certificates
from certify.services.issuance import batch_candidates, issue_batch
from certify.views.certificate_records import find_certificates, viewable_certificate
from certify.views.labels import CERTIFICATE_STATES
from certify.views.standing_certificates import standing_certificates

#: Worker processes of a batch by default.
DEFAULT_WORKERS = 2


def register(commands: argparse._SubParsersAction, say: Say) -> None:
    """Add ``certificate export``, ``batch`` and ``sign``, and the signing of ``issue``."""
    certificate = commands.add_parser(
        "certificate", help=say("les PDF des certificats", "certificate PDFs")
    )
    actions = certificate.add_subparsers(
        title=say("commandes de certificate", "certificate commands"),
        metavar=say("ACTION", "ACTION"),
        required=True,
    )
    _add_export(actions, say)
    _add_batch(actions, say)
    sign = actions.add_parser(
        "sign",
        help=say(
            "signer les certificats délivrés sans signature (avant la signature à la "
            "délivrance, ou faute de trousseau de clés configuré)",
            "sign the certificates issued unsigned (before signing at issue, or "
            "while no key ring was configured)",
        ),
    )
    add_keys_option(sign, say)
    add_actor_option(sign, say)
    sign.set_defaults(func=sign_command)

    for name in ("issue", "reissue"):
        issuing = subcommand(commands, name)
        add_keys_option(issuing, say)
        issuing.set_defaults(sign_issued=issued_signer)


def _add_export(actions: argparse._SubParsersAction, say: Say) -> None:
    """Add ``certificate export``."""
    export = actions.add_parser(
        "export", help=say("écrire le PDF d'un certificat", "write the PDF of one certificate")
    )
    export.add_argument(
        "serial",
        metavar=say("NUMÉRO", "SERIAL"),
        help=say("par exemple CDM-2026-000123", "e.g. CDM-2026-000123"),
    )
    export.add_argument(
        "--out",
        type=Path,
        metavar=say("FICHIER", "FILE"),
        help=say(
            "par défaut\u00a0: NUMÉRO.pdf (NUMÉRO-en.pdf en anglais)",
            "default: SERIAL.pdf (SERIAL-en.pdf in English)",
        ),
    )
    add_lang_option(export, say)
    add_keys_option(export, say)
    add_actor_option(export, say)
    export.set_defaults(func=export_command)


def _add_batch(actions: argparse._SubParsersAction, say: Say) -> None:
    """Add ``certificate batch``."""
    batch = actions.add_parser(
        "batch",
        help=say(
            "délivrer à chaque personne éligible d'un périmètre, puis écrire le PDF de chaque "
            "certificat en vigueur (relancer après une interruption pour finir)",
            "issue to every eligible person of a scope, then write every standing "
            "certificate's PDF (re-run after an interruption to finish)",
        ),
    )
    batch.add_argument(
        "--programme",
        required=True,
        metavar=say("CODE", "CODE"),
        help=say("code du programme", "programme code"),
    )
    add_site_or_region(batch, say)
    batch.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar=say("DOSSIER", "DIR"),
        help=say("dossier des PDF", "folder of PDFs"),
    )
    batch.add_argument(
        "--merged",
        type=Path,
        metavar=say("FICHIER", "FILE"),
        help=say("aussi un seul PDF à imprimer", "also one PDF for printing"),
    )
    batch.add_argument(
        "--workers",
        type=int,
        default=DEFAULT_WORKERS,
        metavar="N",
        help=say("processus", "processes"),
    )
    add_lang_option(batch, say)
    add_date_option(batch, say, say("jour de délivrance", "day of issue"))
    add_keys_option(batch, say)
    add_actor_option(batch, say)
    batch.set_defaults(func=batch_command)


def issued_signer(args: argparse.Namespace) -> SignIssued:
    """What signs the certificates ``issue``/``reissue`` write, with the ring's active key.

    Without a key ring here they are issued unsigned, and the user is told how to sign them.
    """
    folder = keys_folder(args)
    if not (folder / INDEX_FILE).exists():
        return lambda session, certificates: _warn_unsigned(folder, certificates, args.lang)
    signer = Signer.load(folder, passphrase(args.lang))
    return lambda session, certificates: sign_certificates(
        session, certificates, signer, signing_now()
    )


def _warn_unsigned(folder: Path, certificates: Sequence[Certificate], lang: Lang) -> None:
    """Say that ``certificates`` were issued unsigned, for want of a key ring in ``folder``."""
    if certificates:
        issued = len(certificates)
        warning = Wording(
            f"attention\u00a0: aucun trousseau de clés dans {folder}\u00a0; {count(issued).fr} "
            "certificat(s) délivré(s) sans signature («\u00a0certify certificate sign\u00a0» "
            "le(s) signera).",
            f"warning: no key ring in {folder}; {count(issued).en} certificate(s) issued "
            f"unsigned ('certify certificate sign' will sign {'it' if issued == 1 else 'them'}).",
        )
        print(warning.agreed(issued).in_(lang), file=sys.stderr)


def _signer(args: argparse.Namespace) -> Callable[[], Signer]:
    """The ring's signer, loaded (and the passphrase asked) only if a certificate needs it."""
    folder = keys_folder(args)
    return lambda: Signer.load(folder, passphrase(args.lang))


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
        state = CERTIFICATE_STATES[certificate.state].fr.lower()
        print(
            Say(args.lang)(
                f"attention\u00a0: ce certificat est {state}\u00a0; la vérification le dira.",
                f"warning: this certificate is {certificate.state}; verification will say so.",
            ),
            file=sys.stderr,
        )
    return 0


def batch_command(args: argparse.Namespace) -> int:
    """Issue to the eligible, then write the PDFs of the scope's standing certificates."""
    as_of = chosen_date(args)
    signer = Signer.load(keys_folder(args), passphrase(args.lang))
    say = Say(args.lang)
    database = open_database(args)
    with database.transaction() as session:
        actor = acting(session, args)
        programme = find_programme(session, args.programme)
        scope = requested_scope(session, actor, args.site, args.region).scope
        candidates = batch_candidates(session, actor, programme.id, scope, as_of)
        progress = ProgressBar(say("délivrance", "issue"))
        issued = issue_batch(session, actor, programme.id, candidates, as_of, progress)
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
    summary = batch_summary(len(issued.issued), len(result.rendered), len(result.copied), args.out)
    print(summary.in_(args.lang))
    if args.merged:
        merge_pdfs(result.paths, args.merged)
        sheets = len(result.paths)
        pages = Wording(f"{count(sheets).fr} page(s)", f"{count(sheets).en} page(s)").agreed(sheets)
        print(
            say(
                f"PDF d'impression\u00a0: {args.merged} ({pages.fr})",
                f"Print PDF: {args.merged} ({pages.en})",
            )
        )
    return 0


def batch_summary(issued: int, rendered: int, copied: int, folder: Path) -> Wording:
    """How many certificates a batch issued, and how many PDFs it rendered or copied."""
    new = Wording(
        f"{count(issued).fr} certificat(s) délivré(s)", f"{count(issued).en} certificate(s) issued"
    ).agreed(issued)
    made = Wording(
        f"{count(rendered).fr} PDF rendu(s)", f"{count(rendered).en} PDF(s) rendered"
    ).agreed(rendered)
    kept = Wording(f"{count(copied).fr} repris de la base", f"{count(copied).en} from the database")
    return Wording(
        f"{new.fr}\u00a0; {made.fr}, {kept.fr}, dans {folder}",
        f"{new.en}; {made.en}, {kept.en}, in {folder}",
    )


def sign_command(args: argparse.Namespace) -> int:
    """Sign, in one transaction, every certificate certify issued that is not signed yet."""
    database = open_database(args)
    with database.transaction() as session:
        authorize_admin(acting(session, args), Action.SIGN_CERTIFICATES)
        pending: list[Certificate] = unsigned_certificates(session)
        if pending:
            sign_certificates(session, pending, _signer(args)(), signing_now())
    signed = len(pending)
    print(
        Wording(
            f"{count(signed).fr} certificat(s) signé(s)",
            f"{count(signed).en} certificate(s) signed",
        )
        .agreed(signed)
        .in_(args.lang)
    )
    return 0
