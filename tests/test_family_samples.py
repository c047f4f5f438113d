"""The family samples: real published pages transcribed (figures and form labels as printed).

Each sample names its source in a ``# 来源：`` comment, holds no key the model does not know
(a typo in a key would silently drop a figure), and gives exactly the findings listed in
``FINDINGS`` — each verified by hand arithmetic, see the README's sample section.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from evalcheck.inputs import load_path
from evalcheck.report.model import IncomeByNature, Report, parse_report, schema_text
from evalcheck.report.tree import normalise_report
from evalcheck.runner.checker import Checker

SAMPLES = Path(__file__).parents[1] / "samples"
SEEDS = {"shaoyang-beita-2023.json", "shaoyang-beita-2023.yaml", "zhanjiang-2024.json"}
FAMILY = sorted(p.name for p in SAMPLES.iterdir() if p.name not in SEEDS)

# sample → (报告类型 of each report, findings as (rule, key path))
FINDINGS: dict[str, tuple[tuple[str, ...], set[tuple[str, str]]]] = {
    "budget-guangxi-wuzhou-2023.yaml": (
        ("部门预算决算说明",),
        {
            ("EC532", "预决算说明.支出.基本支出.明细.工资福利支出.占比"),
            ("EC530", "预决算说明.支出.基本支出.明细.商品和服务支出.占比"),
            ("EC418", "正文数据.预决算说明.支出.基本支出.本年预算数"),
            ("EC525", "正文数据.预决算说明.支出.基本支出.本年预算数"),
        },
    ),
    "budget-guangxi-wuzhou-2024.yaml": (
        ("部门预算决算说明",),
        {
            ("EC531", "预决算说明.支出.基本支出.占比"),
            ("EC529", "预决算说明.支出.项目支出.占比"),
        },
    ),
    "dept-anhui-shouxian-2023.yaml": (
        ("部门整体支出绩效自评",),
        set(),
    ),
    "dept-hunan-hengshan-guantang-2023.yaml": (
        ("部门整体支出绩效自评",),
        {
            ("EC213", "人员编制.实际在职人数"),
            ("EC116", "经费控制情况.公用经费.本年决算数"),
            ("EC107", "预算执行.全年预算数"),
        },
    ),
    "final-gansu-tianshui-2017.yaml": (
        ("部门预算决算说明",),
        {
            ("EC508", "预决算说明.财政拨款.支出.一般公共预算财政拨款支出.完成预算"),
        },
    ),
    "final-sichuan-dayi-2022.yaml": (
        ("部门预算决算说明",),
        {
            ("EC507", "预决算说明.支出总计.增减率"),
        },
    ),
    "project-national-anhui-chizhou-2022.yaml": (
        ("项目支出绩效自评表",),
        {
            ("EC222", "预算执行.年初预算数"),
            ("EC222", "预算执行.全年预算数"),
            ("EC222", "预算执行.全年执行数"),
            ("EC201", "预算执行.执行率"),
            ("EC204", "预算执行.执行率"),
            ("EC544", "金额构成[1].合计"),
        },
    ),
    "project-national-hebei-langfang-2019.yaml": (
        ("项目支出绩效自评表",),
        {
            ("EC204", "预算执行.执行率"),
            # info: “剩余3%尾款未付” in a 偏差原因 cell is read and names no field
            ("EC420", "正文数据.语句[0].数值"),
        },
    ),
    "project-ningxia-yinchuan-2021.yaml": (
        ("项目支出绩效自评表",),
        {
            ("EC317", "自评得分"),
            ("EC227", "绩效指标[1].指标[0].得分"),
            ("EC308", "绩效指标[1].指标[0].得分"),
            ("EC308", "绩效指标[2].指标[4].得分"),
            ("EC322", "绩效指标[2].指标[4].得分"),
            ("EC308", "绩效指标[3].指标[2].得分"),
            ("EC322", "绩效指标[3].指标[2].得分"),
            ("EC308", "绩效指标[3].指标[5].得分"),
            ("EC322", "绩效指标[3].指标[5].得分"),
        },
    ),
    "project-sichuan-daying-2023.yaml": (
        ("项目支出绩效自评表", "项目支出绩效自评表"),
        {
            ("EC319", "[0].绩效指标[0].指标[0].实际完成值"),
            ("EC318", "[0].总分.得分"),
            ("EC229", "[1].预算执行.说明"),
        },
    ),
    "project-sichuan-qingshen-2023.yaml": (
        ("项目支出绩效自评表",),
        {
            ("EC230", "年度总体目标.实际完成情况"),
            ("EC224", "预算执行.得分"),
            ("EC229", "预算执行.说明"),
            ("EC307", "绩效指标[0].指标[0].分值"),
            ("EC307", "绩效指标[1].指标[0].分值"),
            ("EC318", "总分.得分"),
        },
    ),
    "project-yunnan-yongde-2022.yaml": (
        ("项目支出绩效自评表",),
        {
            ("EC308", "绩效指标[0].指标[2].得分"),
            ("EC323", "绩效指标[0].指标[2].得分"),
            ("EC308", "绩效指标[1].指标[1].得分"),
        },
    ),
    "sangong-anhui-shouxian-sifa-2022.yaml": (
        ("三公经费说明",),
        {
            ("EC417", "正文数据.三公经费.公务用车运行维护费.本年预算数"),
            ("EC417", "正文数据.三公经费.公务用车购置费.本年预算数"),
        },
    ),
    "sangong-chongqing-fuling-jiaoshi-2020.yaml": (
        ("三公经费说明",),
        {
            ("EC507", "三公经费.合计.增减率"),
            ("EC510", "三公经费.合计.较预算增减率"),
        },
    ),
    "sangong-chongqing-jiangbei-2021.yaml": (("三公经费说明",), set()),
    "sangong-chongqing-tongliang-anju-2021.yaml": (
        ("三公经费说明",),
        {
            ("EC507", "三公经费.合计.增减率"),
        },
    ),
    "sangong-hunan-taojiang-2019.yaml": (("三公经费说明",), set()),
    "sangong-guangxi-guilin-sifa-2015.yaml": (
        ("三公经费说明",),
        {
            ("EC501", "三公经费.合计.本年预算数"),
            ("EC503", "三公经费.公务用车购置及运行维护费.本年预算数"),
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


# --- precision: each sample with its real inconsistencies repaired is clean ----------------------

# sample → (the figures repaired, as key path → value; the findings left, as (rule, key path)).
# Each repair is the value the hand arithmetic gives (see the README's sample section), or for a
# missing reason a reason; the rules must accept it and find nothing else.
REPAIRED: dict[str, tuple[dict[str, Any], set[tuple[str, str]]]] = {
    "budget-guangxi-wuzhou-2023.yaml": (
        {
            "预决算说明.支出.基本支出.明细.商品和服务支出.占比": "18.75%",
            "正文数据.预决算说明.支出.基本支出.本年预算数": "881300.39元",
        },
        set(),
    ),
    "budget-guangxi-wuzhou-2024.yaml": ({"预决算说明.支出.项目支出.占比": "15.94%"}, set()),
    "dept-anhui-shouxian-2023.yaml": ({}, set()),
    "dept-hunan-hengshan-guantang-2023.yaml": (
        {
            "人员编制.实际在职人数": 46,
            "人员编制.编制控制率": "100.00%",
            "经费控制情况.公用经费.本年预算数": 193.42,
            "预算执行.按支出性质分.基本支出": 1004.92,
        },
        set(),
    ),
    "final-gansu-tianshui-2017.yaml": (
        {"预决算说明.财政拨款.支出.一般公共预算财政拨款支出.完成预算": "103.32%"},
        set(),
    ),
    "final-sichuan-dayi-2022.yaml": ({"预决算说明.支出总计.增减率": "-38.29%"}, set()),
    "project-national-anhui-chizhou-2022.yaml": (
        {
            "预算执行.年初预算数": 90,
            "预算执行.全年预算数": 89.974,
            "预算执行.全年执行数": 89.974,
            "预算执行.执行率": "100%",
            "预算执行.得分": 10,
        },
        {
            ("EC544", "金额构成[1].合计"),  # a note within rounding, not a finding
            # the source row's adjustment 90 → 89.974 is real; the national form has no reason cell
            ("EC226", "预算执行.全年预算数"),
        },
    ),
    "project-national-hebei-langfang-2019.yaml": ({"预算执行.说明": "尾款未付"}, set()),
    "project-ningxia-yinchuan-2021.yaml": (
        {
            "绩效指标[1].指标[0].得分": 10,
            "绩效指标[2].指标[4].得分": 5,
            "绩效指标[3].指标[2].得分": 15,
            "绩效指标[3].指标[5].得分": 10,
        },
        set(),
    ),
    "project-sichuan-daying-2023.yaml": (
        {
            "[0].绩效指标[0].指标[0].实际完成值": "30",
            "[0].总分.得分": 100,
            "[1].预算执行.说明": "年中追加安可替代补助资金",
        },
        set(),
    ),
    "project-sichuan-qingshen-2023.yaml": (
        {
            "年度总体目标.实际完成情况": "工资按时足额发放",
            "预算执行.得分": 10,
            "预算执行.说明": "年中调整工资标准",
            "绩效指标[0].指标[0].实际完成值": "100%",
            "绩效指标[0].指标[0].得分": 60,
            "绩效指标[1].指标[0].实际完成值": "100%",
            "绩效指标[1].指标[0].得分": 30,
            "总分.得分": 100,
        },
        set(),
    ),
    "project-yunnan-yongde-2022.yaml": (
        {
            "绩效指标[0].指标[2].得分": 10,
            "绩效指标[1].指标[1].偏差原因分析及改进措施": "个别家长未知晓",
            "总分.得分": 99,
        },
        set(),
    ),
    "sangong-anhui-shouxian-sifa-2022.yaml": (
        {"三公经费.公务用车购置费.本年预算数": 25, "三公经费.公务用车运行维护费.本年预算数": 50},
        set(),
    ),
    "sangong-chongqing-fuling-jiaoshi-2020.yaml": (
        {"三公经费.合计.增减率": "-31.67%", "三公经费.合计.较预算增减率": "-8.89%"},
        set(),
    ),
    "sangong-chongqing-jiangbei-2021.yaml": ({}, set()),
    "sangong-chongqing-tongliang-anju-2021.yaml": ({"三公经费.合计.增减率": "-7.26%"}, set()),
    "sangong-hunan-taojiang-2019.yaml": ({}, set()),
    "sangong-guangxi-guilin-sifa-2015.yaml": (
        {
            "三公经费.合计.本年预算数": 34.35,
            "三公经费.公务用车购置及运行维护费.本年预算数": 32.65,
            "三公经费.公务用车购置及运行维护费.资金来源.公共预算财政拨款.本年预算数": 32.65,
        },
        set(),
    ),
}


def put(data: Any, path: str, value: Any) -> None:
    """Set ``a.b[1].c`` in plain data; the keys on the way must exist (a typo fails)."""
    steps: list[str | int] = []
    for part in path.split("."):
        name, _, rest = part.partition("[")
        if name:
            steps.append(name)
        steps += [int(i) for i in rest.rstrip("]").split("][")] if rest else []
    for step in steps[:-1]:
        data = data[step]
    last = steps[-1]
    assert isinstance(last, int) or last in data or path.endswith("说明"), path
    data[last] = value


def test_every_family_sample_has_a_repaired_copy() -> None:
    assert sorted(REPAIRED) == FAMILY


@pytest.mark.parametrize("name", FAMILY)
def test_a_repaired_sample_is_clean(name: str, tmp_path: Path) -> None:
    repairs, left = REPAIRED[name]
    data = load_path(SAMPLES / name).data
    for path, value in repairs.items():
        put(data, path, value)
    result = Checker(diagnose=False).check_report(data)
    assert result.error is None, result.error
    assert {(f.rule_id, f.path) for f in result.findings} == left


@pytest.mark.parametrize("name", FAMILY)
def test_a_family_sample_validates_against_the_schema(name: str) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(schema_text())
    # the file as a JSON Schema validator sees it (plain YAML: no Decimal)
    jsonschema.validate(yaml.safe_load((SAMPLES / name).read_text(encoding="utf-8")), schema)


def test_the_schema_takes_a_report_or_a_list_of_reports_as_evalcheck_does(tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(schema_text())
    jsonschema.validate({"项目名称": "甲"}, schema)
    jsonschema.validate([{"项目名称": "甲"}, {"项目名称": "乙"}], schema)
    for refused in ([], [1], ["甲"], 1):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(refused, schema)
        path = tmp_path / "r.json"
        path.write_text(json.dumps(refused), encoding="utf-8")
        assert Checker().check_path(path).error is not None, refused
