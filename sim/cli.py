"""The command line's front door and its error reporting: every bad input is one line, never a traceback.

``python -m sim`` runs Hydra's decorated ``main`` through :func:`cli`, which first does what
Hydra would only do later, or not at all:

1. parses the command line with Hydra's documented flags (:func:`sim.command.command_line_parser`,
   our own ``argparse``: no ``hydra._internal``, nothing patched);
2. vets it (:mod:`sim.guard`): no code, Hydra settings or environment from outside the project;
   a run folder's configuration (``--config-path <run>/.hydra``) is read as data and stored in
   the ConfigStore (:func:`sim.hydra_conf.store_rerun`), never put on Hydra's search path;
3. composes it with Hydra's compose API and checks it (:func:`sim.run.preflight`: values,
   ranges, city table, banners, memory), so bad input is refused before any folder exists;
4. claims the run (or sweep) folder (:func:`sim.results.claim`) and voids an old
   ``summary.json`` before Hydra writes ``.hydra/``;

then hands Hydra the vetted arguments, with the folder pinned (``hydra.run.dir=...``).
Every failure becomes one line::

    error: <key>: <problem>, got <value>

Inside the job, :func:`reported` does the same for errors raised while running.
Exit status: 2 for bad input, 1 for an internal error, 130 when interrupted (Ctrl-C).
Set ``SHOUWANG_DEBUG=1`` (or Hydra's own ``HYDRA_FULL_ERROR=1``) to get full tracebacks.

Entry points only: the engine never imports this module.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import fields, is_dataclass
from typing import Any

from sim.errors import ShouwangError

BAD_INPUT = 2
INTERNAL = 1
INTERRUPTED = 130  # 128 + SIGINT, as shells report it

GRAMMAR = "https://hydra.cc/docs/advanced/override_grammar/basic/"


_FORCED = "_SHOUWANG_HYDRA_RAISES"  # set with HYDRA_FULL_ERROR by cli(), not by the user


def debug() -> bool:
    """Full tracebacks wanted (``SHOUWANG_DEBUG=1``, or ``HYDRA_FULL_ERROR=1`` set by the user)."""
    if os.environ.get("SHOUWANG_DEBUG", "") not in ("", "0"):
        return True
    return os.environ.get("HYDRA_FULL_ERROR", "") not in ("", "0") and _FORCED not in os.environ


class ArgumentError(Exception):
    """A complaint about the command line itself (a flag, not an override): already one line."""


class Reported(Exception):
    """A sweep job's failure, already reported in one line by the job itself.

    Raised (not ``SystemExit``) so that Hydra's launchers finish the sweep's other jobs;
    :func:`cli` then exits with status 2 without printing it again.
    """


def cli(hydra_main: Callable[[], Any], argv: list[str] | None = None) -> None:
    """Run a ``@hydra.main`` function behind the front door; report any failure in one line.

    The command line is parsed with Hydra's documented flags (:func:`command_line_parser`),
    vetted (:mod:`sim.guard`: no code, no Hydra settings, no environment from outside the
    project), composed and checked once (values, ranges, city table, banners, memory) and the
    run folder claimed (:func:`sim.results.claim`) *before* Hydra writes anything; then
    ``hydra_main`` runs with the vetted arguments. Bad input leaves no folder behind and
    never touches an existing one.

    Args:
        hydra_main: the decorated task (called with no arguments: Hydra reads ``sys.argv``).
        argv: the command-line arguments (default ``sys.argv[1:]``).
    """
    from sim.command import front_door

    argv = list(sys.argv[1:] if argv is None else argv)
    state: dict[str, Any] = {}
    if debug():
        had = os.environ.get("HYDRA_FULL_ERROR")
        os.environ["HYDRA_FULL_ERROR"] = "1"  # Hydra's untrimmed traceback too
        try:
            with front_door(argv, state) as hydra_argv:
                _call_hydra(hydra_main, hydra_argv)
        finally:  # put it back: a caller in the same process (a test) must not inherit debug mode
            if had is None:
                os.environ.pop("HYDRA_FULL_ERROR", None)
            else:
                os.environ["HYDRA_FULL_ERROR"] = had
        return
    try:
        with front_door(argv, state) as hydra_argv:
            # Hydra prints its own multi-line report unless told to raise: make it raise.
            os.environ["HYDRA_FULL_ERROR"] = os.environ[_FORCED] = "1"  # inherited by joblib workers
            try:
                _call_hydra(hydra_main, hydra_argv)
            finally:
                os.environ.pop("HYDRA_FULL_ERROR", None)
                os.environ.pop(_FORCED, None)
    except KeyboardInterrupt:
        if state.get("multirun"):
            _say("interrupted: unfinished runs have no summary.json; run the same command again "
                 "(same hydra.sweep.dir) to finish the sweep")
        elif state.get("begun"):
            _say("interrupted: stopped before the end; the run folder has no summary.json (incomplete)")
        else:
            _say("interrupted: stopped before the run started; nothing was written")
        sys.exit(INTERRUPTED)
    except Reported:
        sys.exit(BAD_INPUT)
    except BrokenPipeError:  # the reader went away (python -m sim --cfg job | head)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    except Exception as exc:  # noqa: BLE001 - every failure becomes one line
        message, status = explain(exc, argv)
        _say(f"error: {message}")
        sys.exit(status)


def _call_hydra(hydra_main: Callable[[], Any], hydra_argv: list[str]) -> None:
    """Hydra's ``main`` reads ``sys.argv``: hand it the vetted arguments, then put them back."""
    saved = sys.argv
    sys.argv = [saved[0] if saved else "sim", *hydra_argv]
    try:
        hydra_main()
    finally:
        sys.argv = saved


