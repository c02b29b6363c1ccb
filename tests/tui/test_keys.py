"""The issuer's key passphrase in the app: never to verify or save a signed certificate,
asked once per sign-in when one must be signed, refused when wrong; without a key ring,
an administrator is named."""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest
from sqlalchemy import delete
from textual.pilot import Pilot
from textual.widgets import Input, Static

from certificates import keys
from certificates.demo_issuer import set_up_demo_issuer
from certificates.keys import export_public_keys
from certificates.pdf_verify import verify_pdf
from certificates.status_publication import STATUS_LIST_FILE
from certificates.verification import RecordedStatus, Verdict
from certify.cli import DEMO_EXTRAS_GROUP, demo
from certify.demo import certification
from certify.model import CertificateDocument, CertificateSignature
from certify.store.db import Database
from certify.views.certificate_records import find_certificate
from tests.tui.helpers import TODAY, Notices, settle, sign_in
from tui.app import CertifyApp, create_app
from tui.saving import DOWNLOADS_ENV
from tui.screens.dialogs import TextDialog
from tui.screens.my_progress import MyProgressScreen
from tui.screens.passphrase import PassphraseDialog
from tui.widgets.certificates import CertificatesView

pytestmark = pytest.mark.asyncio

#: The counsellor's newest certificate (saved first).
SERIAL = "CDM-2026-000049"
#: The demo ring's passphrase.
DEMO_PASSPHRASE = "certify-demo"


@pytest.fixture
def downloads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A keys folder and a downloads folder of the test's own; no passphrase in the
    environment; cheap key encryption."""
    monkeypatch.setattr(keys, "KDF_ROUNDS", 1)
    monkeypatch.setenv(keys.KEYS_DIR_ENV, str(tmp_path / "keys"))
    monkeypatch.delenv(keys.PASSPHRASE_ENV, raising=False)
    monkeypatch.setenv(DOWNLOADS_ENV, str(tmp_path / "downloads"))
    return tmp_path / "downloads"


@pytest.fixture
def demo_ring(downloads: Path, demo_url: str) -> Path:
    """The demo issuer's key ring (and status list), as ``certify demo`` makes them."""
    database = Database(demo_url)
    set_up_demo_issuer(database, TODAY, lambda line: None)
    database.dispose()
    return downloads


async def open_certificates(pilot: Pilot[None]) -> CertificatesView:
    """As the counsellor: F4 « Ma progression », then « Certificats »."""
    await sign_in(pilot, "conseiller")
    await pilot.press("f4", "c")
    await settle(pilot)
    screen = next(s for s in pilot.app.screen_stack if isinstance(s, MyProgressScreen))
    return screen.query_one(CertificatesView)


def verdicts(view: CertificatesView) -> list[str]:
    """The verification column, as shown."""
    return [view.verdict(line) for line in view.lines]


def detail(view: CertificatesView) -> str:
    """The text under the list."""
    return str(view.query_one("#certificate-detail", Static).content)


async def type_passphrase(pilot: Pilot[None], passphrase: str) -> None:
    """Type ``passphrase`` in the passphrase dialog and press enter."""
    assert isinstance(pilot.app.screen, PassphraseDialog)
    await pilot.press(*passphrase, "enter")
    await settle(pilot)


async def test_signed_certificates_verify_and_save_with_no_passphrase(
    demo_app: Callable[..., CertifyApp], demo_ring: Path
) -> None:
    """Signed when issued, the certificates read VALIDE with nothing asked, and ``s`` goes
    straight to « save as »; the PDF saved verifies."""
    app, notices = demo_app(), Notices()
    async with app.run_test(size=(120, 40), notifications=True, message_hook=notices) as pilot:
        view = await open_certificates(pilot)
        assert not isinstance(app.screen, PassphraseDialog)
        assert verdicts(view) == ["VALIDE", "VALIDE"]
        assert "VALIDE — Signature vérifiée" in detail(view)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, TextDialog)
        await pilot.press("enter")
        await settle(pilot)
    saved = demo_ring / f"certificat-{SERIAL}.pdf"
    assert notices.last == f"Enregistré\u00a0: {saved}"
    assert verified(saved.read_bytes()) is Verdict.VALID
    assert app.backend.key_passphrase is None


def verified(pdf: bytes) -> Verdict:
    """What ``certificates`` concludes of ``pdf`` today, with the demo ring's public keys."""
    return verify_pdf(pdf, export_public_keys(), RecordedStatus(False), TODAY).verdict


