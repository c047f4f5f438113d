"""The built-in pack's compiled form (evalcheck/engine/builtin_pack.py) is what the compiler
makes of rules/ now, and it is used only for the built-in files it was made from."""

from __future__ import annotations

import os
import shutil
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from evalcheck.engine import builtin_patterns, pack, patterns, ship, shipinits, shipre
from evalcheck.engine.builtin_pack import FILES
from evalcheck.engine.pack import builtin_rules_dir, compile_source, load_packs, load_rules
from evalcheck.inputs.records_inits import INITS

RULES = builtin_rules_dir()
ROOT = Path(__file__).resolve().parents[1]


def test_the_shipped_module_is_what_the_generator_makes_of_the_rules_now() -> None:
    # generate() also runs its text and checks each file's function rebuilds the compiler's
    # rules (from the validated specs and from the cache's JSON form of them) object for object.
    assert ship.MODULE.read_text(encoding="utf-8") == ship.generate(RULES), (
        "evalcheck/engine/builtin_pack.py is stale: run python scripts/ship.py"
    )


def test_every_built_in_file_is_shipped_with_the_text_it_was_made_from() -> None:
    names = sorted(p.name for p in pack.rule_files([RULES]))
    assert sorted(FILES) == names
    for name in names:
        assert FILES[name][0].encode("utf-8") == (RULES / name).read_bytes()


def test_the_loaded_built_in_pack_is_the_compiled_one(monkeypatch: pytest.MonkeyPatch) -> None:
    shipped = load_packs([RULES])
    monkeypatch.setenv("EVALCHECK_NO_SHIPPED", "1")
    monkeypatch.setenv("EVALCHECK_NO_CACHE", "1")
    compiled = load_packs([RULES])
    assert len(shipped) == len(compiled) == sum(len(FILES[n][1]("x")) for n in FILES)
    assert ship.difference(shipped, compiled) is None
    assert [r.file for r in shipped] == [r.file for r in compiled]
    assert all(Path(r.file).parent == RULES for r in shipped)


def test_the_shipped_form_is_taken_only_for_unchanged_built_in_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real = pack._validate_and_compile

    def counted(path: Path, content: bytes) -> tuple[list[pack.Rule], str | None, list[object]]:
        calls.append(path.name)
        return real(path, content)

    monkeypatch.setattr(pack, "_validate_and_compile", counted)
    monkeypatch.setenv("EVALCHECK_NO_CACHE", "1")
    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder)
    edited = folder / "scores.yaml"
    text = edited.read_text(encoding="utf-8")
    assert "title: 指标得分应在 0 与分值之间" in text
    edited.write_text(text.replace("title: 指标得分应在 0 与分值之间", "title: 改过的标题"))
    monkeypatch.setattr(pack, "builtin_rules_dir", lambda: folder)

    rules = load_packs([folder])
    assert calls == ["scores.yaml"]  # only the edited file was compiled, the others shipped
    assert {r.id: r.title for r in rules}["EC301"] == "改过的标题"
    assert len(rules) == len(load_packs([RULES]))

    calls.clear()
    user = tmp_path / "mine" / "budget.yaml"  # the same bytes, outside the built-in folder
    user.parent.mkdir()
    shutil.copy(RULES / "budget.yaml", user)
    user_rules = load_rules(user)
    assert calls == ["budget.yaml"]
    assert all(r.file == str(user) for r in user_rules)


def test_the_comparison_sees_values_types_attributes_and_sharing() -> None:
    content = (RULES / "bounds.yaml").read_bytes()
    a = compile_source(RULES / "bounds.yaml", content)
    b = compile_source(RULES / "bounds.yaml", content)
    assert ship.difference(a, b) is None
    b[0].line += 1
    assert ship.difference(a, b) == "[0].line: 7 ≠ 8"
    b[0].line -= 1
    b[0].spec.params["满分"] = Decimal("100.0")
    assert ship.difference(a, b) == "[0].spec.params['满分']: Decimal('100') ≠ Decimal('100.0')"
    b[0].spec.params["满分"] = 100
    assert ship.difference(a, b) == "[0].spec.params['满分']: Decimal ≠ int"
    b[0].spec.params["满分"] = Decimal("100")
    b[0].params = b[0].spec.params  # one dict where the compiler makes two
    assert (ship.difference(a, b) or "").endswith("params: shared differently")


# --- the dataclass __init__ methods (evalcheck/inputs/records_inits.py) -------------------------


def test_the_shipped_inits_are_what_the_generator_makes_of_their_texts() -> None:
    # generate_inits() checks each function compiles to its text's code (names and line
    # numbers aside) before it returns the module's text.
    assert shipinits.INITS_MODULE.read_text(encoding="utf-8") == shipinits.generate_inits(
        list(INITS)
    )


def test_the_shipped_inits_cover_the_package_s_classes() -> None:
    texts = shipinits.init_texts()
    assert len(texts) > 80
    missing = [t.split("\n")[1][:80] for t in texts if t not in INITS]
    # A missing text is only compiled at start-up as before (no change in behaviour), but
    # the start-up pays for it: regenerate when classes change.
    assert len(missing) <= len(texts) // 10, (
        f"{len(missing)} dataclass __init__s are not shipped: run python scripts/ship.py"
    )
    unused = [t for t in INITS if t not in texts]
    assert len(unused) <= len(INITS) // 10, "run python scripts/ship.py"


# --- the regular expressions (evalcheck/engine/builtin_patterns.py) ---------------------------

needs_engine = pytest.mark.skipif(
    patterns._engine() is None or tuple(sys.version_info[:3]) != builtin_patterns.ENGINE[0],
    reason="the shipped patterns are for the interpreter that compiled them",
)