@contextlib.contextmanager
def reported() -> Iterator[None]:
    """Inside a Hydra job: turn a failure into one line on stderr and a non-zero exit.

    A single run exits at once (``SystemExit`` passes through Hydra's job runner, which would
    print a banner for an exception). A sweep job raises :class:`Reported` instead, so the
    sweep's other jobs still run; Hydra then names the first failed job's overrides.
    """
    if debug():
        yield
        return
    try:
        yield
    except KeyboardInterrupt:
        raise
    except Exception as exc:  # noqa: BLE001
        message, status = explain(exc, sys.argv[1:])
        _say(f"error: {message}")
        if _in_sweep():
            raise Reported(message) from None
        sys.exit(status)


def _in_sweep() -> bool:
    try:
        from hydra.core.hydra_config import HydraConfig
        from hydra.types import RunMode

        return HydraConfig.initialized() and HydraConfig.get().mode == RunMode.MULTIRUN
    except Exception:  # noqa: BLE001
        return False


def _say(line: str) -> None:
    sys.stdout.flush()
    print(" ".join(line.split()), file=sys.stderr, flush=True)


# --- translating errors ----------------------------------------------------------------------


def explain(exc: BaseException, argv: list[str]) -> tuple[str, int]:
    """One line (without ``error:``) and an exit status for an exception."""
    from hydra.errors import MissingConfigException, OverrideParseException
    from omegaconf.errors import OmegaConfBaseException

    if isinstance(exc, ShouwangError):
        return _first_line(str(exc)), BAD_INPUT
    yaml_error = _cause(exc, _yaml_error())
    if yaml_error is not None:  # OmegaConf reads YAML with a SafeLoader: python tags never run
        mark = getattr(yaml_error, "problem_mark", None)
        where = f"{mark.name}, line {mark.line + 1}" if mark else "a config file"
        problem = getattr(yaml_error, "problem", None) or _first_line(str(yaml_error))
        return f"config file {where}: YAML refused ({problem})", BAD_INPUT
    if isinstance(exc, ArgumentError):
        return str(exc), BAD_INPUT
    if isinstance(exc, MissingConfigException) and exc.missing_cfg_file:
        group, _, option = exc.missing_cfg_file.rpartition("/")
        if group:
            choices = ", ".join(exc.options or _presets(group))
            hint = f" (choose from {choices})" if choices else ""
            return f"{group}: unknown preset {option!r}{hint}", BAD_INPUT
        return f"config: no such config {option!r}", BAD_INPUT
    if isinstance(exc, MissingConfigException) and re.match(r"Primary config (directory|module)", str(exc)):
        path = next((argv[i + 1] for i, a in enumerate(argv[:-1]) if a in ("--config-path", "-cp")), None)
        return (f"--config-path: no such config folder (it must be an absolute path, "
                f"e.g. \"$PWD/<run>/.hydra\"), got {path!r}"), BAD_INPUT
    if isinstance(exc, OverrideParseException):
        return _bad_override(exc, argv), BAD_INPUT
    omega = _cause(exc, OmegaConfBaseException)
    if omega is not None:
        return _omegaconf(omega, argv), BAD_INPUT
    from hydra.errors import HydraException

    if isinstance(exc, HydraException):
        return _first_line(str(exc)), BAD_INPUT
    hint = "set SHOUWANG_DEBUG=1 for the full traceback"
    return f"internal error: {type(exc).__name__}: {_first_line(str(exc))} ({hint})", INTERNAL


