"""The ``evalcheck`` command: a thin click shell around :class:`evalcheck.runner.checker.Checker`.

``evalcheck PATH …`` checks reports (``check`` is the default command, so it need not be
typed); ``evalcheck rules``, ``evalcheck explain ID`` and ``evalcheck schema`` describe the
rules and the report format.  Exit codes follow ruff: 0 nothing at or above the fail level,
1 findings, 2 the run itself failed (usage, unreadable report, bad rule or configuration
file).  No path prints a traceback: an unexpected exception becomes one line and exit 2.

The default fail level is ``warning``: a warning must be fixed or explained in the
explanations file (see :mod:`evalcheck.suppress`), so an unexplained warning fails the
run; rounding notes (info) never do unless asked for.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import json
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any, NoReturn

import click

from . import __version__
from .findings import SEVERITY_LABEL, SEVERITY_RANK
from .inputs import load_bytes
from .inputs.source import LoadError
from .settings import Config, find_config, find_upwards, load_config, parse_level, split_names
from .suppress import EXPLANATIONS_NAME, STALE, Baseline, Explanations, MetaRule

__all__ = ["DEFAULT_FAIL_LEVEL", "cli", "collect_reports", "main"]

DEFAULT_FAIL_LEVEL = "warning"
REPORT_SUFFIXES = (".json", ".yaml", ".yml")
SCHEMA_ID = "urn:evalcheck:schema:report"
META_RULES: tuple[MetaRule, ...] = (STALE,)
# ``--jobs``: below this many files, starting processes (each compiles the rules again) costs
# more than it saves, so they are checked in this process.
POOL_MIN_FILES = 8


class _Failure(Exception):
    """The run cannot go on: print ``message`` as one line on stderr and exit 2."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --------------------------------------------------------------------------- click in Chinese


class _ChineseHelp(click.Command):
    """Help text headings in Chinese (click's own are English)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        pieces = self.collect_usage_pieces(ctx)
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix="用法：")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [
            record
            for param in self.get_params(ctx)
            if not isinstance(param, click.Argument)
            and (record := param.get_help_record(ctx)) is not None
        ]
        if rows:
            with formatter.section("选项"):
                formatter.write_dl(rows)


class _Command(_ChineseHelp):
    pass


class _Group(click.Group, _ChineseHelp):
    """A group whose default command is ``check``: ``evalcheck report.json`` just works.

    A first argument that is not a subcommand name (a path, or an option of ``check``) is
    taken as the start of ``check``'s arguments.  ``evalcheck check rules`` checks a folder
    that happens to be called ``rules``.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("subcommand_metavar", "命令 [参数]…")
        super().__init__(*args, **kwargs)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        _ChineseHelp.format_options(self, ctx, formatter)
        rows = [
            (name, command.get_short_help_str(80))
            for name in self.list_commands(ctx)
            if (command := self.get_command(ctx, name)) is not None and not command.hidden
        ]
        with formatter.section("命令"):
            formatter.write_dl(rows)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        group_only = ("-h", "--help", "--version")
        if not args or (args[0] not in self.commands and args[0] not in group_only):
            args = ["check", *args]
        return super().parse_args(ctx, args)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> NoReturn:
        """Run, and turn every way of failing into a Chinese message and an exit code."""
        code = _run_guarded(
            lambda: super(_Group, self).main(
                args, "evalcheck", complete_var, standalone_mode=False, **extra
            )
        )
        sys.exit(code)


def _run_guarded(run: Any) -> int:
    try:
        result = run()
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.UsageError as exc:
        _error(_usage_message(exc))
        click.echo("运行 evalcheck --help 查看用法。", err=True)
        return 2
    except click.ClickException as exc:
        _error(exc.format_message())
        return 2
    except (click.Abort, KeyboardInterrupt):
        _error("已中断")
        return 2
    except _Failure as exc:
        click.echo(exc.message, err=True)
        return 2
    except BrokenPipeError:
        _silence_stdout()
        return 2
    except Exception as exc:
        if os.environ.get("EVALCHECK_DEBUG"):
            raise
        detail = " ".join(str(exc).split()) or type(exc).__name__
        _error(f"内部错误（{type(exc).__name__}：{detail}），请把命令和报告文件一并报告给维护者")
        return 2
    return result if isinstance(result, int) else 0


