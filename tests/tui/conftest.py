"""The demo network, built once per test session into a template file copied per test.

The demo is generated as of :data:`TODAY` with a fixed seed (its status-list indexes
too, drawn at random otherwise), and the app is told that day, so screens and snapshots
(verification codes included) do not change with the calendar or the run. The template also holds
module M99 covering six competencies (no demo module covers more than four), for the
12 × 6 grid.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from unittest.mock import patch

import pytest
from sqlalchemy import select

from certify.demo.certification import load_demo
from certify.model import Competency, Module, ModuleCompetency
from certify.services import status_entries
from certify.store.db import Database
from certify.store.schema import upgrade
from tests.tui.helpers import TODAY
from tui.app import CertifyApp, create_app

#: Seed of the demo network the tests run on.
SEED = 1993


def add_six_competency_module(database: Database) -> None:
    """Module M99 covering the first six competencies (by code)."""
    with database.transaction() as session:
        module = Module(
            code="M99",
            title_fr="Module d'essai à six compétences",
            title_en="Six-competency test module",
            hours=Decimal(14),
            refresh_months=None,
        )
        session.add(module)
        session.flush()
        codes = session.scalars(select(Competency.id).order_by(Competency.code).limit(6))
        session.add_all(ModuleCompetency(module_id=module.id, competency_id=c) for c in codes)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo network (200 staff) plus module M99, in an SQLite file; built once."""
    path = tmp_path_factory.mktemp("template") / "certify.db"
    database = Database(f"sqlite:///{path}")
    upgrade(database)
    draws = random.Random(SEED)
    with patch.object(status_entries, "random_index", draws.randrange):
        load_demo(database, seed=SEED, as_of=TODAY, staff=200)
    add_six_competency_module(database)
    database.dispose()
    return path


@pytest.fixture
def demo_url(demo_template: Path, tmp_path: Path) -> str:
    """A copy of the demo network of this test's own."""
    shutil.copyfile(demo_template, tmp_path / "certify.db")
    return f"sqlite:///{tmp_path / 'certify.db'}"


@pytest.fixture
def empty_url(tmp_path: Path) -> str:
    """A migrated database with no network in it."""
    url = f"sqlite:///{tmp_path / 'certify.db'}"
    database = Database(url)
    upgrade(database)
    database.dispose()
    return url


@pytest.fixture
def demo_app(demo_url: str) -> Callable[..., CertifyApp]:
    """Make the app on this test's copy of the demo (French unless told)."""

    def make(lang: str = "fr") -> CertifyApp:
        """The app in ``lang``, as of the demo's day."""
        return create_app(demo_url, lang, TODAY)

    return make
