"""What a command line or a run folder may ask of Hydra: data, never code.

Hydra instantiates ``_target_`` entries under ``hydra.callbacks``, ``hydra.launcher`` and
``hydra.sweeper``, sets environment variables from ``hydra.job.env_set``, searches extra
folders from ``hydra.searchpath``, joins a preset name onto a folder path, and resolves
``${oc.env:...}``. Each of these is fine in the project's own ``scenarios/`` and refused from
anywhere else:

- **command-line overrides**: ``hydra.*`` keys only from :data:`HYDRA_KEYS` (run and sweep
  folders, launcher settings) and groups from :data:`HYDRA_GROUPS` (a shipped launcher by
  name); no ``_target_`` (or ``_args_``, ``_partial_`` ...) anywhere; preset names are names
  (``governance=../../x`` is refused); no resolver that reads the environment.
- **a run folder** (``--config-path <run>/.hydra``): only its job configuration is read, by
  :func:`read_job_config`: no ``hydra:`` section, no ``defaults`` list, no ``_target_``, no
  resolver; the project's own Hydra settings apply (:mod:`sim.hydra_conf`).
- **a folder of the user's presets** (``--config-dir``): every YAML file in it is read and
  held to the same rules, and it may not hold a ``hydra/`` group.

Every refusal is a :class:`~sim.errors.ShouwangError` naming the key and the value.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sim.errors import ShouwangError

HYDRA_KEYS = ("hydra.run.dir", "hydra.sweep.dir", "hydra.sweep.subdir", "hydra.job.chdir", "hydra.verbose",
              "hydra.launcher.")
"""``hydra.*`` keys a command line may set (a trailing dot: any field below, not ``_target_``)."""
HYDRA_GROUPS = ("hydra/launcher", "hydra/sweeper", "hydra/job_logging", "hydra/hydra_logging")
"""Hydra config groups a command line may choose from (by name: only shipped options exist)."""
CODE_KEYS = frozenset({"_target_", "_args_", "_partial_", "_recursive_", "_convert_", "_call_"})
"""Keys that make Hydra import and call something."""
NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$")
RESOLVER = re.compile(r"\$\{\s*([A-Za-z_][\w.]*)\s*:")
"""A resolver call such as ``${oc.env:HOME}`` (node interpolations like ``${days}`` have no colon)."""
MAX_CONFIG_BYTES = 1_000_000
"""A run's config is a few kB; a bigger file is refused before YAML reads it (alias bombs)."""


def vet_overrides(overrides: list[str], groups: set[str]) -> None:
    """Refuse overrides that would make Hydra run code, read the environment or leave ``scenarios/``.

    Args:
        overrides: Hydra overrides as typed (``key=value``, ``+key=value``, ``group=name`` ...).
        groups: the config groups of the project (``city``, ``governance``, ``hydra/launcher`` ...).

    Raises:
        ShouwangError: naming the override. (A malformed one raises Hydra's own parse error.)
    """
    from hydra.core.override_parser.overrides_parser import OverridesParser

    for o in OverridesParser.create().parse_overrides(overrides):
        key = o.key_or_group
        given = f"got {o.input_line!r}"
        parts = re.split(r"[./@]", key)
        hydra_key = key == "hydra" or key.startswith(("hydra.", "hydra/"))
        # only Hydra's own settings are ever instantiated; elsewhere the schema refuses the key
        if hydra_key and CODE_KEYS.intersection(parts):
            raise ShouwangError(f"{key}: {sorted(CODE_KEYS & set(parts))[0]} is code, not data: "
                                f"only the project's own configs may name a class or function, {given}")
        if o.package is not None:
            raise ShouwangError(f"{key}@{o.package}: package overrides are not supported, {given}")
        is_group = "/" in key or key in groups
        if hydra_key:
            _vet_hydra(o, key, is_group, given)
        if is_group:
            for name in _choices(o):
                if not NAME.match(name) or ".." in name:
                    raise ShouwangError(f"{key}: a preset is a name from scenarios/{key}/, not a path, {given}")
        elif o.value_type is not None:
            _vet_value(_element(o), key, allow=("now",) if key.startswith("hydra.") else ())


