"""The bulk suite over processes (issue 12, ``podfsm verify --workers N``): the pod families are
spread over forked processes, and the counts, the rows reached and the first violation are those
of one process."""

from __future__ import annotations

import dataclasses

import pytest

from podfsm.cli import main
from podfsm.model import DEFAULT
from podfsm.verification import invariants, mutants
from podfsm.verification.invariants import PropertyViolation
from podfsm.verification.verify import PROFILES, Stats, attribute_for, counting, run_bulk

SMALL = dataclasses.replace(PROFILES["fast"], bulk_examples=15, bulk_steps=20)


def _run(workers: int, name: str | None = None) -> tuple[Stats, PropertyViolation | None]:
    stats = Stats()
    model = mutants.get(name).model if name else DEFAULT
    counted = counting(model, stats)
    try:
        run_bulk(SMALL, 0, stats, counted, attribute_for(model), workers)
    except PropertyViolation as v:
        return stats, v
    return stats, None


def test_bulk_over_processes_counts_as_one_process() -> None:
    one, v1 = _run(1)
    two, v2 = _run(2)
    assert v1 is None and v2 is None
    assert one.examples["bulk"] == two.examples["bulk"] == 3 * SMALL.bulk_examples
    # A sometimes property is evaluated until a run witnesses it, in each process: its count differs.
    sometimes = {p.name for p in invariants.properties(invariants.Kind.SOMETIMES)}
    assert one.steps == two.steps
    assert {k: n for k, n in one.checks.items() if k not in sometimes} == {
        k: n for k, n in two.checks.items() if k not in sometimes
    }
    assert one.rows == two.rows and sum(one.rows["container"].values()) > 0
    assert one.abstract_states == two.abstract_states and one.sometimes == two.sometimes


@pytest.mark.parametrize(
    "name",
    [
        "sidecar-keeps-pod-alive",
        "readiness-gates-ignored",
        "backoff-never-doubles",
        "ignore-grace-period",
        "condition-time-resets",
        "terminated-pod-reports-success",
    ],
)
def test_bulk_over_processes_reports_the_first_violation_of_one_process(name: str) -> None:
    _, v1 = _run(1, name)
    _, v2 = _run(2, name)
    assert v1 is not None and v2 is not None
    assert (v2.prop, v2.where, v2.script, v2.pod) == (v1.prop, v1.where, v1.script, v1.pod)
    assert str(v2) == str(v1)


def test_cli_verify_refuses_bad_workers(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "--workers", "0"]) == 2
    err = capsys.readouterr().err
    assert "--workers must be 1..1024" in err and err.count("\n") == 1
