"""Generate realistic synthetic 部门整体支出绩效自评报告 for benchmarking evalcheck.

Usage: ``python bench/generate.py N DIR [--seed S] [--jobs J] [--narrative]``

Each report is built in the canonical format (see ``evalcheck/model.py`` and
``samples/shaoyang-beita-2023.json``) with every section filled, 15–60 indicator rows in
3–5 一级指标 groups, and amounts in 万元 with two decimals that add up exactly: parts are drawn
first (in integer cents) and totals are their sums, so a clean report passes every
``error`` rule.  Three reports in ten carry exactly one injected error, cycling through
:data:`ERROR_KINDS`, so the failing path (findings, positions, messages) is measured too.

With ``--narrative`` the 正文 also restates figures of the tables, as real narratives do
(:func:`narrate`: staffing, budget and spending, 基本支出, 项目支出, "三公"经费, 收支, functional
classes, 自评分数, each with its own probability); the tables are the same either way.

Report ``i`` depends only on ``(seed, i)``: the output is byte-identical whatever ``--jobs``
is.  Files go to ``DIR/0000/report-0000000.json`` … with at most 1,000 files per folder.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

_encode_str = json.encoder.encode_basestring  # type: ignore[attr-defined]

__all__ = [
    "ERROR_KINDS",
    "FILES_PER_FOLDER",
    "generate",
    "injected_error",
    "make_report",
    "report_path",
]

FILES_PER_FOLDER = 1000
FAULTY_SLOTS = (2, 5, 8)  # report i is faulty when i % 10 is one of these: 30 %

Report = dict[str, Any]

# --- vocabulary -------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    """A word list written as one string: long Chinese lists stay readable in the source."""
    return text.split()


CITIES = _words(
    "邵阳市 湛江市 株洲市 衡阳市 岳阳市 常德市 益阳市 郴州市 永州市 怀化市 娄底市 湘潭市 "
    "茂名市 肇庆市 韶关市 梅州市"
)
DISTRICTS = [
    "",  # a city-level unit
    *_words("北塔区 双清区 大祥区 赤坎区 霞山区 天元区 石鼓区 岳阳楼区 武陵区 赫山区 北湖区"),
    *_words("冷水滩区 鹤城区 娄星区 雨湖区"),
]
AGENCIES = _words(
    "委组织部 委宣传部 发展和改革局 教育局 科学技术局 民政局 司法局 财政局 "
    "人力资源和社会保障局 自然资源局 生态环境局 住房和城乡建设局 交通运输局 水利局 农业农村局 "
    "商务局 文化旅游广电体育局 卫生健康委员会 应急管理局 审计局 市场监督管理局 统计局 "
    "医疗保障局 林业局"
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华飞玲红燕鹏辉建国志文"

ESTABLISHMENT_KINDS = _words("行政编制 事业编制 行政工勤编制 参照公务员法管理事业编制")
INCOME_KINDS = _words("一般公共预算 政府性基金 纳入专户管理的非税收入 其他资金")
FUNCTION_SUBJECTS = _words(
    "一般公共服务支出 公共安全支出 教育支出 科学技术支出 文化旅游体育与传媒支出 "
    "社会保障和就业支出 卫生健康支出 节能环保支出 城乡社区支出 农林水支出 交通运输支出 "
    "住房保障支出"
)
PROJECT_ITEMS = _words(
    "业务工作经费 运行维护经费 市级专项资金 其他事业类发展资金 信息化建设经费 "
    "专项业务培训经费 基础设施维修经费"
)
OPERATING_ITEMS = _words(
    "办公费 水费、电费、差旅费 会议费、培训费 印刷费 邮电费 物业管理费 维修（护）费"
)

# 一级指标 → its 二级指标; the weights follow the central (3 groups), Hunan (4) and an
# extended (5) template, each summing to 90 with 10 points for 预算执行率.
LEVEL2 = {
    "产出指标": ["数量指标", "质量指标", "时效指标"],
    "效益指标": ["经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"],
    "满意度指标": ["服务对象满意度指标"],
    "成本指标": ["经济成本指标", "社会成本指标", "生态环境成本指标"],
    "管理效率指标": ["预算管理", "资产管理", "财务管理"],
}
GROUP_WEIGHTS = {
    3: [("产出指标", 50), ("效益指标", 30), ("满意度指标", 10)],
    4: [("产出指标", 35), ("效益指标", 20), ("满意度指标", 20), ("成本指标", 15)],
    5: [
        ("产出指标", 30),
        ("效益指标", 20),
        ("满意度指标", 15),
        ("成本指标", 15),
        ("管理效率指标", 10),
    ],
}
INDICATOR_TOPICS = _words(
    "组织工作任务 培训学习期数 公务员考录人次 工作完成时间 社会影响力 领导干部履职能力 "
    "党组织工作影响力 单位人员满意度 社会公众满意度 服务对象满意度 成本控制有效性 "
    "信息化平台建设 政策宣传覆盖率 督查督办完成率 档案规范化管理 制度建设完善度 "
    "项目按期完成率 资金拨付及时率 问题整改完成率 群众来信办结率 专项检查次数 固定资产利用率 "
    "公用经费控制率 三公经费变动率 安全生产事故数"
)
QUALITATIVE_TARGETS = _words(
    "计划内 明显提升 按上级部署任务完成 控制在预算范围内 有效保障 持续改善 全年"
)
GOALS = _words(
    "加强干部队伍建设，优化干部队伍结构 推进基层组织建设，提高基层工作水平 "
    "提高工作信息化水平，建立健全信息化体系 加强预算管理，提高资金使用效益 "
    "落实厉行节约要求，严控一般性支出 完善内部控制制度，规范财务管理 "
    "做好重点项目保障，确保按期完成 提升服务对象满意度"
)
SENTENCES = [
    "本单位严格按照年初预算安排支出，预算执行情况总体良好。",
    "全年未发生超预算支出情况，三公经费控制在预算范围内。",
    "建立健全了财务管理、资产管理和内部控制等各项制度，确保资金使用规范。",
    "对照年初设定的绩效目标，逐项核对完成情况，各项指标基本达到预期。",
    "部分项目资金下达较晚，导致支出进度不够均衡。",
    "预算绩效管理的指标体系还不够完善，部分指标的可衡量性有待提高。",
    "下一步将加强预算执行的监控和管理，建立健全预算执行进度通报机制。",
    "进一步完善绩效指标体系，科学合理地设置指标，提高指标的可操作性。",
    "加强资产清查盘点，及时掌握资产的数量、价值和使用状况。",
    "政府采购严格执行集中采购目录和限额标准，做到应采尽采。",
    "定期开展财务自查，对发现的问题及时整改到位。",
    "通过组织学习、内部会议等形式，增强全体干部的节约意识。",
    "项目实施过程中严格执行项目管理制度，确保项目质量和进度。",
    "社会效益方面，促进了区域经济社会的协调发展，群众满意度明显提高。",
]
SECTION_HEADINGS = _words(
    "一、部门基本情况 二、部门整体支出绩效目标 三、预算执行情况 四、绩效目标完成情况 "
    "五、资产管理 六、职责履行 七、履职效益 八、存在的问题及原因分析 九、下一步改进措施 "
    "十、其他需要说明的情况"
)
REASONS = [
    "个别任务因上级政策调整延期完成，已建立台账督办。",
    "部分工作进度滞后，下一步将加强统筹调度。",
    "受客观因素影响未完全达到目标，将完善工作机制。",
    "资金下达较晚影响实施进度，将提前谋划项目。",
]


# --- numbers ----------------------------------------------------------------------------------


def amount(cents: int) -> int | float:
    """Cents as a JSON number: ``0`` or the shortest float, which prints as the decimal itself."""
    return 0 if cents == 0 else cents / 100


def percent(numerator: int, denominator: int) -> str:
    """A ratio printed the way the forms print it: two decimals and a percent sign."""
    value = Decimal(numerator * 100) / Decimal(denominator)
    return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}%"


def points(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def split(total: int, parts: int, rng: random.Random, floor: float = 0.05) -> list[int]:
    """``parts`` non-negative integers summing exactly to ``total``, the first one the largest."""
    weights = sorted((rng.random() + floor for _ in range(parts)), reverse=True)
    scale = sum(weights)
    shares = [int(total * w / scale) for w in weights]
    shares[0] += total - sum(shares)
    return shares


def fraction(total: int, low: float, high: float, rng: random.Random) -> int:
    return int(total * rng.uniform(low, high))


def columns(last: int, budget: int, final: int) -> dict[str, int | float]:
    return {"上年决算数": amount(last), "本年预算数": amount(budget), "本年决算数": amount(final)}


def grade(score: Decimal) -> str:
    if score >= 90:
        return "优秀"
    if score >= 80:
        return "良好"
    return "中" if score >= 60 else "差"


# --- one report -------------------------------------------------------------------------------


def _text(rng: random.Random, sentences: int) -> str:
    return "".join(rng.choice(SENTENCES) for _ in range(sentences))


def _staffing(rng: random.Random) -> Report:
    kinds = rng.sample(ESTABLISHMENT_KINDS, rng.randint(1, 3))
    parts = [rng.randint(3, 120) for _ in kinds]
    establishment = sum(parts)
    in_post = establishment - rng.randint(0, max(0, establishment // 5))
    return {
        "编制数": establishment,
        "编制构成": dict(zip(kinds, parts, strict=True)),
        "实际在职人数": in_post,
        "编制控制率": percent(in_post, establishment),
        "离退休人数": rng.randint(0, 40),
        "遗属补助人数": rng.randint(0, 5),
    }


def _indicator_row(
    rng: random.Random, level2: str, topic: str, max_points: int, deducted: bool
) -> Report:
    row: Report = {"二级指标": level2, "三级指标": topic}
    kind = rng.randrange(3)
    if kind == 0:  # a count: ≥N
        target = rng.randint(2, 50)
        actual = target + rng.randint(0, 5) if not deducted else target - rng.randint(1, 2)
        row["年度指标值"], row["实际完成值"] = f"≥{target}", str(actual)
    elif kind == 1:  # a percentage: ≥P%
        target = rng.choice([90, 95, 98])
        actual = rng.randint(target, 100) if not deducted else target - rng.randint(1, 5)
        row["年度指标值"], row["实际完成值"] = f"≥{target}%", f"{actual}%"
    else:
        row["年度指标值"] = rng.choice(QUALITATIVE_TARGETS)
        row["实际完成值"] = "部分完成" if deducted else "达到预期目标"
    row["分值"] = max_points
    if deducted and kind < 2:  # a missed number: scored in proportion (完成值 ÷ 指标值 × 分值)
        share = Decimal(actual) / Decimal(target)
        row["得分"] = points((Decimal(max_points) * share).quantize(Decimal("0.1"), ROUND_DOWN))
        row["偏差原因分析及改进措施"] = rng.choice(REASONS)
    elif deducted:
        loss = min(Decimal(max_points), Decimal(rng.choice(["0.5", "1", "1", "2"])))
        row["得分"] = points(Decimal(max_points) - loss)
        row["偏差原因分析及改进措施"] = rng.choice(REASONS)
    else:
        row["得分"] = max_points
    return row


def _indicators(rng: random.Random) -> list[Report]:
    weights = GROUP_WEIGHTS[rng.randint(3, 5)]
    rows_wanted = rng.randint(15, 60)
    counts = [min(p, max(1, round(rows_wanted * p / 90))) for _, p in weights]
    groups: list[Report] = []
    deducted_somewhere = False
    for (level1, group_points), count in zip(weights, counts, strict=True):
        cuts = sorted(rng.sample(range(1, group_points), count - 1))
        row_points = [b - a for a, b in zip([0, *cuts], [*cuts, group_points], strict=True)]
        rows = []
        for i, p in enumerate(row_points):
            deducted = rng.random() < 0.15 or (not deducted_somewhere and i == 0)
            deducted_somewhere |= deducted
            level2 = rng.choice(LEVEL2[level1])
            rows.append(_indicator_row(rng, level2, rng.choice(INDICATOR_TOPICS), p, deducted))
        if rng.random() < 0.3:  # a placeholder row left empty, as on the printed forms
            rows.append({"二级指标": rng.choice(LEVEL2[level1])})
        groups.append({"一级指标": level1, "分值": group_points, "指标": rows})
    return groups


def _cost_control(
    rng: random.Random, project_budget: int, project_final: int, operating_final: int
) -> Report:
    def three_columns(scale: int) -> tuple[int, int, int]:
        budget = rng.randint(0, scale)
        return rng.randint(0, scale), budget, fraction(budget, 0.5, 1.0, rng)

    purchase, running = three_columns(30_00), three_columns(50_00)
    abroad, reception = three_columns(5_00), three_columns(20_00)
    vehicles = tuple(a + b for a, b in zip(purchase, running, strict=True))
    three_public = tuple(a + b + c for a, b, c in zip(vehicles, abroad, reception, strict=True))
    project_last = fraction(project_budget, 0.7, 1.3, rng)
    project_totals = (project_last, project_budget, project_final)
    item_names = rng.sample(PROJECT_ITEMS, rng.randint(2, 5))
    item_columns = [split(fraction(t, 0.8, 1.0, rng), len(item_names), rng) for t in project_totals]
    operating_budget = fraction(operating_final, 1.0, 1.1, rng)
    operating_last = fraction(operating_final, 0.8, 1.2, rng)
    operating_totals = (operating_last, operating_budget, operating_final)
    spent_names = rng.sample(OPERATING_ITEMS, rng.randint(3, 5))
    spent_columns = [
        split(fraction(t, 0.3, 0.9, rng), len(spent_names), rng) for t in operating_totals
    ]
    return {
        "三公经费": {
            **columns(*three_public),
            "公务用车购置及运行维护费": {
                **columns(*vehicles),
                "公车购置": columns(*purchase),
                "公车运行维护": columns(*running),
            },
            "出国经费": columns(*abroad),
            "公务接待": columns(*reception),
        },
        "项目支出": {
            **columns(*project_totals),
            "明细": [
                {"名称": name, **columns(*(c[i] for c in item_columns))}
                for i, name in enumerate(item_names)
            ],
        },
        "公用经费": {
            **columns(*operating_totals),
            "其中": [
                {"名称": name, **columns(*(c[i] for c in spent_columns))}
                for i, name in enumerate(spent_names)
            ],
        },
        "政府采购金额": columns(
            *(fraction(project_budget + operating_final, 0.0, 0.5, rng) for _ in range(3))
        ),
        "部门基本支出预算调整": columns(*(rng.randint(0, 10_000) for _ in range(3))),
    }


def make_report(index: int, seed: int = 0) -> Report:
    """The clean report number ``index``: every identity the rules check holds exactly."""
    rng = random.Random(seed * 1_000_003 + index)
    year = rng.randint(2019, 2024)
    unit = (
        rng.choice(["中共", ""]) + rng.choice(CITIES) + rng.choice(DISTRICTS) + rng.choice(AGENCIES)
    )

    # Budget (cents): parts first, totals are their sums.
    full_year = int(10 ** rng.uniform(2.3, 4.5)) * 100 + rng.randint(0, 99)  # 200–30,000 万元
    basic_budget = fraction(full_year, 0.5, 0.95, rng)
    project_budget = full_year - basic_budget
    basic_initial = fraction(basic_budget, 0.7, 1.0, rng)
    project_initial = fraction(project_budget, 0.4, 1.0, rng)
    basic_final = fraction(basic_budget, 0.93, 1.0, rng)
    project_final = fraction(project_budget, 0.3 if rng.random() < 0.3 else 0.85, 1.0, rng)
    personnel = fraction(basic_final, 0.55, 0.85, rng)
    operating = basic_final - personnel
    executed = basic_final + project_final
    rate = percent(executed, full_year)
    rate_value = Decimal(rate[:-1]) / 100
    execution_score = (10 * rate_value).normalize()  # exact: 90.03% of 10 is 9.003

    carried_in = fraction(full_year, 0.0, 0.05, rng)
    carried_out = fraction(full_year, 0.0, 0.05, rng)
    income = executed + carried_out - carried_in
    income_kinds = INCOME_KINDS[: rng.randint(2, 4)]
    income_parts = split(income, len(income_kinds), rng, floor=0.02)
    budget_kinds = INCOME_KINDS[: rng.randint(1, 4)]
    budget_parts = split(full_year, len(budget_kinds), rng, floor=0.02)
    subjects = [FUNCTION_SUBJECTS[0], *rng.sample(FUNCTION_SUBJECTS[1:], rng.randint(2, 7))]
    subject_parts = split(executed, len(subjects), rng)

    indicators = _indicators(rng)
    row_scores = sum(
        (Decimal(str(r["得分"])) for g in indicators for r in g["指标"] if "得分" in r),
        Decimal(0),
    )
    total = execution_score + row_scores
    filer = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.randint(1, 2)))
    execution: Report = {
        "年初预算数": amount(basic_initial + project_initial),
        "全年预算数": amount(full_year),
        "全年执行数": amount(executed),
        "分值": 10,
        "执行率": rate,
        "得分": points(execution_score),
        "按收入性质分": {k: amount(v) for k, v in zip(budget_kinds, budget_parts, strict=True)},
        "按支出性质分": {"基本支出": amount(basic_budget), "项目支出": amount(project_budget)},
    }
    if rate_value < Decimal("0.9"):
        execution["说明"] = "部分项目资金年底下达，次年初支付，导致执行率偏低。"
    return {
        "$schema": "../schema/report.schema.json",
        "单位名称": unit,
        "主管部门": unit,
        "评价年度": str(year),
        "填报日期": f"{year + 1}年{rng.randint(3, 9)}月{rng.randint(1, 28)}日",
        "填表人": filer,
        "联系电话": f"1{rng.choice('3589')}{rng.randint(0, 999_999_999):09d}",
        "自评分数": points(total),
        "评价等次": grade(total),
        "自评小组人数": rng.randint(3, 15),
        "固定资产利用率": f"{rng.randint(85, 100)}%",
        "人员编制": _staffing(rng),
        "收支情况": {
            "收入合计": amount(income),
            "财政拨款收入": amount(
                income_parts[0] + (income_parts[1] if len(income_parts) > 1 else 0)
            ),
            "收入构成": {k: amount(v) for k, v in zip(income_kinds, income_parts, strict=True)},
            "年初结转和结余": amount(carried_in),
            "支出合计": amount(executed),
            "年末结转和结余": amount(carried_out),
        },
        "预算执行": execution,
        "基本支出": {
            "年初预算": amount(basic_initial),
            "全年预算": amount(basic_budget),
            "决算": amount(basic_final),
            "人员经费": amount(personnel),
            "公用经费": amount(operating),
        },
        "项目支出": {
            "年初预算": amount(project_initial),
            "全年预算": amount(project_budget),
            "决算": amount(project_final),
        },
        "支出功能分类": {k: amount(v) for k, v in zip(subjects, subject_parts, strict=True)},
        "经费控制情况": _cost_control(rng, project_budget, project_final, operating),
        "楼堂馆所控制情况": {},
        "厉行节约保障措施": _text(rng, rng.randint(3, 6)),
        "年度总体目标": {
            "预期目标": "；".join(f"{i}.{g}" for i, g in enumerate(rng.sample(GOALS, 4), 1)),
            "实际完成情况": _text(rng, rng.randint(3, 6)),
        },
        "绩效指标": indicators,
        "总分": {"分值": 100, "得分": points(total)},
        "正文": [
            {"标题": heading, "内容": _text(rng, rng.randint(2, 7))}
            for heading in SECTION_HEADINGS[: rng.randint(5, len(SECTION_HEADINGS))]
        ],
    }


# --- the narrative's figures -------------------------------------------------------------------
#
# A real 部门整体支出绩效自评报告 restates its key figures in the 正文: the staffing (编制数 and its
# kinds, 实际在职人数, 离退休), the year's money (年初预算数, 全年预算数, 实际支出 split into 基本支出 and
# 项目支出, the 执行率), 基本支出 = 人员经费 + 公用经费, 项目支出, the "三公"经费 预算/决算 and their parts,
# the 收支 totals, the functional classes, and the 自评分数 with its 等次.  Not every report says
# every one: each sentence, and each figure inside it, is written with its own probability.
# The sentences use a random.Random of their own, so the tables (and the plain reports, written
# without a narrative) are the same whatever the narrative says.

NARRATIVE_CHANCE = {  # sentence → the share of reports whose 正文 writes it
    # A judgement from the two real narratives in samples/ (Beita, Hunan template: staffing,
    # budget and spending, functional classes, 基本支出, 项目支出, 三公, score; Zhanjiang,
    # Guangdong: staffing, 收支, score, team, 固定资产利用率) and the Hunan template's headings.
    "staffing": 0.9,
    "budget": 0.75,
    "basic": 0.65,
    "project": 0.55,
    "three_public": 0.7,
    "funds": 0.5,
    "functions": 0.5,
    "score": 0.85,
}


def _money(value: Any) -> str:
    """An amount as the prose prints it: 万元 to the fen (0 as ``0``, as the forms do)."""
    number = Decimal(str(value))
    return "0万元" if number == 0 else f"{number.quantize(Decimal('0.01'))}万元"


def _listed(pairs: list[tuple[str, str]]) -> str:
    return "、".join(f"{name}{figure}" for name, figure in pairs)


def _staffing_sentence(rng: random.Random, short: str, staffing: Report) -> str:
    kinds = staffing["编制构成"]
    text = (
        f"{short}核定编制{staffing['编制数']}人"
        if rng.random() < 0.5
        else (f"{short}编制人数{staffing['编制数']}人")
    )
    if len(kinds) > 1 and rng.random() < 0.6:
        text += "，其中" + _listed([(k, f"{v}名") for k, v in kinds.items()])
    text += f"，实际在职人数{staffing['实际在职人数']}人"
    if rng.random() < 0.7:
        text += f"，离退休人员{staffing['离退休人数']}人"
    if staffing["遗属补助人数"] and rng.random() < 0.4:
        text += f"，遗属补助人数{staffing['遗属补助人数']}人"
    return text + "。"


def _budget_sentence(rng: random.Random, year: str, short: str, r: Report) -> str:
    execution, basic, project = r["预算执行"], r["基本支出"], r["项目支出"]
    said = []
    if rng.random() < 0.6:
        said.append(f"年初预算数为{_money(execution['年初预算数'])}")
    if rng.random() < 0.75:
        said.append(f"全年预算数为{_money(execution['全年预算数'])}")
    text = f"{year}年度{short}" + "，".join(said) + ("；" if said else "")
    text += f"{year}年度实际支出{_money(execution['全年执行数'])}"
    if rng.random() < 0.7:
        text += f"（基本支出{_money(basic['决算'])}、项目支出{_money(project['决算'])}）"
    if rng.random() < 0.6:
        text += f"，预算执行率为{execution['执行率']}"
    return text + "。"


def _basic_sentence(rng: random.Random, year: str, basic: Report) -> str:
    text = f"{year}年度基本支出"
    if rng.random() < 0.5:
        text += f"年初预算安排为{_money(basic['年初预算'])}，本年"
    text += f"实际支出为{_money(basic['决算'])}，主要为人员经费支出和公用经费支出，其中"
    return (
        text
        + _listed(
            [
                ("人员经费支出", _money(basic["人员经费"])),
                ("公用经费支出", _money(basic["公用经费"])),
            ]
        )
        + "。"
    )


def _project_sentence(rng: random.Random, project: Report) -> str:
    start = (
        f"本年项目支出年初预算安排为{_money(project['年初预算'])}，"
        if rng.random() < 0.6
        else ("本年项目支出")
    )
    return f"{start}本年实际支出为{_money(project['决算'])}。"


_PUBLIC_NAMES = (
    ("公务用车购置及运行维护费", "公务用车购置及运行维护费"),
    ("出国经费", "因公出国（境）费"),
    ("公务接待", "公务接待费"),
)


def _three_public_sentence(rng: random.Random, year: str, public: Report) -> str:
    def both(row: Report, car: bool = False) -> str:
        text = f"预算数为{_money(row['本年预算数'])}，决算数为{_money(row['本年决算数'])}"
        if car and rng.random() < 0.5:  # the car line's two parts, as spent
            purchase, running = row["公车购置"], row["公车运行维护"]
            text += (
                f"（公务用车购置费{_money(purchase['本年决算数'])}、"
                f"公务用车运行维护费{_money(running['本年决算数'])}）"
            )
        if rng.random() < 0.35:
            text += f"，上年决算数为{_money(row['上年决算数'])}"
        return text

    text = f"{year}年“三公”经费{both(public)}"
    parts = [(key, name) for key, name in _PUBLIC_NAMES if rng.random() < 0.75]
    if parts:
        text += "，其中" + "；".join(
            f"{name}{both(public[key], key == _PUBLIC_NAMES[0][0])}" for key, name in parts
        )
    return text + "。"


def _funds_sentence(rng: random.Random, year: str, funds: Report) -> str:
    text = f"{year}年度收入合计{_money(funds['收入合计'])}"
    if rng.random() < 0.5:  # 其中 each source, as the 收入决算表 lists them
        sources = [(k, _money(v)) for k, v in funds["收入构成"].items()]
        text += f"，其中{_listed(sources)}"
    return text + (
        f"；年初结转和结余{_money(funds['年初结转和结余'])}；"
        f"支出合计{_money(funds['支出合计'])}，年末结转和结余{_money(funds['年末结转和结余'])}。"
    )


def _functions_sentence(r: Report) -> str:
    pairs = [(k, _money(v)) for k, v in r["支出功能分类"].items()]
    return f"按支出功能分类，{_listed(pairs)}。"


def _score_sentence(rng: random.Random, year: str, r: Report) -> str:
    text = ""
    if rng.random() < 0.4:
        text += f"成立自评工作小组共{r['自评小组人数']}人。"
    if rng.random() < 0.3:
        text += f"固定资产利用率为{r['固定资产利用率']}。"
    return text + (
        f"{year}年度部门整体支出绩效自评分数为{r['自评分数']}分，绩效评价等次为“{r['评价等次']}”。"
    )


def narrate(report: Report, index: int, seed: int) -> Report:
    """``report`` with its 正文 restating figures of its tables, as real narratives do."""
    rng = random.Random(f"narrative:{seed}:{index}")
    year, short = report["评价年度"], "本单位"
    wanted = {name: rng.random() < chance for name, chance in NARRATIVE_CHANCE.items()}
    first: list[str] = []
    if wanted["staffing"]:
        first.append(_staffing_sentence(rng, short, report["人员编制"]))
    money: list[str] = []
    if wanted["funds"]:
        money.append(_funds_sentence(rng, year, report["收支情况"]))
    if wanted["budget"]:
        money.append(_budget_sentence(rng, year, short, report))
    if wanted["functions"]:
        money.append(_functions_sentence(report))
    if wanted["basic"]:
        money.append(_basic_sentence(rng, year, report["基本支出"]))
    if wanted["project"]:
        money.append(_project_sentence(rng, report["项目支出"]))
    if wanted["three_public"]:
        money.append(_three_public_sentence(rng, year, report["经费控制情况"]["三公经费"]))
    score = [_score_sentence(rng, year, report)] if wanted["score"] else []
    sections = report["正文"]
    for position, sentences in ((0, first), (2, money), (3, score)):
        if sentences:
            section = sections[position]
            section["内容"] = "".join(sentences) + section["内容"]
    return report


# --- injected errors --------------------------------------------------------------------------


def _bump(value: int | float, delta: str) -> float:
    return float(Decimal(str(value)) + Decimal(delta))


def _scored_rows(report: Report) -> Iterator[Report]:
    return (r for g in report["绩效指标"] for r in g["指标"] if "得分" in r)


def _basic_split(r: Report) -> None:
    r["基本支出"]["人员经费"] = _bump(r["基本支出"]["人员经费"], "12.34")


def _execution_rate(r: Report) -> None:
    rate = Decimal(r["预算执行"]["执行率"][:-1]) - 3
    r["预算执行"]["执行率"] = f"{rate}%"


def _score_above_max(r: Report) -> None:
    row = next(_scored_rows(r))
    row["得分"] = row["分值"] + 1


def _reason_missing(r: Report) -> None:
    row = next(x for x in _scored_rows(r) if x["得分"] < x["分值"])
    del row["偏差原因分析及改进措施"]


def _total_wrong(r: Report) -> None:
    r["总分"]["得分"] = _bump(r["总分"]["得分"], "2")


def _grade_wrong(r: Report) -> None:
    r["评价等次"] = "差" if r["评价等次"] != "差" else "优秀"


def _staffing_rate(r: Report) -> None:
    staffing = r["人员编制"]
    staffing["编制控制率"] = percent(staffing["实际在职人数"] + 2, staffing["编制数"])


def _subject_missing(r: Report) -> None:
    subjects = r["支出功能分类"]
    del subjects[list(subjects)[-1]]


def _three_public_parts(r: Report) -> None:
    reception = r["经费控制情况"]["三公经费"]["公务接待"]
    reception["本年决算数"] = _bump(reception["本年决算数"], "1.50")


def _operating_items(r: Report) -> None:
    operating = r["经费控制情况"]["公用经费"]
    operating["其中"][0]["本年决算数"] = _bump(operating["本年决算数"], "1.00")


def _group_points(r: Report) -> None:
    r["绩效指标"][0]["分值"] += 5


def _carry_over(r: Report) -> None:
    funds = r["收支情况"]
    funds["年末结转和结余"] = _bump(funds["年末结转和结余"], "10.00")


def _establishment_parts(r: Report) -> None:
    parts = r["人员编制"]["编制构成"]
    first = next(iter(parts))
    parts[first] += 2


def _income_by_nature(r: Report) -> None:
    parts = r["预算执行"]["按收入性质分"]
    first = next(iter(parts))
    parts[first] = _bump(parts[first], "-8.00")


# Kind of error → (the rule expected to catch it, how to inject it).
ERROR_KINDS: dict[str, tuple[str, Callable[[Report], None]]] = {
    "basic-split": ("EC101", _basic_split),
    "execution-rate": ("EC201", _execution_rate),
    "score-above-max": ("EC301", _score_above_max),
    "deviation-reason-missing": ("EC308", _reason_missing),
    "total-wrong": ("EC304", _total_wrong),
    "grade-wrong": ("EC306", _grade_wrong),
    "staffing-rate": ("EC211", _staffing_rate),
    "function-subject-missing": ("EC104", _subject_missing),
    "three-public-parts": ("EC111", _three_public_parts),
    "operating-items-exceed": ("EC113", _operating_items),
    "group-points": ("EC302", _group_points),
    "carry-over": ("EC108", _carry_over),
    "establishment-parts": ("EC212", _establishment_parts),
    "income-by-nature": ("EC106", _income_by_nature),
}
_KIND_NAMES = list(ERROR_KINDS)


def injected_error(index: int) -> str | None:
    """The kind of error report ``index`` carries, or None for a clean report."""
    slot = index % 10
    if slot not in FAULTY_SLOTS:
        return None
    ordinal = index // 10 * len(FAULTY_SLOTS) + FAULTY_SLOTS.index(slot)
    return _KIND_NAMES[ordinal % len(_KIND_NAMES)]


def build(index: int, seed: int = 0, narrative: bool = False) -> Report:
    """Report ``index`` as written to disk: clean, or with its one injected error; with
    ``narrative`` its 正文 restates figures of the tables (:func:`narrate`)."""
    report = make_report(index, seed)
    if narrative:
        narrate(report, index, seed)
    kind = injected_error(index)
    if kind is not None:
        ERROR_KINDS[kind][1](report)
    return report


def render(report: Report) -> str:
    """``json.dumps(report, ensure_ascii=False, indent=2)`` plus a newline, about twice as fast.

    The standard library falls back to its pure-Python encoder whenever ``indent`` is set; this
    specialised writer handles only what reports contain (dict, list, str, int, float).
    """
    out: list[str] = []
    _write(report, "\n", out)
    out.append("\n")
    return "".join(out)


def _write(value: Any, newline: str, out: list[str]) -> None:
    if isinstance(value, str):
        out.append(_encode_str(value))
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        separator = "{" + inner
        for key, item in value.items():
            out.append(separator)
            out.append(_encode_str(key))
            out.append(": ")
            _write(item, inner, out)
            separator = "," + inner
        out.append(newline + "}")
    elif isinstance(value, list):
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        separator = "[" + inner
        for item in value:
            out.append(separator)
            _write(item, inner, out)
            separator = "," + inner
        out.append(newline + "]")
    else:  # int or float: repr is what json.dumps writes for both
        out.append(repr(value))


# --- files ------------------------------------------------------------------------------------


def report_path(root: Path, index: int) -> Path:
    return root / f"{index // FILES_PER_FOLDER:04d}" / f"report-{index:07d}.json"


def _write_folder(root: str, folder: int, count: int, seed: int, narrative: bool = False) -> int:
    first = folder * FILES_PER_FOLDER
    last = min(count, first + FILES_PER_FOLDER)
    directory = report_path(Path(root), first).parent
    directory.mkdir(parents=True, exist_ok=True)
    for index in range(first, last):
        report = build(index, seed, narrative)
        report_path(Path(root), index).write_text(render(report), encoding="utf-8")
    return last - first


def generate(count: int, root: Path, seed: int = 0, jobs: int = 1, narrative: bool = False) -> int:
    """Write reports ``0 … count-1`` under ``root``; returns the number written."""
    folders = range((count + FILES_PER_FOLDER - 1) // FILES_PER_FOLDER)
    args = [(str(root), f, count, seed, narrative) for f in folders]
    if jobs <= 1 or len(args) <= 1:
        return sum(_write_folder(*a) for a in args)
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return sum(pool.map(_write_folder, *zip(*args, strict=True)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, help="number of reports")
    parser.add_argument("directory", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        help="worker processes (output does not depend on it)",
    )
    parser.add_argument(
        "--narrative",
        action="store_true",
        help="the 正文 restates figures of the tables, as real narratives do",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    written = generate(args.count, args.directory, args.seed, args.jobs, args.narrative)
    elapsed = time.perf_counter() - started
    print(f"{written} reports in {args.directory} ({elapsed:.1f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
