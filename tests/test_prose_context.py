"""What a statement's document is about when it has no proper title: published 三公 statements
are often copied as an excerpt that starts with its first sentence, or under the issuing body's
name with the real title on the next line and 《预算法》 cited below it.  Read wrongly, every
figure of them is "not placed" and the file is not understood (EC001)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from evalcheck.report.prose.reading import Text, context_of
from evalcheck.runner.checker import Checker

EXCERPT = (
    "2021年“三公”经费支出50.00万元，比上年支出52.00万元减少2.00万元，下降{rate}。"
    "其中公务接待支出20.00万元，公务用车运行维护费支出30.00万元。\n"
)


def check(tmp_path: Path, text: str) -> dict[str, object]:
    path = tmp_path / "说明.txt"
    path.write_text(text, encoding="utf-8")
    result = Checker().check_path(path)
    assert result.coverage is not None
    return {
        "coverage": dataclasses.asdict(result.coverage),
        "rules": [f.rule_id for f in result.findings],
        "message": [f.message for f in result.findings],
        "lines": [(f.line, f.column) for f in result.findings],
    }


def test_an_untitled_excerpt_takes_year_and_kind_from_its_first_sentence() -> None:
    first = "2020年“三公”经费支出431万元，比上年累计支出433万元减少2万元，下降0.46%。其余略。"
    context = context_of({}, [Text(("正文", 0, "内容"), first)])
    assert (context.year, context.space) == (2020, "说明")


def test_a_cited_law_and_a_later_year_do_not_mislead_the_first_sentence() -> None:
    first = (
        "按照《预算法》《预算法实施条例》有关要求，现将某镇2021年度“三公”经费决算情况公布如下："
        "与2020年相比略有下降。"
    )
    context = context_of({}, [Text(("正文", 0, "内容"), first)])
    assert (context.year, context.space, context.basis) == (2021, "说明", "决算")


def test_a_first_sentence_about_something_else_decides_nothing() -> None:
    first = "2020年全县完成植树造林3.5万亩，比上年增加0.4万亩。"
    assert context_of({}, [Text(("正文", 0, "内容"), first)]).year is None


def test_the_title_line_decides_the_basis_over_a_cited_law() -> None:
    texts = [
        Text(("正文", 0, "标题"), "某县某镇人民政府"),
        Text(
            ("正文", 0, "内容"),
            "2021年度“三公”经费决算汇总情况\n按照《预算法》有关要求，现将情况公布如下：",
        ),
    ]
    context = context_of({}, texts)
    assert (context.year, context.basis) == (2021, "决算")


def test_an_untitled_clean_excerpt_is_read_and_checked(tmp_path: Path) -> None:
    found = check(tmp_path, EXCERPT.format(rate="3.85%"))
    assert found["rules"] == []
    assert found["coverage"] == {
        # 50.00, 20.00, 30.00 as stated and as the report's lines; 52.00, 2.00 and the rate,
        # which only the prose's 变动 list holds, checked by EC434
        "figures": 9,
        "checked": 9,
        "not_applicable": found["coverage"]["not_applicable"],  # type: ignore[index]
        "not_understood": 0,
        "rules_run": found["coverage"]["rules_run"],  # type: ignore[index]
    }


def test_an_untitled_excerpt_with_a_wrong_rate_is_caught(tmp_path: Path) -> None:
    found = check(tmp_path, EXCERPT.format(rate="4.00%"))
    assert found["rules"] == ["EC434"]
    assert found["lines"] == [(1, 43)]  # at 下降4.00%
    assert found["message"] == [
        "“三公经费”的增减率 -4.00% 与增减额 ÷ 上年数不符（本年 50.00万元，增减额 -2.00万元，上年 52.00万元）"
    ]


PAGE = (
    "索引号 | 00000000-X/20240101-00001 | 发布机构 | 某县财政局 |\n"
    "公开目录 | 预决算公开 | 发布日期 | 2024-01-10 |\n"
    "文号 | 浏览量 |\n"
)


def test_a_pages_disclosure_block_is_not_a_table_of_the_report(tmp_path: Path) -> None:
    found = check(tmp_path, PAGE + EXCERPT.format(rate="3.85%"))
    assert found["rules"] == []
    assert found["coverage"]["not_understood"] == 0  # type: ignore[index]
    assert found["coverage"]["checked"] == 9  # type: ignore[index]


def test_a_block_with_one_disclosure_label_is_still_a_table(tmp_path: Path) -> None:
    table = "来源 | 金额 |\n财政拨款 | 12.00 |\n其他 | 3.00 |\n"
    found = check(tmp_path, table + EXCERPT.format(rate="3.85%"))
    # seen, not recognised, and said so: the only table of the file, so not understood
    assert found["rules"] == ["EC001"]
    assert "无法识别表1（首行：来源、金额）" in found["message"][0]  # type: ignore[index]
