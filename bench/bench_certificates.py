"""Benchmark of certificate PDFs: per certificate, against reportlab's QR widget, and a batch.

Run ``python bench/bench_certificates.py``. It prints, in one run:

- the median time of one certificate: sign the credential, make the token, render the
  page with its QR code (segno, one path) and embed the credential;
- the median time of the same certificate with the QR code drawn by reportlab's own
  ``QrCodeWidget`` instead, and the ratio (target: ≤ 10 ms and ≥ 5× faster);
- the wall time of a batch of 1,000 certificates written by ``render_batch`` with two
  worker processes (target: under 10 s), signing included.

The certificates are made from synthetic snapshots; the batch's are first written, with a
holder each, to a scratch SQLite file, where the batch stores their PDFs. Nothing is read
from elsewhere.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.pdfgen.canvas import Canvas

from certificates import keys, layout
from certificates.batch import render_batch
from certificates.credential import IssuerProfile
from certificates.facts import CertificateFacts
from certificates.issuer import IssuerSettings
from certificates.keys import SigningKeys, init_ring
from certificates.pdf import render_pdf
from certificates.service import sign_facts
from certificates.snapshot import facts_from_certificate
from certify.model import Certificate, Framework, Person, Programme, Region, Site, SiteKind
from certify.store.db import Database

#: The issuer of the benchmark's certificates.
SETTINGS = IssuerSettings(
    IssuerProfile(
        "https://certify.cites-des-metiers.example",
        "Réseau des Cités des métiers",
        "https://certify.cites-des-metiers.example",
    ),
    "https://certify.cites-des-metiers.example/certify/status-list.json",
)
#: Holders' names, the hardest of the demo network among them.
NAMES = (
    "Nguyễn Thị Hương",
    "Łukasz Wróbel",
    "Ayşe Yılmaz",
    "Camille Martin",
    "Zoë Lefèvre-Dubois",
    "Grzegorz Brzęczyszczykiewicz",
)
#: The competencies of the programme: code, French and English labels.
COMPETENCIES = (
    ("ETH-01", "Appliquer les principes de la Charte", "Apply the Charter principles"),
    ("ETH-02", "Adopter une posture non prescriptive", "Non-prescriptive stance"),
    ("ETH-03", "Garantir la confidentialité et l'anonymat", "Ensure confidentiality"),
    ("ACC-01", "Accueillir sans rendez-vous", "Walk-in reception"),
    ("ACC-02", "Identifier la demande et orienter", "Identify the request and refer"),
    ("INF-01", "Utiliser les ressources documentaires", "Use the information resources"),
)
#: Day of issue of every certificate.
ISSUED_ON = date(2026, 11, 21)


def snapshot(number: int) -> dict[str, Any]:
    """A certificate snapshot as issuance writes it (the parts the PDF reads)."""
    level = {"level": 2, "label_fr": "Acquis", "label_en": "Acquired"}
    return {
        "version": 1,
        "holder": {"name": NAMES[number % len(NAMES)], "email": f"p{number}@cdm.example"},
        "site": {"code": "PARIS", "name": "Cité des métiers de Paris-La Villette"},
        "issuer": "Ayşe Yılmaz",
        "explanation": {
            "programme": {
                "code": "CERT-ACC",
                "title_fr": "Chargé·e d'accueil de 1er niveau",
                "title_en": "First-level reception officer",
            },
            "requirements": [
                {
                    "kind": "competency",
                    "code": code,
                    "label_fr": label_fr,
                    "label_en": label_en,
                    "evidence": {"level": level},
                }
                for code, label_fr, label_en in COMPETENCIES
            ],
        },
    }


def certificates(count: int) -> list[Certificate]:
    """``count`` certificates held in memory, with their snapshots."""
    return [
        Certificate(
            id=number + 1,
            serial=f"CDM-2026-{number + 1:06d}",
            status_index=number + 1,
            issued_on=ISSUED_ON,
            valid_from=ISSUED_ON,
            valid_until=date(2029, 11, 20),
            snapshot=snapshot(number),
        )
        for number in range(count)
    ]


def stored_certificates(database: Database, count: int) -> list[Certificate]:
    """``count`` certificates written to ``database``, each held by a person of its own."""
    site = Site(
        code="PARIS",
        name="Cité des métiers de Paris-La Villette",
        kind=SiteKind.CITE,
        region=Region(name="Île-de-France", country="FR"),
    )
    framework = Framework(
        code="RCM", version=1, title_fr="Référentiel", title_en="Framework", proficiency_threshold=2
    )
    programme = Programme(
        code="CERT-ACC",
        title_fr="Chargé·e d'accueil de 1er niveau",
        title_en="First-level reception officer",
        framework=framework,
        validity_months=36,
        recert_window_months=6,
    )
    batch = certificates(count)
    for certificate in batch:
        certificate.programme = programme
        certificate.person = Person(
            given_name="Camille",
            family_name=certificate.serial,
            email=f"{certificate.serial}@cdm.example",
            site=site,
            active_from=ISSUED_ON,
        )
    with database.transaction() as session:
        session.add_all(batch)
    return batch


def median_ms(
    action: Callable[[CertificateFacts], object], facts: list[CertificateFacts]
) -> tuple[float, float]:
    """Median wall and CPU times of ``action`` over ``facts``, in ms (after a warm-up).

    The CPU time tells how much of the wall time other processes took on a shared machine.
    """
    action(facts[0])
    wall, cpu = [], []
    for item in facts:
        start, start_cpu = time.perf_counter(), time.process_time()
        action(item)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000


def widget_qr(canvas: Canvas, text: str, x: float, y: float, size: float) -> None:
    """The QR code as reportlab's documentation draws it: a ``QrCodeWidget`` in a drawing."""
    widget = QrCodeWidget(text, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(
        size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0]
    )
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y)


