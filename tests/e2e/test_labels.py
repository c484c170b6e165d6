"""Labels say what ran: the effective governance and the per-banner models, in ``summary.json`` and
in the printed header; banners by English or Chinese name or by code, in either override form."""

from __future__ import annotations

import json
import sys

import pytest

from sim.results import read_run
from tests.conftest import simulate_all

HULUNBUIR = ["city=hulunbuir", "scale=0.01", "days=2"]


def _cli(args: list[str], monkeypatch, capsys) -> str:
    from sim.__main__ import main
    from sim.cli import cli

    for var in ("SHOUWANG_DEBUG", "HYDRA_FULL_ERROR"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(sys, "argv", ["sim", *args])
    cli(main)
    return capsys.readouterr().out


def test_a_model_applied_everywhere_is_the_label(tmp_path, monkeypatch, capsys):
    out = _cli(["city=demo_county", "days=3", "governance.apply=pastoral", f"hydra.run.dir={tmp_path}"],
               monkeypatch, capsys)
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["governance"] == "pastoral"  # not the preset's name, "classified"
    assert summary["governance_preset"] == "classified" and summary["governance_apply"] == "pastoral"
    assert summary["models"] == {"demo_county": "pastoral"}
    assert out.splitlines()[0].startswith("demo_county · pastoral · baseline_2022 · seed 0")


@pytest.mark.parametrize("override", [
    "+governance.banner_models={150725: rural}",  # the division code, as an integer
    "+governance.banner_models={陈巴尔虎旗: rural}",  # the Chinese name
    "+governance.banner_models={Chen Barag Banner: rural}",
    "+governance.banner_models.150725=rural",
])
def test_a_switched_banner_is_named_in_summary_and_header(override, tmp_path, monkeypatch, capsys):
    out = _cli([*HULUNBUIR, override, f"hydra.run.dir={tmp_path}"], monkeypatch, capsys)
    summary = read_run(tmp_path).summary
    assert summary["banner_models"] == {"Chen Barag Banner": "rural"}
    assert summary["models"]["Chen Barag Banner"] == "rural"
    assert summary["models"]["Hailar District"] == "classified"  # the others keep their own places' models
    assert len(summary["models"]) == 14
    assert summary["governance"] == "classified + Chen Barag Banner: rural"
    assert "hulunbuir · classified + Chen Barag Banner: rural · baseline_2022" in out.splitlines()[0]


def test_chinese_names_and_codes_reach_the_model(tmp_path):
    """The switch changes what runs: the banner's disputes are handled under the urban model."""
    busy = ["city=hulunbuir", "days=4"]  # the whole city (a sample of townships may leave the banner out)
    by_zh, by_code, plain = simulate_all([([*busy, "+governance.banner_models={陈巴尔虎旗: urban}"], tmp_path / "zh"),
                                          ([*busy, "+governance.banner_models={150725: urban}"], tmp_path / "code"),
                                          (busy, tmp_path / "plain")])
    assert len(plain.disputes[plain.disputes["banner"] == "Chen Barag Banner"]) > 0
    chen = lambda r: r.disputes[r.disputes["banner"] == "Chen Barag Banner"]  # noqa: E731
    assert set(chen(by_zh)["model"]) == {"urban"} and set(chen(by_code)["model"]) == {"urban"}
    assert set(chen(plain)["model"]) != {"urban"}
    assert by_zh.summary["banner_models"] == by_code.summary["banner_models"] == {"Chen Barag Banner": "urban"}


def test_shocks_and_policy_in_the_header(tmp_path, monkeypatch, capsys):
    out = _cli(["city=demo_county", "days=3", "shocks=epidemic", "policy=no_anti_fraud",
                f"hydra.run.dir={tmp_path}"], monkeypatch, capsys)
    assert "· shocks epidemic · policy no_anti_fraud ·" in out.splitlines()[0]
