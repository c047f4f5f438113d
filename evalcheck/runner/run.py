"""One ``evalcheck check`` run: check each report, apply explanations and baseline, stream the
reporter's text, and work out the exit code.  Click-free, so the API and tests drive it as the
command line does."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from .. import __version__
from ..findings import SEVERITY_RANK, FileResult, Selector, Summary, rule_info
from ..inputs import READERS
from ..inputs.source import LoadError
from ..render import FORMATS, RenderOptions
from ..settings import OptionError, Settings
from ..suppress import STALE, Baseline, Explanations
from .checker import Checker
from .rules import RuleSet, RunError, compile_rule_set, located

__all__ = ["POOL_MIN_FILES", "Run", "RunOptions", "collect_reports"]

# ``--jobs``: below this many files, starting processes (each compiles the rules again) costs
# more than it saves, so they are checked in this process.
POOL_MIN_FILES = 8


NO_REPORTS = (
    "evalcheck：错误：没有找到可检查的报告（evalcheck 能读的文件："
    + "、".join(READERS)
    + "；隐藏文件和 evalcheck 自己写出的文件不算）"
)


def collect_reports(paths: Sequence[str]) -> list[str]:
    """Files as given, folders searched for every suffix evalcheck reads, in sorted order.

    Hidden folders and files (``.git``, ``.evalcheck.yaml``) are skipped inside folders; a
    path named explicitly is always checked.  A path given twice is checked once.
    """
    seen: set[str] = set()
    found: list[str] = []
    suffixes = tuple(READERS)

    def add(path: str) -> None:
        key = os.path.normcase(os.path.abspath(path))
        if key not in seen:
            seen.add(key)
            found.append(path)

    for path in paths:
        if not os.path.isdir(path):
            add(path)
            continue
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if not name.startswith(".") and name.lower().endswith(suffixes):
                    add(os.path.join(root, name))
    return found


@dataclass(frozen=True, slots=True)
class RunOptions:
    """How the results are shown and counted (the settings say what is checked)."""

    verbose: bool = False
    quiet: bool = False
    exit_zero: bool = False
    statistics: bool = False
    diagnose: bool = True
    jobs: int = 1
    baseline: str | None = None


@dataclass(slots=True)
class Run:
    settings: Settings
    options: RunOptions
    rule_set: RuleSet = field(init=False)
    checker: Checker = field(init=False)
    summary: Summary = field(default_factory=Summary)
    explanations: Explanations | None = field(init=False)
    baseline: Baseline | None = field(init=False)

    def __post_init__(self) -> None:
        self.rule_set = compile_rule_set(self.settings)
        self.checker = Checker(
            self.rule_set.active,
            self.rule_set.params,
            diagnose=self.options.diagnose,
            meta=self.rule_set.meta,
        )
        if self.settings.format not in FORMATS:
            known = "、".join(sorted(FORMATS))
            raise OptionError(
                "--format", f"未知的输出格式「{self.settings.format}」（可用：{known}）"
            )
        self.explanations = _load_explanations(self.settings.explanations, self.rule_set)
        self.baseline = _load_baseline(self.options.baseline)

    def write(
        self, reports: list[str], stream: IO[str], errors: IO[str], *, color: bool = False
    ) -> int:
        """Check ``reports``, writing the output to ``stream`` and load errors to ``errors``;
        the exit code."""
        from ..render.statistics import Statistics

        render_options = RenderOptions(
            rules=self.rule_set.infos(),
            verbose=self.options.verbose,
            quiet=self.options.quiet,
            tool_version=__version__,
            color=color,
        )
        reporter = FORMATS[self.settings.format](render_options)
        statistics = Statistics() if self.options.statistics else None
        failing = False
        for result in self.results(reports, errors):
            failing |= self.summary.add(result.findings, SEVERITY_RANK[self.settings.fail_level])
            self.summary.add_coverage(result.coverage)
            if statistics is not None:
                statistics.add(result)
            else:
                _write(stream, reporter.file(result))
        if self.summary.files == 0:
            raise RunError(NO_REPORTS)
        if statistics is not None:
            json_wanted = self.settings.format == "json"
            _write(stream, statistics.json() if json_wanted else statistics.text())
        else:
            _write(stream, reporter.finish(self.summary))
        if self.summary.unreadable:
            return 2
        return 1 if failing and not self.options.exit_zero else 0

    def results(self, reports: list[str], errors: IO[str]) -> Iterator[FileResult]:
        for result in self._checked(reports):
            if result.skipped is not None:
                errors.write(f"{result.file}：{result.skipped}\n")
                errors.flush()
                self.summary.skipped += 1
                continue
            self.summary.files += 1
            if result.error is not None:
                error = result.error
                errors.write(f"{error.file}:{error.line}:{error.column}: 错误 {error.message}\n")
                errors.flush()
                self.summary.unreadable += 1
                yield result
                continue
            if self.explanations is not None:
                self.explanations.apply(result)
            if self.baseline is not None:
                self.summary.baseline += self.baseline.apply(result)
            yield result
        if self.explanations is not None and not Selector(self.settings.ignore).matches(
            STALE.id, STALE.name
        ):
            name = self.explanations.source.name
            stale = self.explanations.stale((r.id for r in self.rule_set.active), name)
            if stale:
                yield FileResult(name, findings=stale, source=self.explanations.source)

    def _checked(self, reports: list[str]) -> Iterator[FileResult]:
        """Each report's result, in order: on ``--jobs`` processes when the batch is worth it."""
        if self.options.jobs > 1 and len(reports) >= POOL_MIN_FILES:
            from .parallel import check_paths

            recipe = functools.partial(make_checker, self.settings, self.options.diagnose)
            return check_paths(reports, recipe, self.options.jobs)
        return (self.checker.check_path(name) for name in reports)

    def write_baseline(self, reports: list[str], path: Path, errors: IO[str]) -> tuple[int, int]:
        """(findings recorded, exit code)."""
        results = list(self.results(reports, errors))
        if self.summary.files == 0:
            raise RunError(NO_REPORTS)
        try:
            count = Baseline.write(path, (r for r in results if r.error is None))
        except OSError as exc:
            raise RunError(
                f"evalcheck：错误：无法写入基线文件 {path}：{exc.strerror or exc}"
            ) from None
        return count, 2 if self.summary.unreadable else 0


def make_checker(settings: Settings, diagnose: bool) -> Checker:
    """The run's checker, built again in a ``--jobs`` worker process from picklable settings."""
    rule_set = compile_rule_set(settings)
    return Checker(rule_set.active, rule_set.params, diagnose=diagnose, meta=rule_set.meta)


def _load_explanations(path: Path | None, rule_set: RuleSet) -> Explanations | None:
    if path is None:
        return None
    try:
        return Explanations.load(path, [rule_info(r) for r in rule_set.loaded])
    except LoadError as exc:
        raise located(exc) from None


def _load_baseline(name: str | None) -> Baseline | None:
    if name is None:
        return None
    try:
        return Baseline.load(Path(name))
    except LoadError as exc:
        raise located(exc) from None


def _write(stream: IO[str], text: str) -> None:
    if text:
        stream.write(text)
        stream.flush()
