"""``--format html`` as a reviewer sees it: the page opened from disk in headless Chromium, read
through the DOM after its script ran — every report in the overview, the culprit cell of a
known finding marked, links that lead somewhere, no console error — and strings from reports
shown, never run (issue 19)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from browser import Browser, Page, chromium_ready
from conftest import HANG_SECONDS
from office import blocks, write_docx

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
IN_CI = bool(os.environ.get("CI"))

needs_chromium = pytest.mark.skipif(
    not chromium_ready() and not IN_CI,
    reason="headless Chromium and fonts-noto-cjk are not installed (.ci/run installs them)",
)


def render(*args: str, out: Path) -> Path:
    done = subprocess.run(
        [sys.executable, "-m", "evalcheck", *args, "--format", "html", "-o", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=HANG_SECONDS * 4,
    )
    assert done.returncode in (0, 1, 2) and out.exists(), done.stderr  # 2: a file unreadable
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not chromium_ready():
        pytest.fail("CI must have headless Chromium and fonts-noto-cjk (.ci/run installs them)")
    running = Browser()
    try:
        yield running
    finally:
        running.close()


@pytest.fixture(scope="module")
def samples_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render("samples", out=tmp_path_factory.mktemp("html") / "samples.html")


@pytest.fixture
def page(browser: Browser, samples_page: Path) -> Iterator[Page]:
    opened = browser.page(samples_page.as_uri())
    yield opened
    opened.close()


HOSTILE = {
    "单位名称": "<script>document.title='pwned'</script><img src=x onerror=alert(1)>",
    "评价年度": '2023"><b onmouseover=alert(2)>',
    "自评分数": 96,
    "评价等次": "优秀'\u202e</title>",
    "预算执行": {
        "年初预算数": 262.78,
        "全年预算数": 586.88,
        "全年执行数": 586.88,
        "执行率": "100.00%",
    },
    "基本支出": {"年初预算": 262.78},
    "项目支出": {"年初预算": 40.8},
    "支出功能分类": {"<svg onload=alert(3)>": 1, "a\u0000b\x1b[2J": 2},
    "正文": [
        {
            "标题": "</p><script>alert(4)</script>",
            "内容": "年初预算数为262.78万元。<a href='https://example.com'>x</a>",
        }
    ],
}


# --- the page as text ----------------------------------------------------------------------


def test_the_page_loads_nothing_from_anywhere(samples_page: Path) -> None:
    text = samples_page.read_text(encoding="utf-8")
    assert "Content-Security-Policy" in text
    assert "default-src 'none'" in text
    assert not re.search(r"<(link|img|iframe|object|embed)\b", text)
    assert not re.search(r"\ssrc=", text)
    urls = set(re.findall(r"https?://[^\s\"'<>]+", text))
    assert urls <= {"http://www.w3.org/2000/svg"}  # the SVG namespace, never fetched


def test_strings_from_a_report_are_escaped(tmp_path: Path) -> None:
    report = tmp_path / "hostile.json"
    report.write_text(json.dumps(HOSTILE, ensure_ascii=False), encoding="utf-8")
    text = render(str(report), out=tmp_path / "hostile.html").read_text(encoding="utf-8")
    assert text.count("<script>") == 1  # the page's own
    assert "<img" not in text and "<svg onload" not in text and "<b onmouseover" not in text
    assert "&lt;script&gt;document.title=&#x27;pwned&#x27;&lt;/script&gt;" in text
    assert "\u202e" not in text and "\x00" not in text and "\x1b" not in text
    assert "\\u202e" in text and "\\x1b[2J" in text


# --- the page in Chromium ----------------------------------------------------------------


@needs_chromium
def test_the_overview_lists_every_report(page: Page) -> None:
    rows = page.evaluate(
        "Array.from(document.querySelectorAll('#overview-table tbody tr'))"
        ".map(r => [r.cells[1].textContent, r.querySelector('a').getAttribute('href'),"
        " document.querySelector('section' + r.querySelector('a').getAttribute('href'))"
        "?.dataset.file])"
    )
    files = sorted(str(p.relative_to(ROOT)) for p in SAMPLES.iterdir() if p.is_file())
    assert sorted(file for _, _, file in rows) == files  # each row leads to its own report
    names = {file: name for name, _, file in rows}
    for file in files:  # a sample that names its unit at the top is listed under that name
        text = (ROOT / file).read_text("utf-8")
        data = json.loads(text) if file.endswith(".json") else yaml.safe_load(text)
        top = next((d for d in data if isinstance(d, dict)), {}) if isinstance(data, list) else data
        if top.get("单位名称"):
            assert names[file] == top["单位名称"]
    assert names["samples/zhanjiang-2024.json"] == "中共湛江市委组织部本级"
    assert names["samples/sangong-anhui-shouxian-sifa-2022.yaml"] == "寿县司法局"
    assert page.errors == []


@needs_chromium
def test_the_worst_report_comes_first(page: Page) -> None:
    errors = page.evaluate(
        "Array.from(document.querySelectorAll('#overview-table tbody tr')).map(r => +r.cells[5].textContent)"
    )
    assert errors == sorted(errors, reverse=True)


@needs_chromium
def test_the_culprit_of_EC103_is_highlighted(page: Page) -> None:
    found = page.evaluate(
        """(function () {
          var section = document.querySelector('section.report[data-file="samples/shaoyang-beita-2023.json"]');
          var cell = section.querySelector('[data-path="预算执行.年初预算数"]');
          var operand = section.querySelector('[data-path="项目支出.年初预算"]');
          var style = getComputedStyle(cell), plain = getComputedStyle(section.querySelector('td:not(.m)'));
          return {text: cell.firstChild.textContent, cls: cell.className, outline: style.outlineStyle,
                  background: style.backgroundColor, plain: plain.backgroundColor,
                  operand: operand.className, operandOutline: getComputedStyle(operand).outlineStyle,
                  card: document.getElementById(cell.querySelector('a.ref').getAttribute('href').slice(1)).textContent};
        })()"""
    )
    assert found["text"] == "262.78"
    assert "culprit" in found["cls"].split() and "s-error" in found["cls"].split()
    assert found["outline"] == "solid" and found["background"] != found["plain"]
    assert "operand" in found["operand"].split() and found["operandOutline"] == "dashed"
    assert "EC103" in found["card"] and "262.78 ≠ 262.78 + 40.8 = 303.58" in found["card"]
    assert "更可能应为 303.58" in found["card"]
    assert page.errors == []


@needs_chromium
def test_overview_links_reach_each_finding(page: Page) -> None:
    missing = page.evaluate(
        "Array.from(document.querySelectorAll('#overview a.chip, .index a, a.ref'))"
        ".map(a => a.getAttribute('href').slice(1)).filter(id => !document.getElementById(id))"
    )
    assert missing == []


@pytest.fixture(scope="module")
def samples_rules() -> dict[str, set[str]]:
    """Each sample's rules with findings, as ``--format json`` reports them."""
    done = subprocess.run(
        [sys.executable, "-m", "evalcheck", "samples", "--format", "json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=HANG_SECONDS * 4,
    )
    files = json.loads(done.stdout)["files"]
    return {f["file"]: {finding["rule"] for finding in f["findings"]} for f in files}


@needs_chromium
def test_filtering_by_rule_and_severity(page: Page, samples_rules: dict[str, set[str]]) -> None:
    def visible_after(script: str) -> list[str]:
        return page.evaluate(
            f"(function(){{{script};return Array.from(document.querySelectorAll('#overview-table tbody tr'))"
            ".filter(r => !r.hidden).map(r => document.querySelector("
            "'section' + r.querySelector('a').getAttribute('href')).dataset.file);})()"
        )

    shown = visible_after(
        "var s=document.getElementById('f-rule');s.value='EC103';s.dispatchEvent(new Event('change'))"
    )
    with_ec103 = sorted(file for file, rules in samples_rules.items() if "EC103" in rules)
    assert "samples/shaoyang-beita-2023.json" in with_ec103
    assert sorted(shown) == with_ec103
    shown = visible_after(
        "document.getElementById('f-rule').value='';var s=document.getElementById('f-sev');"
        "s.value='none';s.dispatchEvent(new Event('change'))"
    )
    clean = sorted(file for file, rules in samples_rules.items() if not rules)
    assert "samples/zhanjiang-2024.json" in clean
    assert sorted(shown) == clean
    assert page.errors == []


@needs_chromium
def test_sorting_a_column(page: Page) -> None:
    years = page.evaluate(
        "document.querySelectorAll('#overview-table th')[3].click();"
        "Array.from(document.querySelectorAll('#overview-table tbody tr')).map(r => r.cells[3].textContent)"
    )
    assert years == sorted(years)
    assert page.errors == []


@needs_chromium
def test_a_hostile_report_runs_nothing(browser: Browser, tmp_path: Path) -> None:
    report = tmp_path / "hostile.json"
    report.write_text(json.dumps(HOSTILE, ensure_ascii=False), encoding="utf-8")
    opened = browser.page(render(str(report), out=tmp_path / "hostile.html").as_uri())
    try:
        seen = opened.evaluate(
            "({title: document.title, scripts: document.scripts.length,"
            " images: document.images.length, name: document.querySelector('section.report h2').textContent})"
        )
        assert seen["title"].startswith("<script>document.title='pwned'")  # shown, not run
        assert seen["scripts"] == 1 and seen["images"] == 0
        assert "<script>document.title='pwned'</script>" in seen["name"]
        assert opened.errors == []
    finally:
        opened.close()


@needs_chromium
def test_one_report_prints_alone(page: Page, tmp_path: Path) -> None:
    printed = page.evaluate(
        "document.body.classList.add('print-one');"
        "document.getElementById('r2').classList.add('printing');"
        "true"
    )
    assert printed
    pdf = page.send("Page.printToPDF", {"printBackground": True})["data"]
    assert len(pdf) > 1000
    assert page.errors == []


def test_html_is_listed_among_the_formats() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "evalcheck", "check", "--help"], capture_output=True, text=True
    )
    assert "html" in done.stdout


