"""The clean path: ``evalcheck PATH …`` with no option runs without importing click.

Checking files named on the command line with the defaults is what a pre-commit hook and a
batch do, and click (its parser, its help machinery, the modules they pull in) costs more than
the check of one report.  :func:`plain_paths` recognises exactly that case — arguments that
are all paths, none an option, a ``-`` or a subcommand, and no shell completion asked for —
and :func:`main` runs it with the options click would have given; anything else goes through
click (:mod:`.group`).  Both paths share :func:`run_check` and :func:`failure`, so their
output, messages and exit codes are the same (``tests/test_clean_path.py`` compares them).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any, NoReturn

__all__ = ["DEFAULTS", "SUBCOMMANDS", "failure", "main", "plain_paths", "run_check"]

SUBCOMMANDS = frozenset({"check", "rules", "explain", "schema", "import", "serve"})

# What click passes to ``check`` when no option is given (see :mod:`.check`).
DEFAULTS: dict[str, Any] = {
    "fail_level": None,
    "exit_zero": False,
    "quiet": False,
    "verbose": False,
    "format_": None,
    "output": None,
    "stdin_filename": None,
    "statistics": False,
    "rules": (),
    "no_diagnose": False,
    "no_builtin": False,
    "select": (),
    "ignore": (),
    "severity": (),
    "param": (),
    "jobs": None,
    "config_file": None,
    "explanations": None,
    "baseline": None,
    "write_baseline": None,
    "color": None,
}


def plain_paths(args: Sequence[str]) -> tuple[str, ...] | None:
    """The paths of ``evalcheck PATH …`` / ``evalcheck check PATH …`` with no option; None
    for every other command line (click parses those)."""
    if os.environ.get("_EVALCHECK_COMPLETE"):  # click's shell completion
        return None
    paths = list(args)
    if paths and paths[0] == "check":
        paths = paths[1:]
    elif paths and paths[0] in SUBCOMMANDS:
        return None
    if not paths or any(p.startswith("-") for p in paths):
        return None
    return tuple(paths)


def main(paths: tuple[str, ...]) -> NoReturn:
    """Check ``paths`` with the defaults, as ``evalcheck PATH …`` through click would."""
    from ..runner.output import guard_process

    guard_process()
    try:
        code = run_check(paths, DEFAULTS)
    except OSError as exc:
        if not isinstance(exc, BrokenPipeError):
            code = _failed(exc)
        else:  # as click's main does for a closed pipe (``evalcheck … | head``)
            from click import core

            pacify: Any = getattr(core, "_PacifyFlushWrapper")  # noqa: B009  (private in click)
            sys.stdout = pacify(sys.stdout)
            sys.stderr = pacify(sys.stderr)
            code = 1
    except (EOFError, KeyboardInterrupt):
        sys.stderr.write("\n")  # click echoes a newline before it aborts
        sys.stderr.flush()
        code = _failed(KeyboardInterrupt())
    except Exception as exc:
        code = _failed(exc)
    sys.exit(code)


def _failed(exc: BaseException) -> int:
    code = failure(exc)
    if code is None:
        raise exc
    return code


def failure(exc: BaseException) -> int | None:
    """One line on stderr and the exit code for a run that failed (None: not ours to say)."""
    from ..inputs.source import LoadError
    from ..runner.output import OutputError, silence_closed_pipe, silence_stdout
    from ..runner.rules import RunError
    from ..settings import OptionError

    if isinstance(exc, KeyboardInterrupt):
        _error("已中断")
        return 2
    if isinstance(exc, OutputError):
        _line(exc.message)
        silence_stdout()
        return 2
    if isinstance(exc, RunError):
        _line(exc.message)
        return 2
    if isinstance(exc, LoadError):
        _line(f"{exc.file}:{exc.line}:{exc.column}: 错误 {exc.message}")
        return 2
    if isinstance(exc, OptionError):  # as click.BadParameter(message, param_hint=option) reads
        _error(f"{exc.option} 的值不合法：{exc.message}")
        _echo("运行 evalcheck --help 查看用法。")
        return 2
    if isinstance(exc, BrokenPipeError):
        silence_closed_pipe()
        return 2
    if isinstance(exc, Exception):
        if os.environ.get("EVALCHECK_DEBUG"):
            raise exc
        detail = " ".join(str(exc).split()) or type(exc).__name__
        _error(f"内部错误（{type(exc).__name__}：{detail}），请把命令和报告文件一并报告给维护者")
        return 2
    return None


def _echo(message: str) -> None:
    """``click.echo(message, err=True)`` for text with no escape sequence in it."""
    stream = sys.stderr
    if stream is None:
        return
    stream.write(message + "\n")
    stream.flush()


def _line(message: str) -> None:
    """One line on stderr: whatever came from outside (file names, values) shown escaped."""
    from ..inputs.escape import visible

    _echo(visible(message))


def _error(message: str) -> None:
    _line(f"evalcheck：错误：{message}")


def _usage(message: str) -> Exception:
    import click

    return click.UsageError(message)


def run_check(paths: tuple[str, ...], options: dict[str, Any]) -> int:
    """``evalcheck check``: options → settings → a run → an exit code (click-free)."""
    from ..engine.pack import builtin_rules_dir, rule_files
    from ..inputs.escape import visible
    from ..inputs.files import Inputs
    from ..runner.configured import Resolver
    from ..runner.output import output, own_output_dropped, refuse_inputs
    from ..runner.reports import Reports, found_reports
    from ..runner.run import Run, RunOptions
    from ..settings import Options

    jobs = _jobs(options["jobs"])
    if not paths:
        raise _usage("请指定要检查的报告文件或目录")
    flags = Options(
        select=options["select"],
        ignore=options["ignore"],
        rules=options["rules"],
        no_builtin=options["no_builtin"],
        severity=options["severity"],
        param=options["param"],
        fail_level=options["fail_level"],
        format=options["format_"],
        explanations=options["explanations"],
        config_file=options["config_file"],
    )
    diagnose = not options["no_diagnose"]
    stdin = _stdin(paths, options["stdin_filename"])
    named = tuple(stdin[0] if p == "-" and stdin else p for p in paths)
    # An output must never overwrite one of the run's inputs: the files named or found, checked
    # before anything else is read, then the configuration, rule and explanations files the
    # reports use, checked before anything is written.
    outputs = (("-o", options["output"]), ("--write-baseline", options["write_baseline"]))
    reports = Reports(own_output_dropped(found_reports(named), named, options["output"]))
    inputs = Inputs()
    inputs.add(p for p in (flags.config_file, flags.explanations, options["baseline"]) if p)
    inputs.add(rule_files(Path(p) for p in flags.rules))
    refuse_inputs(inputs, outputs, reports)
    run = Run(
        Resolver(flags, builtin_rules_dir(), diagnose),
        RunOptions(
            verbose=options["verbose"],
            quiet=options["quiet"],
            exit_zero=options["exit_zero"],
            statistics=options["statistics"],
            diagnose=diagnose,
            jobs=jobs,
            baseline=options["baseline"],
            stdin=stdin,
        ),
    )
    run.prepare(reports)
    inputs.add(run.resolver.inputs())
    refuse_inputs(inputs, outputs)
    if options["write_baseline"]:
        import click

        path = Path(options["write_baseline"])
        count, code = run.write_baseline(path, sys.stderr)
        click.echo(f"已把 {count} 个问题写入基线文件 {visible(str(path))}")
        return code
    output_name = options["output"]
    with output(output_name) as stream:
        color = _use_color(options["color"], stream, output_name is not None)
        return run.write(stream, sys.stderr, color=color, width=_width(stream))


def _stdin(paths: tuple[str, ...], name: str | None) -> tuple[str, bytes] | None:
    """``evalcheck -``: the report on standard input, read as ``--stdin-filename`` would be
    (its suffix chooses the reader, its folder the configuration); JSON or YAML otherwise."""
    if "-" not in paths:
        if name is not None:
            import click

            raise click.BadParameter(
                "只在用 - 从标准输入读取报告时使用", param_hint="--stdin-filename"
            )
        return None
    if paths != ("-",):
        raise _usage("从标准输入读取（-）时不能再指定其他文件")
    from ..inputs.source import MAX_FILE_BYTES

    data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
    shown = name or "<标准输入>"
    if len(data) > MAX_FILE_BYTES:
        raise _usage(f"{shown}：标准输入的内容过大（超过 {MAX_FILE_BYTES // 2**20} MiB）")
    return shown, data


def _jobs(value: str | None) -> int:
    """``--jobs``: a positive number of processes; all the CPUs this process may use by default."""
    if value is None:
        return _cores()
    try:
        jobs = int(value.strip())
    except ValueError:
        jobs = 0
    if jobs < 1:
        import click

        raise click.BadParameter(f"「{value}」（应为正整数，如 4）", param_hint="--jobs")
    return jobs


def _cores() -> int:
    """The cores this process may run on (its CPU affinity, where the system has one)."""
    counted = getattr(os, "process_cpu_count", None)
    if counted is not None:
        cpus: int | None = counted()
    elif hasattr(os, "sched_getaffinity"):
        cpus = len(os.sched_getaffinity(0))
    else:
        cpus = os.cpu_count()
    return cpus or 1


def _width(stream: IO[str]) -> int | None:
    """The terminal's width in cells when writing to one; else the renderers' default."""
    if not getattr(stream, "isatty", lambda: False)():
        return None
    import shutil

    return shutil.get_terminal_size().columns


def _use_color(option: bool | None, stream: IO[str], to_file: bool) -> bool:
    """--color/--no-color; else NO_COLOR turns colour off, FORCE_COLOR on (also in CI logs
    that are not a terminal); else colour on a terminal only."""
    if option is not None:
        return option
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if to_file:
        return False
    return bool(getattr(stream, "isatty", lambda: False)())
