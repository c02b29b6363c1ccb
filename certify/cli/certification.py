"""``certify why``, ``issue``, ``revoke``, ``reissue``, ``audit verify`` (and ``audit log``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from certify.access.permissions import Action, authorize_admin
from certify.cli.audit_log import register_log
from certify.cli.common import (
    acting,
    add_actor_option,
    add_date_option,
    add_lang_option,
    chosen_date,
    open_database,
)
from certify.cli.language import Say
from certify.errors import CertifyError
from certify.model import Certificate
from certify.parsing import find_person, find_programme, find_region, find_site
from certify.rules.scope import Scope
from certify.rules.wording import Lang, Wording, count
from certify.rules.written_dates import written_date
from certify.services.issuance import (
    Outcome,
    batch_candidates,
    issue_batch,
    issue_certificate,
    reissue_certificate,
    revoke_certificate,
)
from certify.store.audit import ChainHead, ChainReport, verify_chain
from certify.views.certificate_history import Disagreement, certificate_disagreements
from certify.views.certificate_records import find_certificates
from certify.views.standing import standing

#: Exit status of ``audit verify`` when the trail is broken or a certificate disagrees with it.
AUDIT_BROKEN = 4
#: Disagreeing certificates listed at most (the count says how many more).
MOST_DISAGREEMENTS_SHOWN = 20


@dataclass(frozen=True)
class Anchor:
    """A head of the chain trusted from outside the database, and what it is."""

    #: The head the chain must reach.
    head: ChainHead
    #: What vouches for it, e.g. a signed checkpoint and its date.
    source: Wording


#: What an outer package sets as ``audit_anchor`` on ``audit verify`` (with options of its
#: own, e.g. ``--checkpoint``): the anchor those options name, or ``None``.
AnchorReader = Callable[[argparse.Namespace], Anchor | None]

#: Signs certificates just issued, inside the issuing transaction.
SignIssued = Callable[[Session, Sequence[Certificate]], object]

#: What an outer package sets as ``sign_issued`` on ``issue`` and ``reissue``: called with
#: the arguments before anything is written (so a wrong passphrase writes nothing), it
#: gives what signs the certificates issued.
IssuedSigner = Callable[[argparse.Namespace], SignIssued]


def register(commands: argparse._SubParsersAction, say: Say) -> None:
    """Add the certification commands."""
    why = commands.add_parser(
        "why",
        help=say(
            "pourquoi une personne est (ou n'est pas) éligible à un programme, preuves à l'appui",
            "why a person is (or is not) eligible for a programme, with the evidence",
        ),
    )
    why.add_argument(
        "person",
        metavar=say("personne", "person"),
        help=say("e-mail, n° ou nom", "e-mail, id or name"),
    )
    why.add_argument(
        "programme",
        help=say("code du programme, par exemple CERT-ACC", "programme code, e.g. CERT-ACC"),
    )
    add_lang_option(why, say)
    add_date_option(why, say, say("au jour donné", "as of this day"))
    add_actor_option(why, say)
    why.set_defaults(func=why_command)

    issue = commands.add_parser(
        "issue",
        help=say(
            "délivrer des certificats à une personne ou à un lot",
            "issue certificates to one person or a batch",
        ),
    )
    issue.add_argument(
        "--programme", required=True, help=say("code du programme", "programme code")
    )
    target = issue.add_mutually_exclusive_group()
    target.add_argument(
        "--person",
        metavar=say("PERSONNE", "PERSON"),
        help=say("une personne\u00a0: e-mail, n° ou nom", "one person: e-mail, id or name"),
    )
    target.add_argument(
        "--site",
        help=say(
            "chaque personne éligible d'un site (code)", "every eligible person of a site (code)"
        ),
    )
    target.add_argument(
        "--region",
        metavar=say("RÉGION", "REGION"),
        help=say(
            "chaque personne éligible d'une région (nom)",
            "every eligible person of a region (name)",
        ),
    )
    issue.add_argument(
        "--override",
        metavar=say("MOTIF", "REASON"),
        help=say(
            "délivrer à une seule personne malgré des exigences manquantes",
            "issue to one person despite missing requirements",
        ),
    )
    add_date_option(issue, say, say("jour de la délivrance", "day of issue"))
    add_actor_option(issue, say)
    issue.set_defaults(func=issue_command, sign_issued=None)

    revoke = commands.add_parser(
        "revoke", help=say("révoquer un certificat", "revoke a certificate")
    )
    _serial_and_reason(revoke, say)
    add_date_option(revoke, say, say("jour où la révocation prend effet", "effective day"))
    add_actor_option(revoke, say)
    revoke.set_defaults(func=revoke_command)

    reissue = commands.add_parser(
        "reissue",
        help=say(
            "rééditer un certificat (par exemple pour corriger un nom), en gardant son historique",
            "replace a certificate (e.g. corrected name), keeping its lineage",
        ),
    )
    _serial_and_reason(reissue, say)
    add_date_option(reissue, say, say("jour de la réédition", "day of reissue"))
    add_actor_option(reissue, say)
    reissue.set_defaults(func=reissue_command, sign_issued=None)

    audit = commands.add_parser("audit", help=say("la piste d'audit", "the audit trail"))
    audit_actions = audit.add_subparsers(
        title=say("commandes d'audit", "audit commands"),
        metavar=say("ACTION", "ACTION"),
        required=True,
    )
    verify = audit_actions.add_parser(
        "verify",
        help=say(
            "vérifier la chaîne d'empreintes de la piste d'audit, et chaque certificat d'après "
            "ses événements",
            "check the hash chain of the audit trail, and each certificate against its events",
        ),
    )
    add_actor_option(verify, say)
    verify.set_defaults(func=audit_verify_command, audit_anchor=None)
    register_log(audit_actions, say)


def _serial_and_reason(parser: argparse.ArgumentParser, say: Say) -> None:
    """The certificate's serial and the ``--reason`` for changing it."""
    parser.add_argument(
        "serial",
        metavar=say("numéro", "serial"),
        help=say("le numéro du certificat", "the certificate's serial"),
    )
    parser.add_argument(
        "--reason",
        required=True,
        metavar=say("MOTIF", "REASON"),
        help=say("le motif, gardé dans la piste d'audit", "why, kept in the audit trail"),
    )


