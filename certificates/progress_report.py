"""The coordinator's progress report (PDF): standings per programme, then per site, charted.

Page one: every programme as a stacked bar of its staff's standings, and the table of
counts with their shares and the year's trend. Then one section per programme: a stacked
bar per region (per site when the scope is one region) and the table of the sites, region
by region. A heading always stands on the page of what it introduces.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from reportlab.lib.pagesizes import A4, landscape
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer

from certificates.charts import stacked_bars
from certificates.pdf_metadata import PdfMetadata
from certificates.report_document import (
    GROUP_CELL,
    HEADING,
    MARGIN,
    NOTE,
    SUBTITLE,
    TITLE,
    ReportPages,
    build_report,
    data_table,
    figure,
    group_row,
    keep_last_rows,
    paragraph,
    total_row_style,
)
from certify.rules.wording import NBSP, Lang, Wording, count, percent, points
from certify.rules.written_dates import written_date
from certify.views.progress_counts import VALID, Named, ProgressCounts, Standing, share

#: The report's title.
REPORT_TITLE = Wording("Progression des certifications", "Certification progress")
#: Width available on a landscape page.
WIDTH = landscape(A4)[0] - 2 * MARGIN
#: What each standing means, printed under the overview.
LEGEND = Wording(
    "Certifiés\u00a0: certificat valide. À renouveler\u00a0: certificat valide dont la fenêtre de "
    "renouvellement est ouverte. Prêts à certifier\u00a0: toutes les exigences remplies, sans "
    "certificat valide. Proches\u00a0: une ou deux exigences manquantes. Expirés\u00a0: certificat "
    "expiré, exigences manquantes. Effectifs actifs à la date du rapport.",
    "Certified: valid certificate. Renewal due: valid certificate in its renewal window. "
    "Ready to certify: every requirement met, no valid certificate. Close: one or two "
    "requirements missing. Expired: certificate expired, requirements missing. Staff "
    "active on the day of the report.",
)
#: Width of the columns of counts, of the total and of the trend.
FIGURE_WIDTH, TOTAL_WIDTH, TREND_WIDTH = 58.0, 44.0, 150.0


def progress_report(counts: ProgressCounts, scope_name: Wording, lang: Lang) -> bytes:
    """The report's PDF in ``lang``."""
    day = written_date(counts.as_of, lang)
    title = REPORT_TITLE.in_(lang)
    people = count(counts.people)
    subtitle = Wording(
        f"{scope_name.fr} — au {day} — {people.fr} personnes actives",
        f"{scope_name.en} — as of {day} — {people.en} active staff",
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
    """All programmes: the chart, the table, what the standings and the trend mean."""
    values = {
        standing: [counts.count(programme.id, standing) for programme in counts.programmes]
        for standing in Standing
    }
    labels = [programme.code for programme in counts.programmes]
    rows = [
        [programme.code, programme.name.in_(lang), *_cells(counts, programme.id, None, lang)]
        for programme in counts.programmes
    ]
    header = ["", Wording("Programme", "Programme").in_(lang), *_header(counts, lang)]
    name_widths = [56.0, WIDTH - 56 - _figures_width()]
    table = data_table([header, *rows], [*name_widths, *_figure_widths()], numeric_from=2)
    charts = stacked_bars(labels, values, lang, WIDTH)
    heading = paragraph(Wording("Vue d'ensemble", "Overview").in_(lang), HEADING)
    return [
        KeepTogether([heading, charts[0]]),
        *charts[1:],
        Spacer(1, 6),
        table,
        Spacer(1, 6),
        paragraph(LEGEND.in_(lang), NOTE),
        paragraph(_trend_note(counts, lang), NOTE),
    ]


def _programme_section(counts: ProgressCounts, programme: Named, lang: Lang) -> list[Flowable]:
    """One programme: a bar per region (or site), then the sites region by region, a total."""
    header: list[object] = [Wording("Site", "Site").in_(lang), *_header(counts, lang)]
    rows = [header]
    groups: list[int] = []
    for region in counts.regions:
        groups.append(len(rows))
        rows.append([paragraph(region.name, GROUP_CELL), *[""] * (len(header) - 1)])
        rows += [
            [site.name.in_(lang), *_cells(counts, programme.id, site.id, lang)]
            for site in region.sites
        ]
    rows.append([Wording("Total", "Total").in_(lang), *_cells(counts, programme.id, None, lang)])
    table = data_table(rows, [WIDTH - _figures_width(), *_figure_widths()])
    for row in groups:
        group_row(table, row)
    total_row_style(table)
    keep_last_rows(table, 2)
    heading = paragraph(f"{programme.code} — {programme.name.in_(lang)}", HEADING)
    charts = stacked_bars(*_bars(counts, programme), lang, WIDTH)
    return [KeepTogether([heading, charts[0]]), *charts[1:], Spacer(1, 6), table]


def _bars(counts: ProgressCounts, programme: Named) -> tuple[list[str], dict[Standing, list[int]]]:
    """The chart's categories, regions or the sites of the only region, and their counts."""
    if len(counts.regions) == 1:
        names = [site.name.fr for site in counts.sites]
        groups = [[site.id] for site in counts.sites]
    else:
        names = [region.name for region in counts.regions]
        groups = [[site.id for site in region.sites] for region in counts.regions]
    values = {
        standing: [
            sum(counts.count(programme.id, standing, site) for site in sites) for sites in groups
        ]
        for standing in Standing
    }
    return names, values


def _header(counts: ProgressCounts, lang: Lang) -> list[str]:
    """The standings' labels, « Total », then the trend's."""
    trend = Wording(
        f"Certificat valide, {written_date(counts.before.as_of, 'fr')} → maintenant",
        f"Valid certificate, {written_date(counts.before.as_of, 'en')} → now",
    )
    return [*(standing.label.in_(lang) for standing in Standing), "Total", trend.in_(lang)]


def _figure_widths() -> list[float]:
    """Widths of the columns of counts, of the total and of the trend."""
    return [*[FIGURE_WIDTH] * len(Standing), TOTAL_WIDTH, TREND_WIDTH]


def _figures_width() -> float:
    """Width taken by the columns of counts, of the total and of the trend."""
    return sum(_figure_widths())


def _cells(
    counts: ProgressCounts, programme_id: int, site_id: int | None, lang: Lang
) -> list[object]:
    """Each standing's count with its share of the staff, the staff, then the trend."""
    staff = counts.now.staff(programme_id, site_id)
    cells: list[object] = []
    for standing in Standing:
        number = counts.count(programme_id, standing, site_id)
        part = share(number, staff)
        shown = percent(part).in_(lang) if number and part is not None else ""
        cells.append(figure(count(number).in_(lang), shown))
    total = figure(count(staff).in_(lang), "")
    return [*cells, total, _trend(counts, programme_id, site_id, lang)]


def _trend(counts: ProgressCounts, programme_id: int, site_id: int | None, lang: Lang) -> object:
    """The share holding a valid certificate a year ago and now, and the change in points."""
    before = _rounded(counts.before.share(programme_id, VALID, site_id))
    now = _rounded(counts.now.share(programme_id, VALID, site_id))
    if now is None:
        return ""
    if before is None:
        return figure(f"–{NBSP}→{NBSP}{percent(now).in_(lang)}", "")
    return figure(
        f"{percent(before).in_(lang)}{NBSP}→{NBSP}{percent(now).in_(lang)}",
        points(now - before).in_(lang),
    )


def _rounded(value: Decimal | None) -> Decimal | None:
    """A share to the tenth shown, so that the change in points is the one read."""
    return None if value is None else value.quantize(Decimal("0.1"), ROUND_HALF_UP)


def _trend_note(counts: ProgressCounts, lang: Lang) -> str:
    """What the trend column compares."""
    before, now = (written_date(day, lang) for day in (counts.before.as_of, counts.as_of))
    return Wording(
        f"Pourcentages\u00a0: part des effectifs actifs du programme (de la ligne). Dernière "
        f"colonne\u00a0: part des effectifs actifs détenant un certificat valide (certifiés et à "
        f"renouveler) au {before} puis au {now}, et l'évolution en points.",
        f"Percentages: share of the programme's active staff (of the row). Last column: "
        f"share of active staff holding a valid certificate (certified and renewal due) on "
        f"{before} then on {now}, and the change in points.",
    ).in_(lang)