def _silence_stdout() -> None:
    """After a closed pipe (``evalcheck … | head``), let Python exit without complaining."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass


def _error(message: str) -> None:
    click.echo(f"evalcheck：错误：{message}", err=True)


def _usage_message(exc: click.UsageError) -> str:
    if isinstance(exc, click.NoSuchOption):
        text = f"没有选项 {exc.option_name}"
        if exc.possibilities:
            text += f"（是不是想用 {'、'.join(exc.possibilities)}？）"
        return text
    if isinstance(exc, click.BadOptionUsage):
        return f"选项 {exc.option_name} 需要一个值"
    if isinstance(exc, click.MissingParameter):
        hint = exc.param.get_error_hint(exc.ctx) if exc.param and exc.ctx else ""
        return f"缺少参数 {hint}".strip()
    if isinstance(exc, click.BadParameter):
        hint = exc.param_hint if isinstance(exc.param_hint, str) else ""
        if not hint and exc.param and exc.ctx:
            hint = exc.param.get_error_hint(exc.ctx)
        return f"{hint} 的值不合法：{exc.message}"
    return f"用法不对：{exc.message}"


# --------------------------------------------------------------------------- the command group


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    __version__,
    "--version",
    prog_name="evalcheck",
    message="%(prog)s %(version)s",
    help="显示版本并退出。",
)
@click.help_option("-h", "--help", help="显示帮助并退出。")
def cli() -> None:
    """检查部门整体支出绩效自评报告（JSON/YAML）中的数字与表述是否一致。

    \b
    evalcheck 报告.json …     检查报告（即 evalcheck check）
    evalcheck rules           列出规则
    evalcheck explain EC103   解释一条规则
    evalcheck schema          输出报告格式的 JSON Schema
    evalcheck import 报告.docx  把 Word/Excel/文本报告转成 JSON 或 YAML

    退出码：0 没有达到失败级别的问题；1 有问题；2 用法错误、报告无法读取、规则或配置文件有误。
    """


def main() -> None:
    """The console-script entry point."""
    cli.main()


# --------------------------------------------------------------------------- evalcheck check


def collect_reports(paths: Sequence[str]) -> list[str]:
    """Files as given, folders searched for ``.json``/``.yaml``/``.yml`` in sorted order.

    Hidden folders and files (``.git``, ``.evalcheck.yaml``) are skipped inside folders; a
    path named explicitly is always checked.  A path given twice is checked once.
    """
    seen: set[str] = set()
    found: list[str] = []

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
                if not name.startswith(".") and name.lower().endswith(REPORT_SUFFIXES):
                    add(os.path.join(root, name))
    return found


def _start_folder(paths: Sequence[str]) -> Path:
    """Where to look for configuration: the folder all checked paths share (else cwd)."""
    folders = [
        os.path.abspath(p if os.path.isdir(p) else os.path.dirname(p) or ".")
        for p in paths
        if os.path.exists(p)
    ]
    if not folders:
        return Path.cwd()
    try:
        return Path(os.path.commonpath(folders))
    except ValueError:  # different drives on Windows
        return Path(folders[0])


def _levels(value: str | None, name: str) -> str | None:
    if value is None:
        return None
    level = parse_level(value)
    if level is None:
        raise click.BadParameter(f"「{value}」（应为 error、warning 或 info）", param_hint=name)
    return level


def _pairs(values: Sequence[str], name: str, example: str) -> list[tuple[str, str]]:
    pairs = []
    for value in values:
        key, sep, rest = value.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"「{value}」（应写作 {example}）", param_hint=name)
        pairs.append((key.strip(), rest.strip()))
    return pairs


def _param_value(text: str, option: str) -> Any:
    """``--param`` values are YAML scalars or flow collections, read like rule packs read
    numbers (exact decimals)."""
    if not text:
        return ""
    try:
        value = load_bytes(("值: " + text).encode("utf-8"), option, "yaml").data["值"]
    except LoadError as exc:
        raise click.BadParameter(
            f"「{text}」不是合法的值：{exc.message}", param_hint="--param"
        ) from None
    return "" if value is None else value


@dataclasses.dataclass(slots=True)
class _Settings:
    select: list[str]
    ignore: list[str]
    packs: list[Path]
    severity: dict[str, str]
    params: dict[str, dict[str, Any]]
    fail_level: str
    format: str
    explanations: Path | None


def _settings(config: Config, options: dict[str, Any], start: Path) -> _Settings:
    """Configuration file first, command-line options over it."""
    from .engine.pack import builtin_rules_dir

    builtin = config.builtin and not options["no_builtin"]
    packs = ([builtin_rules_dir()] if builtin else []) + config.rules
    packs += [Path(p) for p in options["rules"]]
    select = split_names(options["select"]) or config.select
    ignore = config.ignore + split_names(options["ignore"])
    severity = dict(config.severity)
    for key, value in _pairs(options["severity"], "--severity", "EC308=error"):
        level = _levels(value, "--severity")
        assert level is not None
        severity[key] = level
    params = {k: dict(v) for k, v in config.params.items()}
    for key, value in _pairs(options["param"], "--param", "EC311.权重方案=湖南"):
        rule, dot, name = key.partition(".")
        if not dot or not rule or not name:
            raise click.BadParameter(
                f"「{key}」（应写作 规则.参数=值，如 EC311.权重方案=湖南）", param_hint="--param"
            )
        params.setdefault(rule, {})[name] = _param_value(value, "--param")
    fail_level = _levels(options["fail_level"], "--fail-level") or config.fail_level
    explanations = options["explanations"]
    if explanations is not None:
        explanation_file: Path | None = Path(explanations)
    elif config.explanations is not None:
        explanation_file = config.explanations
    else:
        explanation_file = find_upwards(start, (EXPLANATIONS_NAME,))
    return _Settings(
        select=select,
        ignore=ignore,
        packs=packs,
        severity=severity,
        params=params,
        fail_level=fail_level or DEFAULT_FAIL_LEVEL,
        format=options["format"] or config.format or "text",
        explanations=explanation_file,
    )


def _compile_rules(settings: _Settings) -> tuple[list[Any], list[Any]]:
    """(every rule loaded, the rules that will run), after severity overrides and selection."""
    from .engine.pack import load_packs
    from .runner.checker import select_rules

    try:
        rules = load_packs(settings.packs)
    except LoadError as exc:
        raise _Failure(f"{exc.file}:{exc.line}:{exc.column}: 错误 {exc.message}") from None
    known_ids = [r.id for r in rules] + [m.id for m in META_RULES]
    names = {r.spec.name for r in rules} | {m.name for m in META_RULES}

    def check_patterns(patterns: list[str], option: str) -> None:
        for pattern in patterns:
            if pattern not in names and not any(i.startswith(pattern) for i in known_ids):
                raise _Failure(f"evalcheck：错误：{option} 中的「{pattern}」不对应任何规则")

    check_patterns(settings.select, "select")
    check_patterns(settings.ignore, "ignore")
    by_key = {r.id: r for r in rules} | {r.spec.name: r for r in rules}
    for key, values in settings.params.items():
        rule = by_key.get(key)
        if rule is None:
            raise _Failure(f"evalcheck：错误：参数指向未知的规则「{key}」")
        for name in values:
            if name not in rule.params:
                declared = "、".join(rule.params) or "无"
                raise _Failure(
                    f"evalcheck：错误：规则 {rule.id} 没有参数「{name}」（可用参数：{declared}）"
                )
    overridden = []
    for rule in rules:
        level = None
        for key, value in settings.severity.items():
            if rule.id.startswith(key) or rule.spec.name == key:
                level = value
        if level is not None and level != rule.severity:
            spec = dataclasses.replace(rule.spec, severity=level)
            rule = dataclasses.replace(rule, spec=spec)
        overridden.append(rule)
    for key in settings.severity:
        if key not in names and not any(i.startswith(key) for i in known_ids):
            raise _Failure(f"evalcheck：错误：severity 中的「{key}」不对应任何规则")
    return overridden, select_rules(overridden, settings.select, settings.ignore)


def _meta_active(settings: _Settings) -> set[str]:
    """Rules about evalcheck's own files run unless ignored: ``--select`` picks report rules."""
    return {
        meta.id
        for meta in META_RULES
        if not any(meta.id.startswith(p) or meta.name == p for p in settings.ignore)
    }


