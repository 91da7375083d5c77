"""The compiled build and the pure-Python build (issue 12): ``podfsm --version`` names the build
that runs, ``PODFSM_PURE=1`` runs the source only, and the two builds agree on a digest of seeded
walks (states, v1 Pod JSON, kubectl columns, enabled events, emitted Events) and on every pinned
explorer count. ``./dev test`` runs the whole suite on both builds; CI sets
``PODFSM_REQUIRE_COMPILED=1`` so that a compiled build that failed to build fails here."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from podfsm._build import COMPILED, PURE_ENV, extension_of


def _env(pure: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != PURE_ENV}
    if pure:
        env[PURE_ENV] = "1"
    return env


def _python(code: str, *, pure: bool) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], env=_env(pure), capture_output=True, text=True, timeout=600, check=True
    )
    return done.stdout


def _compiled_available() -> bool:
    return json.loads(
        _python("import json, podfsm._build as b; print(json.dumps(b.build().name))", pure=False)
    ) == ("compiled")


def test_version_names_the_build() -> None:
    for pure in (True, False):
        done = subprocess.run(
            [sys.executable, "-m", "podfsm", "--version"],
            env=_env(pure),
            capture_output=True,
            text=True,
            check=True,
        )
        line = done.stdout.strip()
        assert line.startswith("podfsm ") and "Kubernetes v1." in line and "\n" not in line
        assert (" pure (" in line) if pure else (" compiled (" in line or " pure (" in line)


def test_pure_env_loads_no_extension_module() -> None:
    code = (
        "import sys, podfsm, podfsm.engine, podfsm.verification.explorer, podfsm.traces;"
        "print(sorted(n for n, m in sys.modules.items() if n.startswith('podfsm') "
        "and not (getattr(m, '__file__', None) or '.py').endswith('.py')))"
    )
    assert _python(code, pure=True).strip() == "[]"


def test_compiled_build_loads_every_compiled_module() -> None:
    if not _compiled_available():
        _skip_or_fail()
    code = "import importlib, sys; " + "; ".join(f"importlib.import_module({m!r})" for m in COMPILED)
    code += f"; print([n for n in {COMPILED!r} if sys.modules[n].__file__.endswith('.py')])"
    assert _python(code, pure=False).strip() == "[]"
    assert all(extension_of(m) is not None for m in COMPILED)


def test_compiled_and_pure_builds_agree() -> None:
    if not _compiled_available():
        _skip_or_fail()
    code = "import json; from podfsm.verification.builds import digest; print(json.dumps(digest()))"
    compiled = json.loads(_python(code, pure=False))
    pure = json.loads(_python(code, pure=True))
    assert (compiled.pop("build"), pure.pop("build")) == ("compiled", "pure")
    assert compiled == pure


def _skip_or_fail() -> None:
    if os.environ.get("PODFSM_REQUIRE_COMPILED"):
        pytest.fail("PODFSM_REQUIRE_COMPILED is set but the compiled build does not run (./dev build)")
    pytest.skip("no compiled build here (./dev build compiles it: Cython and a C compiler)")


def test_the_digest_tells_models_apart() -> None:
    """The differential check can fail: a model that differs in one decision changes the digest."""
    from podfsm.verification import mutants
    from podfsm.verification.builds import walk_digests

    base = walk_digests()
    assert walk_digests() == base  # deterministic
    same = [n for n in mutants.MUTANTS if walk_digests(model=mutants.get(n).model) == base]
    # Two mutants need a step the walks do not take (a readiness gate's condition; a terminal
    # phase published while a container runs, which needs a deadline during a kill).
    assert same == ["terminal-while-running", "readiness-gates-ignored"]
