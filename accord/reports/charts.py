"""Charts (matplotlib, no display needed) and their PNG and SVG files.

Figures are built with ``matplotlib.figure.Figure`` directly, not pyplot, so
building them holds no global state and works in server threads.
"""

from __future__ import annotations

import io
from pathlib import Path

from matplotlib.figure import Figure

from accord.incidents import analytics as an

SIZE = (8.0, 3.6)


def _figure() -> Figure:
    return Figure(figsize=SIZE, layout="constrained")


def monthly_series(escalation: an.Escalation, period: an.Period) -> Figure:
    """Incidents per month, the period shaded and change points marked."""
    fig = _figure()
    ax = fig.add_subplot()
    ax.plot(range(len(escalation.counts)), escalation.counts, linewidth=0.9, color="#31688e")
    start = next((i for i, m in enumerate(escalation.months)
                  if m.startswith(f"{period.first_year}-")), None)
    if start is not None:
        ax.axvspan(start, len(escalation.counts) - 1, color="#fde725", alpha=0.2,
                   label="period")
    for point in escalation.change_points:
        key = f"{point.year}-{point.month:02d}"
        if key in escalation.months:
            ax.axvline(escalation.months.index(key), color="#b5367a", linestyle="--",
                       label=f"change {key} (x{point.test.ratio:.2f})")
    ticks = [i for i, m in enumerate(escalation.months) if m.endswith("-01")]
    step = max(1, len(ticks) // 10)
    ax.set_xticks(ticks[::step], [escalation.months[i][:4] for i in ticks[::step]])
    ax.set_ylabel("incidents per month")
    ax.set_title("Escalation: incidents per month and change points")
    ax.legend(loc="upper left", fontsize=8)
    return fig


def soft_target_share(shift: an.TargetShift, period: an.Period) -> Figure:
    """The soft-target share per year, the period shaded."""
    fig = _figure()
    ax = fig.add_subplot()
    pairs = [(y, s) for y, s in zip(shift.years, shift.shares, strict=True) if s is not None]
    ax.plot([y for y, _ in pairs], [s for _, s in pairs], marker="o", color="#35b779")
    ax.axvspan(period.first_year - 0.5, period.last_year + 0.5, color="#fde725", alpha=0.2)
    ax.set_ylim(0, 1)
    ax.set_ylabel("share of incidents")
    ax.set_title("Target shift: soft-target share per year")
    return fig


def lethality(rows: list[an.Lethality]) -> Figure:
    """Victims killed per incident, by attack type."""
    fig = _figure()
    ax = fig.add_subplot()
    shown = list(reversed(rows))
    ax.barh([r.attack_type for r in shown], [r.killed_per_incident for r in shown],
            color="#440154")
    ax.set_xlabel("victims killed per incident")
    ax.set_title("Lethality by attack type")
    ax.tick_params(axis="y", labelsize=8)
    return fig


def write(fig: Figure, folder: Path, name: str) -> list[Path]:
    """Save ``fig`` as NAME.png and NAME.svg in ``folder``; returns both paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for ext in ("png", "svg"):
        path = folder / f"{name}.{ext}"
        fig.savefig(path, format=ext, dpi=120 if ext == "png" else None)
        paths.append(path)
    return paths


def svg_text(fig: Figure) -> str:
    """``fig`` as SVG markup, for inlining in HTML."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg")
    text = buffer.getvalue()
    return text[text.find("<svg"):]
