"""Trace validation, as properties over random runs of the simulator (issue 13):

* completeness: every subsequence of a run's published Pod objects, and of its kubectl rows,
  conforms (``check_trace`` finds a run that explains it), for every pod family the suites use;
  a trace may end undecided on the search budget, in at most ``UNDECIDED_AT_MOST`` of them,
  never with a rule broken;
* soundness: one seeded corruption of such a trace (a restartCount that goes down, a terminal
  phase followed by a non-terminal one, a restart that restartPolicy Never forbids) is rejected.

``PODFSM_PROFILE=thorough`` runs ten times the examples.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Final

import pytest
from hypothesis import given
from hypothesis import strategies as st

from podfsm.api import Pod
from podfsm.engine import compile_plan, enabled_events, initial, step
from podfsm.events import Delete, Evict, Unschedulable
from podfsm.kubelet.snapshot import timestamp
from podfsm.machines.pod import PStage
from podfsm.machines.records import ContainerKind
from podfsm.oracle import kubectl_columns
from podfsm.traces import Observation, ObsKind, check_trace
from podfsm.traces.observations import object_observation
from podfsm.verification.strategies import Run, candidate_groups, pick_event
from podfsm.verification.verify import pod_families, profile_from_env

PROFILE, SEED = profile_from_env()
EXAMPLES = 12 if PROFILE.name == "fast" else 120
STEPS = 30
#: Full-length runs (``choices`` would start Hypothesis at empty ones): the picks still shrink to 0s.
PICKS = st.lists(st.integers(0, 255), min_size=STEPS, max_size=STEPS)


def _observations(run: Run) -> tuple[list[Observation], list[Observation]]:
    """The run's published objects and its kubectl rows, as observations (line = step index)."""
    objects: list[Observation] = []
    rows: list[Observation] = []
    last: dict[str, Any] | None = None
    for i, (s, pod) in enumerate(run.snapshots(), start=1):
        if s.stage is PStage.REMOVED:  # a watch DELETED event carries the object as it was last
            gone = Observation(line=i, pod=run.plan.name, kind=ObsKind.REMOVED, obj=last)
            objects.append(gone)
            rows.append(gone)
            break
        last = pod
        objects.append(object_observation(pod, i))
        cols = kubectl_columns(pod, now=timestamp(run.plan, s.t))
        rows.append(
            Observation(
                line=i,
                pod=run.plan.name,
                kind=ObsKind.ROW,
                ready=cols.ready,
                status=cols.status,
                restarts=cols.restarts,
            )
        )
    return objects, rows


#: Event kinds a run avoids in its first two thirds (swarm testing's ``disabled``), so that most
#: runs live long enough to restart, crash-loop and finish before they are deleted.
_LATE: Final = frozenset({Delete.NAME, Evict.NAME, Unschedulable.NAME})


def _run(pod: dict[str, Any], picks: list[int]) -> Run:
    """The run ``picks`` choose (as :func:`~podfsm.verification.strategies.replay` does), with no
    delete, eviction or FailedScheduling before its last third."""
    plan = compile_plan(Pod.from_api(pod))
    s = initial(plan)
    states = [s]
    events = []
    for i, pick in enumerate(picks):
        evs = enabled_events(plan, s)
        if not evs:
            break
        disabled = _LATE if i < 2 * STEPS // 3 else frozenset()
        ev = pick_event(candidate_groups(plan, s, evs), pick, disabled)
        s = step(plan, s, ev)
        events.append(ev)
        states.append(s)
    return Run(pod, plan, tuple(events), tuple(states))


def _subsequence(items: list[Observation], keep: list[bool]) -> list[Observation]:
    picked = [o for o, k in zip(items, keep, strict=False) if k]
    return picked or items[:1]


FAMILIES = pod_families()


#: Of the traces, the share whose search may end on its budget (undecided, reported as "no run
#: found within the search budget", never as a rule broken): an observation hides the exit codes,
#: the back-off and which container restarted, and a sparse subsequence leaves the most open.
UNDECIDED_AT_MOST: Final = 0.15


