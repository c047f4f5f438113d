"""Step 1: reading report files — encodings, positions, exact numbers, and hostile input."""

from __future__ import annotations

import os
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import HANG_SECONDS

import evalcheck.inputs.json_file
from evalcheck.inputs import load_bytes, load_path, make_source
from evalcheck.inputs.source import MAX_DEPTH, MAX_FILE_BYTES, Document, LoadError

REPORT_JSON = """{
  "单位名称": "某某市财政局",
  "绩效指标": [
    {"指标": [{"名称": "完成率", "得分": 586.88}]}
  ]
}
"""
REPORT_DATA = {
    "单位名称": "某某市财政局",
    "绩效指标": [{"指标": [{"名称": "完成率", "得分": Decimal("586.88")}]}],
}
REPORT_YAML = """单位名称: 某某市财政局
绩效指标:
  - 指标:
      - 名称: 完成率
        得分: 586.88
"""
SCORE = ("绩效指标", 0, "指标", 0, "得分")


def load_error(text: str, fmt: str = "json") -> LoadError:
    with pytest.raises(LoadError) as info:
        load_bytes(text.encode(), f"r.{fmt}", fmt)
    return info.value


def where(err: LoadError) -> tuple[int, int, str]:
    return err.line, err.column, err.message


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [
        (REPORT_JSON.encode("utf-8"), "utf-8"),
        (REPORT_JSON.encode("utf-8-sig"), "utf-8-sig"),
        (b"\xff\xfe" + REPORT_JSON.encode("utf-16-le"), "utf-16"),
        (b"\xfe\xff" + REPORT_JSON.encode("utf-16-be"), "utf-16"),
        (b"\xff\xfe\x00\x00" + REPORT_JSON.encode("utf-32-le"), "utf-32"),
        (REPORT_JSON.encode("utf-16-le"), "utf-16-le"),
        (REPORT_JSON.encode("utf-16-be"), "utf-16-be"),
        (REPORT_JSON.encode("gb18030"), "gb18030"),
        (REPORT_JSON.encode("gbk"), "gb18030"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf32le-bom", "utf16le", "utf16be",
         "gb18030", "gbk"],
)  # fmt: skip
def test_every_encoding_loads_the_same_report(raw: bytes, encoding: str) -> None:
    doc = load_bytes(raw, "r.json", "json")
    assert doc.data == REPORT_DATA
    assert doc.source.encoding == encoding
    assert doc.source.text == REPORT_JSON  # BOM removed
    assert doc.source.position(SCORE) == (4, 33)


def test_yaml_in_gbk_loads() -> None:
    doc = load_bytes(REPORT_YAML.encode("gbk"), "r.yaml", "yaml")
    assert doc.data == REPORT_DATA
    assert doc.source.encoding == "gb18030"


def test_undecodable_bytes_are_refused_at_the_first_bad_byte() -> None:
    err = load_bytes_error(b'{\n  "a": "x\xff"}')
    assert where(err) == (
        2,
        10,
        "无法识别文件编码（不是 UTF-8、UTF-16 或 GB18030）：无法解码的字节 0xFF",
    )


def test_broken_utf16_is_refused() -> None:
    err = load_bytes_error(b"\xff\xfe" + '{"a": 1}'.encode("utf-16-le") + b"\x00")
    assert err.message.startswith("文件不是有效的 UTF-16-LE 编码")
    assert (err.line, err.column) == (1, 9)


def load_bytes_error(raw: bytes, fmt: str = "json") -> LoadError:
    with pytest.raises(LoadError) as info:
        load_bytes(raw, f"r.{fmt}", fmt)
    return info.value


# --------------------------------------------------------------------------- positions


def test_json_positions_of_nested_values_and_keys() -> None:
    source = load_bytes(REPORT_JSON.encode(), "r.json", "json").source
    assert source.position(()) == (1, 1)
    assert source.position(("单位名称",)) == (2, 11)
    assert source.key_position(("单位名称",)) == (2, 3)
    assert source.position(("绩效指标",)) == (3, 11)
    assert source.position(("绩效指标", 0)) == (4, 5)
    assert source.key_position(("绩效指标", 0)) == (4, 5)  # list items have no key
    assert source.position(("绩效指标", 0, "指标")) == (4, 12)
    assert source.key_position(("绩效指标", 0, "指标")) == (4, 6)
    assert source.position(SCORE) == (4, 33)
    assert source.key_position(SCORE) == (4, 27)
    assert source.line_text(4)[32:38] == "586.88"


