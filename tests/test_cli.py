"""The ``evalcheck`` command, driven through click's runner and as a real process."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rich.cells import cell_len

from evalcheck.cli import cli
from evalcheck.report.model import schema_text
from evalcheck.runner.run import collect_reports

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
BEITA = SAMPLES / "shaoyang-beita-2023.json"
BEITA_YAML = SAMPLES / "shaoyang-beita-2023.yaml"
ZHANJIANG = SAMPLES / "zhanjiang-2024.json"


def run(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], env=env)


def process(*args: str | Path, cwd: Path = ROOT, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **env}
    environment.pop("NO_COLOR", None) if "NO_COLOR" not in env else None
    return subprocess.run(
        [sys.executable, "-m", "evalcheck", *map(str, args)],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


@pytest.fixture
def tmp_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work in an empty folder, so no configuration of the checkout is picked up."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def copy_sample(sample: Path, folder: Path, name: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / (name or sample.name)
    shutil.copyfile(sample, target)
    return target


def headers(output: str) -> list[str]:
    return re.findall(r"^(?:错误|警告|提示)(?:（已说明）)?\[EC\d+\]", output, re.MULTILINE)


# --------------------------------------------------------------------------- the samples


def test_beita_fails_with_an_annotated_frame_for_ec103() -> None:
    result = run(BEITA)
    assert result.exit_code == 1
    name = str(BEITA)
    expected = f"""\
错误[EC103]: 年初预算数应等于基本支出与项目支出年初预算之和
  --> {name}:21:14
   |
21 |     "年初预算数": 262.78,
   |                   ^^^^^^ 262.78 ≠ 262.78 + 40.8 = 303.58，差 40.80
...
39 |     "年初预算": 262.78,
   |                 ------ 基本支出.年初预算
...
45 |     "年初预算": 40.8,
   |                 ---- 项目支出.年初预算
   |
   = 年初预算数 262.78 与基本支出年初预算 262.78、项目支出年初预算 40.8 之和不一致
