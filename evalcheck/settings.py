"""Project configuration: ``[tool.evalcheck]`` in pyproject.toml or ``.evalcheck.yaml``.

The file is found by walking up from the checked reports (their common folder) to the
filesystem root, the nearest folder with a configuration winning, like ruff and yamllint do;
``--config FILE`` names one explicitly.  In one folder ``.evalcheck.yaml`` (or ``.yml``) wins
over pyproject.toml, and a pyproject.toml without ``[tool.evalcheck]`` does not count.

Keys (all optional)::

    select: [EC1, EC301]        # ids, id prefixes or rule names
    ignore: [EC310]
    rules: [our-rules/]         # extra rule packs, relative to the configuration file
    builtin: true               # false: only the packs under ``rules``
    severity: {EC308: error}
    params: {EC311: {权重方案: 湖南}}
    fail-level: warning
    format: text
    explanations: 说明.yaml      # relative to the configuration file

Anything wrong is a :class:`~evalcheck.inputs.source.LoadError` with the file and line, so the CLI prints
it as one line and exits 2.
"""

from __future__ import annotations

from dataclasses import field
from decimal import Decimal
from pathlib import Path
from typing import Any

from .inputs import load_bytes, load_path
from .inputs.files import LIMITS
from .inputs.records import dataclass
from .inputs.source import LoadError
from .inputs.toml_file import evalcheck_table, load_toml, toml_position
from .suppress import EXPLANATIONS_NAME

__all__ = [
    "CONFIG_NAMES",
    "DEFAULT_FAIL_LEVEL",
    "LEVELS",
    "Config",
    "OptionError",
    "Options",
    "Settings",
    "find_config",
    "find_upwards",
    "load_config",
    "parse_level",
    "resolve",
]

CONFIG_NAMES = (".evalcheck.yaml", ".evalcheck.yml", "pyproject.toml")

LEVELS = {
    "error": "error",
    "warning": "warning",
    "info": "info",
    "错误": "error",
    "警告": "warning",
    "提示": "info",
}


def parse_level(text: str) -> str | None:
    """``error``/``warning``/``info`` (or 错误/警告/提示) → the English level; None if neither."""
    return LEVELS.get(str(text).strip().lower())


@dataclass(slots=True)
class Config:
    """Settings from one configuration file; paths already resolved against its folder."""

    file: Path | None = None
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    rules: list[Path] = field(default_factory=list)
    builtin: bool = True
    severity: dict[str, str] = field(default_factory=dict)
    params: dict[str, dict[str, Any]] = field(default_factory=dict)
    fail_level: str | None = None
    format: str | None = None
    explanations: Path | None = None


def find_upwards(start: Path, names: tuple[str, ...], accept: Any = None) -> Path | None:
    """The first of ``names`` found in ``start`` or a parent folder (``accept`` filters files)."""
    folder = start.resolve()
    if not folder.is_dir():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        for name in names:
            path = candidate / name
            if path.is_file() and (accept is None or accept(path)):
                return path
    return None


def _has_tool_table(path: Path) -> bool:
    """A pyproject.toml counts when it has ``[tool.evalcheck]`` (in any TOML spelling).  One
    that cannot be read or parsed is an error, never silently skipped."""
    if path.name != "pyproject.toml":
        return True
    data, _ = load_toml(str(path))
    return evalcheck_table(data) is not None


def find_config(start: Path) -> Path | None:
    """The nearest configuration file at or above ``start``."""
    return find_upwards(start, CONFIG_NAMES, _has_tool_table)


def load_config(path: Path) -> Config:
    """Read and validate one configuration file (either kind, told apart by its name)."""
    if path.suffix == ".toml":
        data, where = _read_toml(path)
    else:
        data, where = _read_yaml(path)
    return _validate(data, path, where)


# --------------------------------------------------------------------------- reading

_Where = Any  # (key path) -> (line, column)


