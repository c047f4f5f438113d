"""Tables of the rest of the genre family (issue 14's model): a project's self-evaluation table
with its funds block, its 其中 rows and its three-column targets, and “三公”经费 tables with
one or more money columns and the counts beside them — in the shapes pages are copied in,
rows short of the cells a rowspan covered included.  Fixtures are made up."""

from __future__ import annotations

from pathlib import Path

from evalcheck.report.assemble import import_path

PROJECT = """部门预算项目支出绩效自评表（2023年度）
项目名称 | 某县示范项目 | | |
主管部门 | 某县农业农村局 | 实施单位 | 某县农业技术推广站 |
预算执行情况(10分) | 年度预算数(万元) | 年初预算 | 调整后预算数 | 预算执行数 | 预算执行率 | 权重 | 得分 | 原因 |
总额 | 50.00 | 60.00 | 54.00 | 90.00% | 10 | 9 | 年中追加10万元 |
其中:财政资金 | 50.00 | 60.00 | 54.00 | 90.00% | / | / | ||||
单位资金 | 0.00 | 0.00 | 0.00 | 0.00% | / | / | ||||
绩效指标(90分) | 一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 | 完成值 | 权重 | 得分 | 未完成原因分析 |
产出指标 | 数量指标 | 培训人数 | ≥ | 200 | 人 | 210 | 30 | 30 | |
质量指标 | 合格率 | ≥ | 95 | % | 96 | 30 | 30 | |
效益指标 | 社会效益指标 | 受益农户 | ≥ | 100 | 户 | 80 | 30 | 24 | 天气原因 |
合计 | 100 | 93 | |
"""

PUBLIC = """某县2023年“三公”经费预算情况表
单位：万元
项目 | 2022年预算数 | 2023年预算数 | 增减额 | 增减率 |
合计 | 20.00 | 18.00 | -2.00 | -10.00% |
1、因公出国（境）费 | 0 | 0 | 0 | |
2、公务接待费 | 8.00 | 7.00 | -1.00 | -12.50% |
3、公务用车购置及运行维护费 | 12.00 | 11.00 | -1.00 | -8.33% |
其中：（1）公务用车运行维护费 | 12.00 | 11.00 | -1.00 | -8.33% |
（2）公务用车购置费 | 0 | 0 | 0 | |
公务接待批次（批） | 40 | 35 | | |
公务用车保有量（辆） | 3 | 3 | | |
注：“三公”经费包括因公出国（境）费、公务用车购置及运行维护费和公务接待费。
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "page.txt"
    path.write_text(text, "utf-8")
    return path


def test_project_table_with_funds_sources_and_split_targets(tmp_path: Path) -> None:
    data = import_path(write(tmp_path, PROJECT)).data
    assert (data["项目名称"], data["主管部门"], data["实施单位"]) == (
        "某县示范项目",
        "某县农业农村局",
        "某县农业技术推广站",
    )
    assert data["板块分值"] == {"预算执行情况": "10", "绩效指标": "90"}
    execution = data["预算执行"]
    assert (execution["全年预算数"], execution["全年执行数"], execution["得分"]) == (
        "60.00",
        "54.00",
        "9",
    )
    assert execution["说明"] == "年中追加10万元"
    assert execution["资金来源"]["财政资金"]["执行率"] == "90.00%"
    assert execution["资金来源"]["单位资金"]["全年执行数"] == "0.00"
    groups = data["绩效指标"]
    rows = [row for group in groups for row in group["指标"]]
    # the second row lacks the 一级指标 cell a rowspan covered: its cells are shifted back
    assert [
        (r["三级指标"], r["指标性质"], r["年度指标值"], r["度量单位"], r["得分"]) for r in rows
    ] == [
        ("培训人数", "≥", "200", "人", "30"),
        ("合格率", "≥", "95", "%", "30"),
        ("受益农户", "≥", "100", "户", "24"),
    ]
    assert rows[2]["偏差原因分析及改进措施"] == "天气原因"
    assert data["总分"] == {"分值": "100", "得分": "93"}
    assert "未识别" not in data


def test_public_costs_table_with_years_changes_and_counts(tmp_path: Path) -> None:
    data = import_path(write(tmp_path, PUBLIC)).data
    lines = data["三公经费"]
    assert lines["合计"] == {
        "上年预算数": "20.00",
        "本年预算数": "18.00",
        "增减额": "-2.00",
        "增减率": "-10.00%",
    }
    assert lines["公务用车运行维护费"]["本年预算数"] == "11.00"
    assert lines["公务用车购置费"] == {"上年预算数": "0", "本年预算数": "0", "增减额": "0"}
    assert lines["公务接待费"]["批次"] == "40"
    assert lines["公务用车购置及运行维护费"]["保有量"] == "3"


def test_mirror_site_pinyin_and_dashes_are_read_as_meant(tmp_path: Path) -> None:
    text = (
        "某縣2023-“三公”經(jīng)費(fèi)預(yù)算表 | |\n"
        "項(xiàng)目 | 本-預(yù)算數(shù) |\n"
        "合計(jì) | 9.5 |\n"
        "公務(wù)接待費(fèi) | 9.5 |\n"
    )
    data = import_path(write(tmp_path, text)).data
    assert data["三公经费"]["公务接待费"] == {"本年预算数": "9.5"}
    reasons = {r["原因"] for r in data["读法"]}
    assert {"繁体字", "拼音注音", "镜像站替换"} <= reasons


def test_single_money_column_between_bars_and_broken_header_words(tmp_path: Path) -> None:
    text = "\n|\n".join(
        ["项 目", "预 算\n数", "合 计", "6.5", "公务接待费", "2.5", "公务用车运行维护费", "4"]
    )
    data = import_path(write(tmp_path, "某单位“三公”经费预算表\n" + text + "\n")).data
    assert data["三公经费"]["合计"] == {"本年预算数": "6.5"}
    assert data["三公经费"]["公务用车运行维护费"] == {"本年预算数": "4"}


def test_a_money_table_without_public_rows_is_not_taken_for_one(tmp_path: Path) -> None:
    text = "项目 | 预算数 |\n办公设备 | 12.00 |\n车辆租赁 | 3.00 |\n"
    data = import_path(write(tmp_path, "某单位报告\n" + text)).data
    assert "三公经费" not in data
    assert data["未识别"][0]["原因"].startswith("无法识别表1（首行：项目、预算数）")


def test_a_stray_figure_is_never_a_source_of_funds(tmp_path: Path) -> None:
    text = (
        "项目 | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |\n"
        "年度资金总额 | 10.00 | 10.00 | 9.00 | 10 | 90.00% | 9 |\n"
        "62 | 5.00 | 5.00 | 5.00 | / | 100.00% | / |\n"
    )
    data = import_path(write(tmp_path, "某项目自评表\n" + text)).data
    assert "资金来源" not in data["预算执行"]
