"""``certify publish``: the issuer's static site, and the QR code's verification URL."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from certificates.issuer import ISSUER_FILE, IssuerSettings, load_issuer, save_issuer
from certificates.keys import export_public_keys
from certificates.publication.site import ACHIEVEMENTS_FILE, CONFIG_FILE, JWKS_FILE
from certificates.publication.urls import (
    code_file_name,
    default_site_url,
    file_path,
    token_from_scan,
    verification_url,
)
from certificates.token import verification_code
from certificates.verification import Verdict, verify_token
from certify.cli import main
from certify.store.db import Database
from tests.certificate_factory import ISSUER, STATUS_URL
from tests.pdf_helpers import issue_hard_names, make_ring, qr_codes

#: A token's shape (its content does not matter to the URLs).
TOKEN = "eyJhbGciOiJFZDI1NTE5In0.eyJqdGkiOiJDRE0ifQ.c2lnbmF0dXJl"
#: Where the test issuer's site is published (the folder of its id).
SITE = "https://certify.cites-des-metiers.example"


def test_verification_url_round_trip() -> None:
    """The QR code's URL puts the token in the fragment; a scan gives the token back."""
    url = verification_url(SITE + "/", TOKEN)
    assert url == f"{SITE}/verifier/#{TOKEN}"
    assert token_from_scan(url) == TOKEN
    assert token_from_scan(f"  {TOKEN}\n") == TOKEN
    assert token_from_scan(url.replace("verifier/", "verifier")) == TOKEN


def test_default_site_is_the_folder_of_the_issuer_id() -> None:
    """Unless told, the site is where the issuer's id lives."""
    assert default_site_url(ISSUER.id) == SITE
    assert default_site_url("https://x.example/certify/issuer") == "https://x.example/certify"
    assert default_site_url("https://demo.certify.invalid") == "https://demo.certify.invalid"
    assert IssuerSettings(ISSUER, STATUS_URL).site == SITE
    assert IssuerSettings(ISSUER, STATUS_URL, "https://x.example/v/").site == "https://x.example/v"


def test_published_urls_map_to_files_a_static_server_types() -> None:
    """Extension-less URLs get ``.json``, folders ``index.json``; nothing climbs out."""
    assert str(file_path(ISSUER.id)) == "issuer.json"
    assert str(file_path(STATUS_URL)) == "status/1.json"
    assert str(file_path("https://x.example/certify/status-list.json")) == (
        "certify/status-list.json"
    )
    assert str(file_path("https://x.example")) == "index.json"
    assert str(file_path("https://x.example/id/")) == "id/index.json"
    with pytest.raises(ValueError, match="climb"):
        file_path("https://x.example/a/../../etc/passwd")


def test_code_file_names_ignore_case_and_spaces() -> None:
    """Typed in lower case or with spaces around, a serial and code find the same file."""
    assert code_file_name(" cdm-2026-000001 ", "abcde-fghij") == code_file_name(
        "CDM-2026-000001", "ABCDE-FGHIJ"
    )
    assert len(code_file_name("CDM-2026-000001", "ABCDE-FGHIJ")) == 64 + len(".jwt")


def test_older_issuer_settings_still_load(tmp_path: Path) -> None:
    """An issuer.json written before the site URL loads with the default site."""
    folder = tmp_path / "keys"
    folder.mkdir()
    save_issuer(IssuerSettings(ISSUER, STATUS_URL), folder)
    path = folder / ISSUER_FILE
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["site_url"] == SITE
    del document["site_url"]
    path.write_text(json.dumps(document), encoding="utf-8")
    assert load_issuer(folder) == IssuerSettings(ISSUER, STATUS_URL)
    assert load_issuer(folder).site == SITE


def run(capsys: pytest.CaptureFixture[str], database: Database, *argv: str) -> str:
    """Run ``certify --db <database> argv…``, which must succeed; its standard output."""
    assert main(["--db", database.url, *argv]) == 0
    return capsys.readouterr().out


def read(path: Path) -> dict:
    """A JSON file of the site."""
    return json.loads(path.read_text(encoding="utf-8"))


