"""Which build of podfsm runs: the compiled one or the pure-Python one (issue 12).

There is one source. ``./dev build`` (``tools/compile.py``) compiles the modules named in
:data:`COMPILED` with Cython in pure-Python mode: each ``.py`` file becomes a C extension module
beside it, with the same code, names, docstrings and errors (annotations are not used as C types,
so no semantics change). Python imports an extension module in preference to the ``.py`` file.

:func:`build` (run when this module is imported, first thing in ``import podfsm``) decides, before any of them is imported:

* ``PODFSM_PURE=1`` in the environment: the pure-Python build, even when compiled modules exist
  (CI runs the whole suite both ways; the differential test compares the two);
* every module of :data:`COMPILED` has an extension module no older than its source: the compiled
  build;
* otherwise (never compiled, no C compiler, or a source edited since): the pure-Python build, all
  of it, so that a stale extension never runs beside newer source.

The pure-Python build is forced by giving each package folder an import finder that knows only
source files. ``podfsm --version`` prints the build that runs.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from importlib.machinery import EXTENSION_SUFFIXES, SOURCE_SUFFIXES, FileFinder, SourceFileLoader
from pathlib import Path
from typing import Final

__all__ = ["COMPILED", "Build", "build"]

COMPILED: Final = (
    "podfsm.events",
    "podfsm.oracle",
    "podfsm.machines.table",
    "podfsm.machines.pod",
    "podfsm.machines.probe",
    "podfsm.machines.records",
    "podfsm.machines.container",
    "podfsm.machines.node",
    "podfsm.kubelet.decisions",
    "podfsm.kubelet.snapshot",
    "podfsm.model",
    "podfsm.engine.plan",
    "podfsm.engine.worker",
    "podfsm.engine.moves",
    "podfsm.engine.handlers",
    "podfsm.engine.controllers",
    "podfsm.engine.cache",
    "podfsm.simulator",
    "podfsm.cluster",
    "podfsm.verification.invariants",
    "podfsm.verification.explorer",
    "podfsm.verification.parallel",
    "podfsm.traces.observations",
    "podfsm.traces.check",
)
"""The modules the compiled build compiles: the hot path (records, tables, the kubelet engine, the
snapshot, the oracle, the explorer, the invariants) and what drives it in bulk."""

PURE_ENV: Final = "PODFSM_PURE"
PACKAGE_DIR: Final = Path(os.path.dirname(__file__))  # as the import system spells the folders


@dataclass(frozen=True)
class Build:
    """The build that runs: ``compiled`` or ``pure``, and why (for ``podfsm --version``)."""

    name: str
    detail: str

    def __str__(self) -> str:
        return f"{self.name} ({self.detail})"


def source_of(module: str) -> Path:
    """The ``.py`` file of ``module`` (one of :data:`COMPILED`)."""
    return PACKAGE_DIR.joinpath(*module.split(".")[1:]).with_suffix(".py")


def extension_of(module: str) -> Path | None:
    """The extension module compiled from ``module``'s source, if there is one."""
    src = source_of(module)
    for suffix in EXTENSION_SUFFIXES:
        candidate = src.with_name(src.stem + suffix)
        if candidate.exists():
            return candidate
    return None


def _decide() -> Build:
    if os.environ.get(PURE_ENV, "") not in ("", "0"):
        return Build("pure", f"pure Python: {PURE_ENV} is set")
    missing: list[str] = []
    stale: list[str] = []
    for module in COMPILED:
        ext = extension_of(module)
        if ext is None:
            missing.append(module)
        elif ext.stat().st_mtime < source_of(module).stat().st_mtime:
            stale.append(module)
    if len(missing) == len(COMPILED):
        return Build("pure", "pure Python: not compiled (./dev build compiles it: Cython and a C compiler)")
    if missing or stale:
        which = ", ".join((missing or stale)[:3]) + (" ..." if len(missing or stale) > 3 else "")
        why = "not compiled" if missing else "older than its source"
        return Build("pure", f"pure Python: the compiled build is incomplete ({which} {why}; ./dev build)")
    return Build("compiled", f"Cython, {len(COMPILED)} modules compiled from the same source")


_BUILD: Build | None = None


def build() -> Build:
    """The build that runs, decided once, before any compiled module is imported (see the module
    docstring)."""
    global _BUILD
    if _BUILD is None:
        _BUILD = _decide()
        if _BUILD.name == "pure":
            _sources_only()
    return _BUILD


def _sources_only() -> None:
    """Make every podfsm package folder import ``.py`` files only (never an extension module)."""
    folders = [PACKAGE_DIR, *(p for p in PACKAGE_DIR.iterdir() if (p / "__init__.py").is_file())]
    for folder in folders:
        sys.path_importer_cache[str(folder)] = FileFinder(str(folder), (SourceFileLoader, SOURCE_SUFFIXES))


build()
