"""Stacked horizontal bar charts of standings (reportlab graphics), with their legend."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import HexColor
from reportlab.lib.utils import simpleSplit

from certificates.fonts import REGULAR
from certify.rules.wording import Lang
from certify.views.progress_counts import Standing

#: Height of one bar and its gap, in points, for a label of one line.
BAR_PITCH = 15.0
#: Width kept for the category labels.
LABEL_WIDTH = 215.0
#: Font size and leading of the category labels.
LABEL_SIZE, LABEL_LEADING = 7.5, 8.5
#: Height of the legend band above the bars (two rows).
LEGEND_HEIGHT = 34.0
#: Height a chart may take at most: the rest of a page goes to its heading.
MOST_HEIGHT = 440.0


def stacked_bars(
    categories: Sequence[str],
    values: Mapping[Standing, Sequence[int]],
    lang: Lang,
    width: float,
) -> list[Drawing]:
    """One horizontal bar per category (first on top), stacked by standing, with a legend.

    Labels wrap at spaces, never cut; the bars go to as many charts as it takes for each
    to fit :data:`MOST_HEIGHT`.
    """
    labels = [_wrapped(name) for name in categories]
    pitch = max(
        BAR_PITCH, LABEL_LEADING * max((label.count("\n") + 1 for label in labels), default=1) + 5
    )
    most = max(1, int((MOST_HEIGHT - LEGEND_HEIGHT - 30) // pitch))
    largest = max(map(sum, zip(*values.values(), strict=True)), default=0)
    return [
        _chart(
            labels[first : first + most],
            {standing: series[first : first + most] for standing, series in values.items()},
            _Axis(lang, width, pitch, largest),
        )
        for first in range(0, max(len(labels), 1), most)
    ]


@dataclass(frozen=True)
class _Axis:
    """What the charts of one series share, so that their bars compare."""

    #: Language of the legend.
    lang: Lang
    #: Width of each chart.
    width: float
    #: Height of one bar and its gap.
    pitch: float
    #: Largest total of a bar, the end of the value axis.
    largest: int


def _chart(labels: list[str], values: Mapping[Standing, Sequence[int]], axis: _Axis) -> Drawing:
    """One chart of the bars of ``labels``, the value axis going up to ``axis.largest``."""
    height = axis.pitch * len(labels) + LEGEND_HEIGHT + 30
    drawing = Drawing(axis.width, height)
    chart = HorizontalBarChart()
    # reportlab's annotations say int where its charts take any number of points.
    chart.x, chart.y = LABEL_WIDTH, 18  # pyright: ignore[reportAttributeAccessIssue]
    chart.width = axis.width - LABEL_WIDTH - 10  # pyright: ignore[reportAttributeAccessIssue]
    chart.height = axis.pitch * len(labels)  # pyright: ignore[reportAttributeAccessIssue]
    chart.data = [list(reversed(series)) for series in values.values()]
    chart.categoryAxis.categoryNames = list(reversed(labels))
    chart.categoryAxis.style = "stacked"
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = LABEL_SIZE
    chart.categoryAxis.labels.leading = LABEL_LEADING
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.textAnchor = "end"
    chart.categoryAxis.labels.dx = -4
    chart.categoryAxis.strokeColor = HexColor("#9AA3AE")
    chart.valueAxis.labels.fontName = REGULAR
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueStep = step = _step(axis.largest)
    chart.valueAxis.valueMax = step * max(1, math.ceil(axis.largest / step))
    chart.valueAxis.strokeColor = HexColor("#9AA3AE")
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = HexColor("#E3E7EC")
    chart.barSpacing = 0
    chart.groupSpacing = 4
    for index, standing in enumerate(values):
        chart.bars[index].fillColor = HexColor(standing.colour)
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    drawing.add(_legend(list(values), axis.lang, height))
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


def _wrapped(name: str) -> str:
    """A category label wrapped at spaces to the label column, one line under another."""
    return "\n".join(simpleSplit(name, REGULAR, LABEL_SIZE, LABEL_WIDTH - 12)) or name


def _step(largest: int) -> int:
    """A whole, round tick step giving about five ticks up to ``largest``."""
    rough = max(largest / 5, 1)
    magnitude = 10 ** math.floor(math.log10(rough))
    return next(int(factor * magnitude) for factor in (1, 2, 5, 10) if factor * magnitude >= rough)
