"""docs/limits.md is a contract: every limit it states is the one in the code, and every limit in
the code is stated there (issue #12).

A limit in the document is a number in bold followed by the constant that holds it, e.g.
``**64 MiB** (`inputs.files.LIMITS["report"]`)``.  Each is resolved (module, attribute, key) and
compared; then every ``MAX_*``/``MIN_*`` integer of the modules that bound input, and every
entry of :data:`evalcheck.inputs.files.LIMITS`, must be named somewhere in the document.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

import pytest

DOC = Path(__file__).resolve().parents[1] / "docs/limits.md"
TEXT = DOC.read_text(encoding="utf-8")
STATED = re.compile(
    r"\*\*(?P<value>[0-9][0-9,]*(?: MiB)?)\*\*\s*\(`(?P<ref>[\w.]+?)(?:\[\"(?P<key>\w+)\"\])?`\)"
)
# Every module whose constants bound what evalcheck reads or does.
MODULES = (
    "inputs.source",
    "inputs.files",
    "inputs.yaml_file",
    "inputs.documents.package",
    "inputs.documents.ooxml",
    "inputs.documents.docx",
    "inputs.documents.xlsx",
    "inputs.documents.sheets",
    "inputs.documents.html",
    "inputs.documents.pdf",
    "report.normalise",
    "report.tree",
    "report.narrative",
    "engine.limits",
    "engine.compile",
    "engine.cache",
    "suppress",
)


def resolve(ref: str, key: str | None) -> Any:
    module_name, _, attribute = ref.rpartition(".")
    value = getattr(importlib.import_module(f"evalcheck.{module_name}"), attribute)
    return value[key] if key is not None else value


def parse(text: str) -> int:
    if text.endswith(" MiB"):
        return int(text[:-4].replace(",", "")) * 1024 * 1024
    return int(text.replace(",", ""))


STATEMENTS = [
    (m["ref"] + (f'["{m["key"]}"]' if m["key"] else ""), m["value"], m["key"])
    for m in STATED.finditer(TEXT)
]


def test_the_document_states_limits() -> None:
    assert len(STATEMENTS) >= 50


@pytest.mark.parametrize(("ref", "stated", "key"), STATEMENTS, ids=[s[0] for s in STATEMENTS])
def test_each_stated_limit_is_the_one_in_the_code(ref: str, stated: str, key: str | None) -> None:
    actual = resolve(ref.split("[")[0], key)
    assert parse(stated) == actual, f"docs/limits.md says {stated} for {ref}, the code has {actual}"


def test_every_limit_in_the_code_is_in_the_document() -> None:
    named = {ref for ref, _, _ in STATEMENTS}
    missing = []
    for module_name in MODULES:
        module = importlib.import_module(f"evalcheck.{module_name}")
        for attribute, value in vars(module).items():
            if (
                re.fullmatch(r"(MAX|MIN)_[A-Z_]+", attribute)
                and type(value) is int
                and f"{module_name}.{attribute}" not in named
                and not _imported(module, attribute)
            ):
                missing.append(f"{module_name}.{attribute}")
    from evalcheck.inputs.files import LIMITS

    missing += [
        f'inputs.files.LIMITS["{k}"]' for k in LIMITS if f'inputs.files.LIMITS["{k}"]' not in named
    ]
    assert missing == [], "limits the document does not state"


def _imported(module: Any, attribute: str) -> bool:
    """A constant another documented module defines (``from .source import MAX_DEPTH``)."""
    source = Path(module.__file__).read_text(encoding="utf-8")
    return re.search(rf"^{attribute}\s*=", source, re.MULTILINE) is None


def test_limits_doc_names_the_round_two_corpus() -> None:
    assert "round two" in TEXT
