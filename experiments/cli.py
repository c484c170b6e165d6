"""What every ``python -m experiments.*`` command shares: errors, arguments and output folders.

- **Errors** as ``python -m sim`` reports them (:func:`sim.cli.explain`): one line on stderr,
  ``error: <key>: <problem>, got <value>``, exit status 2 for bad input, 1 for an internal error
  (one line too), 130 and one ``interrupted:`` line for Ctrl-C. ``SHOUWANG_DEBUG=1`` shows the
  traceback instead. :func:`run_main` wraps an entry point's ``main``.
- **Arguments**: :class:`Parser` is argparse whose complaints are that one line; ``--help``
  prints and exits before anything runs. :func:`load_settings` reads a tool's own YAML settings
  with ``key=value`` overrides, refusing unknown keys, wrong types and malformed items.
- **Folders**: each invocation writes into a fresh folder (:func:`fresh_folder`) unless told
  to resume; a named folder must be new or empty (:func:`output_folder`); nothing is written over
  a file git tracks except by ``--publish PATH`` (:func:`publish`), which copies a finished
  report where the user says.

Only the standard library is imported at the top, so Ctrl-C during start-up still meets the
handler as early as possible.
"""

from __future__ import annotations

import argparse
import difflib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, NoReturn

BAD_INPUT = 2
INTERRUPTED = 130


class BadInput(ValueError):
    """A refused argument; printed as ``error: <message>`` with status 2."""


class Interrupted(BaseException):
    """Ctrl-C, raised by our SIGINT handler as a BaseException so that no ``except Exception``
    on the way (Hydra's job runner, the sim CLI) swallows or re-reports it."""


_hint = ["stopped before the end"]


def on_interrupt(hint: str) -> None:
    """What the ``interrupted:`` line says from now on (e.g. how to resume)."""
    _hint[0] = hint


def say(line: str) -> None:
    sys.stdout.flush()
    print(" ".join(str(line).split()), file=sys.stderr, flush=True)


def refuse(key: str, problem: str, got: Any = None) -> NoReturn:
    """Raise :class:`BadInput` as ``<key>: <problem>, got <value>``."""
    raise BadInput(f"{key}: {problem}" + ("" if got is None else f", got {got!r}"))


def _debug() -> bool:
    return os.environ.get("SHOUWANG_DEBUG", "") not in ("", "0")


def _raise_interrupted(signum: int, frame: Any) -> None:
    raise Interrupted()


def run_main(main: Callable[[list[str]], Any], argv: list[str] | None = None) -> Any:
    """Run an entry point's ``main(argv)`` with the shared error handling; exit on failure."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if _debug():
        return main(argv)
    previous = signal.getsignal(signal.SIGINT)
    in_main_thread = threading_main()
    if in_main_thread:
        signal.signal(signal.SIGINT, _raise_interrupted)
    try:
        return main(argv)
    except (Interrupted, KeyboardInterrupt):
        say(f"interrupted: {_hint[0]}")
        sys.exit(INTERRUPTED)
    except BadInput as exc:
        say(f"error: {exc}")
        sys.exit(BAD_INPUT)
    except SystemExit:
        raise
    except BrokenPipeError:  # the reader went away (... | head)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    except Exception as exc:  # noqa: BLE001 - every failure becomes one line
        message, status = _explain(exc, argv)
        say(f"error: {message}")
        sys.exit(status)
    finally:
        if in_main_thread:
            signal.signal(signal.SIGINT, previous)


def threading_main() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _explain(exc: BaseException, argv: list[str]) -> tuple[str, int]:
    """The sim CLI's one-line translation, plus the failures only experiments meet."""
    from sim.cli import explain

    if isinstance(exc, (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError)):
        name = getattr(exc, "filename", None) or "file"
        return f"{name}: {exc.strerror or type(exc).__name__}", BAD_INPUT
    return explain(exc, argv)


class Parser(argparse.ArgumentParser):
    """argparse whose complaints are one ``error:`` line (exit 2), like every bad input here."""

    def error(self, message: str) -> NoReturn:
        raise BadInput(f"command line: {message} (see {self.prog} --help)")

    def parse_args(self, args: Any = None, namespace: Any = None) -> Any:  # type: ignore[override]
        # options may come between overrides (key=v --out DIR key=v), as with python -m sim
        return self.parse_intermixed_args(args, namespace)


def jobs_argument(value: str) -> int:
    """``--jobs N``: a positive number of processes, or -1 for all cores."""
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number of processes, got {value!r}") from None
    if n == 0 or n < -1:
        raise argparse.ArgumentTypeError(f"must be >= 1 (processes) or -1 (all cores), got {n}")
    return n


# --- folders ------------------------------------------------------------------------------


def stamp() -> str:
    return time.strftime("%Y-%m-%d_%H-%M-%S")


def fresh_folder(parent: str | Path) -> Path:
    """A new folder ``parent/<date>_<time>`` (``-2``, ``-3`` ... if two start in one second)."""
    parent = Path(parent)
    base = stamp()
    for n in range(1, 1000):
        path = parent / (base if n == 1 else f"{base}-{n}")
        try:
            path.mkdir(parents=True, exist_ok=False)
            return path
        except FileExistsError:
            continue
    refuse("output folder", f"cannot make a new folder under {parent}")


