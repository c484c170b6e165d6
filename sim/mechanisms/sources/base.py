"""The building blocks of the sources table: :class:`Source`, its shorthands and shared texts."""

from __future__ import annotations

from dataclasses import dataclass

SOURCE_KINDS = ("evidence", "article", "calibrated", "assumption", "setting")
ART = "article (Hulunbuir governance review, 2023)"
HM = ("calibrated by history matching (the default draw, scenarios/calibration/hulunbuir_2022.yaml; "
      "results/calibration/report.md; range: its prior)")
FIXED = "assumption (held fixed by scenarios/calibration/hulunbuir_2022.yaml, not fitted)"


@dataclass(frozen=True)
class Source:
    """A key's unit, where its value comes from and the range a reader should find plausible.

    Attributes:
        unit: e.g. ``per day``, ``km/h``, ``share (0-1)``, ``x`` (a multiplier).
        source: starts with one of :data:`SOURCE_KINDS` (see :mod:`sim.mechanisms.sources`).
        low, high: plausible range of the value (each element of a list or mapping); None: no range.
        note: the evidence row's address, or one line on why the range is plausible.
    """

    unit: str
    source: str
    low: float | None = None
    high: float | None = None
    note: str = ""

    @property
    def kind(self) -> str:
        """Which of :data:`SOURCE_KINDS` the source is."""
        return next((k for k in SOURCE_KINDS if self.source.startswith(k)), "")

    @property
    def range(self) -> str:
        """The range as text (``0.2 - 0.7``), or "" when none is given."""
        if self.low is None and self.high is None:
            return ""
        return f"{_num(self.low)} - {_num(self.high)}"


def _num(x: float | None) -> str:
    return "-inf" if x is None else f"{x:g}"


def A(unit: str, low: float | None, high: float | None, why: str) -> Source:  # noqa: N802 - table shorthand
    """An assumption with its range and one line on why."""
    return Source(unit, "assumption", low, high, why)


def S(unit: str, what: str) -> Source:  # noqa: N802
    """A setting of the run or scenario (no range)."""
    return Source(unit, f"setting: {what}")


P01 = "share (0-1)"
DAILY = "chance per day"
M = "governance.models.*."
K = "disputes.kinds.*."
E219 = "m.shh-meidi.com/shuzishizhi/nianjian/neimengguniajian/2020juan/fazhi/2021-10-19/22997.html (内蒙古年鉴)"