def _use_color(option: bool | None, stream: IO[str], to_file: bool) -> bool:
    if option is not None:
        return option
    if to_file or os.environ.get("NO_COLOR"):
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


@cli.command("check", cls=_Command)
@click.argument("paths", nargs=-1, metavar="路径…")
@click.option(
    "--fail-level",
    metavar="LEVEL",
    help=f"达到此级别的问题使退出码为 1：error、warning 或 info（默认 {DEFAULT_FAIL_LEVEL}）。",
)
@click.option("--exit-zero", is_flag=True, help="即使有问题也以 0 退出（无法读取等仍为 2）。")
@click.option("-q", "--quiet", is_flag=True, help="只输出问题，不输出汇总。")
@click.option("-v", "--verbose", is_flag=True, help="同时列出未适用的规则及原因、已说明的问题。")
@click.option(
    "--format",
    "format_",
    metavar="NAME",
    help="输出格式（默认 text）：text、concise、json、sarif、github、gitlab、junit。",
)
@click.option("-o", "--output", metavar="FILE", help="把结果写入文件而不是标准输出。")
@click.option("--statistics", is_flag=True, help="只输出每条规则的问题数量。")
@click.option(
    "--rules",
    "rules",
    multiple=True,
    metavar="FILE_OR_DIR",
    help="追加规则包（文件或目录，可重复）。",
)
@click.option(
    "--no-diagnose", is_flag=True, help="不推测最可能填错的数字（等式不成立时默认给出“诊断”）。"
)
@click.option("--no-builtin", is_flag=True, help="不使用内置规则包。")
@click.option(
    "--select",
    multiple=True,
    metavar="IDS",
    help="只运行这些规则：编号、编号前缀或规则名，逗号分隔，可重复。",
)
@click.option("--ignore", multiple=True, metavar="IDS", help="不运行这些规则（写法同 --select）。")
@click.option(
    "--severity",
    multiple=True,
    metavar="ID=LEVEL",
    help="改变规则的级别，如 EC308=error（可重复）。",
)
@click.option(
    "--param",
    multiple=True,
    metavar="ID.NAME=VALUE",
    help="设置规则参数，值按 YAML 读取，如 EC311.权重方案=湖南（可重复）。",
)
@click.option(
    "-j",
    "--jobs",
    metavar="N",
    help="同时检查报告的进程数（默认为 CPU 核数；1 表示不另起进程）。",
)
@click.option(
    "--config",
    "config_file",
    metavar="FILE",
    help="配置文件（默认向上查找 .evalcheck.yaml 或 pyproject.toml 的 [tool.evalcheck]）。",
)
@click.option(
    "--explanations", metavar="FILE", help=f"说明文件（默认向上查找 {EXPLANATIONS_NAME}）。"
)
@click.option("--baseline", metavar="FILE", help="隐藏基线文件中记录的已知问题。")
@click.option("--write-baseline", metavar="FILE", help="把当前的问题写入基线文件，然后以 0 退出。")
@click.option(
    "--color/--no-color",
    default=None,
    help="是否使用颜色（默认：终端中且未设置 NO_COLOR 时使用）。",
)
@click.help_option("-h", "--help", help="显示帮助并退出。")
def check_command(paths: tuple[str, ...], **options: Any) -> int:
    """检查报告文件；目录会递归查找 .json/.yaml/.yml（跳过隐藏目录）。"""
    options["format"] = options.pop("format_")
    options["jobs"] = _jobs(options["jobs"])
    if not paths:
        raise click.UsageError("请指定要检查的报告文件或目录")
    start = _start_folder(paths)
    config = _read_config(options["config_file"], start)
    settings = _settings(config, options, start)
    all_rules, rules = _compile_rules(settings)
    return _Run(settings, options, all_rules, rules).run(collect_reports(paths))