def why_command(args: argparse.Namespace) -> int:
    """Print the status and its explanation; exit 0 when eligible, 3 when not."""
    database = open_database(args)
    with database.reading() as session:
        actor = acting(session, args)
        person = find_person(session, args.person)
        programme = find_programme(session, args.programme)
        found = standing(session, actor, person.id, programme.id, chosen_date(args))
    print(found.render(args.lang))
    return 0 if found.explanation.eligible else 3


def _scope(args: argparse.Namespace, session: Session) -> Scope:
    """The batch scope named by --site or --region (else the network)."""
    if args.site:
        return Scope.sites(find_site(session, args.site).id)
    if args.region:
        return Scope.regions(find_region(session, args.region).id)
    return Scope.network()


def _print_progress(done: int, total: int) -> None:
    """A one-line progress bar on standard error."""
    width = 30
    filled = width * done // max(total, 1)
    print(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", end="", file=sys.stderr)
    if done == total:
        print(file=sys.stderr)


def issue_command(args: argparse.Namespace) -> int:
    """Issue to one person, or to every eligible person of a scope."""
    database, say = open_database(args), Say(args.lang)
    as_of = chosen_date(args)
    if args.override and not args.person:
        raise CertifyError(
            "--override ne s'applique qu'à une seule --person",
            "--override applies to one --person only",
        )
    sign = _issued_signer(args)
    with database.transaction() as session:
        actor = acting(session, args)
        programme = find_programme(session, args.programme)
        if args.person:
            person = find_person(session, args.person)
            result = issue_certificate(
                session, actor, person.id, programme.id, as_of, args.override
            )
            certificate = result.certificate
            if sign is not None and result.outcome is Outcome.ISSUED:
                sign(session, [certificate])
            print(_issued_line(person.full_name, result.outcome, certificate, programme.code, say))
            return 0
        candidates = batch_candidates(session, actor, programme.id, _scope(args, session), as_of)
        report = issue_batch(session, actor, programme.id, candidates, as_of, _print_progress)
        if sign is not None:
            sign(session, find_certificates(session, report.issued))
    issued = len(report.issued)
    french = Wording(f"{issued} certificat(s) délivré(s)", "").agreed(issued).fr
    print(
        say(
            f"{french} pour {programme.code}",
            f"{issued} certificate(s) issued for {programme.code}",
        ),
        end="",
    )
    print(f" ({report.issued[0]} … {report.issued[-1]})" if report.issued else "")
    return 0


def revoke_command(args: argparse.Namespace) -> int:
    """Revoke one certificate."""
    database, revoked_on = open_database(args), chosen_date(args)
    with database.transaction() as session:
        certificate = revoke_certificate(
            session, acting(session, args), args.serial, revoked_on, args.reason
        )
    print(
        Say(args.lang)(
            f"{certificate.serial} révoqué à compter du {written_date(revoked_on, 'fr')}",
            f"{certificate.serial} revoked from {revoked_on}",
        )
    )
    return 0


def reissue_command(args: argparse.Namespace) -> int:
    """Reissue one certificate."""
    database = open_database(args)
    sign = _issued_signer(args)
    with database.transaction() as session:
        new = reissue_certificate(
            session, acting(session, args), args.serial, args.reason, chosen_date(args)
        )
        if sign is not None:
            sign(session, [new])
    old = args.serial.upper()
    print(Say(args.lang)(f"{old} remplacé par {new.serial}", f"{old} superseded by {new.serial}"))
    return 0


def _issued_line(name: str, outcome: Outcome, certificate: Certificate, code: str, say: Say) -> str:
    """What issuing to one person did: the certificate issued, or the one already held."""
    serial = certificate.serial
    start, end = certificate.valid_from, certificate.valid_until
    if outcome is Outcome.ISSUED:
        french, english = f"délivré {serial}", f"issued {serial}"
    else:
        french, english = f"détient déjà {serial}", f"already holds {serial}"
    return say(
        f"{name}\u00a0: {french} ({code}, valable du {written_date(start, 'fr')} au "
        f"{written_date(end, 'fr')})",
        f"{name}: {english} ({code}, valid {start} → {end})",
    )


def _issued_signer(args: argparse.Namespace) -> SignIssued | None:
    """What signs the certificates this command issues (``None``: no plug-in signs them)."""
    signer: IssuedSigner | None = args.sign_issued
    return signer(args) if signer is not None else None


def audit_verify_command(args: argparse.Namespace) -> int:
    """Check the chain (against an anchor, when given) and replay the certificates' events.

    Exit 4 and say where the chain breaks, or which certificates disagree, when it does.
    """
    reader: AnchorReader | None = args.audit_anchor
    anchor = reader(args) if reader is not None else None
    database = open_database(args)
    with database.reading() as session:
        authorize_admin(acting(session, args), Action.VERIFY_AUDIT)
        report = verify_chain(session, anchor.head if anchor is not None else None)
        found = certificate_disagreements(session)
    lang: Lang = args.lang
    print("\n".join(line.in_(lang) for line in audit_lines(report, anchor, found)))
    return 0 if report.intact and not found else AUDIT_BROKEN


def audit_lines(
    report: ChainReport, anchor: Anchor | None, found: list[Disagreement]
) -> list[Wording]:
    """What ``audit verify`` prints: the chain's verdict, its anchor, the disagreements."""
    n = report.checked
    verified = Wording(
        f"{count(n).fr} événement(s) vérifié(s)", f"{count(n).en} events verified"
    ).agreed(n)
    if report.reason is None:
        lines = [
            Wording(
                f"piste d'audit intacte\u00a0: {verified.fr}",
                f"audit trail intact: {verified.en}",
            )
        ]
    else:
        at = report.broken_at
        lines = [
            Wording(
                "piste d'audit ROMPUE"
                + (f" à l'événement {at}" if at is not None else "")
                + f"\u00a0: {report.reason.fr} ({verified.fr} avant)",
                "audit trail BROKEN"
                + (f" at event {at}" if at is not None else "")
                + f": {report.reason.en} ({verified.en} before)",
            )
        ]
    if anchor is not None:
        lines.append(Wording(f"  {anchor.source.fr}", f"  {anchor.source.en}"))
    if found:
        lines.append(
            Wording(
                f"{len(found)} certificat(s) en désaccord avec leur historique\u00a0:",
                f"{len(found)} certificate(s) disagree with their history:",
            )
        )
        lines += [
            Wording(f"  {line.fr}", f"  {line.en}")
            for line in (d.describe() for d in found[:MOST_DISAGREEMENTS_SHOWN])
        ]
        if (more := len(found) - MOST_DISAGREEMENTS_SHOWN) > 0:
            lines.append(Wording(f"  … et {more} autre(s)", f"  … and {more} more"))
    return lines
