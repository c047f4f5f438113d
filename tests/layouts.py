"""One report rendered into every shape of ../shared/LAYOUTS.md, for the reader round trips.

The forms come from :func:`office.blocks` (the Hunan forms with their merged cells): the text
shapes whose rows are marked (tab cells, pipe rows, Markdown, CSV, space-aligned columns) print
those grids as they are, merged cells left blank.  The shapes that do not mark rows (a cell per
line ending in `` |``, cells between bare ``|`` lines or blank lines, a flattened table on one
line) can only be read back when every row is as wide as its header, as in a sheet exported
without merged cells: :func:`export_blocks` lays the same report out that way.  HTML (with
rowspan/colspan), PDF (fpdf2, or Chromium printing the HTML) and .xls are written here too.

No text of any real page is used: the figures are the samples'.
"""

from __future__ import annotations

import csv
import html
import io
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from office import Grid, blocks

__all__ = [
    "SHAPES",
    "export_blocks",
    "write_chromium_pdf",
    "write_html",
    "write_pdf",
    "write_shape",
    "write_xls",
]

Items = list[Any]  # str | (text, heading) | Grid


def _paragraph(item: Any) -> str:
    return item[0] if isinstance(item, tuple) else item


def _covered(grid: Grid) -> set[tuple[int, int]]:
    covered: set[tuple[int, int]] = set()
    for r0, c0, r1, c1 in grid.merges:
        covered |= {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)} - {(r0, c0)}
    return covered


def _rows(grid: Grid) -> list[list[str]]:
    """The grid as printed: a merged cell once, at its first position; covered cells blank."""
    covered = _covered(grid)
    return [
        ["" if (r, c) in covered else text for c, text in enumerate(row)]
        for r, row in enumerate(grid.rows)
    ]


def _lines(items: Items, table: Callable[[Grid], list[str]]) -> str:
    out: list[str] = []
    for item in items:
        if isinstance(item, Grid):
            out += item.before
            out += table(item)
            out += item.after
        else:
            out.append(_paragraph(item))
    return "\n".join(out) + "\n"


# --- shapes whose rows are marked -------------------------------------------------------------


def tab_cells(items: Items) -> str:
    """1. One cell per line, tab-prefixed, a blank line between rows (Word copy; the seeds)."""

    def table(grid: Grid) -> list[str]:
        lines: list[str] = []
        for row in _rows(grid):
            for text in row:
                first, *rest = text.split("\n")
                lines += ["\t" + first, *rest]
            lines.append("")
        return lines

    return _lines(items, table)


def pipe_rows(items: Items, markdown: bool = False, short: bool = True) -> str:
    """2. A row per line, cells between ``|``; empty cells as ``|  |``; rows cut short."""

    def table(grid: Grid) -> list[str]:
        lines: list[str] = []
        for number, row in enumerate(_rows(grid)):
            cells = [t.replace("\n", "") for t in row]
            while short and len(cells) > 1 and not cells[-1]:
                cells.pop()
            if markdown:
                lines.append("| " + " | ".join(cells) + " |")
                if number == 0:
                    lines.append("|" + "---|" * len(row))
            else:
                lines.append(" | ".join(cells) + " |")
        return ["", *lines, ""] if markdown else lines

    return _lines(items, table)


def markdown_rows(items: Items) -> str:
    return pipe_rows(items, markdown=True, short=False)