def _jobs(value: str | None) -> int:
    """``--jobs``: a positive number of processes; all the CPUs this process may use by default."""
    if value is None:
        cpus: int | None = getattr(os, "process_cpu_count", os.cpu_count)()
        return cpus or 1
    try:
        jobs = int(value.strip())
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise click.BadParameter(f"「{value}」（应为正整数，如 4）", param_hint="--jobs")
    return jobs


def _read_config(explicit: str | None, start: Path) -> Config:
    path = Path(explicit) if explicit else find_config(start)
    if path is None:
        return Config()
    if explicit and not path.is_file():
        raise _Failure(f"{explicit}:1:1: 错误 配置文件不存在")
    try:
        return load_config(path)
    except LoadError as exc:
        raise _Failure(f"{exc.file}:{exc.line}:{exc.column}: 错误 {exc.message}") from None


class _Run:
    """One ``evalcheck check`` run: check each report, apply explanations and baseline,
    stream the reporter's text, and work out the exit code."""

    def __init__(
        self, settings: _Settings, options: dict[str, Any], all_rules: list[Any], rules: list[Any]
    ) -> None:
        from .render import FORMATS, RenderOptions, Summary
        from .runner.checker import Checker

        self.settings = settings
        self.options = options
        self.diagnose = not options.get("no_diagnose", False)
        self.checker = Checker(
            rules, _params_by_id(settings.params, all_rules), diagnose=self.diagnose
        )
        self.rules = rules
        if settings.format not in FORMATS:
            known = "、".join(sorted(FORMATS))
            raise click.BadParameter(
                f"未知的输出格式「{settings.format}」（可用：{known}）", param_hint="--format"
            )
        self.explanations = _load_explanations(settings.explanations, all_rules)
        self.baseline = _load_baseline(options["baseline"])
        self.summary = Summary()
        self.render_options = RenderOptions(
            rules=rules,
            verbose=options["verbose"],
            quiet=options["quiet"],
            tool_version=__version__,
        )
        self.formats = FORMATS

    def run(self, reports: list[str]) -> int:
        from .render.statistics import Statistics

        if self.options["write_baseline"]:
            return self._write_baseline(reports)
        output_name = self.options["output"]
        stream = _open_output(output_name)
        try:
            self.render_options.color = _use_color(
                self.options["color"], stream, output_name is not None
            )
            reporter = self.formats[self.settings.format](self.render_options)
            statistics = Statistics() if self.options["statistics"] else None
            failing = False
            for result in self._results(reports):
                failing |= self._count(result)
                if statistics is not None:
                    statistics.add(result)
                else:
                    _write(stream, reporter.file(result))
            if statistics is not None:
                json_wanted = self.settings.format == "json"
                _write(stream, statistics.json() if json_wanted else statistics.text())
            else:
                _write(stream, reporter.finish(self.summary))
        finally:
            if output_name is not None:
                stream.close()
            else:
                stream.flush()
        if self.summary.unreadable:
            return 2
        return 1 if failing and not self.options["exit_zero"] else 0

    def _results(self, reports: list[str]) -> Iterator[Any]:
        from .runner.checker import FileResult

        for result in self._checked(reports):
            self.summary.files += 1
            if result.error is not None:
                error = result.error
                click.echo(
                    f"{error.file}:{error.line}:{error.column}: 错误 {error.message}", err=True
                )
                self.summary.unreadable += 1
                yield result
                continue
            if self.explanations is not None:
                self.explanations.apply(result)
            if self.baseline is not None:
                self.summary.baseline += self.baseline.apply(result)
            yield result
        if self.explanations is not None and STALE.id in _meta_active(self.settings):
            name = self.explanations.source.name
            stale = self.explanations.stale((r.id for r in self.rules), name)
            if stale:
                yield FileResult(name, findings=stale, source=self.explanations.source)

    def _checked(self, reports: list[str]) -> Iterator[Any]:
        """Each report's result, in order: on ``--jobs`` processes when the batch is worth it."""
        jobs: int = self.options.get("jobs", 1)
        if jobs > 1 and len(reports) >= POOL_MIN_FILES:
            from .runner.parallel import check_paths

            recipe = functools.partial(_make_checker, self.settings, self.diagnose)
            return check_paths(reports, recipe, jobs)
        return (self.checker.check_path(name) for name in reports)

    def _count(self, result: Any) -> bool:
        """Add one file's findings to the summary; True if any reaches the fail level."""
        threshold = SEVERITY_RANK[self.settings.fail_level]
        failing = False
        for finding in result.findings:
            self.summary.per_rule[finding.rule_id] = (
                self.summary.per_rule.get(finding.rule_id, 0) + 1
            )
            if finding.explanation is not None:
                self.summary.explained += 1
                continue
            if finding.severity == "error":
                self.summary.errors += 1
            elif finding.severity == "warning":
                self.summary.warnings += 1
            else:
                self.summary.infos += 1
            failing |= SEVERITY_RANK.get(finding.severity, 0) >= threshold
        return failing

    def _write_baseline(self, reports: list[str]) -> int:
        results = list(self._results(reports))
        path = Path(self.options["write_baseline"])
        try:
            count = Baseline.write(path, (r for r in results if r.error is None))
        except OSError as exc:
            raise _Failure(
                f"evalcheck：错误：无法写入基线文件 {path}：{exc.strerror or exc}"
            ) from None
        click.echo(f"已把 {count} 个问题写入基线文件 {path}")
        return 2 if self.summary.unreadable else 0


