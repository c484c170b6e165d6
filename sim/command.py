"""The command line before Hydra sees it: parsed, vetted, composed, checked, its folder claimed.

See :func:`sim.cli.cli` for the order and the reasons. Entry points only.
"""

from __future__ import annotations

import argparse
import contextlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

from sim.cli import ArgumentError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse's hook for subclasses: raise, not exit
        if "unrecognized arguments" in message:
            message += " (put flags such as -m before the overrides)"
        raise ArgumentError(f"command line: {message}")


INFO = ("all", "config", "defaults", "defaults-tree", "plugins", "searchpath")


def command_line_parser() -> argparse.ArgumentParser:
    """Hydra's documented command-line flags (https://hydra.cc/docs/advanced/hydra-command-line-flags/),
    parsed by us so that each can be vetted before Hydra acts on it."""
    p = _Parser(prog="python -m sim", add_help=False, allow_abbrev=False)
    p.add_argument("overrides", nargs="*")
    for flags in (("--help", "-h"), ("--hydra-help",), ("--version",), ("--resolve",), ("--run", "-r"),
                  ("--multirun", "-m")):
        p.add_argument(*flags, action="store_true")
    p.add_argument("--cfg", "-c", choices=["job", "hydra", "all"])
    p.add_argument("--package", "-p")
    p.add_argument("--shell-completion", "-sc", action="store_true")
    p.add_argument("--config-path", "-cp")
    p.add_argument("--config-name", "-cn")
    p.add_argument("--config-dir", "-cd")
    p.add_argument("--experimental-rerun")
    p.add_argument("--info", "-i", nargs="?", const="all", choices=INFO)
    return p


@contextlib.contextmanager
def front_door(argv: list[str], state: dict[str, Any]) -> Iterator[list[str]]:
    """Parse, vet, compose and check a command line, and hold its run folder; yield Hydra's argv.

    ``state`` records what happened (``multirun``; ``begun``: the run folder was voided), so an
    interruption can be reported truthfully.
    """
    from sim.guard import NAME, read_job_config, split_banner_maps, vet_config_dir, vet_overrides
    from sim.hydra_conf import SCENARIOS, groups, store_rerun

    args = command_line_parser().parse_args(argv)
    state["multirun"] = args.multirun
    if args.experimental_rerun is not None:
        raise ArgumentError("--experimental-rerun: it loads a pickled config (code), refused; reproduce a "
                             "run with --config-path <run>/.hydra --config-name config")
    overrides = split_banner_maps(args.overrides)
    vet_overrides(overrides, groups())
    for arg in overrides:
        name, eq, value = arg.lstrip("+").partition("=")
        if eq and name in ("hydra.run.dir", "hydra.sweep.dir") and not value.strip():
            raise ArgumentError(f"{name}: must name a folder (empty would write into the current "
                                 f"folder), got {value!r}")
    flags: list[str] = []
    config_name = args.config_name or "config"
    if args.config_path is not None and Path(args.config_path).resolve() != SCENARIOS:
        run_config = Path(args.config_path)
        if not run_config.is_dir():
            raise ArgumentError(f"--config-path: no such config folder (a run folder's .hydra, e.g. "
                                 f"\"$PWD/<run>/.hydra\"), got {args.config_path!r}")
        if not NAME.match(config_name) or ".." in config_name:
            raise ArgumentError(f"--config-name: a name, not a path, got {config_name!r}")
        config_name = store_rerun(read_job_config(run_config.resolve() / f"{config_name}.yaml"))
        flags += ["--config-name", config_name]
    elif args.config_name is not None:
        if not re.match(r"^[A-Za-z0-9_][A-Za-z0-9_/\-]*$", config_name) or ".." in config_name:
            raise ArgumentError(f"--config-name: a name from scenarios/, not a path, got {config_name!r}")
        flags += ["--config-name", config_name]
    if args.config_dir is not None:
        vet_config_dir(Path(args.config_dir))
        flags += ["--config-dir", args.config_dir]
    for flag in ("help", "hydra_help", "version", "resolve", "run", "multirun", "shell_completion"):
        if getattr(args, flag):
            flags.append("--" + flag.replace("_", "-"))
    for flag in ("cfg", "package", "info"):
        if getattr(args, flag) is not None:
            flags += ["--" + flag, getattr(args, flag)]
    informational = (args.help or args.hydra_help or args.version or args.cfg or args.info
                     or args.shell_completion)
    if informational or args.config_dir is not None:  # nothing to claim (a user's presets: checked in the job)
        yield [*flags, *overrides]
        return
    folder_key = "hydra.sweep.dir" if args.multirun else "hydra.run.dir"
    folder = _precheck(overrides, config_name, folder_key, args.multirun)
    from sim.results import begin_run, claim

    if folder is None:  # Hydra resolves the folder at run time: the run claims it itself
        yield [*flags, *overrides]
        return
    if args.multirun:  # workers on this machine exit when this process is gone (sim.__main__)
        import os
        import socket

        os.environ["_SHOUWANG_SWEEP"] = f"{socket.gethostname()}:{os.getpid()}"
    with claim(folder, key=folder_key):
        if not args.multirun:
            begin_run(folder)  # an old summary.json goes before Hydra writes the new .hydra/
            state["begun"] = True
        yield [*flags, *overrides, f"{folder_key}={_quote(str(folder))}"]


