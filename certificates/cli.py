"""The certificate commands, plugged into ``certify`` through the ``certify.commands`` group."""

from __future__ import annotations

import argparse

from certificates.commands import audit, certificate, compromise, keys, publish, reports, verify


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``keys`` (with ``keys revoke``), ``status-list``, ``verify``, ``certificate``,
    ``report``, ``publish``, and the checkpoint options of ``audit verify``."""
    keys.register(commands)
    compromise.register(commands)
    verify.register(commands)
    certificate.register(commands)
    reports.register(commands)
    audit.register(commands)
    publish.register(commands)
