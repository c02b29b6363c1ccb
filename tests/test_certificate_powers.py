"""The certificate actions a person's page offers agree with the permission matrix."""

from __future__ import annotations

import pytest

from certify.access.certificate_powers import CERTIFICATE_CHANGES, certificate_changes
from certify.store.db import Database
from tests.network import SmallNetwork, build_small_network
from tests.test_permissions import PERSON_MATRIX


@pytest.fixture
def network(database: Database) -> SmallNetwork:
    """The small network of tests/network.py."""
    return build_small_network(database)


def test_offered_exactly_when_allowed(network: SmallNetwork) -> None:
    """Coordinators of the person's site and admins; never trainers nor the holder."""
    with network.database.reading() as session:
        for (actor_id, person_id), allowed in PERSON_MATRIX.items():
            offered = certificate_changes(session, network.actor(actor_id), person_id)
            assert offered == allowed & set(CERTIFICATE_CHANGES), (actor_id, person_id)
