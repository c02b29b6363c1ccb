"""Benchmark of issuing sealed, signed certificates: per phase, as the product issues, a batch.

Run ``python bench/bench_certificates.py`` (``--profile`` adds where the time goes). It
prints, in one run:

1. one certificate, as one delivered PDF costs (one language), the median over
   ``--count`` certificates after a warm-up, wall and CPU time, of each phase and of the
   whole: the ``eddsa-rdfc-2022`` proof (pyld's RDF canonicalisation), the
   ``eddsa-jcs-2022`` proof, the JWT token of the QR code, the render (PDF/A page, QR
   code encoded by zxing-cpp, embedded credential) and the PAdES seal; beside it the same
   render with reportlab's own ``QrCodeWidget`` drawing the QR code, timed on the same
   certificates in the same loop, and the ratio;
2. issuing as the product does: :func:`certificates.signing.sign_certificates` on
   ``--issue`` stored certificates (both proofs and the token, then the page rendered
   and sealed in French and English, all stored), in ms per certificate;
3. a batch of ``--batch`` stored certificates with ``--workers`` worker processes, as
   ``certify certificate batch`` runs it: ``sign_certificates`` on the newly issued
   certificates in one transaction, then ``render_batch`` writing every PDF, in wall
   time, each step apart (issuance itself is not timed);
4. with ``--profile``, the ten entries of the per-certificate path (proofs, token,
   render, seal) with the most cumulative time, by cProfile.

Targets (issue 12): ≤ 15 ms median per certificate, the batch of 1,000 under 15 s on 2
cores. CPU times tell how much of a wall time other processes took on a shared machine.

The certificates come from synthetic snapshots; the key ring (``init_ring``, one KDF
round) and the SQLite database are made in a scratch folder. Nothing is read from
elsewhere.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import resource
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select

from certificates import data_integrity, keys, layout
from certificates.batch import render_batch
from certificates.credential import IssuerProfile, build_credential
from certificates.facts import CertificateFacts
from certificates.issuer import IssuerSettings, save_issuer
from certificates.keys import init_ring
from certificates.pdf import CertificateDocument, render_pdf
from certificates.seal import seal_pdf
from certificates.signing import Signer, sign_certificates, signing_now
from certificates.snapshot import facts_from_certificate
from certificates.token import make_token
from certify.model import Certificate, Framework, Person, Programme, Region, Site, SiteKind
from certify.services.issuance import SNAPSHOT_VERSION
from certify.store.db import Database
from certify.store.schema import upgrade

#: The issuer of the benchmark's certificates.
SETTINGS = IssuerSettings(
    IssuerProfile(
        "https://certify.cites-des-metiers.example",
        "Réseau des Cités des métiers",
        "https://certify.cites-des-metiers.example",
    ),
    "https://certify.cites-des-metiers.example/certify/status-list.json",
)
#: The passphrase of the scratch key ring.
PASSPHRASE = "bench passphrase, never a real one"
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
#: The phases of one certificate, in order, then the whole.
PHASES = ("RDFC proof", "JCS proof", "JWT token", "render", "seal")
#: Files of the event-loop frames around pyHanko's coroutines, left out of the profile.
PLUMBING = ("base_events.py", "runners.py", "events.py", "tasks.py")
#: Target median per certificate, in ms.
TARGET_MS = 15.0
#: Target wall time of the batch of 1,000, in s.
TARGET_BATCH_S = 15.0


def snapshot(number: int) -> dict[str, Any]:
    """A certificate snapshot as issuance writes it (the parts the PDF reads)."""
    level = {"level": 2, "label_fr": "Acquis", "label_en": "Acquired"}
    return {
        "version": SNAPSHOT_VERSION,
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


def certificates(count: int, first: int = 0) -> list[Certificate]:
    """``count`` certificates held in memory, with their snapshots, numbered from ``first``."""
    return [
        Certificate(
            id=number + 1,
            serial=f"CDM-2026-{number + 1:06d}",
            status_index=7919 * (number + 1) % 131071,
            issued_on=ISSUED_ON,
            valid_from=ISSUED_ON,
            valid_until=ISSUED_ON.replace(year=ISSUED_ON.year + 3),
            snapshot=snapshot(number),
        )
        for number in range(first, first + count)
    ]


def store_certificates(database: Database, count: int, first: int) -> list[int]:
    """Write ``count`` certificates to ``database``, each held by a person; their ids."""
    with database.transaction() as session:
        site = session.scalar(select(Site).where(Site.code == "PARIS"))
        programme = session.scalar(select(Programme).where(Programme.code == "CERT-ACC"))
        if site is None or programme is None:
            site = Site(
                code="PARIS",
                name="Cité des métiers de Paris-La Villette",
                kind=SiteKind.CITE,
                region=Region(name="Île-de-France", country="FR"),
            )
            framework = Framework(
                code="RCM",
                version=1,
                title_fr="Référentiel",
                title_en="Framework",
                proficiency_threshold=2,
            )
            programme = Programme(
                code="CERT-ACC",
                title_fr="Chargé·e d'accueil de 1er niveau",
                title_en="First-level reception officer",
                framework=framework,
                validity_months=36,
                recert_window_months=6,
            )
        batch = certificates(count, first)
        for certificate in batch:
            certificate.programme = programme
            certificate.person = Person(
                given_name="Camille",
                family_name=certificate.serial,
                email=f"{certificate.serial}@cdm.example",
                site=site,
                active_from=ISSUED_ON,
            )
        session.add_all(batch)
        session.flush()
        return [certificate.id for certificate in batch]


def loaded(session: Any, ids: list[int]) -> list[Certificate]:
    """The certificates ``ids``, read in ``session``, in that order."""
    found = {c.id: c for c in session.scalars(select(Certificate).where(Certificate.id.in_(ids)))}
    return [found[number] for number in ids]


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
    """Pages drawn with ``widget_qr`` instead of ours (zxing-cpp), within the block."""
    ours = layout.draw_qr
    layout.draw_qr = widget_qr
    try:
        yield
    finally:
        layout.draw_qr = ours


@dataclass
class Timings:
    """Wall and CPU times of named steps, in seconds, one entry per run."""

    wall: dict[str, list[float]]
    cpu: dict[str, list[float]]

    @classmethod
    def of(cls, names: tuple[str, ...]) -> Timings:
        """Empty timings of the steps ``names``."""
        return cls({name: [] for name in names}, {name: [] for name in names})

    def timed(self, name: str, action: Callable[[], Any]) -> Any:
        """Run ``action``, record its times under ``name``, return what it gave."""
        start, start_cpu = time.perf_counter(), time.process_time()
        value = action()
        self.wall[name].append(time.perf_counter() - start)
        self.cpu[name].append(time.process_time() - start_cpu)
        return value

    def median_ms(self, name: str) -> tuple[float, float]:
        """Median wall and CPU time of ``name``, in ms."""
        return statistics.median(self.wall[name]) * 1000, statistics.median(self.cpu[name]) * 1000


def one_certificate(
    facts: CertificateFacts, signer: Signer, timings: Timings | None = None
) -> tuple[bytes, bytes]:
    """The delivered PDF of ``facts`` (one language), phase by phase; and the widget render."""
    clock = timings or Timings.of((*PHASES, "widget render"))
    key, issuer, now = signer.key, signer.issuer, signing_now()
    assert key.seal_key is not None and key.seal_certificate is not None
    credential = build_credential(facts, issuer.profile, issuer.status_list_url)
    rdfc = clock.timed(
        "RDFC proof",
        lambda: data_integrity.create_proof(
            credential, key.private_key, key.kid, now, data_integrity.RDFC
        ),
    )
    jcs = clock.timed(
        "JCS proof",
        lambda: data_integrity.create_proof(
            credential, key.private_key, key.kid, now, data_integrity.JCS
        ),
    )
    token = clock.timed("JWT token", lambda: make_token(facts, key, issuer.profile.id, now))
    document = CertificateDocument(facts, {**credential, "proof": [rdfc, jcs]}, token, "fr")
    pdf = clock.timed("render", lambda: render_pdf(document))
    sealed = clock.timed("seal", lambda: seal_pdf(pdf, key.seal_key, key.seal_certificate, now))
    with reportlab_qr():
        theirs = clock.timed("widget render", lambda: render_pdf(document))
    return sealed, theirs


def per_certificate(count: int, signer: Signer) -> Timings:
    """Phase timings of ``count`` certificates, after a warm-up of 20."""
    facts = [facts_from_certificate(item) for item in certificates(count)]
    for item in facts[:20]:
        one_certificate(item, signer)
    timings = Timings.of((*PHASES, "widget render"))
    for item in facts:
        one_certificate(item, signer, timings)
    return timings


def report_per_certificate(timings: Timings, count: int) -> None:
    """Print the per-phase medians, the whole and the widget comparison."""
    print(f"1. one certificate, one language, median of {count} (wall / CPU, ms):")
    for name in PHASES:
        wall, cpu = timings.median_ms(name)
        print(f"   {name:<14} {wall:7.2f} / {cpu:6.2f}")
    runs = range(len(timings.wall["seal"]))
    totals = [sum(timings.wall[name][run] for name in PHASES) for run in runs]
    totals_cpu = [sum(timings.cpu[name][run] for name in PHASES) for run in runs]
    total, total_cpu = statistics.median(totals) * 1000, statistics.median(totals_cpu) * 1000
    verdict = "met" if total <= TARGET_MS else "MISSED"
    print(
        f"   {'total':<14} {total:7.2f} / {total_cpu:6.2f}   target <= {TARGET_MS:g} ms: {verdict}"
    )
    ours = timings.median_ms("render")[0]
    theirs, theirs_cpu = timings.median_ms("widget render")
    widget_totals = [
        totals[run] - timings.wall["render"][run] + timings.wall["widget render"][run]
        for run in runs
    ]
    widget_total = statistics.median(widget_totals) * 1000
    print(
        f"   render, QR by reportlab's QrCodeWidget: {theirs:.2f} / {theirs_cpu:.2f} ms, "
        f"{theirs / ours:.1f}x our render ({ours:.2f} ms); whole certificate "
        f"with it {widget_total:.2f} ms, {widget_total / total:.1f}x"
    )


def issuing(database: Database, count: int, signer: Signer) -> tuple[float, float]:
    """Wall and CPU seconds of ``sign_certificates`` on ``count`` stored certificates, warmed."""
    warm = store_certificates(database, 5, 0)
    with database.transaction() as session:
        sign_certificates(session, loaded(session, warm), signer, signing_now())
    ids = store_certificates(database, count, 5)
    with database.transaction() as session:
        batch = loaded(session, ids)
        start, start_cpu = time.perf_counter(), time.process_time()
        sign_certificates(session, batch, signer, signing_now())
        return time.perf_counter() - start, time.process_time() - start_cpu


def batch(database: Database, count: int, workers: int, signer: Signer, folder: Path) -> None:
    """Time and print ``certify certificate batch`` on ``count`` newly issued certificates."""
    ids = store_certificates(database, count, 100_000)
    start, start_cpu, start_workers = time.perf_counter(), time.process_time(), workers_cpu()
    with database.transaction() as session:  # batch_command: sign what issue_batch wrote
        sign_certificates(session, loaded(session, ids), signer, signing_now())
    signed = time.perf_counter()
    with database.reading() as session:  # standing_certificates, read back
        standing = loaded(session, ids)
    result = render_batch(database, standing, lambda: signer, folder, "fr", workers)
    end, cpu = time.perf_counter(), time.process_time() - start_cpu
    total, spent = end - start, workers_cpu() - start_workers
    verdict = "met" if total < TARGET_BATCH_S else "MISSED"
    print(
        f"3. batch of {count}, {workers} workers, as certify certificate batch: "
        f"{total:.2f} s ({total / count * 1000:.2f} ms each; CPU {cpu:.2f} s in the main "
        f"process, {spent:.2f} s in the workers), "
        f"target < {TARGET_BATCH_S:g} s: {verdict}"
    )
    print(
        "   sign_certificates (proofs, token, render + seal fr and en, store; pages "
        f"rendered by 2 worker processes above 64): "
        f"{signed - start:.2f} s"
    )
    print(
        f"   render_batch ({len(result.rendered)} rendered by workers, {len(result.copied)} "
        f"stored PDFs copied to files): {end - signed:.2f} s"
    )


def workers_cpu() -> float:
    """CPU seconds of this process's ended children (the pools' workers), so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def profile(count: int, signer: Signer) -> None:
    """Print cProfile's ten entries of most cumulative time over ``count`` certificates."""
    facts = [facts_from_certificate(item) for item in certificates(count)]
    profiler = cProfile.Profile()
    for item in facts:
        profiler.enable()
        key, issuer, now = signer.key, signer.issuer, signing_now()
        credential = build_credential(item, issuer.profile, issuer.status_list_url)
        signed = data_integrity.sign(credential, key.private_key, key.kid, now)
        token = make_token(item, key, issuer.profile.id, now)
        pdf = render_pdf(CertificateDocument(item, signed, token, "fr"))
        assert key.seal_key is not None and key.seal_certificate is not None
        seal_pdf(pdf, key.seal_key, key.seal_certificate, now)
        profiler.disable()
    stats = pstats.Stats(profiler).strip_dirs()
    rows = sorted(
        (
            (cumulative, calls, function)
            for function, (_, calls, _, cumulative, _) in stats.stats.items()  # type: ignore[attr-defined]
            if not function[0].startswith(PLUMBING) and function[0] != "~"
        ),
        reverse=True,
    )
    print(
        f"4. cProfile of the per-certificate path over {count} certificates, one language: "
        f"top 10 cumulative ({stats.total_tt / count * 1000:.2f} ms each under the profiler; "
        "asyncio's event-loop frames and built-ins left out)"
    )
    for cumulative, calls, (file, line, name) in rows[:10]:
        print(
            f"   {cumulative / count * 1000:7.2f} ms/cert {calls / count:6.1f} calls  "
            f"{file}:{line}({name})"
        )


