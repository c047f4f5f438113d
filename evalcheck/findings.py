"""Step 5: findings — engine outcomes placed in the file, with every figure located.

An outcome knows key paths; a finding knows ``file:line:col``.  Positions are looked up only
here, only for outcomes worth reporting, so a clean report never pays for them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .engine.run import Outcome, OutcomeKey, Status, outcome_key
from .engine.spec import Severity
from .inputs.source import LoadError, Source, format_path

if TYPE_CHECKING:
    from .diagnose import Diagnosis
    from .engine.pack import Rule
    from .report.header import Header

__all__ = [
    "SEVERITIES",
    "FileResult",
    "Finding",
    "Located",
    "NotApplicable",
    "Severity",
    "Status",
    "format_path",
    "locate",
    "meta_finding",
    "to_findings",
]

SEVERITIES = tuple(s.value for s in Severity)  # "error", "warning", "info"
SEVERITY_RANK = {s.value: s.rank for s in Severity}
SEVERITY_LABEL = {s.value: s.label for s in Severity}

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """What renderers, explanations and selection may know of a rule: never the compiled rule.

    ``whole_report``: the rule runs once per report (no scope, no loop), so a JUnit case per
    rule is one check; ``fix`` is what the clerk should do about a finding.
    """

    id: str
    name: str
    title: str
    severity: str
    pack: str
    explain: str
    fix: str = ""
    whole_report: bool = True


def meta_finding(
    rule: RuleInfo, message: str, file: str, where: tuple[int, int], path: str = ""
) -> Finding:
    """A finding of one of the rules about reading (EC0xx, EC901): no figures, no arithmetic."""
    return Finding(
        rule_id=rule.id,
        rule_name=rule.name,
        severity=rule.severity,
        title=rule.title,
        message=message,
        file=file,
        line=where[0],
        column=where[1],
        path=path,
    )


def rule_info(rule: Rule) -> RuleInfo:
    """The renderers' view of a compiled rule."""
    spec = rule.spec
    return RuleInfo(
        id=rule.id,
        name=spec.name,
        title=spec.title,
        severity=spec.severity,
        pack=rule.pack,
        explain=spec.documentation,
        fix=spec.fix or "",
        whole_report=not spec.scope and not spec.for_each,
    )


@dataclass(frozen=True, slots=True)
class Selector:
    """Rules named by id, id prefix (``EC3``) or rule name: ``--select``, ``--ignore``,
    ``severity`` keys, explanation entries.  The one place that matching is written."""

    patterns: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.patterns)

    def matches(self, rule_id: str, name: str) -> bool:
        return any(rule_id.startswith(p) or name == p for p in self.patterns)

    def unknown(self, rules: Iterable[tuple[str, str]]) -> list[str]:
        """Patterns that name none of the (id, name) pairs given."""
        known = list(rules)
        return [p for p in self.patterns if not any(i.startswith(p) or n == p for i, n in known)]


@dataclass(slots=True)
class Counts:
    """Findings by severity; explained findings count only as explained."""

    errors: int = 0
    warnings: int = 0
    infos: int = 0
    explained: int = 0

    def add(self, finding: Finding) -> None:
        if finding.explanation is not None:
            self.explained += 1
        elif finding.severity == Severity.ERROR:
            self.errors += 1
        elif finding.severity == Severity.WARNING:
            self.warnings += 1
        else:
            self.infos += 1

    @classmethod
    def of(cls, findings: Iterable[Finding]) -> Counts:
        counts = cls()
        for finding in findings:
            counts.add(finding)
        return counts


@dataclass(slots=True)
class Summary:
    """Counts over every file checked, for the closing line and ``--statistics``."""

    files: int = 0
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    unreadable: int = 0
    explained: int = 0
    baseline: int = 0  # findings hidden by ``--baseline``
    skipped: int = 0  # evalcheck's own outputs met among the files: not reports
    per_rule: dict[str, int] = field(default_factory=dict)
    figures: int = 0  # read, over every readable file
    checked: int = 0  # of those, checked by at least one rule

    def add_coverage(self, coverage: Coverage | None) -> None:
        if coverage is not None:
            self.figures += coverage.figures
            self.checked += coverage.checked

    def add(self, findings: Iterable[Finding], fail_rank: int) -> bool:
        """Count one file's findings; True if any unexplained one reaches ``fail_rank``."""
        failing = False
        counts = Counts()
        for finding in findings:
            self.per_rule[finding.rule_id] = self.per_rule.get(finding.rule_id, 0) + 1
            counts.add(finding)
            if finding.explanation is None:
                failing |= SEVERITY_RANK.get(finding.severity, 0) >= fail_rank
        self.errors += counts.errors
        self.warnings += counts.warnings
        self.infos += counts.infos
        self.explained += counts.explained
        return failing


