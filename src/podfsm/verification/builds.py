"""The differential check that holds the compiled build to the pure-Python one (issue 12).

:func:`digest` runs seeded random walks over the model's enabled events for a set of pods and
hashes, after every step, the state (sets sorted: the processes' string hashes differ), the v1 Pod JSON, the enabled events and the Kubernetes Events
emitted; and it explores every pinned configuration (``MODELS``) counting states. Run in two
processes, one per build (``PODFSM_PURE=1`` forces the pure one), the digests must be equal::

    python -m podfsm.verification.builds            # one JSON object: the build and its digests
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from typing import Any, Final

from podfsm._build import build
from podfsm.api import Pod
from podfsm.engine import compile_plan, enabled_events, initial, step
from podfsm.events import event_to_dict
from podfsm.kubelet.snapshot import pod_json
from podfsm.machines.records import KEvent
from podfsm.model import DEFAULT, Model
from podfsm.oracle import kubectl_columns
from podfsm.verification.explorer import MODELS, explore

__all__ = ["PODS", "digest", "walk_digests"]

PODS: Final[dict[str, dict[str, Any]]] = {
    "sidecar-probes-hooks": {
        "metadata": {"name": "mixed"},
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
                    "lifecycle": {"preStop": {"exec": {"command": ["drain"]}}, "postStart": {"exec": {}}},
                },
                {"name": "worker", "image": "worker:latest", "startupProbe": {"periodSeconds": 5}},
            ],
        },
    },
    "job-sidecar-never-deadline": {
        "metadata": {"name": "job"},
        "spec": {
            "restartPolicy": "Never",
            "activeDeadlineSeconds": 60,
            "readinessGates": [{"conditionType": "example.com/ready"}],
            "initContainers": [{"name": "log", "image": "log:1", "restartPolicy": "Always"}],
            "containers": [{"name": "run", "image": "run:1", "imagePullPolicy": "IfNotPresent"}],
        },
    },
    "never-pull": {
        "metadata": {"name": "np"},
        "spec": {"containers": [{"name": "n", "image": "n:1", "imagePullPolicy": "Never"}]},
    },
    "onfailure-two-inits": {
        "metadata": {"name": "onf"},
        "spec": {
            "restartPolicy": "OnFailure",
            "terminationGracePeriodSeconds": 5,
            "initContainers": [{"name": "a", "image": "a:1"}, {"name": "b", "image": "b:1"}],
            "containers": [{"name": "c", "image": "c:1", "imagePullPolicy": "Always"}],
        },
    },
}


def _canon(v: Any) -> str:
    """``repr`` with sets sorted: the same text whatever Python's string-hash seed is."""
    if isinstance(v, (set, frozenset)):
        return "{" + ", ".join(sorted(_canon(x) for x in v)) + "}"
    if isinstance(v, tuple):
        return f"{type(v).__name__}({', '.join(_canon(x) for x in v)})"
    return repr(v)


def _walk_digest(pod: dict[str, Any], seeds: range, steps: int, model: Model) -> str:
    plan = compile_plan(Pod.from_api(pod), model=model)
    h = hashlib.sha256()
    for seed in seeds:
        rng = random.Random(seed)
        s, prev = initial(plan), None
        for i in range(steps):
            evs = enabled_events(plan, s)
            h.update(_canon(s).encode())
            h.update(json.dumps([event_to_dict(e) for e in evs], sort_keys=True).encode())
            if not evs:
                break
            # Deletes only in the last fifth of a walk, so that walks live long enough to restart,
            # back off and crash-loop.
            alive = [e for e in evs if e.NAME not in ("delete", "evict")] if i < steps * 4 // 5 else []
            out: list[KEvent] = []
            s = step(plan, s, rng.choice(alive or evs), out=out)
            prev = pod_json(plan, s, prev)
            h.update(json.dumps(prev, sort_keys=True).encode())
            h.update(repr(kubectl_columns(prev)).encode())
            h.update(json.dumps([e.to_dict() for e in out], sort_keys=True).encode())
    return h.hexdigest()


def walk_digests(seeds: range = range(20), steps: int = 60, model: Model = DEFAULT) -> dict[str, str]:
    """Per pod of :data:`PODS`, the digest of its seeded walks under ``model``."""
    return {name: _walk_digest(pod, seeds, steps, model) for name, pod in PODS.items()}


def digest(seeds: range = range(20), steps: int = 60, model: Model = DEFAULT) -> dict[str, Any]:
    """The build that ran and, per pod, the walks' digest; per pinned configuration, the explorer's
    counts (``model``: the model value to run, Kubernetes' by default)."""
    walks = walk_digests(seeds, steps, model)
    counts = {}
    for name, m in MODELS.items():
        r = explore(
            compile_plan(Pod.from_api(m.pod), model=model),
            max_depth=m.max_depth,
            max_restarts=m.max_restarts,
            check=False,
        )
        counts[name] = [r.states, r.transitions, r.depth, r.cut_depth, r.cut_restarts, r.quiescent, r.removed]
    return {"build": build().name, "walks": walks, "explorer": counts}


if __name__ == "__main__":
    json.dump(digest(), sys.stdout, sort_keys=True)
    sys.stdout.write("\n")
