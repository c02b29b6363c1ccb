"""Race: processes unlocking a ring made before seals at once give it one seal key.

Each would seal PDFs with the seal key it got: if one process's seal key and certificate
replaced another's in the ring, the PDFs the other sealed would carry a certificate no
longer pinned, and its seal key file might not match the ring any more.
"""

from __future__ import annotations

import multiprocessing
import time
import traceback
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from certificates import keys
from certificates.keys import export_public_keys, init_ring, load_signing_key
from tests.certificate_factory import ISSUER
from tests.pdf_helpers import PASSPHRASE, cheap_keys
from tests.seal_helpers import strip_seals

#: Processes unlocking the ring at once.
PROCESSES = 4
#: Seconds each takes to make a seal key, so that all of them are at it together.
SLOW_SEAL = 0.4


@pytest.fixture
def old_ring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A ring as made before seals: no seal certificate pinned, no seal key file."""
    cheap_keys(monkeypatch)
    init_ring(ISSUER.id, directory=tmp_path, passphrase=PASSPHRASE, name=ISSUER.name)
    strip_seals(tmp_path)
    return tmp_path


def _unlock(barrier: Barrier, results: multiprocessing.Queue, ring: Path) -> None:
    """Wait for the others, unlock the ring; put the seal certificate got (or the error)."""
    barrier.wait()
    try:
        certificate = load_signing_key(ring, PASSPHRASE).seal_certificate
        assert certificate is not None
        results.put(certificate.public_bytes(Encoding.PEM).decode("ascii"))
    except BaseException:  # what the test looks for
        results.put("raw " + traceback.format_exc())


def test_processes_upgrading_one_ring_at_once_share_one_seal_key(
    old_ring: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Four processes unlock the old ring at once: each gets the same seal certificate, the
    one pinned after, whose key is the one stored."""
    make_seal_key = keys.new_seal_key

    def slow_seal_key() -> object:
        """Make a seal key, slowly."""
        time.sleep(SLOW_SEAL)
        return make_seal_key()

    monkeypatch.setattr(keys, "new_seal_key", slow_seal_key)
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(PROCESSES), context.Queue()
    processes = [
        context.Process(target=_unlock, args=(barrier, results, old_ring)) for _ in range(PROCESSES)
    ]
    for process in processes:
        process.start()
    got = [results.get(timeout=60) for _ in processes]
    for process in processes:
        process.join(timeout=30)
    raw = [outcome for outcome in got if outcome.startswith("raw")]
    assert not raw, raw[0]
    assert len(set(got)) == 1
    (pinned,) = export_public_keys(old_ring).keys
    assert pinned.seal_certificate is not None
    assert got[0] == pinned.seal_certificate.public_bytes(Encoding.PEM).decode("ascii")
    again = load_signing_key(old_ring, PASSPHRASE)
    assert again.seal_certificate == pinned.seal_certificate
    assert again.seal_key is not None
    assert again.seal_key.public_key() == pinned.seal_certificate.public_key()
    assert len(list(old_ring.glob("*.seal.key"))) == 1
