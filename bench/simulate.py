"""Benchmark: pod events/s for a pod with 1 init, 1 sidecar and 2 app containers (with probes and a preStop hook).

    python bench/simulate.py [--events 200000] [--seed 1] [--by-event]

A seeded random walk over the model's enabled events (``enabled_events``: runtime answers, probe
runs, hook results, deletes, ticks to the next timer) produces a long legal event stream (the walk
is not timed); a walk that ends (the pod deleted and gone) starts over from a new pod. The stream is then replayed three ways, side by side:

* fast path: ``step`` on the compiled tables, phase included (every step publishes the phase);
* full JSON: the fast path plus the complete v1 Pod object built after every event;
* transitions: the model with ``interpreter=Interpreter.TRANSITIONS``, the same tables driven
  through ``transitions``;
* the public API: ``Simulator.apply`` fed each event as a mapping (``event_to_dict``), as a user's
  test drives it: validation, the step, the v1 Pod JSON and kubectl's columns.

The figures are the best of ``--repeat`` runs on one core. Every run starts from a plan compiled
for it (a pod of its own name on the public path), so no run reads the memo of JSON pieces that an
earlier run of the same stream filled: that would time the memo, not the step. The stream is
frozen out of the garbage collector's view (``gc.freeze``) once built: a Simulator keeps its
history, and each full collection that history sets off would otherwise scan the bench's own
200,000 events, a cost of the bench's heap, not of the step.
"""

from __future__ import annotations

import argparse
import gc
import random
import time

from both_builds import both_builds  # bench/: each figure beside the pure build's
from podfsm.api import Pod
from podfsm.engine import PodState, compile_plan, enabled_events, initial, step
from podfsm.events import Event, Tick, event_to_dict
from podfsm.kubelet.snapshot import pod_json
from podfsm.machines.records import PodPlan
from podfsm.model import DEFAULT, Interpreter, Model
from podfsm.simulator import Simulator

POD = {
    "metadata": {"name": "bench"},
    "spec": {
        "restartPolicy": "Always",
        "initContainers": [
            {"name": "setup", "image": "setup:1"},
            {"name": "proxy", "image": "proxy:1", "restartPolicy": "Always"},
        ],
        "containers": [
            {
                "name": "app",
                "image": "app:1",
                "readinessProbe": {"periodSeconds": 5},
                "livenessProbe": {"periodSeconds": 10, "failureThreshold": 2},
                "lifecycle": {"preStop": {"exec": {"command": ["drain"]}}},
            },
            {
                "name": "worker",
                "image": "worker:latest",
                "startupProbe": {"periodSeconds": 5, "failureThreshold": 3},
            },
        ],
    },
}


# Deletes end a walk and FailedScheduling repeats itself: keep them rare so the stream spends its
# time where pods do (pulls, starts, exits, probes, back-offs, hooks, terminations).
_WEIGHTS = {"Delete": 0.01, "Unschedulable": 0.05}


def make_stream(plan: PodPlan, n: int, seed: int) -> list[Event]:
    """A legal stream of ``n`` events: a random walk, restarted from the initial state when it gets stuck."""
    rng = random.Random(seed)
    s = initial(plan)
    stream: list[Event] = []
    while len(stream) < n:
        options = enabled_events(plan, s)
        if not options or rng.random() < 0.001:
            stream.append(Tick(0))  # marks a restart of the walk (see replay)
            s = initial(plan)
            continue
        weights = [_WEIGHTS.get(type(e).__name__, 1.0) for e in options]
        ev = rng.choices(options, weights)[0]
        if isinstance(ev, Tick) and rng.random() < 0.5:
            ev = Tick(rng.randint(1, ev.seconds))
        s = step(plan, s, ev)
        stream.append(ev)
    return stream


def replay(plan: PodPlan, stream: list[Event], *, full_json: bool = False) -> float:
    s0 = initial(plan)
    s: PodState = s0
    start = time.perf_counter()
    pod = None
    for ev in stream:
        if type(ev) is Tick and ev.seconds == 0:
            s = s0
            continue
        s = step(plan, s, ev)
        if full_json:
            pod = pod_json(plan, s, pod)
    return time.perf_counter() - start


