"""Test helpers for certificate PDFs: issued certificates, a key ring, QR codes read back."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest

from certificates import keys
from certificates.issuer import IssuerSettings, save_issuer
from certificates.keys import init_ring
from certify.access.permissions import Actor
from certify.model import Role
from certify.services.issuance import issue_certificate
from certify.store.db import Database
from tests.certificate_factory import ISSUER, STATUS_URL
from tests.factories import MiniNetwork

#: The passphrase of every test key ring.
PASSPHRASE = "correct horse battery staple"
#: The hardest names of the demo network, each given a certificate.
HARD_NAMES = (("Nguyễn Thị", "Hương"), ("Łukasz", "Wróbel"))
#: The day the test certificates are issued.
ISSUED_ON = date(2026, 11, 21)
#: The issuer's settings in every test ring.
SETTINGS = IssuerSettings(ISSUER, STATUS_URL)


@dataclass(frozen=True)
class Issued:
    """Certificates issued in a test database."""

    #: Serials, in the order of ``HARD_NAMES``.
    serials: tuple[str, ...]
    #: Person ids of the holders, same order.
    person_ids: tuple[int, ...]


def issue_hard_names(
    database: Database,
    on: date = ISSUED_ON,
    names: tuple[tuple[str, str], ...] = HARD_NAMES,
) -> Issued:
    """Issue CERT-ACC to each of ``names``, qualified a month before, by Ayşe Yılmaz."""
    with database.transaction() as session:
        network = MiniNetwork.build(session)
        coordinator = network.person("Ayşe", "Yılmaz", roles=(Role.COORDINATOR,))
        actor = Actor("ayse", coordinator.id, frozenset({Role.ADMIN}))
        programme = network.programmes["CERT-ACC"]
        serials, person_ids = [], []
        for given, family in names:
            person = network.person(given, family)
            network.qualify(person, "CERT-ACC", on=on - timedelta(days=30))
            result = issue_certificate(session, actor, person.id, programme.id, on)
            serials.append(result.certificate.serial)
            person_ids.append(person.id)
    return Issued(tuple(serials), tuple(person_ids))


def cheap_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keys protected by one bcrypt round, the passphrase in the environment."""
    monkeypatch.setattr(keys, "KDF_ROUNDS", 1)
    monkeypatch.setenv(keys.PASSPHRASE_ENV, PASSPHRASE)


def make_ring(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A key ring with the test issuer (cheap keys); ``$CERTIFY_KEYS_DIR`` points at it."""
    cheap_keys(monkeypatch)
    monkeypatch.setenv(keys.KEYS_DIR_ENV, str(folder))
    init_ring(ISSUER.id, directory=folder, passphrase=PASSPHRASE)
    save_issuer(SETTINGS, folder)
    return folder


def qr_codes(pdf: Path) -> list[str]:
    """The QR codes a real decoder (zbarimg) reads on the PDF's first page rendered at 150 dpi."""
    if shutil.which("pdftoppm") is None or shutil.which("zbarimg") is None:
        pytest.skip("pdftoppm and zbarimg are needed (poppler-utils, zbar-tools; .ci/run installs)")
    prefix = pdf.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf), str(prefix)], check=True
    )
    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", "-Sbinary", f"{prefix}.png"],
        check=True,
        capture_output=True,
    )
    return decoded.stdout.decode("utf-8").splitlines()
