"""``--format text`` (the default) and ``--format concise``: findings for people.

The text format draws rustc/ruff-style frames around the report's own lines: a header with
severity and rule id, `` --> file:line:col``, the numbered source lines, the offending figure
underlined with ``^`` and labelled with the arithmetic, the other figures the rule used
underlined with ``-`` on their own lines, then the message and how to fix it.

Widths are terminal cells, not characters: a Chinese character takes two cells, so an
underline under ``"年初预算数": 262.78`` must start four cells further right than the character
count says.  Colour is ANSI from rich styles, only when the CLI asks for it; without colour the
output is plain text, byte for byte what the tests compare.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..findings import SEVERITY_LABEL, Counts, Finding, Located, Summary
from ..inputs.escape import visible
from ..inputs.records import dataclass
from . import RenderOptions
from .batch import BatchTable
from .cells import cell_len

if TYPE_CHECKING:
    from ..findings import FileResult
    from ..inputs.source import Source

__all__ = ["ConciseReporter", "TextReporter", "count_line", "summary_line"]

_STYLES = {"error": "bold red", "warning": "bold yellow", "info": "bold cyan"}
_GUTTER = "bold blue"
_TAB = "    "
# Related figures shown in one frame; a sum over a long table would otherwise fill the screen.
_MAX_FIGURES = 12
# Characters of a long source line shown around its first underline.  Without the cut, a report
# written on one line (or a 正文 section with thousands of stated figures) repeats the whole
# line in every frame: 4,000 findings on an 80 KB line took 76 s and 5 GB.
_LINE_WINDOW = 120


class _Paint:
    """Styles text as ANSI when colour is on, returns it unchanged otherwise."""

    def __init__(self, color: bool) -> None:
        self.color = color

    def __call__(self, text: str, style: str) -> str:
        text = visible(text)  # whatever is painted may hold a report's or a rule's text
        if not self.color or not text:
            return text
        from rich.color import ColorSystem  # only with colour: output to a pipe needs neither
        from rich.style import Style

        return Style.parse(style).render(text, color_system=ColorSystem.STANDARD)


NOTHING_FOUND = "未发现问题"


def count_line(
    errors: int, warnings: int, infos: int, explained: int = 0, baseline: int = 0
) -> str:
    """``1 个错误，8 个警告，1 个提示`` (zero counts left out), or ``未发现问题``."""
    parts = [
        f"{n} 个{word}" for n, word in ((errors, "错误"), (warnings, "警告"), (infos, "提示")) if n
    ]
    if explained:
        parts.append(f"{explained} 个已说明")
    if baseline:
        parts.append(f"{baseline} 个已列入基线")
    return "，".join(parts) if parts else NOTHING_FOUND


def summary_line(summary: Summary) -> str:
    """The closing line: ``检查了 2 份报告：1 个错误，8 个警告，1 个提示``.

    未发现问题 only when every file was read and something was checked.
    """
    counts = count_line(
        summary.errors,
        summary.warnings,
        summary.infos,
        summary.explained,
        summary.baseline,
    )
    if summary.unreadable:
        unread = f"{summary.unreadable} 份无法读取"
        counts = unread if counts == NOTHING_FOUND else f"{counts}；{unread}"
    text = f"检查了 {summary.files} 份报告：{counts}"
    if summary.files > summary.unreadable:
        text += f"（共读取 {summary.figures} 个数字，规则检查了 {summary.checked} 个）"
    return text


# --------------------------------------------------------------------------- source lines


def _visible(text: str, column: int, cells: int = _LINE_WINDOW) -> tuple[str, int]:
    """A long line cut to a window of ``cells`` terminal cells around ``column`` (a Chinese
    character takes two), "…" marking each cut; and the number of characters to subtract from
    a column of ``text`` to get its column in the window."""
    if len(text) <= cells and cell_len(text) <= cells:  # a longer text needs cutting anyway
        return text, 0
    budget = cells - 2  # room for the two "…"
    start = max(column - 1, 0)
    lead = budget // 6  # some context before the column, most of the window after it
    while start > 0 and lead > 0:
        start -= 1
        lead -= cell_len(text[start])
    end, used = start, 0
    while end < len(text) and used + cell_len(text[end]) <= budget:
        used += cell_len(text[end])
        end += 1
    while start > 0 and used + cell_len(text[start - 1]) <= budget:  # a short tail: show more
        start -= 1
        used += cell_len(text[start])
    shown = ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
    return shown, start - 1 if start else 0


@dataclass(slots=True)
class _Mark:
    """An underline on one source line: ``^`` for the finding, ``-`` for a related figure.

    ``start`` and ``length`` are what the reader recorded: the value as written, or the key of
    the section that should hold an absent one (one character when nothing was recorded)."""

    line: int
    column: int
    primary: bool
    label: str
    start: int = 0
    length: int = 0

    @property
    def first(self) -> int:
        return self.start or self.column


def _cells(text: str) -> int:
    """Terminal cells ``text`` takes as printed (escaped, tabs expanded)."""
    return cell_len(visible(text).replace("\t", _TAB))


def _shown(text: str) -> str:
    """A source line as printed: tabs expanded, control characters escaped."""
    return visible(text.replace("\t", _TAB))


def _display_name(figure: Located) -> str:
    """The rule's own name for the figure, or its concrete path for a wildcard (``支出功能分类[*]``)."""
    return figure.path if "[*]" in figure.name or not figure.name else figure.name


