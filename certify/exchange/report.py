"""The report of an import: every problem, or what is (or would be) created and updated."""

from __future__ import annotations

from typing import Any

from certify.exchange.cells import ChoiceCell, ListCell
from certify.exchange.entities import key_text
from certify.exchange.importing import ImportReport
from certify.exchange.kind import Kind
from certify.exchange.limits import number
from certify.exchange.messages import shown
from certify.exchange.plan import EntityPlan

#: Rows shown as examples of each change, per entity.
EXAMPLES = 5
#: Problems listed in a report; the others are counted.
SHOWN_PROBLEMS = 200


def problem_lines(report: ImportReport, lang: str = "fr") -> list[str]:
    """The first :data:`SHOWN_PROBLEMS` problems, one line each, then how many more there are."""
    lines = [problem.render(lang) for problem in report.problems[:SHOWN_PROBLEMS]]
    hidden = len(report.problems) - SHOWN_PROBLEMS
    if hidden > 0:
        count = number(hidden)(lang)
        lines.append(
            f"… and {count} more problem(s)" if lang == "en" else f"… et {count} autres problèmes"
        )
    return lines


def _field_text(kind: Kind, column: str | None, value: Any) -> str:
    """A field's value, with enumerations in French labels when the column has them."""
    if column is not None and value is not None:
        cell = kind.column(column).type
        if isinstance(cell, ChoiceCell) or (
            isinstance(cell, ListCell) and isinstance(cell.item, ChoiceCell)
        ):
            return str(cell.format(value)) or "∅"
    return shown(value)


def _header(kind: Kind, column: str | None, field: str, lang: str) -> str:
    """The header of the column a field comes from."""
    if column is None:
        return field
    found = kind.column(column)
    return found.english if lang == "en" else found.french


def _entity_lines(kind: Kind, plan: EntityPlan, dry_run: bool, lang: str) -> list[str]:
    """The counts of one entity, then a few examples of each change."""
    english = lang == "en"
    created, updated = len(plan.creations), len(plan.updates)
    if english:
        verbs = ("to create", "to update") if dry_run else ("created", "updated")
        counts = f"{created} {verbs[0]}, {updated} {verbs[1]}, {plan.unchanged} unchanged"
    else:
        verbs = ("à créer", "à mettre à jour") if dry_run else ("créé(s)", "mis à jour")
        counts = f"{created} {verbs[0]}, {updated} {verbs[1]}, {plan.unchanged} inchangé(s)"
    sep = ": " if english else "\u00a0: "
    line_word = "line" if english else "ligne"
    lines = [f"  {plan.entity.label(lang)}{sep}{counts}"]
    for creation in plan.creations[:EXAMPLES]:
        lines.append(f"    + {line_word} {creation.line}{sep}{key_text(creation.key)}")
    for update in plan.updates[:EXAMPLES]:
        changes = "\u00a0; ".join(
            f"{_header(kind, update.columns.get(name), name, lang)}{sep}"
            f"{_field_text(kind, update.columns.get(name), old)} → "
            f"{_field_text(kind, update.columns.get(name), new)}"
            for name, (old, new) in update.changes.items()
        )
        lines.append(f"    ~ {line_word} {update.line}{sep}{key_text(update.key)} — {changes}")
    hidden = max(created - EXAMPLES, 0) + max(updated - EXAMPLES, 0)
    if hidden:
        lines.append(f"    … {hidden} more" if english else f"    … et {hidden} autre(s)")
    return lines


def render_report(report: ImportReport, lang: str = "fr") -> str:
    """The report as printed by ``certify import``, in French (or English)."""
    english = lang == "en"
    sep = ": " if english else "\u00a0: "
    rows = f"{report.rows} data row(s)" if english else f"{report.rows} ligne(s) de données"
    described = f"{report.description(lang)}, " if report.description else ""
    lines = [f"{report.source}{sep}{report.kind.label(lang)} — {described}{rows}"]
    lines += [f"  note{sep}{note.render(lang)}" for note in report.notes]
    if report.problems:
        count = number(len(report.problems))(lang)
        lines.append(
            f"{count} problem(s) — nothing was written:"
            if english
            else f"{count} problème(s) — rien n'a été écrit\u00a0:"
        )
        lines += [f"  {line}" for line in problem_lines(report, lang)]
        return "\n".join(lines)
    assert report.plan is not None
    for plan in report.plan:
        if plan.creations or plan.updates or plan.unchanged:
            lines += _entity_lines(report.kind, plan, report.dry_run, lang)
    if report.dry_run:
        lines.append(
            "Dry run: nothing was written."
            if english
            else "Essai à blanc\u00a0: rien n'a été écrit."
        )
    elif not report.written:
        lines.append(
            "Nothing to change: the database is up to date."
            if english
            else "Rien à changer\u00a0: la base est déjà à jour."
        )
    else:
        lines.append("Import done." if english else "Import terminé.")
    return "\n".join(lines)
