"""A person's data (:func:`certify.views.personal_data.personal_data`) as a PDF they can read.

The same content as the JSON file, laid out for a person: who they are, then each kind of
record as a table, what they did for others, the audit events about them, and what is
kept but never exported. A value too long to read on a page (a snapshot, a stored PDF in
base64) is cut, saying how long it is and that the JSON file holds it whole.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph, Spacer

from certificates.fonts import register_fonts
from certificates.pdf_metadata import PdfMetadata
from certificates.report_document import (
    BODY,
    CELL,
    HEADER_CELL,
    HEADING,
    MARGIN,
    NOTE,
    SUBTITLE,
    TITLE,
    ReportPages,
    build_report,
    data_table,
    paragraph,
)
from certify.rules.wording import Lang, Wording, count
from certify.rules.written_dates import written_date

#: Characters of a value printed before it is cut.
LONGEST = 240
#: Columns a record has at most to be a line of a table (else it is a block of its own).
MOST_COLUMNS = 9
#: Characters a column is sized for at most (longer values wrap).
WIDEST = 40
#: How dates and moments look in the JSON (ISO 8601).
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)?")
#: A decimal as the JSON writes it (French prints a decimal comma).
DECIMAL = re.compile(r"-?\d+\.\d+")
#: Cells: words wrap, and so do identifiers too long for their column.
WRAPPED = ParagraphStyle("wrapped", parent=CELL, splitLongWords=1)
HEADER = ParagraphStyle("wrapped_header", parent=HEADER_CELL, splitLongWords=1)
RECORD = ParagraphStyle(
    "record", parent=BODY, splitLongWords=1, spaceAfter=3, borderPadding=0, leftIndent=6
)
#: The title, and what the document is.
TITLE_TEXT = Wording("Vos données dans certify", "Your data in certify")
SUBJECT = Wording(
    "Tout ce que certify détient sur une personne (RGPD, droit d'accès)",
    "Everything certify holds about one person (GDPR, right of access)",
)
#: Under the title: whose data, and when it was read.
ABOUT = Wording("{name}, n° {id} — extrait le {day}", "{name}, id {id} — extracted on {day}")
#: Says that the JSON file is the complete one.
COMPLETE = Wording(
    "Le même contenu existe en JSON («\u00a0certify privacy export\u00a0»)\u00a0: une valeur "
    "trop longue pour une page y figure en entier.",
    "The same content exists as JSON (“certify privacy export”): a value too long for a "
    "page is there in full.",
)
#: Headings of the parts.
PERSON = Wording("Vous", "You")
INVOLVED = Wording("Ce que vous avez fait pour d'autres", "What you did for others")
EVENTS = Wording("Piste d'audit vous concernant", "Audit trail about you")
WITHHELD = Wording("Conservé, jamais exporté", "Kept, never exported")
NONE = Wording("Rien.", "Nothing.")
FIELD_VALUE = Wording("Champ|Valeur", "Field|Value")
YES_NO = Wording("oui|non", "yes|no")
#: A cut value: how long it was.
CUT = Wording(
    "… ({count} caractères, en entier dans le JSON)", "… ({count} characters, whole in the JSON)"
)
#: Each kind of record, by table (a table not named here is shown by its name).
TABLES: dict[str, Wording] = {
    "assessment": Wording("Évaluations", "Assessments"),
    "attendance": Wording("Présences", "Attendance"),
    "audit_personal": Wording(
        "Valeurs personnelles de la piste d'audit", "Personal values of the audit trail"
    ),
    "certificate": Wording("Certificats", "Certificates"),
    "certificate_document": Wording("PDF des certificats", "Certificate PDFs"),
    "certificate_signature": Wording("Signatures des certificats", "Certificate signatures"),
    "coordinator_scope": Wording("Périmètre de coordination", "Coordination scope"),
    "expiry_reminder": Wording("Rappels d'échéance", "Expiry reminders"),
    "person_role": Wording("Rôles", "Roles"),
    "session_trainer": Wording("Sessions animées", "Sessions trained"),
    "sign_in_throttle": Wording("Échecs de connexion", "Failed sign-ins"),
    "standing_snapshot": Wording("Statuts enregistrés", "Recorded statuses"),
    "user_account": Wording("Compte", "Account"),
}


def personal_data_pdf(document: Mapping[str, Any], lang: Lang) -> bytes:
    """The PDF of ``document`` (what :func:`~certify.views.personal_data.personal_data` gives)."""
    person = document["person"]
    header = document["header"]
    day = datetime.fromisoformat(header["generated_at"]).date()
    name = f"{person.get('given_name', '')} {person.get('family_name', '')}".strip()
    about = ABOUT.in_(lang).format(name=name, id=header["person_id"], day=written_date(day, lang))
    story: list[Flowable] = [
        paragraph(TITLE_TEXT.in_(lang), TITLE),
        paragraph(about, SUBTITLE),
        paragraph(COMPLETE.in_(lang), NOTE),
        paragraph(PERSON.in_(lang), HEADING),
        _fields(person, lang),
    ]
    for table, rows in document["records"].items():
        story += _part(TABLES.get(table, Wording(table, table)).in_(lang), rows, lang)
    story.append(paragraph(INVOLVED.in_(lang), HEADING))
    for column, rows in document["involved_in"].items():
        story += _part(column, rows, lang, level=BODY)
    story += _part(EVENTS.in_(lang), document["audit_events"], lang)
    story.append(paragraph(WITHHELD.in_(lang), HEADING))
    story += [paragraph(line, BODY) for line in document["withheld"]]
    metadata = PdfMetadata(
        title=f"{TITLE_TEXT.in_(lang)} — {name}",
        author="certify",
        subject=SUBJECT.in_(lang),
        keywords=("certify", "RGPD" if lang == "fr" else "GDPR"),
        lang=lang,
        created=day,
    )
    return build_report(story, metadata, ReportPages(landscape=True, footer=f"certify — {about}"))


def _part(
    heading: str, rows: Sequence[Mapping[str, Any]], lang: Lang, level: Any = HEADING
) -> list[Flowable]:
    """A heading and the rows under it as a table, or « Rien. »."""
    if not rows:
        return [paragraph(heading, level), paragraph(NONE.in_(lang), NOTE)]
    columns = list(dict.fromkeys(key for row in rows for key in row))
    if len(columns) > MOST_COLUMNS:  # too wide for a table: one paragraph per record
        return [paragraph(heading, level), *(_record(row, lang) for row in rows)]
    cells = [[_shown(row.get(column), lang) for column in columns] for row in rows]
    table = data_table(
        [
            [paragraph(column, HEADER) for column in columns],
            *([paragraph(c, WRAPPED) for c in line] for line in cells),
        ],
        _widths(columns, cells),
        numeric_from=None,
    )
    return [paragraph(heading, level), table, Spacer(1, 4)]


def _record(row: Mapping[str, Any], lang: Lang) -> Paragraph:
    """A record as one paragraph, « field value · field value », its empty fields left out."""
    register_fonts()
    shown = ((key, _shown(value, lang)) for key, value in row.items())
    text = " · ".join(f"<b>{escape(key)}</b> {escape(value)}" for key, value in shown if value)
    return Paragraph(text, RECORD)


def _widths(columns: Sequence[str], cells: Sequence[Sequence[str]]) -> list[float]:
    """Column widths shared out by how much each column holds (its longest, within bounds)."""
    weights = [
        min(max([len(column), *(len(line[index]) for line in cells)]), WIDEST) + 6
        for index, column in enumerate(columns)
    ]
    room = landscape(A4)[0] - 2 * MARGIN
    return [room * weight / sum(weights) for weight in weights]


def _fields(values: Mapping[str, Any], lang: Lang) -> Flowable:
    """One record as two columns: field, value."""
    width = landscape(A4)[0] - 2 * MARGIN
    return data_table(
        [
            FIELD_VALUE.in_(lang).split("|"),
            *([key, _shown(value, lang)] for key, value in values.items()),
        ],
        [width * 0.25, width * 0.75],
        numeric_from=None,
    )


def _shown(value: Any, lang: Lang) -> str:
    """A value as printed: nothing for none, cut when too long."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES_NO.in_(lang).split("|")[0 if value else 1]
    if isinstance(value, str) and DAY.fullmatch(value):
        return written_date(date.fromisoformat(value), lang)
    if isinstance(value, str) and lang == "fr" and DECIMAL.fullmatch(value):
        return value.replace(".", ",")
    if isinstance(value, str) and MOMENT.fullmatch(value):
        moment = datetime.fromisoformat(value)
        return f"{written_date(moment.date(), lang)} {moment:%H:%M}"
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else str(value)
    if len(text) <= LONGEST:
        return text
    return text[:LONGEST] + CUT.in_(lang).format(count=count(len(text)).in_(lang))