def test_unknown_paths_have_no_position() -> None:
    source = load_bytes(REPORT_JSON.encode(), "r.json", "json").source
    assert source.position(("不存在",)) is None
    assert source.key_position(("绩效指标", 5)) is None
    assert source.position((*SCORE, "更深")) is None


def test_crlf_positions_and_line_text() -> None:
    source = load_bytes(REPORT_JSON.replace("\n", "\r\n").encode(), "r.json", "json").source
    assert source.position(SCORE) == (4, 33)
    assert source.line_text(2) == '  "单位名称": "某某市财政局",'
    assert source.line_text(99) == ""


def test_crlf_error_positions() -> None:
    err = load_error('{\r\n  "a": 1,\r\n  "b": ,\r\n}')
    assert where(err) == (3, 8, "此处应为一个值")


def test_yaml_positions() -> None:
    source = load_bytes(REPORT_YAML.encode(), "r.yaml", "yaml").source
    assert source.position(("单位名称",)) == (1, 7)
    assert source.key_position(("绩效指标",)) == (2, 1)
    assert source.position(("绩效指标", 0, "指标", 0)) == (4, 9)
    assert source.position(SCORE) == (5, 13)
    assert source.key_position(SCORE) == (5, 9)
    assert source.position(("没有",)) is None


def test_positions_are_computed_only_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any) -> Any:
        raise AssertionError("a clean report must not be scanned for positions")

    monkeypatch.setattr(evalcheck.inputs.json_file, "scan", refuse)
    assert load_bytes(REPORT_JSON.encode(), "r.json", "json").data == REPORT_DATA


def test_a_source_built_directly_finds_positions() -> None:
    assert make_source("r.json", REPORT_JSON, "json").position(SCORE) == (4, 33)
    assert make_source("r.yaml", REPORT_YAML, "yaml").position(SCORE) == (5, 13)


# --------------------------------------------------------------------------- numbers


def test_json_numbers_are_decimals_as_written() -> None:
    data = load_bytes(b'{"a": 586.88, "b": 586.880, "c": 19, "d": -1.5e3}', "r.json", "json").data
    assert data == {"a": Decimal("586.88"), "b": Decimal("586.880"), "c": 19, "d": Decimal(-1500)}
    assert [str(v) for v in data.values()] == ["586.88", "586.880", "19", "-1.5E+3"]
    assert all(type(v) is Decimal for v in data.values())


def test_yaml_scalars() -> None:
    text = (
        "a: 586.880\nb: 1_000\nc: +5\nd: .5\ne: 0x1F\nf: 017\ng: 1:30\nh: 1.5e+3\n"
        "i: 2024-01-01\nj: yes\nk: ~\nl: '12'\nm: 2023年\n2023: 年份\n"
    )
    data = load_bytes(text.encode(), "r.yaml", "yaml").data
    assert data == {
        "a": Decimal("586.880"), "b": Decimal(1000), "c": Decimal(5), "d": Decimal("0.5"),
        "e": Decimal(31), "f": Decimal(15), "g": Decimal(90), "h": Decimal(1500),
        "i": "2024-01-01", "j": True, "k": None, "l": "12", "m": "2023年", "2023": "年份",
    }  # fmt: skip
    assert str(data["a"]) == "586.880"
    assert not any(isinstance(v, float | int) and not isinstance(v, bool) for v in data.values())


def test_huge_numbers_stay_decimal_and_fast() -> None:
    started = time.perf_counter()
    data = load_bytes(b'{"a": 1' + b"0" * 100_000 + b', "b": 1e999999}', "r.json", "json").data
    assert data["a"] == Decimal(10) ** 100_000
    assert data["b"] == Decimal("1e999999")
    assert time.perf_counter() - started < HANG_SECONDS  # a hang guard, not a speed test


def test_number_beyond_decimal_range_is_refused() -> None:
    assert where(load_error('{"a": 1e99999999999999999999}')) == (1, 7, "数值超出可处理范围")


@pytest.mark.parametrize("text", ["a: .inf", "a: -.inf", "a: .nan", "a: !!float Infinity"])
def test_yaml_infinity_and_nan_are_refused(text: str) -> None:
    err = load_error(text, "yaml")
    assert (err.line, err.column) == (1, 4)
    assert err.message.startswith("不允许 ")