@dataclass(frozen=True, slots=True)
class Coverage:
    """How much of one report was read and checked: a green result must mean both.

    ``figures``: numbers read (figures and numeric targets); ``checked``: of those, the ones at
    least one rule evaluated; ``not_applicable``: rules that ran nowhere for want of data;
    ``not_understood``: cells a document reader could not place (kept under 未识别).
    """

    figures: int
    checked: int
    not_applicable: int
    not_understood: int = 0
    rules_run: int = 0  # rules evaluated at least once (not merely not applicable)

    def to_dict(self) -> dict[str, int]:
        return {
            "figures": self.figures,
            "checked": self.checked,
            "rules_run": self.rules_run,
            "not_applicable_rules": self.not_applicable,
            "not_understood": self.not_understood,
        }

    def line(self) -> str:
        """``读取 113 个数字，规则检查了 98 个；12 条规则因缺少数据未适用``."""
        text = f"读取 {self.figures} 个数字，规则检查了 {self.checked} 个"
        if self.not_applicable:
            text += f"；{self.not_applicable} 条规则因缺少数据未适用"
        if self.not_understood:
            text += f"；{self.not_understood} 处内容未能识别"
        return text


def _meta(id_: str, name: str, severity: str, title: str, explain: str, fix: str) -> RuleInfo:
    return RuleInfo(id_, name, title, severity, "evalcheck", explain, fix)


# Rules about evalcheck's reading and its own files rather than about a report's figures: they
# are produced by the runner and by the explanations, listed by ``evalcheck rules`` like the rest.
META_RULES: dict[str, RuleInfo] = {
    rule.id: rule
    for rule in (
        _meta(
            "EC001",
            "not-understood",
            "error",
            "没有读懂这份报告",
            "evalcheck 没有在文件中找到报告格式中的项，或没有读到数字，或读到的数字没有一条规则能检查。\n"
            "这样的文件若显示“未发现问题”，就是没有检查却报告通过，所以它算作错误。\n"
            "常见原因：文件不是绩效自评报告；Word/Excel 中的表格表头与模板不同；JSON/YAML 的项名写错。\n"
            "修正：确认文件是否为自评报告；用 evalcheck import 查看读到了什么；项名按 evalcheck schema 写。",
            "确认文件是否为自评报告；用 evalcheck import 查看读到了什么；项名按 evalcheck schema 写。",
        ),
        _meta(
            "EC002",
            "misspelled-key",
            "warning",
            "项名可能写错",
            "报告中有一项不是报告格式中的项，而与它相近的一项恰好缺失（如写成「预算执行情况」而缺少「预算执行」）。\n"
            "各省模板可以增加自己的项，这不算问题；但写错的项下的数字不会被任何规则检查。\n"
            "修正：把项名改成提示中的写法；若确是本省模板增加的项，在说明文件中说明。",
            "把项名改成提示中的写法；若确是本省模板增加的项，在说明文件中说明。",
        ),
        _meta(
            "EC003",
            "nothing-checked",
            "error",
            "没有一条规则检查了这份报告",
            "运行的规则在这份报告中全部因缺少数据或前提条件不成立而未适用：没有检查任何内容。\n"
            "没有检查却显示“未发现问题”会被当作通过，所以它算作错误。\n"
            "常见原因：报告缺少规则所需的项；--select 只选了不适用于这份报告的规则。\n"
            "修正：用 evalcheck -v 查看各规则未适用的原因；补全报告中的项，或调整 --select。",
            "用 evalcheck -v 查看各规则未适用的原因；补全报告中的项，或调整 --select。",
        ),
        _meta(
            "EC004",
            "unread-table",
            "info",
            "有表格未能识别",
            "Word、Excel、网页、PDF 或文本中有一个表格，evalcheck 没有认出它是哪一张表（表头中没有已知的栏目），\n"
            "表中的数字因此没有被任何规则检查。其余内容照常检查；这一提示不使检查失败，但请人工核对这张表。\n"
            "修正：若这是报告的附表，把表头改成模板的写法（如“全年预算数”“分值”“得分”）；用 evalcheck import 查看读到了什么。",
            "若这是报告的附表，把表头改成模板的写法；用 evalcheck import 查看读到了什么。",
        ),
        _meta(
            "EC901",
            "stale-explanation",
            "warning",
            "说明条目没有对应的发现",
            "说明文件中的一条说明不再对应任何发现：问题可能已经改正，或报告、规则、键路径已改变。\n"
            "过时的说明会让以后真正的问题被悄悄放过。\n"
            "修正：删除这条说明，或改正其中的 file、rule、path。",
            "删除这条说明，或改正其中的 file、rule、path。",
        ),
    )
}


