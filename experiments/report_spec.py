"""What one experiment's report shows (kept apart so that entry points start without pandas)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ReportSpec:
    """What one experiment's report shows."""

    experiment: str
    title: str
    question: str  # the question in a planner's or researcher's words
    reference_hint: str  # the setting others are compared with (a substring of its label)
    metrics: list[str]
    mechanisms: bool = False  # a table of who detected and where settled, per setting
    banners: list[str] = field(default_factory=list)  # banners to report (all if empty and >1)