"""
    assert result.stdout.startswith(expected)


def test_underline_sits_under_the_figure_in_terminal_cells() -> None:
    lines = run(BEITA).stdout.splitlines()
    source = next(i for i, line in enumerate(lines) if line.startswith("21 |"))
    caret = lines[source + 1]
    before_value = lines[source][: lines[source].index("262.78")]
    assert cell_len(caret[: caret.index("^")]) == cell_len(before_value)
    assert cell_len(before_value) == len("21 |     ") + 10 + len('"": ')  # 5 CJK = 10 cells
    assert caret.count("^") == len("262.78")


def test_yaml_frame_aligns_under_chinese_keys() -> None:
    lines = run(BEITA_YAML).stdout.splitlines()
    source = next(i for i, line in enumerate(lines) if line.startswith("18 |"))
    assert lines[source] == "18 |   年初预算数: 262.78"
    assert lines[source + 1].startswith("   |               ^^^^^^ 262.78 ≠")


def test_beita_reports_four_deviation_reasons_missing() -> None:
    result = run(BEITA)
    out = result.stdout
    assert headers(out).count("警告[EC308]") == 4
    for indicator in ("组织工作任务", "社会影响力", "党组织工作影响力", "成本控制有效性"):
        assert f"指标「{indicator}」得分" in out
    assert f"{BEITA}：1 个错误，8 个警告，1 个提示" in out
    assert out.rstrip().endswith(
        "检查了 1 份报告：1 个错误，8 个警告，1 个提示（共读取 117 个数字，规则检查了 114 个）"
    )


def test_zhanjiang_is_clean() -> None:
    result = run(ZHANJIANG)
    assert result.exit_code == 0
    assert result.stdout == (
        f"{ZHANJIANG}：未发现问题（读取 24 个数字，规则检查了 24 个；71 条规则因缺少数据未适用）\n\n"
        "检查了 1 份报告：未发现问题（共读取 24 个数字，规则检查了 24 个）\n"
    )


def test_samples_folder_checks_every_sample() -> None:
    seeds = run(BEITA, BEITA_YAML, ZHANJIANG)
    assert "检查了 3 份报告：2 个错误，16 个警告，2 个提示" in seeds.stdout
    result = run(SAMPLES)
    assert result.exit_code == 1
    files = sorted(SAMPLES.glob("*.json")) + sorted(SAMPLES.glob("*.yaml"))
    assert f"检查了 {len(files)} 份报告：" in result.stdout  # a file holding a list counts once
    for sample in files:
        assert f"{sample}：" in result.stdout


def test_real_process_on_the_samples() -> None:
    beita = process("samples/shaoyang-beita-2023.json")
    assert beita.returncode == 1
    assert " --> samples/shaoyang-beita-2023.json:21:14" in beita.stdout
    assert "Traceback" not in beita.stderr
    assert process("samples/zhanjiang-2024.json").returncode == 0
    folder = process("samples/")
    assert folder.returncode == 1
    assert "份报告" in folder.stdout


# --------------------------------------------------------------------------- exit codes and levels


def test_default_fail_level_is_warning(tmp_cwd: Path) -> None:
    assert run("--select", "EC308", BEITA).exit_code == 1
    assert run("--select", "EC308", "--fail-level", "error", BEITA).exit_code == 0
    assert run("--select", "EC308", "--fail-level", "警告", BEITA).exit_code == 1


def test_infos_fail_only_at_fail_level_info(tmp_cwd: Path) -> None:
    assert run("--select", "EC104", BEITA).exit_code == 0
    assert run("--select", "EC104", "--fail-level", "info", BEITA).exit_code == 1


def test_exit_zero_keeps_findings_but_not_unreadable_files(tmp_cwd: Path) -> None:
    result = run("--exit-zero", BEITA)
    assert result.exit_code == 0
    assert "错误[EC103]" in result.stdout
    assert run("--exit-zero", BEITA, tmp_cwd / "missing.json").exit_code == 2


def test_unreadable_report_is_one_line_and_exit_2_after_the_others(tmp_cwd: Path) -> None:
    broken = tmp_cwd / "broken.json"
    broken.write_text('{"单位名称": ', encoding="utf-8")
    result = run(broken, ZHANJIANG)
    assert result.exit_code == 2
    assert result.stderr == f"{broken}:1:10: 错误 此处应为一个值\n"
    assert f"{ZHANJIANG}：未发现问题" in result.stdout
    assert "检查了 2 份报告：1 份无法读取（共读取 24 个数字，规则检查了 24 个）" in result.stdout
    assert "未发现问题（共" not in result.stdout  # never green when a file was not read


def test_missing_file_as_a_process_has_no_traceback(tmp_path: Path) -> None:
    done = process(tmp_path / "nope.json", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == f"{tmp_path / 'nope.json'}:1:1: 错误 无法读取文件：文件不存在\n"


def test_bad_rule_file_is_exit_2_with_its_position(tmp_cwd: Path) -> None:
    rules = tmp_cwd / "ours.yaml"
    rules.write_text("rules:\n  - id: XX101\n    name: x\n", encoding="utf-8")
    result = run("--rules", rules, ZHANJIANG)
    assert result.exit_code == 2
    assert re.fullmatch(rf"{re.escape(str(rules))}:\d+:\d+: 错误 .+\n", result.stderr)
    assert result.stdout == ""


def test_extra_rule_pack_adds_to_the_builtin_one(tmp_cwd: Path) -> None:
    rules = tmp_cwd / "ours.yaml"
    rules.write_text(
        """\
rules:
  - id: XX101
    name: unit-named
    title: 应写明单位名称
    severity: warning
    check: exists(单位名称)
    message: 缺少单位名称
    explain: |
      修正：写明单位名称。
    examples:
      - {name: named, expect: pass, report: {单位名称: 某部门}}
      - {name: unnamed, expect: fail, report: {评价年度: "2023"}}