def _is_prose(source: Source) -> bool:
    """Imported reports (and prose statements) are not JSON/YAML tokens."""
    return source.format not in ("json", "yaml")


def _figure_label(figure: Located, source: Source) -> str:
    name = _display_name(figure)
    if figure.blank:
        # An absent value is located at the section that should hold it.
        return f"{name}：空白" if figure.exact else f"缺少「{name}」"
    written = source.line_text(figure.line)[figure.column - 1 :][: figure.length]
    return name if written.strip("\"'") == figure.value else f"{name} = {figure.value}"


# --------------------------------------------------------------------------- the text format


class TextReporter:
    """Annotated frames per finding, a line per file, a closing total."""

    def __init__(self, options: RenderOptions) -> None:
        self.options = options
        self.paint = _Paint(options.color)
        self.fixes = {rule.id: rule.fix for rule in options.rules}
        self.batch = BatchTable()  # the closing table: counts and sorted rows, not the results

    def file(self, result: FileResult) -> str:
        if result.error is not None:
            return ""  # the CLI prints load errors as one line on stderr
        if result.coverage is not None:  # a report (not the explanations' stale entries)
            self.batch.add(result)
        shown = [f for f in result.findings if f.explanation is None or self.options.verbose]
        blocks = [self.finding(f, result.source) for f in shown]
        if self.options.verbose and result.not_applicable:
            blocks.append(self._not_applicable(result))
        if not self.options.quiet:
            counts = Counts.of(result.findings)
            line = f"{result.file}：{count_line(counts.errors, counts.warnings, counts.infos, counts.explained)}"
            if result.coverage is not None:
                line += f"（{result.coverage.line()}）"
            blocks.append(self.paint(line, "bold") + "\n")
        return "\n".join(blocks) + ("\n" if blocks and not self.options.quiet else "")

    def finish(self, summary: Summary) -> str:
        return "".join(self.finish_chunks(summary))

    def finish_chunks(self, summary: Summary) -> Iterator[str]:
        """:meth:`finish` a piece at a time: the batch table of 100,000 reports is megabytes."""
        if self.options.quiet:
            return
        if self.batch.reports > 1:  # a multi-file run: which reports need attention, worst first
            yield from self.batch.lines()
            yield "\n"
        yield self.paint(summary_line(summary), "bold") + "\n"

    # ---- one finding

    def finding(self, finding: Finding, source: Source | None) -> str:
        paint = self.paint
        style = _STYLES.get(finding.severity, "bold")
        word = SEVERITY_LABEL.get(finding.severity, finding.severity)
        if finding.explanation is not None:
            word += "（已说明）"
        header = paint(f"{word}[{finding.rule_id}]", style) + paint(f": {finding.title}", "bold")
        marks, notes = self._marks(finding, source)
        width = len(str(max((m.line for m in marks), default=finding.line or 1)))
        pad = " " * width
        lines = [header]
        lines.append(f"{pad}{paint('-->', _GUTTER)} {visible(finding.where)}")
        if marks and source is not None:
            lines.append(f"{pad} {paint('|', _GUTTER)}")
            lines.extend(self._frame(marks, source, width, style))
        lines.append(f"{pad} {paint('|', _GUTTER)}")
        for note in notes:
            lines.append(f"{pad} {paint('=', _GUTTER)} {visible(note)}")
        if finding.message and finding.message != f"{finding.title}：{finding.label}":
            lines.append(f"{pad} {paint('=', _GUTTER)} {visible(finding.message)}")
        if finding.explanation is not None:
            reason = visible(finding.explanation)
            lines.append(f"{pad} {paint('=', _GUTTER)} {paint('已说明：', 'bold')}{reason}")
        if finding.diagnosis is not None:
            text = visible(finding.diagnosis.text)
            lines.append(f"{pad} {paint('=', _GUTTER)} {paint('诊断：', 'bold')}{text}")
        fix = self.fixes.get(finding.rule_id, "")
        help_text = f"{fix}（详见 evalcheck explain {finding.rule_id}）" if fix else ""
        if help_text:
            shown = visible(help_text)
            lines.append(f"{pad} {paint('=', _GUTTER)} {paint('帮助：', 'bold')}{shown}")
        return "\n".join(lines) + "\n"

    def _marks(self, finding: Finding, source: Source | None) -> tuple[list[_Mark], list[str]]:
        """Underlines that fit in the frame, and notes for figures that have no place in it."""
        if source is None or finding.line < 1:
            notes = [f"{_display_name(f)} {f.value}" for f in finding.figures]
            if finding.label and finding.label not in finding.message:
                notes.insert(0, finding.label)
            return [], notes
        marks = [
            _Mark(finding.line, finding.column, True, finding.label, finding.mark, finding.length)
        ]
        taken = {(finding.line, finding.column)}
        notes = []
        for figure in finding.figures:
            if (figure.line, figure.column) in taken:
                continue
            if figure.line < 1 or len(marks) > _MAX_FIGURES:
                notes.append(f"{_display_name(figure)} {figure.value}（第 {figure.line} 行）")
                continue
            taken.add((figure.line, figure.column))
            label = _figure_label(figure, source)
            marks.append(
                _Mark(figure.line, figure.column, False, label, figure.mark, figure.length)
            )
        return marks, notes

    def _frame(self, marks: list[_Mark], source: Source, width: int, style: str) -> list[str]:
        paint = self.paint
        bar = paint("|", _GUTTER)
        out: list[str] = []
        numbers = sorted({m.line for m in marks})
        previous = 0
        for number in numbers:
            if previous and number == previous + 2:
                gap = _shown(_visible(source.line_text(previous + 1), 1, self.cells(width))[0])
                out.append(f"{paint(str(previous + 1).rjust(width), _GUTTER)} {bar} {gap}")
            elif previous and number > previous + 2:
                out.append(paint("...", _GUTTER))
            on_line = sorted((m for m in marks if m.line == number), key=lambda m: m.first)
            text, cut = _visible(source.line_text(number), on_line[0].first, self.cells(width))
            out.append(f"{paint(str(number).rjust(width), _GUTTER)} {bar} {_shown(text)}")
            for mark in on_line:
                # a blank cell at the end of a row sits one past the text shown
                if not 1 <= mark.first - cut <= len(text) + 1:  # outside the window shown
                    note = f"（第 {mark.column} 列）{mark.label}"
                    out.append(f"{' ' * width} {bar} {paint(note, _GUTTER)}")
                    continue
                start = mark.first - cut - 1
                length = max(min(mark.length, len(text) - start), 1)
                text = text.ljust(start + length)
                indent = " " * _cells(text[:start])
                underline = ("^" if mark.primary else "-") * max(
                    _cells(text[start : start + length]), 1
                )
                mark_style = style if mark.primary else _GUTTER
                label = f" {mark.label}" if mark.label else ""
                out.append(f"{' ' * width} {bar} {indent}{paint(underline + label, mark_style)}")
            previous = number
        return out

    def cells(self, gutter: int) -> int:
        """Room for a source line in a frame: the terminal's width less the gutter."""
        return max(self.options.width - gutter - 3, 40)

    def _not_applicable(self, result: FileResult) -> str:
        lines = [self.paint(f"{result.file}：以下规则未检查（缺少数据或前提条件不成立）", "bold")]
        repeats = Counter((n.rule_id, n.path, n.reason) for n in result.not_applicable)
        id_width = max(len(rule_id) for rule_id, _, _ in repeats)
        for (rule_id, path, reason), times in repeats.items():  # first occurrence order
            where = path or "（整份报告）"
            count = f"（×{times}）" if times > 1 else ""
            lines.append(visible(f"  {rule_id.ljust(id_width)}  {where}：{reason}{count}"))
        return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- the concise format


class ConciseReporter:
    """One line per finding: ``file:line:col: 错误[EC103] message（arithmetic）``."""

    def __init__(self, options: RenderOptions) -> None:
        self.options = options
        self.paint = _Paint(options.color)

    def file(self, result: FileResult) -> str:
        lines = []
        for finding in result.findings:
            if finding.explanation is not None and not self.options.verbose:
                continue
            lines.append(self.line(finding))
        return "".join(line + "\n" for line in lines)

    def line(self, finding: Finding) -> str:
        word = SEVERITY_LABEL.get(finding.severity, finding.severity)
        style = _STYLES.get(finding.severity, "bold")
        text = finding.message
        label = finding.label.strip()
        if label and label not in text:
            text += f"（{label}）"
        if finding.explanation is not None:
            text += f"（已说明：{finding.explanation}）"
        where = f"{finding.where}:"
        label = self.paint(f"{word}[{finding.rule_id}]", style)
        return f"{self.paint(where, 'bold')} {label} {visible(text)}"

    def finish(self, summary: Summary) -> str:
        if self.options.quiet:
            return ""
        return visible(summary_line(summary)) + "\n"
