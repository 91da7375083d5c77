"""``enabled_events`` is derived from the model's tables; brute force checks the derivation.

Every candidate event (every event kind, on every container, with each hook, probe and result) is
applied to every state the explorer reaches in each pinned configuration of
:data:`podfsm.verification.explorer.MODELS`: an event kind is legal (``step`` accepts it) exactly when
``enabled_events`` offers an event of that kind, and everything it offers is legal. Ticks are left
out: time may always pass (up to the clock's end); the enabled tick is the one to the next timer.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from podfsm.api import Pod
from podfsm.cluster import ClusterPlan, cluster_enabled_events, cluster_plan, cluster_step, initial_cluster
from podfsm.engine import compile_plan, enabled_events, refusal, step
from podfsm.errors import IllegalTransition
from podfsm.events import (
    ContainerExited,
    ContainerStarted,
    ContainerStartFailed,
    Delete,
    Event,
    Evict,
    HookFinished,
    ImagePulled,
    ImagePullFailed,
    NodeDeleted,
    NodeHeartbeat,
    NodeHeartbeatsStop,
    NodeOutOfService,
    NodePressure,
    PodCondition,
    ProbeResult,
    Schedule,
    Tick,
    Unschedulable,
)
from podfsm.machines.records import PodPlan, PodState
from podfsm.verification.explorer import MODELS, explore


def kind_of(ev: Event) -> tuple[Any, ...]:
    """What legality depends on: the event's class and what it addresses, not its payload (an exit
    code, a reason, a result, a grace period)."""
    if isinstance(ev, HookFinished):
        return (HookFinished, ev.container, ev.hook)
    if isinstance(ev, ProbeResult):
        return (ProbeResult, ev.container, ev.probe)
    if isinstance(ev, PodCondition):
        return (PodCondition, ev.type)
    if isinstance(ev, Delete | Evict):
        return (Delete,)  # both are an API DELETE
    container = getattr(ev, "container", None)
    return (type(ev),) if container is None else (type(ev), container)


def candidates(plan: PodPlan) -> list[Event]:
    """Every event kind the environment can send this pod, each addressed every way it can be."""
    out: list[Event] = [Schedule("node-1"), Unschedulable(), Delete(), Delete(0), Evict()]
    out += [PodCondition(g, v) for g in plan.gates for v in ("True", "False")]
    for cp in plan.containers:
        n = cp.name
        out += [
            ImagePulled(n),
            ImagePullFailed(n),
            ContainerStarted(n),
            ContainerStartFailed(n, "CreateContainerConfigError"),
            ContainerStartFailed(n, "RunContainerError"),
            ContainerExited(n, 0),
            ContainerExited(n, 137),
        ]
        out += [HookFinished(n, h, r) for h in ("postStart", "preStop") for r in ("success", "failure")]
        out += [
            ProbeResult(n, p, r) for p in ("startup", "liveness", "readiness") for r in ("success", "failure")
        ]
    return out


def reachable(plan: PodPlan, name: str) -> list[PodState]:
    m = MODELS[name]
    states: list[PodState] = []
    explore(plan, max_depth=m.max_depth, max_restarts=m.max_restarts, check=False, on_state=states.append)
    return states


def _legal(plan: PodPlan, s: PodState, ev: Event) -> bool:
    try:
        step(plan, s, ev)
    except IllegalTransition:
        return False
    return True


@pytest.mark.parametrize("name", list(MODELS))
def test_enabled_events_offer_exactly_the_legal_kinds(name: str) -> None:
    """On every reachable state: the kinds step accepts == the kinds enabled_events offers; each
    offered event is accepted; refusal() agrees with step on every candidate."""
    plan = compile_plan(Pod.from_api(MODELS[name].pod))
    pool = candidates(plan)
    states = reachable(plan, name)
    assert states
    for s in states:
        offered = enabled_events(plan, s)
        assert all(_legal(plan, s, ev) for ev in offered), (s, offered)
        legal = set()
        for ev in pool:
            ok = _legal(plan, s, ev)
            assert ok == (refusal(plan, s, ev) is None), (s, ev)
            if ok:
                legal.add(kind_of(ev))
        derived = {kind_of(ev) for ev in offered if not isinstance(ev, Tick)}
        assert legal == derived, (name, s, sorted(map(str, legal ^ derived)))


def test_the_brute_force_sees_a_missing_move() -> None:
    """The check is not vacuous: dropping one offered kind from the derivation is noticed."""
    plan = compile_plan(Pod.from_api(MODELS["single-always"].pod))
    states = reachable(plan, "single-always")
    s = next(s for s in states if any(isinstance(e, ContainerExited) for e in enabled_events(plan, s)))
    legal = {kind_of(ev) for ev in candidates(plan) if _legal(plan, s, ev)}
    crippled = {kind_of(ev) for ev in enabled_events(plan, s) if not isinstance(ev, Tick | ContainerExited)}
    assert legal != crippled


# ---------------------------------------------------------------------------------------------
# The cluster: several pods on one node
# ---------------------------------------------------------------------------------------------


def _cluster_candidates(plan: ClusterPlan) -> list[Event]:
    out: list[Event] = []
    for name, pplan in zip(plan.names, plan.pods, strict=True):
        for ev in candidates(pplan):
            if isinstance(ev, Schedule):
                ev = Schedule(plan.node.name or "node-1")
            out.append(dataclasses.replace(ev, pod=name))
    out += [NodeHeartbeat(ready=True), NodeHeartbeat(ready=False), NodeHeartbeatsStop(), NodeOutOfService()]
    out += [NodePressure(type=k, active=a) for k in ("memory", "disk", "pid") for a in (True, False)]
    out.append(NodeDeleted())
    return out


def _cluster_kind(ev: Event) -> tuple[Any, ...]:
    if isinstance(ev, NodePressure):
        return (NodePressure, ev.type, ev.active)
    if isinstance(ev, NodeHeartbeat):
        return (NodeHeartbeat, ev.ready)
    return (getattr(ev, "pod", None), *kind_of(ev))


def _cluster_pod(name: str, **spec: Any) -> Pod:
    return Pod.from_api(
        {"metadata": {"name": name}, "spec": {"containers": [{"name": "app", "image": "app:1"}], **spec}}
    )


def test_cluster_enabled_events_offer_exactly_the_legal_kinds() -> None:
    """Seeded random walks over two pods on one node (taints, pressure, a silent kubelet, deletion):
    on every state the kinds cluster_step accepts == the kinds cluster_enabled_events offers."""
    import random

    pods = [
        _cluster_pod("a"),
        _cluster_pod(
            "b",
            restartPolicy="OnFailure",
            tolerations=[
                {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute"}
            ],
        ),
    ]
    plan = cluster_plan(pods)
    pool = _cluster_candidates(plan)
    rng = random.Random(5)
    checked = 0
    for _ in range(25):
        cl = initial_cluster(plan)
        for _ in range(30):
            offered = cluster_enabled_events(plan, cl)
            legal = set()
            for ev in pool:
                try:
                    cluster_step(plan, cl, ev)
                except IllegalTransition:
                    continue
                legal.add(_cluster_kind(ev))
            derived = {_cluster_kind(ev) for ev in offered if not isinstance(ev, Tick)}
            assert legal == derived, (cl, sorted(map(str, legal ^ derived)))
            checked += 1
            if not offered:
                break
            ev = rng.choice(offered)
            if isinstance(ev, Tick):
                ev = Tick(rng.randint(1, ev.seconds))
            cl = cluster_step(plan, cl, ev)
    assert checked > 300