# --------------------------------------------------------------------------- JSON errors


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ('{"a": }', 1, 7, "此处应为一个值"),
        ('{"a": 1 "b": 2}', 1, 9, "缺少逗号"),
        ('{"a" 1}', 1, 6, "缺少冒号"),
        ('{"a": 1,}', 1, 9, "键名应以双引号括起（JSON 不允许末尾逗号）"),
        ('{"a": "abc', 1, 7, "字符串没有结束"),
        ('{"a": "x\ty"}', 1, 9, "字符串中有未转义的控制字符"),
        ('{"a": "\\q"}', 1, 8, '无效的转义符（反斜杠后只能是 " \\ / b f n r t u）'),
        ('{"a": "\\u12"}', 1, 9, "\\u 后应为 4 位十六进制数字"),
        ('{"a": 1} x', 1, 10, "JSON 结束后还有多余内容"),
        ('{\n  "a": [1, 2,]\n}', 2, 14, "此处应为一个值"),
    ],
    ids=["value", "comma", "colon", "trailing-comma", "unterminated", "control", "escape",
         "u-escape", "extra", "array-trailing-comma"],
)  # fmt: skip
def test_json_syntax_errors(text: str, line: int, column: int, message: str) -> None:
    assert where(load_error(text)) == (line, column, message)


def test_load_error_is_one_line_with_location() -> None:
    err = load_error('{"a": }')
    assert str(err) == "r.json:1:7: 此处应为一个值"
    assert (err.file, err.line, err.column) == ("r.json", 1, 7)


@pytest.mark.parametrize(
    ("text", "column", "constant"),
    [('{"a": NaN}', 7, "NaN"), ('{"s": "NaN", "a": [1, Infinity]}', 23, "Infinity"),
     ('{"a": -Infinity}', 7, "-Infinity")],
)  # fmt: skip
def test_json_nan_and_infinity_are_refused(text: str, column: int, constant: str) -> None:
    assert where(load_error(text)) == (1, column, f"JSON 不允许 {constant}：请填写具体数字或留空")


def test_json_duplicate_key() -> None:
    err = load_error('{\n  "得分": 1,\n  "名称": "x",\n  "得分": 2\n}')
    assert where(err) == (4, 3, "重复的键「得分」")


def test_json_duplicate_key_in_a_nested_object() -> None:
    err = load_error('{"指标": [{"得分": 1}, {"得分": 1, "得分": 2}]}')
    assert where(err) == (1, 30, "重复的键「得分」")


def test_json_duplicate_key_written_with_an_escape() -> None:
    assert where(load_error('{"a": 1, "\\u0061": 2}')) == (1, 10, "重复的键「a」")


@pytest.mark.parametrize(
    ("text", "kind"),
    [('"x"', "文字"), ("1", "数值"), ("true", "布尔值"), ("null", "null")],
)
def test_top_level_must_be_an_object(text: str, kind: str) -> None:
    message = f"报告的顶层必须是一个对象（{{…}}），实际为{kind}"
    assert where(load_error(text)) == (1, 1, message)


LIST = "报告的顶层必须是一个对象（{…}）或一组报告（[{…}, {…}]）"


def test_a_list_must_hold_reports_and_is_refused_at_the_item_that_is_not_one() -> None:
    assert where(load_error("[1]")) == (1, 2, f"{LIST}：第 1 项实际为数值")
    assert where(load_error('[{"单位名称": "甲"},\n "乙"]')) == (2, 2, f"{LIST}：第 2 项实际为文字")
    assert where(load_error("[]")) == (1, 1, f"{LIST}，实际为空数组")


def test_yaml_top_level_must_be_a_mapping_or_a_list_of_them() -> None:
    assert where(load_error("- a\n- b\n", "yaml")) == (1, 3, f"{LIST}：第 1 项实际为文字")
    document = load_bytes("- 单位名称: 甲\n- 单位名称: 乙\n".encode(), "r.yaml", "yaml")
    assert document.data == [{"单位名称": "甲"}, {"单位名称": "乙"}]


@pytest.mark.parametrize(
    ("raw", "fmt"),
    [(b"", "json"), (b"  \n\r\n", "json"), (b"\xef\xbb\xbf", "json"), (b"", "yaml"),
     (b"# \xe5\x8f\xaa\xe6\x9c\x89\xe6\xb3\xa8\xe9\x87\x8a\n", "yaml"), (b"---\n", "yaml")],
)  # fmt: skip
def test_empty_file(raw: bytes, fmt: str) -> None:
    assert where(load_bytes_error(raw, fmt)) == (1, 1, "文件为空")


