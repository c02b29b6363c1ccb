"""The issuer's key passphrase in the app: asked once per sign-in when a certificate must
be signed or verified, refused when wrong; without a key ring, an administrator is named."""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from certificates import keys
from certificates.checks import STATUS_LIST_LIFE, IssuerKeys
from certificates.demo_issuer import set_up_demo_issuer
from certificates.pdf_verify import verify_pdf
from certificates.status_publication import STATUS_LIST_FILE, publish_status_list
from certificates.timestamps import start_of_day
from certificates.verification import Verdict
from certify.cli import DEMO_EXTRAS_GROUP, demo
from certify.demo import certification
from certify.store.db import Database
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


async def test_the_passphrase_given_once_verifies_and_saves(
    demo_app: Callable[..., CertifyApp], demo_ring: Path
) -> None:
    """Coming to the certificates asks for the passphrase (masked); once given, every
    certificate reads VALIDE and ``s`` goes straight to « save as »; the PDF verifies."""
    app, notices = demo_app(), Notices()
    async with app.run_test(size=(120, 40), notifications=True, message_hook=notices) as pilot:
        view = await open_certificates(pilot)
        assert isinstance(app.screen, PassphraseDialog)
        field = app.screen.query_one(Input)
        assert field.password
        assert "Phrase de passe des clés de l'émetteur" in str(
            app.screen.query_one(".box-title", Static).content
        )
        await type_passphrase(pilot, DEMO_PASSPHRASE)
        assert verdicts(view) == ["VALIDE", "VALIDE"]
        assert "VALIDE — Signature vérifiée" in detail(view)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, TextDialog)
        await pilot.press("enter")
        await settle(pilot)
    saved = demo_ring / f"certificat-{SERIAL}.pdf"
    assert notices.last == f"Enregistré : {saved}"
    assert verified(app.backend.database, saved.read_bytes()) is Verdict.VALID


def verified(database: Database, pdf: bytes) -> Verdict:
    """What ``certificates`` concludes of ``pdf`` today, against the demo ring."""
    ring = IssuerKeys.load(passphrase=DEMO_PASSPHRASE)
    moment = start_of_day(TODAY)
    with database.reading() as session:
        status_list = publish_status_list(
            session, ring.issuer, ring.keys.active_at(moment), moment, STATUS_LIST_LIFE
        )
    return verify_pdf(pdf, ring.pinned, status_list, TODAY).verdict


async def test_save_asks_again_and_refuses_a_wrong_passphrase(
    demo_app: Callable[..., CertifyApp], demo_ring: Path
) -> None:
    """Escape leaves the verification unavailable and is not asked again by itself; ``s``
    asks; a wrong passphrase is refused and asked again; the right one saves the PDF and
    the certificates are verified."""
    app, notices = demo_app(), Notices()
    async with app.run_test(size=(120, 40), notifications=True, message_hook=notices) as pilot:
        view = await open_certificates(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert verdicts(view) == ["indisponible", "indisponible"]
        assert "Vérification indisponible : La phrase de passe des clés" in detail(view)
        await pilot.press("p", "c")
        await settle(pilot)
        assert not isinstance(app.screen, PassphraseDialog)
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
    assert notices.last == f"Enregistré : {saved}"
    assert verified(app.backend.database, saved.read_bytes()) is Verdict.VALID


async def test_the_passphrase_is_forgotten_at_sign_out(
    demo_app: Callable[..., CertifyApp], demo_ring: Path
) -> None:
    """The next person signing in is asked again."""
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_certificates(pilot)
        await type_passphrase(pilot, DEMO_PASSPHRASE)
        assert app.backend.key_passphrase == DEMO_PASSPHRASE
        await pilot.press("ctrl+o")
        await settle(pilot)
        view = await open_certificates(pilot)
        assert isinstance(app.screen, PassphraseDialog)
        assert verdicts(view) == ["indisponible", "indisponible"]


async def test_the_environment_passphrase_is_not_asked_for(
    demo_app: Callable[..., CertifyApp], demo_ring: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With $CERTIFY_KEY_PASSPHRASE set, nothing is asked."""
    monkeypatch.setenv(keys.PASSPHRASE_ENV, DEMO_PASSPHRASE)
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        view = await open_certificates(pilot)
        assert not isinstance(app.screen, PassphraseDialog)
        assert verdicts(view) == ["VALIDE", "VALIDE"]


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("fr", "Un administrateur doit lancer « certify keys init »"),
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
    said = backend.load_demo()
    assert said[0] == (
        f"émetteur de démonstration créé / demo issuer created: {downloads.parent / 'keys'} "
        "(phrase de passe / passphrase certify-demo)"
    )
    assert said[-1].startswith(
        "liste de révocation signée / signed status list: "
        f"{downloads.parent / 'keys' / STATUS_LIST_FILE} "
    )
    backend.unlock_keys(DEMO_PASSPHRASE)
