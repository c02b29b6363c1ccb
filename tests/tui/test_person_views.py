"""One person's standing: staff read their own progress and certificates and save a PDF;
a site coordinator revokes and reissues in their scope only; others see no such keys."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pypdf import PdfReader
from sqlalchemy import select
from textual.pilot import Pilot
from textual.widgets import Static

from certificates import keys
from certificates.issuer import save_issuer
from certificates.keys import init_ring
from certificates.signing import Signer, sign_certificates
from certificates.verification import Verdict
from certify.model import Person, Site
from certify.services.documents import unsigned_certificates
from certify.store.db import Database
from tests.pdf_helpers import PASSPHRASE, SETTINGS
from tests.tui.helpers import Notices, settle, sign_in
from tests.tui.test_snapshots import SIZES, SnapCompare, shoot
from tui.app import CertifyApp
from tui.saving import DOWNLOADS_ENV
from tui.screens.dialogs import ConfirmDialog, TextDialog
from tui.screens.my_progress import MyProgressScreen
from tui.screens.person import PersonScreen
from tui.widgets.certificates import CertificatesView
from tui.widgets.progress import ProgressView

#: The demo counsellor's person id (Léa Girard, PARIS), with two certificates.
COUNSELLOR = 14
#: Her certificates, newest first.
SERIALS = ["CDM-2026-000049", "CDM-2025-000025"]
#: When the test key ring was made.
RING_MADE = datetime(2024, 1, 1, tzinfo=UTC)
#: When the demo's certificates were signed (the demo's day).
SIGNED = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


@pytest.fixture
def ring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, demo_url: str) -> Path:
    """A key ring with a fixed key, the demo's certificates signed with it at a fixed
    moment (the same verification codes on every run), and a downloads folder of the
    test's own."""
    fixed = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    monkeypatch.setattr(Ed25519PrivateKey, "generate", staticmethod(lambda: fixed))
    monkeypatch.setattr(keys, "KDF_ROUNDS", 1)
    monkeypatch.setenv(keys.PASSPHRASE_ENV, PASSPHRASE)
    folder = tmp_path / "keys"
    monkeypatch.setenv(keys.KEYS_DIR_ENV, str(folder))
    init_ring(SETTINGS.profile.id, directory=folder, passphrase=PASSPHRASE, now=RING_MADE)
    save_issuer(SETTINGS, folder)
    database = Database(demo_url)
    with database.transaction() as session:
        pending = unsigned_certificates(session)
        sign_certificates(session, pending, Signer.load(folder), SIGNED)
    database.dispose()
    monkeypatch.setenv(DOWNLOADS_ENV, str(tmp_path / "downloads"))
    return tmp_path / "downloads"


def requirements_text(screen: MyProgressScreen | PersonScreen) -> str:
    """The explanation shown under the programmes."""
    return str(screen.query_one("#requirements", Static).content)


def detail_text(screen: MyProgressScreen | PersonScreen) -> str:
    """The details of the highlighted certificate."""
    return str(screen.query_one("#certificate-detail", Static).content)


def offers(screen: MyProgressScreen | PersonScreen, action: str) -> bool:
    """Whether a key for ``action`` is active on the screen (shown in the footer)."""
    return any(b.binding.action == action for b in screen.active_bindings.values())


async def open_person(pilot: Pilot[None], person_id: int) -> PersonScreen:
    """Push the page of ``person_id`` (as the staff list will)."""
    screen = PersonScreen(person_id)
    pilot.app.push_screen(screen)
    await settle(pilot)
    return screen


async def answer(pilot: Pilot[None], reason: str) -> None:
    """Type ``reason`` in the reason dialog, then agree to the confirmation."""
    assert isinstance(pilot.app.screen, TextDialog)
    await pilot.press(*reason, "enter")
    assert isinstance(pilot.app.screen, ConfirmDialog)
    await pilot.click("#yes")
    await settle(pilot)