def _vet_hydra(o: Any, key: str, is_group: bool, given: str) -> None:
    if is_group:
        if key not in HYDRA_GROUPS:
            raise ShouwangError(f"{key}: not a group a command line may choose (choose from "
                                f"{', '.join(HYDRA_GROUPS)}), {given}")
        return
    if o.is_delete() or not any(key == k or (k.endswith(".") and key.startswith(k)) for k in HYDRA_KEYS):
        allowed = ", ".join(k + "*" if k.endswith(".") else k for k in HYDRA_KEYS)
        raise ShouwangError(f"{key}: Hydra settings from the command line are limited to {allowed}, {given}")
    if any(p.startswith("_") for p in key.split(".")):
        raise ShouwangError(f"{key}: private Hydra fields cannot be set, {given}")


def _choices(o: Any) -> list[str]:
    if o.is_delete() and o.value_type is None:
        return []
    if o.is_sweep_override():
        if o.value_type.name == "GLOB_CHOICE_SWEEP":
            glob = o.value()
            return [p.replace("*", "x").replace("?", "x") for p in glob.include + glob.exclude]
        return [str(v) for v in o.sweep_string_iterator()]
    value = o.value()
    return [value] if isinstance(value, str) else [str(value)]


def _element(o: Any) -> Any:
    if o.is_sweep_override():
        if o.value_type.name in ("CHOICE_SWEEP", "SIMPLE_CHOICE_SWEEP"):
            return list(o.value().list)
        return None  # range/interval sweeps hold numbers
    return o.value()


def _vet_value(value: Any, key: str, allow: tuple[str, ...] = ()) -> None:
    """No ``_target_`` key and no resolver call (other than ``allow``) anywhere in a value."""
    if isinstance(value, dict):
        for k, v in value.items():
            if str(k) in CODE_KEYS:
                raise ShouwangError(f"{key}.{k}: {k} is code, not data: only the project's own configs "
                                    f"may name a class or function, got {v!r}")
            _vet_value(v, f"{key}.{k}", allow)
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            _vet_value(v, f"{key}[{i}]", allow)
    elif isinstance(value, str):
        for name in RESOLVER.findall(value):
            if name not in allow:
                raise ShouwangError(f"{key}: resolver {name!r} is off (configs are data: no environment "
                                    f"variables, no decoding), got {value!r}")


def read_job_config(path: Path) -> dict:
    """A run folder's job configuration (``.hydra/config.yaml``), held to the rules above.

    Returns:
        The configuration as a plain dict (interpolations kept, none resolved).

    Raises:
        ShouwangError: the file is missing, too large, or asks for code, Hydra settings or the
            environment. (YAML with ``!!python`` tags raises the YAML loader's own error.)
    """
    from omegaconf import OmegaConf

    if not path.is_file():
        raise ShouwangError(f"--config-name: no such config file {str(path)!r}")
    if path.stat().st_size > MAX_CONFIG_BYTES:
        raise ShouwangError(f"--config-name: {str(path)!r} is {path.stat().st_size:,} bytes, "
                            f"more than a run's configuration ({MAX_CONFIG_BYTES:,} at most)")
    loaded = OmegaConf.to_container(OmegaConf.load(path), resolve=False)
    if not isinstance(loaded, dict):
        raise ShouwangError(f"--config-name: {str(path)!r} is not a mapping of keys")
    for key in ("hydra", "defaults"):
        if key in loaded:
            raise ShouwangError(
                f"{key}: a run folder's config may hold only the run's job configuration "
                f"(the project's own Hydra settings apply), got a {key!r} section in {str(path)!r}")
    _vet_value(loaded, "config")
    return loaded


