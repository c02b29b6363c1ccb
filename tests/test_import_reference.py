"""Reference data imports (sites, frameworks, modules, programmes): CSV, tab, YAML; admins only."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from certify.exchange import render_report
from certify.store.db import Database
from tests.exchange_helpers import dump, found, natural, run_import, write_csv
from tests.factories import MiniNetwork

FRAMEWORK_YAML = """\
# Référentiel RCM, version 2
- Référentiel: RCM
  Version: 2
  Titre du référentiel: Référentiel des Cités des métiers
  Titre du référentiel (anglais): Cités des métiers framework
  Seuil de maîtrise: {threshold}
  Validité des évaluations (mois): 48
  Échelle:
    - 0 = Non acquis / Not acquired
    - 1 = Acquis / Acquired
  domaines:
    - Domaine: ETH
      Libellé du domaine: Éthique
      Libellé du domaine (anglais): Ethics
      compétences:
        - Compétence: ETH-01
          Libellé: Appliquer la Charte
          Libellé (anglais): Apply the Charter
          Niveaux de service: [accueil, conseil]
        - Compétence: ETH-02
          Libellé: Posture non prescriptive
          Libellé (anglais): Non-prescriptive stance
    - Domaine: RES
      Libellé du domaine: Réseau
      Libellé du domaine (anglais): Network
