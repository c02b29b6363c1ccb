"""French and English names of the statuses and roles the read views show."""

from __future__ import annotations

from certify.model import CertificateState, Role
from certify.rules.dates import CertificateStatus
from certify.rules.progress import ProgressStatus
from certify.rules.wording import Wording

#: Where a person stands on a programme.
PROGRESS_STATUSES: dict[ProgressStatus, Wording] = {
    ProgressStatus.CERTIFIED: Wording("Certifié·e", "Certified"),
    ProgressStatus.IN_WINDOW: Wording("Renouvellement ouvert", "In renewal window"),
    ProgressStatus.EXPIRED: Wording("Expiré", "Expired"),
    ProgressStatus.ELIGIBLE: Wording("Éligible, non délivré", "Eligible, not issued"),
    ProgressStatus.IN_PROGRESS: Wording("En cours", "In progress"),
}
#: A certificate's status on a day.
CERTIFICATE_STATUSES: dict[CertificateStatus, Wording] = {
    CertificateStatus.VALID: Wording("Valide", "Valid"),
    CertificateStatus.IN_WINDOW: Wording("Renouvellement ouvert", "In renewal window"),
    CertificateStatus.EXPIRED: Wording("Expiré", "Expired"),
    CertificateStatus.REVOKED: Wording("Révoqué", "Revoked"),
    CertificateStatus.SUPERSEDED: Wording("Remplacé", "Superseded"),
    CertificateStatus.NOT_YET_VALID: Wording("Pas encore valide", "Not yet valid"),
}
#: A certificate's lifecycle state.
CERTIFICATE_STATES: dict[CertificateState, Wording] = {
    CertificateState.ISSUED: Wording("Délivré", "Issued"),
    CertificateState.REVOKED: Wording("Révoqué", "Revoked"),
    CertificateState.SUPERSEDED: Wording("Remplacé", "Superseded"),
}
#: A staff member's role.
ROLES: dict[Role, Wording] = {
    Role.RECEPTION: Wording("Accueil", "Reception"),
    Role.COUNSELLOR: Wording("Conseiller·ère", "Counsellor"),
    Role.TRAINER: Wording("Formateur·rice", "Trainer"),
    Role.COORDINATOR: Wording("Coordinateur·rice", "Coordinator"),
    Role.ADMIN: Wording("Administrateur·rice", "Administrator"),
}
