"""The v1 Pod object of a model state: what ``kubectl get pod -o json`` would print.

The container statuses come from the model's ``container_view`` (:func:`podfsm.kubelet.container_view`); the conditions from the
oracle's generate.go functions with the published phase; ``lastTransitionTime`` only moves when a
condition's status changes (``updateStatusInternal``), so the builder takes the previous object.
When the pod is finished, ``TerminatePod`` rewrites the statuses of containers that never
terminated (``ContainerStatusUnknown``, exit 137).
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any, Final

from podfsm.kubelet import KUBELET_DISRUPTION_REASON
from podfsm.machines.records import ContainerKind, ContainerPlan, Ctr, PodPlan, PodState, Term, View
from podfsm.oracle import (
    Condition,
    containers_ready_condition,
    pod_initialized_condition,
)
from podfsm.timefmt import parse_time

__all__ = ["condition", "disruption_shown", "pod_json", "terminate_pod", "timestamp"]

CONTAINER_STATUS_UNKNOWN_MESSAGE: Final = "The container could not be located when the pod was terminated"
_CONDITION_ORDER: Final = (
    "PodReadyToStartContainers",
    "Initialized",
    "Ready",
    "ContainersReady",
    "PodScheduled",
)


_TIMESTAMPS: dict[tuple[str, int], str] = {}
_HASHES: dict[tuple[object, ...], str] = {}


def timestamp(plan: PodPlan, t: int) -> str:
    """The RFC 3339 wall time of logical second ``t``."""
    key = (plan.config.epoch, t)
    text = _TIMESTAMPS.get(key)
    if text is None:
        text = (parse_time(plan.config.epoch) + timedelta(seconds=t)).strftime("%Y-%m-%dT%H:%M:%SZ")
        if len(_TIMESTAMPS) > 100_000:
            _TIMESTAMPS.clear()
        _TIMESTAMPS[key] = text
    return text


def _hash(*parts: object) -> str:
    """A deterministic 64-hex id (container and image ids are not modelled, only their presence)."""
    text = _HASHES.get(parts)
    if text is None:
        text = hashlib.sha256("/".join(map(str, parts)).encode("utf-8", "surrogatepass")).hexdigest()
        if len(_HASHES) > 100_000:
            _HASHES.clear()
        _HASHES[parts] = text
    return text


def _term_json(plan: PodPlan, term: Term, container_id: str) -> dict[str, Any]:
    out: dict[str, Any] = {"exitCode": term.exit_code, "reason": term.reason}
    if term.message:
        out["message"] = term.message
    out["startedAt"] = timestamp(plan, term.started_at)
    out["finishedAt"] = timestamp(plan, term.finished_at)
    out["containerID"] = container_id
    return out


def _status_json(plan: PodPlan, cp: ContainerPlan, v: View, restarts: int) -> dict[str, Any]:
    instance = restarts + (1 if v.kind == "terminated" or v.kind == "running" else 0)
    cid = f"containerd://{_hash(plan.uid, cp.name, instance)}"
    state: dict[str, Any]
    if v.kind == "running":
        state = {"running": {"startedAt": timestamp(plan, v.started_at)}}
    elif v.kind == "terminated":
        assert v.term is not None
        state = {"terminated": _term_json(plan, v.term, cid)}
    else:
        waiting: dict[str, Any] = {"reason": v.reason}
        if v.message:
            waiting["message"] = v.message
        state = {"waiting": waiting}
    last: dict[str, Any] = {}
    if v.last is not None:
        last = {"terminated": _term_json(plan, v.last, f"containerd://{_hash(plan.uid, cp.name, restarts)}")}
    status: dict[str, Any] = {"name": cp.name, "image": cp.image}
    if v.kind != "waiting" or v.last is not None:
        status["imageID"] = f"{cp.image}@sha256:{_hash(cp.image)}"
        status["containerID"] = cid
    else:
        status["imageID"] = ""
    status.update(
        {"state": state, "lastState": last, "ready": v.ready, "restartCount": restarts, "started": v.started}
    )
    return status


# The plan's memo of JSON pieces is small on purpose: it holds the pieces a pod shows again soon
# (an unchanged container, the initial state of the next run of the same pod, the few condition
# sets), and it is cleared when full. A large one scans worse in the CPU cache and, kept alive by
# the plan, makes every full pass of the garbage collector longer: a Simulator, whose history
# promotes objects, paid that pass (bench/simulate.py, cold plans, 2026-12-06: full JSON 37,800
# events/s and Simulator.apply 21,600 with 32-256 entries; 33,900 and 15,400 with 50,000).
_MEMO_MAX: Final = 256


def _remember(plan: PodPlan, key: object, value: Any) -> None:
    """Store ``value`` in the plan's memo under ``key``; a full memo is emptied first."""
    memo = plan.memo
    if len(memo) >= _MEMO_MAX:
        memo.clear()
    memo[key] = value