def _make_checker(settings: _Settings, diagnose: bool) -> Any:
    """The run's checker, built again in a ``--jobs`` worker process from picklable settings."""
    from .runner.checker import Checker

    all_rules, rules = _compile_rules(settings)
    return Checker(rules, _params_by_id(settings.params, all_rules), diagnose=diagnose)


def _params_by_id(params: dict[str, dict[str, Any]], rules: list[Any]) -> dict[str, dict[str, Any]]:
    by_key = {r.id: r.id for r in rules} | {r.spec.name: r.id for r in rules}
    merged: dict[str, dict[str, Any]] = {}
    for key, values in params.items():
        merged.setdefault(by_key[key], {}).update(values)
    return merged


def _load_explanations(path: Path | None, rules: list[Any]) -> Explanations | None:
    if path is None:
        return None
    try:
        return Explanations.load(path, rules)
    except LoadError as exc:
        raise _Failure(f"{exc.file}:{exc.line}:{exc.column}: 错误 {exc.message}") from None


def _load_baseline(name: str | None) -> Baseline | None:
    if name is None:
        return None
    try:
        return Baseline.load(Path(name))
    except LoadError as exc:
        raise _Failure(f"{exc.file}:{exc.line}:{exc.column}: 错误 {exc.message}") from None


def _open_output(name: str | None) -> IO[str]:
    if name is None:
        return sys.stdout
    try:
        return open(name, "w", encoding="utf-8", newline="\n")
    except OSError as exc:
        raise _Failure(f"evalcheck：错误：无法写入输出文件 {name}：{exc.strerror or exc}") from None


