"""``--format junit``: JUnit XML, for CI systems that show test results (GitLab, Jenkins, …).

One ``<testsuite>`` per report file, one ``<testcase>`` per selected rule (so a rule that
passed shows as a passing test):

- a rule with error or warning findings → ``<failure>``: the message is the finding's text
  (or a count when there are several), the body lists every finding with
  ``file:line:col``, key path and arithmetic;
- a rule whose only findings are info notes (e.g. differences within rounding) passes, the
  notes in ``<system-out>``;
- a rule whose findings were all explained by the office → ``<skipped>`` with the
  explanations (explained findings of a failing rule are listed in its failure body);
- a rule with no findings that did not apply to the report at all → ``<skipped>`` with the
  reason;
- a file that cannot be read → a single testcase ``load`` with an ``<error>``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import field
from typing import TYPE_CHECKING

from ..findings import SEVERITY_LABEL, SEVERITY_RANK, Summary
from ..inputs.escape import visible_lines
from ..inputs.records import dataclass
from . import RenderOptions
from .json_format import finding_text, report_path

if TYPE_CHECKING:
    from ..findings import FileResult, Finding, RuleInfo

__all__ = ["JunitReporter"]

# Characters XML 1.0 cannot hold at all (ElementTree would write them and break the file).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    """Text XML can hold and a terminal showing the file cannot act on (line breaks kept)."""
    return _NOT_XML.sub("\ufffd", visible_lines(text))


@dataclass(slots=True)
class _Case:
    rule_id: str
    title: str
    whole_report: bool  # no scope and no loop: one outcome for the whole report
    findings: list[Finding] = field(default_factory=list)


def _location(finding: Finding, file: str) -> str:
    if finding.rendered and finding.origin:
        return f"{file}:{finding.origin}"
    if finding.line < 1:
        return file
    place = f"{file}:{finding.line}:{finding.column}"
    return f"{place}（{finding.origin}）" if finding.origin else place


def _describe(finding: Finding, file: str) -> str:
    lines = [
        f"{_location(finding, file)}: {finding.rule_id} [{SEVERITY_LABEL.get(finding.severity, finding.severity)}] {finding.message}"
    ]
    if finding.label and finding.label not in finding.message:
        lines.append(f"  计算：{finding.label}")
    if finding.path:
        lines.append(f"  位置：{finding.path}")
    if finding.explanation is not None:
        lines.append(f"  已说明：{finding.explanation}")
    return "\n".join(lines)


class JunitReporter:
    """Builds the XML tree file by file and writes it at the end."""

    def __init__(self, options: RenderOptions) -> None:
        self.options = options
        self.root = ET.Element("testsuites", name="evalcheck")
        self.totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}

    def _cases(self, result: FileResult) -> list[_Case]:
        cases: dict[str, _Case] = {}
        rule: RuleInfo
        for rule in self.options.rules:
            cases[rule.id] = _Case(rule.id, rule.title, rule.whole_report)
        for finding in result.findings:
            if finding.rule_id not in cases:
                cases[finding.rule_id] = _Case(finding.rule_id, finding.title, False)
            cases[finding.rule_id].findings.append(finding)
        return list(cases.values())

    def file(self, result: FileResult) -> str:
        file = report_path(result.file)
        suite = ET.SubElement(self.root, "testsuite", name=_xml_text(file))
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        if result.error is not None:
            case = ET.SubElement(suite, "testcase", classname=_xml_text(file), name="load")
            error = ET.SubElement(
                case, "error", message=_xml_text(result.error.message), type="load-error"
            )
            error.text = _xml_text(str(result.error))
            counts["tests"] = counts["errors"] = 1
        else:
            not_applicable = {n.rule_id: n.reason for n in result.not_applicable}
            for case_data in self._cases(result):
                outcome = self._testcase(suite, case_data, file, not_applicable)
                counts["tests"] += 1
                if outcome:
                    counts[outcome] += 1
        for key, value in counts.items():
            suite.set(key, str(value))
            self.totals[key] += value
        suite.set("time", "0")
        return ""

    def _testcase(
        self, suite: ET.Element, data: _Case, file: str, not_applicable: dict[str, str]
    ) -> str:
        """Write one testcase; return "failures", "skipped" or "" (passed)."""
        case = ET.SubElement(
            suite,
            "testcase",
            classname=_xml_text(file),
            name=_xml_text(f"{data.rule_id} {data.title}"),
        )
        failing: list[Finding] = []
        explained: list[Finding] = []
        notes: list[Finding] = []
        for finding in data.findings:
            if finding.explanation is not None:
                explained.append(finding)
            elif finding.severity in ("error", "warning"):
                failing.append(finding)
            else:
                notes.append(finding)
        body = "\n".join(_describe(f, file) for f in data.findings)
        if failing:
            worst = max(failing, key=lambda f: SEVERITY_RANK.get(f.severity, 0))
            message = (
                finding_text(failing[0]) if len(failing) == 1 else f"{len(failing)} 处不符合规则"
            )
            failure = ET.SubElement(
                case, "failure", message=_xml_text(message), type=worst.severity
            )
            failure.text = _xml_text(body)
            return "failures"
        if explained and not notes:
            skipped = ET.SubElement(case, "skipped", message="已说明")
            skipped.text = _xml_text(body)
            return "skipped"
        if data.findings:
            ET.SubElement(case, "system-out").text = _xml_text(body)
            return ""
        if data.whole_report and data.rule_id in not_applicable:
            ET.SubElement(
                case, "skipped", message=_xml_text(f"不适用：{not_applicable[data.rule_id]}")
            )
            return "skipped"
        return ""

    def finish(self, summary: Summary) -> str:
        for key, value in self.totals.items():
            self.root.set(key, str(value))
        ET.indent(self.root)
        body = ET.tostring(self.root, encoding="unicode")
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