def _yaml_error() -> type:
    import yaml

    return yaml.YAMLError


def _presets(group: str) -> list[str]:
    from sim.hydra_conf import SCENARIOS

    return sorted(p.stem for p in (SCENARIOS / group).glob("*.yaml"))


def _cause(exc: BaseException | None, kind: type) -> Any:
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, kind):
            return exc
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return None


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else "(no message)"


_TYPES = {"Integer": "an integer", "Float": "a number", "Boolean": "true or false",
          "String": "a string"}


def _omegaconf(err: Any, argv: list[str]) -> str:
    """A ``ValidationError``, ``ConfigKeyError`` ... with its ``full_key`` and value."""
    from omegaconf.errors import ConfigKeyError, InterpolationResolutionError, ValidationError

    key = err.full_key or err.key or "config"
    given = _given(key, argv)
    text = _first_line(str(err.msg or err))
    if isinstance(err, InterpolationResolutionError):
        return f"{key}: cannot resolve interpolation ({text})"
    if isinstance(err, ValidationError):
        m = re.search(r"could not be converted to (\w+)", text)
        if m:
            want = _TYPES.get(m.group(1), m.group(1))
            value = err.value if err.value is not None else (given[1] if given else None)
            return f"{key}: must be {want}, got {value!r}"
        if "is not Optional" in text:
            text = "must have a value (not null)"
        m = re.search(r"Invalid type assigned: (\w+) is not a subclass of (\w+)", text)
        if m:
            text = f"is a section ({m.group(2)}): set its fields, e.g. {key}.<field>=..."
        return f"{key}: {text}" + (f", got {given[1]!r}" if given else "")
    if isinstance(err, (ConfigKeyError, AttributeError, KeyError)) or "not in" in text:
        return _unknown_key(key, given)
    return f"{key}: {text}"


def _unknown_key(key: str, given: tuple[str, str] | None) -> str:
    """``foo=1`` where ``foo`` is not in the schema, or a new entry in a mapping without ``+``."""
    from sim.config import Config

    got = f", got {given[0]}={given[1]}" if given else f", got {key!r}"
    parts = key.split(".")
    node: Any = Config()
    for depth, part in enumerate(parts):
        if isinstance(node, dict) and part not in node:
            # a mapping (banner_models, model_mix ...): new entries need a leading '+'
            name = given[0] if given else key
            return f"{name}: new entries need a leading '+' (write +{name}=...){got}"
        names = [f.name for f in fields(node)] if is_dataclass(node) else []
        if part not in names:
            where = ".".join(parts[:depth]) or "the config"
            close = difflib.get_close_matches(part, names, n=1)
            hint = f"; did you mean {'.'.join(parts[:depth] + close)!r}?" if close else ""
            return f"{key}: unknown key (not in {where}){hint}{got}"
        node = node[part] if isinstance(node, dict) else getattr(node, part)
    return f"{key}: cannot set this key{got}"


def _given(key: str, argv: list[str]) -> tuple[str, str] | None:
    """The override that set ``key`` (``key=v``, ``+key=v``, ``++key=v``, or a whole mapping
    ``parent={k: v}``) as (its key, its value)."""
    for arg in reversed(argv):  # the last override of a key wins
        name, eq, value = arg.lstrip("+~").partition("=")
        if eq and (name == key or (key.startswith(name + ".") and value.startswith("{"))):
            return name, value
    return None


def _bad_override(exc: BaseException, argv: list[str]) -> str:
    """Name the override Hydra's grammar refused (Hydra's message does not say which)."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    parser = OverridesParser.create()
    reason = _first_line(str(exc))
    for before, arg in zip(["", *argv], argv):
        if arg.startswith("-") or before in _FLAGS_WITH_VALUE:
            continue
        try:
            parser.parse_overrides([arg])
        except Exception as err:  # noqa: BLE001
            reason = _reason(err)
            key = arg.lstrip("+~").partition("=")[0] or arg
            return f"{key}: malformed override ({reason}; see {GRAMMAR}), got {arg!r}"
    return f"malformed override ({reason}; see {GRAMMAR})"


_FLAGS_WITH_VALUE = {"--config-path", "-cp", "--config-name", "-cn", "--config-dir", "-cd",
                     "--package", "-p", "--info", "--cfg", "-c", "--experimental-rerun"}


def _reason(err: BaseException) -> str:
    lines = [ln for ln in str(err).strip().splitlines()
             if ln.strip() and not ln.startswith(("See ", "Error parsing override"))]
    return lines[0].strip() if lines else "does not parse"