def vet_config_dir(folder: Path) -> None:
    """Every YAML file of a user's preset folder (``--config-dir``) is data, not Hydra settings.

    Raises:
        ShouwangError: naming the file and what it asks for.
    """
    from omegaconf import OmegaConf

    if not folder.is_dir():
        raise ShouwangError(f"--config-dir: no such folder, got {str(folder)!r}")
    for path in sorted(folder.rglob("*.y*ml")):
        rel = path.relative_to(folder).as_posix()
        if rel.startswith("hydra/"):
            raise ShouwangError(f"--config-dir: {rel}: Hydra's own groups come from the project only, "
                                f"got {str(path)!r}")
        if path.stat().st_size > MAX_CONFIG_BYTES:
            raise ShouwangError(f"--config-dir: {rel} is larger than {MAX_CONFIG_BYTES:,} bytes")
        header = path.read_text(encoding="utf-8", errors="replace")[:2000]
        if re.search(r"#\s*@package\s+hydra", header):
            raise ShouwangError(f"--config-dir: {rel}: a preset cannot be placed in Hydra's settings "
                                f"(@package hydra), got {str(path)!r}")
        loaded = OmegaConf.to_container(OmegaConf.load(path), resolve=False)
        if isinstance(loaded, dict):
            if "hydra" in loaded:
                raise ShouwangError(f"--config-dir: {rel}: a 'hydra' section is not allowed in a user's "
                                    f"preset, got {str(path)!r}")
            for entry in loaded.get("defaults") or []:
                text = str(entry)
                if ".." in text or "hydra" in text:
                    raise ShouwangError(f"--config-dir: {rel}: defaults entry {text!r} leaves the presets")
            _vet_value({k: v for k, v in loaded.items() if k != "defaults"}, f"--config-dir: {rel}:")


BANNER_MAPS = ("governance.banner_models", "staffing.by_banner")
"""Mappings keyed by banner (English or Chinese name, or division code)."""
_PLAIN_KEY = re.compile(r"^(?:[A-Za-z_][A-Za-z0-9_-]*|0|[1-9][0-9]*)$")
_SPACED_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_ -]*[A-Za-z0-9]$")


def split_banner_maps(overrides: list[str]) -> list[str]:
    """``+governance.banner_models={150725: rural, 陈巴尔虎旗: pastoral}`` as one override per banner.

    Hydra's grammar reads ``150725`` as an integer key (which the schema's str keys refuse) and
    cannot read Chinese names at all; read with YAML's flow syntax instead, each entry becomes
    ``+governance.banner_models.<key>=<value>`` (a key Hydra's grammar cannot spell is quoted in
    the dict form). Other overrides pass through unchanged.
    """
    import yaml

    out: list[str] = []
    for arg in overrides:
        name, eq, value = arg.partition("=")
        if not (eq and name.startswith("+") and name.lstrip("+") in BANNER_MAPS
                and value.strip().startswith("{")):
            out.append(arg)
            continue
        try:
            entries = yaml.safe_load(value)
        except yaml.YAMLError:
            out.append(arg)  # Hydra's parser names the problem
            continue
        if not isinstance(entries, dict) or "\\" in value or any(v is None for v in entries.values()):
            # not YAML's reading (Hydra's own escaped form, e.g. a sweep job's {Chen\ Barag\ Banner:urban}):
            # Hydra's parser reads it
            out.append(arg)
            continue
        for k, v in entries.items():
            key = str(k)
            inner = "{" + ", ".join(f"{a}: {b}" for a, b in v.items()) + "}" if isinstance(v, dict) else str(v)
            if _PLAIN_KEY.match(key) and not isinstance(v, dict):
                out.append(f"{name}.{key}={inner}")
            elif (_PLAIN_KEY.match(key) and not key.isdigit()) or _SPACED_KEY.match(key):
                # the dict form reads spaces and sections (a division code would read as a number)
                out.append(f"{name}={{{key}: {inner}}}")
            elif isinstance(v, dict):
                out.append(f"{name}={{{_encode(key)}: {inner}}}")
            else:
                out.append(f"{name}.{_encode(key)}={inner}")
    return out


_ENCODED = "u_"


def _encode(key: str) -> str:
    """A banner name Hydra cannot spell (e.g. Chinese), as a plain key: ``u_`` + hex of its UTF-8."""
    return _ENCODED + key.encode("utf-8").hex()


def decode_banner_key(key: str) -> str:
    """The banner name behind an encoded key (see :func:`split_banner_maps`); other keys unchanged."""
    if key.startswith(_ENCODED):
        try:
            return bytes.fromhex(key[len(_ENCODED):]).decode("utf-8")
        except ValueError:
            return key
    return key
