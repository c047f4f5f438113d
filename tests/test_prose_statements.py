"""三公 statements in the layout of a town's 决算汇总情况 page: a budget sentence whose 其中 list
ends the sentence, then the whole again with its changes (made-up figures)."""

from __future__ import annotations

from pathlib import Path

from conftest import check_as_json

TEXT = (
    "某镇人民政府\n"
    "2022年“三公”经费决算汇总情况\n"
    "2022年我镇“三公”经费预算为30万元,其中:因公出国(境)费0万元,公务接待费12万元,"
    "公务用车运行维护费18万元,公务用车购置0万元。\n"
    "2022年“三公”经费支出共计14.50万元,较年初预算数减少15.50万元,下降51.67%, "
    "较上年支出数减少1.20万元,下降{rate}%,主要原因是从严控制公务接待。\n"
)


def findings(folder: Path, rate: str) -> tuple[int, list[dict[str, object]]]:
    path = folder / "三公.txt"
    path.write_text(TEXT.format(rate=rate), encoding="utf-8")
    code, result = check_as_json(path)
    return code, result["findings"]


def test_the_whole_after_a_list_is_a_statement_of_its_own(tmp_path: Path) -> None:
    # 1.20 ÷ (14.50 + 1.20) = 7.64%, 15.50 ÷ 30 = 51.67%: consistent, so nothing to report
    code, found = findings(tmp_path, "7.64")
    assert code == 0, found
    assert found == []


def test_a_change_rate_over_this_years_figure_is_found(tmp_path: Path) -> None:
    # 1.20 ÷ 14.50 = 8.28%: divided by this year's figure instead of last year's
    code, found = findings(tmp_path, "8.28")
    assert code == 1
    assert [(f["rule"], f["severity"]) for f in found] == [("EC434", "warning")]
    line = TEXT.splitlines()[3]
    assert (found[0]["line"], found[0]["column"]) == (4, line.index("下降{rate}") + 1)
    assert "-8.28%" in str(found[0]["message"]) and "-1.20万元" in str(found[0]["message"])


def test_the_slip_is_named_as_a_wrong_denominator(tmp_path: Path) -> None:
    _, found = findings(tmp_path, "8.28")
    diagnosis = found[0]["diagnosis"]
    assert isinstance(diagnosis, dict)
    assert (diagnosis["kind"], diagnosis["printed"], diagnosis["suggested"]) == (
        "wrong-denominator",
        "-8.28%",
        "-7.64%",
    )
    assert str(diagnosis["reason"]).startswith("增减率按本年数计算：-1.20万元 ÷ 14.50万元 = -8.28%")


def test_a_rate_that_no_wrong_base_explains_gets_no_formula(tmp_path: Path) -> None:
    # 9.10% is neither 1.20 ÷ 15.70 nor 1.20 ÷ 14.50: no formula slip is claimed
    _, found = findings(tmp_path, "9.10")
    diagnosis = found[0].get("diagnosis")
    assert not isinstance(diagnosis, dict) or diagnosis.get("kind") != "wrong-denominator"


OPENING = (
    "一、“三公”经费安排情况\n"
    "2022年本部门财政拨款安排“三公”经费30.5万元,比上年减少1.5万元,下降{rate}%。"
    "其中:因公出国(境)费0万元;公务用车购置及运行费20.00万元;公务接待费10.5万元。\n"
)


def test_a_page_whose_heading_has_no_year_takes_it_from_its_opening_statement(
    tmp_path: Path,
) -> None:
    # 1.5 ÷ 32 = 4.69%: read (the year 2022 from the statement itself) and consistent
    path = tmp_path / "三公.txt"
    path.write_text(OPENING.format(rate="4.69"), encoding="utf-8")
    code, result = check_as_json(path)
    assert (code, result["findings"]) == (0, [])
    assert result["coverage"]["figures"] == result["coverage"]["checked"] >= 4
    path.write_text(OPENING.format(rate="4.96"), encoding="utf-8")
    code, result = check_as_json(path)
    assert code == 1
    assert [f["rule"] for f in result["findings"]] == ["EC434"]


def test_a_title_less_statement_above_a_site_footer_is_a_statement(tmp_path: Path) -> None:
    # the short lines after it are the site's links, not its title: the first sentence says
    # what the page is (a 三公 statement), so its total is the statement's 三公 total
    text = (
        "经汇总,2024年“三公”经费支出预算为10.00万元,其中:因公出国(境)费0万元,"
        "公务用车运行维护费6.00万元,公务接待费{hosting}万元。\n国务院部门网站\n地方政府网站\n区县政府网站\n"
    )
    path = tmp_path / "三公.txt"
    path.write_text(text.format(hosting="4.00"), encoding="utf-8")
    assert check_as_json(path)[0] == 0
    path.write_text(text.format(hosting="5.00"), encoding="utf-8")
    code, result = check_as_json(path)
    found = [(f["rule"], f["path"], f["line"]) for f in result["findings"]]
    assert (code, found) == (1, [("EC502", "三公经费.合计.本年预算数", 1)])