""",
        encoding="utf-8",
    )
    listed = run("rules", "--rules", rules, "--format", "json")
    assert "XX101" in [r["id"] for r in json.loads(listed.stdout)]
    only = run("--rules", rules, "--no-builtin", ZHANJIANG)
    assert only.exit_code == 0


def test_usage_errors_exit_2_in_chinese(tmp_cwd: Path) -> None:
    for args in (["--no-such-option", str(BEITA)], ["--fail-level", "bogus", str(BEITA)], []):
        result = run(*args)
        assert result.exit_code == 2, args
        assert result.stderr.startswith("evalcheck：错误："), result.stderr
        assert "Traceback" not in result.output
    assert "--fail-level 的值不合法" in run("--fail-level", "bogus", BEITA).stderr
    assert "请指定要检查的报告文件或目录" in run().stderr


def test_unexpected_error_is_one_line_exit_2(
    tmp_cwd: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from evalcheck.runner import checker

    def explode(self: object, path: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(checker.Checker, "check_path", explode)
    result = run(BEITA)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "内部错误（RuntimeError：boom）" in result.stderr


# --------------------------------------------------------------------------- output options


def test_quiet_prints_findings_without_summaries(tmp_cwd: Path) -> None:
    result = run("-q", BEITA)
    assert result.exit_code == 1
    assert "错误[EC103]" in result.stdout
    assert "检查了" not in result.stdout
    assert f"{BEITA}：" not in result.stdout


def test_verbose_lists_rules_that_did_not_apply(tmp_cwd: Path) -> None:
    result = run("-v", ZHANJIANG)
    assert result.exit_code == 0
    assert f"{ZHANJIANG}：以下规则未检查（缺少数据或前提条件不成立）" in result.stdout
    assert re.search(
        r"^  EC101  （整份报告）：缺少数据：基本支出\.人员经费、基本支出\.公用经费$",
        result.stdout,
        re.M,
    )


def test_verbose_says_a_repeated_reason_once_with_its_count(tmp_cwd: Path) -> None:
    lines = run("-v", ZHANJIANG).stdout.splitlines()
    ec111 = [line for line in lines if line.startswith("  EC111 ")]
    assert ec111 == ["  EC111  （整份报告）：前提条件不成立（×3）"]  # one per for_each column
    listed = [line for line in lines if re.match(r"^  EC\d+ ", line)]
    assert len(listed) == len(set(listed))  # no line repeated


def test_concise_is_one_line_per_finding(tmp_cwd: Path) -> None:
    result = run("--format", "concise", "--select", "EC103,EC116", BEITA)
    assert result.stdout.splitlines() == [
        f"{BEITA}:21:14: 错误[EC103] 年初预算数 262.78 与基本支出年初预算 262.78、项目支出年初预算 40.8"
        " 之和不一致（262.78 ≠ 262.78 + 40.8 = 303.58，差 40.80）",
        f"{BEITA}:94:16: 警告[EC116] 公用经费本年决算数 282.95 超过本年预算数 24.95"
        "（282.95 > 24.95）",
        # EC103 reads three figures, EC116 two
        "检查了 1 份报告：1 个错误，1 个警告（共读取 116 个数字，规则检查了 5 个）",
    ]


def test_machine_format_from_the_registry(tmp_cwd: Path) -> None:
    result = run("--format", "json", BEITA)
    document = json.loads(result.stdout)
    assert document["summary"]["errors"] == 1
    assert run("--format", "nonsense", BEITA).exit_code == 2


def test_statistics_counts_per_rule(tmp_cwd: Path) -> None:
    result = run("--statistics", BEITA)
    assert result.exit_code == 1
    assert re.search(r"^\s+4  EC308  警告  扣分指标未说明偏差原因$", result.stdout, re.M)
    assert "-->" not in result.stdout


def test_output_file_and_inputs_untouched(tmp_cwd: Path) -> None:
    reports = tmp_cwd / "reports"
    report = copy_sample(BEITA, reports)
    before = hashlib.sha256(report.read_bytes()).hexdigest()
    out = tmp_cwd / "out" / "result.txt"
    out.parent.mkdir()
    result = run("--output", out, reports)
    assert result.exit_code == 1
    assert result.stdout == ""
    text = out.read_text(encoding="utf-8")
    assert "错误[EC103]" in text and "\x1b[" not in text
    assert sorted(p.name for p in reports.iterdir()) == [report.name]
    assert hashlib.sha256(report.read_bytes()).hexdigest() == before


def test_colour_only_when_asked_or_on_a_terminal(tmp_cwd: Path) -> None:
    assert "\x1b[" not in run(BEITA).stdout  # the runner is not a terminal
    assert "\x1b[" in run("--color", BEITA).stdout
    assert "\x1b[" not in run(BEITA, env={"NO_COLOR": "1"}).stdout
    assert "\x1b[" not in process(BEITA, cwd=tmp_cwd, NO_COLOR="1").stdout


# --------------------------------------------------------------------------- choosing rules


def test_select_and_ignore_by_id_prefix_name_and_comma_lists(tmp_cwd: Path) -> None:
    assert set(headers(run("--select", "EC1", BEITA).stdout)) == {
        "错误[EC103]",
        "提示[EC104]",
        "警告[EC116]",
    }
    by_name = run("--select", "deviation-reason-missing", BEITA).stdout
    assert set(headers(by_name)) == {"警告[EC308]"}
    combined = run("--select", "EC308,EC310", "--ignore", "EC310", BEITA).stdout
    assert set(headers(combined)) == {"警告[EC308]"}
    repeated = run("--select", "EC103", "--select", "EC116", BEITA).stdout
    assert set(headers(repeated)) == {"错误[EC103]", "警告[EC116]"}
    unknown = run("--select", "EC999", BEITA)
    assert unknown.exit_code == 2
    assert "「EC999」不对应任何规则" in unknown.stderr


def test_severity_override(tmp_cwd: Path) -> None:
    raised = run("--select", "EC308", "--severity", "EC308=error", "--fail-level", "error", BEITA)
    assert raised.exit_code == 1
    assert headers(raised.stdout).count("错误[EC308]") == 4
    lowered = run("--select", "EC103", "--severity", "EC103=info", BEITA)
    assert lowered.exit_code == 0
    assert headers(lowered.stdout) == ["提示[EC103]"]
    assert run("--severity", "EC103", BEITA).exit_code == 2


def test_param_weight_profile_central_warns_on_beita(tmp_cwd: Path) -> None:
    # off by default: with only EC311 selected nothing is checked, which is never green (EC003)
    assert headers(run("--select", "EC311", BEITA).stdout) == ["错误[EC003]"]
    central = run("--select", "EC311", "--param", "EC311.权重方案=中央", BEITA)
    assert central.exit_code == 1
    assert headers(central.stdout) == ["警告[EC311]"] * 3
    assert "35 ≠ 50，差 15" in central.stdout
    hunan = run("--select", "EC311", "--param", "weight-profile.权重方案=湖南", BEITA)
    assert hunan.exit_code == 0


def test_param_flow_mapping_and_unknown_names(tmp_cwd: Path) -> None:
    bands = run(
        "--select", "EC306", "--param", "EC306.等次={优秀: 97, 良好: 80, 中: 60, 差: 0}", BEITA
    )
    assert headers(bands.stdout) == ["错误[EC306]"]
    unknown = run("--param", "EC311.方案名=中央", BEITA)
    assert unknown.exit_code == 2
    assert "规则 EC311 没有参数「方案名」（可用参数：权重方案、方案）" in unknown.stderr
    assert run("--param", "EC311=中央", BEITA).exit_code == 2


# --------------------------------------------------------------------------- configuration


def test_pyproject_found_by_walking_up(tmp_cwd: Path) -> None:
    (tmp_cwd / "pyproject.toml").write_text(
        '[tool.evalcheck]\nselect = ["EC311"]\nfail-level = "error"\n\n'
        '[tool.evalcheck.params.EC311]\n"权重方案" = "中央"\n',
        encoding="utf-8",
    )
    report = copy_sample(BEITA, tmp_cwd / "a" / "b")
    result = run(report)
    assert headers(result.stdout) == ["警告[EC311]"] * 3
    assert result.exit_code == 0  # fail-level error from the configuration
    assert run("--fail-level", "warning", report).exit_code == 1  # the option wins


def test_evalcheck_yaml_beats_pyproject_in_the_same_folder(tmp_cwd: Path) -> None:
    (tmp_cwd / "pyproject.toml").write_text('[tool.evalcheck]\nselect = ["EC103"]\n', "utf-8")
    (tmp_cwd / ".evalcheck.yaml").write_text("select: [EC308]\nseverity: {EC308: info}\n", "utf-8")
    report = copy_sample(BEITA, tmp_cwd / "reports")
    result = run(report)
    assert headers(result.stdout) == ["提示[EC308]"] * 4
    assert result.exit_code == 0


def test_explicit_config_and_rule_packs_relative_to_it(tmp_cwd: Path) -> None:
    folder = tmp_cwd / "settings"
    folder.mkdir()
    (folder / "ours.yaml").write_text("rules: []\n", encoding="utf-8")
    config = folder / "evalcheck.yaml"
    config.write_text("rules: [ours.yaml]\nignore: EC3, EC1\n", encoding="utf-8")
    result = run("--config", config, BEITA)
    assert result.exit_code == 0
    assert headers(result.stdout) == []


def test_config_error_is_one_line_with_its_line(tmp_cwd: Path) -> None:
    (tmp_cwd / ".evalcheck.yaml").write_text("select: [EC308]\nfail_level: warning\n", "utf-8")
    report = copy_sample(ZHANJIANG, tmp_cwd)
    result = run(report)
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"{tmp_cwd / '.evalcheck.yaml'}:2:1: 错误 未知的配置项「fail_level」"
    )
    assert result.stderr.count("\n") == 1


# --------------------------------------------------------------------------- explanations


def write_explanations(folder: Path, body: str) -> Path:
    path = folder / ".evalcheck-explanations.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def test_explained_warnings_no_longer_fail(tmp_cwd: Path) -> None:
    report = copy_sample(BEITA, tmp_cwd)
    write_explanations(
        tmp_cwd,
        """\
