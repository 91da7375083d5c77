"""The model is a value: nothing in podfsm, its mutants or its tests changes it by assigning a module
attribute, and no import hides inside a function to see such a patch.

These are source checks (``ast``), over ``src/``, ``tests/``, ``properties/`` and ``bench/``; each
failure names the file and line.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from podfsm.model import DEFAULT, Interpreter, Model
from podfsm.verification import mutants

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted(p for d in ("src", "tests", "properties", "bench") for p in (ROOT / d).rglob("*.py"))

# The modules that make up the model and run it (every module of the package but the CLI's and the
# loader's): none of their attributes is ever assigned from outside. (Tests of the CLI and the loader
# may stand in for a failing command or a lower input limit: that is not the model.)
PACKAGE = ROOT / "src" / "podfsm"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODEL_MODULES = {
    name
    for name in map(_module_name, PACKAGE.rglob("*.py"))
    if not name.startswith("podfsm.cli") and name not in {"podfsm", "podfsm.__main__", "podfsm.api.loader"}
}
# A test may stand in for Graphviz (absent on some machines) or probe that a helper is not called;
# neither changes the model. (module, attribute) pairs.
STAND_INS = {
    ("diagrams", "_pygraphviz"),
    ("diagrams", "_run_dot"),
    ("events", "get_type_hints"),
}
# Function-level imports are for heavy dependencies loaded where they are used (import podfsm
# stays light) and nothing else.
LAZY_OK = ("hypothesis", "graphviz", "transitions", "pygraphviz", "pydantic", "yaml", "importlib")
LAZY_PODFSM_OK = {
    "podfsm.api",
    "podfsm.api.loader",
    "podfsm.verification.strategies",
    "podfsm.verification.explorer",
    "podfsm.verification.lifecycle_machine",
}


def _podfsm_module_names(tree: ast.Module) -> dict[str, str]:
    """Local name -> podfsm module, for ``import podfsm.x as y`` and ``from podfsm import x``."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("podfsm"):
                    names[a.asname or a.name.split(".")[0]] = a.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "podfsm":
            for a in node.names:
                names[a.asname or a.name] = f"{node.module}.{a.name}"
    return names


def _target_module(node: ast.expr, modules: dict[str, str]) -> str | None:
    """The podfsm module ``node`` names (``engine``, ``podfsm.engine``), or None."""
    if isinstance(node, ast.Name):
        return modules.get(node.id)
    if isinstance(node, ast.Attribute):
        parts = []
        cur: ast.expr = node
        while isinstance(cur, ast.Attribute):
            parts.append(cur.attr)
            cur = cur.value
        if isinstance(cur, ast.Name) and cur.id == "podfsm":
            return ".".join(["podfsm", *reversed(parts)])
    return None


def _module_assignments(path: Path, root: Path = ROOT) -> Iterator[str]:
    tree = ast.parse(path.read_text(), str(path))
    modules = _podfsm_module_names(tree)
    for node in ast.walk(tree):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for t in targets:
            if isinstance(t, ast.Attribute) and _target_module(t.value, modules) in MODEL_MODULES:
                yield f"{path.relative_to(root)}:{node.lineno}: assigns {ast.unparse(t)}"
        if isinstance(node, ast.Call):
            func = node.func
            is_setattr = (isinstance(func, ast.Name) and func.id == "setattr") or (
                isinstance(func, ast.Attribute) and func.attr == "setattr"
            )
            if not is_setattr or len(node.args) < 2:
                continue
            module = _target_module(node.args[0], modules)
            attr = node.args[1].value if isinstance(node.args[1], ast.Constant) else None
            if module in MODEL_MODULES and (module.split(".")[-1], attr) not in STAND_INS:
                yield f"{path.relative_to(root)}:{node.lineno}: {ast.unparse(node)}"


def test_no_module_attribute_of_the_model_is_assigned_at_run_time() -> None:
    """No ``module.attr = ...`` and no ``setattr(module, ...)`` on a module of the model, anywhere
    (but a Graphviz stand-in or a not-called probe in a test)."""
    found = [line for path in SOURCES for line in _module_assignments(path)]
    assert not found, "\n".join(found)


def test_the_model_modules_keep_no_global_state_that_a_run_rebinds() -> None:
    """The model's modules have no ``global`` statement: nothing they hold is swapped while running."""
    paths = [
        *(PACKAGE / "engine").glob("*.py"),
        *(PACKAGE / "kubelet").glob("*.py"),
        *(PACKAGE / "machines").glob("*.py"),
        PACKAGE / "model.py",
        PACKAGE / "verification" / "mutants.py",
    ]
    assert len(paths) > 10
    found = []
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Global):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: global {', '.join(node.names)}")
    assert not found, "\n".join(found)


def test_function_level_imports_only_load_heavy_dependencies() -> None:
    """An import inside a function in src/ loads a heavy dependency where it is used, never a podfsm
    module to see its patched state."""
    found = []
    for path in (ROOT / "src" / "podfsm").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for fn in ast.walk(tree):
            if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(fn):
                names: list[str] = []
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module]
                for n in names:
                    if n.startswith("podfsm"):
                        if n not in LAZY_PODFSM_OK:
                            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: import {n}")
                    elif not n.startswith(LAZY_OK):
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno}: import {n}")
    assert not found, "\n".join(found)


def test_the_checks_find_what_they_look_for(tmp_path: Path) -> None:
    """The assignment check is not vacuous: it reports each way of patching a module."""
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import podfsm.engine as engine\nfrom podfsm.kubelet import snapshot\nimport podfsm\n"
        "engine.IDLE = False\nsetattr(snapshot, 'condition', None)\n"
        "def f(monkeypatch):\n    monkeypatch.setattr(podfsm.machines.container, 'restart_rule', None)\n"
    )
    found = list(_module_assignments(bad, tmp_path))
    assert len(found) == 3, found


# ---------------------------------------------------------------------------------------------
# The value itself
# ---------------------------------------------------------------------------------------------


def test_replace_builds_a_new_value_and_rebuilds_what_derives_from_it() -> None:
    """replace() leaves DEFAULT as it was; the derived fire functions follow the interpreter."""
    traced = DEFAULT.replace(interpreter=Interpreter.TRANSITIONS)
    assert traced is not DEFAULT and DEFAULT.interpreter is Interpreter.COMPILED
    assert traced.fire_container == traced.container.fire_reference
    assert DEFAULT.fire_container == DEFAULT.container.fire
    assert traced.timed == DEFAULT.timed and traced.timed


def test_a_model_is_frozen() -> None:
    """Fields cannot be assigned: a variant is a new value."""
    with pytest.raises(AttributeError):
        DEFAULT.idle_shortcut = False  # type: ignore[misc]


def test_every_mutant_is_a_model() -> None:
    """Each registered mutant yields a Model built from DEFAULT."""
    for m in mutants.MUTANTS.values():
        assert isinstance(m.model, Model) and m.model is not DEFAULT


def test_no_module_reaches_into_another_modules_private_names() -> None:
    """``from podfsm.x import _name`` appears nowhere in src/: each layer uses the public functions of
    the one below (the engine reads getPhase through podfsm.oracle.count_phase / decide_phase)."""
    found = []
    for path in (ROOT / "src" / "podfsm").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("podfsm"):
                private = [a.name for a in node.names if a.name.startswith("_") and not a.name.endswith("__")]
                if private:
                    found.append(
                        f"{path.relative_to(ROOT)}:{node.lineno}: from {node.module} import {private}"
                    )
    assert not found, "\n".join(found)
