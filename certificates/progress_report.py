"""The coordinator's progress report (PDF): standings per programme, then per site, charted.

Page one: every programme as a stacked bar of its staff's standings, and the table of
counts. Then one section per programme: a stacked bar per site and the table per site.
"""

from __future__ import annotations

from reportlab.lib.pagesizes import A4, landscape
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer

from certificates.charts import stacked_bars
from certificates.pdf_metadata import PdfMetadata
from certificates.report_document import (
    HEADING,
    MARGIN,
    NOTE,
    SUBTITLE,
    TITLE,
    ReportPages,
    build_report,
    data_table,
    paragraph,
    total_row_style,
)
from certify.rules.wording import Lang, Wording
from certify.rules.written_dates import written_date
from certify.views.progress_counts import Named, ProgressCounts, Standing

#: The report's title.
REPORT_TITLE = Wording("Progression des certifications", "Certification progress")
#: Width available on a landscape page.
WIDTH = landscape(A4)[0] - 2 * MARGIN
#: What each standing means, printed under the overview.
LEGEND = Wording(
    "Certifiés : certificat valide. À renouveler : certificat valide dont la fenêtre de "
    "renouvellement est ouverte. Prêts à certifier : toutes les exigences remplies, sans "
    "certificat valide. Proches : une ou deux exigences manquantes. Expirés : certificat "
    "expiré, exigences manquantes. Effectifs actifs à la date du rapport.",
    "Certified: valid certificate. Renewal due: valid certificate in its renewal window. "
    "Ready to certify: every requirement met, no valid certificate. Close: one or two "
    "requirements missing. Expired: certificate expired, requirements missing. Staff "
    "active on the day of the report.",
)


def progress_report(counts: ProgressCounts, scope_name: Wording, lang: Lang) -> bytes:
    """The report's PDF in ``lang``."""
    day = written_date(counts.as_of, lang)
    title = REPORT_TITLE.in_(lang)
    subtitle = Wording(
        f"{scope_name.fr} — au {day} — {counts.people} personnes actives",
        f"{scope_name.en} — as of {day} — {counts.people} active staff",
    ).in_(lang)
    story: list[Flowable] = [
        paragraph(title, TITLE),
        paragraph(subtitle, SUBTITLE),
        Spacer(1, 8),
        *_overview(counts, lang),
    ]
    for programme in counts.programmes:
        story += [PageBreak(), *_programme_section(counts, programme, lang)]
    metadata = PdfMetadata(
        title=f"{title} — {scope_name.in_(lang)}",
        author=Wording("Réseau des Cités des métiers", "Cités des métiers network").in_(lang),
        subject=subtitle,
        keywords=("certify", counts.as_of.isoformat()),
        lang=lang,
        created=counts.as_of,
    )
    pages = ReportPages(landscape=True, footer=f"certify — {title} — {subtitle}")
    return build_report(story, metadata, pages)


def _overview(counts: ProgressCounts, lang: Lang) -> list[Flowable]:
    """All programmes: the chart, the table, what the standings mean."""
    values = {
        standing: [counts.count(programme.id, standing) for programme in counts.programmes]
        for standing in Standing
    }
    labels = [programme.code for programme in counts.programmes]
    rows = [
        [programme.code, programme.name.in_(lang), *_cells(counts, programme.id, None)]
        for programme in counts.programmes
    ]
    header = ["", Wording("Programme", "Programme").in_(lang), *_standing_header(lang)]
    table = data_table([header, *rows], [66, 192, *[68] * (len(Standing) + 1)], numeric_from=2)
    return [
        paragraph(Wording("Vue d'ensemble", "Overview").in_(lang), HEADING),
        stacked_bars(labels, values, lang, WIDTH),
        Spacer(1, 6),
        table,
        Spacer(1, 6),
        paragraph(LEGEND.in_(lang), NOTE),
    ]


def _programme_section(counts: ProgressCounts, programme: Named, lang: Lang) -> list[Flowable]:
    """One programme: a bar per site, then the table per site with its total."""
    values = {
        standing: [counts.count(programme.id, standing, site.id) for site in counts.sites]
        for standing in Standing
    }
    rows = [[site.name.in_(lang), *_cells(counts, programme.id, site.id)] for site in counts.sites]
    total = [Wording("Total", "Total").in_(lang), *_cells(counts, programme.id, None)]
    header = [Wording("Site", "Site").in_(lang), *_standing_header(lang)]
    table = data_table([header, *rows, total], [258, *[68] * (len(Standing) + 1)])
    total_row_style(table)
    heading = paragraph(f"{programme.code} — {programme.name.in_(lang)}", HEADING)
    chart = stacked_bars([site.name.in_(lang) for site in counts.sites], values, lang, WIDTH)
    return [KeepTogether([heading, chart]), Spacer(1, 6), table]


def _standing_header(lang: Lang) -> list[str]:
    """The standings' labels, then « Total »."""
    return [*(standing.label.in_(lang) for standing in Standing), "Total"]


def _cells(counts: ProgressCounts, programme_id: int, site_id: int | None) -> list[int]:
    """The count of each standing, then their total."""
    cells = [counts.count(programme_id, standing, site_id) for standing in Standing]
    return [*cells, sum(cells)]