def csv_rows(items: Items) -> str:
    """8. CSV with quoted cells (a line break inside a cell is kept inside its quotes)."""

    def table(grid: Grid) -> list[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n")
        for row in _rows(grid):
            writer.writerow([t.replace("\n", "") for t in row])
        return buffer.getvalue().rstrip("\n").split("\n")

    return _lines(items, table)


def space_aligned(items: Items, break_figure: str = "") -> str:
    """5. Columns padded with spaces (PDF text extraction); header cells broken over lines
    (“年度” / “指标值”) and, with ``break_figure``, that figure broken (“95.” / “10%”)."""

    def table(grid: Grid) -> list[str]:
        rows = [[" ".join(t.split(" ")).strip() for t in row] for row in _rows(grid)]
        rows = [[re.sub(" {2,}", " ", t) for t in row] for row in rows]  # one space inside cells
        split = [
            [t.split("\n") if c and len(t) <= 8 else [t.replace("\n", "")] for c, t in enumerate(r)]
            for r in rows
        ]
        if break_figure:
            for parts in (p for row in split for p in row):
                if parts == [break_figure]:
                    at = break_figure.index(".") + 1
                    parts[:] = [break_figure[:at], break_figure[at:]]
        width = len(rows[0])
        widths = [max(_shown(p) for row in split for p in row[c]) + 3 for c in range(width)]
        lines: list[str] = []
        for row in split:
            for line in range(max(len(parts) for parts in row)):
                texts = [parts[line] if line < len(parts) else "" for parts in row]
                padded = (t + " " * (w - _shown(t)) for t, w in zip(texts, widths, strict=True))
                lines.append("".join(padded).rstrip())
        return lines

    return _lines(items, table)


def _shown(text: str) -> int:
    """Width in a monospaced view: CJK characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


# --- shapes that do not mark rows: tables exported without merged cells ---------------------


def export_blocks(report: dict[str, Any]) -> Items:
    """The report as a sheet export would give it: every row as wide as its header, merged
    labels repeated, one table per block of the forms."""
    out: Items = [item for item in blocks(report) if not isinstance(item, Grid)]
    if "经费控制情况" not in report and "绩效指标" not in report:
        return out
    year = int(report.get("评价年度", "2023"))
    staff = report.get("人员编制", {})
    out.append(
        Grid(
            "人员",
            [
                ["项目", "编制数", "实际在职人数", "控制率"],
                ["财政供养人员", *(_v(staff, k) for k in ("编制数", "实际在职人数", "编制控制率"))],
            ],
            before=["附件1-1", "部门整体支出绩效评价基础数据表"],
        )
    )
    costs = report.get("经费控制情况", {})
    rows = [["项目", f"{year - 1}年决算数", f"{year}年预算数", f"{year}年决算数"]]

    def cost(label: str, values: dict[str, Any]) -> None:
        rows.append([label, *(_v(values, c) for c in ("上年决算数", "本年预算数", "本年决算数"))])

    three = costs.get("三公经费", {})
    vehicles = three.get("公务用车购置及运行维护费", {})
    cost("三公经费", three)
    cost("公务用车购置和维护经费", vehicles)
    cost("公车购置", vehicles.get("公车购置", {}))
    cost("公车运行维护", vehicles.get("公车运行维护", {}))
    cost("出国经费", three.get("出国经费", {}))
    cost("公务接待", three.get("公务接待", {}))
    projects = costs.get("项目支出", {})
    cost("项目支出", projects)
    for item in projects.get("明细", []):
        cost(item["名称"], item)
    operating = costs.get("公用经费", {})
    cost("公用经费", operating)
    for item in operating.get("其中", []):
        cost(item["名称"], item)
    cost("政府采购金额", costs.get("政府采购金额", {}))
    cost("部门基本支出预算调整", costs.get("部门基本支出预算调整", {}))
    out.append(Grid("经费", rows))
    buildings = report.get("楼堂馆所控制情况", {})
    columns = ("批复规模", "实际规模", "规模控制率", "预算投资", "实际投资", "投资概算控制率")
    out.append(
        Grid(
            "楼堂馆所",
            [
                ["项目", *columns],
                ["楼堂馆所控制情况", *(_v(buildings, c) for c in columns)],
                ["厉行节约保障措施", _v(report, "厉行节约保障措施"), "", "", "", "", ""],
            ],
        )
    )
    execution = report.get("预算执行", {})
    funds = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
    income = [f"其中：{k}：{v}" for k, v in execution.get("按收入性质分", {}).items()]
    spending = [f"{k}：{v}" for k, v in execution.get("按支出性质分", {}).items()]
    funds_rows = [["项目", *funds], ["年度资金总额", *(_v(execution, c) for c in funds)]]
    for i in range(max(len(income), len(spending))):
        pair = [income[i] if i < len(income) else "", spending[i] if i < len(spending) else ""]
        funds_rows.append([*pair, "", "", "", "", ""])
    out.append(
        Grid(
            "资金",
            funds_rows,
            before=["附件1-2", "整体支出绩效自评表", f"预算单位名称：{report.get('单位名称', '')}"],
        )
    )
    goals = report.get("年度总体目标", {})
    out.append(
        Grid(
            "目标",
            [
                ["年度总体目标", "预期目标", "实际完成情况"],
                ["内容", _v(goals, "预期目标"), _v(goals, "实际完成情况")],
            ],
        )
    )
    fields = ("三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施")
    indicator_rows = [["一级指标", "二级指标", *fields[:-1], "偏差原因分析及改进措施"]]
    for group in report.get("绩效指标", []):
        level1 = f"{group['一级指标']}（{group.get('分值', '')}分）"
        for item in group.get("指标", []):
            indicator_rows.append([level1, _v(item, "二级指标"), *(_v(item, c) for c in fields)])
    total = report.get("总分", {})
    indicator_rows.append(["总分", "", "", "", "", _v(total, "分值"), _v(total, "得分"), ""])
    out.append(Grid("指标", indicator_rows))
    return out


def _v(values: dict[str, Any], key: str) -> str:
    value = values.get(key)
    return "" if value is None else str(value)


def _export_lines(items: Items, cell: Callable[[str], list[str]], between: list[str]) -> str:
    out: list[str] = []
    for item in items:
        if not isinstance(item, Grid):
            out.append(_paragraph(item))
            continue
        out += item.before
        texts = [t for row in item.rows for t in row]
        while texts and not texts[-1]:
            texts.pop()  # a table ends at its last cell: trailing empty cells are not written
        for index, text in enumerate(texts):
            if index:
                out += between
            out += cell(text.replace("\n", ""))
        out += item.after
    return "\n".join(out) + "\n"


def trailing_bars(items: Items) -> str:
    """3. One cell per line, each ending in `` |``; rows not marked (width from the header)."""
    return _export_lines(items, lambda t: [f"{t} |"], [])


def bar_lines(items: Items) -> str:
    """4. One cell per line, separated by lines holding a bare ``|`` (an empty cell: an empty
    line between two bars)."""
    return _export_lines(items, lambda t: [t], ["|"])


def blank_lines(items: Items) -> str:
    """4. One cell per line, separated by blank lines only (an empty cell: one more blank)."""
    return _export_lines(items, lambda t: [t] if t else [], [""])


def flattened(items: Items) -> str:
    """6. A table on one line, cells separated by single spaces, row numbers interleaved,
    thousands separators in the amounts; empty cells vanish, as in PDF text."""
    out: list[str] = []
    for item in items:
        if not isinstance(item, Grid):
            out.append(_paragraph(item))
            continue
        out += item.before
        tokens: list[str] = ["序号"]
        for number, row in enumerate(item.rows):
            if number:
                tokens.append(str(number))
            cells = [_thousands(t.replace("\n", "").replace(" ", "")) for t in row]
            while cells and not cells[-1]:
                cells.pop()  # trailing empty cells vanish; one inside the row prints as —
            tokens += [t or "—" for t in cells]
        out.append(" ".join(tokens))
        out += item.after
    return "\n".join(out) + "\n"


def _thousands(text: str) -> str:
    try:
        whole, _, decimals = text.partition(".")
        if whole.isdigit() and len(whole) > 3:
            return f"{int(whole):,}" + (f".{decimals}" if decimals else "")
    except ValueError:
        pass
    return text


SHAPES: dict[str, tuple[Callable[[Items], str], bool]] = {
    # name: (writer, uses the export layout)
    "tab-cells": (tab_cells, False),
    "pipe-rows": (pipe_rows, False),
    "markdown": (markdown_rows, False),
    "csv": (csv_rows, False),
    "space-aligned": (space_aligned, False),
    "trailing-bars": (trailing_bars, True),
    "bar-lines": (bar_lines, True),
    "blank-lines": (blank_lines, True),
    "flattened": (flattened, True),
}


def write_shape(report: dict[str, Any], shape: str, path: Path) -> Path:
    writer, export = SHAPES[shape]
    items = export_blocks(report) if export else blocks(report)
    path.write_text(writer(items), "utf-8")
    return path


# --- HTML, PDF, .xls ------------------------------------------------------------------------


def html_page(items: Items, nested: int = 0) -> str:
    """A saved web page: paragraphs, and tables with rowspan/colspan for the merged cells."""
    body: list[str] = []
    for item in items:
        if isinstance(item, Grid):
            body += [f"<p>{html.escape(line)}</p>" for line in item.before]
            body.append(_html_table(item))
            body += [f"<p>{html.escape(line)}</p>" for line in item.after]
        elif isinstance(item, tuple) and item[1]:
            body.append(f"<h2>{html.escape(item[0])}</h2>")
        else:
            body.append(f"<p>{html.escape(_paragraph(item))}</p>")
    inner = "\n".join(body)
    inner = "<div>" * nested + inner + "</div>" * nested
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head><meta charset="utf-8">'
        "<title>部门整体支出绩效自评报告</title>"
        "<style>table{border-collapse:collapse}td{border:1px solid #000;padding:2px}"
        "tr{break-inside:avoid}"
        "body{font-family:'Noto Sans CJK SC','Noto Serif CJK SC',sans-serif;font-size:9pt}</style>"
        "</head>\n<body>\n" + inner + "\n</body>\n</html>\n"
    )


def _html_table(grid: Grid) -> str:
    starts = {(r0, c0): (r1 - r0 + 1, c1 - c0 + 1) for r0, c0, r1, c1 in grid.merges}
    covered = _covered(grid)
    rows: list[str] = []
    for r, row in enumerate(grid.rows):
        cells: list[str] = []
        for c, text in enumerate(row):
            if (r, c) in covered:
                continue
            span = starts.get((r, c), (1, 1))
            attrs = (f' rowspan="{span[0]}"' if span[0] > 1 else "") + (
                f' colspan="{span[1]}"' if span[1] > 1 else ""
            )
            cells.append(f"<td{attrs}>{html.escape(text).replace(chr(10), '<br>')}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return "<table>\n" + "\n".join(rows) + "\n</table>"


def write_html(report: dict[str, Any], path: Path) -> Path:
    path.write_text(html_page(blocks(report)), "utf-8")
    return path


def write_pdf(report: dict[str, Any], path: Path) -> Path:
    """A text PDF written by reportlab: paragraphs, and the forms as ruled tables with their
    merged cells; long cells wrap inside their column, as in printed forms.  The CJK text uses
    reportlab's built-in CID font (no font file needed; readers map it through Adobe's CMaps)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("cjk", fontName="STSong-Light", fontSize=7, leading=9, wordWrap="CJK")
    story: list[Any] = []
    width = landscape(A4)[0] - 60
    for item in blocks(report):
        if isinstance(item, Grid):
            story += [Paragraph(html.escape(line), style) for line in item.before]
            rows = [
                [Paragraph(html.escape(t).replace("\n", "<br/>"), style) for t in row]
                for row in _rows(item)
            ]
            table = Table(rows, colWidths=[width / len(rows[0])] * len(rows[0]))
            commands: list[Any] = [("GRID", (0, 0), (-1, -1), 0.5, colors.black)]
            commands += [("SPAN", (c0, r0), (c1, r1)) for r0, c0, r1, c1 in item.merges]
            table.setStyle(TableStyle(commands))
            story.append(table)
            story += [Paragraph(html.escape(line), style) for line in item.after]
        else:
            story.append(Paragraph(html.escape(_paragraph(item)), style))
    SimpleDocTemplate(
        str(path), pagesize=landscape(A4), leftMargin=30, rightMargin=30, topMargin=30
    ).build(story)
    return path


