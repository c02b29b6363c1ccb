"""French and English wording of an explanation, rendered from its data.

Each phrase is written in both languages side by side; dates are 02/03/2025 in French and
ISO (2025-03-02) in English,
hours, shares and counts use the language's separators (10,5 h / 10.5 h, 42,5 % / 42.5%,
12 345 / 12,345).
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Literal, NamedTuple

from certify.model import AssessmentMethod
from certify.rules.dates import add_months
from certify.rules.evidence import (
    ActivityEvidence,
    AssessmentEvidence,
    AttendanceEvidence,
    AttendanceRule,
    CertificateEvidence,
    Finding,
    HoldingRule,
    LevelRef,
    RequirementKind,
)

if TYPE_CHECKING:
    from certify.rules.explanation import Explanation, Requirement

#: A language an explanation is rendered in.
Lang = Literal["fr", "en"]


def as_lang(code: str) -> Lang:
    """A stored language code (``Person.lang``) as a :data:`Lang`: English or French."""
    return "en" if code == "en" else "fr"


#: The no-break space French puts before « : ; ? ! » and inside « ».
NBSP = "\u00a0"


class Wording(NamedTuple):
    """One phrase in French and in English."""

    #: French wording.
    fr: str
    #: English wording.
    en: str

    def in_(self, lang: Lang) -> str:
        """The wording in ``lang``."""
        return self.fr if lang == "fr" else self.en

    def agreed(self, count: int) -> Wording:
        """Each « (s) » agreed with ``count``: French plural from 2, English but for 1."""
        return Wording(
            self.fr.replace("(s)", "s" if count > 1 else ""),
            self.en.replace("(s)", "" if count == 1 else "s"),
        )


#: Assessment methods in both languages.
METHODS: dict[AssessmentMethod, Wording] = {
    AssessmentMethod.OBSERVATION: Wording("observation", "observation"),
    AssessmentMethod.MISE_EN_SITUATION: Wording("mise en situation", "simulation"),
    AssessmentMethod.ENTRETIEN: Wording("entretien", "interview"),
    AssessmentMethod.QUIZ: Wording("quiz", "quiz"),
    AssessmentMethod.PORTFOLIO: Wording("portfolio", "portfolio"),
}


def hours(value: Decimal) -> Wording:
    """Hours without trailing zeros: ``10,5 h`` / ``10.5 h``."""
    text = format(value.normalize(), "f")
    return Wording(f"{text.replace('.', ',')} h", f"{text} h")


#: The narrow no-break space French groups thousands with.
NARROW_NBSP = "\u202f"


def count(value: int) -> Wording:
    """A count grouped by thousands: ``12 345`` (narrow no-break space) / ``12,345``."""
    grouped = f"{value:,}"
    return Wording(grouped.replace(",", NARROW_NBSP), grouped)


def percent(value: Decimal) -> Wording:
    """A percentage with one decimal: ``42,5 %`` (no-break space before %) / ``42.5%``."""
    text = format(value.quantize(Decimal("0.1"), ROUND_HALF_UP), "f")
    return Wording(f"{text.replace('.', ',')}{NBSP}%", f"{text}%")


def points(change: Decimal) -> Wording:
    """A change in percentage points, always signed: ``+7,3 pts`` / ``−0.5 pts``."""
    text = format(abs(change).quantize(Decimal("0.1"), ROUND_HALF_UP), "f")
    sign = "−" if change < 0 else "+"
    return Wording(f"{sign}{text.replace('.', ',')}{NBSP}pts", f"{sign}{text}{NBSP}pts")


def level(ref: LevelRef) -> Wording:
    """``niveau 2 (Acquis)`` / ``level 2 (Acquired)``."""
    return Wording(f"niveau {ref.level} ({ref.label_fr})", f"level {ref.level} ({ref.label_en})")


def french_day(value: date) -> str:
    """A day as French readers write it: 02/07/2028 (English keeps ISO, 2028-07-02)."""
    return value.strftime("%d/%m/%Y")


def _expiry(expires_on: date | None) -> Wording:
    """``, expire le …`` / ``, expires on …``, or nothing for what never expires."""
    if expires_on is None:
        return Wording("", "")
    return Wording(f", expire le {french_day(expires_on)}", f", expires on {expires_on}")


def required(line: Requirement) -> Wording:
    """What the line requires."""
    match line.required:
        case LevelRef() as ref:
            need = level(ref)
            return Wording(f"{need.fr} requis", f"{need.en} required")
        case AttendanceRule(percent=percent, hours=total):
            length = hours(total)
            return Wording(
                f"présence à {percent} % de {length.fr} requise",
                f"attendance of {percent} % of {length.en} required",
            )
        case HoldingRule(min_held_months=0):
            return Wording("certificat valide requis", "valid certificate required")
        case HoldingRule(min_held_months=months):
            return Wording(
                f"certificat valide détenu depuis au moins {months} mois requis",
                f"valid certificate held for at least {months} months required",
            )
        case None:
            return Wording("en activité à cette date", "active on that day")


def finding(line: Requirement) -> Wording:
    """What was found: the evidence of a met line, or what is missing and since when."""
    match line.finding, line.evidence, line.required:
        case ((Finding.PROFICIENT | Finding.BELOW_LEVEL), AssessmentEvidence() as a, _):
            got, method, expiry = level(a.level), METHODS[a.method], _expiry(a.expires_on)
            return Wording(
                f"{got.fr} le {french_day(a.assessed_on)}, "
                f"évalué·e par {a.assessor_name} ({method.fr}), "
                f"évaluation n° {a.assessment_id}{expiry.fr}",
                f"{got.en} on {a.assessed_on}, assessed by {a.assessor_name} ({method.en}), "
                f"assessment no. {a.assessment_id}{expiry.en}",
            )
        case Finding.ASSESSMENT_EXPIRED, AssessmentEvidence(expires_on=date() as expired) as a, _:
            got = level(a.level)
            return Wording(
                f"évaluation du {french_day(a.assessed_on)} "
                f"expirée le {french_day(expired)}\u00a0: {got.fr}",
                f"assessment of {a.assessed_on} expired on {expired}: {got.en}",
            )
        case Finding.NEVER_ASSESSED, _, _:
            return Wording("jamais évalué·e", "never assessed")
        case Finding.COMPLETED, AttendanceEvidence() as s, AttendanceRule(hours=total):
            present, expiry = hours(s.hours_present), _expiry(s.expires_on)
            return Wording(
                f"suivi : session {s.session_id} ({s.site_code}) du {french_day(s.starts_on)} au "
                f"{french_day(s.ends_on)}, {present.fr} sur {hours(total).fr}{expiry.fr}",
                f"completed: session {s.session_id} ({s.site_code}) {s.starts_on} to "
                f"{s.ends_on}, {present.en} of {hours(total).en}{expiry.en}",
            )
        case Finding.REFRESH_EXPIRED, AttendanceEvidence(expires_on=date() as expired) as s, _:
            return Wording(
                f"suivi le {french_day(s.ends_on)} (session {s.session_id}), "
                f"recyclage échu le {french_day(expired)}",
                f"completed {s.ends_on} (session {s.session_id}), refresh expired {expired}",
            )
        case Finding.PARTIAL_ATTENDANCE, AttendanceEvidence() as s, AttendanceRule() as rule:
            present, total = hours(s.hours_present), hours(rule.hours)
            share = int(s.hours_present * 100 // rule.hours)
            return Wording(
                f"présent·e {present.fr} sur {total.fr} ({share} %) à la session "
                f"{s.session_id} ({s.site_code}, "
                f"{french_day(s.starts_on)} – {french_day(s.ends_on)})",
                f"attended {present.en} of {total.en} ({share} %) in session "
                f"{s.session_id} ({s.site_code}, {s.starts_on} – {s.ends_on})",
            )
        case Finding.NEVER_ATTENDED, _, _:
            return Wording("aucune session suivie", "no session attended")
        case Finding.HELD, CertificateEvidence() as c, _:
            return Wording(
                f"certificat {c.serial} valable du {french_day(c.valid_from)} "
                f"au {french_day(c.valid_until)}, "
                f"détenu depuis le {french_day(c.held_since)}",
                f"certificate {c.serial} valid {c.valid_from} to {c.valid_until}, "
                f"held since {c.held_since}",
            )
        case Finding.HELD_TOO_BRIEFLY, CertificateEvidence() as c, HoldingRule() as rule:
            until = add_months(c.held_since, rule.min_held_months)
            return Wording(
                f"certificat {c.serial} détenu depuis le {french_day(c.held_since)}, "
                f"{rule.min_held_months} mois requis (jusqu'au {french_day(until)})",
                f"certificate {c.serial} held since {c.held_since}, "
                f"{rule.min_held_months} months required (until {until})",
            )
        case Finding.CERTIFICATE_EXPIRED, CertificateEvidence() as c, _:
            return Wording(
                f"certificat {c.serial} expiré\u00a0: valable jusqu'au {french_day(c.valid_until)}",
                f"certificate {c.serial} expired: valid until {c.valid_until}",
            )
        case Finding.NOT_HELD, _, _:
            return Wording("certificat non détenu", "certificate not held")
        case Finding.ACTIVE, ActivityEvidence() as p, _:
            return Wording(
                f"en activité depuis le {french_day(p.active_from)}",
                f"active since {p.active_from}",
            )
        case Finding.NOT_YET_ACTIVE, ActivityEvidence() as p, _:
            return Wording(
                f"pas encore en activité\u00a0: à partir du {french_day(p.active_from)}",
                f"not active yet: from {p.active_from}",
            )
        case Finding.LEFT, ActivityEvidence(active_until=date() as last), _:
            return Wording(
                f"a quitté le réseau\u00a0: dernier jour le {french_day(last)}",
                f"left the network: last day {last}",
            )
    raise ValueError(f"no wording for {line.finding} with {line.evidence!r}")


def _label(line: Requirement) -> Wording:
    """The line's code and label (the active line has a label only)."""
    if line.kind is RequirementKind.ACTIVE:
        return Wording(line.label_fr, line.label_en)
    return Wording(f"{line.code} {line.label_fr}", f"{line.code} {line.label_en}")