def test_lone_surrogate_escapes_become_replacement_characters() -> None:
    doc = load_bytes(b'{"a\\udc00": ["x\\ud800y", "\\ud83d\\ude00"]}', "r.json", "json")
    assert doc.data == {"a\ufffd": ["x\ufffdy", "😀"]}
    assert doc.source.position(("a\ufffd", 0)) == (1, 14)


def test_a_long_string_is_kept() -> None:
    data = load_bytes(b'{"a": "' + "字".encode() * 1_000_001 + b'"}', "r.json", "json").data
    assert len(data["a"]) == 1_000_001


# --------------------------------------------------------------------------- nesting


@pytest.mark.parametrize("opening", ["[", '{"a":'])
def test_absurd_json_nesting_is_refused_quickly(opening: str) -> None:
    started = time.perf_counter()
    err = load_error(opening * 100_000)
    assert time.perf_counter() - started < HANG_SECONDS  # a hang guard, not a speed test
    assert err.message == f"嵌套层数过深（超过 {MAX_DEPTH} 层）"
    assert (err.line, err.column) == (1, MAX_DEPTH * len(opening) + 1)


def test_nesting_limit_is_exact() -> None:
    deepest = '{"a":' * (MAX_DEPTH - 1) + "{}" + "}" * (MAX_DEPTH - 1)
    assert load_bytes(deepest.encode(), "r.json", "json").data is not None
    err = load_error('{"a":' * MAX_DEPTH + "{}" + "}" * MAX_DEPTH)
    assert where(err) == (1, MAX_DEPTH * 5 + 1, f"嵌套层数过深（超过 {MAX_DEPTH} 层）")


def test_absurd_yaml_nesting_is_refused_quickly() -> None:
    started = time.perf_counter()
    err = load_error("a: " + "[" * 100_000, "yaml")
    assert time.perf_counter() - started < HANG_SECONDS  # a hang guard, not a speed test
    assert where(err) == (1, 3 + MAX_DEPTH, f"嵌套层数过深（超过 {MAX_DEPTH} 层）")


# --------------------------------------------------------------------------- YAML specifics


def test_yaml_duplicate_key() -> None:
    err = load_error("绩效指标:\n  得分: 1\n  名称: x\n  得分: 2\n", "yaml")
    assert where(err) == (4, 3, "重复的键「得分」")


def test_yaml_merge_keys() -> None:
    text = """默认: &default
  分值: 10
  权重: 1
其他: &other
  权重: 2
  单位: 个
指标:
  <<: [*default, *other]
  权重: 3
"""
    doc = load_bytes(text.encode(), "r.yaml", "yaml")
    assert doc.data["指标"] == {"分值": Decimal(10), "权重": Decimal(3), "单位": "个"}
    assert doc.source.position(("指标", "权重")) == (9, 7)
    assert doc.source.position(("指标", "分值")) == (2, 7)  # where the merged value is written
    assert doc.source.position(("指标", "单位")) == (6, 7)


def test_yaml_aliases_and_their_positions() -> None:
    doc = load_bytes(b"a: &x\n  b: 1\nc: *x\n", "r.yaml", "yaml")
    assert doc.data == {"a": {"b": Decimal(1)}, "c": {"b": Decimal(1)}}
    assert doc.source.position(("c",)) == (3, 4)
    assert doc.source.position(("c", "b")) == (2, 6)


@pytest.mark.parametrize("text", ["a: *x", "a: &x [1, *x]"])
def test_yaml_undefined_or_recursive_alias_is_refused(text: str) -> None:
    assert load_error(text, "yaml").message.startswith("别名「*x」没有对应的锚点")


def test_yaml_billion_laughs_is_refused_quickly() -> None:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [{', '.join([f'*{previous}'] * 9)}]")
    started = time.perf_counter()
    err = load_error("\n".join(lines), "yaml")
    assert time.perf_counter() - started < HANG_SECONDS  # a hang guard, not a speed test
    assert err.message == "YAML 别名展开过多（疑似 billion laughs）"


def test_yaml_python_tag_is_refused_and_never_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    report = tmp_path / "r.yaml"
    report.write_text('单位名称: x\n命令: !!python/object/apply:os.system ["touch CANARY"]\n')
    with pytest.raises(LoadError) as info:
        load_path(report)
    assert where(info.value) == (2, 5, "不允许的 YAML 标签「!!python/object/apply:os.system」")
    assert not (tmp_path / "CANARY").exists()


