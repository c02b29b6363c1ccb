"""The certificate commands, plugged into ``certify`` through the ``certify.commands`` group."""

from __future__ import annotations

import argparse

from certificates.commands import audit, certificate, compromise, keys, publish, reports, verify
from certify.cli.language import Say


def register(commands: argparse._SubParsersAction, say: Say) -> None:
    """Add ``keys`` (with ``keys revoke``), ``status-list``, ``verify``, ``certificate``,
    ``report``, ``publish``, and the checkpoint options of ``audit verify``."""
    keys.register(commands, say)
    compromise.register(commands, say)
    verify.register(commands, say)
    certificate.register(commands, say)
    reports.register(commands, say)
    audit.register(commands, say)
    publish.register(commands, say)
