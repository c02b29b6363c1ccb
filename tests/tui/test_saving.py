"""Saving files in a terminal: never overwrite, folders get the file's name, clear failures."""

from __future__ import annotations

from pathlib import Path

import pytest

from certify.errors import CertifyError
from tui.saving import DOWNLOADS_ENV, chosen_path, downloads_folder, write_new_file


def test_a_new_file_is_written_with_missing_folders_created(tmp_path: Path) -> None:
    """The folders on the way are made, and the bytes land whole."""
    target = tmp_path / "Téléchargements" / "certificat.pdf"
    assert write_new_file(target, b"%PDF-1.7") == target
    assert target.read_bytes() == b"%PDF-1.7"


def test_an_existing_file_is_never_overwritten(tmp_path: Path) -> None:
    """A second and third save of the same name get « (2) » and « (3) »."""
    target = tmp_path / "vue.csv"
    paths = [write_new_file(target, str(n).encode()) for n in range(3)]
    assert [p.name for p in paths] == ["vue.csv", "vue (2).csv", "vue (3).csv"]
    assert target.read_bytes() == b"0"


def test_a_folder_typed_gets_the_file_name(tmp_path: Path) -> None:
    """Typing a folder (existing, or ending with a slash) saves under the offered name."""
    assert chosen_path(str(tmp_path), "a.pdf") == tmp_path / "a.pdf"
    assert chosen_path(f"{tmp_path}/new/", "a.pdf") == tmp_path / "new" / "a.pdf"
    assert chosen_path(f" {tmp_path}/b.pdf ", "a.pdf") == tmp_path / "b.pdf"


def test_an_unwritable_place_is_named_in_both_languages(tmp_path: Path) -> None:
    """Writing under a file (not a folder) fails with the path in the message."""
    blocker = tmp_path / "fichier"
    blocker.write_text("x")
    with pytest.raises(CertifyError) as failure:
        write_new_file(blocker / "a.pdf", b"x")
    assert str(blocker / "a.pdf") in failure.value.in_("fr")
    assert failure.value.in_("fr").startswith("Impossible d'enregistrer")
    assert failure.value.in_("en").startswith("Cannot save")


def test_the_downloads_folder_can_be_chosen(monkeypatch: pytest.MonkeyPatch) -> None:
    """``CERTIFY_DOWNLOADS`` overrides the user's downloads folder."""
    monkeypatch.setenv(DOWNLOADS_ENV, "~/exports")
    assert downloads_folder() == Path.home() / "exports"