def _write(stream: IO[str], text: str) -> None:
    if text:
        stream.write(text)
        stream.flush()


# --------------------------------------------------------------------------- evalcheck rules


def _load_rule_list(rule_paths: Sequence[str], no_builtin: bool) -> list[Any]:
    from .engine.pack import builtin_rules_dir, load_packs

    packs = ([] if no_builtin else [builtin_rules_dir()]) + [Path(p) for p in rule_paths]
    try:
        return load_packs(packs)
    except LoadError as exc:
        raise _Failure(f"{exc.file}:{exc.line}:{exc.column}: 错误 {exc.message}") from None


@cli.command("rules", cls=_Command)
@click.option(
    "--format",
    "format_",
    default="text",
    metavar="text|json|markdown",
    help="输出格式：text（表格）、json 或 markdown（README 中的规则表）。",
)
@click.option(
    "--rules",
    "rule_paths",
    multiple=True,
    metavar="FILE_OR_DIR",
    help="同时列出这些规则包中的规则。",
)
@click.option("--no-builtin", is_flag=True, help="不列出内置规则。")
@click.help_option("-h", "--help", help="显示帮助并退出。")
def rules_command(format_: str, rule_paths: tuple[str, ...], no_builtin: bool) -> int:
    """列出规则：编号、级别、标题、规则包。"""
    rules = _load_rule_list(rule_paths, no_builtin)
    rows = [(r.id, r.spec.name, r.severity, r.title, r.pack) for r in rules]
    rows += [(m.id, m.name, m.severity, m.title, "evalcheck") for m in META_RULES]
    if format_ == "json":
        keys = ("id", "name", "severity", "title", "pack")
        click.echo(
            json.dumps(
                [dict(zip(keys, row, strict=True)) for row in rows], ensure_ascii=False, indent=2
            )
        )
        return 0
    if format_ == "markdown":
        click.echo(rules_markdown(rows))
        return 0
    if format_ != "text":
        raise click.BadParameter(
            f"「{format_}」（应为 text、json 或 markdown）", param_hint="--format"
        )
    from rich.console import Console
    from rich.table import Table

    table = Table(box=None, header_style="bold", pad_edge=False)
    for heading in ("编号", "级别", "标题", "规则包"):
        table.add_column(heading, no_wrap=heading != "标题")
    for rule_id, _name, severity, title, pack in rows:
        table.add_row(rule_id, SEVERITY_LABEL[severity], title, pack)
    stdout = sys.stdout
    terminal = stdout.isatty()
    console = Console(
        file=stdout,
        width=None if terminal else 120,
        no_color=bool(os.environ.get("NO_COLOR")) or not terminal,
        highlight=False,
    )
    console.print(table)
    return 0


