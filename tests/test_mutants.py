"""podfsm.verification.mutants and ``podfsm verify --mutant``: every deliberately wrong model is caught, by the
property it targets on its witness and by the Hypothesis suites; a mutant is a model value (the
real model is untouched, mutants run side by side and compose); a failing run prints as a Python
program and as an event script."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import run_state_machine_as_test

from podfsm.api import Pod
from podfsm.cli import main
from podfsm.engine import compile_plan
from podfsm.model import DEFAULT
from podfsm.verification import invariants, mutants
from podfsm.verification.explorer import explore
from podfsm.verification.invariants import PropertyViolation
from podfsm.verification.verify import (
    PROFILES,
    Stats,
    attribute_for,
    make_machine,
    run_bulk,
    run_machine,
    verify,
    violates_on_baseline,
)

NAMES = list(mutants.MUTANTS)


def test_at_least_ten_mutants_each_named_described_and_targeted() -> None:
    """There are at least 10 mutants, each with a stable name, a one-line description and a registered target property."""
    assert len(mutants.MUTANTS) >= 10
    for name, m in mutants.MUTANTS.items():
        assert m.name == name and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name)
        assert m.description and "\n" not in m.description
        assert m.breaks in invariants.REGISTRY


@pytest.mark.parametrize("name", NAMES)
def test_mutant_breaks_its_property_on_its_witness(name: str) -> None:
    """On the mutant's witness pod the unmutated model satisfies the target property and the mutant violates it."""
    m = mutants.get(name)
    prop = invariants.get(m.breaks)
    w = m.witness
    base = explore(
        compile_plan(Pod.from_api(w.pod)), max_depth=w.max_depth, max_restarts=w.max_restarts, props=[prop]
    )
    assert base.violation is None, base.violation
    bad = explore(
        compile_plan(Pod.from_api(w.pod), model=m.model),
        max_depth=w.max_depth,
        max_restarts=w.max_restarts,
        props=[prop],
    )
    assert bad.violation is not None and bad.violation.prop is prop