"""


@pytest.fixture
def network(database: Database) -> Database:
    """The miniature network of tests/factories.py."""
    with database.transaction() as session:
        MiniNetwork.build(session)
    return database


def test_sites_tab_separated_with_parents_regions_and_rules(
    network: Database, tmp_path: Path
) -> None:
    """A tab-separated UTF-8 file: regions created, a parent named below its centre refused."""
    header = ["code", "nom", "type", "rattachement", "région", "ville"]
    rows = [
        header,
        ["LYON-N", "Lyon Nord", "point relais", "LYON", "Auvergne-Rhône-Alpes", "Villeurbanne"],
        [
            "LYON",
            "Cité des métiers de Lyon",
            "cité des métiers",
            "",
            "Auvergne-Rhône-Alpes",
            "Lyon",
        ],
        ["ORLY", "Orly", "centre associé", "", "île-de-france", ""],
        ["EVRY", "Évry", "Cité des métiers", "PARIS", "Île-de-France", "Évry"],
    ]
    report = run_import(
        network, "sites", write_csv(tmp_path / "s.tsv", rows, encoding="utf-8", delimiter="\t")
    )
    assert found(report) == [
        (2, "rattachement", "LYON"),
        (4, "rattachement", None),
        (5, "rattachement", "PARIS"),
    ]
    assert "défini plus bas (ligne 3)" in render_report(report)
    fixed = [header, rows[2], rows[1], [*rows[3][:3], "PARIS", *rows[3][4:]]]
    report = run_import(
        network, "sites", write_csv(tmp_path / "t.tsv", fixed, encoding="utf-8", delimiter="\t")
    )
    assert not report.problems
    sites = natural(network, ["site"])["site"]
    assert sites[("LYON-N",)]["parent"] == ("LYON",)
    assert sites[("ORLY",)]["region"] == ("FR", "Île-de-France")  # matched whatever the case
    assert sites[("LYON",)]["region"] == ("FR", "Auvergne-Rhône-Alpes")


def test_framework_from_nested_yaml(network: Database, tmp_path: Path) -> None:
    """A YAML framework: scale, domains, competencies, orders from the file; no re-import."""
    path = tmp_path / "rcm2.yaml"
    path.write_text(FRAMEWORK_YAML.format(threshold=1), encoding="utf-8")
    report = run_import(network, "referentiel", path)
    assert not report.problems
    assert [(p.entity.name, len(p.creations)) for p in report.plan] == [
        ("framework", 1),
        ("domain", 2),
        ("competency", 2),
    ]
    rows = natural(network, ["framework", "domain", "competency"])
    framework = rows["framework"][("RCM", 2)]
    assert framework["scale"] == {(0, "Non acquis", "Not acquired"), (1, "Acquis", "Acquired")}
    assert framework["assessment_validity_months"] == 48
    assert rows["domain"][(("RCM", 2), "RES")]["position"] == 1
    competency = rows["competency"][(("RCM", 2), "ETH-02")]
    assert (competency["domain"], competency["position"]) == ((("RCM", 2), "ETH"), 1)
    assert rows["competency"][(("RCM", 2), "ETH-01")]["service_levels"] == {"accueil", "conseil"}
    assert run_import(network, "framework", path).plan.updated == 0


def test_framework_problems_point_at_yaml_lines(network: Database, tmp_path: Path) -> None:
    """A threshold off the scale is reported on the line of the first competency giving it."""
    path = tmp_path / "rcm2.yaml"
    path.write_text(FRAMEWORK_YAML.format(threshold=5), encoding="utf-8")
    before = dump(network)
    report = run_import(network, "framework", path)
    assert found(report) == [(16, "Seuil de maîtrise", "5")]
    assert dump(network) == before


def test_framework_rows_must_agree(network: Database, tmp_path: Path) -> None:
    """The same domain labelled differently on two rows is a problem on the second."""
    header = [
        "Référentiel",
        "Version",
        "Titre du référentiel",
        "Titre du référentiel (anglais)",
        "Seuil de maîtrise",
        "Échelle",
        "Domaine",
        "Libellé du domaine",
        "Libellé du domaine (anglais)",
        "Compétence",
        "Libellé",
        "Libellé (anglais)",
    ]
    common = ["RCM", "3", "T", "T", "1", "0 = Non / No | 1 = Oui / Yes", "ETH"]
    rows = [
        header,
        [*common, "Éthique", "Ethics", "E1", "a", "a"],
        [*common, "Ethique", "Ethics", "E2", "b", "b"],
    ]
    report = run_import(network, "framework", write_csv(tmp_path / "f.csv", rows))
    assert found(report) == [(3, "Libellé du domaine", "Ethique")]
    assert "diffère de la ligne 2 («\u00a0Éthique\u00a0»)" in report.problems[0].render()


def test_modules_with_french_decimals_and_a_suggestion(network: Database, tmp_path: Path) -> None:
    """« 3,5 » hours; the only framework implied; an unknown competency suggested."""
    header = [
        "Code",
        "Titre",
        "Titre (anglais)",
        "Durée (heures)",
        "Renouvellement (mois)",
        "Compétences",
    ]
    rows = [
        header,
        ["M10", "Écoute", "Listening", "3,5", "", "ETH-01, ETH-1"],
        ["M11", "X", "X", "0", "12", ""],
    ]
    report = run_import(network, "modules", write_csv(tmp_path / "m.csv", rows))
    assert found(report) == [(2, "Compétences", "ETH-1"), (3, "Durée (heures)", "0")]
    assert "vouliez-vous dire" in report.problems[0].render()
    assert "(ETH-01)\u00a0?" in report.problems[0].render()
    rows[1][5], rows[2][3] = "ETH-01, ETH-02", "7"
    assert not run_import(network, "modules", write_csv(tmp_path / "n.csv", rows)).problems
    module = natural(network, ["module"])["module"][("M10",)]
    assert (module["hours"], module["refresh_months"], module["min_attendance_percent"]) == (
        Decimal("3.5"),
        None,
        80,
    )
    assert module["competencies"] == {(("RCM", 1), "ETH-01"), (("RCM", 1), "ETH-02")}


def test_programmes_from_yaml_with_requirements(network: Database, tmp_path: Path) -> None:
    """Requirements as YAML lists; a level off the scale and an unknown module are problems."""
    path = tmp_path / "programmes.yaml"
    text = """\
- Code: CERT-INF
  Titre: Chargé·e d'information
  Titre (anglais): Information officer
  Référentiel: RCM v1
  Validité (mois): 36
  Fenêtre de renouvellement (mois): 6
  Compétences requises: [ETH-01:2, ACC-01:{level}]
  Modules requis: [M01, {module}]
  Prérequis: CERT-ACC (24 mois)
"""
    path.write_text(text.format(level=7, module="M99"), encoding="utf-8")
    report = run_import(network, "programmes", path)
    assert found(report) == [(1, "Compétences requises", "ACC-01"), (1, "Modules requis", "M99")]
    path.write_text(text.format(level=3, module="M02"), encoding="utf-8")
    report = run_import(network, "programmes", path)
    assert not report.problems
    programme = natural(network, ["programme"])["programme"][("CERT-INF",)]
    assert programme["competencies"] == {((("RCM", 1), "ETH-01"), 2), ((("RCM", 1), "ACC-01"), 3)}
    assert programme["modules"] == {("M01",), ("M02",)}
    assert programme["prerequisites"] == {(("CERT-ACC",), 24)}
