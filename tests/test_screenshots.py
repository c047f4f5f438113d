"""Every sample has its picture under docs/screenshots (issue 19): a sample added without running
scripts/screenshots.py fails here, and the check itself fails when a picture is missing."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "screenshots.py"


def _script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("screenshots_script", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_sample_has_its_screenshot() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout.strip()) == (0, "every sample has its screenshot")
    names = {p.name for p in (ROOT / "samples").iterdir() if p.is_file()}
    pictures = {p.name.removesuffix(".png") for p in (ROOT / "docs/screenshots/samples").iterdir()}
    assert names <= pictures


def test_the_check_names_a_missing_picture(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    script = _script()
    (tmp_path / "samples").mkdir()
    (tmp_path / "samples" / "a.json").write_text("{}", encoding="utf-8")
    (tmp_path / "samples" / "b.yaml").write_text("{}", encoding="utf-8")
    (tmp_path / "docs/screenshots/samples").mkdir(parents=True)
    (tmp_path / "docs/screenshots/samples/a.json.png").write_bytes(b"")
    monkeypatch.setattr(script, "ROOT", tmp_path)
    monkeypatch.setattr(script, "OUT", tmp_path / "docs" / "screenshots")
    monkeypatch.setattr(sys, "argv", ["screenshots.py", "--check"])
    assert script.main() == 1
    assert capsys.readouterr().out.strip() == "docs/screenshots/samples/b.yaml.png"
