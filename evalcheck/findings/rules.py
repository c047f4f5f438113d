"""What renderers, explanations and selection may know of a rule — never the compiled rule —
and the rules about reading (EC001–EC004, EC901), which the runner and the explanations
produce and ``evalcheck rules`` lists like the rest."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..inputs.records import dataclass

if TYPE_CHECKING:
    from ..engine.pack import Rule

__all__ = ["META_RULES", "RuleInfo", "Selector", "rule_info"]


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
            "运行的规则在这份报告中全部因缺少数据或前提条件不成立而未适用，或读到的数字没有一个被规则检查：\n"
            "没有检查任何数字。\n"
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
