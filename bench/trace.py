"""Benchmark: trace observations checked per second (``podfsm check-trace``, issue 13).

    python bench/trace.py [--observations 1000] [--repeat 3]

Two traces of one crash-looping pod (busybox exiting 1 under restartPolicy Always: pulls, starts,
exits, CrashLoopBackOff with its growing back-off, ticks), made by the simulator (not timed):

* objects: the v1 Pod object it publishes after every event, as ``kubectl get pod -w -o json``
  prints them (``--observations`` of them, starting at the pod's creation);
* rows: the ``kubectl get pods -w`` row after every event (READY, STATUS, RESTARTS).

Each is checked with ``podfsm.check_trace`` (the objects with the spec read from the first
object, the rows with ``--pod``); the figure is observations/s, best of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from both_builds import both_builds  # bench/: each figure beside the pure build's
from podfsm.api import Pod
from podfsm.engine import compile_plan, enabled_events, initial, step
from podfsm.events import ContainerExited, Delete, Event, Evict, Tick, Unschedulable
from podfsm.kubelet.snapshot import pod_json, timestamp
from podfsm.oracle import kubectl_columns
from podfsm.traces import Observation, ObsKind, check_trace
from podfsm.traces.observations import object_observation

POD: dict[str, Any] = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "crashy"},
    "spec": {
        "restartPolicy": "Always",
        "containers": [{"name": "app", "image": "busybox:1.36", "command": ["sh", "-c", "exit 1"]}],
    },
}


def _next(evs: list[Event]) -> Event:
    """The crash loop's next event: the runtime's answers, an exit 1, else time to the next timer."""
    for ev in evs:
        if isinstance(ev, ContainerExited):
            return ContainerExited(ev.container, 1)
    for ev in evs:
        if not isinstance(ev, (Tick, Delete, Evict, Unschedulable, ContainerExited)) and type(
            ev
        ).__name__ in (
            "Schedule",
            "ImagePulled",
            "ContainerStarted",
        ):
            return ev
    return next(ev for ev in evs if isinstance(ev, Tick))


def traces(n: int) -> tuple[list[Observation], list[Observation]]:
    """``n`` Pod objects and ``n`` kubectl rows of the crash-looping pod, one after each event."""
    plan = compile_plan(Pod.from_api(POD))
    s = initial(plan)
    objects: list[Observation] = []
    rows: list[Observation] = []
    prev = None
    for i in range(1, n + 1):
        pod = pod_json(plan, s, prev)
        prev = pod
        objects.append(object_observation(pod, i))
        cols = kubectl_columns(pod, now=timestamp(plan, s.t))
        rows.append(
            Observation(
                i, "crashy", ObsKind.ROW, ready=cols.ready, status=cols.status, restarts=cols.restarts
            )
        )
        s = step(plan, s, _next(list(enabled_events(plan, s))))
    return objects, rows


def _rate(pod: dict[str, Any] | None, trace: list[Observation], repeat: int) -> tuple[float, int]:
    best = float("inf")
    events = 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        v = check_trace(pod, trace)
        best = min(best, time.perf_counter() - t0)
        assert v.conforms, v.failure
        events = v.events
    return len(trace) / best, events


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--observations", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    objects, rows = traces(args.observations)
    restarts = rows[-1].restarts
    print(f"crash-looping pod, {args.observations} observations, {restarts} restarts by the last one")
    for label, pod, trace in (("objects (-o json)", None, objects), ("rows (kubectl -w)", POD, rows)):
        rate, events = _rate(pod, trace, args.repeat)
        print(f"{label:18} {rate:10,.0f} observations/s   (witness: {events:,} model events; target 2,000)")


if __name__ == "__main__" and not both_builds(__file__):
    main()
