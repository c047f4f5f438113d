"""The folders are the pipeline: no module imports from a later step, and no import cycles.

The README's "For developers" table lists the same steps; this test is what keeps the claim
true.  Imports inside functions (lazy ones) count as much as those at the top: a lazy import
against the pipeline is still a module reaching back.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "evalcheck"
STEPS = (
    "inputs",
    "report",
    "engine",
    "diagnose",
    "findings",
    "suppress",
    "render",
    "settings",
    "runner",
    "cli",
)
MAX_LINES = 500


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def step_of(module: str) -> int | None:
    """The pipeline step of ``evalcheck.<step>…``; None for the package's own entry points."""
    parts = module.split(".")
    if len(parts) < 2:
        return None
    return STEPS.index(parts[1]) if parts[1] in STEPS else None


def imports_of(path: Path) -> set[str]:
    """Every evalcheck module the file imports, resolved to its dotted name."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("evalcheck"):
                found.add(target)
                found.update(
                    f"{target}.{alias.name}"
                    for alias in node.names
                    if (PACKAGE.parent / f"{target}.{alias.name}".replace(".", "/")).exists()
                    or (
                        PACKAGE.parent / (f"{target}.{alias.name}".replace(".", "/") + ".py")
                    ).exists()
                )
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("evalcheck"))
    found.discard(name)
    return found


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
GRAPH = {name: imports_of(path) for name, path in MODULES.items()}


def test_every_module_belongs_to_a_step() -> None:
    strays = [
        m for m in MODULES if step_of(m) is None and m not in ("evalcheck", "evalcheck.__main__")
    ]
    assert strays == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_import_from_a_later_step(module: str) -> None:
    own = step_of(module)
    if own is None:
        return  # evalcheck/__init__.py (the API) and __main__.py sit outside the pipeline
    later = sorted(t for t in GRAPH[module] if (s := step_of(t)) is not None and s > own)
    assert later == [], f"{module} imports from later steps"


def test_no_import_cycles() -> None:
    """Depth-first search over the module graph; any back edge is a cycle."""
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for target in sorted(GRAPH.get(node, ())):
            if target not in GRAPH:
                continue
            if state.get(target) == 1:
                cycles.append(
                    [*trail[trail.index(target) :], target] if target in trail else [node, target]
                )
            elif target not in state:
                visit(target, [*trail, target])
        state[node] = 2

    for module in sorted(GRAPH):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_no_module_is_longer_than_the_limit() -> None:
    long = {
        module_name(p): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_the_click_layer_holds_only_click_code() -> None:
    """cli/ imports click and evalcheck; the work (reading, checking, rendering) is elsewhere."""
    allowed = {
        "click",
        "json",
        "os",
        "sys",
        "shutil",
        "pathlib",
        "typing",
        "collections",
        "io",
        "__future__",
        "yaml",
    }
    for path in (PACKAGE / "cli").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name.split(".")[0] for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [(node.module or "").split(".")[0]]
            else:
                continue
            stray = [n for n in names if n not in allowed and n != "evalcheck"]
            assert stray == [], f"{path.name} imports {stray}"


def test_the_readme_lists_the_steps_in_order() -> None:
    """The README's developer table is this folder list, so the claim cannot drift."""
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    table = readme.split("<!-- steps:start -->")[1].split("<!-- steps:end -->")[0]
    rows = [line.split("|")[1:3] for line in table.strip().splitlines()[2:]]
    assert [step.strip() for step, _ in rows] == list(STEPS)
    for step, where in rows:
        name = where.strip().strip("`").rstrip("/")
        assert (PACKAGE.parent / name).exists() or (PACKAGE.parent / f"{name}.py").exists(), name
        assert name.endswith(step.strip()) or name.endswith(f"{step.strip()}.py"), name
