"""Hydra wiring: the schema in the ConfigStore and composition from ``scenarios/``.

Only entry points (``python -m sim``, :func:`sim.simulate`, experiments) import this module.
A run folder's configuration is composed the same way: :func:`store_rerun` puts its job
configuration (read and vetted by :func:`sim.guard.read_job_config`) in the ConfigStore beside
the schema, with the project's own Hydra settings; the run folder itself never joins Hydra's
search path, so nothing else in it is read.
"""

from __future__ import annotations

from pathlib import Path

from hydra.core.config_store import ConfigStore
from omegaconf import DictConfig, OmegaConf

from sim.checks import check
from sim.config import Config, GovernanceConfig
from sim.errors import ShouwangError
from sim.guard import BANNER_MAPS, NAME, decode_banner_key

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
"""The Hydra config root (``scenarios/`` beside the package in a checkout)."""
RERUN = "shouwang_rerun"
"""ConfigStore name of a run folder's configuration (see :func:`store_rerun`)."""
HYDRA_OWN_GROUPS = ("hydra/launcher", "hydra/sweeper", "hydra/job_logging", "hydra/hydra_logging",
                    "hydra/help", "hydra/hydra_help", "hydra/output", "hydra/env")


def register() -> None:
    """Put the schema in Hydra's ConfigStore as ``base_config`` (idempotent)."""
    ConfigStore.instance().store(name="base_config", node=Config)


def groups() -> set[str]:
    """The config groups a command line can choose from: ``scenarios/`` folders and Hydra's own."""
    found = {p.relative_to(SCENARIOS).as_posix() for p in SCENARIOS.rglob("*") if p.is_dir()}
    return found | set(HYDRA_OWN_GROUPS) | {"hydra"}


def project_hydra_settings() -> dict:
    """The ``hydra:`` section of ``scenarios/config.yaml`` (run folders, callbacks, logging)."""
    text = OmegaConf.load(SCENARIOS / "config.yaml")
    section = OmegaConf.to_container(text, resolve=False).get("hydra", {})  # type: ignore[union-attr]
    assert isinstance(section, dict)
    return section


def store_rerun(job: dict) -> str:
    """Store a run folder's job configuration as a primary config; return its name.

    The node is the schema (``base_config``), the job's values and the project's Hydra settings:
    unknown keys and wrong types are refused as for any scenario.
    """
    node = {"defaults": ["base_config", "_self_"], **job, "hydra": project_hydra_settings()}
    ConfigStore.instance().store(name=RERUN, node=node)
    return RERUN


def compose_scenario(overrides: list[str] | None = None, config_name: str = "config",
                     return_hydra_config: bool = False) -> DictConfig:
    """Compose a scenario as ``python -m sim`` does: overrides vetted (:mod:`sim.guard`), banner
    mappings split, composed from ``scenarios/`` (or a stored run configuration, :data:`RERUN`).

    Raises:
        ShouwangError: an override asks for code, Hydra settings or the environment.
        hydra.errors.HydraException, omegaconf.errors.OmegaConfBaseException: Hydra refuses it.
    """
    from hydra import compose, initialize_config_dir

    from sim.guard import split_banner_maps, vet_overrides

    plain = split_banner_maps(list(overrides or []))
    vet_overrides(plain, groups())
    with initialize_config_dir(version_base="1.3", config_dir=str(SCENARIOS), job_name="simulate"):
        return compose(config_name=config_name, overrides=plain, return_hydra_config=return_hydra_config)


def to_config(cfg: DictConfig) -> Config:
    """The typed, checked scenario from a composed Hydra config (``hydra`` key dropped)."""
    job = OmegaConf.masked_copy(cfg, [str(k) for k in cfg if k != "hydra"])  # Hydra's own section unresolved
    container = OmegaConf.to_container(job, resolve=True)
    assert isinstance(container, dict)  # a DictConfig converts to a dict
    typed = OmegaConf.to_object(OmegaConf.merge(OmegaConf.structured(Config), container))
    assert isinstance(typed, Config)  # merged onto the structured schema
    for path in BANNER_MAPS:  # banner names Hydra's grammar cannot spell travel encoded (sim.guard)
        section, _, name = path.rpartition(".")
        holder = getattr(typed, section)
        mapping = getattr(holder, name)
        setattr(holder, name, {decode_banner_key(str(k)): v for k, v in mapping.items()})
    if typed.timeline.name != "none" and typed.timeline.before_governance is None:
        typed.timeline.before_governance = governance_preset(typed.timeline.before)
    return check(typed)


def governance_preset(name: str) -> GovernanceConfig:
    """The governance group's preset ``name`` (``scenarios/governance/<name>.yaml``), composed.

    Raises:
        ShouwangError: if there is no such preset.
    """
    from hydra import compose, initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra
    from hydra.errors import HydraException

    if not NAME.match(name) or ".." in name:
        raise ShouwangError(f"timeline.before: a preset is a name from scenarios/governance/, not a path, got {name!r}")
    overrides = [f"governance={name}", "timeline=none"]
    try:
        if GlobalHydra.instance().is_initialized():  # inside python -m sim: the app's own search path
            cfg = compose(config_name="config", overrides=overrides)
        else:
            with initialize_config_dir(version_base="1.3", config_dir=str(SCENARIOS), job_name="timeline"):
                cfg = compose(config_name="config", overrides=overrides)
    except HydraException as exc:
        raise ShouwangError(f"timeline.before: unknown governance preset {name!r} ({str(exc).splitlines()[0]})") from None
    return to_config(cfg).governance


register()
