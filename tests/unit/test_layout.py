"""The layout's rules, read from every file's imports: dependencies point one way.

entry, pages → dashboard.ui → (dashboard.classroom) → dashboard.lessons.<lesson> → dashboard.core
→ models;
`models.train` (a script) may import dashboard; `dashboard.claims` (a command listing every
lesson's claims) sits beside dashboard.ui; nothing imports `pages`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CODE_FOLDERS = ("dashboard", "models", "pages")
MAX_FILE_LINES = 300
MAX_FUNCTION_LINES = 50


def python_files() -> list[Path]:
    files = [ROOT / "streamlit_app.py"]
    for folder in CODE_FOLDERS:
        files += sorted((ROOT / folder).rglob("*.py"))
    return files


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path) -> set[str]:
    """Return every module `path` imports, at any depth (lazy imports in functions count)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def unit(module: str) -> str:
    """Return the layout unit a module belongs to, as the rules name them."""
    if module == "streamlit_app" or module.startswith("pages"):
        return "page"
    if module.startswith("models.train"):
        return "models.train"
    parts = module.split(".")
    if parts[:2] == ["dashboard", "lessons"] and len(parts) > 2:
        return ".".join(parts[:3])
    return ".".join(parts[:2]) if parts[0] == "dashboard" and len(parts) > 1 else parts[0]


RANK = {
    "page": 4,
    "dashboard.ui": 3,
    "dashboard.claims": 3,
    "dashboard.classroom": 2.5,  # class experiments run several lessons' trainings
    "lesson": 2,
    "dashboard.core": 1,
    "models": 0,
}


def rank(unit_name: str) -> float | None:
    if unit_name.startswith("dashboard.lessons."):
        return RANK["lesson"]
    return RANK.get(unit_name)


IMPORTS = {module_name(path): imported_modules(path) for path in python_files()}


@pytest.mark.parametrize("module", sorted(IMPORTS))
def test_streamlit_only_in_the_entry_pages_and_ui(module):
    if unit(module) in ("page", "dashboard.ui"):
        return
    assert not {name for name in IMPORTS[module] if name.split(".")[0] == "streamlit"}


@pytest.mark.parametrize("module", sorted(m for m in IMPORTS if unit(m) == "page"))
def test_pages_use_lessons_and_ui_not_models_or_keras(module):
    banned = {"models", "keras", "tensorflow"}
    assert not {name for name in IMPORTS[module] if name.split(".")[0] in banned}


@pytest.mark.parametrize("module", sorted(IMPORTS))
def test_dependencies_point_down(module):
    """A unit imports only units ranked below it; lessons never import each other."""
    own = unit(module)
    if own == "models.train":  # the retraining script may use anything but the app
        assert not {n for n in IMPORTS[module] if unit(n) in ("page", "dashboard.ui")}
        return
    for name in IMPORTS[module]:
        other = unit(name)
        if other == own or rank(other) is None:
            continue  # the same unit, or a third-party package
        assert rank(other) < rank(own), f"{module} imports {name}"


def test_no_file_is_over_300_lines():
    long = {
        str(path.relative_to(ROOT)): lines
        for path in python_files()
        if (lines := len(path.read_text().splitlines())) > MAX_FILE_LINES
    }
    assert not long


def test_no_function_is_over_50_lines():
    long = []
    for path in python_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(ROOT)}:{node.name}")
    assert not long


def test_the_rules_see_the_layers():
    """Guard the guard: the units the rules rank all exist and have modules."""
    units = {unit(module) for module in IMPORTS}
    assert {"page", "dashboard.ui", "dashboard.core", "models", "models.train"} <= units
    assert sum(u.startswith("dashboard.lessons.") for u in units) >= 9
