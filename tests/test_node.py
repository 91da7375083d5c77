"""podfsm.machines.node: the node table decides every (state, event) pair, its rows cite their source, the
compiled and ``transitions`` paths agree, and the Node object shows what Kubernetes shows.

Expected values come from k8s-semantics.md §1 (N1: Unknown / ``NodeStatusUnknown`` / "Kubelet
stopped posting node status." after ``nodeMonitorGracePeriod``, 50 s since v1.32; N2: not-ready /
unreachable NoExecute taints, swapped, removed on Ready) and §9 (constants); the pressure
conditions' reasons are the kubelet's ``setNodeMemoryPressureCondition`` & co.
"""

from __future__ import annotations

import itertools
import random

import pytest

from podfsm.config import Config
from podfsm.errors import IllegalTransition
from podfsm.events import NodeHeartbeat, NodePressure
from podfsm.machines.node import (
    DEFAULT_TOLERATION_SECONDS,
    EVICTION_MONITORING_PERIOD,
    EVICTION_PRESSURE_TRANSITION_PERIOD,
    NODE,
    NODE_MONITOR_GRACE_PERIOD,
    POD_CLEANUP_TIMEOUT,
    POD_GC_QUARANTINE,
    NEvent,
    NodeConfig,
    NodeState,
    NState,
    Signal,
    fire,
    node_json,
    ready_status,
    taints,
)
from podfsm.model import DEFAULT, Interpreter

E = NEvent
S = NState

TRANSITIONS = DEFAULT.replace(interpreter=Interpreter.TRANSITIONS)  # the same tables, fired by transitions


def _ev(event: NEvent) -> NodeHeartbeat | NodePressure | None:
    if event is NEvent.PRESSURE:
        return NodePressure(type="memory", active=True)
    return None


def _keys(node: NodeState) -> list[str]:
    return [f"{t.key}:{t.effect}" for t in taints(node)]


def _conditions(node: NodeState, t: int = 0) -> dict[str, tuple[str, str, str]]:
    obj = node_json(node, t)
    assert obj is not None
    return {
        c["type"]: (c["status"], c["reason"], c["lastTransitionTime"]) for c in obj["status"]["conditions"]
    }


def test_constants_are_the_v1_34_defaults() -> None:
    """nodeMonitorGracePeriod 50 s, tolerationSeconds 300, quarantine 40 s, eviction period 10 s (§9)."""
    assert (NODE_MONITOR_GRACE_PERIOD, DEFAULT_TOLERATION_SECONDS, POD_GC_QUARANTINE) == (50, 300, 40)
    assert (EVICTION_MONITORING_PERIOD, EVICTION_PRESSURE_TRANSITION_PERIOD, POD_CLEANUP_TIMEOUT) == (
        10,
        300,
        30,
    )
    cfg = NodeConfig()
    assert cfg.node_monitor_grace_period == 50 and cfg.default_toleration_seconds == 300
    assert cfg.name is None and cfg.eviction_waits_for_cleanup is False


def test_every_pair_is_decided_exactly_once() -> None:
    """Each (state, event) pair is a row, an ignore with a reason, or a forbid with a rule."""
    for s, e in itertools.product(NState, NEvent):
        kinds = [
            bool(NODE.rows_for(s, e)),
            (s, e) in NODE.ignored,
            (s, e) in NODE.forbidden,
        ]
        assert sum(kinds) == 1, (s, e)


def test_rows_cite_a_source() -> None:
    """Every row names the kubelet / controller function it comes from."""
    assert all(row.ref and row.action is not None for row in NODE.rows)
    assert any("tryUpdateNodeHealth" in row.ref for row in NODE.rows)


def test_deleted_is_the_only_final_state_and_forbids_node_events() -> None:
    """DELETED is final: every node event but the internal timer is forbidden there."""
    assert NODE.finals == frozenset({S.DELETED})
    for e in NEvent:
        if e is not E.MONITOR_GRACE_EXPIRED:
            assert "no longer exists" in NODE.forbidden[(S.DELETED, e)]


def test_heartbeats_lost_for_the_grace_period_make_ready_unknown() -> None:
    """N1: SILENT keeps Ready True; the grace expiry sets every kubelet condition Unknown, NodeStatusUnknown."""
    node = fire(NodeState(name="n1"), E.HEARTBEATS_STOP, 10)
    assert node.state is S.SILENT and ready_status(node) == "True" and _keys(node) == []
    node = fire(node, E.MONITOR_GRACE_EXPIRED, 60)
    assert node.state is S.UNKNOWN
    obj = node_json(node, 60)
    assert obj is not None
    for c in obj["status"]["conditions"]:
        assert (c["status"], c["reason"], c["message"]) == (
            "Unknown",
            "NodeStatusUnknown",
            "Kubelet stopped posting node status.",
        )
        assert c["lastTransitionTime"] == "2026-01-01T00:01:00Z"
        assert c["lastHeartbeatTime"] == "2026-01-01T00:00:10Z"


