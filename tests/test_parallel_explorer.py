"""podfsm.verification.parallel and ``podfsm explore --workers N`` (issue 12): the search over
several processes returns the single-process answer: every pinned count, the cuts, the
``sometimes`` verdicts, and for every mutant the same property, message and shortest script."""

from __future__ import annotations

import json

import pytest

from podfsm.api import Pod
from podfsm.cli import main
from podfsm.engine import compile_plan, initial
from podfsm.verification import invariants, mutants
from podfsm.verification.explorer import MODELS, ExploreResult, explore
from podfsm.verification.parallel import available_workers, explore_parallel
from test_explorer import EXPECTED  # the pinned counts (tests/ is on the path: pytest prepend mode)

COUNTS = ("states", "transitions", "depth", "cut_depth", "cut_restarts", "quiescent", "removed")


def _counts(r: ExploreResult) -> tuple[int, ...]:
    return tuple(getattr(r, f) for f in COUNTS)


@pytest.mark.parametrize("name", list(MODELS))
@pytest.mark.parametrize("workers", [2, 3])
def test_parallel_search_gives_the_pinned_counts(name: str, workers: int) -> None:
    m = MODELS[name]
    plan = compile_plan(Pod.from_api(m.pod))
    one = explore(plan, max_depth=m.max_depth, max_restarts=m.max_restarts, check=False)
    many = explore_parallel(
        plan, workers=workers, max_depth=m.max_depth, max_restarts=m.max_restarts, check=False
    )
    assert (many.states, many.transitions, many.depth) == EXPECTED[name]
    assert _counts(many) == _counts(one)


@pytest.mark.parametrize("name", ["sidecar-job", "deadline", "two-inits-onfailure"])
def test_parallel_checked_search_agrees(name: str) -> None:
    m = MODELS[name]
    plan = compile_plan(Pod.from_api(m.pod))
    one = explore(plan, max_depth=m.max_depth, max_restarts=m.max_restarts)
    many = explore_parallel(plan, workers=2, max_depth=m.max_depth, max_restarts=m.max_restarts)
    assert _counts(many) == _counts(one) and many.sometimes == one.sometimes
    assert many.violation is None and one.violation is None
    always = {p.name for p in invariants.properties(invariants.Kind.ALWAYS, invariants.Kind.ALWAYS_STEP)}
    assert {k: v for k, v in many.checks.items() if k in always} == {
        k: v for k, v in one.checks.items() if k in always
    }


@pytest.mark.parametrize("name", list(mutants.MUTANTS))
def test_parallel_search_finds_the_same_shortest_counterexample(name: str) -> None:
    m = mutants.get(name)
    w = m.witness
    plan = compile_plan(Pod.from_api(w.pod), model=m.model)
    one = explore(plan, max_depth=w.max_depth, max_restarts=w.max_restarts)
    many = explore_parallel(plan, workers=2, max_depth=w.max_depth, max_restarts=w.max_restarts)
    assert one.violation is not None and many.violation is not None
    assert many.violation.prop is one.violation.prop
    assert str(many.violation) == str(one.violation)  # where, and the script that reproduces it
    assert many.violation.script == one.violation.script
    assert (many.path_events, many.failed_step) == (one.path_events, one.failed_step)


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_workers_give_the_same_record(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["explore", "examples/nginx/pod.yaml", "--max-depth", "9", "-o", "json", "-q"]
    records = []
    for n in ("1", "2"):
        code, out, _ = _run([*args, "--workers", n], capsys)
        assert code == 0
        record = json.loads(out)
        assert record.pop("workers") == int(n)
        for volatile in ("seconds", "states_per_second"):
            record.pop(volatile)
        records.append(record)
    assert records[0] == records[1] and records[0]["states"] > 100


def test_cli_mutant_counterexample_is_the_same_with_workers(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["explore", "examples/never-fails/pod.yaml", "--mutant", "restart-under-never", "-o", "json", "-q"]
    got = []
    for n in ("1", "2"):
        code, out, _ = _run([*args, "--workers", n], capsys)
        assert code == 1
        got.append(json.loads(out)["violation"])
    assert got[0] == got[1] and got[0]["script"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--workers", "0"], "--workers must be 1..1024"),
        (["--workers", "2", "--graph", "x.svg"], "--graph draws the search of one process"),
    ],
)
def test_cli_bad_workers(extra: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(["explore", "examples/nginx/pod.yaml", *extra], capsys)
    assert code == 2 and message in err and err.count("\n") == 1


def test_default_workers_are_the_available_cores() -> None:
    assert available_workers() >= 1


def test_a_failing_worker_is_reported_and_the_others_stopped() -> None:
    """A worker that raises (here: a model whose status publication fails) is reported as one
    error; the worker waiting for its batch is stopped, not left hanging."""
    from podfsm.model import DEFAULT

    def boom(*_: object, **__: object) -> object:
        raise ValueError("boom")

    m = MODELS["single-never"]
    plan = compile_plan(Pod.from_api(m.pod), model=DEFAULT.replace(publish=boom))
    with pytest.raises(RuntimeError, match="an explorer worker failed: ValueError: boom"):
        explore_parallel(plan, workers=2, max_depth=m.max_depth, check=False)


def test_a_search_leaves_no_key_memo() -> None:
    """The visited-set key memo lives for one search (``keys_forgotten``): it fills during a
    search and is empty after it, on one process and on several."""
    from podfsm.verification import explorer

    m = MODELS["sidecar-job"]
    plan = compile_plan(Pod.from_api(m.pod))
    sizes: list[int] = []
    explore(plan, max_depth=3, check=False, on_state=lambda s: sizes.append(len(explorer._MEMO)))
    assert max(sizes) > 0
    assert len(explorer._MEMO) == 0
    explorer.state_key(initial(plan), 100)  # a key computed outside a search: memoized
    assert len(explorer._MEMO) > 0
    explore_parallel(plan, workers=2, max_depth=3, check=False)
    assert len(explorer._MEMO) == 0
