"""A person's own views and a coordinator's page of them: standings, certificates, overview."""

from __future__ import annotations

from datetime import date

import pytest

from certify.access.permissions import Actor, PermissionDenied
from certify.model import CertificateState, Role
from certify.rules.dates import CertificateStatus
from certify.rules.eligibility import explain
from certify.rules.progress import ProgressStatus, progress
from certify.rules.scope import Scope
from certify.services.issuance import reissue_certificate, revoke_certificate
from certify.views.certificate_lines import my_certificates, person_certificates
from certify.views.certificate_records import held_certificates
from certify.views.my_progress import my_progress
from certify.views.person_overview import person_overview
from tests.views_network import AS_OF, ViewsNetwork, views_network

#: The views' scenario, on each backend.
views = pytest.fixture(views_network, name="views")


def as_staff(views: ViewsNetwork, nickname: str) -> Actor:
    """A person of the scenario signed in, as a counsellor."""
    person = views.people[nickname]
    return Actor(nickname, person.id, frozenset({Role.COUNSELLOR}), person.site_id)


@pytest.mark.parametrize("nickname", ["certified", "renewing", "ready", "lapsed", "helene"])
def test_my_progress_agrees_with_progress_and_explain(views: ViewsNetwork, nickname: str) -> None:
    """One standing per programme, by code: progress()'s status and explain()'s lines."""
    session = views.net.session
    person_id = views.id(nickname)
    standings = my_progress(session, as_staff(views, nickname), AS_OF)
    rows = {
        row.programme_id: row
        for row in progress(session, AS_OF, Scope.network(), people=[person_id])
    }
    assert [s.explanation.programme.code for s in standings] == ["CERT-ACC", "CERT-CONS"]
    for standing in standings:
        programme_id = standing.explanation.programme.id
        row = rows[programme_id]
        assert (standing.status, standing.valid_until) == (row.status, row.valid_until)
        assert standing.explanation.missing_count == row.missing
        assert standing.explanation == explain(session, person_id, programme_id, AS_OF)


def test_my_progress_headlines(views: ViewsNetwork) -> None:
    """Certified until…, eligible, N requirements missing: in French first."""
    session = views.net.session
    [acc, _] = my_progress(session, as_staff(views, "certified"), AS_OF)
    assert acc.status is ProgressStatus.CERTIFIED
    assert acc.headline().fr == "Certifié·e jusqu'au 02/03/2028"
    [ready, _] = my_progress(session, as_staff(views, "ready"), AS_OF)
    assert ready.status is ProgressStatus.ELIGIBLE
    [_, cons] = my_progress(session, as_staff(views, "helene"), AS_OF)
    assert cons.headline().fr == "En cours\u00a0: 4 exigences manquantes"


def test_the_system_has_no_progress_of_its_own(views: ViewsNetwork) -> None:
    """An actor with no staff member behind it is refused."""
    with pytest.raises(PermissionDenied):
        my_progress(views.net.session, views.admin, AS_OF)
    with pytest.raises(PermissionDenied):
        my_certificates(views.net.session, views.admin, AS_OF)


def test_certificates_with_status_lineage_and_revocation(views: ViewsNetwork) -> None:
    """Newest first; a reissue names what it replaced and is named by it; a revocation."""
    session, net = views.net.session, views.net
    person = views.people["certified"]
    old = net.certify(person, "CERT-CONS", valid_from=date(2024, 1, 10))
    old.snapshot = {"holder": {"name": person.full_name, "email": person.email}}
    renewed = reissue_certificate(session, views.admin, old.serial, "nom", date(2025, 6, 1))
    revoke_certificate(session, views.admin, renewed.serial, date(2026, 2, 1), "fraude")
    lines = my_certificates(session, as_staff(views, "certified"), AS_OF)
    assert [(line.serial, line.programme.code) for line in lines] == [
        (renewed.serial, "CERT-CONS"),
        (lines[1].serial, "CERT-ACC"),
        (old.serial, "CERT-CONS"),
    ]
    newest, acc, oldest = lines
    assert (newest.state, newest.status) == (CertificateState.REVOKED, CertificateStatus.REVOKED)
    assert (newest.revoked_on, newest.revocation_reason) == (date(2026, 2, 1), "fraude")
    assert (newest.supersedes, newest.superseded_by) == (old.serial, None)
    assert (oldest.status, oldest.superseded_by) == (CertificateStatus.SUPERSEDED, renewed.serial)
    assert (acc.status, acc.valid_until) == (CertificateStatus.VALID, date(2028, 3, 2))
    assert acc.programme.title_fr == "Chargé·e d'accueil de 1er niveau"
    before = my_certificates(session, as_staff(views, "certified"), date(2026, 1, 31))
    assert before[0].status is CertificateStatus.VALID
    windowed = person_certificates(session, views.id("renewing"), AS_OF)
    assert [line.status for line in windowed] == [CertificateStatus.IN_WINDOW]


def test_certificates_of_someone_else_need_their_scope(views: ViewsNetwork) -> None:
    """PARIS's coordinator sees PARIS-N, not SQY; staff see only themselves."""
    session = views.net.session
    assert held_certificates(session, views.paris, views.id("renewing"))
    with pytest.raises(PermissionDenied):
        held_certificates(session, views.paris, views.id("ready"))
    with pytest.raises(PermissionDenied):
        held_certificates(session, views.staff, views.id("lapsed"))
    assert held_certificates(session, views.staff, views.id("certified"))


def test_person_overview(views: ViewsNetwork) -> None:
    """Identity, roles, site, employer, standings, certificates and the latest assessments."""
    session = views.net.session
    overview = person_overview(session, views.paris, views.id("certified"), AS_OF, recent=3)
    assert (overview.person.name, overview.person.site.code) == ("Claire Certifiée", "PARIS")
    assert (overview.region, overview.employer) == ("Île-de-France", "France Travail")
    assert overview.roles == (Role.COUNSELLOR,)
    assert (overview.active_from, overview.active_until) == (date(2020, 1, 1), None)
    assert [s.status for s in overview.standings] == [
        ProgressStatus.CERTIFIED,
        ProgressStatus.IN_PROGRESS,
    ]
    assert [line.programme.code for line in overview.certificates] == ["CERT-ACC"]
    assert len(overview.assessments) == 3
    days = [line.assessed_on for line in overview.assessments]
    assert days == sorted(days, reverse=True)
    left = person_overview(session, views.paris, views.id("left"), AS_OF)
    assert left.active_until == date(2026, 6, 30)
    with pytest.raises(PermissionDenied):
        person_overview(session, views.paris, views.id("ready"), AS_OF)
    with pytest.raises(PermissionDenied):
        person_overview(session, views.staff, views.id("lapsed"), AS_OF)
