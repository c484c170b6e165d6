"""Hydra wiring: the schema in the ConfigStore and composition from ``scenarios/``.

Only entry points (``python -m sim``, :func:`sim.simulate`, experiments) import this module.
"""

from __future__ import annotations

from pathlib import Path

from hydra.core.config_store import ConfigStore
from omegaconf import DictConfig, OmegaConf

from sim.config import Config, GovernanceConfig, check
from sim.errors import ShouwangError

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
"""The Hydra config root (``scenarios/`` beside the package in a checkout)."""


def register() -> None:
    """Put the schema in Hydra's ConfigStore as ``base_config`` (idempotent)."""
    ConfigStore.instance().store(name="base_config", node=Config)


def to_config(cfg: DictConfig) -> Config:
    """The typed, checked scenario from a composed Hydra config (``hydra`` key dropped)."""
    container = OmegaConf.to_container(cfg, resolve=True)
    assert isinstance(container, dict)  # a DictConfig converts to a dict
    container.pop("hydra", None)
    typed = OmegaConf.to_object(OmegaConf.merge(OmegaConf.structured(Config), container))
    assert isinstance(typed, Config)  # merged onto the structured schema
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
