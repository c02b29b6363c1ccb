"""The actions the audit trail records, each with a label people can read (one place).

Every ``Change(action, …)`` written by the services names one of :data:`ACTION_LABELS`;
imports write ``<entity>.imported`` and ``<entity>.import_updated``, worded by suffix.
"""

from __future__ import annotations

from certify.rules.wording import Wording

#: Each action written to the audit trail, in French and English.
ACTION_LABELS: dict[str, Wording] = {
    "network.started": Wording("réseau créé", "network started"),
    "account.created": Wording("compte créé", "account created"),
    "account.password_changed": Wording("mot de passe changé", "password changed"),
    "account.disabled": Wording("compte désactivé", "account disabled"),
    "account.enabled": Wording("compte réactivé", "account enabled again"),
    "person.roles_changed": Wording("rôles modifiés", "roles changed"),
    "person.reminders_changed": Wording(
        "rappels d'échéance activés ou désactivés", "expiry reminders turned on or off"
    ),
    "person.pseudonymised": Wording(
        "personne partie pseudonymisée", "person who left pseudonymised"
    ),
    "session.created": Wording("session de formation créée", "training session created"),
    "session.changed": Wording("session de formation modifiée", "training session changed"),
    "attendance.recorded": Wording("présence enregistrée", "attendance recorded"),
    "assessment.recorded": Wording("évaluation enregistrée", "assessment recorded"),
    "assessment.corrected": Wording("évaluation corrigée", "assessment corrected"),
    "certificate.issued": Wording("certificat délivré", "certificate issued"),
    "certificate.overridden": Wording(
        "certificat délivré par dérogation", "certificate issued by override"
    ),
    "certificate.revoked": Wording("certificat révoqué", "certificate revoked"),
    "certificate.reissued": Wording("certificat réédité", "certificate reissued"),
    "reminder.sent": Wording("rappel d'échéance envoyé", "expiry reminder sent"),
    "retention.applied": Wording("durées de conservation appliquées", "retention periods applied"),
    "sign_in.locked": Wording("connexion bloquée", "sign-in locked"),
    "sign_in.unlocked": Wording("connexion débloquée", "sign-in unlocked"),
    "chain.migrated": Wording(
        "piste d'audit migrée, valeurs personnelles hors de la chaîne",
        "audit trail migrated, personal values out of the chain",
    ),
}

#: Import actions, by the suffix after the entity's name.
IMPORT_SUFFIXES: dict[str, Wording] = {
    "imported": Wording("importé", "imported"),
    "import_updated": Wording("mis à jour par import", "updated by import"),
}


def action_label(action: str) -> Wording:
    """The readable label of ``action`` (the action itself when it is not known)."""
    if (known := ACTION_LABELS.get(action)) is not None:
        return known
    entity, _, suffix = action.rpartition(".")
    if entity and (by_import := IMPORT_SUFFIXES.get(suffix)) is not None:
        return Wording(f"{entity} {by_import.fr}", f"{entity} {by_import.en}")
    return Wording(action, action)
