"""Templates to fill in: each kind's columns said in words, and an empty file the importer reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from certify.cli import main
from certify.exchange import KINDS
from certify.exchange.templates import column_guide, template
from certify.rules.wording import Lang
from certify.store.db import Database
from tests.exchange_helpers import run_import
from tests.test_typography import ISO_DAY, faults


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_every_template_is_read_back_with_every_column_recognised(
    database: Database, tmp_path: Path, lang: Lang, format: str
) -> None:
    """The empty file of each kind, in either language, is a file the importer reads: each
    header is known, no column is missing, there is nothing to write."""
    for kind in KINDS:
        path = tmp_path / f"{kind.name}-{lang}.{format}"
        path.write_bytes(template(kind, format, lang))
        report = run_import(database, kind.name, path, dry_run=True)
        assert report.problems == [], (kind.name, report.problems)
        assert report.rows == 0


def test_each_column_says_what_it_holds_in_both_languages() -> None:
    """Each column of each kind has words for what it holds, in French and English, typeset."""
    for kind in KINDS:
        french, english = column_guide(kind, "fr"), column_guide(kind, "en")
        assert [guide.header for guide in french] == [column.french for column in kind.columns]
        assert [guide.required for guide in english] == [c.required for c in kind.columns]
        for fr, en in zip(french, english, strict=True):
            assert (fr.holds and en.holds and fr.holds != en.holds) or fr.holds == "fr ou en"
            assert faults(fr.holds) == [] and not ISO_DAY.search(fr.holds), fr.holds
    staff = {guide.header: guide.holds for guide in column_guide(KINDS[1], "fr")}
    assert staff["Date d'entrée"] == "date JJ/MM/AAAA"
    assert staff["Employeur"].endswith("\u00a0; un nom nouveau est créé")
    hours = {g.header: g.holds for g in column_guide(KINDS[3], "fr")}["Durée (heures)"]
    assert hours == "nombre supérieur à 0, au plus 9999,99, 2 décimales au plus"


def test_the_command_line_writes_a_template(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``certify export staff --template`` writes the header row in the language chosen,
    without opening any database."""
    out = tmp_path / "modele.csv"
    assert (
        main(
            ["--db", str(tmp_path / "none.db"), "export", "staff", "--template", "--out", str(out)]
        )
        == 0
    )
    assert out.read_text(encoding="utf-8-sig").startswith("Adresse e-mail;Prénom;Nom;")
    assert capsys.readouterr().err == f"modèle écrit\u00a0: {out}\n"
    assert not (tmp_path / "none.db").exists()
    assert main(["--lang", "en", "export", "staff", "--template"]) == 0
    assert capsys.readouterr().out.startswith("\ufeffE-mail;Given name;Family name;")
    assert main(["export", "sites", "--template", "--format", "yaml"]) == 1
    assert "un modèle s'écrit en csv ou xlsx" in capsys.readouterr().err