def test_taints_follow_ready() -> None:
    """N2: False → not-ready, Unknown → unreachable (NoSchedule and NoExecute, timeAdded = transition); True → none."""
    ready = NodeState(name="n1")
    not_ready = fire(ready, E.HEARTBEAT_NOT_READY, 5)
    assert _keys(not_ready) == [
        "node.kubernetes.io/not-ready:NoSchedule",
        "node.kubernetes.io/not-ready:NoExecute",
    ]
    assert {t.time_added for t in taints(not_ready)} == {5}
    silent = fire(not_ready, E.HEARTBEATS_STOP, 7)
    assert ready_status(silent) == "False" and _keys(silent) == _keys(not_ready)
    unknown = fire(silent, E.MONITOR_GRACE_EXPIRED, 57)
    assert _keys(unknown) == [
        "node.kubernetes.io/unreachable:NoSchedule",
        "node.kubernetes.io/unreachable:NoExecute",
    ]
    swapped = fire(unknown, E.HEARTBEAT_NOT_READY, 80)
    assert _keys(swapped) == _keys(not_ready) and {t.time_added for t in taints(swapped)} == {80}
    back = fire(swapped, E.HEARTBEAT_READY, 90)
    assert _keys(back) == [] and _conditions(back)["Ready"] == (
        "True",
        "KubeletReady",
        "2026-01-01T00:01:30Z",
    )


def test_ready_reasons() -> None:
    """KubeletReady / KubeletNotReady as the kubelet posts them."""
    node = NodeState(name="n1")
    assert _conditions(node)["Ready"][:2] == ("True", "KubeletReady")
    assert _conditions(fire(node, E.HEARTBEAT_NOT_READY, 3))["Ready"][:2] == ("False", "KubeletNotReady")


def test_heartbeat_within_grace_keeps_the_transition_time() -> None:
    """Heartbeats resuming in time: Ready never left True, so lastTransitionTime stays."""
    node = fire(fire(NodeState(name="n1"), E.HEARTBEATS_STOP, 10), E.HEARTBEAT_READY, 30)
    assert node.state is S.READY and node.ready_since == 0 and node.heartbeat_at == 30


def test_out_of_service_taint() -> None:
    """node_out_of_service adds out-of-service=nodeshutdown:NoExecute once, in any live state."""
    node = fire(NodeState(name="n1"), E.OUT_OF_SERVICE, 4)
    node = fire(node, E.OUT_OF_SERVICE, 9)
    (taint,) = taints(node)
    assert (taint.key, taint.value, taint.effect, taint.time_added) == (
        "node.kubernetes.io/out-of-service",
        "nodeshutdown",
        "NoExecute",
        4,
    )


def test_pressure_signal_is_recorded_not_posted() -> None:
    """PRESSURE records the signal; the condition is the kubelet's post (podfsm.cluster)."""
    node = fire(NodeState(name="n1"), E.PRESSURE, 5, NodePressure(type="disk", active=True))
    assert node.signals[1] == Signal(active=True) and node.signals[0] == Signal()
    node = fire(node, E.PRESSURE, 8, NodePressure(type="disk", active=False))
    assert node.signals[1] == Signal(active=False, cleared_at=8)


def test_pressure_condition_and_taint_when_shown_true() -> None:
    """A True pressure condition shows its reason and the NoSchedule pressure taint."""
    node = NodeState(name="n1", signals=(Signal(True, -1, "True", 12), Signal(), Signal()))
    assert _conditions(node)["MemoryPressure"] == (
        "True",
        "KubeletHasInsufficientMemory",
        "2026-01-01T00:00:12Z",
    )
    assert _conditions(node)["DiskPressure"][:2] == ("False", "KubeletHasNoDiskPressure")
    assert _conditions(node)["PIDPressure"][:2] == ("False", "KubeletHasSufficientPID")
    assert _keys(node) == ["node.kubernetes.io/memory-pressure:NoSchedule"]


def test_forbidden_event_leaves_the_node_unchanged() -> None:
    """A forbidden event raises IllegalTransition naming the rule; the record is immutable."""
    node = fire(NodeState(name="n1"), E.HEARTBEATS_STOP, 0)
    with pytest.raises(IllegalTransition) as info:
        fire(node, E.PRESSURE, 3, NodePressure(type="memory", active=True))
    assert "do not reach the API" in info.value.rule and "SILENT" in info.value.state
    assert node.state is S.SILENT and node.signals == NodeState().signals


def test_node_json_shape_and_deletion() -> None:
    """The Node object: name, conditions in kubelet order, taints in spec; None once deleted."""
    node = NodeState(name="worker-1")
    obj = node_json(node, 0, Config())
    assert obj is not None
    assert obj["kind"] == "Node" and obj["metadata"]["name"] == "worker-1" and obj["spec"] == {}
    assert [c["type"] for c in obj["status"]["conditions"]] == [
        "MemoryPressure",
        "DiskPressure",
        "PIDPressure",
        "Ready",
    ]
    assert node_json(fire(node, E.NODE_DELETED, 3), 3) is None


def test_compiled_and_reference_paths_agree() -> None:
    """Random event streams give the same node through the compiled dict and through transitions."""
    rng = random.Random(7)
    events = list(NEvent)
    for _ in range(200):
        a = b = NodeState(name="n1")
        for t in range(25):
            e = rng.choice(events)
            ev = _ev(e)
            try:
                a2 = fire(a, e, t, ev)
            except IllegalTransition:
                with pytest.raises(IllegalTransition):
                    fire(b, e, t, ev, model=TRANSITIONS)
                continue
            b = fire(b, e, t, ev, model=TRANSITIONS)
            a = a2
            assert a == b