explanations:
  - file: "*.json"
    rule: EC308
    reason: 扣分原因已在报告正文第三部分逐项说明
""",
    )
    result = run("--select", "EC308", report)
    assert result.exit_code == 0
    assert "检查了 1 份报告：4 个已说明" in result.stdout
    assert headers(result.stdout) == []
    verbose = run("-v", "--select", "EC308", report)
    assert headers(verbose.stdout) == ["警告（已说明）[EC308]"] * 4
    assert "= 已说明：扣分原因已在报告正文第三部分逐项说明" in verbose.stdout
    data = json.loads(run("--format", "json", "--select", "EC308", report).stdout)
    explained = [f["explanation"] for f in data["files"][0]["findings"]]
    assert explained == ["扣分原因已在报告正文第三部分逐项说明"] * 4


def test_explanation_by_key_path_covers_one_indicator(tmp_cwd: Path) -> None:
    report = copy_sample(BEITA, tmp_cwd)
    write_explanations(
        tmp_cwd,
        """\
explanations:
  - file: shaoyang-beita-2023.json
    rule: deviation-reason-missing
    path: 绩效指标[0].指标[3]
    reason: 延期任务已在正文说明
""",
    )
    result = run("--select", "EC308", report)
    assert result.exit_code == 1
    assert headers(result.stdout) == ["警告[EC308]"] * 3
    assert "3 个警告，1 个已说明" in result.stdout


def test_stale_explanation_is_a_warning_at_its_line(tmp_cwd: Path) -> None:
    report = copy_sample(BEITA, tmp_cwd)
    path = write_explanations(
        tmp_cwd,
        """\
