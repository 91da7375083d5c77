"""Benchmark: explorer states/s and memory per stored state, for a pod with 1 init, 1 sidecar and 2 app containers.

    python bench/explorer.py [--max-depth 13] [--max-restarts 1] [--workers 2]

Runs of ``podfsm.verification.explorer.explore`` on the same pod and bounds (restartPolicy Always,
IfNotPresent images):

* count only (``check=False``): the search itself — ``enabled_events``, ``step`` for every
  enabled event, the visited-set key;
* checked: the same search with every registered property (a v1 Pod object per transition, every
  always property per state, every step property per transition); a violation stops a search,
  so a property the model violates (see the README's findings) is left out and named;
* the same two searches with ``--workers`` processes (``explore_parallel``, default 2), and the
  speed-up over one process in the same run;
* memory: the count-only search under ``tracemalloc``; the peak of traced memory divided by the
  stored states is the cost of one state with its key, its parent link, its event and the
  frontier (slower: tracing is not timed).

States are counted by the visited-set key (times relative to now; see ``podfsm.verification.explorer``).
"""

from __future__ import annotations

import argparse
import gc
import tracemalloc

from both_builds import both_builds  # bench/: each figure beside the pure build's
from podfsm.api import Pod
from podfsm.engine import compile_plan
from podfsm.verification.explorer import explore
from podfsm.verification.invariants import properties
from podfsm.verification.parallel import explore_parallel

POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "bench"},
    "spec": {
        "restartPolicy": "Always",
        "initContainers": [
            {"name": "setup", "image": "setup:1", "imagePullPolicy": "IfNotPresent"},
            {
                "name": "proxy",
                "image": "proxy:1",
                "imagePullPolicy": "IfNotPresent",
                "restartPolicy": "Always",
            },
        ],
        "containers": [
            {"name": "app", "image": "app:1", "imagePullPolicy": "IfNotPresent"},
            {"name": "worker", "image": "worker:1", "imagePullPolicy": "IfNotPresent"},
        ],
    },
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-depth", type=int, default=13)
    parser.add_argument("--max-restarts", type=int, default=1)
    parser.add_argument(
        "--workers", type=int, default=2, help="also search with this many processes (1: do not)"
    )
    args = parser.parse_args()
    plan = compile_plan(Pod.from_api(POD))
    bounds = {"max_depth": args.max_depth, "max_restarts": args.max_restarts}

    r = explore(plan, check=False, **bounds)
    print(
        f"count only  {r.states:>9,} states  {r.transitions:>9,} transitions  {r.seconds:6.2f}s  "
        f"{r.rate:>9,.0f} states/s  {r.transitions / r.seconds:>9,.0f} transitions/s"
    )
    one_count = r.seconds
    if args.workers > 1:
        w = explore_parallel(plan, workers=args.workers, check=False, **bounds)
        assert (w.states, w.transitions) == (r.states, r.transitions)
        print(
            f"count only, --workers {args.workers}: {w.states:,} states  {w.seconds:6.2f}s  {w.rate:>9,.0f} states/s  "
            f"speed-up {one_count / w.seconds:.2f}x"
        )
    props = properties()
    excluded: list[str] = []
    while True:  # a violation stops a search: leave out what the model violates, to time a whole search
        r = explore(compile_plan(Pod.from_api(POD)), check=True, props=props, **bounds)
        if r.violation is None:
            break
        excluded.append(r.violation.prop.name)
        props = [p for p in props if p.name != r.violation.prop.name]
    print(
        f"checked     {r.states:>9,} states  {r.transitions:>9,} transitions  {r.seconds:6.2f}s  "
        f"{r.rate:>9,.0f} states/s  ({len(props)} properties; left out, violated by the model: "
        f"{', '.join(excluded) or 'none'})"
    )
    if args.workers > 1:
        w = explore_parallel(plan, workers=args.workers, check=True, props=props, **bounds)
        assert (w.states, w.transitions, w.violation) == (r.states, r.transitions, None)
        print(
            f"checked, --workers {args.workers}: {w.states:,} states  {w.seconds:6.2f}s  {w.rate:>9,.0f} states/s  "
            f"speed-up {r.seconds / w.seconds:.2f}x"
        )
    gc.collect()
    tracemalloc.start()
    r = explore(compile_plan(Pod.from_api(POD)), check=False, **bounds)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"memory      {peak / 2**20:8.1f} MiB peak for {r.states:,} states: {peak / r.states:,.0f} B per stored state"
    )
    print("target: >= 100,000 states/s count only, 30,000 checked; --workers 2 at least 1.7x one process")


if __name__ == "__main__" and not both_builds(__file__):
    main()