def unsign(database_url: str, serial: str) -> None:
    """Forget the signature and PDFs of ``serial``: as if issued before certificates were
    signed at issue, and never delivered."""
    database = Database(database_url)
    with database.transaction() as session:
        certificate = find_certificate(session, serial)
        for table in (CertificateSignature, CertificateDocument):
            session.execute(delete(table).where(table.certificate_id == certificate.id))
    database.dispose()


async def test_an_unsigned_certificate_asks_the_passphrase_to_be_saved(
    demo_app: Callable[..., CertifyApp], demo_ring: Path, demo_url: str
) -> None:
    """A certificate still unsigned reads « non signé »; ``s`` asks for the passphrase, a
    wrong one is refused and asked again, the right one signs and saves: VALIDE."""
    unsign(demo_url, SERIAL)
    app, notices = demo_app(), Notices()
    async with app.run_test(size=(120, 40), notifications=True, message_hook=notices) as pilot:
        view = await open_certificates(pilot)
        assert not isinstance(app.screen, PassphraseDialog)
        assert verdicts(view) == ["non signé", "VALIDE"]
        assert "pas encore signé" in detail(view)
        await pilot.press("s")
        await settle(pilot)
        await type_passphrase(pilot, "pas-la-bonne")
        assert notices.last == (
            "Cette phrase de passe n'ouvre pas les clés de l'émetteur. Saisissez-la à nouveau."
        )
        assert isinstance(app.screen, PassphraseDialog)
        assert app.screen.query_one(Input).value == ""
        await type_passphrase(pilot, DEMO_PASSPHRASE)
        assert isinstance(app.screen, TextDialog)
        await pilot.press("enter")
        await settle(pilot)
        assert verdicts(view) == ["VALIDE", "VALIDE"]
    saved = demo_ring / f"certificat-{SERIAL}.pdf"
    assert notices.last == f"Enregistré\u00a0: {saved}"
    assert verified(saved.read_bytes()) is Verdict.VALID


async def test_the_passphrase_is_forgotten_at_sign_out(
    demo_app: Callable[..., CertifyApp], demo_ring: Path, demo_url: str
) -> None:
    """Typed to sign, the passphrase is kept until sign-out, then asked again."""
    unsign(demo_url, SERIAL)
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_certificates(pilot)
        await pilot.press("s")
        await settle(pilot)
        await type_passphrase(pilot, DEMO_PASSPHRASE)
        assert app.backend.key_passphrase == DEMO_PASSPHRASE
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert app.backend.key_passphrase is None


async def test_the_environment_passphrase_is_not_asked_for(
    demo_app: Callable[..., CertifyApp],
    demo_ring: Path,
    demo_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With $CERTIFY_KEY_PASSPHRASE set, signing asks nothing."""
    unsign(demo_url, SERIAL)
    monkeypatch.setenv(keys.PASSPHRASE_ENV, DEMO_PASSPHRASE)
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_certificates(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, TextDialog)


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("fr", "Un administrateur doit lancer «\u00a0certify keys init\u00a0»"),
        ("en", "An administrator must run “certify keys init”"),
    ],
)
async def test_without_a_key_ring_an_administrator_is_named(
    demo_app: Callable[..., CertifyApp], downloads: Path, lang: str, words: str
) -> None:
    """No ring: no passphrase is asked; the verification and ``s`` say who must act."""
    app, notices = demo_app(lang), Notices()
    async with app.run_test(size=(120, 40), notifications=True, message_hook=notices) as pilot:
        view = await open_certificates(pilot)
        assert not isinstance(app.screen, PassphraseDialog)
        assert words in detail(view)
        await pilot.press("s")
        await settle(pilot)
        assert not isinstance(app.screen, (PassphraseDialog, TextDialog))
        assert words in notices.last
    assert not downloads.exists()


async def test_the_welcome_demo_makes_the_demo_issuer(
    empty_url: str, downloads: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """« Load the demo » runs the demo extras as ``certify demo`` does (the network itself
    is the welcome tests' business: not generated here)."""
    extra = EntryPoint(
        "certificates", "certificates.demo_issuer:set_up_demo_issuer", DEMO_EXTRAS_GROUP
    )
    monkeypatch.setattr(demo, "entry_points", lambda group: [extra])
    monkeypatch.setattr(certification, "load_demo", lambda database, **options: None)
    backend = create_app(empty_url, "fr", TODAY).backend
    said = [line.fr for line in backend.load_demo()]
    assert said[0] == (
        f"émetteur de démonstration créé\u00a0: {downloads.parent / 'keys'} "
        "(phrase de passe certify-demo)"
    )
    assert said[-1].startswith(
        f"liste de révocation signée\u00a0: {downloads.parent / 'keys' / STATUS_LIST_FILE} "
    )
    backend.unlock_keys(DEMO_PASSPHRASE)
