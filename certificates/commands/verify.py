"""``certify verify FILE.pdf`` and ``certify verify --token TEXT``: offline, one verdict."""

from __future__ import annotations

import argparse
import json
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
from certificates.token import verification_code
from certificates.verification import Verdict, VerificationResult, verify_token
from certify.cli.common import add_date_option, chosen_date
from certify.errors import CertifyError

#: Exit status of any verdict but VALID.
NOT_VALID = 3


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``verify``."""
    verify = commands.add_parser(
        "verify",
        help="verify a certificate PDF or a scanned QR token, offline",
        description=(
            "Verdicts: VALID, EXPIRED, REVOKED, NOT YET VALID, BAD SIGNATURE, UNKNOWN KEY, "
            f"STATUS UNKNOWN. Exit status 0 for VALID only, {NOT_VALID} otherwise."
        ),
    )
    target = verify.add_mutually_exclusive_group(required=True)
    target.add_argument("file", nargs="?", type=Path, help="the certificate PDF")
    target.add_argument(
        "--token",
        metavar="TEXT",
        type=token_from_scan,
        help="the text of a scanned QR code: the token, or the verification page's URL",
    )
    add_pinned_keys_option(verify)
    verify.add_argument(
        "--status-list",
        type=Path,
        metavar="FILE",
        help=f"the last status list (default: {STATUS_LIST_FILE} in the keys folder, if any)",
    )
    add_keys_option(verify)
    add_date_option(verify, "verify as of this day")
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
            raise CertifyError(f"cannot read {args.file}: {error}") from error
        result = verify_pdf(data, pinned, status_list, today)
    authentic = args.token and result.fields is not None
    print(report(result, verification_code(args.token) if authentic else None))
    return 0 if result.verdict is Verdict.VALID else NOT_VALID


def report(result: VerificationResult, code: str | None) -> str:
    """The verdict in French and English, the reason, the signed fields, the token's code."""
    lines = [f"{result.verdict.label_fr} / {result.verdict.label_en}", result.detail]
    if result.fields is not None:
        lines += ["", "Champs signés / Signed fields:", *_fields(result.fields)]
    if code is not None:
        lines.append(f"  {'Code de vérification / Verification code':<42} {code}")
    return "\n".join(lines)


def _fields(claims: SignedClaims) -> list[str]:
    """One aligned line per signed field."""
    programme = claims.programme_code
    if claims.programme_title:
        programme += f" — {claims.programme_title}"
    status = str(claims.status_index)
    if claims.status_list_url:
        status += f" ({claims.status_list_url})"
    rows = [
        ("Numéro / Serial", claims.serial),
        ("Titulaire / Holder", claims.holder_name),
        ("Programme / Programme", programme),
        *(
            [("Compétences / Competencies", ", ".join(claims.competency_codes))]
            if claims.competency_codes
            else []
        ),
        ("Délivré le / Issued on", claims.issued_on.isoformat()),
        ("Valable du / Valid from", claims.valid_from.isoformat()),
        ("Valable jusqu'au / Valid until", claims.valid_until.isoformat()),
        ("Index de révocation / Status index", status),
        ("Émetteur / Issuer", claims.issuer),
        ("Clé / Key", claims.key_id),
    ]
    return [f"  {label:<42} {value}" for label, value in rows]


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
            f"Liste de révocation illisible {path}\u00a0: {error}. "
            f"/ Unreadable status list {path}: {error}."
        ) from error
    return document if isinstance(document, dict) else None