@pytest.mark.parametrize("family", list(FAMILIES))
def test_every_subsequence_of_a_run_conforms(family: str) -> None:
    tally = {"traces": 0, "undecided": 0}

    @given(
        pod=FAMILIES[family],
        picks=PICKS,
        keep=st.lists(st.sampled_from([True, False]), min_size=STEPS + 1, max_size=STEPS + 1),
    )
    def check(pod: dict[str, Any], picks: list[int], keep: list[bool]) -> None:
        run = _run(pod, picks)
        objects, rows = _observations(run)
        for pod_, trace in ((None, _subsequence(objects, keep)), (run.pod, _subsequence(rows, keep))):
            v = check_trace(pod_, trace)
            tally["traces"] += 1
            if v.failure is not None and v.failure.why.startswith("no run found within the search budget"):
                tally["undecided"] += 1
                continue
            assert v.conforms, (run.script(), v.failure)

    PROFILE.hypothesis(EXAMPLES, STEPS, SEED)(check)()
    assert tally["undecided"] <= UNDECIDED_AT_MOST * tally["traces"], tally


def _corrupt(run: Run, objects: list[Observation], how: int) -> list[Observation] | None:
    """One corruption of the object trace that no run can produce, or None when the run gives none."""
    objects = [o for o in objects if o.kind is ObsKind.OBJECT]
    plan = run.plan
    kinds = {cp.name: cp.kind for cp in plan.containers}
    if how == 0:  # a restartCount that goes down
        for i, o in enumerate(objects):
            for j, c in enumerate(o.containers or ()):
                if (c.restart_count or 0) > 0:
                    later = dataclasses.replace(c, restart_count=(c.restart_count or 0) - 1)
                    cs = list(o.containers or ())
                    cs[j] = later
                    return [*objects[: i + 1], dataclasses.replace(o, line=o.line + 1, containers=tuple(cs))]
        return None
    if how == 1:  # a terminal phase, then a non-terminal one
        for i, o in enumerate(objects):
            if o.phase in ("Succeeded", "Failed"):
                earlier = next((p for p in objects[:i] if p.phase not in ("Succeeded", "Failed")), None)
                if earlier is None:
                    return None
                return [*objects[: i + 1], dataclasses.replace(earlier, line=o.line + 1)]
        return None
    # a restart that restartPolicy Never forbids: an exited regular container shown restarted
    if plan.restart_policy.value != "Never":
        return None
    for i, o in enumerate(objects):
        for j, c in enumerate(o.containers or ()):
            if c.state == "terminated" and kinds.get(c.name) is not ContainerKind.SIDECAR:
                again = dataclasses.replace(
                    c,
                    state="running",
                    reason=None,
                    exit_code=None,
                    last_state="terminated",
                    last_exit_code=c.exit_code,
                    restart_count=(c.restart_count or 0) + 1,
                )
                cs = list(o.containers or ())
                cs[j] = again
                return [*objects[: i + 1], dataclasses.replace(o, line=o.line + 1, containers=tuple(cs))]
    return None


@pytest.mark.parametrize("family", list(FAMILIES))
def test_a_corrupted_trace_is_rejected(family: str) -> None:
    seen: dict[int, int] = {0: 0, 1: 0, 2: 0}

    @given(pod=FAMILIES[family], picks=PICKS, how=st.integers(0, 2))
    def check(pod: dict[str, Any], picks: list[int], how: int) -> None:
        run = _run(pod, picks)
        objects, _ = _observations(run)
        bad = _corrupt(run, objects, how)
        if bad is None:
            return
        seen[how] += 1
        v = check_trace(None, bad)
        assert not v.conforms, (how, run.script())
        assert v.failure is not None and v.failure.observation is bad[-1]

    PROFILE.hypothesis(EXAMPLES * 2, STEPS, SEED)(check)()
    assert sum(seen.values()) > 0, "no run gave a corruption to check"
