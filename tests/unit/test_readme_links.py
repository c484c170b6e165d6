"""README's links to committed reports and figures reach files that a clone of the repository has."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _tracked() -> set[str] | None:
    """The files git tracks (None outside a git checkout: then existence on disk is checked)."""
    try:
        out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return set(out.stdout.splitlines())


def test_every_local_link_in_readme_is_a_committed_file():
    # a report written into a folder .gitignore does not let through exists on the author's disk and
    # nowhere else: a newcomer's clone would follow a dead link
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    links = sorted({m for m in re.findall(r"\]\(([^)#\s]+)\)", text) if not re.match(r"[a-z]+:", m)})
    assert len(links) >= 5, links
    tracked = _tracked()
    missing = [p for p in links if (p not in tracked if tracked is not None else not (ROOT / p).is_file())]
    assert not missing, f"README links to files a clone does not have: {missing}"
