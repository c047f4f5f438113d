"""Template instructions printed in forms: text to keep, never figures to read.

The blank forms carry instructions in their cells and notes — ``（100字以内）``,
``1.预算执行率=…；2.年中发生预算调整的应单独说明理由``, ``占 %``, ``比上年减少 万元``,
``预算执行率未达到90%的需说明原因`` — and offices often leave them in.  A number inside them is a
threshold or a placeholder, not a figure of the report: reading ``未达到90%`` as an execution
rate of 90% would check the template instead of the report.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["is_instruction"]

_PATTERNS = (
    r"[(（]\s*\d+\s*字(?:以内|左右)\s*[)）]",  # （100字以内）
    r"字以内",
    r"^\s*\d+\s*[.、．]\s*[^=，。]{1,20}\s*[=＝]",  # 1.预算执行率=…
    r"[\u4e00-\u9fff]\s*[=＝]\s*[\u4e00-\u9fff]",  # 执行率=执行数/预算数
    r"占\s+%|占\s*%\s*$|占\s*[%％](?!\S)",  # 占 %
    r"比上年(?:增加|减少|增长|下降|增|减)\s+(?:万元|元|%|％)",  # 比上年减少 万元
    r"(?:需|应|须|请)(?:要)?(?:单独)?(?:说明|填写|填报|注明|列明)",
    r"(?:未达到|低于|超过|高于)\s*\d+(?:\.\d+)?\s*[%％]的",
    r"^\s*(?:对照|根据|结合).{0,20}(?:说明|填写|反映)",
)
_INSTRUCTION = re.compile("|".join(f"(?:{p})" for p in _PATTERNS))


def is_instruction(text: str) -> bool:
    """True when ``text`` is (or contains) an instruction of the blank form."""
    return bool(_INSTRUCTION.search(unicodedata.normalize("NFKC", text)))