def test_a_document_report_keeps_its_tables(tmp_path: Path) -> None:
    """A report read from Word is drawn from what was read, its findings on the same cells."""
    data = json.loads((SAMPLES / "shaoyang-beita-2023.json").read_text(encoding="utf-8"))
    docx = write_docx(blocks(data), tmp_path / "beita.docx")
    text = render(str(docx), out=tmp_path / "docx.html").read_text(encoding="utf-8")
    assert re.search(r'data-path="预算执行\.年初预算数" class="[^"]*culprit', text)
    assert re.search(
        r"位置：预算执行\.年初预算数（表\d+ 第\d+行 第\d+列）", text
    )  # the Word table's cell


def test_unreadable_files_and_lists_of_reports(tmp_path: Path) -> None:
    beita = json.loads((SAMPLES / "shaoyang-beita-2023.json").read_text(encoding="utf-8"))
    (tmp_path / "two.json").write_text(json.dumps([beita, beita], ensure_ascii=False), "utf-8")
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    text = render(str(tmp_path), out=tmp_path / "out.html").read_text(encoding="utf-8")
    assert "无法读取" in text
    assert "第 1 份报告" in text and "第 2 份报告" in text
    assert re.search(r'data-path="\[1\]\.预算执行\.年初预算数" class="[^"]*culprit', text)
    first_row = text[text.index("<tbody>") :].split("</tr>")[0]
    assert "broken.json" in first_row  # an unreadable file first: worst of all
