"""Written explanations for findings kept on purpose, and baselines of known findings.

A warning is a 提示性 finding: an office may keep, say, a lost point without a written
deviation reason if the reason is given elsewhere.  It then writes that down, once, in an
explanations file (``.evalcheck-explanations.yaml``, found like the configuration)::

    explanations:
      - file: shaoyang-beita-2023.json        # glob, relative to this file
        rule: EC308                            # rule id or name
        path: 绩效指标[0].指标[3].得分           # optional: the finding's key path (or a parent)
        reason: 扣分原因已在报告正文第三部分说明    # mandatory

A matched warning or info is *explained*: it no longer counts toward the fail level, and it is
still listed (``--verbose`` and machine formats) with its reason.  Errors cannot be explained
away, since they are arithmetic that is simply wrong: an entry that tries says so in the
finding's message.  An entry that no longer matches anything is reported (rule EC901) so the
file does not collect stale excuses.

A baseline (``--write-baseline``/``--baseline``) is the blunt tool for adopting evalcheck on a
pile of old reports: it records (file, rule, key path), no line numbers so that editing a
report does not invalidate it, and hides exactly those findings.
"""

from __future__ import annotations

import fnmatch
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import field
from pathlib import Path
from typing import Any

from .findings import META_RULES, FileResult, Finding, RuleInfo, Severity, meta_finding
from .inputs import load_path
from .inputs.escape import json_safe
from .inputs.files import LIMITS, write_text
from .inputs.records import dataclass
from .inputs.source import LoadError, Source

__all__ = [
    "EXPLANATIONS_NAME",
    "STALE",
    "Baseline",
    "Entry",
    "Explanations",
]

EXPLANATIONS_NAME = ".evalcheck-explanations.yaml"
BASELINE_VERSION = 1
# Entries of one explanations file; a real one has a few dozen.  Matching is linear in them.
MAX_EXPLANATIONS = 100_000
_GLOB = re.compile(r"[*?\[]")


STALE = META_RULES["EC901"]


