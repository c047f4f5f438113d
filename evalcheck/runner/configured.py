"""Settings per checked file, nearest configuration first, as ruff does.

A file's verdict must not change when another file is named beside it (pre-commit passes
whatever changed): each report is configured by the configuration file nearest to it —
``.evalcheck.yaml`` or ``[tool.evalcheck]`` in a ``pyproject.toml`` at or above its folder —
and by the explanations file nearest to it, with the command-line flags over both.
``--config FILE`` configures every file with that one file.
"""

from __future__ import annotations

import os
from dataclasses import field
from pathlib import Path

from ..engine.limits import MAX_EVALUATIONS_PER_RUN
from ..engine.pack import Rule, rule_files
from ..engine.run import Budget
from ..findings import FileResult, rule_info
from ..inputs.records import dataclass
from ..inputs.source import LoadError
from ..settings import Config, Options, Settings, find_config, load_config, resolve
from ..suppress import Explanations
from . import startup
from .checker import Checker
from .rules import RuleSet, RunError, compile_rule_set, located

__all__ = ["Configured", "Resolver"]

Key = tuple[str, str]  # (configuration file, explanations file); "" for none


@dataclass(slots=True)
class Configured:
    """One configuration's compiled rules and checker, shared by every file it applies to."""

    settings: Settings
    rule_set: RuleSet
    checker: Checker


@dataclass(slots=True)
class Resolver:
    """Finds, reads and compiles each file's configuration once, and remembers it."""

    options: Options
    builtin: Path
    diagnose: bool = True
    # Rule evaluations left for the run, shared by every configuration's checker (a --jobs
    # worker's resolver gets its share: see make_resolver).
    budget: Budget = field(default_factory=Budget)
    keep_reports: bool = False  # results carry the report data (formats that draw reports)
    _configs: dict[str, Config] = field(default_factory=dict)
    _configured: dict[Key, Configured] = field(default_factory=dict)
    _folders: dict[str, Key] = field(default_factory=dict)
    _settings: dict[Key, Settings] = field(default_factory=dict)

    def for_file(self, path: str) -> Configured:
        key = self.key_for(path)
        found = self._configured.get(key)
        if found is None:
            settings = self._settings[key]
            rule_set = compile_rule_set(settings)
            startup.ready()  # the command line's start-up ends with its first rule set
            checker = Checker(
                rule_set.active,
                rule_set.params,
                diagnose=self.diagnose,
                meta=rule_set.meta,
                budget=self.budget,
                keep_reports=self.keep_reports,
            )
            found = self._configured[key] = Configured(settings, rule_set, checker)
        return found

    def key_for(self, path: str) -> Key:
        folder = os.path.dirname(os.path.abspath(path)) if not os.path.isdir(path) else path
        key = self._folders.get(folder)
        if key is None:
            key = self._folders[folder] = self._resolve(Path(folder))
        return key

    def keep(self) -> None:
        """From now on every checker keeps each report's data in its result."""
        self.keep_reports = True
        for configured in self._configured.values():
            configured.checker.keep_reports = True

    def check_path(self, path: str) -> FileResult:
        """What ``--jobs`` workers call: the file checked with its own configuration."""
        return self.for_file(path).checker.check_path(path)

    def all(self) -> list[Configured]:
        return list(self._configured.values())

    def inputs(self) -> list[str]:
        """Every file the configured checks read besides the reports: configuration, rule and
        explanations files (an output must never overwrite one of them)."""
        found = list(self._configs)
        for settings in self._settings.values():
            found += [str(p) for p in rule_files(settings.packs)]
            if settings.explanations is not None:
                found.append(str(settings.explanations))
        return found

    def _resolve(self, folder: Path) -> Key:
        config_path = self._config_path(folder)
        config = self._read(config_path)
        settings = resolve(config, self.options, folder, self.builtin)
        key = (config_path or "", str(settings.explanations or ""))
        self._settings.setdefault(key, settings)
        return key

    def _config_path(self, folder: Path) -> str | None:
        explicit = self.options.config_file
        if explicit:
            if not os.path.lexists(explicit):  # a FIFO or device is refused when it is read
                raise RunError(f"{explicit}:1:1: 错误 配置文件不存在")
            return explicit
        found = find_config(folder)
        return None if found is None else str(found)

    def _read(self, path: str | None) -> Config:
        if path is None:
            return Config()
        config = self._configs.get(path)
        if config is None:
            config = self._configs[path] = load_config(Path(path))  # LoadError: one line, exit 2
        return config


def make_resolver(
    options: Options, builtin: Path, diagnose: bool, jobs: int = 1, keep_reports: bool = False
) -> Resolver:
    """A ``--jobs`` worker's resolver: configuration is found again there, file by file; each
    of the ``jobs`` workers gets its share of the run's evaluation budget."""
    share = MAX_EVALUATIONS_PER_RUN // max(jobs, 1)
    return Resolver(options, builtin, diagnose, Budget(share, share), keep_reports)


def load_explanations(path: Path, rules: list[Rule]) -> Explanations:
    try:
        return Explanations.load(path, [rule_info(r) for r in rules])
    except LoadError as exc:
        raise located(exc) from None