@pytest.mark.parametrize("text", ["a: !foo 1", "a: !!binary aGVsbG8=", "a: !!set {x}"])
def test_other_yaml_tags_are_refused(text: str) -> None:
    err = load_error(text, "yaml")
    assert (err.line, err.column) == (1, 4)
    assert err.message.startswith("不允许的 YAML 标签「")


def test_yaml_syntax_error() -> None:
    err = load_error("单位名称: 某某\n 得分: 1\n", "yaml")
    assert where(err) == (2, 4, "YAML 格式错误：此处不能出现「键: 值」（缩进或冒号有误？）")


def test_yaml_allows_one_document_only() -> None:
    err = load_error("a: 1\n---\nb: 2\n", "yaml")
    assert where(err) == (2, 1, "YAML 文件只能包含一个文档（发现第二个 ---）")


def test_yaml_keys_must_be_plain() -> None:
    err = load_error("? [a, b]\n: 1\n", "yaml")
    assert where(err) == (1, 3, "YAML 的键必须是普通文字，不能是映射或列表")


# --------------------------------------------------------------------------- files


def test_format_from_suffix_or_first_character(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text(REPORT_YAML)
    (tmp_path / "b.txt").write_text(REPORT_JSON)
    (tmp_path / "c").write_text(REPORT_YAML)
    formats = [load_path(tmp_path / name).source.format for name in ("a.yml", "b.txt", "c")]
    assert formats == ["yaml", "json", "yaml"]
    assert all(load_path(tmp_path / n).data == REPORT_DATA for n in ("a.yml", "b.txt", "c"))


def test_loading_leaves_the_file_and_its_folder_untouched(tmp_path: Path) -> None:
    report = tmp_path / "报告.json"
    report.write_bytes(REPORT_JSON.encode("gbk"))
    os.utime(report, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    doc = load_path(report)
    assert isinstance(doc, Document)
    assert doc.source.name == str(report)
    assert report.read_bytes() == REPORT_JSON.encode("gbk")
    assert report.stat().st_mtime_ns == 1_600_000_000_000_000_000
    assert list(tmp_path.iterdir()) == [report]


def test_missing_file(tmp_path: Path) -> None:
    missing = str(tmp_path / "无.json")
    with pytest.raises(LoadError) as info:
        load_path(missing)
    assert str(info.value) == f"{missing}:1:1: 无法读取文件：文件不存在"


def test_directory_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(LoadError) as info:
        load_path(tmp_path)
    assert where(info.value) == (1, 1, "无法读取文件：这是一个目录，不是文件")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    report.write_text("{}")
    report.chmod(0)
    with pytest.raises(LoadError) as info:
        load_path(report)
    assert where(info.value) == (1, 1, "无法读取文件：没有读取权限")


def test_too_large_file_is_refused_before_reading(tmp_path: Path) -> None:
    report = tmp_path / "big.json"
    with report.open("wb") as stream:
        stream.truncate(MAX_FILE_BYTES + 1)  # sparse: nothing is really written
    with pytest.raises(LoadError) as info:
        load_path(report)
    assert where(info.value) == (1, 1, "文件过大（超过 64 MiB）")


# --------------------------------------------------------------------------- JSONTestSuite

SUITE = Path(__file__).parent / "data/JSONTestSuite/test_parsing"
TOP_LEVEL = "报告的顶层必须是一个对象"
# Valid JSON that a report still must not contain: duplicate keys hide a figure.
REFUSED_VALID = {"y_object_duplicated_key.json", "y_object_duplicated_key_and_value.json"}


def test_json_test_suite() -> None:
    files = sorted(SUITE.glob("*.json"))
    assert len(files) == 318  # the vendored copy is whole
    for path in files:
        started = time.perf_counter()
        try:
            load_path(path)
        except LoadError as err:
            assert err.line >= 1 and err.column >= 1, path.name
            if path.name.startswith("y_"):
                expected = "重复的键" if path.name in REFUSED_VALID else TOP_LEVEL
                assert err.message.startswith(expected), (path.name, str(err))
        else:
            assert not path.name.startswith("n_"), f"{path.name} should be refused"
        assert time.perf_counter() - started < HANG_SECONDS, (
            path.name
        )  # a hang guard, not a speed test