@dataclass(frozen=True, slots=True)
class NotApplicable:
    """A rule skipped at one place for want of data (listed by ``--verbose``)."""

    rule_id: str
    path: str
    reason: str


@dataclass(slots=True)
class FileResult:
    file: str
    findings: list[Finding] = field(default_factory=list)
    not_applicable: list[NotApplicable] = field(default_factory=list)
    error: LoadError | None = None
    source: Source | None = None  # for code frames; None for reports given as objects
    coverage: Coverage | None = None  # None when the file could not be read
    skipped: str | None = None  # why the file is not a report (one of evalcheck's own outputs)
    header: Header | None = None  # who, what kind, which year, what score: for batch overviews
    # The report data as read (with 正文数据; a list for a file of reports), kept only when the
    # format draws the report itself (see render.REPORT_FORMATS): findings' paths point into it.
    report: Any = None


@dataclass(frozen=True, slots=True)
class Located:
    """A figure the rule used: its name in the rule, its value, and where it is printed."""

    name: str
    value: str
    path: str
    line: int
    column: int
    length: int = 0  # characters the figure takes at line:column as written (0: unknown)
    blank: bool = False  # no value there: ``length`` then spans the key or section it belongs to
    exact: bool = True  # line:column is the figure itself, not a section that should hold it
    mark: int = 0  # column where its underline starts, when not at ``column`` (a section's key)


@dataclass(frozen=True, slots=True)
class Place:
    """Where a key path is printed: its own value, or (``exact`` False) the nearest enclosing
    section that is, when the value itself is absent.  ``mark`` and ``length`` are what a code
    frame underlines: the value as written, or the key of a section (``"预算执行": {``)."""

    line: int
    column: int
    length: int = 0
    exact: bool = True
    mark: int = 0  # column where the underline starts (0: at ``column``)


def place(source: Source | None, path: KeyPath, *, key: bool = False) -> Place:
    """The value's place (its key's with ``key``), else the nearest enclosing section's."""
    if source is None:
        return Place(0, 0, 0, False)
    if key and path:
        found = source.key_position(path)
        if found is not None:
            return Place(*found, source.span(path, key=True) or 0)
    probe = path
    while probe:
        position = source.position(probe)
        if position is not None:
            return _marked(source, probe, position, probe == path)
        position = source.key_position(probe)
        if position is not None:
            return Place(*position, source.span(probe, key=True) or 0, probe == path)
        probe = probe[:-1]
    return Place(1, 1, 0, False)


def _marked(source: Source, path: KeyPath, position: tuple[int, int], exact: bool) -> Place:
    """A value's place; a section (no length of its own) is marked by its key on that line."""
    length = source.span(path)
    if length:
        return Place(*position, length, exact)
    key = source.key_position(path)
    if key is not None and key[0] == position[0] and key[1] < position[1]:
        return Place(*position, source.span(path, key=True) or 0, exact, mark=key[1])
    return Place(*position, 0, exact)


