"""The family samples: real published pages transcribed (figures and form labels as printed).

Each sample names its source in a ``# 来源：`` comment, holds no key the model does not know
(a typo in a key would silently drop a figure), and gives exactly the findings listed in
``FINDINGS`` — each verified by hand arithmetic, see the README's sample section.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from evalcheck.inputs import load_path
from evalcheck.report.model import IncomeByNature, Report, parse_report
from evalcheck.report.tree import normalise_report
from evalcheck.runner.checker import Checker

SAMPLES = Path(__file__).parents[1] / "samples"
SEEDS = {"shaoyang-beita-2023.json", "shaoyang-beita-2023.yaml", "zhanjiang-2024.json"}
FAMILY = sorted(p.name for p in SAMPLES.iterdir() if p.name not in SEEDS)

# sample → (报告类型 of each report, findings as (rule, key path))
FINDINGS: dict[str, tuple[tuple[str, ...], set[tuple[str, str]]]] = {
    "project-sichuan-qingshen-2023.yaml": (
        ("项目支出绩效自评表",),
        {
            ("EC307", "绩效指标[0].指标[0].分值"),
            ("EC307", "绩效指标[1].指标[0].分值"),
        },
    ),
}


def reports(name: str) -> list[dict[str, Any]]:
    data = load_path(SAMPLES / name).data
    return data if isinstance(data, list) else [data]


def unknown_keys(model: BaseModel, path: str = "") -> list[str]:
    """Keys no model field names, anywhere in the report (IncomeByNature keeps them on purpose)."""
    found = (
        []
        if isinstance(model, IncomeByNature)
        else [f"{path}.{k}" for k in model.model_extra or {}]
    )
    for name in type(model).model_fields:
        value = getattr(model, name)
        items = (
            value.values()
            if isinstance(value, dict)
            else value
            if isinstance(value, list)
            else [value]
        )
        for item in items:
            if isinstance(item, BaseModel):
                found += unknown_keys(item, f"{path}.{name}")
    return found


def test_every_family_sample_is_listed() -> None:
    assert sorted(FINDINGS) == FAMILY


@pytest.mark.parametrize("name", FAMILY)
def test_sample_names_its_source(name: str) -> None:
    text = (SAMPLES / name).read_text(encoding="utf-8")
    sources = [line for line in text.splitlines() if line.startswith("# 来源：")]
    assert sources and all("http" in line or "未给出" in line for line in sources)


@pytest.mark.parametrize("name", FAMILY)
def test_sample_has_no_unknown_keys(name: str) -> None:
    for data in reports(name):
        assert unknown_keys(Report.model_validate(data)) == []


@pytest.mark.parametrize("name", FAMILY)
def test_sample_report_types(name: str) -> None:
    types, _ = FINDINGS[name]
    assert tuple(normalise_report(data)["报告类型"] for data in reports(name)) == types


@pytest.mark.parametrize("name", FAMILY)
def test_sample_findings(name: str) -> None:
    result = Checker(diagnose=False).check_path(SAMPLES / name)
    assert result.error is None, result.error
    _, expected = FINDINGS[name]
    assert {(f.rule_id, f.path) for f in result.findings} == expected


def test_the_yaml_samples_parse_as_reports() -> None:
    for name in FAMILY:
        if isinstance(load_path(SAMPLES / name).data, dict):
            parse_report(load_path(SAMPLES / name))
