"""``certify audit verify --checkpoint FILE``: the core's command, anchored to a signed head."""

from __future__ import annotations

import argparse
from pathlib import Path

from certificates.checkpoints import CHECKPOINT_FILE, load_checkpoint
from certificates.commands.common import add_keys_option, add_pinned_keys_option, pinned_keys
from certify.cli.certification import Anchor
from certify.cli.common import subcommand
from certify.rules.wording import Wording, french_day


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``--checkpoint`` (and the keys to verify it with) to ``audit verify``."""
    verify = subcommand(commands, "audit", "verify")
    verify.add_argument(
        "--checkpoint",
        type=Path,
        metavar="FILE",
        help=f"a signed checkpoint of the trail ({CHECKPOINT_FILE}, written by status-list "
        "export): the trail must still hold its events, unchanged",
    )
    add_pinned_keys_option(verify)
    add_keys_option(verify)
    verify.set_defaults(audit_anchor=checkpoint_anchor)


def checkpoint_anchor(args: argparse.Namespace) -> Anchor | None:
    """The head the ``--checkpoint`` given vouches for, verified with the pinned keys."""
    if args.checkpoint is None:
        return None
    checkpoint = load_checkpoint(args.checkpoint, pinned_keys(args))
    moment, count = checkpoint.created, checkpoint.head.count
    return Anchor(
        checkpoint.head,
        Wording(
            f"vérifiée contre le point de contrôle signé du {french_day(moment.date())} "
            f"à {moment:%H:%M:%S} UTC ({count} événement(s))",
            f"checked against the signed checkpoint of {moment:%Y-%m-%d %H:%M:%S} UTC "
            f"({count} events)",
        ),
    )
