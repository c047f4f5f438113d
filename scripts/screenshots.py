"""Write the screenshots under docs/screenshots/ with headless Chromium (issue 19).

    .venv/bin/python scripts/screenshots.py            # every picture
    .venv/bin/python scripts/screenshots.py --check    # exit 1 when a sample has none

For the whole samples folder: ``overview.png`` (the batch overview and its charts) and
``report.png`` (the Beita report's tables with its findings marked, as a reviewer opens it
from the overview).  For each sample alone: ``samples/<file name>.png``, the top of its page
(``--format html`` of that file).  Pages are rendered by ``python -m evalcheck`` and
opened from disk, as a user would; the browser is driven by ``tests/browser.py`` (needs the
Debian packages chromium and fonts-noto-cjk).  Run again whenever the page or a sample changes.
"""

from __future__ import annotations

import argparse
import base64
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser import Browser, Page, chromium_ready  # noqa: E402  (tests/ is not a package)

OUT = ROOT / "docs" / "screenshots"
WIDTH = 1280
HEIGHT = 1500  # a sample's picture: the top of its page, this many CSS pixels
REPORT = "samples/shaoyang-beita-2023.json"


def samples() -> list[Path]:
    return sorted(p for p in (ROOT / "samples").iterdir() if p.is_file())


def render(target: str, out: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "evalcheck", target, "--format", "html", "-o", str(out)],
        cwd=ROOT,
        capture_output=True,
        check=False,  # exit 1: the report has findings
        timeout=300,
    )
    if not out.exists():
        raise SystemExit(f"evalcheck wrote no page for {target}")
    return out


def clip(page: Page, path: Path, selector: str, height: int) -> None:
    """The element's top ``height`` pixels, the page's full width."""
    # Sections far from the viewport are laid out only near it (content-visibility: auto):
    # lay them all out, so that the element's place no longer moves while it is captured.
    page.evaluate(
        "document.querySelectorAll('section.report')"
        ".forEach(s => { s.style.contentVisibility = 'visible'; }); true"
    )
    top = page.evaluate(
        f"document.querySelector('{selector}').getBoundingClientRect().top + scrollY"
    )
    full = page.evaluate(f"document.querySelector('{selector}').getBoundingClientRect().height")
    area = {"x": 0, "y": top, "width": WIDTH, "height": min(full, height), "scale": 1}
    data = page.send(
        "Page.captureScreenshot",
        {"format": "png", "captureBeyondViewport": True, "clip": area},
    )["data"]
    path.write_bytes(base64.b64decode(data))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check every sample has one")
    args = parser.parse_args()
    pictures = [OUT / "samples" / f"{p.name}.png" for p in samples()]
    if args.check:
        missing = [str(p.relative_to(ROOT)) for p in pictures if not p.exists()]
        print("\n".join(missing) or "every sample has its screenshot")
        return 1 if missing else 0
    if not chromium_ready():
        print("needs the Debian packages chromium and fonts-noto-cjk", file=sys.stderr)
        return 2
    (OUT / "samples").mkdir(parents=True, exist_ok=True)
    browser = Browser(WIDTH, HEIGHT)
    try:
        with tempfile.TemporaryDirectory() as folder:
            batch = render("samples", Path(folder) / "samples.html")
            page = browser.page(batch.as_uri())
            clip(page, OUT / "overview.png", "#overview", 2400)
            section = page.evaluate(
                f"document.querySelector('section.report[data-file=\"{REPORT}\"]').id"
            )
            page.evaluate(f"document.getElementById('{section}').scrollIntoView(); true")
            clip(page, OUT / "report.png", f"#{section}", 2600)
            page.close()
            for sample, picture in zip(samples(), pictures, strict=True):
                one = render(str(sample.relative_to(ROOT)), Path(folder) / "one.html")
                page = browser.page(one.as_uri())
                clip(page, picture, "body", HEIGHT)
                page.close()
                print(picture.relative_to(ROOT))
    finally:
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
