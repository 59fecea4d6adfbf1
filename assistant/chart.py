"""The maturity chart: agreed rating against target for each rated area, as PNG bytes."""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence

from assistant.paper import RatingRow

__all__ = ["maturity_chart"]


def maturity_chart(
    rows: Sequence[RatingRow], levels: Sequence[tuple[int, str, str]], title: str = ""
) -> bytes:
    """A horizontal bar chart (current vs target per area) rendered off-screen with Agg."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    low, high = levels[0][0], levels[-1][0]
    labels = [textwrap.fill(r.label, 34) for r in rows] or ["(no ratings agreed yet)"]
    current = [r.agreed if r.agreed is not None else 0 for r in rows] or [0]
    target = [r.target if r.target is not None else 0 for r in rows] or [0]
    height = 1.2 + 0.75 * len(labels)
    fig, ax = plt.subplots(figsize=(8.0, height), dpi=150)
    try:
        positions = list(range(len(labels)))
        bar = 0.36
        ax.barh([p - bar / 2 for p in positions], current, bar, label="Agreed now", color="#005EB8")
        ax.barh(
            [p + bar / 2 for p in positions],
            target,
            bar,
            label="Target",
            color="#FFFFFF",
            edgecolor="#005EB8",
            hatch="//",
        )
        for p, value in zip(positions, current, strict=True):
            if not value:
                ax.text(
                    low - 0.9, p - bar / 2, "not agreed", va="center", fontsize=7, color="#425563"
                )
        ax.set_yticks(positions, labels, fontsize=8)
        ax.invert_yaxis()
        ax.set_xlim(0, high + 0.2)
        ax.set_xticks(
            [v for v, _, _ in levels],
            [label if str(v) in label else f"{v} {label}" for v, label, _ in levels],
            fontsize=7,
        )
        ax.set_xlabel("maturity level (the framework's scale)", fontsize=8)
        ax.grid(axis="x", color="#D8DDE0", linewidth=0.6)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=2, fontsize=7, frameon=False)
        if title:
            ax.set_title(title, fontsize=10, loc="left")
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        plt.close(fig)
