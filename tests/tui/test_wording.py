"""How values read: French dates and decimal commas, typed hours and dates, failures."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest

from certify.access.permissions import Action, Actor, PermissionDenied, Reason
from certify.errors import CertifyError
from certify.model import AssessmentMethod, Role
from certify.rules.progress import ProgressStatus
from certify.services.accounts import AuthenticationFailed
from tui import statuses, wording
from tui.failures import describe
from tui.i18n import use_language


@pytest.fixture(params=["fr", "en"])
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    """Each language in turn (French is left in use after)."""
    use_language(request.param)
    yield request.param
    use_language("fr")


def test_counts_are_grouped_by_thousands(language: str) -> None:
    """14 801 (narrow no-break space) in French, 14,801 in English; small counts as is."""
    grouped = "14\u202f801" if language == "fr" else "14,801"
    assert wording.number(14801) == grouped
    assert wording.number(999) == "999"


def test_dashboard_counts_are_grouped_by_thousands(language: str) -> None:
    """A dashboard cell of 1 483 certified reads « 1 483 » in French, 1,483 in English."""
    cell = statuses.count_cell(ProgressStatus.CERTIFIED, 1483)
    assert cell.plain == ("1\u202f483" if language == "fr" else "1,483")


def test_dates_and_hours(language: str) -> None:
    """21/11/2026 and 10,5 in French; ISO dates and 10.5 in English."""
    french = language == "fr"
    assert wording.day(date(2026, 11, 21)) == ("21/11/2026" if french else "2026-11-21")
    assert wording.hours(Decimal("10.50")) == ("10,5" if french else "10.5")
    assert wording.hours(Decimal("21.00")) == "21"
    assert wording.period(date(2026, 11, 16), date(2026, 11, 16)) == wording.day(date(2026, 11, 16))


@pytest.mark.parametrize("typed", ["7,5", " 7.5 "])
def test_hours_typed_with_a_comma_or_a_point(typed: str) -> None:
    """Either decimal mark is read."""
    assert wording.parse_hours(typed) == Decimal("7.5")


@pytest.mark.parametrize("typed", ["sept", "NaN", ""])
def test_what_is_not_hours_is_refused_in_plain_words(typed: str) -> None:
    """Words, NaN and nothing are not hours."""
    use_language("fr")
    with pytest.raises(CertifyError, match="n'est pas un nombre d'heures"):
        wording.parse_hours(typed)


def test_dates_typed_day_first_or_iso() -> None:
    """Both ways of writing a date are read; anything else is refused with an example."""
    use_language("fr")
    assert wording.parse_day("18/11/2026") == wording.parse_day("2026-11-18")
    with pytest.raises(CertifyError, match="21/11/2026"):
        wording.parse_day("demain")


def test_the_grid_cycles_through_four_methods() -> None:
    """observation → simulation → interview → quiz → observation; portfolio goes to the start."""
    seen = [AssessmentMethod.OBSERVATION]
    for _ in range(4):
        seen.append(wording.next_method(seen[-1]))
    assert seen[-1] is AssessmentMethod.OBSERVATION and len(set(seen)) == 4
    assert wording.next_method(AssessmentMethod.PORTFOLIO) is AssessmentMethod.OBSERVATION


def test_failures_in_plain_words(language: str) -> None:
    """Sign-in failures never say who exists; refusals say what and why; others as is."""
    trainer = Actor("formateur", 11, frozenset({Role.TRAINER}), 1)
    title, message = describe(AuthenticationFailed())
    assert message == (
        "Utilisateur inconnu ou mot de passe erroné."
        if language == "fr"
        else "Unknown user or wrong password."
    )
    refusal = PermissionDenied(
        trainer, Action.RECORD_ASSESSMENT, "person 11", Reason.NOBODY_ASSESSES_THEMSELVES
    )
    _title, message = describe(refusal)
    assert message == (
        "Vous ne pouvez pas enregistrer une évaluation\u00a0: personne ne s'évalue soi-même."
        if language == "fr"
        else "You may not record an assessment: nobody assesses themselves."
    )
    off_scale = CertifyError(
        "le niveau 7 n'est pas sur l'échelle (0–3)", "level 7 is not on the scale (0–3)"
    )
    assert describe(off_scale)[1] == (
        "le niveau 7 n'est pas sur l'échelle (0–3)"
        if language == "fr"
        else "level 7 is not on the scale (0–3)"
    )
    assert title


@pytest.mark.parametrize("why", Reason)
@pytest.mark.parametrize("action", Action)
def test_every_refusal_says_what_and_why_in_words(action: Action, why: Reason) -> None:
    """Each action and each reason a service can refuse with has its sentence, never a bare
    « Refusé »."""
    use_language("fr")
    staff = Actor("conseiller", 5, frozenset({Role.COUNSELLOR}), 1)
    _title, message = describe(PermissionDenied(staff, action, "person 5", why))
    assert message == f"Vous ne pouvez pas {action.french}\u00a0: {why.french}."
    assert why.french and action.french and why.french != why.value
