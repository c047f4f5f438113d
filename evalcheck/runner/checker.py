"""The Python API: load a report, run the rules, return findings.  The CLI is a thin shell on it.

Rules are compiled once per :class:`Checker` and reused for every report it checks.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..engine.pack import Rule, builtin_rules_dir, load_packs
from ..engine.run import Budget, Outcome, OutcomeKey, RunLog, Status, as_tree, run_log
from ..findings import (
    Coverage,
    FileResult,
    Finding,
    NotApplicable,
    format_path,
    not_applicable,
    to_findings,
)
from ..inputs import read_bytes, read_path
from ..inputs.documents.layout import Layout
from ..inputs.source import Document, ItemSource, LoadError, NotAReport, Source
from ..report import from_input
from ..report.header import header_of
from ..report.narrative import with_statements
from ..report.tree import ShapeError, normalise_report
from .rules import PER_REPORT_META
from .understanding import coverage, understanding

if TYPE_CHECKING:
    from ..diagnose import Change, Diagnosis
    from ..report.model import Report

__all__ = ["Checker", "FileResult", "NotApplicable", "check", "select_rules"]


def select_rules(
    rules: Sequence[Rule], select: Iterable[str] = (), ignore: Iterable[str] = ()
) -> list[Rule]:
    """``--select``/``--ignore`` by id, id prefix (``EC3``) or rule name."""
    chosen = list(select)
    dropped = list(ignore)

    def matches(rule: Rule, patterns: list[str]) -> bool:
        return any(rule.id.startswith(p) or rule.spec.name == p for p in patterns)

    return [r for r in rules if (not chosen or matches(r, chosen)) and not matches(r, dropped)]


class Checker:
    """Compiled rules plus their parameters, ready for any number of reports."""

    def __init__(
        self,
        rules: Sequence[Rule] | None = None,
        params: dict[str, dict[str, Any]] | None = None,
        *,
        diagnose: bool = True,
        meta: Sequence[str] = PER_REPORT_META,
        budget: Budget | None = None,
        keep_reports: bool = False,
    ) -> None:
        self.rules = list(rules) if rules is not None else load_packs([builtin_rules_dir()])
        self.budget = budget or Budget()  # rule evaluations left for every report it checks
        self.params = params or {}
        self.diagnose = diagnose  # name the likeliest wrong figure when identities fail
        self.meta = frozenset(meta)  # EC001–EC003: did evalcheck understand the report
        # Keep each report's data in its result, for formats that draw the report (HTML).
        self.keep_reports = keep_reports

    def _standard(self) -> bool:
        """Whether the built-in pack runs: it is written to check a report's figures, so figures
        read and none checked is a report it did not understand (a user's own pack may check
        only texts)."""
        builtin = builtin_rules_dir().resolve()
        return any(Path(rule.file).resolve().is_relative_to(builtin) for rule in self.rules)

    def diagnoses(
        self, report: Report | dict[str, Any], outcomes: list[Outcome], source: Source | None = None
    ) -> dict[OutcomeKey, Diagnosis]:
        """``source``: where the report was read; the prose reader's source says which figures
        of 正文数据 are one printed figure (:meth:`.narrative.StatedSource.printing`)."""
        if not self.diagnose or not any(o.status is Status.FAIL for o in outcomes):
            return {}
        from ..diagnose import diagnose  # only for reports whose checks fail

        printing = getattr(source, "printing", None)
        return diagnose(report, self.rules, self.params, outcomes, printing=printing)

    def outcomes(self, report: Report | dict[str, Any]) -> list[Outcome]:
        """Every outcome, passes included, in run order (what the diagnosis reads)."""
        return list(self.run_log(report).outcomes())

    def run_log(self, report: Report | dict[str, Any]) -> RunLog:
        """Every rule at every place of one report, one report's budget opened for it."""
        self.budget.open_report()
        return run_log(report, self.rules, self.params, self.budget)

    def result(self, data: Any, report: Any, source: Source | None, name: str) -> FileResult:
        """Findings, coverage and the not-applicable list of one normalised report."""
        log = self.run_log(report)
        counted = coverage(report, log)
        diagnoses = self.diagnoses(report, list(log.outcomes()), source) if log.failed else {}
        findings = to_findings(log.reported(), source, name, diagnoses)
        figures_unchecked = bool(counted.figures) and not counted.checked and self._standard()
        findings += [
            f
            for f in understanding(data, counted, source, name, figures_unchecked)
            if f.rule_id in self.meta
        ]
        findings.sort(key=lambda f: f.sort_key)
        return FileResult(
            name,
            source=source,
            findings=findings,
            not_applicable=_not_applicable(log),
            coverage=counted,
            header=header_of(report),
            report=data if self.keep_reports else None,
        )

    def check_document(self, read: Document | Layout) -> FileResult:
        """Check what a reader gave: report data as written, or a document's layout."""
        try:
            document = from_input(read)
        except LoadError as exc:
            return FileResult(
                read.name if isinstance(read, Layout) else read.source.name, error=exc
            )
        name = document.source.name
        if isinstance(document.data, list):
            return self.several(document.data, document.source, name)
        try:
            report = normalise_report(document.data)
            return self.result(document.data, report, document.source, name)
        except ShapeError as exc:  # a wrong value, or more work than a limit allows
            return FileResult(name, error=exc.located(document.source), source=document.source)

    def several(self, reports: list[Any], source: Source | None, name: str) -> FileResult:
        """A file that holds a list of reports: each checked on its own, its findings placed
        in its own element of the list (``[1].预算执行.执行率``)."""
        results = []
        for index, data in enumerate(reports):
            within = None if source is None else ItemSource.within(source, index)
            try:
                part = with_statements(Document(within, data)) if within is not None else None
            except LoadError as exc:  # more figures in the prose than a report may state
                return FileResult(name, error=exc, source=source)
            data = data if part is None else part.data
            try:
                report = normalise_report(data)
                found = self.result(data, report, None if part is None else part.source, name)
            except ShapeError as exc:  # a wrong value, or more work than a limit allows
                error = ShapeError((index, *exc.path), exc.message).located(source, name)
                return FileResult(name, error=error, source=source)
            results.append(placed_within(found, index))
        return merged(name, source, results)

    def check_path(self, path: str | os.PathLike[str]) -> FileResult:
        return self._check_read(str(path), lambda: read_path(path))

    def check_bytes(self, data: bytes, name: str) -> FileResult:
        """Check content that is not a file here (standard input), read as ``name`` would be."""
        return self._check_read(name, lambda: read_bytes(data, name))

    def _check_read(self, name: str, read: Callable[[], Document | Layout]) -> FileResult:
        try:
            document = read()
        except NotAReport as exc:
            return FileResult(name, skipped=exc.message)
        except LoadError as exc:
            return FileResult(name, error=exc)
        return self.check_document(document)

    def check_report(
        self, report: Report | dict[str, Any] | list[Any], name: str = "<report>"
    ) -> FileResult:
        if isinstance(report, list):
            return self.several(report, None, name)
        try:
            tree = as_tree(report)
            data = (
                report.model_dump(by_alias=True, exclude_none=True)
                if hasattr(report, "model_dump")
                else report
            )
            return self.result(data, tree, None, name)
        except ShapeError as exc:
            return FileResult(name, error=exc.located(None, name))