def published_certificate(
    database: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> tuple[Path, str]:
    """The site published after one certificate was issued and exported, and its token as
    the site's typed-code file gives it."""
    make_ring(tmp_path / "keys", monkeypatch)
    serial = issue_hard_names(database).serials[0]
    run(capsys, database, "certificate", "export", serial, "--out", str(tmp_path / "c.pdf"))
    site = tmp_path / "site"
    run(capsys, database, "publish", "--out", str(site))
    [code_file] = (site / "verifier" / "c").iterdir()
    return site, code_file.read_text(encoding="ascii").strip()


def test_publish_writes_profile_keys_status_list_and_page(
    database: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The site holds what a stranger's verifier needs; republished, a revocation shows."""
    ring = make_ring(tmp_path / "keys", monkeypatch)
    serial = issue_hard_names(database).serials[0]
    run(capsys, database, "certificate", "export", serial, "--out", str(tmp_path / "c.pdf"))
    site = tmp_path / "site"
    output = run(capsys, database, "publish", "--out", str(site))
    assert "1 certificat retrouvable par code" in output
    pinned = export_public_keys(ring)

    profile = read(site / "issuer.json")
    assert (profile["id"], profile["type"], profile["name"]) == (ISSUER.id, "Profile", ISSUER.name)
    assert [method["id"] for method in profile["verificationMethod"]] == [
        key.key_id for key in pinned.keys
    ]
    assert profile["assertionMethod"] == [key.key_id for key in pinned.keys]
    for method in profile["verificationMethod"]:
        assert (method["type"], method["controller"]) == ("Multikey", ISSUER.id)
        assert method["publicKeyMultibase"].startswith("z6Mk")
        assert "created" in method

    jwks = read(site / JWKS_FILE)
    assert [key["kid"] for key in jwks["keys"]] == [key.token_key_id for key in pinned.keys]
    assert all(
        key["verificationMethods"][0] == pin.key_id
        for key, pin in zip(jwks["keys"], pinned.keys, strict=True)
    )

    verifier = site / "verifier"
    config = read(verifier / CONFIG_FILE)
    assert config["statusList"] == STATUS_URL
    assert (verifier / config["statusListFile"]).resolve() == (site / "status" / "1.json")
    assert (verifier / config["keysFile"]).resolve() == site / JWKS_FILE
    for name in ("index.html", "verifier.js", "verifier.css", "vendor/noble-ed25519.js"):
        assert (verifier / name).is_file(), name

    [code_file] = (verifier / "c").iterdir()
    token = code_file.read_text(encoding="ascii").strip()
    assert code_file.name == code_file_name(serial, verification_code(token))
    status_list = read(site / "status" / "1.json")
    assert verify_token(token, pinned, status_list, date.today()).verdict is Verdict.VALID
    assert "Holder" not in code_file.read_text() and len(list((verifier / "c").iterdir())) == 1

    run(capsys, database, "revoke", serial, "--reason", "Fraude")
    run(capsys, database, "publish", "--out", str(site))
    status_list = read(site / "status" / "1.json")
    assert verify_token(token, pinned, status_list, date.today()).verdict is Verdict.REVOKED


def test_publish_writes_the_titles_the_page_names_codes_with(
    database: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The token names its programme and competencies by code; the site gives their titles."""
    site, token = published_certificate(database, tmp_path, monkeypatch, capsys)
    verifier = site / "verifier"
    assert read(verifier / CONFIG_FILE)["achievementsFile"] == ACHIEVEMENTS_FILE
    programmes = read(verifier / ACHIEVEMENTS_FILE)["programmes"]
    assert set(programmes) == {"CERT-ACC", "CERT-CONS"}
    acc = programmes["CERT-ACC"]
    assert acc["title"] == {
        "fr": "Chargé·e d'accueil de 1er niveau",
        "en": "First-level reception officer",
    }
    assert list(acc["competencies"]) == ["ETH-01", "ETH-02", "ETH-03", "ACC-01"]
    assert acc["competencies"]["ETH-03"] == {
        "fr": "Garantir la confidentialité",
        "en": "Ensure confidentiality",
    }
    assert list(programmes["CERT-CONS"]["competencies"]) == ["ETH-01", "CON-01"]

    claims = verify_token(token, export_public_keys(tmp_path / "keys"), None, date.today()).fields
    assert claims is not None and claims.competency_codes is not None
    assert set(claims.competency_codes) == set(acc["competencies"])


def test_verify_accepts_the_scanned_url(
    database: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``certify verify --token`` takes what a phone's scanner reads: the page's URL."""
    site, token = published_certificate(database, tmp_path, monkeypatch, capsys)
    status = site / "status" / "1.json"
    output = run(
        capsys,
        database,
        "verify",
        "--token",
        verification_url(SITE, token),
        "--status-list",
        str(status),
    )
    assert output.startswith("VALIDE\n")


def test_the_printed_qr_code_opens_the_verification_page(
    database: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """zbarimg reads, at 150 dpi, the page's URL with the certificate's token in its fragment."""
    make_ring(tmp_path / "keys", monkeypatch)
    serial = issue_hard_names(database).serials[0]
    pdf = tmp_path / "c.pdf"
    run(capsys, database, "certificate", "export", serial, "--out", str(pdf))
    (url,) = qr_codes(pdf)
    assert url.startswith(f"{SITE}/verifier/#ey")
    assert verify_token(
        token_from_scan(url), export_public_keys(tmp_path / "keys"), None, date.today()
    ).fields