def fresh_plan(model: Model = DEFAULT) -> PodPlan:
    """The bench pod's plan, compiled anew: its memo of JSON pieces starts empty."""
    return compile_plan(Pod.from_api(POD), model=model)


def replay_api(stream: list[Event], run: int) -> float:
    """Seconds for ``Simulator.apply`` on the events as mappings (converted before the clock starts).
    ``run`` names the pod, so each run's Simulators compile their own plan (``plan_for`` memoizes
    plans by manifest) and start with an empty memo."""
    given = [None if type(ev) is Tick and ev.seconds == 0 else event_to_dict(ev) for ev in stream]
    manifest = {**POD, "metadata": {"name": f"bench-{run}"}}
    start = time.perf_counter()
    sim = Simulator(manifest)
    for ev in given:
        if ev is None:
            sim = Simulator(manifest)
            continue
        sim.apply(ev).columns  # noqa: B018  (what a test asserts on)
    return time.perf_counter() - start


def by_event(plan: PodPlan, stream: list[Event]) -> None:
    """Print the mean cost of one ``step`` per event kind (ticks split: a timer due, or idle)."""
    s0 = initial(plan)
    s = s0
    total: dict[str, float] = {}
    count: dict[str, int] = {}
    clock = time.perf_counter
    for ev in stream:
        if type(ev) is Tick and ev.seconds == 0:
            s = s0
            continue
        start = clock()
        nxt = step(plan, s, ev)
        spent = clock() - start
        kind = type(ev).__name__
        if kind == "Tick":
            kind += " (idle)" if nxt.ctrs is s.ctrs and nxt.stage is s.stage else " (a timer due)"
        total[kind] = total.get(kind, 0.0) + spent
        count[kind] = count.get(kind, 0) + 1
        s = nxt
    grand = sum(total.values())
    for kind in sorted(total, key=lambda k: -total[k]):
        mean = total[kind] / count[kind] * 1e6
        print(
            f"  {kind:22} {count[kind]:8,} events  {mean:6.1f} µs each  {total[kind] / grand:4.0%} of the time"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--by-event", action="store_true", help="also print the cost of a step per event kind"
    )
    args = parser.parse_args()
    plan = fresh_plan()
    stream = make_stream(plan, args.events, args.seed)
    n = len(stream)
    gc.freeze()  # the bench's input: see the module docstring
    runs = range(args.repeat)
    fast = min(replay(fresh_plan(), stream) for _ in runs)
    part = stream[: max(n // 10, 1000)]
    full = min(replay(fresh_plan(), part, full_json=True) for _ in runs)
    traced = DEFAULT.replace(interpreter=Interpreter.TRANSITIONS)
    ref = min(replay(fresh_plan(traced), part) for _ in runs)
    fast_part = min(replay(fresh_plan(), part) for _ in runs)
    api = min(replay_api(part, run) for run in runs)
    print(f"stream: {n:,} legal events (seed {args.seed}), pod with 1 init, 1 sidecar, 2 app containers")
    print(f"fast path (compiled tables, phase included): {n / fast:,.0f} events/s")
    print(f"full v1 Pod JSON after every event:          {len(part) / full:,.0f} events/s")
    print(f"transitions-driven reference path:           {len(part) / ref:,.0f} events/s")
    print(f"fast / transitions (same {len(part):,} events):   {ref / fast_part:,.1f}x")
    print(f"Simulator.apply(mapping) + columns (public API): {len(part) / api:,.0f} events/s")
    print(f"public API / full JSON (cost of one event):  {api / full:,.2f}x (issue 12: at most 2x)")
    if args.by_event:
        print("fast path, per event kind (one timed step each; timer overhead included):")
        by_event(plan, stream)


if __name__ == "__main__" and not both_builds(__file__):
    main()
