"""Benchmark: pods/s for pod_phase + pod_conditions + kubectl_columns over a generated corpus, and
for pod_report, which gives the three from one read of each pod.

    python bench/oracle.py [--pods 10000] [--seed 1] [--repeat 5]

The corpus is built with a seeded ``random.Random`` (not timed): 1-3 app containers, 0-2 init
containers (some sidecars), every container state the kubelet reports, deletion timestamps,
readiness gates and scheduling conditions. The figure printed is the best of ``--repeat`` runs
on one core (the loop is single-threaded).
"""

from __future__ import annotations

import argparse
import random
import time
from typing import Any

from both_builds import both_builds  # bench/: each figure beside the pure build's
from podfsm import kubectl_columns, pod_conditions, pod_phase, pod_report

POLICIES = ("Always", "OnFailure", "Never")


def _state(rng: random.Random) -> tuple[dict[str, Any], dict[str, Any]]:
    roll = rng.random()
    finished = f"2026-11-23T10:{rng.randrange(60):02d}:{rng.randrange(60):02d}Z"
    last: dict[str, Any] = {}
    if rng.random() < 0.4:
        code = rng.choice((0, 1, 137))
        last = {
            "terminated": {
                "exitCode": code,
                "reason": "Completed" if code == 0 else "Error",
                "finishedAt": finished,
            }
        }
    if roll < 0.35:
        return {"running": {"startedAt": "2026-11-23T10:00:00Z"}}, last
    if roll < 0.6:
        reason = rng.choice(
            (
                "ContainerCreating",
                "PodInitializing",
                "CrashLoopBackOff",
                "ErrImagePull",
                "ImagePullBackOff",
                "",
            )
        )
        return {"waiting": {"reason": reason} if reason else {}}, last
    if roll < 0.95:
        code = rng.choice((0, 0, 1, 2, 137))
        term: dict[str, Any] = {"exitCode": code, "finishedAt": finished}
        if rng.random() < 0.8:
            term["reason"] = "Completed" if code == 0 else rng.choice(("Error", "OOMKilled"))
        return {"terminated": term}, last
    return {}, last


def _status(rng: random.Random, name: str) -> dict[str, Any]:
    state, last = _state(rng)
    return {
        "name": name,
        "state": state,
        "lastState": last,
        "ready": "running" in state and rng.random() < 0.7,
        "started": "running" in state and rng.random() < 0.8,
        "restartCount": rng.choice((0, 0, 0, 1, 2, 5)),
    }


def make_pod(rng: random.Random, i: int) -> dict[str, Any]:
    """One random but well-formed v1 Pod."""
    inits = [
        {"name": f"init{j}"} | ({"restartPolicy": "Always"} if rng.random() < 0.4 else {})
        for j in range(rng.randrange(3))
    ]
    apps = [{"name": f"app{j}"} for j in range(1 + rng.randrange(3))]
    spec: dict[str, Any] = {
        "restartPolicy": rng.choice(POLICIES),
        "initContainers": inits,
        "containers": apps,
    }
    if rng.random() < 0.1:
        spec["readinessGates"] = [{"conditionType": "example.com/gate"}]
    status: dict[str, Any] = {"phase": rng.choice(("Pending", "Running", "Running", "Succeeded", "Failed"))}
    conditions = [{"type": "PodScheduled", "status": "True"}]
    if rng.random() < 0.5:
        conditions.append({"type": "Initialized", "status": rng.choice(("True", "False"))})
        conditions.append({"type": "Ready", "status": rng.choice(("True", "False"))})
    status["conditions"] = conditions
    if rng.random() < 0.95:
        status["initContainerStatuses"] = [_status(rng, c["name"]) for c in inits if rng.random() < 0.9]
        status["containerStatuses"] = [_status(rng, c["name"]) for c in apps if rng.random() < 0.9]
    metadata: dict[str, Any] = {"name": f"pod-{i}"}
    if rng.random() < 0.1:
        metadata["deletionTimestamp"] = "2026-11-23T11:00:00Z"
    return {"apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec, "status": status}


def run(pods: list[dict[str, Any]]) -> float:
    start = time.perf_counter()
    for pod in pods:
        pod_phase(pod)
        pod_conditions(pod)
        kubectl_columns(pod)
    return time.perf_counter() - start


def run_report(pods: list[dict[str, Any]]) -> float:
    start = time.perf_counter()
    for pod in pods:
        pod_report(pod)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pods", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    corpus = [make_pod(rng, i) for i in range(args.pods)]
    phases: dict[str, int] = {}
    for pod in corpus:
        phases[pod_phase(pod)] = phases.get(pod_phase(pod), 0) + 1
    best = min(run(corpus) for _ in range(args.repeat))
    once = min(run_report(corpus) for _ in range(args.repeat))
    print(f"corpus: {len(corpus)} pods (seed {args.seed}), computed phases {dict(sorted(phases.items()))}")
    print(
        f"oracle: {len(corpus) / best:,.0f} pods/s (pod_phase + pod_conditions + kubectl_columns, best of {args.repeat})"
    )
    print(f"oracle, one read: {len(corpus) / once:,.0f} pods/s (pod_report: the same three answers)")


if __name__ == "__main__" and not both_builds(__file__):
    main()
