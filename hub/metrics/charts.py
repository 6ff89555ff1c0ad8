"""Charts as inline SVG computed at build time: no JavaScript, nothing fetched, works offline.

This module only does geometry; hub/templates/metrics/chart.svg.j2 draws it. Every chart
carries a title and a description for assistive technology, and the dashboard places a
table with the same numbers beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 16, 44
MAX_X_LABELS = 12


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: int


@dataclass(frozen=True)
class Tick:
    position: float
    text: str


@dataclass
class Chart:
    id: str
    title: str
    description: str
    kind: str  # "bar" or "line"
    headers: tuple[str, str]
    rows: list[tuple[str, int]]
    bars: list[Bar] = field(default_factory=list)
    points: list[tuple[float, float]] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    baseline: float = HEIGHT - BOTTOM

    @property
    def polyline(self) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in self.points)


def nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5 x 10^n at or above value, so axis labels are round numbers."""
    if value <= 0:
        return 1
    magnitude = 1
    while True:
        for step in (1, 2, 5):
            if step * magnitude >= value:
                return step * magnitude
        magnitude *= 10


def _y(value: int, top_value: int) -> float:
    plot = HEIGHT - TOP - BOTTOM
    return TOP + plot * (1 - value / top_value)


def _y_ticks(top_value: int) -> list[Tick]:
    values = sorted({0, top_value // 2, top_value})
    return [Tick(_y(v, top_value), f"{v:,}") for v in values]


def _thin(labels: list[str], positions: list[float]) -> list[Tick]:
    step = max(1, -(-len(labels) // MAX_X_LABELS))
    return [Tick(positions[i], labels[i]) for i in range(0, len(labels), step)]


def bar_chart(
    chart_id: str, title: str, description: str, headers: tuple[str, str], rows: list[tuple[str, int]]
) -> Chart:
    top_value = nice_ceiling(max((v for _, v in rows), default=0))
    plot_width = WIDTH - LEFT - RIGHT
    band = plot_width / max(len(rows), 1)
    bars = []
    for i, (label, value) in enumerate(rows):
        y = _y(value, top_value)
        bars.append(Bar(LEFT + i * band + band * 0.15, y, band * 0.7, HEIGHT - BOTTOM - y, label, value))
    centres = [b.x + b.width / 2 for b in bars]
    return Chart(
        chart_id, title, description, "bar", headers, rows, bars=bars,
        x_ticks=_thin([label for label, _ in rows], centres), y_ticks=_y_ticks(top_value),
    )  # fmt: skip


def line_chart(
    chart_id: str, title: str, description: str, headers: tuple[str, str], rows: list[tuple[str, int]]
) -> Chart:
    """Points at even spacing, one per row (rows are already in time order)."""
    top_value = nice_ceiling(max((v for _, v in rows), default=0))
    plot_width = WIDTH - LEFT - RIGHT
    step = plot_width / max(len(rows) - 1, 1)
    points = [(LEFT + i * step, _y(value, top_value)) for i, (_, value) in enumerate(rows)]
    return Chart(
        chart_id, title, description, "line", headers, rows, points=points,
        x_ticks=_thin([label for label, _ in rows], [x for x, _ in points]), y_ticks=_y_ticks(top_value),
    )  # fmt: skip
