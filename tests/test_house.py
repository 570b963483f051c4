"""The shape of the source tree: imports run one way, each public name is defined once, every
declared dependency is used, and no test skips itself because a command is missing."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from collections import defaultdict

import pytest
from conftest import ROOT

SRC = ROOT / "src" / "cytrack"

# Names that the command line defines as thin Typer wrappers of the command bodies of the same
# name, and the two entry points called ``run``/``main``: issue 15 (one declaration per option)
# derives these from one declaration.  The test below fails once one of them is defined once,
# so the list can only shrink.
def _modules() -> dict[str, ast.Module]:
    found = {}
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = ast.parse(path.read_text(encoding="utf-8"))
    return found


MODULES = _modules()


def _imports(name: str, tree: ast.Module) -> set[str]:
    """The cytrack modules ``name`` imports anywhere (top level, inside functions, for type checking)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            for a in node.names:
                sub = f"{node.module}.{a.name}"
                found.add(sub if sub in MODULES else node.module)
    return {m for m in found if m in MODULES and m != name}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in graph:
        if v not in index:
            visit(v)
    return found


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_imports_itself_back():
    graph = {name: _imports(name, tree) for name, tree in MODULES.items()}
    assert _cycles(graph) == []


def test_render_never_imports_the_store_and_ledger_imports_only_itself_the_cache_and_the_words():
    for name, tree in MODULES.items():
        imported = _imports(name, tree)
        if name.startswith("cytrack.render"):
            assert not any(m.startswith("cytrack.store") for m in imported), name
        if name.startswith("cytrack.ledger"):
            outside = {m for m in imported if not m.startswith(("cytrack.ledger", "cytrack.cache", "cytrack.i18n"))}
            assert outside <= {"cytrack"}, (name, outside)
        if name.startswith("cytrack.i18n"):  # the words are a leaf (but for textsafe): everyone may use them
            outside = {m for m in imported if m.startswith("cytrack.") and not m.startswith("cytrack.i18n")}
            assert outside <= {"cytrack.textsafe"}, (name, outside)  # Chinese quotes show what repr would
        if name == "cytrack.textsafe":
            assert not any(m.startswith("cytrack") for m in imported), (name, imported)


def _defined(tree: ast.Module) -> set[str]:
    """Public names a module defines itself: functions, classes and assigned names (not imports)."""
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            found.add(node.name)
        elif isinstance(node, ast.Assign):
            found.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            found.add(node.target.id)
    return {name for name in found if not name.startswith("_")}


def _definitions() -> dict[str, list[str]]:
    where: dict[str, list[str]] = defaultdict(list)
    for module, tree in MODULES.items():
        for name in _defined(tree):
            where[name].append(module)
    return where


def test_the_name_walk_sees_definitions():
    where = _definitions()
    assert where["load_ledger"] == ["cytrack.ledger.load"]
    assert "Commitment" in where and "_string_end" not in where


def test_no_public_name_is_defined_in_two_modules():
    twice = {name: sorted(mods) for name, mods in _definitions().items() if len(mods) > 1}
    assert twice == {}


def test_every_package_says_what_it_owns_and_few_modules_sit_at_the_top():
    for init in SRC.glob("*/__init__.py"):
        if init.parent.name == "data":
            continue
        assert ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), init
    assert len(list(SRC.glob("*.py"))) <= 8


def _imported_top_names() -> set[str]:
    """The top-level names of every module ``src/`` imports (absolute imports only)."""
    return {
        (a.name if isinstance(node, ast.Import) else node.module or "").split(".")[0]
        for tree in MODULES.values()
        for node in ast.walk(tree)
        if isinstance(node, ast.Import) or (isinstance(node, ast.ImportFrom) and not node.level)
        for a in (node.names if isinstance(node, ast.Import) else [node])
    }


