"""The domain model of certify (SQLAlchemy 2.x typed declarative)."""

from certify.model.account import (
    AuditHead,
    CoordinatorScope,
    SerialCounter,
    SignInThrottle,
    UserAccount,
)
from certify.model.assessment import Assessment, AssessmentMethod
from certify.model.audit import AuditEvent, AuditPersonal
from certify.model.base import Base, table_of, utcnow
from certify.model.document import CertificateDocument, CertificateSignature
from certify.model.framework import (
    Competency,
    CompetencyServiceLevel,
    Domain,
    Framework,
    ScaleLevel,
    ServiceLevel,
)
from certify.model.network import Organisation, Person, PersonRole, Region, Role, Site, SiteKind
from certify.model.programme import (
    Certificate,
    CertificateState,
    Programme,
    ProgrammeCompetency,
    ProgrammeModule,
    ProgrammePrerequisite,
)
from certify.model.reminder import ExpiryReminder, RecipientKind
from certify.model.standings_cache import CachedStanding, StandingsCacheState
from certify.model.training import (
    Attendance,
    Module,
    ModuleCompetency,
    SessionTrainer,
    TrainingSession,
)

__all__ = [
    "Assessment",
    "AssessmentMethod",
    "Attendance",
    "AuditEvent",
    "AuditHead",
    "AuditPersonal",
    "Base",
    "CachedStanding",
    "Certificate",
    "CertificateDocument",
    "CertificateSignature",
    "CertificateState",
    "Competency",
    "CompetencyServiceLevel",
    "CoordinatorScope",
    "Domain",
    "ExpiryReminder",
    "Framework",
    "Module",
    "ModuleCompetency",
    "Organisation",
    "Person",
    "PersonRole",
    "Programme",
    "ProgrammeCompetency",
    "ProgrammeModule",
    "ProgrammePrerequisite",
    "RecipientKind",
    "Region",
    "Role",
    "ScaleLevel",
    "SerialCounter",
    "ServiceLevel",
    "SessionTrainer",
    "SignInThrottle",
    "Site",
    "SiteKind",
    "StandingsCacheState",
    "TrainingSession",
    "UserAccount",
    "table_of",
    "utcnow",
]
