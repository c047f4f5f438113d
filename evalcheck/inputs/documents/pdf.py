"""PDF files, read with pdfplumber: tables from their ruling lines, the rest as lines of text.

pdfplumber (on pdfminer.six) gives each character with its box and finds tables by the lines
drawn around cells, which is how the forms are printed; a cell is read with its line breaks
(“财政供\\n养人员\\n情况”), and merged cells come out once, blank where they are covered, as in
the extracted text the seeds show.  Positions are ``第N页 表M 第r行 第c列`` (paragraph lines
``第N页 第k行``), and every cell keeps its box in points (x0, top, x1, bottom) for machine
output.  The text positions point into a rendering with one line per text line or table row.

Text that is not the text shown (radical code points from Chromium and Noto CJK) is read as
meant by :mod:`.characters` before anything is recognised.  A PDF without a text layer (a scan)
cannot be checked: it is one 未识别 entry, so EC001 fails the run saying so; a page of a PDF
without one is listed as not read.
"""

from __future__ import annotations

import io
import logging
from typing import Any

from ..source import LoadError
from .extras import library
from .layout import Cell, Layout, Origin, Paragraph, Row, Span, Unread

__all__ = ["MAX_PDF_PAGES", "NO_TEXT", "read_pdf"]


def _size(line: dict[str, Any]) -> float:
    """The font size of a text line, from its characters (a full line ends within two)."""
    chars = line.get("chars") or []
    return float(chars[0]["size"]) if chars else 10.0


MAX_PDF_PAGES = 300  # a report with its attachments is a few dozen pages
NO_TEXT = "此 PDF 没有文字层（扫描件），无法检查"


def read_pdf(name: str, data: bytes) -> Layout:
    pdfplumber = library(name, "pdfplumber", package="pdfplumber", what=" PDF ", extra="pdf")
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise LoadError(name, 1, 1, "不是有效的 PDF 文件（缺少 %PDF 文件头）")
    try:
        document = pdfplumber.open(io.BytesIO(data))
        pages = document.pages
    except Exception as exc:  # pdfminer raises many kinds on damaged files
        raise LoadError(name, 1, 1, f"不是有效的 PDF 文件（{type(exc).__name__}）") from None
    if len(pages) > MAX_PDF_PAGES:
        raise LoadError(name, 1, 1, f"PDF 页数过多（{len(pages)} 页，上限 {MAX_PDF_PAGES} 页）")
    reader = _PdfReader(name)
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # font warnings are not the user's
    try:
        for number, page in enumerate(pages, start=1):
            reader.page(page, number)
    except LoadError:
        raise
    except Exception as exc:
        raise LoadError(name, 1, 1, f"PDF 内容无法读取（{type(exc).__name__}）") from None
    finally:
        document.close()
    if not reader.text_pages:  # nothing to check: the unread entry makes EC001 fail the run
        reader.layout.unread = [
            Unread(Origin("第1页", 1, 1, ""), "", f"无法识别：{NO_TEXT}（共 {len(pages)} 页）")
        ]
    reader.layout.text = "\n".join(reader.lines)
    return reader.layout


class _PdfReader:
    def __init__(self, name: str) -> None:
        self.layout = Layout(name, "", "pdf")
        self.lines: list[str] = []
        self.tables = 0
        self.text_pages = 0
        # the table that may go on over a page break: (number, width, rows so far, name)
        self.open_table: tuple[int, int, int, str] | None = None  # None after any text

    def page(self, page: Any, number: int) -> None:
        if not page.chars:
            line = len(self.lines) + 1
            self.lines.append("")
            where = f"第{number}页"
            self.layout.unread.append(
                Unread(Origin(where, line, 1, ""), "", f"{where}没有文字层（扫描件），未检查")
            )
            return
        self.text_pages += 1
        found = page.find_tables()
        # text outside every cell (a row cut by a page break) is kept as lines, never lost
        boxes = [cell for table in found for cell in table.cells]

        def outside(obj: dict[str, Any]) -> bool:
            if obj.get("object_type") != "char":
                return True
            x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
            return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

        items: list[tuple[float, int, Any]] = [
            (line["top"], 0, line) for line in page.filter(outside).extract_text_lines()
        ]
        items += [(table.bbox[1], 1, table) for table in found]
        lines = [item for _, kind, item in items if kind == 0]
        right = max((line["x1"] for line in lines), default=0.0)
        paragraphs = 0
        on_page = 0
        pending: list[dict[str, Any]] = []
        for _, kind, item in sorted(items, key=lambda i: (i[0], i[1])):
            if kind == 0:
                self.open_table = None  # text between two tables: they are two
                pending.append(item)
                full = item["x1"] >= right - 2 * _size(item)
                if not full:
                    paragraphs += 1
                    self._paragraph(pending, f"第{number}页 第{paragraphs}段")
                    pending = []
                continue
            if pending:
                paragraphs += 1
                self._paragraph(pending, f"第{number}页 第{paragraphs}段")
                pending = []
            on_page += 1
            self._table(item, number, on_page)
        if pending:
            paragraphs += 1
            self._paragraph(pending, f"第{number}页 第{paragraphs}段")

    def _paragraph(self, lines: list[dict[str, Any]], where: str) -> None:
        """Lines that run to the right margin go on in the next line: one paragraph."""
        text = "".join(line["text"] for line in lines)
        self.lines.append(text)
        self.layout.items.append(Paragraph(Span(text, len(self.lines), 1), where))

    def _table(self, table: Any, page: int, on_page: int) -> None:
        """A table with no text between it and the table before goes on from it: a form printed
        over a page break, or parts of one form whose columns differ; any other starts a table."""
        name = f"第{page}页 表{on_page}"
        texts = table.extract()
        width = max((len(row) for row in texts), default=0)
        first = 1
        if self.open_table is not None:
            number, _, done, _ = self.open_table
            first = done + 1
        else:
            self.tables += 1
            number = self.tables
        self.open_table = (number, width, first - 1 + len(texts), name)
        for r, (row, boxes) in enumerate(zip(texts, table.rows, strict=False), start=first):
            line = len(self.lines) + 1
            cells: list[Cell] = []
            rendered: list[str] = []
            column = 1
            for c, text in enumerate(row, start=1):
                box = boxes.cells[c - 1] if c - 1 < len(boxes.cells) else None
                parts = (text or "").split("\n")
                spans: list[Span] = []
                offset = column
                for part in parts:
                    spans.append(Span(part, line, offset))
                    offset += len(part) + 1
                where = f"{name} 第{r - first + 1}行 第{c}列"
                bbox = (box[0], box[1], box[2], box[3]) if box else None
                cells.append(Cell(spans, where, bbox))
                flat = " ".join(parts)
                rendered.append(flat)
                column += len(flat) + 1
            self.lines.append("\t".join(rendered))
            self.layout.items.append(Row(cells, number, r, "\t".join(rendered), name))