def _declared_import_names() -> dict[str, str]:
    """The import name of each declared run-time dependency, by its name on PyPI."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    import_names = {"python-dateutil": "dateutil", "python-docx": "docx"}
    names = (re.match(r"[A-Za-z0-9_.-]+", spec)[0] for spec in project["dependencies"])  # type: ignore[index]
    return {name: import_names.get(name, name).lower().replace("-", "_") for name in names}


def test_every_declared_dependency_is_imported():
    imported = _imported_top_names()
    for name, module in _declared_import_names().items():
        assert module in imported, f"{name} is declared but never imported"


def test_every_module_cytrack_imports_is_declared_or_standard():
    """Nothing outside the standard library is imported without being declared: in particular
    tomlkit, the tests' oracle of the TOML writer, is no run-time dependency (docs/decisions.md)."""
    outside = _imported_top_names() - set(sys.stdlib_module_names) - {"cytrack"}
    assert outside - set(_declared_import_names().values()) == set()
    assert "tomlkit" not in outside


def test_no_test_skips_itself_for_a_missing_command():
    for path in (ROOT / "tests").glob("*.py"):
        assert not re.search(r"skip\([^)]*not registered", path.read_text(encoding="utf-8")), path.name


def test_the_cache_key_names_modules_that_exist():
    """A development checkout salts the cache key with the modules that decide what a ledger reads as;
    a module renamed without updating the list would silently drop out of the key."""
    from cytrack.cache import folder

    assert all((SRC / name).is_file() for name in folder._CODE), folder._CODE


def test_the_cache_codec_and_the_write_view_name_no_field_of_a_record():
    """Adding a field to the model touches the model, its validation and its rendering, not the codec:
    the codec and the view's rebuild derive what they store from the records' ``_fields``."""
    from cytrack.ledger.errors import Problem
    from cytrack.ledger.model import Commitment, Extension, ProgressEntry, Source

    structural = {"id", "section", "line", "progress", "extensions", "path", "date", "status", "value"}
    fields = {f for cls in (Commitment, ProgressEntry, Extension, Source, Problem) for f in cls._fields} - structural
    for module in ("cytrack.cache.codec", "cytrack.store.view"):
        named = {n.attr for n in ast.walk(MODULES[module]) if isinstance(n, ast.Attribute)} & fields
        assert named == set(), (module, named)


def _repeated_keys(tree: ast.AST) -> list[tuple[int, str]]:
    """String keys written twice in one dict literal (the later silently wins)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            seen: set[str] = set()
            for key in node.keys:
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    if key.value in seen:
                        found.append((key.lineno, key.value))
                    seen.add(key.value)
    return found


def test_the_repeated_key_walk_sees_a_repeat():
    assert _repeated_keys(ast.parse('{"a": 1, "b": 2, "a": 3}')) == [(1, "a")]


def test_no_word_table_defines_a_key_twice():
    found = {name: keys for name, tree in MODULES.items() if (keys := _repeated_keys(tree))}
    assert found == {}


def test_a_merge_conflict_on_an_entry_is_described_as_one():
    from cytrack.merge.plan import Conflict
    from cytrack.merge.three_way import describe

    conflict = Conflict("2-1", "progress", {"note": "a"}, {"note": "b"})
    assert describe(conflict).startswith("commitment 2-1: a progress entry was changed differently on both sides")


def _ruff(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    pytest.importorskip("ruff", reason="ruff is not installed (the test extra brings it: pip install -e '.[test]')")
    from ruff.__main__ import find_ruff_bin

    return subprocess.run([find_ruff_bin(), "check", "--no-cache", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=300)


def test_ruff_reads_the_settings_of_the_project():
    """The check below means something: with pyproject.toml's settings a line of 121 characters is too long."""
    found = _ruff("--stdin-filename", "src/cytrack/example.py", "-", stdin=f"x = {'1' * 117}\n")
    assert found.returncode == 1 and "E501" in found.stdout, found.stdout + found.stderr


def test_ruff_clean():
    """``ruff check`` finds nothing in the tree, with the rules and line length of pyproject.toml."""
    found = _ruff("src", "tests", "bench", "scripts")
    assert found.returncode == 0, found.stdout + found.stderr