def main() -> None:
    """Run the measures and print them with their targets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200, help="certificates timed one by one")
    parser.add_argument("--issue", type=int, default=200, help="certificates sign_certificates")
    parser.add_argument("--batch", type=int, default=1000, help="certificates of the batch")
    parser.add_argument("--workers", type=int, default=2, help="worker processes of the batch")
    parser.add_argument("--profile", action="store_true", help="also where the time goes")
    args = parser.parse_args()
    load = os.getloadavg()
    print(f"{os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    keys.KDF_ROUNDS = 1
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        init_ring(SETTINGS.profile.id, directory=folder / "keys", passphrase=PASSPHRASE)
        save_issuer(SETTINGS, folder / "keys")
        signer = Signer.load(folder / "keys", PASSPHRASE)
        report_per_certificate(per_certificate(args.count, signer), args.count)
        database = Database(f"sqlite:///{folder / 'bench.db'}")
        upgrade(database)
        seconds, cpu = issuing(database, args.issue, signer)
        print(
            f"2. sign_certificates on {args.issue} stored certificates (both proofs, token, "
            f"render + seal fr and en, stored): {seconds / args.issue * 1000:.2f} ms each "
            f"(CPU {cpu / args.issue * 1000:.2f} ms)"
        )
        batch(database, args.batch, args.workers, signer, folder / "pdf")
        database.dispose()
        if args.profile:
            profile(args.count, signer)


if __name__ == "__main__":
    main()