@contextmanager
def reportlab_qr() -> Iterator[None]:
    """Certificates drawn with ``widget_qr`` instead of segno, within the block."""
    ours = layout.draw_qr
    layout.draw_qr = widget_qr
    try:
        yield
    finally:
        layout.draw_qr = ours


def batch_seconds(count: int, workers: int, folder: Path) -> float:
    """Wall time of ``render_batch`` writing ``count`` certificates with ``workers`` processes."""
    keys.KDF_ROUNDS = 1
    ring = folder / "keys"
    init_ring(
        SETTINGS.profile.id, directory=ring, passphrase="bench passphrase", now=datetime.now(UTC)
    )
    database = Database(f"sqlite:///{folder / 'bench.db'}")
    Certificate.metadata.create_all(database.engine)
    batch = stored_certificates(database, count)
    start = time.perf_counter()
    signing_keys = SigningKeys(ring, "bench passphrase")
    render_batch(database, batch, signing_keys, SETTINGS, folder / "pdf", "fr", workers)
    elapsed = time.perf_counter() - start
    database.dispose()
    return elapsed


def main() -> None:
    """Run the three measures and print them with their targets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200, help="certificates timed one by one")
    parser.add_argument("--batch", type=int, default=1000, help="certificates of the batch")
    parser.add_argument("--workers", type=int, default=2, help="worker processes of the batch")
    args = parser.parse_args()
    facts = [facts_from_certificate(item) for item in certificates(args.count)]
    with tempfile.TemporaryDirectory() as folder:
        keys.KDF_ROUNDS = 1
        init_ring(SETTINGS.profile.id, directory=Path(folder), passphrase="bench passphrase")
        key = SigningKeys(Path(folder), "bench passphrase").active_at(datetime.now(UTC))

    def certificate(item: CertificateFacts) -> bytes:
        """Sign, make the token, render with the QR code, embed the credential."""
        return render_pdf(sign_facts(item, key, SETTINGS, "fr"))

    ours, ours_cpu = median_ms(certificate, facts)
    with reportlab_qr():
        theirs, theirs_cpu = median_ms(certificate, facts[: max(20, args.count // 5)])
    print(f"certificate (sign + token + render + QR + embed), median of {args.count}:", end=" ")
    print(f"{ours:.2f} ms (CPU {ours_cpu:.2f} ms)")
    print(f"same page with reportlab's QrCodeWidget: {theirs:.2f} ms (CPU {theirs_cpu:.2f} ms)")
    print(f"ratio: {theirs / ours:.1f}x faster (target >= 5x); per certificate target <= 10 ms")
    with tempfile.TemporaryDirectory() as folder:
        seconds = batch_seconds(args.batch, args.workers, Path(folder))
    print(
        f"batch of {args.batch} certificates, {args.workers} workers: {seconds:.2f} s "
        f"({seconds / args.batch * 1000:.2f} ms each; target < 10 s)"
    )


if __name__ == "__main__":
    main()