def rules_markdown(rows: Sequence[tuple[str, str, str, str, str]]) -> str:
    """The rule table of the README, generated from the registry so it cannot drift."""
    lines = ["| 编号 | 名称 | 级别 | 标题 | 规则包 |", "| --- | --- | --- | --- | --- |"]
    lines += [
        f"| {rule_id} | `{name}` | {SEVERITY_LABEL[severity]} | {title} | {pack} |"
        for rule_id, name, severity, title, pack in rows
    ]
    return "\n".join(lines)


# --------------------------------------------------------------------------- evalcheck explain


@cli.command("explain", cls=_Command)
@click.argument("rule_id", metavar="规则")
@click.option(
    "--rules", "rule_paths", multiple=True, metavar="FILE_OR_DIR", help="同时在这些规则包中查找。"
)
@click.help_option("-h", "--help", help="显示帮助并退出。")
def explain_command(rule_id: str, rule_paths: tuple[str, ...]) -> int:
    """解释一条规则：依据、检查式、范围、参数与示例。"""
    rules = _load_rule_list(rule_paths, False)
    wanted = rule_id.strip()
    for meta in META_RULES:
        if wanted.upper() == meta.id or wanted == meta.name:
            click.echo(
                f"{meta.id}（{meta.name}）：{meta.title}\n级别：{SEVERITY_LABEL[meta.severity]}\n\n{meta.explain}"
            )
            return 0
    rule = next((r for r in rules if r.id == wanted.upper() or r.spec.name == wanted), None)
    if rule is None:
        raise _Failure(
            f"evalcheck：错误：没有编号或名称为「{rule_id}」的规则（evalcheck rules 列出全部规则）"
        )
    click.echo(explain_text(rule), nl=False)
    return 0


