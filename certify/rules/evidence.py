"""What one requirement line states: its kind, its finding, the rule and the evidence.

Plain frozen data: the eligibility rules fill it, the wording renders it in French and
English, and it is frozen as JSON into a certificate's snapshot.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from certify.model import AssessmentMethod


class RequirementKind(enum.StrEnum):
    """What a programme requires on one line."""

    COMPETENCY = "competency"
    MODULE = "module"
    PREREQUISITE = "prerequisite"
    ACTIVE = "active"


class Finding(enum.StrEnum):
    """What the rules found for one requirement: met, or why not."""

    #: Competency: the latest valid assessment reaches the required level.
    PROFICIENT = "proficient"
    #: Competency: the latest assessment is below the required level.
    BELOW_LEVEL = "below_level"
    #: Competency: the latest assessment is older than the framework's validity.
    ASSESSMENT_EXPIRED = "assessment_expired"
    #: Competency: no assessment on or before the date.
    NEVER_ASSESSED = "never_assessed"
    #: Module: completed and still within its refresh period.
    COMPLETED = "completed"
    #: Module: the latest completion is past its refresh period.
    REFRESH_EXPIRED = "refresh_expired"
    #: Module: attended, but fewer hours than the required share.
    PARTIAL_ATTENDANCE = "partial_attendance"
    #: Module: no ended session attended.
    NEVER_ATTENDED = "never_attended"
    #: Prerequisite: a valid certificate, held long enough.
    HELD = "held"
    #: Prerequisite: a valid certificate, held for less than the minimum time.
    HELD_TOO_BRIEFLY = "held_too_briefly"
    #: Prerequisite: the latest certificate has expired.
    CERTIFICATE_EXPIRED = "certificate_expired"
    #: Prerequisite: no certificate (or only revoked or superseded ones).
    NOT_HELD = "not_held"
    #: Active in the network on the date.
    ACTIVE = "active"
    #: Activity starts after the date.
    NOT_YET_ACTIVE = "not_yet_active"
    #: Left the network before the date.
    LEFT = "left"

    @property
    def met(self) -> bool:
        """Whether this finding satisfies its requirement."""
        return self in MET_FINDINGS


#: The findings that satisfy a requirement.
MET_FINDINGS = frozenset({Finding.PROFICIENT, Finding.COMPLETED, Finding.HELD, Finding.ACTIVE})


@dataclass(frozen=True)
class LevelRef:
    """A level of a framework's scale with its labels (the rule of a competency line)."""

    #: Position on the scale, 0 = lowest.
    level: int
    #: French label (« Acquis »).
    label_fr: str
    #: English label.
    label_en: str


@dataclass(frozen=True)
class AttendanceRule:
    """The attendance a module requires (the rule of a module line)."""

    #: Share of the module's hours to attend, in percent.
    percent: int
    #: The module's hours.
    hours: Decimal


@dataclass(frozen=True)
class HoldingRule:
    """How long a prerequisite certificate must have been held (the rule of its line)."""

    #: Minimum months held without a break (0: a valid certificate suffices).
    min_held_months: int


@dataclass(frozen=True)
class AssessmentEvidence:
    """The assessment that gives a competency's level."""

    #: The assessment's id.
    assessment_id: int
    #: Level given, with its labels.
    level: LevelRef
    #: Day of the assessment.
    assessed_on: date
    #: First day it no longer counts (``None``: counts forever).
    expires_on: date | None
    #: Full name of the assessor.
    assessor_name: str
    #: How the competency was assessed.
    method: AssessmentMethod


@dataclass(frozen=True)
class AttendanceEvidence:
    """A person's attendance at one session of a module."""

    #: The session's id.
    session_id: int
    #: Code of the site that ran the session.
    site_code: str
    #: First day of the session.
    starts_on: date
    #: Last day of the session (the completion date when the attendance qualifies).
    ends_on: date
    #: Hours the person was present.
    hours_present: Decimal
    #: First day a completion in this session no longer counts (``None``: forever).
    expires_on: date | None


@dataclass(frozen=True)
class CertificateEvidence:
    """The prerequisite certificate standing last, and since when it has been held."""

    #: The certificate's id.
    certificate_id: int
    #: Its serial.
    serial: str
    #: Its first valid day.
    valid_from: date
    #: Its last valid day.
    valid_until: date
    #: First valid day of the unbroken chain of certificates ending with it.
    held_since: date


@dataclass(frozen=True)
class ActivityEvidence:
    """The person's period of activity in the network."""

    #: First day of activity.
    active_from: date
    #: Last day of activity, if the person has left.
    active_until: date | None


#: The rule a requirement line states, by kind (``None`` for the active line).
Rule = LevelRef | AttendanceRule | HoldingRule
#: The evidence a requirement line carries, by kind.
Evidence = AssessmentEvidence | AttendanceEvidence | CertificateEvidence | ActivityEvidence

#: Which rule and evidence classes go with each kind of line.
SHAPES: dict[RequirementKind, tuple[type[Rule] | None, type[Evidence]]] = {
    RequirementKind.COMPETENCY: (LevelRef, AssessmentEvidence),
    RequirementKind.MODULE: (AttendanceRule, AttendanceEvidence),
    RequirementKind.PREREQUISITE: (HoldingRule, CertificateEvidence),
    RequirementKind.ACTIVE: (None, ActivityEvidence),
}
