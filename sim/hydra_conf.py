"""Hydra wiring: the schema in the ConfigStore and composition from ``scenarios/``.

Only entry points (``python -m sim``, :func:`sim.simulate`, experiments) import this module.
"""

from __future__ import annotations

from pathlib import Path

from hydra.core.config_store import ConfigStore
from omegaconf import DictConfig, OmegaConf

from sim.config import Config, check

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
    return check(typed)


register()