def chromium() -> str | None:
    """The headless Chromium that prints web pages to PDF, as offices make them."""
    import shutil

    return shutil.which("chromium") or shutil.which("chromium-browser")


def write_chromium_pdf(report: dict[str, Any], path: Path) -> Path:
    """The saved page printed to PDF by headless Chromium with the Noto CJK fonts."""
    import subprocess
    import tempfile

    browser = chromium()
    assert browser is not None
    with tempfile.TemporaryDirectory() as folder:
        page = write_html(report, Path(folder) / "report.html")
        subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-pdf-header-footer",
                f"--user-data-dir={folder}/profile",
                f"--print-to-pdf={path}",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    return path


def write_xls(report: dict[str, Any], path: Path) -> Path:
    """An Excel 97-2003 workbook (xlwt): a sheet per form, merged cells as in the forms."""
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    prose = workbook.add_sheet("正文")
    row = 0
    for item in blocks(report):
        if isinstance(item, Grid):
            sheet = workbook.add_sheet(item.name)
            for r, line in enumerate(item.before):
                sheet.write(r, 0, line)
            offset = len(item.before)
            covered = _covered(item)
            for r0, c0, r1, c1 in item.merges:
                sheet.write_merge(r0 + offset, r1 + offset, c0, c1, item.rows[r0][c0])
            starts = {(r0, c0) for r0, c0, _, _ in item.merges}
            for r, cells in enumerate(item.rows):
                for c, text in enumerate(cells):
                    if (r, c) not in covered and (r, c) not in starts and text:
                        sheet.write(r + offset, c, text)
            for r, line in enumerate(item.after):
                sheet.write(offset + len(item.rows) + r, 0, line)
        else:
            prose.write(row, 0, _paragraph(item))
            row += 1
    workbook.save(str(path))
    return path
