"""Mirror pages in traditional characters (LAYOUTS.md, "Characters"), and the 三公 statement
that names its list in a bracket (``……公務接待費(簡稱“三公”經費)支出合計``).

A 三公 statement is written here twice with made-up figures, in simplified and in traditional
characters: the two must read the same figures and raise the same findings, at the same
places.  The traditional table is OpenCC's (scripts/make_traditional.py); it is used only for
a document that prints some of the domain's own traditional forms.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import check_as_json

from evalcheck.inputs.documents.characters import TRADITIONAL, fold, is_traditional
from evalcheck.inputs.documents.traditional import SOURCES, TARGETS
from evalcheck.report.prose.names import item_name

SIMPLIFIED = (
    "某县水利局2023年用一般公共预算财政拨款开支的因公出国(境)经费、公务用车购置及运行费、"
    "公务接待费(简称“三公”经费)支出合计{total}万元。其中:因公出国(境)经费支出0万元;"
    "公务用车购置费支出0万元;公务用车运行维护费支出5.40万元,主要用于公务用车燃料、维修;"
    "公务接待费支出{hosting}万元,主要用于严格按规定开支的接待。\n"
    "“三公”经费预算增减变化的主要原因是:2023年“三公”经费支出预算合计13.9万元,"
    "比上年预算数减少1.1万元,无其他变化。\n"
)
TRADITIONAL_TEXT = (
    "某縣水利局2023年用一般公共預算財政撥款開支的因公出國(境)經費、公務用車購置及運行費、"
    "公務接待費(簡稱“三公”經費)支出合計{total}萬元。其中:因公出國(境)經費支出0萬元;"
    "公務用車購置費支出0萬元;公務用車運行維護費支出5.40萬元,主要用於公務用車燃料、維修;"
    "公務接待費支出{hosting}萬元,主要用於嚴格按規定開支的接待。\n"
    "“三公”經費預算增減變化的主要原因是:2023年“三公”經費支出預算合計13.9萬元,"
    "比上年預算數減少1.1萬元,無其他變化。\n"
)


def check(folder: Path, text: str, name: str) -> tuple[int, dict[str, Any]]:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return check_as_json(path)


def summary(result: dict[str, Any]) -> list[tuple[object, ...]]:
    findings = result["findings"]
    assert isinstance(findings, list)
    return [(f["rule"], f["path"], f["line"], f["column"], f["message"]) for f in findings]


@pytest.mark.parametrize(
    ("template", "name"), [(SIMPLIFIED, "简.txt"), (TRADITIONAL_TEXT, "繁.txt")]
)
def test_a_consistent_statement_is_clean_in_either_script(
    tmp_path: Path, template: str, name: str
) -> None:
    code, result = check(tmp_path, template.format(total="12.70", hosting="7.30"), name)
    assert code == 0, summary(result)
    coverage = result["coverage"]
    assert isinstance(coverage, dict)
    # the total, four parts and the budget, each read once (the 读法 notes are no figures)
    assert coverage["checked"] == coverage["figures"] >= 6


def test_a_wrong_total_is_found_at_the_same_place_in_either_script(tmp_path: Path) -> None:
    texts = [t.format(total="12.70", hosting="7.40") for t in (SIMPLIFIED, TRADITIONAL_TEXT)]
    (code_s, simplified), (code_t, traditional) = (
        check(tmp_path, texts[0], "简.txt"),
        check(tmp_path, texts[1], "繁.txt"),
    )
    assert code_s == code_t == 1
    found = summary(simplified)
    assert found == summary(traditional)
    rule, path, line, column, message = found[0]
    assert (rule, path) == ("EC501", "三公经费.合计.本年决算数")  # not 预决算说明.支出合计
    assert (line, column) == (1, texts[0].index("公务接待费(简称") + 1)
    assert "12.70" in str(message)


def test_the_bracketed_short_name_is_the_item() -> None:
    assert item_name("公务接待费(简称“三公”经费)支出合计") == "三公经费支出合计"
    assert item_name("公务接待费（以下简称“三公”经费）支出") == "三公经费支出"
    assert item_name("公车运行费(“三公”经费)") == "三公经费"
    assert item_name("因公出国(境)经费") == "因公出国(境)经费"  # 境 is no name


def test_the_whole_table_is_used_only_for_a_traditional_document() -> None:
    assert not is_traditional("严格执行预算，无变化")
    assert fold("严格执行预算，无变化")[0] == "严格执行预算，无变化"
    # 嚴 and 徹 are not the domain's own forms: alone they say nothing about the document
    assert fold("嚴格貫徹")[0] == "嚴格貫徹"
    assert fold("嚴格貫徹", traditional=True)[0] == "严格贯彻"
    # a document printing 經費 is read with the whole table, same length, each change noted
    text, changes = fold("嚴格控制經費")
    assert text == "严格控制经费"
    assert [(at, was, now) for at, was, now, _ in changes] == [
        (0, "嚴", "严"),
        (4, "經", "经"),
        (5, "費", "费"),
    ]


def test_the_table_reads_one_for_one_and_never_a_simplified_character() -> None:
    assert len(SOURCES) == len(TARGETS) >= 2800
    assert len(set(SOURCES)) == len(SOURCES)
    assert all(len(v) == 1 and ord(v) <= 0xFFFF for v in TRADITIONAL.values())
    # characters that are themselves simplified (乾, 於 as in 於是 …) are left to the domain list
    assert "乾" not in TRADITIONAL
    assert "着" not in TRADITIONAL and "覆" not in TRADITIONAL
    assert TRADITIONAL["於"] == "于"  # the domain's own reading, on top of the table
    assert not set(SOURCES) & set(TARGETS)
