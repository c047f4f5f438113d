"""One ``evalcheck check`` run: check each report, apply explanations and baseline, stream the
reporter's text, and work out the exit code.  Click-free, so the API and tests drive it as the
command line does."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import field
from pathlib import Path
from typing import IO

from .. import __version__
from ..engine.pack import Rule
from ..findings import SEVERITY_RANK, FileResult, RuleInfo, Selector, Summary
from ..inputs import READERS
from ..inputs.escape import visible
from ..inputs.records import dataclass
from ..inputs.source import LoadError
from ..render import BINARY_FORMATS, FORMATS, REPORT_FORMATS, STREAMING_FORMATS, RenderOptions
from ..settings import OptionError
from ..suppress import STALE, Baseline, Explanations
from .configured import Configured, Resolver, load_explanations, make_resolver
from .progress import progress, wanted
from .reports import collect_reports
from .rules import RunError, located

__all__ = ["POOL_MIN_FILES", "Run", "RunOptions", "collect_reports"]

# ``--jobs``: below this many files, starting processes (each compiles the rules again) costs
# more than it saves, so they are checked in this process.
POOL_MIN_FILES = 8


NO_REPORTS = (
    "evalcheck：错误：没有找到可检查的报告（evalcheck 能读的文件："
    + "、".join(READERS)
    + "；隐藏文件和 evalcheck 自己写出的文件不算）"
)


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
    stdin: tuple[str, bytes] | None = None  # ``evalcheck -``: the name to read it as, and its bytes
    uploads: tuple[tuple[str, bytes], ...] = ()  # ``evalcheck serve``: files held in memory


@dataclass(slots=True)
class Run:
    """A check of many files, each with its own configuration (see :mod:`.configured`)."""

    resolver: Resolver
    options: RunOptions
    summary: Summary = field(default_factory=Summary)
    baseline: Baseline | None = field(init=False)
    format: str = field(init=False, default="text")
    _explanations: dict[str, Explanations] = field(init=False, default_factory=dict)
    _reports: Iterable[str] = field(init=False, default=())
    _count: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        self.baseline = _load_baseline(self.options.baseline)

    def prepare(self, reports: Iterable[str]) -> None:
        """Configure every file's folder before any output: a bad configuration stops the run
        first.  ``reports`` is iterated again to check them (a list, or a :class:`Reports`
        that keeps them on disk): the run holds one configuration per folder, not per file.

        The output format is the run's, not a file's: the flag, else the first file's
        configuration."""
        first: Configured | None = None
        count = 0
        for report in reports:
            configured = self.resolver.for_file(report)
            first = first or configured
            count += 1
        if first is None:
            raise RunError(NO_REPORTS)
        self._reports, self._count = reports, count
        self.format = first.settings.format
        if self.format not in FORMATS:
            known = "、".join(sorted(FORMATS))
            raise OptionError("--format", f"未知的输出格式「{self.format}」（可用：{known}）")
        if self.format in REPORT_FORMATS:
            self.resolver.keep()
        by_file: dict[str, list[Rule]] = {}
        for configured in self.resolver.all():
            path = configured.settings.explanations
            if path is not None:
                by_file.setdefault(str(path), []).extend(configured.rule_set.loaded)
        self._explanations = {
            path: load_explanations(Path(path), rules) for path, rules in by_file.items()
        }

    def rule_infos(self) -> list[RuleInfo]:
        """Every rule any file runs, once (for SARIF's rule list, JUnit cases, help lines)."""
        seen: dict[str, RuleInfo] = {}
        for configured in self.resolver.all():
            for info in configured.rule_set.infos():
                seen.setdefault(info.id, info)
        return list(seen.values())

    def write(
        self, stream: IO[str], errors: IO[str], *, color: bool = False, width: int | None = None
    ) -> int:
        """Check the prepared files, writing the output to ``stream`` and load errors to
        ``errors``; the exit code."""
        render_options = RenderOptions(
            rules=self.rule_infos(),
            verbose=self.options.verbose,
            quiet=self.options.quiet,
            tool_version=__version__,
            color=color,
        )
        if width is not None:
            render_options.width = width
        reporter = FORMATS[self.format](render_options)
        statistics = None
        if self.options.statistics:
            from ..render.statistics import Statistics

            statistics = Statistics()
        if statistics is None and self.format in BINARY_FORMATS and stream.isatty():
            raise OptionError(
                "--format",
                f"{self.format} 格式写出的是文件，不能显示在终端上：请用 -o 指定文件，如 -o 结果.{self.format}",
            )
        failing = False
        streaming = statistics is None and self.format in STREAMING_FORMATS
        show = wanted(self._count, stream, errors, streaming)
        with progress(self._count, errors, show) as (advance, shown_errors):
            for result, fail_level in self.results(shown_errors):
                failing |= self.summary.add(result.findings, SEVERITY_RANK[fail_level])
                self.summary.add_coverage(result.coverage)
                if statistics is not None:
                    statistics.add(result)
                else:
                    _write(stream, reporter.file(result))
                advance()
        if self.summary.files == 0:
            raise RunError(NO_REPORTS)
        if statistics is not None:
            json_wanted = self.format == "json"
            _write(stream, statistics.json() if json_wanted else statistics.text())
        else:
            chunks = getattr(reporter, "finish_chunks", None)  # formats that stream their end
            if chunks is None:
                _write(stream, reporter.finish(self.summary))
            else:
                _write_all(stream, chunks(self.summary))
        if self.summary.unreadable:
            return 2
        return 1 if failing and not self.options.exit_zero else 0

    def results(self, errors: IO[str]) -> Iterator[tuple[FileResult, str]]:
        """Each file's result with the fail level of its configuration, in the given order;
        then the stale explanations of each explanations file."""
        used: dict[str, dict[int, Configured]] = {}  # each configuration once, in order met
        for result, configured in self._checked():
            settings = configured.settings
            if result.skipped is not None:
                errors.write(visible(f"{result.file}：{result.skipped}") + "\n")
                errors.flush()
                self.summary.skipped += 1
                continue
            self.summary.files += 1
            if result.error is not None:
                error = result.error
                line = f"{error.file}:{error.line}:{error.column}: 错误 {error.message}"
                errors.write(visible(line) + "\n")
                errors.flush()
                self.summary.unreadable += 1
                yield result, settings.fail_level
                continue
            if settings.explanations is not None:
                self._explanations[str(settings.explanations)].apply(result)
                used.setdefault(str(settings.explanations), {})[id(configured)] = configured
            if self.baseline is not None:
                self.summary.baseline += self.baseline.apply(result)
            yield result, settings.fail_level
        for path, explanations in self._explanations.items():
            yield from self._stale(explanations, list(used.get(path, {}).values()))

    def _stale(
        self, explanations: Explanations, configured: list[Configured]
    ) -> Iterator[tuple[FileResult, str]]:
        if not configured:
            return
        settings = configured[0].settings
        if Selector(settings.ignore).matches(STALE.id, STALE.name):
            return
        active = {r.id for c in configured for r in c.rule_set.active}
        stale = explanations.stale(sorted(active), explanations.source.name)
        if stale:
            name = explanations.source.name
            yield FileResult(name, findings=stale, source=explanations.source), settings.fail_level

    def _checked(self) -> Iterator[tuple[FileResult, Configured]]:
        """Each file's result and configuration, in order: on ``--jobs`` processes when the
        batch is worth it.  Names are read lazily, a few chunks ahead of the results."""
        for_file = self.resolver.for_file
        in_memory = self.options.stdin or self.options.uploads
        if self.options.jobs > 1 and self._count >= POOL_MIN_FILES and not in_memory:
            from .parallel import check_paths

            resolver = self.resolver
            recipe = functools.partial(
                make_resolver,
                resolver.options,
                resolver.builtin,
                self.options.diagnose,
                self.options.jobs,
                resolver.keep_reports,
            )
            sent, received = itertools.tee(self._reports)  # holds the names in flight only
            results = check_paths(sent, self._count, recipe, self.options.jobs)
            return (
                (result, for_file(report)) for result, report in zip(results, received, strict=True)
            )
        return (
            (self._check_one(report, configured), configured)
            for report in self._reports
            for configured in (for_file(report),)
        )

    def _check_one(self, report: str, configured: Configured) -> FileResult:
        stdin = self.options.stdin
        if stdin is not None and report == stdin[0]:
            return configured.checker.check_bytes(stdin[1], stdin[0])
        for name, data in self.options.uploads:
            if name == report:
                return configured.checker.check_bytes(data, name)
        return configured.checker.check_path(report)

    def write_baseline(self, path: Path, errors: IO[str]) -> tuple[int, int]:
        """(findings recorded, exit code)."""
        results = [_findings_only(result) for result, _ in self.results(errors)]
        if self.summary.files == 0:
            raise RunError(NO_REPORTS)
        try:
            count = Baseline.write(path, (r for r in results if r.error is None))
        except OSError as exc:
            raise RunError(
                f"evalcheck：错误：无法写入基线文件 {path}：{exc.strerror or exc}"
            ) from None
        return count, 2 if self.summary.unreadable else 0


def _findings_only(result: FileResult) -> FileResult:
    """What a baseline records of a result (its file and findings): a baseline lists every
    finding sorted, so the run holds them, but not each report's text and data."""
    return FileResult(result.file, findings=result.findings, error=result.error)


def _load_baseline(name: str | None) -> Baseline | None:
    if name is None:
        return None
    try:
        return Baseline.load(Path(name))
    except LoadError as exc:
        raise located(exc) from None


def _write_all(stream: IO[str], pieces: Iterable[str], size: int = 1 << 16) -> None:
    """Text pieces written in writes of about ``size`` characters, not one flush each."""
    held: list[str] = []
    length = 0
    for piece in pieces:
        held.append(piece)
        length += len(piece)
        if length >= size:
            _write(stream, "".join(held))
            held, length = [], 0
    _write(stream, "".join(held))


def _write(stream: IO[str], text: str | bytes) -> None:
    if not text:
        return
    if isinstance(text, bytes):  # a binary format (xlsx): the stream's bytes underneath
        write_bytes = getattr(stream, "write_bytes", None)
        if write_bytes is None:
            stream.flush()
            write_bytes = getattr(stream, "buffer").write  # noqa: B009  (IO[str] has no buffer)
        write_bytes(text)
        return
    stream.write(text)
    stream.flush()
