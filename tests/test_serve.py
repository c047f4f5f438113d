"""``evalcheck serve`` as a clerk uses it: the command started on a free loopback port, a Word
report picked in the page in headless Chromium and sent, the returned page holding the
report's findings; and what it refuses — a request naming another host, an oversized upload,
a kind of file it cannot check (issue 19)."""

from __future__ import annotations

import http.client
import json
import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
from browser import Browser, chromium_ready
from conftest import HANG_SECONDS
from office import blocks, write_docx

ROOT = Path(__file__).resolve().parents[1]
BEITA = ROOT / "samples" / "shaoyang-beita-2023.json"
IN_CI = bool(os.environ.get("CI"))


@pytest.fixture(scope="module")
def docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = json.loads(BEITA.read_text(encoding="utf-8"))
    return write_docx(blocks(data), tmp_path_factory.mktemp("serve") / "北塔区委组织部.docx")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """``evalcheck serve --max-size 1`` in an empty folder: its host and port."""
    folder = tmp_path_factory.mktemp("cwd")
    process = subprocess.Popen(
        [sys.executable, "-m", "evalcheck", "serve", "--max-size", "1"],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert found, line + (process.stderr.read() if process.stderr else "")
        assert "按 Ctrl+C 停止" in line
        yield "127.0.0.1", int(found.group(1))
    finally:
        process.terminate()
        process.wait(timeout=HANG_SECONDS)


def request(
    server: tuple[str, int],
    method: str,
    path: str,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
) -> tuple[int, str]:
    connection = http.client.HTTPConnection(*server, timeout=HANG_SECONDS * 4)
    try:
        connection.request(method, path, body=body or None, headers=headers or {})
        answer = connection.getresponse()
        return answer.status, answer.read().decode("utf-8")
    finally:
        connection.close()


def multipart(files: list[tuple[str, bytes]]) -> tuple[bytes, dict[str, str]]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, data in files:
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
            f'filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        )
        parts.append(head.encode("utf-8") + data + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def findings_of(path: Path) -> list[dict[str, str]]:
    done = subprocess.run(
        [sys.executable, "-m", "evalcheck", str(path), "--format", "json"],
        capture_output=True,
        text=True,
        cwd=path.parent,
        timeout=HANG_SECONDS * 4,
    )
    (entry,) = json.loads(done.stdout)["files"]
    return list(entry["findings"])


def test_the_page_offers_the_form(server: tuple[str, int]) -> None:
    status, page = request(server, "GET", "/")
    assert status == 200
    assert 'enctype="multipart/form-data"' in page and 'type="file"' in page
    assert "不会上传到任何地方" in page and "1 MB" in page


def test_a_posted_docx_comes_back_with_its_findings(server: tuple[str, int], docx: Path) -> None:
    body, headers = multipart([(docx.name, docx.read_bytes())])
    status, page = request(server, "POST", "/check", body, headers)
    assert status == 200, page
    expected = findings_of(docx)
    assert {f["rule"] for f in expected} >= {"EC103", "EC308"}
    text = unescape(re.sub(r"<[^>]+>", "", page))
    for finding in expected:
        assert finding["rule"] in text and finding["message"] in text
    assert re.search(r'data-path="预算执行\.年初预算数" class="[^"]*culprit', page)
    assert f'data-file="{docx.name}"' in page  # the name as picked, no folder of the server's
    assert "tmp" not in re.findall(r'data-file="([^"]*)"', page)[0]


def test_another_host_is_refused(server: tuple[str, int]) -> None:
    status, page = request(server, "GET", "/", headers={"Host": f"evil.example:{server[1]}"})
    assert status == 421
    assert "拒绝访问：请求的主机 evil.example" in page
    body, headers = multipart([("a.json", BEITA.read_bytes())])
    status, page = request(
        server, "POST", "/check", body, {**headers, "Host": f"attacker.test:{server[1]}"}
    )
    assert status == 421 and "EC103" not in page
    status, _ = request(server, "GET", "/", headers={"Host": f"localhost:{server[1]}"})
    assert status == 200


def test_a_form_from_another_site_is_refused(server: tuple[str, int]) -> None:
    body, headers = multipart([("a.json", BEITA.read_bytes())])
    headers["Origin"] = "http://evil.example"
    status, page = request(server, "POST", "/check", body, headers)
    assert status == 403 and "上传只能来自本机 evalcheck 的页面" in page


def test_an_oversized_upload_gets_a_clear_error(server: tuple[str, int]) -> None:
    body, headers = multipart([("big.json", b" " * (2 * 1024 * 1024))])
    status, page = request(server, "POST", "/check", body, headers)
    assert status == 413
    assert "上传的文件太大：共 2 MB，超过了 1 MB 的上限" in page


def test_a_kind_it_cannot_check_is_named(server: tuple[str, int]) -> None:
    body, headers = multipart([("setup.exe", b"MZ")])
    status, page = request(server, "POST", "/check", body, headers)
    assert status == 415 and "不能检查 setup.exe" in page


def test_a_clerk_picks_the_file_in_chromium(server: tuple[str, int], docx: Path) -> None:
    if not chromium_ready():
        if IN_CI:
            pytest.fail("CI must have headless Chromium and fonts-noto-cjk (.ci/run installs them)")
        pytest.skip(
            "headless Chromium and fonts-noto-cjk are not installed (.ci/run installs them)"
        )
    browser = Browser()
    try:
        page = browser.page(f"http://127.0.0.1:{server[1]}/")
        root = page.send("DOM.getDocument")["root"]["nodeId"]
        field = page.send("DOM.querySelector", {"nodeId": root, "selector": "input[type=file]"})
        page.send("DOM.setFileInputFiles", {"files": [str(docx)], "nodeId": field["nodeId"]})
        since = len(browser.events)
        page.evaluate("document.querySelector('form').submit(); true")
        browser.wait_for("Page.loadEventFired", page.session, since)
        seen = page.evaluate(
            "({rows: document.querySelectorAll('#overview-table tbody tr').length,"
            " culprit: document.querySelector('[data-path=\"预算执行.年初预算数\"]').className,"
            " file: document.querySelector('section.report').dataset.file})"
        )
        assert seen["rows"] == 1 and "culprit" in seen["culprit"] and seen["file"] == docx.name
        assert page.errors == []
    finally:
        browser.close()