def _not_applicable(log: RunLog) -> list[NotApplicable]:
    """The places of rules that had no data (about two in three), each scope written once."""
    written: dict[tuple[Any, ...], str] = {}
    found = []
    for rule, scope, reason in log.not_applicable():
        path = written.get(scope)
        if path is None:
            path = written[scope] = format_path(scope)
        found.append(not_applicable(rule.id, path, reason))
    return found


def placed_within(result: FileResult, index: int) -> FileResult:
    """One report's result, its key paths written as paths into the list the file holds."""

    def inside(path: str) -> str:
        return f"[{index}].{path}" if path else f"[{index}]"

    def change(item: Change) -> Change:
        return dataclasses.replace(item, key_path=(index, *item.key_path), path=inside(item.path))

    for finding in result.findings:
        finding.path = inside(finding.path)
        finding.figures = [dataclasses.replace(f, path=inside(f.path)) for f in finding.figures]
        if finding.diagnosis is not None:
            diagnosis = finding.diagnosis
            finding.diagnosis = dataclasses.replace(
                diagnosis,
                changes=tuple(change(c) for c in diagnosis.changes),
                alternatives=tuple(change(c) for c in diagnosis.alternatives),
            )
    result.not_applicable = [
        dataclasses.replace(n, path=inside(n.path)) for n in result.not_applicable
    ]
    return result


def merged(name: str, source: Source | None, results: list[FileResult]) -> FileResult:
    """The results of the reports of one file, as one file's result."""
    findings = sorted((f for r in results for f in r.findings), key=lambda f: f.sort_key)
    counts = [r.coverage for r in results if r.coverage is not None]
    kept = [r.report for r in results if r.report is not None]
    coverage = None
    if counts:
        coverage = Coverage(
            figures=sum(c.figures for c in counts),
            checked=sum(c.checked for c in counts),
            not_applicable=min(c.not_applicable for c in counts),
            not_understood=sum(c.not_understood for c in counts),
            rules_run=max(c.rules_run for c in counts),
        )
    return FileResult(
        name,
        findings=findings,
        not_applicable=[n for r in results for n in r.not_applicable],
        source=source,
        coverage=coverage,
        header=results[0].header if results else None,
        report=kept if kept else None,
    )


def check(
    report: str | os.PathLike[str] | Report | dict[str, Any],
    rules: Sequence[Rule] | Sequence[str | os.PathLike[str]] | None = None,
    params: dict[str, dict[str, Any]] | None = None,
) -> list[Finding]:
    """Check one report (a path, a parsed :class:`Report` or a plain dict) and return findings.

    ``rules``: compiled rules, or rule files/folders to use instead of the built-in pack.
    A report that cannot be loaded, or holds a value of the wrong type, raises
    :class:`evalcheck.inputs.source.LoadError`.
    """
    compiled: list[Rule] | None
    if rules is None:
        compiled = None
    elif all(isinstance(r, Rule) for r in rules):
        compiled = [r for r in rules if isinstance(r, Rule)]
    else:
        compiled = load_packs([Path(r) for r in rules if not isinstance(r, Rule)])
    checker = Checker(compiled, params)
    if isinstance(report, (str, os.PathLike)):
        result = checker.check_path(report)
    else:
        result = checker.check_report(report)
    if result.error is not None:
        raise result.error
    return result.findings