def _header(explanation: Explanation) -> Wording:
    """Who, which programme, which day, and the verdict."""
    person, programme = explanation.person, explanation.programme
    who = f"{person.name} <{person.email}> — {person.site.code}, {person.site.name}"
    day = explanation.as_of
    missing, completed = explanation.missing_count, explanation.completed_on
    if explanation.eligible:
        on = french_day(completed) if completed else "–"
        verdict = Wording(
            f"éligible (dernière exigence remplie le {on})",
            f"eligible (last requirement met on {completed})",
        )
    else:
        verdict = Wording(
            f"non éligible, {missing} exigence(s) manquante(s)",
            f"not eligible, {missing} requirement(s) missing",
        ).agreed(missing)
    return Wording(
        f"{who}\n{programme.code} « {programme.title_fr} » au {french_day(day)} : {verdict.fr}",
        f"{who}\n{programme.code} “{programme.title_en}” as of {day}: {verdict.en}",
    )


def render(explanation: Explanation, lang: Lang) -> str:
    """The whole explanation as plain text: a header, then two lines per requirement."""
    lines = [_header(explanation).in_(lang), ""]
    for line in explanation.requirements:
        mark = "✓" if line.met else "✗"
        lines.append(f"{mark} {_label(line).in_(lang)} — {required(line).in_(lang)}")
        lines.append(f"    {finding(line).in_(lang)}")
    return "\n".join(lines) + "\n"
