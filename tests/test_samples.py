"""The sample reports are faithful transcriptions of the two seed reports.

Every figure printed in the seeds' tables and budget/staffing paragraphs is listed below with
the snippet of seed text that prints it, where it lives in the model, and the value and
decimals the loaded sample must hold.  The snippets are checked against the extracted seed
text (table cells are tab-prefixed lines there), so a typo on either side fails.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from evalcheck.inputs import load_path
from evalcheck.report.model import Report, parse_report
from evalcheck.report.normalise import Figure, Target

ROOT = Path(__file__).parents[1]
SAMPLES = ROOT / "samples"
SEEDS = Path(__file__).parents[2] / "shared/seeds"

BEITA_SEED = "000_384c63691777f715.txt"
ZHANJIANG_SEED = "003_408d82924197efac.txt"
BEITA_JSON = "shaoyang-beita-2023.json"
BEITA_YAML = "shaoyang-beita-2023.yaml"
ZHANJIANG_JSON = "zhanjiang-2024.json"

SEED_OF = {BEITA_JSON: BEITA_SEED, ZHANJIANG_JSON: ZHANJIANG_SEED}

D = Decimal
S = "\u3000"  # ideographic space: the extraction left it in some table cells


class Printed(NamedTuple):
    """One printed figure: seed snippet, model path, printed text, exact value, decimals."""

    snippet: str
    path: str
    text: str
    value: Decimal
    decimals: int


# Indicator rows of the Beita 自评表 (附件1-2): snippets run from the 三级指标 cell to the figure.
_R1 = "组织离退休干部活动\n\t≥2\n\t2\n\t5"
_R2 = "开展党员、干部和人才工作的培训学习（期数）\n\t≥10\n\t10\n\t10"
_R3 = "公务员考录人次\n\t计划内\n\t达到预期目标\n\t5"
_R4 = "组织工作任务\n\t按上级及区委、区政府部署任务完成\n\t达到预期目标\n\t10"
_R5 = "工作完成时间\n\t2023年1-12月\n\t达到预期目标\n\t5"
_R6 = (
    "社会影响力\n\t为区委、区政府配备领导及后备干部提供保障，补充干部队伍的力量"
    "\n\t达到预期目标\n\t10"
)
_R7 = "领导干部履职能力\n\t明显提升\n\t达到预期目标\n\t5"
_R8 = "党组织工作影响力\n\t明显提升\n\t达到预期目标\n\t5"
_R9 = "单位人员满意度\n\t≥98%\n\t99%\n\t5"
_R10 = "社会公众满意度\n\t≥95%\n\t98%\n\t10"
_R11 = "离退休干部服务满意度\n\t≥95%\n\t95%\n\t5"
_R12 = "成本控制有效性\n\t控制在预算范围内\n\t控制在合理预算范围\n\t15"

_IND = "indicators[{}].rows[{}]"

BEITA: list[Printed] = [
    # --- narrative: （2）人员编制情况 -----------------------------------------------------
    Printed("编制人数19", "staffing.establishment", "19", D(19), 0),
    Printed("实际人数19", "staffing.in_post", "19", D(19), 0),
    Printed("离退休 0", "staffing.retired", "0", D(0), 0),
    Printed("遗属补助人数2", "staffing.survivors", "2", D(2), 0),
    # --- narrative: （一）预算执行、使用、管理总体情况 ------------------------------------
    Printed("财政预算拨款收入为586.88", "funds.fiscal_appropriation", "586.88", D("586.88"), 2),
    Printed("年初预算数为262.78", "execution.initial_budget", "262.78", D("262.78"), 2),
    Printed("2023年度实际支出586.88", "execution.executed", "586.88", D("586.88"), 2),
    Printed("（基本支出586.88", "execution.by_spending.basic", "586.88", D("586.88"), 2),
    Printed("、项目支出0", "execution.by_spending.project", "0", D(0), 0),
    Printed("一般公共服务支出489.91", "by_function[一般公共服务支出]", "489.91", D("489.91"), 2),
    Printed("社会保障和就业支出18.75", "by_function[社会保障和就业支出]", "18.75", D("18.75"), 2),
    Printed("卫生健康支出18.78", "by_function[卫生健康支出]", "18.78", D("18.78"), 2),
    Printed("农林水支出42.51", "by_function[农林水支出]", "42.51", D("42.51"), 2),
    Printed("住房保障支出16.92", "by_function[住房保障支出]", "16.92", D("16.92"), 2),
    # --- narrative: 1.基本支出情况 / 2.项目支出情况 ---------------------------------------
    Printed("基本支出年初预算安排为262.78", "basic.initial_budget", "262.78", D("262.78"), 2),
    Printed("本年实际支出为586.88", "basic.final", "586.88", D("586.88"), 2),
    Printed("人员经费支出303.93", "basic.personnel", "303.93", D("303.93"), 2),
    Printed("公用经费支出282.95", "basic.operating", "282.95", D("282.95"), 2),
    Printed("项目支出年初预算安排为40.8", "projects.initial_budget", "40.8", D("40.8"), 1),
    Printed("本年实际支出为0", "projects.final", "0", D(0), 0),
    # --- narrative: （三）"三公"经费使用和管理情况 ----------------------------------------
    # (its 公务用车购置及运行维护费 0/0 has no slot: the 附件1-1 cells it would share are blank)
    Printed("“三公”经费预算数为0.5", "cost_control.three_public.budget", "0.5", D("0.5"), 1),
    Printed(
        "“三公”经费预算数为0.5万元，决算数为0", "cost_control.three_public.final", "0", D(0), 0
    ),
    Printed(
        "公务接待费预算数0.5", "cost_control.three_public.reception.budget", "0.5", D("0.5"), 1
    ),
    Printed(
        "公务接待费预算数0.5万元，决算数0",
        "cost_control.three_public.reception.final",
        "0",
        D(0),
        0,
    ),
    # --- narrative: （一）综合评价结论 ----------------------------------------------------
    Printed("自评分数为96", "self_score", "96", D(96), 0),
    # --- 附件1-1 财政供养人员情况 ----------------------------------------------------------
    Printed(f"控制率\n\n\t\n\t{S}19", "staffing.establishment", "19", D(19), 0),
    Printed(f"控制率\n\n\t\n\t{S}19\n\t{S}19", "staffing.in_post", "19", D(19), 0),
    Printed(f"\t{S}19\n\t100%", "staffing.control_rate", "100%", D("1.00"), 2),
    # --- 附件1-1 经费控制情况 ---------------------------------------------------------------
    Printed("三公经费\n\t0.09", "cost_control.three_public.last_year_final", "0.09", D("0.09"), 2),
    Printed("三公经费\n\t0.09\n\t0.5", "cost_control.three_public.budget", "0.5", D("0.5"), 1),
    Printed(f"三公经费\n\t0.09\n\t0.5\n\t{S}0", "cost_control.three_public.final", "0", D(0), 0),
    Printed(
        "3、公务接待\n\t0.09",
        "cost_control.three_public.reception.last_year_final",
        "0.09",
        D("0.09"),
        2,
    ),
    Printed(
        "3、公务接待\n\t0.09\n\t0.5",
        "cost_control.three_public.reception.budget",
        "0.5",
        D("0.5"),
        1,
    ),
    Printed(
        "3、公务接待\n\t0.09\n\t0.5\n\t0", "cost_control.three_public.reception.final", "0", D(0), 0
    ),
    Printed("项目支出：\n\t0", "cost_control.projects.last_year_final", "0", D(0), 0),
    Printed("项目支出：\n\t0\n\t40.8", "cost_control.projects.budget", "40.8", D("40.8"), 1),
    Printed("项目支出：\n\t0\n\t40.8\n\t0", "cost_control.projects.final", "0", D(0), 0),
    Printed(
        "1、业务工作经费\n\t\n\t40.8", "cost_control.projects.items[0].budget", "40.8", D("40.8"), 1
    ),
    Printed(
        "\t公用经费\n\t291.14", "cost_control.operating.last_year_final", "291.14", D("291.14"), 2
    ),
    Printed(
        "\t公用经费\n\t291.14\n\t24.95", "cost_control.operating.budget", "24.95", D("24.95"), 2
    ),
    Printed(
        "\t公用经费\n\t291.14\n\t24.95\n\t282.95",
        "cost_control.operating.final",
        "282.95",
        D("282.95"),
        2,
    ),
    Printed(
        "其中：办公费\n\t18.71",
        "cost_control.operating.items[0].last_year_final",
        "18.71",
        D("18.71"),
        2,
    ),
    Printed(
        "其中：办公费\n\t18.71\n\t\n\t26.51",
        "cost_control.operating.items[0].final",
        "26.51",
        D("26.51"),
        2,
    ),
    Printed(
        "水费、电费、差旅费\n\t8.13",
        "cost_control.operating.items[1].last_year_final",
        "8.13",
        D("8.13"),
        2,
    ),
    Printed(
        "水费、电费、差旅费\n\t8.13\n\t\n\t8.32",
        "cost_control.operating.items[1].final",
        "8.32",
        D("8.32"),
        2,
    ),
    Printed(
        "会议费、培训费\n\t36.13",
        "cost_control.operating.items[2].last_year_final",
        "36.13",
        D("36.13"),
        2,
    ),
    Printed(
        "会议费、培训费\n\t36.13\n\t\n\t28.33",
        "cost_control.operating.items[2].final",
        "28.33",
        D("28.33"),
        2,
    ),
    Printed(
        "政府采购金额\n\t151.65",
        "cost_control.procurement.last_year_final",
        "151.65",
        D("151.65"),
        2,
    ),
    Printed(
        "政府采购金额\n\t151.65\n\t\n\t102.71",
        "cost_control.procurement.final",
        "102.71",
        D("102.71"),
        2,
    ),
    # --- 附件1-2 年度资金总额 ---------------------------------------------------------------
    Printed("年度资金总额\n\t262.78", "execution.initial_budget", "262.78", D("262.78"), 2),
    Printed(
        "年度资金总额\n\t262.78\n\t586.88", "execution.full_year_budget", "586.88", D("586.88"), 2
    ),
    Printed(
        "年度资金总额\n\t262.78\n\t586.88\n\t586.88", "execution.executed", "586.88", D("586.88"), 2
    ),
    Printed("\t586.88\n\t586.88\n\t10", "execution.max_points", "10", D(10), 0),
    Printed("\t586.88\n\t10\n\t100.00%", "execution.rate", "100.00%", D("1.0000"), 4),
    Printed("\t100.00%\n\t10.00", "execution.points", "10.00", D("10.00"), 2),
    Printed("一般公共预算：586.88", "execution.by_income.general_budget", "586.88", D("586.88"), 2),
    Printed("政府性基金拨款：0", "execution.by_income.government_funds", "0", D(0), 0),
    Printed("纳入专户管理的非税收入拨款：0", "execution.by_income.special_account", "0", D(0), 0),
    Printed("其他资金：0", "execution.by_income.other", "0", D(0), 0),
    Printed("其中：基本支出：586.88", "execution.by_spending.basic", "586.88", D("586.88"), 2),
    Printed("\t项目支出：0", "execution.by_spending.project", "0", D(0), 0),
    # --- 附件1-2 绩效指标: subtotals in the 一级指标 headings --------------------------------
    Printed("产出指标\n（35", "indicators[0].max_points", "35", D(35), 0),
    Printed("效益指标\n（20", "indicators[1].max_points", "20", D(20), 0),
    Printed("满意度\n指标\n（20", "indicators[2].max_points", "20", D(20), 0),
    Printed("成本指标（15", "indicators[3].max_points", "15", D(15), 0),
    # --- 附件1-2 绩效指标: rows (年度指标值 / 实际完成值 when numeric, 分值, 得分) ------------
    Printed(_R1[: _R1.index("\n\t2\n")], _IND.format(0, 0) + ".target", "≥2", D(2), 0),
    Printed(_R1[: _R1.rindex("\n\t5")], _IND.format(0, 0) + ".actual", "2", D(2), 0),
    Printed(_R1, _IND.format(0, 0) + ".max_points", "5", D(5), 0),
    Printed(_R1 + "\n\t5", _IND.format(0, 0) + ".points", "5", D(5), 0),
    Printed(_R2[: _R2.index("\n\t10\n")], _IND.format(0, 1) + ".target", "≥10", D(10), 0),
    Printed(_R2[: _R2.rindex("\n\t10")], _IND.format(0, 1) + ".actual", "10", D(10), 0),
    Printed(_R2, _IND.format(0, 1) + ".max_points", "10", D(10), 0),
    Printed(_R2 + "\n\t10", _IND.format(0, 1) + ".points", "10", D(10), 0),
    Printed(_R3, _IND.format(0, 2) + ".max_points", "5", D(5), 0),
    Printed(_R3 + "\n\t5", _IND.format(0, 2) + ".points", "5", D(5), 0),
    Printed(_R4, _IND.format(0, 3) + ".max_points", "10", D(10), 0),
    Printed(_R4 + "\n\t9", _IND.format(0, 3) + ".points", "9", D(9), 0),
    Printed(_R5, _IND.format(0, 4) + ".max_points", "5", D(5), 0),
    Printed(_R5 + "\n\t5", _IND.format(0, 4) + ".points", "5", D(5), 0),
    Printed(_R6, _IND.format(1, 1) + ".max_points", "10", D(10), 0),
    Printed(_R6 + "\n\t9", _IND.format(1, 1) + ".points", "9", D(9), 0),
    Printed(_R7, _IND.format(1, 2) + ".max_points", "5", D(5), 0),
    Printed(_R7 + "\n\t5", _IND.format(1, 2) + ".points", "5", D(5), 0),
    Printed(_R8, _IND.format(1, 3) + ".max_points", "5", D(5), 0),
    Printed(_R8 + "\n\t4", _IND.format(1, 3) + ".points", "4", D(4), 0),
    Printed(_R9[: _R9.index("\n\t99%")], _IND.format(2, 0) + ".target", "≥98%", D("0.98"), 2),
    Printed(_R9[: _R9.rindex("\n\t5")], _IND.format(2, 0) + ".actual", "99%", D("0.99"), 2),
    Printed(_R9, _IND.format(2, 0) + ".max_points", "5", D(5), 0),
    Printed(_R9 + "\n\t5", _IND.format(2, 0) + ".points", "5", D(5), 0),
    Printed(_R10[: _R10.index("\n\t98%")], _IND.format(2, 1) + ".target", "≥95%", D("0.95"), 2),
    Printed(_R10[: _R10.rindex("\n\t10")], _IND.format(2, 1) + ".actual", "98%", D("0.98"), 2),
    Printed(_R10, _IND.format(2, 1) + ".max_points", "10", D(10), 0),
    Printed(_R10 + "\n\t10", _IND.format(2, 1) + ".points", "10", D(10), 0),
    Printed(_R11[: _R11.index("\n\t95%")], _IND.format(2, 2) + ".target", "≥95%", D("0.95"), 2),
    Printed(_R11[: _R11.rindex("\n\t5")], _IND.format(2, 2) + ".actual", "95%", D("0.95"), 2),
    Printed(_R11, _IND.format(2, 2) + ".max_points", "5", D(5), 0),
    Printed(_R11 + "\n\t5", _IND.format(2, 2) + ".points", "5", D(5), 0),
    Printed(_R12, _IND.format(3, 1) + ".max_points", "15", D(15), 0),
    Printed(_R12 + "\n\t14", _IND.format(3, 1) + ".points", "14", D(14), 0),
    Printed("总分\n\t100", "total.max_points", "100", D(100), 0),
    Printed("总分\n\t100\n\t96", "total.points", "96", D(96), 0),
]

ZHANJIANG: list[Printed] = [
    Printed("总编制70", "staffing.establishment", "70", D(70), 0),
    Printed("行政编制61", "staffing.establishment_parts[行政编制]", "61", D(61), 0),
    Printed("行政工勤编制9", "staffing.establishment_parts[行政工勤编制]", "9", D(9), 0),
    Printed("2024年末在职人数51", "staffing.in_post", "51", D(51), 0),
    Printed("离退休人数18", "staffing.retired", "18", D(18), 0),
    Printed("本年收入合计2796.62", "funds.income_total", "2796.62", D("2796.62"), 2),
    Printed("年初结转和结余0", "funds.carried_in", "0", D(0), 0),
    Printed("本年支出合计2779.36", "funds.expenditure_total", "2779.36", D("2779.36"), 2),
    Printed("年末结转和结余17.26万", "funds.carried_out", "17.26万", D("17.26"), 2),
    Printed("固定资产利用率为100％", "fixed_asset_use_rate", "100％", D("1.00"), 2),
    Printed("自评工作小组共13", "team_size", "13", D(13), 0),
    Printed("自评分数为100", "self_score", "100", D(100), 0),
]

FIGURES: list[tuple[str, Printed]] = [(BEITA_JSON, p) for p in BEITA] + [
    (ZHANJIANG_JSON, p) for p in ZHANJIANG
]

# Cells the Beita 附件1-1 prints blank ("　", "" or "——"): they must stay absent, never zero.
_VEHICLES = "cost_control.three_public.vehicles"
BEITA_BLANKS: list[tuple[str, str]] = [
    (f"公务用车购置和维护经费\n\t{S}\n\t{S}\n\t{S}", f"{_VEHICLES}.last_year_final"),
    (f"公务用车购置和维护经费\n\t{S}\n\t{S}\n\t{S}", f"{_VEHICLES}.budget"),
    (f"公务用车购置和维护经费\n\t{S}\n\t{S}\n\t{S}", f"{_VEHICLES}.final"),
    (f"公车购置\n\t{S}\n\t{S}\n\t{S}", f"{_VEHICLES}.purchase.budget"),
    (f"公车运行维护\n\t{S}\n\t{S}\n\t{S}", f"{_VEHICLES}.running.budget"),
    (f"2、出国经费\n\t{S}\n\t{S}\n\t{S}", "cost_control.three_public.abroad.budget"),
    ("1、业务工作经费\n\t\n", "cost_control.projects.items[0].last_year_final"),
    (f"2、运行维护经费\n\t{S}\n\t{S}\n\t{S}", "cost_control.projects.items[1].budget"),
    ("其中：办公费\n\t18.71\n\t\n", "cost_control.operating.items[0].budget"),
    ("政府采购金额\n\t151.65\n\t\n", "cost_control.procurement.budget"),
    ("部门基本支出预算调整 \n\t——", "cost_control.basic_adjustment.last_year_final"),
    (f"部门基本支出预算调整 \n\t——\n\t{S}", "cost_control.basic_adjustment.budget"),
    (f"投资概算控制率\n\n\t\n\t{S}", "buildings.approved_area"),
    (f"投资概算控制率\n\n\t\n\t{S}", "buildings.investment_control_rate"),
]

# Text fields printed once in the seeds.
TEXTS: list[tuple[str, str, str, str]] = [
    (BEITA_JSON, "填报单位：中共邵阳市北塔区委组织部", "unit", "中共邵阳市北塔区委组织部"),
    (BEITA_JSON, "填表人：刘飞飞", "filed_by", "刘飞飞"),
    (BEITA_JSON, "填报日期：2024年7月30日", "filed_on", "2024年7月30日"),
    (BEITA_JSON, "联系电话：13975939183", "phone", "13975939183"),
    (BEITA_JSON, "绩效评价等次为“优秀”", "grade", "优秀"),
    (BEITA_JSON, "2023年度部门整体支出绩效自评分数", "year", "2023"),
    (ZHANJIANG_JSON, "评价单位：中共湛江市委组织部本级", "unit", "中共湛江市委组织部本级"),
    (ZHANJIANG_JSON, "（公章）：中共湛江市委组织部", "department", "中共湛江市委组织部"),
    (ZHANJIANG_JSON, "评价年度：2024年度", "year", "2024"),
    (ZHANJIANG_JSON, "填报日期：2025年5月14日", "filed_on", "2025年5月14日"),
    (ZHANJIANG_JSON, "自评等级为优秀", "grade", "优秀"),
]


# --- helpers --------------------------------------------------------------------------------


@cache
def seed_text(name: str) -> str:
    return (SEEDS / name).read_text("utf-8")


def require_seeds() -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"seed texts not available at {SEEDS}; sample values are still checked")


def read_json(name: str) -> Any:
    return json.loads((SAMPLES / name).read_text("utf-8"), parse_float=Decimal, parse_int=Decimal)


@cache
def sample(name: str) -> Report:
    return Report.model_validate(read_json(name))


_STEP = re.compile(r"\.?(\w+)|\[([^\]]+)\]")


def resolve(report: Report, path: str) -> Any:
    """Follow ``a.b[0].c`` or ``by_function[农林水支出]`` from the report; None when absent."""
    node: Any = report
    position = 0
    while position < len(path):
        step = _STEP.match(path, position)
        assert step is not None, f"bad path {path!r} at {position}"
        position = step.end()
        if node is None:
            return None
        attribute, key = step.groups()
        if attribute is not None:
            node = getattr(node, attribute)
        elif isinstance(node, list):
            node = node[int(key)] if int(key) < len(node) else None
        else:
            node = node.get(key)
    return node


def figure_at(report: Report, path: str) -> tuple[Figure | None, str | None]:
    """The figure at ``path`` and its text as written (a Target keeps its comparison sign)."""
    node = resolve(report, path)
    if node is None:
        return None, None
    if isinstance(node, Target):
        return node.figure, node.text
    assert isinstance(node, Figure), f"{path} holds {type(node).__name__}, not a figure"
    return node, node.text


def _id(entry: tuple[str, Printed]) -> str:
    name, printed = entry
    return f"{name.split('-')[0]}:{printed.path}={printed.text}"


# --- figures ----------------------------------------------------------------------------------


def test_figure_counts() -> None:
    assert len(BEITA) >= 80
    assert len(ZHANJIANG) >= 10
    assert len({(p.path, p.snippet) for p in BEITA}) == len(BEITA)


@pytest.mark.parametrize("entry", FIGURES, ids=[_id(e) for e in FIGURES])
def test_snippet_prints_figure(entry: tuple[str, Printed]) -> None:
    name, printed = entry
    assert printed.snippet.endswith(printed.text), "the snippet must end with the printed figure"
    require_seeds()
    assert printed.snippet in seed_text(SEED_OF[name])


@pytest.mark.parametrize("entry", FIGURES, ids=[_id(e) for e in FIGURES])
def test_sample_holds_figure(entry: tuple[str, Printed]) -> None:
    name, printed = entry
    figure, text = figure_at(sample(name), printed.path)
    assert figure is not None, f"{printed.path} is missing"
    assert text == printed.text
    assert figure.value == printed.value
    assert figure.decimals == printed.decimals


@pytest.mark.parametrize(("snippet", "path"), BEITA_BLANKS, ids=[p for _, p in BEITA_BLANKS])
def test_blank_cells_stay_absent(snippet: str, path: str) -> None:
    assert resolve(sample(BEITA_JSON), path) is None
    require_seeds()
    assert snippet in seed_text(BEITA_SEED)


def test_placeholder_rows_kept() -> None:
    groups = sample(BEITA_JSON).indicators
    assert groups is not None
    layout = [
        (group.level1, [(row.level2, row.level3) for row in group.rows or []]) for group in groups
    ]
    assert layout == [
        (
            "产出指标",
            [
                ("数量指标", "组织离退休干部活动"),
                ("数量指标", "开展党员、干部和人才工作的培训学习（期数）"),
                ("数量指标", "公务员考录人次"),
                ("质量指标", "组织工作任务"),
                ("时效指标", "工作完成时间"),
            ],
        ),
        (
            "效益指标",
            [
                ("经济效益指标", None),
                ("社会效益指标", "社会影响力"),
                ("社会效益指标", "领导干部履职能力"),
                ("社会效益指标", "党组织工作影响力"),
                ("生态效益指标", None),
                ("可持续影响指标", None),
            ],
        ),
        (
            "满意度指标",
            [
                ("服务对象满意度指标", "单位人员满意度"),
                ("服务对象满意度指标", "社会公众满意度"),
                ("服务对象满意度指标", "离退休干部服务满意度"),
            ],
        ),
        (
            "成本指标",
            [
                ("经济成本指标", None),
                ("社会成本指标", "成本控制有效性"),
                ("生态环境成本指标", None),
            ],
        ),
    ]


# --- texts ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "snippet", "path", "expected"), TEXTS)
def test_text_fields(name: str, snippet: str, path: str, expected: str) -> None:
    assert resolve(sample(name), path) == expected
    require_seeds()
    assert snippet in seed_text(SEED_OF[name])


@pytest.mark.parametrize("name", [BEITA_JSON, ZHANJIANG_JSON])
def test_narrative_is_verbatim(name: str) -> None:
    sections = sample(name).narrative
    assert sections
    require_seeds()
    text = seed_text(SEED_OF[name])
    for section in sections:
        assert section.heading is None or section.heading in text
        for line in (section.body or "").split("\n"):
            assert line in text


def test_samples_have_no_unknown_keys() -> None:
    for name in (BEITA_JSON, ZHANJIANG_JSON):
        data = read_json(name)
        assert data["$schema"] == "../schema/report.schema.json"
        assert sample(name).model_extra == {}


# --- YAML -------------------------------------------------------------------------------------


def test_yaml_matches_json() -> None:
    from_yaml = parse_report(load_path(SAMPLES / BEITA_YAML))
    from_json = parse_report(load_path(SAMPLES / BEITA_JSON))
    assert from_yaml.model_dump() == sample(BEITA_JSON).model_dump()
    assert from_json.model_dump() == sample(BEITA_JSON).model_dump()
    assert from_yaml == from_json