explanations:
  - file: "*.json"
    rule: EC308
    reason: 已在正文说明
  - file: "*.json"
    rule: EC309
    reason: 早已改正的问题
""",
    )
    result = run("--select", "EC308,EC309", report)
    assert result.exit_code == 1
    assert headers(result.stdout) == ["警告[EC901]"]
    assert f" --> {path}:5:5" in result.stdout
    assert "说明（EC309 *.json）没有对应的发现" in result.stdout
    assert run("--select", "EC308,EC309", "--ignore", "EC901", report).exit_code == 0


def test_explanation_without_reason_is_refused(tmp_cwd: Path) -> None:
    report = copy_sample(BEITA, tmp_cwd)
    path = write_explanations(
        tmp_cwd, 'explanations:\n  - file: "*.json"\n    rule: EC308\n    reason: "  "\n'
    )
    result = run(report)
    assert result.exit_code == 2
    assert result.stderr == (
        f"{path}:4:13: 错误 说明条目缺少说明理由（reason）：每条说明都必须写明理由\n"
    )


def test_errors_cannot_be_explained_away(tmp_cwd: Path) -> None:
    report = copy_sample(BEITA, tmp_cwd)
    path = write_explanations(
        tmp_cwd, 'explanations:\n  - file: "*.json"\n    rule: EC103\n    reason: 我们认为没问题\n'
    )
    result = run("--select", "EC103", report)
    assert result.exit_code == 1
    assert headers(result.stdout) == ["错误[EC103]"]
    assert f"（{path}:2 试图说明此问题，但错误必须改正，不能以说明代替）" in result.stdout


# --------------------------------------------------------------------------- baseline


def test_baseline_hides_known_findings_only(tmp_cwd: Path) -> None:
    report = copy_sample(BEITA, tmp_cwd / "reports")
    baseline = tmp_cwd / "baseline.json"
    written = run("--write-baseline", baseline, report)
    assert written.exit_code == 0
    assert f"已把 10 个问题写入基线文件 {baseline}" in written.stdout
    entries = json.loads(baseline.read_text(encoding="utf-8"))["findings"]
    assert {
        "file": "reports/shaoyang-beita-2023.json",
        "rule": "EC103",
        "path": "预算执行.年初预算数",
    } in entries
    assert all("line" not in e for e in entries)
    quiet = run("--baseline", baseline, report)
    assert quiet.exit_code == 0
    assert "检查了 1 份报告：10 个已列入基线" in quiet.stdout
    # A new problem still shows: break another figure.
    text = report.read_text(encoding="utf-8").replace('"公用经费": 282.95', '"公用经费": 292.95')
    report.write_text(text, encoding="utf-8")
    again = run("--baseline", baseline, report)
    assert again.exit_code == 1
    # the prose still says 公用经费支出282.95万元 (EC406), and so does 附件1-1 (EC603)
    assert headers(again.stdout) == ["错误[EC101]", "错误[EC603]", "警告[EC406]"]


# --------------------------------------------------------------------------- folders


def test_folders_recurse_sorted_and_skip_hidden(tmp_path: Path) -> None:
    copy_sample(ZHANJIANG, tmp_path / "b")
    copy_sample(BEITA_YAML, tmp_path / "a", "report.yml")
    copy_sample(BEITA, tmp_path / ".hidden")
    copy_sample(BEITA, tmp_path, ".dotfile.json")
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    (tmp_path / "notes.md").write_text("x", encoding="utf-8")
    found = collect_reports([str(tmp_path)])
    # every suffix of the reader table is collected (a text report is a report: issue 11)
    assert [Path(p).relative_to(tmp_path).as_posix() for p in found] == [
        "notes.txt",
        "a/report.yml",
        "b/zhanjiang-2024.json",
    ]
    explicit = collect_reports([str(tmp_path / ".dotfile.json"), str(tmp_path)])
    assert len(explicit) == 4


# --------------------------------------------------------------------------- rules, explain, schema


def test_rules_table_and_json() -> None:
    table = run("rules")
    assert table.exit_code == 0
    assert re.search(
        r"^EC103\s+错误\s+年初预算数应等于基本支出与项目支出年初预算之和\s+budget",
        table.stdout,
        re.M,
    )
    listed = json.loads(run("rules", "--format", "json").stdout)
    assert {
        "id": "EC308",
        "name": "deviation-reason-missing",
        "severity": "warning",
        "title": "扣分指标未说明偏差原因",
        "pack": "scores",
    } in listed


def test_explain_shows_check_scope_params_and_examples() -> None:
    result = run("explain", "EC311")
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("EC311（weight-profile）：一级指标分值与选定的权重方案不符\n级别：警告")
    assert "检查：分值 == 参数.方案[参数.权重方案][一级指标]" in out
    assert "范围：绩效指标[*]" in out
    assert '  权重方案：""' in out
    assert "  不通过  central-profile（参数 {权重方案: 中央}）" in out
    assert run("explain", "deviation-reason-missing").stdout.startswith("EC308")
    missing = run("explain", "EC999")
    assert missing.exit_code == 2
    assert "没有编号或名称为「EC999」的规则" in missing.stderr


def test_schema_command_matches_the_committed_file(tmp_path: Path) -> None:
    committed = (ROOT / "schema" / "report.schema.json").read_text(encoding="utf-8")
    assert run("schema").stdout == committed == schema_text()
    target = tmp_path / "s.json"
    assert run("schema", "-o", target).exit_code == 0
    assert target.read_text(encoding="utf-8") == committed
    document = json.loads(committed)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert document["title"] == "绩效自评报告与预决算说明（evalcheck 报告格式）"


def test_samples_validate_against_the_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(schema_text())
    for sample in (BEITA, ZHANJIANG):
        jsonschema.validate(json.loads(sample.read_text(encoding="utf-8")), schema)


def test_version_and_help() -> None:
    assert run("--version").stdout.strip() == "evalcheck 0.1.0"
    helped = run("--help")
    assert helped.exit_code == 0
    assert helped.stdout.startswith("用法：evalcheck [选项] 命令 [参数]…")
    assert "用法：evalcheck check [选项] 路径…" in run("check", "--help").stdout


# --------------------------------------------------------------------------- stdin, colour (issue 11)


def test_a_report_on_standard_input_is_checked_as_its_stdin_filename(tmp_path: Path) -> None:
    data = BEITA_YAML.read_bytes()
    plain = CliRunner().invoke(cli, ["--format", "concise", "-"], input=data)
    assert plain.exit_code == 1
    assert plain.stdout.startswith("<标准输入>:18:10: 错误[EC103] ")
    (tmp_path / ".evalcheck.yaml").write_text("ignore: [EC103]\n", encoding="utf-8")
    named = CliRunner().invoke(
        cli,
        ["--format", "concise", "-", "--stdin-filename", str(tmp_path / "北塔.yaml")],
        input=data,
    )
    # its name is used in messages, and its folder's configuration applies
    assert f"{tmp_path / '北塔.yaml'}:" in named.stdout and "EC103" not in named.stdout
    assert BEITA_YAML.read_bytes() == data


def test_standard_input_is_alone_and_named_only_with_a_dash() -> None:
    both = CliRunner().invoke(cli, ["-", str(BEITA)], input=b"{}")
    assert both.exit_code == 2 and "不能再指定其他文件" in both.stderr
    stray = run("--stdin-filename", "x.json", BEITA)
    assert stray.exit_code == 2 and "--stdin-filename" in stray.stderr


def test_force_color_colours_a_pipe_and_no_color_wins() -> None:
    forced = process(BEITA, FORCE_COLOR="1")
    assert "\x1b[" in forced.stdout
    assert "\x1b[" not in process(BEITA).stdout  # a pipe is not a terminal
    assert "\x1b[" not in process(BEITA, FORCE_COLOR="1", NO_COLOR="1").stdout
    assert "\x1b[" not in process("--no-color", BEITA, FORCE_COLOR="1").stdout
