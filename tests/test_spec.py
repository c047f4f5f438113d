"""One rule spec: the dataclass the engine reads is the one pydantic validates rule files against,
and one Severity and one Status type whose values are what files and JSON output say."""

from __future__ import annotations

import dataclasses
import json
import typing
from pathlib import Path

import pytest

from evalcheck.engine import ruleschema
from evalcheck.engine.pack import load_rules
from evalcheck.engine.run import Status
from evalcheck.engine.spec import Example, Limits, RuleSpec, Severity
from evalcheck.inputs.source import LoadError

RULE = {
    "id": "T100",
    "name": "probe",
    "title": "测试规则",
    "severity": "error",
    "check": "基本支出.决算 == 基本支出.人员经费 + 基本支出.公用经费",
    "message": "测试",
    "explain": "依据：测试。",
}
EXAMPLES = """\
    examples:
      - {name: a, expect: pass, report: {}}
      - {name: b, expect: fail, report: {}}
"""


def write(tmp_path: Path, rule: dict[str, object]) -> Path:
    body = "".join(f"    {k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in rule.items())
    path = tmp_path / "rules.yaml"
    path.write_text("rules:\n  - " + body.lstrip() + EXAMPLES, encoding="utf-8")
    return path


def limits(cls: type) -> dict[str, Limits]:
    hints = typing.get_type_hints(cls, include_extras=True)
    found = {}
    for name, hint in hints.items():
        for arg in (hint, *typing.get_args(hint)):
            for marker in getattr(arg, "__metadata__", ()):
                if isinstance(marker, Limits):
                    found[name] = marker
    return found


def test_the_validator_has_no_rule_model_of_its_own() -> None:
    """Before, ruleschema.py had pydantic models beside pack.py's dataclasses, kept equal by hand."""
    models = [
        name
        for name, value in vars(ruleschema).items()
        if isinstance(value, type) and "BaseModel" in [b.__name__ for b in value.__mro__]
    ]
    assert models == []
    assert ruleschema.RuleSpec is RuleSpec


OPTIONAL = {
    "scope": "绩效指标[*]",
    "for_each": {"项": ["决算"]},
    "when": "基本支出.决算 > 0",
    "missing": "report",
    "tolerance": 0.01,
    "at": "基本支出.决算",
    "params": {"a": 1},
    "fix": "核对数字。",
}


@pytest.mark.parametrize("field", [f.name for f in dataclasses.fields(RuleSpec)])
def test_every_field_of_the_spec_is_a_key_rule_files_may_use(tmp_path: Path, field: str) -> None:
    rule = {**RULE, field: OPTIONAL[field]} if field in OPTIONAL else RULE
    (loaded,) = load_rules(write(tmp_path, rule))
    assert getattr(loaded.spec, field) not in (None, {}, [])


@pytest.mark.parametrize(("field", "limit"), sorted(limits(RuleSpec).items()))
def test_each_limit_of_the_spec_is_enforced(tmp_path: Path, field: str, limit: Limits) -> None:
    if field == "examples":
        return  # tested with the examples below
    rule = dict(RULE)
    if limit.pattern is not None:
        rule[field] = "不合格 式样"
    elif limit.max_length is not None:
        rule[field] = (
            "字" * (limit.max_length + 1)
            if field != "for_each"
            else {f"v{i}": ["a"] for i in range(limit.max_length + 1)}
        )
    else:
        assert limit.ge is not None
        rule[field] = limit.ge - 1
    with pytest.raises(LoadError) as caught:
        load_rules(write(tmp_path, rule))
    assert f"「{field}」" in caught.value.message


def test_examples_are_validated_by_the_same_spec() -> None:
    assert set(limits(Example)) == {"name"}
    assert limits(RuleSpec)["examples"] == Limits(min_length=2, max_length=50)


def test_severity_is_one_type_with_its_rank_and_label() -> None:
    assert [s.value for s in Severity] == ["error", "warning", "info"]
    assert [(s.rank, s.label) for s in Severity] == [(2, "错误"), (1, "警告"), (0, "提示")]
    assert Severity("warning") is Severity.WARNING == "warning"
    assert {"warning": 1}[Severity.WARNING] == 1
    assert f"{Severity.INFO}" == str(Severity.INFO) == "info"
    assert json.dumps({"severity": Severity.ERROR}) == '{"severity": "error"}'


def test_status_values_are_what_json_output_says() -> None:
    assert [s.value for s in Status] == [
        "pass",
        "fail",
        "rounding",
        "missing",
        "error",
        "not-applicable",
    ]
    assert json.dumps([Status.NOT_APPLICABLE]) == '["not-applicable"]'
    assert [s for s in Status if s.holds] == [Status.PASS, Status.ROUNDING, Status.NOT_APPLICABLE]
    assert [s for s in Status if s.problem] == [Status.FAIL, Status.MISSING, Status.ERROR]


def test_a_compiled_rule_carries_a_severity(tmp_path: Path) -> None:
    (rule,) = load_rules(write(tmp_path, {**RULE, "severity": "warning"}))
    assert rule.severity is Severity.WARNING