def _read_yaml(path: Path) -> tuple[dict[str, Any], _Where]:
    document = load_path(path, LIMITS["config"], report=False)  # errors carry file:line:col
    source = document.source
    if not isinstance(document.data, dict):
        raise LoadError(str(path), 1, 1, "配置文件的顶层应为键值对")

    def where(keys: tuple[str | int, ...], key: bool = False) -> tuple[int, int]:
        found = source.key_position(keys) if key else source.position(keys)
        return found or source.key_position(keys) or (1, 1)

    return document.data, where


def _read_toml(path: Path) -> tuple[dict[str, Any], _Where]:
    data, source = load_toml(str(path))
    table = evalcheck_table(data)
    if table is None:
        table = {}
    if not isinstance(table, dict):
        line, column = toml_position(source, ("tool", "evalcheck"))
        raise LoadError(str(path), line, column, "[tool.evalcheck] 应为表")

    def where(keys: tuple[str | int, ...], key: bool = False) -> tuple[int, int]:
        return toml_position(source, ("tool", "evalcheck", *keys))

    return table, where


# --------------------------------------------------------------------------- validating

_KEYS = (
    "select",
    "ignore",
    "rules",
    "builtin",
    "severity",
    "params",
    "fail-level",
    "format",
    "explanations",
)


def _validate(data: dict[str, Any], path: Path, where: _Where) -> Config:
    def fail(keys: tuple[str | int, ...], message: str, key: bool = False) -> LoadError:
        line, column = where(keys, key)
        return LoadError(str(path), line, column, message)

    for key in data:
        if key not in _KEYS:
            line, column = where((key,), True)
            known = "、".join(_KEYS)
            raise LoadError(str(path), line, column, f"未知的配置项「{key}」（可用：{known}）")
    base = path.parent
    config = Config(file=path)
    config.select = _names(data, "select", fail)
    config.ignore = _names(data, "ignore", fail)
    config.rules = [base / p for p in _names(data, "rules", fail)]
    if "builtin" in data:
        if not isinstance(data["builtin"], bool):
            raise fail(("builtin",), "「builtin」应为 true 或 false")
        config.builtin = data["builtin"]
    severity = data.get("severity", {})
    if not isinstance(severity, dict):
        raise fail(("severity",), "「severity」应为 规则 → 级别 的键值对，如 {EC308: error}")
    for rule, level in severity.items():
        parsed = parse_level(level) if isinstance(level, str) else None
        if parsed is None:
            raise fail(
                ("severity", rule),
                f"规则 {rule} 的级别「{level}」不合法（应为 error、warning 或 info）",
            )
        config.severity[str(rule)] = parsed
    params = data.get("params", {})
    if not isinstance(params, dict):
        raise fail(("params",), "「params」应为 规则 → {参数: 值} 的键值对")
    for rule, values in params.items():
        if not isinstance(values, dict):
            raise fail(("params", rule), f"规则 {rule} 的参数应为 {{参数: 值}} 的键值对")
        config.params[str(rule)] = {str(k): decimalise(v) for k, v in values.items()}
    if "fail-level" in data:
        level = data["fail-level"]
        parsed = parse_level(level) if isinstance(level, str) else None
        if parsed is None:
            raise fail(
                ("fail-level",),
                f"「fail-level」的值「{level}」不合法（应为 error、warning 或 info）",
            )
        config.fail_level = parsed
    if "format" in data:
        if not isinstance(data["format"], str) or not data["format"].strip():
            raise fail(("format",), "「format」应为输出格式名，如 text")
        config.format = data["format"].strip()
    if "explanations" in data:
        if not isinstance(data["explanations"], str) or not data["explanations"].strip():
            raise fail(("explanations",), "「explanations」应为说明文件的路径")
        config.explanations = base / data["explanations"]
    return config


def _names(data: dict[str, Any], key: str, fail: Any) -> list[str]:
    """A list of strings, or one comma-separated string."""
    value = data.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise fail((key,), f"「{key}」应为字符串列表")
    return split_names(value)