def _cached_status(plan: PodPlan, cp: ContainerPlan, c: Ctr) -> dict[str, Any]:
    """The status JSON of ``c``, shared between snapshots while the container does not change."""
    key = (cp.idx, c)
    status: dict[str, Any] | None = plan.memo.get(key)
    if status is None:
        status = _status_json(plan, cp, plan.model.container_view(plan, cp, c), c.restarts)
        _remember(plan, key, status)
    return status


def _has_pod_initialized(plan: PodPlan, statuses: list[dict[str, Any]]) -> bool:
    """status_manager.go ``hasPodInitialized``."""
    if not plan.init_idx:
        return True
    for cp, st in zip(plan.containers, statuses, strict=True):
        if cp.kind is ContainerKind.REGULAR and (
            st["lastState"].get("terminated") or "waiting" not in st["state"]
        ):
            return True
    last_cp = plan.containers[plan.init_idx[-1]]
    st = statuses[plan.init_idx[-1]]
    if last_cp.kind is ContainerKind.SIDECAR:
        return "running" in st["state"] and bool(st["started"])
    for term in (st["state"].get("terminated"), st["lastState"].get("terminated")):
        if term is not None and term["exitCode"] == 0:
            return True
    return False


def terminate_pod(plan: PodPlan, statuses: list[dict[str, Any]]) -> None:
    """status_manager.go ``TerminatePod``: non-terminated statuses become ContainerStatusUnknown (137)."""
    unknown = {
        "exitCode": 137,
        "reason": "ContainerStatusUnknown",
        "message": CONTAINER_STATUS_UNKNOWN_MESSAGE,
    }
    if _has_pod_initialized(plan, statuses):
        for cp, st in zip(plan.containers, statuses, strict=True):
            if cp.kind is ContainerKind.REGULAR and "terminated" not in st["state"]:
                st["state"] = {"terminated": dict(unknown)}
    # init containers: all but the trailing never-started ones (initializedContainers keeps at least the first)
    inits = [statuses[i] for i in plan.init_idx]
    keep = len(inits)
    while keep > 1 and "waiting" in inits[keep - 1]["state"] and not inits[keep - 1]["lastState"]:
        keep -= 1
    for st in inits[:keep]:
        if "terminated" not in st["state"]:
            st["state"] = {"terminated": dict(unknown)}


