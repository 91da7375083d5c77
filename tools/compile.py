"""Compile podfsm's hot modules with Cython (pure-Python mode), in place: ``./dev build``.

    python tools/compile.py [--clean] [--jobs N]

Each module of ``podfsm._build.COMPILED`` becomes a C extension module beside its ``.py`` file,
built from that very file (annotations are not used as C types: the compiled code keeps Python's
semantics, only the interpreter's overhead goes). Without Cython or a C compiler, or when a module
fails to compile, nothing compiled is left behind and podfsm runs as pure Python; this script
then says why on stderr and exits 0 (the pure build is a working build). ``--clean`` removes the
compiled modules.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"


def _build_module() -> object:
    spec = importlib.util.spec_from_file_location("_podfsm_build", SRC / "podfsm" / "_build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def clean(b: object, keep: tuple[str, ...] = ()) -> int:
    """Remove the extension modules under src/podfsm, but those of the modules in ``keep``."""
    kept = {b.source_of(name).with_suffix("") for name in keep}  # type: ignore[attr-defined]
    removed = 0
    for ext in [*SRC.joinpath("podfsm").rglob("*.so"), *SRC.joinpath("podfsm").rglob("*.pyd")]:
        if ext.with_name(ext.name.split(".")[0]) not in kept:
            ext.unlink()
            removed += 1
    return removed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clean", action="store_true", help="remove the compiled modules")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    b = _build_module()
    if args.clean:
        clean(b)
        print("podfsm: compiled modules removed: the pure-Python build runs")
        return 0
    try:
        from Cython.Build import cythonize  # type: ignore[import-untyped]
        from setuptools import Distribution, Extension  # type: ignore[import-untyped]
    except ImportError as e:
        print(
            f"podfsm: not compiled ({e.name} is not installed): the pure-Python build runs", file=sys.stderr
        )
        return 0
    modules = list(b.COMPILED)  # type: ignore[attr-defined]
    extensions = [
        Extension(name, [str(b.source_of(name).relative_to(ROOT))], extra_compile_args=["-w"])  # type: ignore[attr-defined]
        for name in modules
    ]
    os.chdir(ROOT)
    clean(b, keep=tuple(modules))  # a module no longer compiled must not shadow its source
    work = ROOT / "build" / "cython"  # kept between builds: only what changed is compiled again
    try:
        compiled = cythonize(
            extensions,
            compiler_directives={"language_level": 3, "annotation_typing": False, "binding": True},
            build_dir=str(work / "c"),
            nthreads=args.jobs,
            quiet=True,
        )
        dist = Distribution({"name": "podfsm", "ext_modules": compiled, "package_dir": {"": "src"}})
        cmd = dist.get_command_obj("build_ext")
        cmd.inplace = True
        cmd.build_temp = str(work / "tmp")
        cmd.parallel = args.jobs
        cmd.ensure_finalized()
        cmd.run()
    except BaseException as e:  # no C compiler, a module Cython refuses, ... : fall back, say why
        clean(b)
        shutil.rmtree(work, ignore_errors=True)
        reason = str(e).strip().splitlines()[-1] if str(e).strip() else type(e).__name__
        print(f"podfsm: not compiled ({reason}): the pure-Python build runs", file=sys.stderr)
        return 0
    # The extension modules were placed beside their sources by build_ext --inplace (package_dir).
    print(f"podfsm: {len(modules)} modules compiled with Cython (in place, beside their sources)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