@dataclass(slots=True)
class Finding:
    rule_id: str
    rule_name: str
    severity: str
    title: str
    message: str
    file: str
    line: int
    column: int
    path: str
    label: str = ""
    kind: str = Status.FAIL  # fail, rounding, missing, error
    figures: list[Located] = field(default_factory=list)
    explanation: str | None = None  # set when an office explained a warning on purpose
    diagnosis: Diagnosis | None = None  # the figure most likely wrong (never applied)
    origin: str | None = None  # the place in a Word/Excel original, e.g. 附件1-2!C5
    box: tuple[float, float, float, float] | None = None  # PDF: the cell's x0, top, x1, bottom
    rendered: bool = False  # line and column point into a rendering, not the file itself
    length: int = 0  # characters the culprit takes at line:column as written (0: unknown)
    mark: int = 0  # column where its underline starts, when not at ``column`` (a section's key)

    @property
    def where(self) -> str:
        """Where to look, in the file as the user has it: ``r.json:21:14``, ``r.html:40:7
        （表2 第3行 第4列）``, or for Word/Excel/PDF only the place (``r.docx:附件1-2!C5``)."""
        if self.rendered and self.origin:
            return f"{self.file}:{self.origin}"
        place = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        return f"{place}（{self.origin}）" if self.origin else place

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.rule_id, self.path)

    def to_dict(self) -> dict[str, Any]:
        """The stable machine form (``--format json``)."""
        data: dict[str, Any] = {
            "rule": self.rule_id,
            "name": self.rule_name,
            "severity": self.severity,
            "title": self.title,
            "message": self.message,
            "detail": self.label,
            "kind": self.kind,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "values": [
                {
                    "name": f.name,
                    "value": f.value,
                    "path": f.path,
                    "line": f.line,
                    "column": f.column,
                }
                for f in self.figures
            ],
        }
        if self.origin is not None:
            data["origin"] = self.origin
        if self.box is not None:
            data["box"] = [round(v, 2) for v in self.box]
        if self.explanation is not None:
            data["explanation"] = self.explanation
        if self.diagnosis is not None:
            data["diagnosis"] = self.diagnosis.to_dict()
        return data


def locate(source: Source | None, path: KeyPath, *, key: bool = False) -> tuple[int, int]:
    """Line and column of :func:`place`."""
    found = place(source, path, key=key)
    return found.line, found.column


def _origin(source: Source | None, path: KeyPath) -> str | None:
    """For an imported Word/Excel/text report: the sheet!cell or table row and column."""
    describe = getattr(source, "origin", None)
    if describe is None:
        return None
    found = describe(path)
    if found is None or found.description == f"{found.line}:{found.column}":
        return None  # extracted text: the line and column already say where
    return str(found.description)


def _box(source: Source | None, path: KeyPath) -> tuple[float, float, float, float] | None:
    """For a report read from a PDF: the box of the cell the value was printed in (points)."""
    describe = getattr(source, "origin", None)
    found = describe(path) if describe is not None else None
    return getattr(found, "box", None)


def _diagnosis(
    diagnoses: Mapping[OutcomeKey, Diagnosis] | None, outcome: Outcome, source: Source | None
) -> Diagnosis | None:
    found = diagnoses.get(outcome_key(outcome)) if diagnoses else None
    return None if found is None else found.placed(lambda path: locate(source, path))


def to_findings(
    outcomes: Iterable[Outcome],
    source: Source | None,
    file: str,
    diagnoses: Mapping[OutcomeKey, Diagnosis] | None = None,
) -> list[Finding]:
    """Findings for the outcomes worth reporting, in file order, with their diagnoses placed."""
    findings = []
    for outcome in outcomes:
        if outcome.status in (Status.PASS, Status.NOT_APPLICABLE):
            continue
        explanation = outcome.explanation
        primary = outcome.where
        at = place(source, primary)
        line, column = at.line, at.column
        figures = []
        if explanation is not None:
            for operand in explanation.operands:
                found = place(source, operand.path)
                figures.append(
                    Located(
                        operand.source,
                        operand.display,
                        format_path(operand.path),
                        found.line,
                        found.column,
                        found.length,
                        operand.blank,
                        found.exact,
                        found.mark,
                    )
                )
        findings.append(
            Finding(
                rule_id=outcome.rule.id,
                rule_name=outcome.rule.spec.name,
                severity=outcome.severity,
                title=outcome.rule.title,
                message=outcome.text,
                file=file,
                line=line,
                column=column,
                path=format_path(primary),
                label=explanation.label if explanation else outcome.reason,
                kind=outcome.status,
                figures=figures,
                diagnosis=_diagnosis(diagnoses, outcome, source),
                origin=_origin(source, primary),
                box=_box(source, primary),
                rendered=source is not None and source.rendered,
                length=at.length,
                mark=at.mark,
            )
        )
    findings.sort(key=lambda f: f.sort_key)
    return findings