def tracked(path: str | Path) -> list[str]:
    """Files under ``path`` (or ``path`` itself) that git tracks; [] outside a checkout."""
    path = Path(path).resolve()
    where = path if path.is_dir() else path.parent
    while not where.exists():
        where = where.parent
    try:
        out = subprocess.run(["git", "ls-files", "--", str(path)], cwd=where, capture_output=True,
                             text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return []
    return out.stdout.split() if out.returncode == 0 else []


def output_folder(out: str | None, key: str, parent: str | Path, resume: bool = False) -> Path:
    """The folder an invocation writes into.

    Args:
        out: the folder the user named (``--out``), or None for a fresh one under ``parent``.
        key: the option's name, for messages.
        parent: where fresh folders go (e.g. ``results/staffing_whatif``).
        resume: the user asked to finish what is in ``out`` (then it may hold files).

    Raises:
        BadInput: ``out`` is a file, holds files git tracks, or is not empty without ``resume``.
    """
    if out is None:
        return fresh_folder(parent)
    path = Path(out)
    if path.exists() and not path.is_dir():
        refuse(key, "is a file, not a folder", out)
    if tracked(path):
        refuse(key, f"holds files git tracks ({', '.join(tracked(path)[:3])}); experiments never write over "
               "them: name a new folder (use --publish PATH to regenerate a committed report)", out)
    if path.is_dir() and any(path.iterdir()) and not resume:
        refuse(key, "folder exists and is not empty (add --resume to finish the sweep in it, or name a "
               "new folder)", out)
    if resume and not path.is_dir():
        refuse(key, "nothing to resume: no such folder", out)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        refuse(key, f"cannot make the folder ({exc.strerror})", out)
    return path


def shown(path: str | Path) -> str:
    """A path as a report shows it: relative to the current folder when below it, never the
    author's absolute path (``<...>/name`` otherwise)."""
    path = Path(path).resolve()
    try:
        return str(path.relative_to(Path.cwd().resolve()))
    except ValueError:
        return f"<...>/{path.name}"


def publish(files: Iterable[Path], dest: str | Path) -> list[Path]:
    """Copy a finished report's files into ``dest`` (``--publish``), the one way experiments
    write where git tracks files; returns the copies."""
    dest = Path(dest)
    if dest.exists() and not dest.is_dir():
        refuse("--publish", "is a file, not a folder", str(dest))
    dest.mkdir(parents=True, exist_ok=True)
    out = []
    for f in files:
        target = dest / f.name
        shutil.copyfile(f, target)
        out.append(target)
    return out


# --- a tool's own settings (calibration, sensitivity) -----------------------------------------

_ABSENT = object()


def load_settings(path: Path, overrides: list[str]) -> Any:
    """A tool's YAML settings with ``key=value`` overrides, each checked.

    Raises:
        BadInput: YAML that does not parse (file and line), an item that is not ``key=value``,
            an unknown key (with the closest known one), or a value of the wrong kind.
    """
    import yaml
    from omegaconf import DictConfig, OmegaConf

    try:
        cfg = OmegaConf.load(path)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark else ""
        refuse(f"settings file {path.name}{where}", f"YAML refused ({getattr(exc, 'problem', None) or exc})")
    for item in overrides:
        key, eq, _ = item.partition("=")
        if not eq or not key.strip() or key != key.strip():
            refuse(item.partition("=")[0] or "override", "malformed override (write key=value)", item)
        try:
            value = OmegaConf.select(OmegaConf.from_dotlist([item]), key)
        except Exception as exc:  # noqa: BLE001 - OmegaConf's grammar errors vary
            refuse(key, f"malformed override ({str(exc).splitlines()[0]})", item)
        current = OmegaConf.select(cfg, key, default=_ABSENT)
        if current is _ABSENT:
            parent, _, leaf = key.rpartition(".")
            node = OmegaConf.select(cfg, parent) if parent else cfg
            names = list(node.keys()) if isinstance(node, DictConfig) else []
            close = difflib.get_close_matches(leaf, [str(n) for n in names], n=1)
            hint = f"; did you mean {'.'.join(filter(None, [parent, close[0]]))!r}?" if close else ""
            refuse(key, f"unknown key (not in {path.name}){hint}", item)
        _check_kind(key, current, value, item)
        OmegaConf.update(cfg, key, value, merge=False)
    return cfg


def _check_kind(key: str, current: Any, value: Any, item: str) -> None:
    from omegaconf import DictConfig, ListConfig

    got = item.partition("=")[2]
    if isinstance(current, bool):
        if not isinstance(value, bool):
            refuse(key, "must be true or false", got)
    elif isinstance(current, (int, float)):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            refuse(key, "must be a number", got)
        if isinstance(current, int) and not isinstance(value, int):
            refuse(key, "must be a whole number", got)
    elif isinstance(current, ListConfig):
        if not isinstance(value, (list, ListConfig)):
            refuse(key, "must be a list, e.g. [a,b]", got)
    elif isinstance(current, DictConfig):
        if not isinstance(value, (dict, DictConfig)):
            refuse(key, "is a section: set its fields, e.g. key.field=value", got)


def need(cfg: Any, key: str, ok: bool, problem: str) -> None:
    """Refuse a setting whose value is out of range."""
    from omegaconf import OmegaConf

    if not ok:
        refuse(key, problem, OmegaConf.select(cfg, key))