def split_names(values: list[str] | tuple[str, ...]) -> list[str]:
    """``["EC1,EC3", "EC205"]`` → ``["EC1", "EC3", "EC205"]``."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def decimalise(value: Any) -> Any:
    """Numbers as :class:`~decimal.Decimal`, the way rule packs read them (TOML gives ints)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return Decimal(str(value))
    if isinstance(value, dict):
        return {str(k): decimalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decimalise(v) for v in value]
    return value


# --------------------------------------------------------------------------- resolving

DEFAULT_FAIL_LEVEL = "warning"


class OptionError(ValueError):
    """A command-line value that cannot be used; ``option`` is the flag, e.g. ``--severity``."""

    def __init__(self, option: str, message: str) -> None:
        super().__init__(message)
        self.option = option
        self.message = message


@dataclass(frozen=True, slots=True)
class Options:
    """The command-line flags that shape a check, before any configuration file is read."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    no_builtin: bool = False
    severity: tuple[str, ...] = ()
    param: tuple[str, ...] = ()
    fail_level: str | None = None
    format: str | None = None
    explanations: str | None = None
    config_file: str | None = None


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a check of one file is configured by: configuration file, flags over it."""

    select: tuple[str, ...]
    ignore: tuple[str, ...]
    packs: tuple[Path, ...]
    severity: tuple[tuple[str, str], ...]
    params: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...]
    fail_level: str
    format: str
    explanations: Path | None

    @property
    def params_dict(self) -> dict[str, dict[str, Any]]:
        return {rule: dict(values) for rule, values in self.params}


def resolve(config: Config, options: Options, start: Path, builtin: Path) -> Settings:
    """Configuration file first, command-line options over it; ``builtin`` is the built-in pack."""
    use_builtin = config.builtin and not options.no_builtin
    packs = ([builtin] if use_builtin else []) + config.rules
    packs += [Path(p) for p in options.rules]
    select = split_names(options.select) or config.select
    ignore = config.ignore + split_names(options.ignore)
    severity = dict(config.severity)
    for key, value in _pairs(options.severity, "--severity", "EC308=error"):
        severity[key] = _level(value, "--severity")
    params = {k: dict(v) for k, v in config.params.items()}
    for key, value in _pairs(options.param, "--param", "EC311.权重方案=湖南"):
        rule, dot, name = key.partition(".")
        if not dot or not rule or not name:
            raise OptionError(
                "--param", f"「{key}」（应写作 规则.参数=值，如 EC311.权重方案=湖南）"
            )
        params.setdefault(rule, {})[name] = _param_value(value)
    fail_level = (
        _level(options.fail_level, "--fail-level") if options.fail_level is not None else None
    )
    if options.explanations is not None:
        explanations: Path | None = Path(options.explanations)
    elif config.explanations is not None:
        explanations = config.explanations
    else:
        explanations = find_upwards(start, (EXPLANATIONS_NAME,))
    return Settings(
        select=tuple(select),
        ignore=tuple(ignore),
        packs=tuple(packs),
        severity=tuple(severity.items()),
        params=tuple((rule, tuple(values.items())) for rule, values in params.items()),
        fail_level=fail_level or config.fail_level or DEFAULT_FAIL_LEVEL,
        format=options.format or config.format or "text",
        explanations=explanations,
    )


def _level(value: str, option: str) -> str:
    level = parse_level(value)
    if level is None:
        raise OptionError(option, f"「{value}」（应为 error、warning 或 info）")
    return level


def _pairs(values: tuple[str, ...], option: str, example: str) -> list[tuple[str, str]]:
    pairs = []
    for value in values:
        key, sep, rest = value.partition("=")
        if not sep or not key.strip():
            raise OptionError(option, f"「{value}」（应写作 {example}）")
        pairs.append((key.strip(), rest.strip()))
    return pairs


def _param_value(text: str) -> Any:
    """``--param`` values are YAML scalars or flow collections, read like rule packs read
    numbers (exact decimals)."""
    if not text:
        return ""
    try:
        value = load_bytes(("值: " + text).encode("utf-8"), "--param", "yaml").data["值"]
    except LoadError as exc:
        raise OptionError("--param", f"「{text}」不是合法的值：{exc.message}") from None
    return "" if value is None else value
