"""Who is offered issuing at all: administrators and coordinators, not trainers or staff."""

from __future__ import annotations

from certify.access.permissions import Actor, may_issue_certificates
from certify.model import Role
from certify.rules.scope import Scope


def test_admins_and_coordinators_may_issue_others_not() -> None:
    """The system and a site coordinator may; a trainer and a counsellor may not."""
    coordinator = Actor("coord", 2, frozenset({Role.COORDINATOR}), 1, Scope.sites(1))
    trainer = Actor("trainer", 3, frozenset({Role.TRAINER}), 1)
    counsellor = Actor("counsellor", 4, frozenset({Role.COUNSELLOR}), 1)
    assert may_issue_certificates(Actor.system())
    assert may_issue_certificates(coordinator)
    assert not may_issue_certificates(trainer)
    assert not may_issue_certificates(counsellor)