def condition(
    ctype: str, status: str, reason: str, message: str, t: str, prev: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    old = prev.get(ctype)
    since = old["lastTransitionTime"] if old is not None and old.get("status") == status else t
    out: dict[str, Any] = {
        "type": ctype,
        "status": status,
        "lastProbeTime": None,
        "lastTransitionTime": since,
    }
    if reason:
        out["reason"] = reason
    if message:
        out["message"] = message
    return out


def _generated_conditions(
    plan: PodPlan,
    spec: dict[str, Any],
    statuses: list[dict[str, Any]],
    phase: str,
    finished: bool,
    gates: tuple[tuple[str, str], ...],
) -> tuple[Condition, ...]:
    """The kubelet's conditions in ``generateAPIPodStatus`` order, from the oracle's generate.go functions.

    ``phase`` is the phase the kubelet computed (the model's ``kubelet_phase``, :func:`podfsm.kubelet.kubelet_phase`), not the
    published one. The readiness gates are checked against the condition list as it stands when
    ``GeneratePodReadyCondition`` runs: the other controllers' conditions as the kubelet synced
    them and DisruptionTarget (``gates``), then PodReadyToStartContainers and Initialized, just
    generated. Ready, ContainersReady and PodScheduled come after it, so a gate naming one of them
    finds no condition. They read only each status's state kind, ``ready`` and ``started``, the
    phase and ``gates``: memoized on those.
    """
    key = (
        "conditions",
        phase,
        finished,
        tuple((next(iter(st["state"])), st["ready"], st["started"]) for st in statuses),
        gates if plan.gates else (),
    )
    cached: tuple[Condition, ...] | None = plan.memo.get(key)
    if cached is None:
        by_name = {st["name"]: st for st in statuses}
        containers_ready = containers_ready_condition(spec, by_name, phase)
        # PodReadyToStartContainers: the sandbox is gone once finished
        ready_to_start = Condition("False" if finished else "True")
        initialized = pod_initialized_condition(spec, by_name, phase)
        seen = [
            *({"type": t, "status": v} for t, v in gates),
            {"type": "PodReadyToStartContainers", "status": ready_to_start.status},
            {"type": "Initialized", "status": initialized.status},
        ]
        cached = (
            ready_to_start,
            initialized,
            plan.model.pod_ready_condition(spec, seen, containers_ready),
            containers_ready,
            Condition("True"),  # PodScheduled
        )
        _remember(plan, key, cached)
    return cached


def disruption_shown(s: PodState) -> bool:
    """True iff the API object carries the DisruptionTarget condition. The Eviction API, the taint
    manager and PodGC write theirs at once; the kubelet's own (an eviction, ``TerminationByKubelet``)
    is sent only with the terminal phase, once no container may run (status_manager.go
    ``mergePodStatus``: "only be sent once all containers have terminated and the phase is terminal")."""
    if s.disruption is None:
        return False
    return s.disruption[0] != KUBELET_DISRUPTION_REASON or s.phase.is_terminal


def pod_json(plan: PodPlan, s: PodState, prev: dict[str, Any] | None = None) -> dict[str, Any]:
    """The complete v1 Pod for state ``s`` (``prev``: the object before, for ``lastTransitionTime``)."""
    now = timestamp(plan, s.t)
    # The spec and metadata are shared with the plan below the top level: treat the object as read-only.
    pod: dict[str, Any] = dict(plan.raw)
    metadata = pod["metadata"] = dict(plan.raw["metadata"])
    spec = pod["spec"] = dict(plan.raw["spec"])
    if s.deletion_at >= 0:
        metadata["deletionTimestamp"] = timestamp(plan, s.deletion_at)
        metadata["deletionGracePeriodSeconds"] = s.deletion_grace
    status: dict[str, Any] = {"phase": str(s.phase)}
    prev_conditions = {c["type"]: c for c in ((prev or {}).get("status") or {}).get("conditions") or ()}
    conditions: list[dict[str, Any]] = []
    if plan.model.disruption_shown(s):  # kept first, as generateAPIPodStatus keeps others' conditions
        assert s.disruption is not None
        reason, message = s.disruption
        conditions.append(
            plan.model.condition("DisruptionTarget", "True", reason, message, now, prev_conditions)
        )
    for ctype, cstatus, creason, cmessage in s.conditions:  # other controllers': kept before the kubelet's
        conditions.append(plan.model.condition(ctype, cstatus, creason, cmessage, now, prev_conditions))
    if not s.node and s.sched_msg:  # FailedScheduling (a removed unscheduled pod keeps it)
        conditions.append(
            plan.model.condition("PodScheduled", "False", "Unschedulable", s.sched_msg, now, prev_conditions)
        )
    elif s.node:
        spec["nodeName"] = s.node
        finished = s.terminated  # TerminatePod ran: not for a pod the API removed without the kubelet
        if finished:
            statuses = [
                _status_json(plan, cp, plan.model.container_view(plan, cp, c), c.restarts)
                for cp, c in zip(plan.containers, s.ctrs, strict=True)
            ]
            plan.model.terminate_pod(plan, statuses)
            if s.reason:
                status["reason"] = s.reason
                status["message"] = s.message
        else:
            statuses = [_cached_status(plan, cp, c) for cp, c in zip(plan.containers, s.ctrs, strict=True)]
        gates = s.synced_conditions
        if plan.gates and plan.model.disruption_shown(s):
            gates = (*gates, ("DisruptionTarget", "True"))
        # The conditions follow the kubelet's phase (generateAPIPodStatus), not the published one.
        phase = str(plan.model.conditions_phase(plan, s))
        generated = _generated_conditions(plan, spec, statuses, phase, finished, gates)
        for ctype, g in zip(_CONDITION_ORDER, generated, strict=True):
            status_ = "False" if ctype == "Ready" and s.not_ready_marked else g.status  # MarkPodsNotReady
            conditions.append(plan.model.condition(ctype, status_, g.reason, g.message, now, prev_conditions))
        status["startTime"] = timestamp(plan, s.start_time)
        status["hostIP"] = "10.0.0.1"
        status["podIP"] = f"10.244.0.{int(_hash(plan.uid)[:2], 16) % 250 + 2}"
        status["initContainerStatuses"] = [statuses[i] for i in plan.init_idx] if plan.init_idx else None
        status["containerStatuses"] = [statuses[i] for i in plan.regular_idx]
        if status["initContainerStatuses"] is None:
            del status["initContainerStatuses"]
    if conditions:
        status["conditions"] = conditions
    status["qosClass"] = plan.qos_class
    pod["status"] = status
    return pod