@pytest.mark.asyncio
async def test_counsellor_reads_progress_and_saves_a_certificate(
    demo_app: Callable[..., CertifyApp], ring: Path
) -> None:
    """Status per programme, the explanation, certificates verified; the PDF saved is hers."""
    app, notices = demo_app(), Notices()
    async with app.run_test(size=(120, 40), notifications=True, message_hook=notices) as pilot:
        await sign_in(pilot, "conseiller")
        screen = app.screen
        assert isinstance(screen, MyProgressScreen)
        standings = screen.query_one(ProgressView).standings
        assert [s.headline().fr for s in standings][:2] == [
            "Certifié·e jusqu'au 02/07/2028",
            "En cours\u00a0: 9 exigences manquantes",
        ]
        assert "✓ ETH-01 Appliquer les principes de la Charte" in requirements_text(screen)
        assert "évalué·e par Bogdan Constantinescu (entretien)" in requirements_text(screen)
        await pilot.press("down")
        assert "✗ ACP-01 Élaborer un plan d'action" in requirements_text(screen)
        assert "jamais évalué·e" in requirements_text(screen)
        await pilot.press("c")
        await settle(pilot)
        view = screen.query_one(CertificatesView)
        assert [line.serial for line in view.lines] == SERIALS
        assert view.checks is not None
        assert {check.result.verdict for check in view.checks.values()} == {Verdict.VALID}
        assert "Code de vérification\u00a0: " in detail_text(screen)
        assert "VALIDE — Signature vérifiée" in detail_text(screen)
        assert not offers(screen, "revoke") and not offers(screen, "reissue")
        await pilot.press("s")
        assert isinstance(app.screen, TextDialog)
        await pilot.press("enter")
        await settle(pilot)
    saved = ring / f"certificat-{SERIALS[0]}.pdf"
    assert notices.last == f"Enregistré\u00a0: {saved}"
    reader = PdfReader(io.BytesIO(saved.read_bytes()))
    assert SERIALS[0] in reader.pages[0].extract_text()
    assert "credential.json" in reader.attachments


@pytest.mark.asyncio
async def test_staff_see_only_themselves(demo_app: Callable[..., CertifyApp], ring: Path) -> None:
    """A counsellor opening a colleague's page is refused by the service."""
    app, notices = demo_app(), Notices()
    async with app.run_test(size=(100, 30), notifications=True, message_hook=notices) as pilot:
        await sign_in(pilot, "conseiller")
        screen = await open_person(pilot, COUNSELLOR + 1)
        assert "hors de votre périmètre" in notices.last
        assert str(screen.query_one("#person-card", Static).content) == (
            "Impossible d'afficher cette personne."
        )
        assert screen.query_one(CertificatesView).lines == []


@pytest.mark.asyncio
async def test_site_coordinator_revokes_then_reissues(
    demo_app: Callable[..., CertifyApp], ring: Path
) -> None:
    """Revoked with its reason, verified as revoked; a reissue gets a new serial."""
    app, notices = demo_app(), Notices()
    async with app.run_test(size=(120, 40), notifications=True, message_hook=notices) as pilot:
        await sign_in(pilot, "coord.paris")
        screen = await open_person(pilot, COUNSELLOR)
        card = str(screen.query_one("#person-card", Static).content)
        assert card.splitlines() == [
            "Léa Girard · conseiller·ère · en activité depuis le 17/02/2024",
            "PARIS Cité des métiers de Paris-La Villette · Île-de-France · Cap emploi",
        ]
        await pilot.press("c")
        await settle(pilot)
        assert offers(screen, "revoke") and offers(screen, "reissue")
        await pilot.press("v")
        await pilot.press("enter")
        assert isinstance(app.screen, TextDialog)
        assert notices.last == "Le motif est obligatoire."
        await answer(pilot, "obtenu par erreur")
        assert notices.messages[-1] == f"Certificat {SERIALS[0]} révoqué."
        view = screen.query_one(CertificatesView)
        revoked = view.lines[0]
        assert (revoked.serial, revoked.revocation_reason) == (SERIALS[0], "obtenu par erreur")
        assert "révoqué\u00a0: obtenu par erreur" in detail_text(screen)
        assert view.checks is not None
        assert view.checks[revoked.id].result.verdict is Verdict.REVOKED
        assert screen.check_action("revoke", ()) is True  # the screen leaves it to the view
        assert view.check_action("revoke", ()) is None  # shown, not usable: already revoked
        await pilot.press("down", "i")
        await answer(pilot, "nom d'usage corrigé")
        new = view.lines[0]
        assert new.serial not in SERIALS
        assert notices.messages[-1] == f"Certificat {SERIALS[1]} remplacé par {new.serial}."
        assert new.supersedes == SERIALS[1]
        assert [line.superseded_by for line in view.lines if line.serial == SERIALS[1]] == [
            new.serial
        ]