def explain_text(rule: Any) -> str:
    """Everything about one rule, in the order a reader asks for it."""
    spec = rule.spec
    lines = [
        f"{rule.id}（{spec.name}）：{spec.title}",
        f"级别：{SEVERITY_LABEL[spec.severity]}    规则包：{rule.pack}",
        "",
        spec.explain.rstrip(),
        "",
        f"检查：{' '.join(spec.check.split())}",
        f"范围：{spec.scope or '整份报告'}",
    ]
    if spec.for_each:
        loops = "；".join(f"{k} ∈ {'、'.join(v)}" for k, v in spec.for_each.items())
        lines.append(f"逐项：{loops}")
    if spec.when:
        lines.append(f"前提：{spec.when}")
    if spec.tolerance is not None:
        lines.append(f"容差：{spec.tolerance}")
    if spec.params:
        lines.append("参数：")
        for name, value in spec.params.items():
            lines.append(f"  {name}：{_flow(value)}")
    lines.append("示例：")
    verdicts = {"pass": "通过", "fail": "不通过", "info": "提示", "not-applicable": "不适用"}
    for example in spec.examples:
        extra = f"（参数 {_flow(example.params)}）" if example.params else ""
        lines.append(
            f"  {verdicts[example.expect]}  {example.name}{extra}：{_flow(example.report)}"
        )
    return "\n".join(lines) + "\n"


def _flow(value: Any) -> str:
    """A compact, YAML-flow-like rendering of example data (Chinese stays readable)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if value == "":
        return '""'
    return str(value)


# --------------------------------------------------------------------------- evalcheck schema


def schema_text() -> str:
    """The JSON Schema of the report model, as committed in ``schema/report.schema.json``."""
    from .report.model import Report

    schema = Report.model_json_schema(by_alias=True)
    document = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
        "title": "部门整体支出绩效自评报告",
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


@cli.command("schema", cls=_Command)
@click.option("-o", "--output", metavar="FILE", help="写入文件而不是标准输出。")
@click.help_option("-h", "--help", help="显示帮助并退出。")
def schema_command(output: str | None) -> int:
    """输出报告格式的 JSON Schema（编辑器可据此提示和校验）。"""
    return _emit(schema_text(), output)


def _emit(text: str, output: str | None) -> int:
    """A command's document, to standard output or to the file named by ``-o``."""
    if output is None:
        click.echo(text, nl=False)
        return 0
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise _Failure(f"evalcheck：错误：无法写入 {output}：{exc.strerror or exc}") from None
    return 0


@cli.command("import", cls=_Command)
@click.argument("file", metavar="文件")
@click.option(
    "-o",
    "--output",
    metavar="FILE",
    help="写入 .json 或 .yaml 文件，而不是以 JSON 输出到标准输出。",
)
@click.help_option("-h", "--help", help="显示帮助并退出。")
def import_command(file: str, output: str | None) -> int:
    """把 .txt、.docx、.xlsx 报告读成报告格式（JSON 或 YAML），表格按表头识别。"""
    from .report.assemble import import_path

    try:
        data = import_path(file).data
    except LoadError as exc:
        raise _Failure(f"evalcheck：错误：{exc}") from None
    if output is not None and output.lower().endswith((".yaml", ".yml")):
        import yaml

        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    else:
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return _emit(text, output)
