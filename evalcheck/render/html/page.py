"""The document around the overview and the sections: head, policy, style, script.

The Content-Security-Policy names the page's one style sheet and one script by their SHA-256,
and allows nothing else — no request of any kind leaves the page, whatever a report holds.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from ...findings import Summary
from ...inputs.escape import markup
from .. import RenderOptions
from .overview import Row, overview

__all__ = ["ASSETS", "page", "policy"]


@cache
def _asset(name: str) -> str:
    return Path(__file__).with_name(name).read_text(encoding="utf-8")


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


@cache
def policy() -> str:
    """What the page may load: its own style and script, by hash; nothing from anywhere."""
    return (
        f"default-src 'none'; style-src {_hash(_asset('page.css'))}; "
        f"script-src {_hash(_asset('page.js'))}; img-src data:; "
        "form-action 'none'; base-uri 'none'"
    )


ASSETS = ("page.css", "page.js")


def _summary(summary: Summary) -> str:
    counts = [
        f"{n} 个{word}"
        for n, word in (
            (summary.errors, "错误"),
            (summary.warnings, "警告"),
            (summary.infos, "提示"),
            (summary.explained, "已说明"),
        )
        if n
    ]
    text = f"检查了 {summary.files} 份报告：" + ("，".join(counts) or "未发现问题")
    if summary.unreadable:
        text += f"；{summary.unreadable} 份无法读取"
    return text + f"（共读取 {summary.figures} 个数字，规则检查了 {summary.checked} 个）"


def page(
    rows: Sequence[Row],
    sections: Sequence[str],
    rules: Sequence[tuple[str, str, str, int]],
    summary: Summary,
    options: RenderOptions,
) -> str:
    title = "evalcheck 检查结果"
    if len(rows) == 1:
        title = f"{rows[0].title} — {title}"
    version = markup(options.tool_version)
    return "".join(
        (
            "<!DOCTYPE html>\n",
            '<html lang="zh-CN"><head><meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{policy()}">',
            '<meta name="referrer" content="no-referrer">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f'<meta name="generator" content="evalcheck {version}">',
            f"<title>{markup(title)}</title>",
            f"<style>{_asset('page.css')}</style></head>\n<body>",
            f'<header><h1>绩效自评报告检查结果</h1><p class="run">{_summary(summary)}'
            f" · evalcheck {version}</p></header>\n",
            overview(rows, rules),
            "\n",
            "\n".join(sections),
            f"\n<script>{_asset('page.js')}</script></body></html>\n",
        )
    )
