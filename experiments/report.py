"""Report pieces: figures with error bars and Markdown tables, made from a sweep's saved tables.

Everything here reads the Parquet files :mod:`experiments.aggregate` wrote (never live model
objects), so a report can be rebuilt from a results folder alone.
"""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from experiments.aggregate import METRICS


def label(setting: dict | pd.Series, keys: list[str]) -> str:
    """A short label for one setting of the swept keys (``staffing=hard_cuts`` -> ``hard_cuts``)."""
    if not keys:
        return "all runs"
    parts = [str(setting[k]) if len(keys) == 1 else f"{k.split('.')[-1]}={setting[k]}" for k in keys]
    return ", ".join(parts)


def with_setting(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """``df`` with a ``setting`` column naming each row's combination of swept keys."""
    out = df.copy()
    out["setting"] = [label(r, keys) for _, r in out.iterrows()] if len(out) else []
    return out


def metric_grid(agg: pd.DataFrame, order: list[str], metrics: list[str], path: Path, title: str,
                caption: str, hue: str | None = None) -> Path:
    """One panel per metric: mean across replications by setting, with 95% CI error bars."""
    cols = 3
    rows = math.ceil(len(metrics) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.2 * rows + 0.6), squeeze=False)
    x = np.arange(len(order))
    hues = [None] if hue is None else list(dict.fromkeys(agg[hue]))
    width = 0.8 / len(hues)
    for ax, m in zip(axes.flat, metrics):
        for j, h in enumerate(hues):
            sub = agg[agg["metric"] == m] if h is None else agg[(agg["metric"] == m) & (agg[hue] == h)]
            sub = sub.set_index("setting").reindex(order)
            mean = sub["mean"].to_numpy(float)
            err = np.vstack([mean - sub["ci_low"].to_numpy(float), sub["ci_high"].to_numpy(float) - mean])
            err = np.nan_to_num(err, nan=0.0)
            offset = (j - (len(hues) - 1) / 2) * width
            ax.errorbar(x + offset, mean, yerr=err, fmt="o", capsize=4, label=None if h is None else str(h))
        ax.set_title(METRICS.get(m, m), fontsize=9)
        ax.set_xticks(x, order, rotation=30, ha="right", fontsize=8)
        ax.grid(axis="y", alpha=0.3)
        if hue is not None and ax is axes.flat[0]:
            ax.legend(fontsize=7, title=hue, title_fontsize=7)
    return _finish(fig, axes, len(metrics), path, title, caption)


def difference_figure(diffs: pd.DataFrame, key: str, metrics: list[str], path: Path, title: str,
                      caption: str) -> Path:
    """Paired differences from the reference (same seeds), one panel per metric, with 95% CIs."""
    cols = 3
    rows = math.ceil(len(metrics) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.0 * rows + 0.6), squeeze=False)
    for ax, m in zip(axes.flat, metrics):
        sub = diffs[diffs["metric"] == m]
        y = np.arange(len(sub))
        mean = sub["mean_diff"].to_numpy(float)
        err = np.nan_to_num(np.vstack([mean - sub["ci_low"].to_numpy(float), sub["ci_high"].to_numpy(float) - mean]))
        ax.errorbar(mean, y, xerr=err, fmt="o", capsize=4)
        ax.axvline(0, color="grey", lw=0.8)
        ax.set_yticks(y, [str(v) for v in sub[key]], fontsize=8)
        ax.set_title(METRICS.get(m, m), fontsize=9)
        ax.grid(axis="x", alpha=0.3)
    return _finish(fig, axes, len(metrics), path, title, caption)


def _finish(fig, axes, used: int, path: Path, title: str, caption: str) -> Path:
    """Hide unused panels, add the title and the caption line, save and close."""
    for ax in list(axes.flat)[used:]:
        ax.set_visible(False)
    fig.suptitle(title, fontsize=11)
    fig.text(0.5, 0.005, caption, ha="center", va="bottom", fontsize=8, style="italic")
    fig.tight_layout(rect=(0, 0.04, 1, 0.97))
    fig.savefig(path, dpi=72)
    plt.close(fig)
    return path


def fmt(x: float, digits: int = 2) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "–"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    if x != 0 and abs(x) < 0.01:
        return f"{x:.2g}"  # small differences keep their sign and size
    return f"{x:.{digits}f}"


def ci_text(row: pd.Series) -> str:
    """``mean [low, high]`` for a row of an aggregate table."""
    return f"{fmt(row['mean'])} [{fmt(row['ci_low'])}, {fmt(row['ci_high'])}]"


def markdown_table(df: pd.DataFrame) -> str:
    """A plain Markdown table (no extra dependency)."""
    cols = list(df.columns)
    lines = ["| " + " | ".join(map(str, cols)) + " |", "| " + " | ".join("---" for _ in cols) + " |"]
    for _, r in df.iterrows():
        lines.append("| " + " | ".join(fmt(v) if isinstance(v, float) else str(v) for v in r) + " |")
    return "\n".join(lines)


def wide_ci(agg: pd.DataFrame, index: list[str], metrics: list[str], order: list[str] | None = None) -> pd.DataFrame:
    """Settings as rows, metrics as columns, each cell ``mean [95% CI]``."""
    sub = agg[agg["metric"].isin(metrics)].copy()
    sub["cell"] = [ci_text(r) for _, r in sub.iterrows()]
    wide = sub.pivot_table(index=index, columns="metric", values="cell", aggfunc="first", sort=False)
    wide = wide[[m for m in metrics if m in wide.columns]]
    if order is not None and index == ["setting"]:
        wide = wide.reindex([o for o in order if o in wide.index])
    wide.columns = [m for m in wide.columns]
    return wide.reset_index()
