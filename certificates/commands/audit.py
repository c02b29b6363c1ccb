"""``certify audit verify --checkpoint FILE``: the core's command, anchored to a signed head."""

from __future__ import annotations

import argparse
from pathlib import Path

from certificates.checkpoints import CHECKPOINT_FILE, load_checkpoint
from certificates.commands.common import add_keys_option, add_pinned_keys_option, pinned_keys
from certify.cli.certification import Anchor
from certify.cli.common import subcommand
from certify.cli.language import Say
from certify.rules.wording import Wording, count, french_day


def register(commands: argparse._SubParsersAction, say: Say) -> None:
    """Add ``--checkpoint`` (and the keys to verify it with) to ``audit verify``."""
    verify = subcommand(commands, "audit", "verify")
    verify.add_argument(
        "--checkpoint",
        type=Path,
        metavar=say("FICHIER", "FILE"),
        help=say(
            f"un point de contrôle signé de la piste ({CHECKPOINT_FILE}, écrit par status-list "
            "export)\u00a0: la piste doit encore en contenir les événements, inchangés",
            f"a signed checkpoint of the trail ({CHECKPOINT_FILE}, written by status-list "
            "export): the trail must still hold its events, unchanged",
        ),
    )
    add_pinned_keys_option(verify, say)
    add_keys_option(verify, say)
    verify.set_defaults(audit_anchor=checkpoint_anchor)


def checkpoint_anchor(args: argparse.Namespace) -> Anchor | None:
    """The head the ``--checkpoint`` given vouches for, verified with the pinned keys."""
    if args.checkpoint is None:
        return None
    checkpoint = load_checkpoint(args.checkpoint, pinned_keys(args))
    moment, events = checkpoint.created, checkpoint.head.count
    counted = Wording(f"{count(events).fr} événement(s)", f"{count(events).en} event(s)").agreed(
        events
    )
    return Anchor(
        checkpoint.head,
        Wording(
            f"vérifiée contre le point de contrôle signé du {french_day(moment.date())} "
            f"à {moment:%H:%M:%S} UTC ({counted.fr})",
            f"checked against the signed checkpoint of {moment:%Y-%m-%d %H:%M:%S} UTC "
            f"({counted.en})",
        ),
    )
