"""``certify verify FILE.pdf`` and ``certify verify --token TEXT``: offline, one verdict."""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import Any

from certificates.claims import SignedClaims
from certificates.commands.common import (
    add_keys_option,
    add_pinned_keys_option,
    keys_folder,
    pinned_keys,
)
from certificates.commands.keys import STATUS_LIST_FILE
from certificates.pdf_verify import verify_pdf
from certificates.publication.urls import token_from_scan
from certificates.seal_check import UNSEALED
from certificates.token import verification_code
from certificates.verification import Verdict, VerificationResult, verify_token
from certify.cli.common import add_date_option, chosen_date
from certify.cli.language import Say
from certify.errors import CertifyError
from certify.rules.wording import Lang
from certify.rules.written_dates import written_date

#: Exit status of any verdict but VALID.
NOT_VALID = 3
#: Width of the signed fields' labels.
WIDTH = 22


def register(commands: argparse._SubParsersAction, say: Say) -> None:
    """Add ``verify``."""
    verify = commands.add_parser(
        "verify",
        help=say(
            "vérifier hors ligne un certificat PDF ou le jeton d'un QR code scanné",
            "verify a certificate PDF or a scanned QR token, offline",
        ),
        description=say(
            "Verdicts\u00a0: VALIDE, EXPIRÉ, RÉVOQUÉ, PAS ENCORE VALIDE, SIGNATURE INVALIDE, "
            "CLÉ INCONNUE, STATUT INCONNU. Code de sortie 0 pour VALIDE seulement, "
            f"{NOT_VALID} sinon.",
            "Verdicts: VALID, EXPIRED, REVOKED, NOT YET VALID, BAD SIGNATURE, UNKNOWN KEY, "
            f"STATUS UNKNOWN. Exit status 0 for VALID only, {NOT_VALID} otherwise.",
        ),
    )
    target = verify.add_mutually_exclusive_group(required=True)
    target.add_argument(
        "file",
        nargs="?",
        type=Path,
        metavar=say("FICHIER", "FILE"),
        help=say("le certificat PDF", "the certificate PDF"),
    )
    target.add_argument(
        "--token",
        metavar=say("TEXTE", "TEXT"),
        type=token_from_scan,
        help=say(
            "le texte d'un QR code scanné\u00a0: le jeton, ou l'URL de la page de vérification",
            "the text of a scanned QR code: the token, or the verification page's URL",
        ),
    )
    add_pinned_keys_option(verify, say)
    verify.add_argument(
        "--status-list",
        type=Path,
        metavar=say("FICHIER", "FILE"),
        help=say(
            f"la dernière liste de révocation (par défaut\u00a0: {STATUS_LIST_FILE} dans le "
            "dossier des clés, s'il y en a une)",
            f"the last status list (default: {STATUS_LIST_FILE} in the keys folder, if any)",
        ),
    )
    add_keys_option(verify, say)
    add_date_option(verify, say, say("vérifier à ce jour", "verify as of this day"))
    verify.set_defaults(func=verify_command)


def verify_command(args: argparse.Namespace) -> int:
    """Print the verdict, why, and the signed fields; 0 only for VALID."""
    pinned = pinned_keys(args)
    status_list = _status_list(args)
    today = chosen_date(args)
    if args.token:
        result = verify_token(args.token, pinned, status_list, today)
    else:
        try:
            data = args.file.read_bytes()
        except OSError as error:
            raise CertifyError(
                f"impossible de lire {args.file}\u00a0: {error}",
                f"cannot read {args.file}: {error}",
            ) from error
        result = verify_pdf(data, pinned, status_list, today)
    authentic = args.token and result.fields is not None
    print(report(result, verification_code(args.token) if authentic else None, args.lang))
    return 0 if result.verdict is Verdict.VALID else NOT_VALID


def report(result: VerificationResult, code: str | None, lang: Lang) -> str:
    """The verdict in ``lang``, the reason, the signed fields, the token's code."""
    say = Say(lang)
    verdict = say(result.verdict.label_fr, result.verdict.label_en)
    lines = [verdict, in_language(result.detail, lang)]
    if result.fields is not None:
        lines += ["", say("Champs signés\u00a0:", "Signed fields:"), *_fields(result.fields, say)]
    if code is not None:
        lines.append(f"  {say('Code de vérification', 'Verification code'):<{WIDTH}} {code}")
    return "\n".join(lines)


def in_language(detail: str, lang: Lang) -> str:
    """The part in ``lang`` of a « français / English » detail (and of its note, if any)."""
    note = ""
    if detail.endswith(f" {UNSEALED}"):
        detail, note = detail.removesuffix(f" {UNSEALED}"), UNSEALED
    parts = [part.partition(" / ") for part in (detail, note) if part]
    return " ".join(english or french if lang == "en" else french for french, _, english in parts)


def _fields(claims: SignedClaims, say: Say) -> list[str]:
    """One aligned line per signed field."""
    programme = claims.programme_code
    if claims.programme_title:
        programme += f" — {claims.programme_title}"
    status = str(claims.status_index)
    if claims.status_list_url:
        status += f" ({claims.status_list_url})"
    rows = [
        (say("Numéro", "Serial"), claims.serial),
        (say("Titulaire", "Holder"), claims.holder_name),
        (say("Programme", "Programme"), programme),
        *(
            [(say("Compétences", "Competencies"), ", ".join(claims.competency_codes))]
            if claims.competency_codes
            else []
        ),
        (say("Délivré le", "Issued on"), _day(claims.issued_on, say)),
        (say("Valable du", "Valid from"), _day(claims.valid_from, say)),
        (say("Valable jusqu'au", "Valid until"), _day(claims.valid_until, say)),
        (say("Index de révocation", "Status index"), status),
        (say("Émetteur", "Issuer"), claims.issuer),
        (say("Clé", "Key"), claims.key_id),
    ]
    return [f"  {label:<{WIDTH}} {value}" for label, value in rows]


def _day(day: date, say: Say) -> str:
    """A signed day, written out in French, ISO in English."""
    return say(written_date(day, "fr"), day.isoformat())


def _status_list(args: argparse.Namespace) -> dict[str, Any] | None:
    """The status list given, else the last one exported here, else none."""
    path = args.status_list
    if path is None:
        default = keys_folder(args) / STATUS_LIST_FILE
        if not default.exists():
            return None
        path = default
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CertifyError(
            f"Liste de révocation illisible {path}\u00a0: {error}.",
            f"Unreadable status list {path}: {error}.",
        ) from error
    return document if isinstance(document, dict) else None
