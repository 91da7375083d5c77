"""podfsm.engine.StepCache: the memo of step for repetitive workloads (issue 12) gives step's
answers, Events included, on seeded walks of the default model and of a mutant; never remembers a
refusal; turns itself off on a workload that does not repeat."""

from __future__ import annotations

import random

import pytest

from podfsm.api import Pod
from podfsm.engine import PodState, StepCache, compile_plan, enabled_events, initial, step
from podfsm.errors import IllegalTransition
from podfsm.events import ContainerStarted, Event
from podfsm.machines.records import KEvent, PodPlan
from podfsm.model import DEFAULT, Model
from podfsm.verification import mutants

POD = {
    "metadata": {"name": "web"},
    "spec": {
        "initContainers": [{"name": "proxy", "image": "proxy:1", "restartPolicy": "Always"}],
        "containers": [{"name": "web", "image": "nginx:1.27", "readinessProbe": {"periodSeconds": 5}}],
    },
}


def _walk(plan: PodPlan, seed: int, steps: int = 40, *, deletes: bool = True) -> list[Event]:
    rng = random.Random(seed)
    s, events = initial(plan), []
    for _ in range(steps):
        evs = [e for e in enabled_events(plan, s) if deletes or e.NAME not in ("delete", "evict")]
        if not evs:
            break
        ev = rng.choice(evs)
        events.append(ev)
        s = step(plan, s, ev)
    return events


def _replay(plan: PodPlan, events: list[Event], stepper: object) -> list[tuple[PodState, tuple[KEvent, ...]]]:
    s, out = initial(plan), []
    for ev in events:
        emitted: list[KEvent] = []
        s = stepper(s, ev, out=emitted)  # type: ignore[operator]
        out.append((s, tuple(emitted)))
    return out


@pytest.mark.parametrize(
    "model", [DEFAULT, mutants.get("phase-not-from-getphase").model], ids=["default", "mutant"]
)
def test_the_cache_answers_as_step_does(model: Model) -> None:
    plan = compile_plan(Pod.from_api(POD), None, model)
    cache = StepCache(plan)
    for seed in range(20):
        events = _walk(plan, seed)
        want = _replay(plan, events, lambda s, ev, out: step(plan, s, ev, out=out))
        assert _replay(plan, events, cache.step) == want  # first pass: misses
        assert _replay(plan, events, cache.step) == want  # second pass: hits
    assert cache.hits > 0 and cache.enabled


def test_a_mutant_has_its_own_cache() -> None:
    default = compile_plan(Pod.from_api(POD))
    mutant = compile_plan(Pod.from_api(POD), None, mutants.get("phase-not-from-getphase").model)
    a, b = StepCache(default), StepCache(mutant)
    events = _walk(default, 3)
    _replay(default, events, a.step)
    assert len(a) > 0 and len(b) == 0 and a.plan.model != b.plan.model


def test_a_refusal_is_raised_and_never_remembered() -> None:
    plan = compile_plan(Pod.from_api(POD))
    cache = StepCache(plan)
    s0 = initial(plan)
    for _ in range(2):
        with pytest.raises(IllegalTransition):
            cache.step(s0, ContainerStarted("web"))  # not scheduled: the kubelet has not asked
    assert len(cache) == 0 and cache.hits == 0


def test_the_cache_turns_itself_off_when_nothing_repeats() -> None:
    plan = compile_plan(Pod.from_api(POD))
    cache = StepCache(plan, probe=5, min_hit_rate=0.5)
    events = _walk(plan, 7, steps=60, deletes=False)
    assert len(events) > 5
    want = _replay(plan, events, lambda s, ev, out: step(plan, s, ev, out=out))
    assert _replay(plan, events, cache.step) == want
    assert not cache.enabled and len(cache) == 0