@pytest.mark.parametrize("name", NAMES)
def test_verify_catches_the_mutant(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    """podfsm verify --mutant NAME exits 1 and names a property the mutant breaks."""
    assert main(["verify", "--mutant", name, "-o", "json"]) == 1
    out = capsys.readouterr()
    violations = json.loads(out.out)["violations"]
    assert violations and violations[0]["property"] in out.err


@pytest.mark.parametrize("name", NAMES)
def test_hypothesis_suites_catch_the_mutant(name: str) -> None:
    """The Hypothesis suites alone (rule-based machine, then bulk runs) find a violation the unmutated model does not show."""
    stats = Stats()
    model = mutants.get(name).model
    with pytest.raises(PropertyViolation) as caught:
        # seed 0: a derandomized run draws from a digest of the suites' own source, so an edit to
        # verify.py would change what it draws; a seed keeps the draws as they are
        run_bulk(PROFILES["fast"], 0, stats, model, attribute_for(model))
        run_machine(PROFILES["fast"], 0, stats, model, attribute_for(model))
    v = caught.value
    assert v.script and not violates_on_baseline(v.prop, v.pod, v.script)


def test_a_mutant_is_a_model_value_and_the_real_model_is_untouched() -> None:
    """Each mutant's model differs from DEFAULT in what it says it changes, and building every one
    leaves DEFAULT's fields as they were (nothing is patched)."""
    fields = [f.name for f in dataclasses.fields(DEFAULT) if f.init]
    before = {f: getattr(DEFAULT, f) for f in fields}
    for m in mutants.MUTANTS.values():
        changed = [f for f in fields if getattr(m.model, f) is not before[f]]
        assert changed and changed != ["name"], f"{m.name} changed nothing"
        assert m.model.name == f"kubernetes+{m.name}"
    assert {f: getattr(DEFAULT, f) for f in fields} == before
    assert all(getattr(DEFAULT, f) is v for f, v in before.items())


def test_mutants_run_side_by_side() -> None:
    """The real model and a mutant run in the same process, interleaved, each with its own answer."""
    w = mutants.get("restart-under-never").witness
    prop = invariants.get("never-policy-never-restarts")
    real = compile_plan(Pod.from_api(w.pod))
    wrong = compile_plan(Pod.from_api(w.pod), model=mutants.get("restart-under-never").model)
    for _ in range(2):
        assert (
            explore(real, max_depth=w.max_depth, max_restarts=w.max_restarts, props=[prop]).violation is None
        )
        v = explore(wrong, max_depth=w.max_depth, max_restarts=w.max_restarts, props=[prop]).violation
        assert v is not None and v.prop is prop


def test_mutants_compose() -> None:
    """combine() applies mutants in order; the result breaks what each part breaks."""
    both = mutants.combine("parallel-init", "restart-under-never")
    assert both.name == "kubernetes+parallel-init+restart-under-never"
    for name in ("parallel-init", "restart-under-never"):
        m = mutants.get(name)
        w = m.witness
        result = explore(
            compile_plan(Pod.from_api(w.pod), model=both),
            max_depth=w.max_depth,
            max_restarts=w.max_restarts,
            props=[invariants.get(m.breaks)],
        )
        assert result.violation is not None, name


def test_attribute_for_the_real_model_counts_every_violation() -> None:
    """On DEFAULT every violation counts; on a mutant only those the real model does not share."""
    assert attribute_for(DEFAULT) is None
    assert attribute_for(mutants.get("parallel-init").model) is not None


def test_unknown_mutant_lists_the_names(capsys: pytest.CaptureFixture[str]) -> None:
    """--mutant with an unknown name exits 2 and lists the available mutants."""
    assert main(["verify", "--mutant", "nope"]) == 2
    err = capsys.readouterr().err
    assert "requested='nope'" in err and "restart-under-never" in err


def test_list_mutants(capsys: pytest.CaptureFixture[str]) -> None:
    """podfsm verify --list-mutants prints every mutant with the property it breaks."""
    assert main(["verify", "--list-mutants"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("MUTANT") and all(name in out for name in NAMES)


def test_failing_machine_prints_a_python_program_and_an_event_script() -> None:
    """A rule-based failure prints as a runnable Python program (Hypothesis) and as a podfsm simulate script."""
    m = mutants.get("ready-when-not-started")
    machine = make_machine(st.just(m.witness.pod), name="PodLifecycleMachine", model=m.model)
    with pytest.raises(PropertyViolation) as caught:
        run_state_machine_as_test(machine, settings=PROFILES["fast"].hypothesis(20, 5))
    program = "\n".join(caught.value.__notes__)
    assert "state = PodLifecycleMachine()\nstate.init(pod={'apiVersion': 'v1'," in program
    # one invariant judges every property; the violation it raises names the one that failed
    assert program.endswith(
        "state.schedule(ev=Schedule(node='node-1'))\nstate.every_property_holds()\nstate.teardown()"
    )
    message = str(caught.value)
    assert "property 'ready-container-is-running' violated" in message
    assert (
        "script.yaml (replay: podfsm simulate pod.yaml script.yaml):\n    - {event: schedule, node: node-1}"
        in message
    )
    assert "from podfsm.events import Schedule" in message


def test_verify_summary_lists_properties_examples_and_coverage() -> None:
    """verify() on a tiny profile counts checks per property, examples per suite and the table rows reached."""
    tiny = dataclasses.replace(
        PROFILES["fast"], machine_examples=3, machine_steps=5, bulk_examples=3, bulk_steps=5
    )
    stats = verify(tiny, suites=("machine", "bulk"))
    assert stats.examples["machine"] >= 3 and stats.examples["bulk"] >= 3
    assert stats.checks["phase-is-getphase"] > 0
    assert sum(stats.rows["container"].values()) > 0 and stats.abstract_states