@pytest.mark.asyncio
async def test_site_coordinator_cannot_open_a_person_elsewhere(
    demo_app: Callable[..., CertifyApp], ring: Path
) -> None:
    """Outside PARIS and its centres, the service refuses and says why."""
    app, notices = demo_app(), Notices()
    with app.backend.database.reading() as session:
        paris = session.scalar(select(Site.id).where(Site.code == "PARIS"))
        elsewhere = session.scalar(
            select(Person.id)
            .join(Site, Site.id == Person.site_id)
            .where(Site.id != paris, Site.parent_id.is_distinct_from(paris))
            .limit(1)
        )
    assert elsewhere is not None
    async with app.run_test(size=(100, 30), notifications=True, message_hook=notices) as pilot:
        await sign_in(pilot, "coord.paris")
        screen = await open_person(pilot, elsewhere)
        assert notices.last == (
            "Vous ne pouvez pas voir le dossier d'une personne\u00a0: hors de votre périmètre."
        )
        assert screen.query_one(ProgressView).standings == []


@pytest.mark.asyncio
async def test_trainer_sees_a_colleague_without_certificate_keys(
    demo_app: Callable[..., CertifyApp], ring: Path
) -> None:
    """A trainer of the site sees the page; revoke and reissue are not offered."""
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, "formateur")
        screen = await open_person(pilot, COUNSELLOR)
        await pilot.press("c")
        await settle(pilot)
        assert [line.serial for line in screen.query_one(CertificatesView).lines] == SERIALS
        assert offers(screen, "save")
        assert not offers(screen, "revoke") and not offers(screen, "reissue")


async def my_progress(pilot: Pilot[None]) -> None:
    """The counsellor's own progress."""
    await sign_in(pilot, "conseiller")


async def my_certificates(pilot: Pilot[None]) -> None:
    """The counsellor's own certificates."""
    await sign_in(pilot, "conseiller")
    await pilot.press("c")
    await settle(pilot)


async def person_page(pilot: Pilot[None]) -> None:
    """The counsellor's page as her site's coordinator sees it, on the certificates."""
    await sign_in(pilot, "coord.paris")
    await open_person(pilot, COUNSELLOR)
    await pilot.press("c")
    await settle(pilot)


@SIZES
@pytest.mark.parametrize("steps", [my_progress, my_certificates, person_page])
def test_person_snapshots(
    snap_compare: SnapCompare,
    demo_app: Callable[..., CertifyApp],
    ring: Path,
    size: tuple[int, int],
    steps: Callable[[Pilot[None]], object],
) -> None:
    """My progress, my certificates and a person's page, in French."""
    assert shoot(snap_compare, demo_app(), size, steps)  # type: ignore[arg-type]


def test_my_progress_in_english(
    snap_compare: SnapCompare, demo_app: Callable[..., CertifyApp], ring: Path
) -> None:
    """My progress in English at 80 × 24."""
    assert shoot(snap_compare, demo_app("en"), (80, 24), my_progress)