def _relative(file: str, base: Path) -> str:
    """``file`` relative to ``base`` with forward slashes (absolute if it lies elsewhere)."""
    path = Path(file).resolve()
    try:
        return path.relative_to(base.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _path_matches(pattern: str | None, path: str) -> bool:
    """The entry's key path names the finding's path or one of its parents."""
    if not pattern:
        return True
    return path == pattern or path.startswith((pattern + ".", pattern + "["))


def _glob_matches(pattern: str, relative: str) -> bool:
    if fnmatch.fnmatchcase(relative, pattern):
        return True
    return pattern.startswith("**/") and fnmatch.fnmatchcase(relative, pattern[3:])


@dataclass(slots=True)
class Entry:
    file: str
    rule: str
    path: str | None
    reason: str
    line: int
    column: int
    used: bool = False
    index: int = 0  # its place in the file's list, for the key path of a stale entry
    checked: bool = False  # a file it names was checked (kept here, not a list of every file)


@dataclass(slots=True)
class Explanations:
    """The entries of one explanations file, matched against findings as files are checked."""

    source: Source
    base: Path
    entries: list[Entry] = field(default_factory=list)
    _exact: dict[str, list[Entry]] | None = field(default=None, repr=False)
    _globs: list[Entry] = field(default_factory=list, repr=False)

    @classmethod
    def load(cls, path: Path, rules: Sequence[RuleInfo]) -> Explanations:
        """Read and validate; any mistake is a :class:`LoadError` at its line."""
        document = load_path(path, LIMITS["explanations"], report=False)
        source = document.source
        name = str(path)

        def fail(keys: tuple[str | int, ...], message: str) -> LoadError:
            line, column = source.position(keys) or source.key_position(keys) or (1, 1)
            return LoadError(name, line, column, message)

        data = document.data
        if not isinstance(data, dict) or set(data) != {"explanations"}:
            raise fail((), "说明文件应只有一项「explanations」：说明条目的列表")
        items = data["explanations"]
        if not isinstance(items, list):
            raise fail(("explanations",), "「explanations」应为说明条目的列表")
        if len(items) > MAX_EXPLANATIONS:
            raise fail(
                ("explanations",), f"说明条目过多（{len(items)} 条，上限 {MAX_EXPLANATIONS} 条）"
            )
        known = {r.id: r.id for r in rules} | {r.name: r.id for r in rules}
        explanations = cls(source, path.parent)
        for index, item in enumerate(items):
            where: tuple[str | int, ...] = ("explanations", index)
            if not isinstance(item, dict):
                raise fail(where, "说明条目应为键值对：file、rule、path、reason")
            for key in item:
                if key not in ("file", "rule", "path", "reason"):
                    raise fail(
                        (*where, key),
                        f"说明条目中有未知的项「{key}」（可用：file、rule、path、reason）",
                    )
            for key in ("file", "rule", "reason"):
                value = item.get(key)
                if not isinstance(value, str) or not value.strip():
                    what = "说明理由（reason）" if key == "reason" else f"「{key}」"
                    raise fail(
                        (*where, key) if key in item else where,
                        f"说明条目缺少{what}：每条说明都必须写明理由"
                        if key == "reason"
                        else f"说明条目缺少{what}",
                    )
            rule = known.get(item["rule"].strip())
            if rule is None:
                raise fail((*where, "rule"), f"未知的规则「{item['rule']}」")
            key_path = item.get("path")
            if key_path is not None and not isinstance(key_path, str):
                raise fail((*where, "path"), "「path」应为键路径，如 绩效指标[0].指标[3].得分")
            line, column = source.position(where) or (1, 1)
            explanations.entries.append(
                Entry(
                    item["file"].strip(),
                    rule,
                    key_path.strip() if key_path else None,
                    " ".join(item["reason"].split()),
                    line,
                    column,
                    index=index,
                )
            )
        return explanations

    def _by_file(self) -> tuple[dict[str, list[Entry]], list[Entry]]:
        """Entries naming one file exactly (looked up), and those with a glob (matched)."""
        if self._exact is None:
            self._exact, self._globs = {}, []
            for entry in self.entries:
                if _GLOB.search(entry.file):
                    self._globs.append(entry)
                else:
                    self._exact.setdefault(entry.file, []).append(entry)
        return self._exact, self._globs

    def _matching(self, relative: str) -> list[Entry]:
        exact, globs = self._by_file()
        found = exact.get(relative, []) + [e for e in globs if _glob_matches(e.file, relative)]
        return sorted(found, key=lambda e: e.index) if found else found

    def apply(self, result: FileResult) -> None:
        """Mark the findings of one checked file that an entry explains."""
        relative = _relative(result.file, self.base)
        entries = self._matching(relative)
        for entry in entries:
            entry.checked = True
        for finding in result.findings:
            for entry in entries:
                if entry.rule != finding.rule_id or not _path_matches(entry.path, finding.path):
                    continue
                entry.used = True
                if finding.severity == Severity.ERROR:
                    finding.message += (
                        f"（{self.source.name}:{entry.line} 试图说明此问题，"
                        "但错误必须改正，不能以说明代替）"
                    )
                    break
                finding.explanation = entry.reason
                break

    def stale(self, active: Iterable[str], file: str) -> list[Finding]:
        """Entries for rules that ran on files that were checked, yet matched nothing."""
        rules = set(active)
        findings = []
        for entry in self.entries:
            if entry.used or entry.rule not in rules:
                continue
            if not entry.checked:  # no file it names was checked
                continue
            where = f"{entry.rule} {entry.file}" + (f" {entry.path}" if entry.path else "")
            message = f"说明（{where}）没有对应的发现，可能问题已改正：请删除或改正这条说明"
            at = (entry.line, entry.column)
            findings.append(meta_finding(STALE, message, file, at, f"explanations[{entry.index}]"))
        return findings


@dataclass(slots=True)
class Baseline:
    """Known findings, as (file relative to the baseline, rule id, key path), with counts."""

    base: Path
    known: Counter[tuple[str, str, str]] = field(default_factory=Counter)

    @classmethod
    def load(cls, path: Path) -> Baseline:
        name = str(path)
        document = load_path(path, LIMITS["baseline"], report=False)  # depth, size, numbers
        data = document.data
        items = data.get("findings") if isinstance(data, dict) else None
        if not isinstance(items, list) or not all(
            isinstance(i, dict) and all(isinstance(i.get(k), str) for k in ("file", "rule", "path"))
            for i in items
        ):
            raise LoadError(
                name, 1, 1, "基线文件格式不对：应为 evalcheck --write-baseline 写出的文件"
            )
        baseline = cls(path.parent)
        for item in items:
            baseline.known[(item["file"], item["rule"], item["path"])] += 1
        return baseline

    def apply(self, result: FileResult) -> int:
        """Drop the findings the baseline knows; return how many were dropped."""
        relative = _relative(result.file, self.base)
        kept = []
        hidden = 0
        for finding in result.findings:
            key = (relative, finding.rule_id, finding.path)
            if self.known[key] > 0:
                self.known[key] -= 1
                hidden += 1
            else:
                kept.append(finding)
        result.findings = kept
        return hidden

    @staticmethod
    def write(path: Path, results: Iterable[FileResult]) -> int:
        """Record every unexplained finding; return how many."""
        base = path.parent
        rows = sorted(
            (_relative(r.file, base), f.rule_id, f.path)
            for r in results
            for f in r.findings
            if f.explanation is None
        )
        document: dict[str, Any] = {
            "version": BASELINE_VERSION,
            "tool": "evalcheck",
            "findings": [{"file": f, "rule": r, "path": p} for f, r, p in rows],
        }
        text = json_safe(json.dumps(document, ensure_ascii=False, indent=2)) + "\n"
        write_text(path, text)  # beside the target, renamed into place when complete
        return len(rows)
