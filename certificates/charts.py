"""Stacked horizontal bar charts of standings (reportlab graphics), with their legend."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import HexColor

from certificates.fonts import REGULAR
from certify.rules.wording import Lang
from certify.views.progress_counts import Standing

#: Height of one bar and its gap, in points.
BAR_PITCH = 15.0
#: Width kept for the category labels.
LABEL_WIDTH = 215.0
#: Longest category label, in characters.
LABEL_LENGTH = 50
#: Height of the legend band above the bars (two rows).
LEGEND_HEIGHT = 34.0


def stacked_bars(
    categories: Sequence[str],
    values: Mapping[Standing, Sequence[int]],
    lang: Lang,
    width: float,
) -> Drawing:
    """One horizontal bar per category (first on top), stacked by standing, with a legend."""
    height = BAR_PITCH * len(categories) + LEGEND_HEIGHT + 30
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    # reportlab's annotations say int where its charts take any number of points.
    chart.x, chart.y = LABEL_WIDTH, 18  # pyright: ignore[reportAttributeAccessIssue]
    chart.width = width - LABEL_WIDTH - 10  # pyright: ignore[reportAttributeAccessIssue]
    chart.height = BAR_PITCH * len(categories)  # pyright: ignore[reportAttributeAccessIssue]
    chart.data = [list(reversed(series)) for series in values.values()]
    chart.categoryAxis.categoryNames = [_short(name) for name in reversed(categories)]
    chart.categoryAxis.style = "stacked"
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.categoryAxis.strokeColor = HexColor("#9AA3AE")
    chart.valueAxis.labels.fontName = REGULAR
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    largest = max(map(sum, zip(*chart.data, strict=True)), default=0)
    chart.valueAxis.valueStep = step = _step(largest)
    chart.valueAxis.valueMax = step * max(1, math.ceil(largest / step))
    chart.valueAxis.strokeColor = HexColor("#9AA3AE")
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = HexColor("#E3E7EC")
    chart.barSpacing = 0
    chart.groupSpacing = 4
    for index, standing in enumerate(values):
        chart.bars[index].fillColor = HexColor(standing.colour)
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    drawing.add(_legend(list(values), lang, height))
    return drawing


def _legend(standings: list[Standing], lang: Lang, height: float) -> Legend:
    """The standings' colours and labels, in two rows above the chart."""
    legend = Legend()
    legend.colorNamePairs = [
        (HexColor(standing.colour), standing.label.in_(lang)) for standing in standings
    ]
    legend.fontName = REGULAR
    legend.fontSize = 7.5
    legend.alignment = "right"
    legend.columnMaximum = 2
    legend.boxAnchor = "nw"
    legend.x = LABEL_WIDTH  # pyright: ignore[reportAttributeAccessIssue]  (a float, as above)
    legend.y = height - 4  # pyright: ignore[reportAttributeAccessIssue]
    legend.dx = legend.dy = 7
    legend.deltax = 14
    legend.dxTextSpace = 4
    legend.autoXPadding = 14
    legend.strokeColor = None
    return legend


def _short(name: str) -> str:
    """A category label cut to ``LABEL_LENGTH`` characters."""
    return name if len(name) <= LABEL_LENGTH else name[: LABEL_LENGTH - 1].rstrip() + "…"


def _step(largest: int) -> int:
    """A whole, round tick step giving about five ticks up to ``largest``."""
    rough = max(largest / 5, 1)
    magnitude = 10 ** math.floor(math.log10(rough))
    return next(int(factor * magnitude) for factor in (1, 2, 5, 10) if factor * magnitude >= rough)
