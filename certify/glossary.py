"""The one vocabulary of certify: each concept's French and English term, and words to avoid."""

from __future__ import annotations

from typing import NamedTuple


class Term(NamedTuple):
    """One concept: its terms in French and in English, and the synonyms not to use."""

    #: The French term (with its usual forms).
    fr: str
    #: The English term (with its usual forms).
    en: str
    #: French words or phrases never used for it.
    avoid_fr: tuple[str, ...] = ()
    #: English words or phrases never used for it.
    avoid_en: tuple[str, ...] = ()
    #: When the choice needs a word of explanation.
    note: str = ""


#: Every concept, as the README's glossary lists it (tests/test_glossary.py enforces it).
GLOSSARY: tuple[Term, ...] = (
    Term(
        "programme (de certification)",
        "(certification) programme",
        ("parcours", "cursus"),
        ("program", "programs", "pathway", "pathways"),
        "e.g. CERT-CONS",
    ),
    Term("progression", "progress", ("avancement",), ("advancement",)),
    Term("certificat", "certificate", ("diplôme", "diplômes"), ("diploma", "diplomas")),
    Term(
        "délivrer, délivrance, délivré",
        "issue, issuing, issued",
        (
            "émettre",
            "émet",
            "émettent",
            "émis",
            "émise",
            "émises",
            "émission",
            "émissions",
        ),
        note="the issuer holding the signing keys stays «\u00a0émetteur\u00a0» / issuer",
    ),
    Term(
        "rééditer, réédition",
        "reissue",
        (
            "réémettre",
            "réémet",
            "réémettent",
            "réémis",
            "réémise",
            "réémission",
            "redélivrer",
        ),
        ("re-issue", "reissuance"),
        "the certificate reissued is then «\u00a0remplacé\u00a0» / superseded",
    ),
    Term(
        "remplacé (par)",
        "superseded, replaced (by)",
        ("substitué",),
        note="by a correction or a reissue; the old one stays in the history",
    ),
    Term(
        "révoquer, révocation",
        "revoke, revocation",
        ("invalider", "invalidation"),
        ("withdraw", "withdrawn", "invalidate", "invalidated"),
    ),
    Term("titulaire", "holder", ("bénéficiaire", "lauréat")),
    Term(
        "e-mail, adresse e-mail",
        "e-mail (address)",
        ("adresse électronique", "courriel", "mél"),
        ("email address",),
        "a file's old « Adresse électronique » header still imports",
    ),
    Term("émetteur", "issuer", note="who signs the certificates, not the act of issuing"),
    Term(
        "échéance, expiré",
        "expiry, expired",
        ("péremption", "périmé", "expiration", "date limite"),
        ("expiration",),
    ),
    Term(
        "fenêtre de renouvellement",
        "renewal window",
        ("période de renouvellement", "délai de renouvellement"),
        ("renewal period",),
    ),
    Term("exigence", "requirement", ("critère", "critères"), ("criterion", "criteria")),
    Term("éligible", "eligible", ("admissible", "admissibles")),
    Term("évaluation", "assessment", ("notation",), ("evaluation", "evaluations", "appraisal")),
    Term("évaluateur·rice", "assessor", ("examinateur", "correcteur"), ("evaluator", "examiner")),
    Term("méthode (d'évaluation)", "(assessment) method", ("modalité", "modalités")),
    Term(
        "mise en situation",
        "simulation",
        ("jeu de rôle", "jeux de rôle", "simulation", "simulations"),
        ("role play", "role-play", "roleplay", "role plays"),
        "grid code MES / SIM",
    ),
    Term("preuve", "evidence", ("justificatif", "justificatifs")),
    Term("niveau", "level", ("palier",)),
    Term("compétence", "competency", ("aptitude", "aptitudes"), ("skill", "skills")),
    Term(
        "référentiel",
        "framework",
        ("cadre de référence",),
        ("referential", "repository"),
        "the competency framework, e.g. RCM v1",
    ),
    Term("module", "module", ("unité de formation",), ("course", "courses")),
    Term(
        "session (de formation)",
        "(training) session",
        ("séance", "séances", "stage", "stages"),
        ("class", "classes"),
    ),
    Term("présence", "attendance", ("assiduité",), ("presence",)),
    Term("formateur·rice", "trainer", ("animateur", "intervenant"), ("instructor", "teacher")),
    Term("coordinateur·rice", "coordinator"),
    Term(
        "personnel, membre du personnel",
        "staff, staff member",
        ("salarié", "salariés", "employé", "employés"),
        ("employee", "employees"),
    ),
    Term("périmètre", "scope", ("portée",), ("perimeter", "remit")),
    Term("motif", "reason", ("justification",)),
    Term("correction, corriger", "correction, correct", ("rectification", "rectifier"), ("amend",)),
    Term(
        "essai à blanc",
        "dry run",
        ("test à blanc",),
        ("trial run",),
        "checks an import without writing; never «\u00a0simulation\u00a0»",
    ),
    Term("durée de conservation", "retention period", ("délai de rétention",), ("retention time",)),
    Term(
        "pseudonymiser",
        "pseudonymise",
        ("anonymiser",),
        ("anonymise", "anonymize", "pseudonymize"),
        "names and e-mail of a leaver replaced, records kept: not anonymised (the GDPR tells "
        "them apart)",
    ),
)


def _cell(words: tuple[str, ...]) -> str:
    """Words of a table cell, comma-separated (a dash when there are none)."""
    return ", ".join(words) or "–"


def markdown() -> str:
    """The glossary as the Markdown table of the README."""
    lines = [
        "| français | English | à éviter | avoid | note |",
        "| --- | --- | --- | --- | --- |",
    ]
    for term in GLOSSARY:
        cells = (term.fr, term.en, _cell(term.avoid_fr), _cell(term.avoid_en), term.note)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
