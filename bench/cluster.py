"""Benchmark: a 150,000-pod Deployment through its lifecycle, with the step cache (issue 12).

    python bench/cluster.py [--pods 150000] [--nodes 50] [--seed 1] [--uncached 5000]

One Deployment's template (a web container with a readiness probe) runs as ``--pods`` pods spread
over ``--nodes`` nodes (Kubernetes' documented limits: 150,000 pods, 5,000 nodes, 110 pods per
node). Each pod goes through one of four lifecycles, drawn with ``--seed``: healthy (scheduled,
pulled unless its node has the image, started, probed Ready), crash-looping 1 to 4 times with its
back-off, started and probed unready, or never able to pull (ImagePullBackOff). The scripts are
the model's own: a walk over ``enabled_events`` that prefers the lifecycle's next event, made
once per (lifecycle, node) and replayed for every pod that draws them. At the half-way point
every pod's ``kubectl get pods`` columns are counted (STATUS, READY), then every pod is deleted
and followed until the kubelet removes it.

The pods step through :class:`podfsm.engine.StepCache` (one per plan: a Deployment's pods share
the template); the same work without the cache, on ``--uncached`` pods, gives the ratio.
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from both_builds import both_builds  # bench/: each figure beside the pure build's
from podfsm.api import Pod
from podfsm.engine import PodState, StepCache, compile_plan, enabled_events, initial, step
from podfsm.events import (
    ContainerExited,
    ContainerStarted,
    Delete,
    Event,
    ImagePulled,
    ImagePullFailed,
    ProbeResult,
    Schedule,
    Tick,
)
from podfsm.kubelet.snapshot import pod_json, timestamp
from podfsm.machines.pod import PStage
from podfsm.machines.records import PodPlan
from podfsm.oracle import Columns, kubectl_columns

TEMPLATE: dict[str, Any] = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "web", "labels": {"app": "web"}},
    "spec": {
        "terminationGracePeriodSeconds": 30,
        "containers": [
            {
                "name": "web",
                "image": "nginx:1.27",
                "readinessProbe": {"periodSeconds": 10, "failureThreshold": 3},
            }
        ],
    },
}
LIFECYCLES = ("healthy", "crash-looping", "unready", "pull-failing")
WEIGHTS = (70, 15, 10, 5)


def _pick(evs: list[Event], *prefs: Callable[[Event], bool]) -> Event | None:
    for pref in prefs:
        for ev in evs:
            if pref(ev):
                return ev
    return None


def _is(kind: type, **fields: Any) -> Callable[[Event], bool]:
    return lambda ev: type(ev) is kind and all(getattr(ev, k) == v for k, v in fields.items())


def script(
    plan: PodPlan, lifecycle: str, node: str, has_image: bool, rng: random.Random
) -> tuple[list[Event], int]:
    """The events of one lifecycle on one node, and where its half-way snapshot falls."""
    s = initial(plan)
    has_image = has_image and lifecycle != "pull-failing"  # a node with the image never pulls
    events: list[Event] = [Schedule(node, ("nginx:1.27",) if has_image else ())]
    s = step(plan, s, events[0])
    crashes = rng.randint(1, 4) if lifecycle == "crash-looping" else 0
    probes = 0
    while len(events) < 60:
        evs = list(enabled_events(plan, s))
        if lifecycle == "pull-failing":
            ev = _pick(evs, _is(ImagePullFailed), _is(Tick)) if probes < 3 else None
            probes += type(ev) is ImagePullFailed
        elif crashes:
            ev = _pick(
                evs, _is(ImagePulled), _is(ContainerStarted), lambda e: type(e) is ContainerExited, _is(Tick)
            )
            if type(ev) is ContainerExited:
                ev = ContainerExited("web", 1)
                crashes -= 1
        else:
            ready = lifecycle == "healthy"
            ev = _pick(
                evs,
                _is(ImagePulled),
                _is(ContainerStarted),
                _is(ProbeResult, probe="readiness", result="success" if ready else "failure"),
            )
            probes += type(ev) is ProbeResult
            if probes > 3:
                ev = None
        if ev is None:
            break
        events.append(ev)
        s = step(plan, s, ev)
    half = len(events)
    events.append(Delete())
    s = step(plan, s, events[-1])
    while s.stage is not PStage.REMOVED:
        evs = list(enabled_events(plan, s))
        ev = _pick(  # the container stops on SIGTERM, else the grace period runs out; a pull or
            # a start still in flight answers first
            evs,
            _is(ContainerExited, exit_code=0),
            _is(Tick),
            lambda e: type(e) in (ImagePulled, ImagePullFailed, ContainerStarted),
        )
        if ev is None:
            break
        events.append(ev)
        s = step(plan, s, ev)
    return events, half


def run(
    pods: int, nodes: int, seed: int, stepper: Callable[[PodState, Event], PodState], plan: PodPlan
) -> tuple[int, Counter[tuple[str, str]], int, float]:
    """Every pod through its script; returns the events stepped, the columns counted half-way,
    the pods removed and the seconds it took (the scripts are made outside the timing)."""
    rng = random.Random(seed)
    draws = [(rng.choices(LIFECYCLES, WEIGHTS)[0], rng.randrange(nodes)) for _ in range(pods)]
    scripts: dict[tuple[str, int], tuple[list[Event], int]] = {}
    for lifecycle, node in sorted(set(draws)):
        scripts[(lifecycle, node)] = script(
            plan, lifecycle, f"node-{node}", node % 2 == 0, random.Random(node)
        )
    columns: dict[PodState, Columns] = {}
    counted: Counter[tuple[str, str]] = Counter()
    removed = stepped = 0
    t0 = time.perf_counter()
    for key in draws:
        events, half = scripts[key]
        s = initial(plan)
        for i, ev in enumerate(events):
            if i == half:
                cols = columns.get(s)
                if cols is None:
                    cols = columns[s] = kubectl_columns(pod_json(plan, s), now=timestamp(plan, s.t))
                counted[(cols.status, cols.ready)] += 1
            s = stepper(s, ev)
        stepped += len(events)
        removed += s.stage is PStage.REMOVED
    return stepped, counted, removed, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pods", type=int, default=150_000)
    ap.add_argument("--nodes", type=int, default=50)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--uncached", type=int, default=5_000)
    args = ap.parse_args()
    plan = compile_plan(Pod.from_api(TEMPLATE))
    cache = StepCache(plan)
    events, counted, removed, secs = run(args.pods, args.nodes, args.seed, cache.step, plan)
    print(
        f"{args.pods:,} pods on {args.nodes} nodes: {events:,} events in {secs:.1f} s ({events / secs:,.0f} events/s), step cache"
    )
    print(
        f"  cache: {len(cache):,} entries, hit rate {cache.hit_rate:.1%}; removed at the end: {removed:,} pods"
    )
    print(
        "  kubectl get pods, half-way:",
        ", ".join(f"{n:,} {st} {rd}" for (st, rd), n in counted.most_common()),
    )
    ev2, _, _, secs2 = run(args.uncached, args.nodes, args.seed, lambda s, ev: step(plan, s, ev), plan)
    print(
        f"{args.uncached:,} pods without the cache: {ev2:,} events in {secs2:.1f} s ({ev2 / secs2:,.0f} events/s)"
    )
    print("target: 150,000 pods in under 60 s")


if __name__ == "__main__" and not both_builds(__file__):
    main()