def _quote(text: str) -> str:
    """A value in Hydra's grammar, quoted (a folder name may hold commas or spaces)."""
    return "'" + text.replace("'", "\\'") + "'"


MAX_PRECHECKS = 16
"""A sweep's values are checked one at a time up to this many compositions (~0.2 s each); the
rest are checked by their jobs (a bad job fails alone, in one line, and the sweep exits 2)."""


def _precheck(overrides: list[str], config_name: str, folder_key: str, multirun: bool) -> Path | None:
    """Compose and check what the command would run, before any folder exists; return its folder."""
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from omegaconf import OmegaConf

    from sim.hydra_conf import compose_scenario, to_config
    from sim.run import preflight

    variants: list[list[str]] = [overrides]
    if multirun:  # each sweep value once, the other sweeps at their first value
        parsed = OverridesParser.create().parse_overrides(overrides)
        values = [_sweep_values(o) for o in parsed]
        first = [str(o.input_line) if v is None else _set(o, v[0]) for o, v in zip(parsed, values)]
        variants = [first]
        for i, (o, vs) in enumerate(zip(parsed, values)):
            for v in (vs or [])[1:]:
                if len(variants) < MAX_PRECHECKS:
                    variants.append([*first[:i], _set(o, v), *first[i + 1:]])
    folder = None
    for variant in variants:
        cfg = compose_scenario(variant, config_name, return_hydra_config=True)
        preflight(to_config(cfg))
        if folder is None:
            try:
                folder = OmegaConf.select(cfg, folder_key)
            except Exception:  # noqa: BLE001 - a folder named from job-time values: Hydra names it
                folder = ""
    if folder is None or not str(folder).strip():
        return None
    return Path(str(folder)).absolute()


def _sweep_values(o: Any) -> list[str] | None:
    """The values of a sweep worth composing: every choice, or a range's ends."""
    if not o.is_sweep_override() or o.value_type.name in ("GLOB_CHOICE_SWEEP", "INTERVAL_SWEEP"):
        return None
    values = list(dict.fromkeys(o.sweep_string_iterator()))
    if o.value_type.name == "RANGE_SWEEP":
        return values[:1] + values[-1:] if len(values) > 1 else values
    return values[:MAX_PRECHECKS]


def _set(o: Any, value: str) -> str:
    prefix = {"ADD": "+", "FORCE_ADD": "++", "DEL": "~"}.get(o.type.name, "")
    return f"{prefix}{o.key_or_group}={value}"