@needs_engine
def test_every_shipped_pattern_is_the_one_re_compiles() -> None:
    import re

    assert len(builtin_patterns.RECORDS) > 150
    for pattern, requested, flags, code, groups, groupindex, indexgroup in builtin_patterns.RECORDS:
        fresh = re._compiler.compile(pattern, requested)  # type: ignore[attr-defined]
        rebuilt = patterns._rebuild(
            patterns._engine()[0],  # type: ignore[index]
            [pattern, requested, flags, code, groups, groupindex, list(indexgroup)],
        )
        assert rebuilt is not None, pattern
        assert rebuilt[1] == fresh and rebuilt[1].groupindex == fresh.groupindex, pattern


@needs_engine
def test_the_shipped_patterns_are_what_the_generator_makes_of_them() -> None:
    shipped = [(r[0], r[1]) for r in builtin_patterns.RECORDS]
    assert shipre.PATTERNS_MODULE.read_text(encoding="utf-8") == shipre.generate_patterns(shipped)


@needs_engine
def test_installed_shipped_patterns_are_re_s_own(monkeypatch: pytest.MonkeyPatch) -> None:
    import re

    re.purge()
    try:
        assert patterns.install_shipped()
        for pattern, requested, *_ in builtin_patterns.RECORDS:
            held = re._cache[str, pattern, requested]  # type: ignore[attr-defined]
            assert held == re._compiler.compile(pattern, requested)  # type: ignore[attr-defined]
        monkeypatch.setattr(builtin_patterns, "ENGINE", ((3, 99, 0), 1, 4, sys.byteorder))
        re.purge()
        assert not patterns.install_shipped()  # another interpreter: nothing put there
        assert not any(isinstance(k, tuple) and k[0] is str for k in re._cache)  # type: ignore[attr-defined]
    finally:
        re.purge()


@needs_engine
def test_the_shipped_patterns_cover_a_check_s_patterns() -> None:
    import subprocess

    probe = (
        "import contextlib, io, re, sys\n"
        "from evalcheck.cli.clean import DEFAULTS, run_check\n"
        "seen = set()\noriginal = re._compile\n"
        "def recorder(pattern, flags):\n"
        "    if type(pattern) is str:\n        seen.add((pattern, int(flags)))\n"
        "    return original(pattern, flags)\n"
        "re._compile = recorder\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    for sample in sys.argv[1:]:\n        run_check((sample,), DEFAULTS)\n"
        "print(len(seen))\nfor p, f in seen:\n    print(repr((p, f)))\n"
    )
    samples = [
        str(ROOT / "samples" / n) for n in ("shaoyang-beita-2023.json", "zhanjiang-2024.json")
    ]
    env = dict(os.environ, EVALCHECK_NO_SHIPPED="1", EVALCHECK_NO_CACHE="1")
    done = subprocess.run(
        [sys.executable, "-c", probe, *samples], capture_output=True, text=True, env=env, check=True
    )
    import ast

    lines = done.stdout.splitlines()
    seen = {ast.literal_eval(line) for line in lines[1:]}
    assert len(seen) == int(lines[0]) > 100
    shipped = {(r[0], r[1]) for r in builtin_patterns.RECORDS}
    missing = seen - shipped
    # a pattern not shipped is compiled by re as before; the start-up pays for it
    assert len(missing) <= len(seen) // 10, (
        f"{len(missing)} not shipped: run python scripts/ship.py"
    )


@needs_engine
def test_a_check_imports_nothing_the_shipped_forms_replace(tmp_path: Path) -> None:
    import subprocess

    program = (
        "import os, sys\nfrom evalcheck.cli import main\ntry:\n    main()\nexcept SystemExit:\n"
        "    unused = os.environ['UNUSED'].split()\n"
        "    print(' '.join(sorted(m for m in unused if m in sys.modules)), file=sys.stderr)\n"
    )
    unused = [
        "hashlib", "hmac", "pickle", "difflib", "evalcheck.engine.cache",
        "evalcheck.engine.compile", "evalcheck.engine.ruleschema", "evalcheck.engine.codegen",
    ]  # fmt: skip
    sample = str(ROOT / "samples" / "shaoyang-beita-2023.json")  # findings: diagnosis too
    done = subprocess.run(
        [sys.executable, "-c", program, sample],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=dict(os.environ, EVALCHECK_CACHE_DIR=str(tmp_path / "cache"), UNUSED=" ".join(unused)),
    )
    assert "EC103" in done.stdout
    assert done.stderr == "\n"  # none of them


def test_every_lookup_of_the_pack_reads_as_its_steps_say() -> None:
    from evalcheck.engine.lookup import Base, Every, Key, Lookup

    def lookups(obj: object, seen: set[int]) -> list[Lookup]:
        found: list[Lookup] = []
        stack = [obj]
        while stack:
            item = stack.pop()
            if id(item) in seen or isinstance(item, (str, int, Decimal)) or item is None:
                continue
            seen.add(id(item))
            if isinstance(item, Lookup):
                found.append(item)
            if isinstance(item, (list, tuple)):
                stack.extend(item)
            elif isinstance(item, dict):
                stack.extend(item.values())
            elif hasattr(item, "__slots__") or hasattr(item, "__dict__"):
                stack.extend(ship._attributes(item).values())
        return found

    rules = load_packs([RULES])
    found = lookups([(r.check, r.when, r.scope, r.at, r.message) for r in rules], set())
    assert len(found) > 1000
    for lookup in found:
        plain = lookup.base in (Base.ITEM, Base.ROOT) and all(
            isinstance(s, Key) for s in lookup.steps
        )
        assert lookup.fan_out == any(isinstance(s, Every) for s in lookup.steps)
        assert lookup.direct == (tuple(s.key for s in lookup.steps) if plain else None)  # type: ignore[attr-defined]
