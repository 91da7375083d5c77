"""podfsm.cluster: several pods on one node, the node machine and the controllers acting on the pods.

Expected sequences are worked out from k8s-semantics.md: N1 (Ready Unknown after
``nodeMonitorGracePeriod`` = 50 s), N2 (unreachable / not-ready NoExecute taints), N3
(``MarkPodsNotReady``: only the pod's Ready condition, phase untouched), N4 (taint eviction after
the 300 s default toleration, ``DeletionByTaintManager``), §6.1 (node-pressure eviction: grace 0,
``Failed`` / ``Evicted``, ``TerminationByKubelet``, one pod per 10 s, never critical pods), §6.4
(pod GC: ``gcOrphaned`` after the 40 s quarantine, ``gcTerminating`` with the out-of-service taint),
§5 (a SIGKILL comes 2 s after SIGTERM at the least), §8 (``printPod``: a deleted non-terminal pod
reads ``Terminating``; a terminated container's reason wins over ``status.reason``, so an evicted
pod whose container was killed reads ``Error``, kubernetes/kubernetes#105467).
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from podfsm.api import Pod
from podfsm.api.loader import load_documents, load_pods, read_text
from podfsm.cli import main
from podfsm.cluster import (
    Cluster,
    ClusterSimulator,
    ClusterStep,
    Toleration,
    cluster_enabled_events,
    cluster_step,
    effective_tolerations,
    eviction_order,
    initial_cluster,
    is_critical,
    matching_tolerations,
    min_toleration_seconds,
)
from podfsm.errors import IllegalTransition
from podfsm.events import Event, events_from_script
from podfsm.machines.node import NodeConfig, NState, Taint
from podfsm.machines.pod import PStage
from podfsm.model import DEFAULT, Interpreter
from podfsm.simulator import Simulator, Step, load_pod, loads_pod

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SRC = ROOT / "src"

Row = tuple[int, int, str, str, int, str]  # (step, t, READY, STATUS, RESTARTS, phase)

# Per example and pod: the steps that affected the pod, as kubectl get pods -w shows them.
EXPECTED: dict[str, dict[str, list[Row]]] = {
    # One pod, the node stops heart-beating at t=0: Ready=Unknown at 50 and the pod's Ready=False
    # (kubectl still Running 1/1: READY counts ready running containers, the phase is untouched);
    # deleted by the taint manager at 50+300 (Terminating), Terminating while the node is away;
    # the node returns at 450, the kubelet stops nginx, which exits 0: Succeeded, removed.
    "node-lost": {
        "web": [
            (1, 0, "0/1", "ContainerCreating", 0, "Pending"),
            (2, 0, "0/1", "ContainerCreating", 0, "Pending"),
            (3, 0, "1/1", "Running", 0, "Running"),
            (4, 0, "1/1", "Running", 0, "Running"),
            (5, 50, "1/1", "Running", 0, "Running"),
            (6, 350, "1/1", "Terminating", 0, "Running"),
            (7, 450, "1/1", "Terminating", 0, "Running"),
            (8, 450, "1/1", "Terminating", 0, "Running"),
            (9, 451, "1/1", "Terminating", 0, "Running"),
            (10, 451, "0/1", "Completed", 0, "Succeeded"),
        ]
    },
    # Memory pressure at t=60: cache (BestEffort) is evicted at once (SIGKILL 2 s later: Error /
    # Failed), api (Burstable) at the next round (70), db (Guaranteed) would be next at 80 but the
    # pressure ends at 75. Steps that change nothing a watcher sees list every pod.
    "memory-pressure": {
        "cache": [
            (1, 0, "0/1", "ContainerCreating", 0, "Pending"),
            (4, 0, "0/1", "ContainerCreating", 0, "Pending"),
            (7, 0, "1/1", "Running", 0, "Running"),
            (10, 60, "1/1", "Running", 0, "Running"),
            (11, 60, "1/1", "Running", 0, "Running"),
            (12, 70, "0/1", "Error", 0, "Failed"),
            (14, 75, "0/1", "Error", 0, "Failed"),
            (15, 375, "0/1", "Error", 0, "Failed"),
        ],
        "api": [
            (2, 0, "0/1", "ContainerCreating", 0, "Pending"),
            (5, 0, "0/1", "ContainerCreating", 0, "Pending"),
            (8, 0, "1/1", "Running", 0, "Running"),
            (10, 60, "1/1", "Running", 0, "Running"),
            (12, 70, "1/1", "Running", 0, "Running"),
            (13, 75, "0/1", "Error", 0, "Failed"),
            (14, 75, "0/1", "Error", 0, "Failed"),
            (15, 375, "0/1", "Error", 0, "Failed"),
        ],
        "db": [
            (3, 0, "0/1", "ContainerCreating", 0, "Pending"),
            (6, 0, "0/1", "ContainerCreating", 0, "Pending"),
            (9, 0, "1/1", "Running", 0, "Running"),
            (10, 60, "1/1", "Running", 0, "Running"),
            (14, 75, "1/1", "Running", 0, "Running"),
            (15, 375, "1/1", "Running", 0, "Running"),
        ],
    },
}


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _example(name: str) -> tuple[Path, Path]:
    folder = EXAMPLES / name
    manifest = next(p for p in sorted(folder.glob("*.yaml")) if p.name != "scenario.yaml")
    return manifest, folder / "scenario.yaml"


def _script(path: Path) -> list[Event]:
    text, display = read_text(path)
    return [ev for _, _, ev in events_from_script(load_documents(text, display), display)]


def run_example(name: str) -> ClusterSimulator:
    manifest, script = _example(name)
    sim = ClusterSimulator(load_pods(manifest))
    sim.run(_script(script))
    return sim


def _rows(sim: ClusterSimulator, pod: str) -> list[Row]:
    rows = []
    for number, cs in enumerate(sim.history, start=1):
        st = cs.step(pod)
        if st is not None:
            c = st.columns
            rows.append((number, st.t, c.ready, c.status, c.restarts, st.pod["status"]["phase"]))
    return rows


def _cond(pod: dict[str, Any], ctype: str) -> tuple[str, str] | None:
    for c in pod["status"].get("conditions") or ():
        if c["type"] == ctype:
            return c["status"], c.get("reason", "")
    return None


def _node_cond(node: dict[str, Any] | None, ctype: str) -> tuple[str, str]:
    assert node is not None
    (c,) = [c for c in node["status"]["conditions"] if c["type"] == ctype]
    return c["status"], c["reason"]


def _taints(node: dict[str, Any] | None) -> list[str]:
    assert node is not None
    return [f"{t['key']}:{t['effect']}" for t in node["spec"].get("taints", [])]


def pod(name: str, *, resources: dict[str, Any] | None = None, **spec: Any) -> Pod:
    """A one-container pod named ``name`` (container ``app``, image ``app:1``)."""
    container: dict[str, Any] = {"name": "app", "image": "app:1"}
    if resources is not None:
        container["resources"] = resources
    return Pod.from_api({"metadata": {"name": name}, "spec": {"containers": [container], **spec}})


def running(pods: Sequence[Pod], node: NodeConfig | None = None) -> ClusterSimulator:
    """Every pod scheduled to node-1 (image present) and its container running, at t=0."""
    sim = ClusterSimulator(pods, node=node)
    for p in sim.plan.names:
        sim.apply({"event": "schedule", "pod": p, "node": "node-1", "images": ["app:1"]})
        sim.apply({"event": "container_started", "pod": p, "container": "app"})
    return sim


def evictions(sim: ClusterSimulator) -> list[tuple[int, str]]:
    """(t, pod) of every Evicted event so far, in time order."""
    return sorted(
        (e.t, st.pod["metadata"]["name"])
        for cs in sim.history
        for st in cs.steps
        for e in st.events
        if e.reason == "Evicted"
    )


BEST: dict[str, Any] = {"requests": {}}
BURSTABLE: dict[str, Any] = {"requests": {"memory": "64Mi", "cpu": "100m"}}
GUARANTEED: dict[str, Any] = {
    "requests": {"memory": "1Gi", "cpu": "1"},
    "limits": {"memory": "1Gi", "cpu": "1"},
}


# ---------------------------------------------------------------------------------------------
# The examples
# ---------------------------------------------------------------------------------------------


def test_every_cluster_example_is_pinned() -> None:
    """Every examples/*/scenario.yaml has an expected per-pod sequence here."""
    assert {p.parent.name for p in EXAMPLES.glob("*/scenario.yaml")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_sequence(name: str) -> None:
    """Each pod's (step, t, READY, STATUS, RESTARTS, phase) sequence is exactly the expected one."""
    sim = run_example(name)
    assert {p: _rows(sim, p) for p in sim.plan.names} == EXPECTED[name]


def test_node_lost_ready_false_after_grace_period() -> None:
    """t=50: node Ready Unknown + unreachable taints; the pod's Ready False, ContainersReady True, phase Running."""
    sim = run_example("node-lost")
    silent, lost = sim.history[3], sim.history[4]
    assert _node_cond(silent.node, "Ready") == ("True", "KubeletReady") and _taints(silent.node) == []
    assert _cond(silent.steps[0].pod, "Ready") == ("True", "")
    assert _node_cond(lost.node, "Ready") == ("Unknown", "NodeStatusUnknown")
    assert _taints(lost.node) == [
        "node.kubernetes.io/unreachable:NoSchedule",
        "node.kubernetes.io/unreachable:NoExecute",
    ]
    assert lost.node is not None and lost.node["spec"]["taints"][1]["timeAdded"] == "2026-01-01T00:00:50Z"
    web = lost.steps[0].pod
    assert _cond(web, "Ready") == ("False", "") and _cond(web, "ContainersReady") == ("True", "")
    assert web["status"]["containerStatuses"][0]["ready"] is True
    assert [(e.reason, e.source) for e in lost.steps[0].events] == [("NodeNotReady", "node-controller")]
    assert [(e.reason, e.source) for e in lost.node_events] == [("NodeNotReady", "node-controller")]


def test_node_lost_taint_manager_deletes_after_300s() -> None:
    """t=350: DisruptionTarget DeletionByTaintManager, deletionTimestamp = 350 + 30 s grace, Terminating."""
    step = run_example("node-lost").history[5]
    web = step.steps[0].pod
    assert _cond(web, "DisruptionTarget") == ("True", "DeletionByTaintManager")
    (dt,) = [c for c in web["status"]["conditions"] if c["type"] == "DisruptionTarget"]
    assert dt["message"] == "Taint manager: deleting due to NoExecute taint"
    assert web["metadata"]["deletionTimestamp"] == "2026-01-01T00:06:20Z"
    assert web["metadata"]["deletionGracePeriodSeconds"] == 30
    assert [e.reason for e in step.steps[0].events] == ["TaintManagerEviction"]


def test_node_lost_stays_terminating_while_away() -> None:
    """The deleted pod stays Terminating however long the node is away (no kubelet confirms)."""
    manifest, script = _example("node-lost")
    sim = ClusterSimulator(load_pods(manifest))
    sim.run(_script(script)[:6])
    for _ in range(5):
        step = sim.apply({"event": "tick", "seconds": 3600})
        assert (
            step.steps[0].columns.status == "Terminating"
            and step.state.pods[0][1].stage is PStage.TERMINATING
        )


def test_node_lost_node_returns_kubelet_stops_the_pod() -> None:
    """Heartbeats resume: Ready True, taints gone, the kubelet kills nginx; its exit removes the pod."""
    sim = run_example("node-lost")
    back = sim.history[7]
    assert _node_cond(back.node, "Ready") == ("True", "KubeletReady") and _taints(back.node) == []
    assert [e.reason for e in back.steps[0].events] == ["Killing"]
    assert [e.reason for e in back.node_events] == [
        "NodeReady",
        "NodeHasSufficientMemory",
        "NodeHasNoDiskPressure",
        "NodeHasSufficientPID",
    ]
    assert sim.state.pods[0][1].stage is PStage.REMOVED


def test_node_lost_then_deleted_pod_gc() -> None:
    """Node deleted while away: 40 s later PodGC: phase Failed, DisruptionTarget DeletionByPodGC, removed."""
    manifest, script = _example("node-lost")
    sim = ClusterSimulator(load_pods(manifest))
    sim.run(_script(script)[:6])  # t=350: Terminating
    sim.apply({"event": "node_deleted"})
    assert (
        sim.node is None
        and sim.apply({"event": "tick", "seconds": 39}).steps[0].columns.status == "Terminating"
    )
    step = sim.apply({"event": "tick", "seconds": 1})
    web = step.steps[0].pod
    assert step.t == 390 and web["status"]["phase"] == "Failed"
    assert _cond(web, "DisruptionTarget") == ("True", "DeletionByPodGC")
    assert sim.state.pods[0][1].stage is PStage.REMOVED


def test_node_lost_out_of_service_force_deletes_terminating() -> None:
    """Out-of-service on the unreachable node: gcTerminating force-deletes the Terminating pod (Failed)."""
    manifest, script = _example("node-lost")
    sim = ClusterSimulator(load_pods(manifest))
    sim.run(_script(script)[:6])
    step = sim.apply({"event": "node_out_of_service"})
    web = step.steps[0].pod
    assert web["status"]["phase"] == "Failed" and _cond(web, "DisruptionTarget") == (
        "True",
        "DeletionByTaintManager",
    )
    assert sim.state.pods[0][1].stage is PStage.REMOVED
    assert "node.kubernetes.io/out-of-service:NoExecute" in _taints(step.node)


def test_out_of_service_deletes_what_does_not_tolerate_it() -> None:
    """The out-of-service taint is NoExecute: a pod without a matching toleration is deleted at once, then force-deleted."""
    sim = running([pod("a"), pod("b", tolerations=[{"operator": "Exists"}])])
    sim.apply({"event": "node_heartbeats_stop"})
    sim.apply({"event": "tick", "seconds": 60})
    sim.apply({"event": "node_out_of_service"})
    a, b = sim.state.pod("a"), sim.state.pod("b")
    assert a.stage is PStage.REMOVED and a.phase == "Failed"
    assert b.stage is PStage.STARTED and b.deletion_at < 0
    assert sim.apply({"event": "tick", "seconds": 3600}).state.pod("b").stage is PStage.STARTED


def test_memory_pressure_evicts_best_effort_then_burstable() -> None:
    """cache (BestEffort) at 60, api (Burstable) at 70: Failed, Evicted, TerminationByKubelet; db untouched."""
    sim = run_example("memory-pressure")
    assert evictions(sim) == [(60, "cache"), (70, "api")]
    for name in ("cache", "api"):
        p = sim.pods[name]
        assert (p["status"]["phase"], p["status"]["reason"]) == ("Failed", "Evicted")
        assert p["status"]["message"] == "The node was low on resource: memory. "
        assert _cond(p, "DisruptionTarget") == ("True", "TerminationByKubelet")
        assert p["status"]["containerStatuses"][0]["state"]["terminated"]["exitCode"] == 137
    assert (
        sim.pods["db"]["status"]["phase"] == "Running" and _cond(sim.pods["db"], "DisruptionTarget") is None
    )
    assert [p["status"]["qosClass"] for p in sim.pods.values()] == ["BestEffort", "Burstable", "Guaranteed"]


def test_memory_pressure_node_condition_and_events() -> None:
    """MemoryPressure True with the memory-pressure taint from 60, False 300 s after the pressure ends (375)."""
    sim = run_example("memory-pressure")
    on, off, last = sim.history[10], sim.history[13], sim.history[14]
    assert _node_cond(on.node, "MemoryPressure") == ("True", "KubeletHasInsufficientMemory")
    assert _taints(on.node) == ["node.kubernetes.io/memory-pressure:NoSchedule"]
    assert [(e.type, e.reason, e.message) for e in on.node_events] == [
        ("Normal", "NodeHasInsufficientMemory", "Node node-1 status is now: NodeHasInsufficientMemory"),
        ("Warning", "EvictionThresholdMet", "Attempting to reclaim memory"),
    ]
    assert _node_cond(off.node, "MemoryPressure")[0] == "True"  # evictionPressureTransitionPeriod
    assert _node_cond(last.node, "MemoryPressure") == ("False", "KubeletHasSufficientMemory")
    assert _taints(last.node) == [] and [e.reason for e in last.node_events] == ["NodeHasSufficientMemory"]
    assert last.node is not None
    (mp,) = [c for c in last.node["status"]["conditions"] if c["type"] == "MemoryPressure"]
    assert mp["lastTransitionTime"] == "2026-01-01T00:06:15Z"


def test_memory_pressure_persisting_evicts_guaranteed_last() -> None:
    """Lasting pressure: db goes 10 s after api, nothing twice; the six rounds' EvictionThresholdMet are one Event, count 6."""
    manifest, script = _example("memory-pressure")
    sim = ClusterSimulator(load_pods(manifest))
    sim.run(_script(script)[:12])  # up to the first round after the pressure's start, t=70
    sim.apply({"event": "tick", "seconds": 60})
    assert evictions(sim) == [(60, "cache"), (70, "api"), (80, "db")]
    (met,) = [e for e in sim.history[-1].node_events if e.reason == "EvictionThresholdMet"]
    assert (met.count, met.first, met.t) == (6, 80, 130)


def test_pressure_end_stops_evictions() -> None:
    """active: false before the next round: no further pod is evicted, however long the clock runs."""
    sim = running([pod("a", resources=BEST), pod("b", resources=BEST)])
    sim.apply({"event": "node_pressure", "type": "memory", "active": True})
    sim.apply({"event": "tick", "seconds": 5})
    sim.apply({"event": "node_pressure", "type": "memory", "active": False})
    sim.apply({"event": "tick", "seconds": 600})
    assert evictions(sim) == [(0, "a")]


def test_at_most_one_eviction_per_monitoring_period() -> None:
    """Three BestEffort pods under lasting pressure go at 0, 10 and 20 s (evictionMonitoringPeriod)."""
    sim = running([pod("c"), pod("a"), pod("b")])
    sim.apply({"event": "node_pressure", "type": "memory", "active": True})
    sim.apply({"event": "tick", "seconds": 45})
    assert evictions(sim) == [(0, "a"), (10, "b"), (20, "c")]


def test_pressure_toggle_respects_the_period() -> None:
    """Pressure off and on again within 10 s of a round: the next round waits for the period."""
    sim = running([pod("a"), pod("b")])
    sim.apply({"event": "node_pressure", "type": "memory", "active": True})
    sim.apply({"event": "tick", "seconds": 3})
    sim.apply({"event": "node_pressure", "type": "memory", "active": False})
    sim.apply({"event": "tick", "seconds": 2})
    sim.apply({"event": "node_pressure", "type": "memory", "active": True})
    assert evictions(sim) == [(0, "a")]
    sim.apply({"event": "tick", "seconds": 10})
    assert evictions(sim) == [(0, "a"), (10, "b")]


def test_eviction_waits_for_cleanup_variant() -> None:
    """eviction_waits_for_cleanup: the next round follows the evicted pod's cleanup (SIGKILL at +2 s), not 10 s."""
    sim = running([pod("a"), pod("b"), pod("c")], node=NodeConfig(eviction_waits_for_cleanup=True))
    sim.apply({"event": "node_pressure", "type": "memory", "active": True})
    sim.apply({"event": "tick", "seconds": 30})
    assert evictions(sim) == [(0, "a"), (2, "b"), (4, "c")]


def test_eviction_ranks_exceeding_usage_then_priority() -> None:
    """rankMemoryPressure: usage over request first (BestEffort, Burstable), then priority; Guaranteed last."""
    sim = running(
        [
            pod("be-high", resources=BEST, priority=1000),
            pod("burst-low", resources=BURSTABLE, priority=10),
            pod("guar-lowest", resources=GUARANTEED, priority=0),
            pod("be-low", resources=BEST, priority=10),
        ]
    )
    sim.apply({"event": "node_pressure", "type": "memory", "active": True})
    sim.apply({"event": "tick", "seconds": 35})
    assert [n for _, n in evictions(sim)] == ["be-low", "burst-low", "be-high", "guar-lowest"]


def test_pid_pressure_ranks_by_priority_only() -> None:
    """rankPIDPressure: priority, then (usage unknown) QoS: a Guaranteed low-priority pod goes first."""
    plan = ClusterSimulator([pod("be", resources=BEST, priority=5), pod("g", resources=GUARANTEED)]).plan
    assert eviction_order(plan, "pid", [0, 1]) == [1, 0]
    assert eviction_order(plan, "memory", [0, 1]) == [0, 1]


def test_disk_pressure_reads_ephemeral_storage() -> None:
    """rankDiskPressureFunc: a pod capped at its ephemeral-storage request ranks after one that is not."""
    capped = {"requests": {"ephemeral-storage": "1Gi"}, "limits": {"ephemeral-storage": "1Gi"}}
    sim = running([pod("capped", resources=capped), pod("zz-free", resources=BURSTABLE)])
    step = sim.apply({"event": "node_pressure", "type": "disk", "active": True})
    assert evictions(sim) == [(0, "zz-free")]
    assert [e.message for e in step.node_events if e.reason == "EvictionThresholdMet"] == [
        "Attempting to reclaim ephemeral-storage"
    ]
    assert sim.pods["zz-free"]["status"]["containerStatuses"][0]["state"]["running"]  # killing: 2 s left


def test_critical_pods_are_never_evicted() -> None:
    """IsCriticalPod: system-node-critical, priority ≥ 2000000000 and static pods stay; others go."""
    static = Pod.from_api(
        {
            "metadata": {"name": "static", "annotations": {"kubernetes.io/config.source": "file"}},
            "spec": {"containers": [{"name": "app", "image": "app:1"}]},
        }
    )
    sim = running(
        [
            pod("node-crit", priorityClassName="system-node-critical"),
            pod("prio", priority=2_000_000_000),
            static,
            pod("z"),
        ]
    )
    sim.apply({"event": "node_pressure", "type": "memory", "active": True})
    sim.apply({"event": "tick", "seconds": 100})
    assert evictions(sim) == [(0, "z")]
    assert sim.plan.critical == (True, True, True, False)
    assert not is_critical({"metadata": {"annotations": {"kubernetes.io/config.source": "api"}}, "spec": {}})


def test_evicted_pod_shows_error_and_reason_evicted() -> None:
    """printPod: the killed container's reason (Error) wins over status.reason Evicted (kubernetes#105467)."""
    sim = running([pod("a")])
    sim.apply({"event": "node_pressure", "type": "memory", "active": True})
    killing = sim.apply({"event": "tick", "seconds": 1}).steps[0]
    assert (killing.columns.status, killing.pod["status"]["phase"]) == ("Running", "Running")
    done = sim.apply({"event": "tick", "seconds": 1}).steps[0]
    assert (done.columns.status, done.pod["status"]["phase"], done.pod["status"]["reason"]) == (
        "Error",
        "Failed",
        "Evicted",
    )


# ---------------------------------------------------------------------------------------------
# Node Ready and taint eviction
# ---------------------------------------------------------------------------------------------


def test_kubelet_not_ready_marks_pods_and_taints() -> None:
    """Ready=False posted: not-ready taints, pods' Ready False (phase, containers untouched); the kubelet still runs them."""
    sim = running([pod("a"), pod("b")])
    step = sim.apply({"event": "node_heartbeat", "ready": False})
    assert _node_cond(step.node, "Ready") == ("False", "KubeletNotReady")
    assert _taints(step.node) == [
        "node.kubernetes.io/not-ready:NoSchedule",
        "node.kubernetes.io/not-ready:NoExecute",
    ]
    for st in step.steps:
        assert _cond(st.pod, "Ready") == ("False", "") and st.pod["status"]["phase"] == "Running"
        assert (st.columns.ready, st.columns.status) == ("1/1", "Running")
    sim.apply({"event": "container_exited", "pod": "a", "container": "app", "exit_code": 1})
    restarted = sim.apply({"event": "container_started", "pod": "a", "container": "app"}).steps[0]
    assert restarted.columns.restarts == 1 and restarted.pod["status"]["containerStatuses"][0]["ready"]
    assert _cond(restarted.pod, "Ready") == ("False", "")  # the kubelet's Ready=True, re-marked by the NLC
    back = sim.apply({"event": "node_heartbeat", "ready": True})
    assert _cond(sim.pods["b"], "Ready") == ("True", "") and _taints(back.node) == []


def test_not_ready_taint_evicts_after_default_toleration() -> None:
    """The not-ready NoExecute taint deletes the pods 300 s later; the kubelet (reporting) stops them."""
    sim = running([pod("a")])
    sim.apply({"event": "node_heartbeat", "ready": False})
    assert sim.apply({"event": "tick", "seconds": 299}).steps[0].columns.status == "Running"
    step = sim.apply({"event": "tick", "seconds": 1}).steps[0]
    assert step.columns.status == "Terminating" and [e.reason for e in step.events] == [
        "TaintManagerEviction",
        "Killing",
    ]


def test_tolerations_decide_when_pods_are_deleted() -> None:
    """Own tolerationSeconds (60), forever (no seconds), 0 (at once) and the 300 s default."""
    nr = "node.kubernetes.io/unreachable"
    sim = running(
        [
            pod("default"),
            pod(
                "sixty",
                tolerations=[
                    {"key": nr, "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 60}
                ],
            ),
            pod("forever", tolerations=[{"key": nr, "operator": "Exists", "effect": "NoExecute"}]),
            pod(
                "zero",
                tolerations=[
                    {"key": nr, "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 0}
                ],
            ),
        ]
    )
    sim.apply({"event": "node_heartbeats_stop"})
    deleted = {}
    for _ in range(40):
        step = sim.apply({"event": "tick", "seconds": 10})
        for n, s in step.state.pods:
            if s.deletion_at >= 0 and n not in deleted:
                deleted[n] = step.t
    assert deleted == {"zero": 50, "sixty": 110, "default": 350}


def test_taint_swap_keeps_the_scheduled_deletion() -> None:
    """processPodOnNode: unreachable → not-ready keeps the deletion scheduled from the first taint."""
    sim = running([pod("a")])
    sim.apply({"event": "node_heartbeats_stop"})
    sim.apply({"event": "tick", "seconds": 100})  # unreachable since 50
    sim.apply({"event": "node_heartbeat", "ready": False})  # not-ready from 100
    assert sim.state.work[0].fire_at == 350
    sim.apply({"event": "tick", "seconds": 249})
    assert sim.state.pod("a").deletion_at < 0
    sim.apply({"event": "tick", "seconds": 1})
    assert sim.state.pod("a").deletion_at == 380


def test_ready_again_cancels_the_scheduled_deletion() -> None:
    """All NoExecute taints removed: the deletion is cancelled with a TaintManagerEviction event."""
    sim = running([pod("a")])
    sim.apply({"event": "node_heartbeat", "ready": False})
    step = sim.apply({"event": "node_heartbeat", "ready": True})
    assert [(e.reason, e.message) for e in step.steps[0].events] == [
        ("TaintManagerEviction", "Cancelling deletion of Pod default/a")
    ]
    sim.apply({"event": "tick", "seconds": 1000})
    assert sim.state.pod("a").stage is PStage.STARTED and sim.state.work == ()


def test_heartbeats_back_within_grace_change_nothing() -> None:
    """Heartbeats resume before 50 s: Ready stays True, no taint, the pods were never marked."""
    sim = running([pod("a")])
    sim.apply({"event": "node_heartbeats_stop"})
    sim.apply({"event": "tick", "seconds": 49})
    step = sim.apply({"event": "node_heartbeat", "ready": True})
    assert _node_cond(step.node, "Ready") == ("True", "KubeletReady") and _taints(step.node) == []
    assert step.node_events == () and _cond(sim.pods["a"], "Ready") == ("True", "")
    sim.apply({"event": "tick", "seconds": 1000})
    assert sim.state.pod("a").stage is PStage.STARTED


def test_pods_are_away_while_heartbeats_are_stopped() -> None:
    """Container events while the kubelet does not report are illegal, and leave the model as it was."""
    sim = running([pod("a")])
    sim.apply({"event": "node_heartbeats_stop"})
    before, history = sim.state, len(sim.history)
    with pytest.raises(IllegalTransition) as info:
        sim.apply({"event": "container_exited", "pod": "a", "container": "app", "exit_code": 1})
    assert "does not report" in info.value.rule
    assert sim.state is before and len(sim.history) == history


def test_node_deleted_with_running_kubelet() -> None:
    """Node deleted while its kubelet reports: pods run on (statuses still posted) until PodGC, 40 s later."""
    sim = running([pod("a"), pod("b")])
    step = sim.apply({"event": "node_deleted"})
    assert step.node is None and [e.reason for e in step.node_events] == ["RemovingNode"]
    sim.apply({"event": "tick", "seconds": 10})
    exited = sim.apply({"event": "container_exited", "pod": "b", "container": "app", "exit_code": 1})
    assert exited.steps[0].columns.status == "Error"
    sim.apply({"event": "tick", "seconds": 30})
    for name in ("a", "b"):
        assert sim.state.pod(name).stage is PStage.REMOVED and sim.pods[name]["status"]["phase"] == "Failed"
        assert _cond(sim.pods[name], "DisruptionTarget") == ("True", "DeletionByPodGC")


def test_pod_gc_adds_no_condition_to_terminal_pods() -> None:
    """markFailedAndDeletePodWithCondition: an already terminal pod is deleted without DisruptionTarget."""
    never = pod("done", restartPolicy="Never")
    sim = running([never, pod("live")])
    sim.apply({"event": "container_exited", "pod": "done", "container": "app", "exit_code": 0})
    assert sim.pods["done"]["status"]["phase"] == "Succeeded"
    sim.apply({"event": "node_deleted"})
    sim.apply({"event": "tick", "seconds": 40})
    assert (
        sim.state.pod("done").stage is PStage.REMOVED and _cond(sim.pods["done"], "DisruptionTarget") is None
    )
    assert sim.pods["done"]["status"]["phase"] == "Succeeded"
    assert _cond(sim.pods["live"], "DisruptionTarget") == ("True", "DeletionByPodGC")


# ---------------------------------------------------------------------------------------------
# Scheduling, addressing, illegal events
# ---------------------------------------------------------------------------------------------


def test_schedule_respects_the_nodes_taints() -> None:
    """TaintToleration: no binding to a memory-pressure node without a toleration; with one it binds."""
    tol = [{"key": "node.kubernetes.io/memory-pressure", "operator": "Exists", "effect": "NoSchedule"}]
    sim = ClusterSimulator([pod("a"), pod("b", tolerations=tol)])
    sim.apply({"event": "node_pressure", "type": "memory", "active": True})
    before = sim.state
    with pytest.raises(IllegalTransition) as info:
        sim.apply({"event": "schedule", "pod": "a", "node": "node-1"})
    assert (
        "untolerated taint {node.kubernetes.io/memory-pressure: }" in info.value.rule and sim.state is before
    )
    sim.apply({"event": "schedule", "pod": "b", "node": "node-1"})
    assert sim.state.pod("b").node == "node-1"


def test_schedule_to_a_not_ready_deleted_other_or_silent_node_is_illegal() -> None:
    """not-ready NoSchedule taint, a deleted node, another node's name, a silent kubelet: all illegal."""
    sim = ClusterSimulator([pod("a")])
    sim.apply({"event": "node_heartbeat", "ready": False})
    with pytest.raises(IllegalTransition, match=re.escape("node.kubernetes.io/not-ready:NoSchedule")):
        sim.apply({"event": "schedule", "node": "node-1"})
    sim.apply({"event": "node_heartbeat", "ready": True})
    with pytest.raises(IllegalTransition, match="one node, 'node-1'"):
        sim.apply({"event": "schedule", "node": "node-2"})
    sim.apply({"event": "node_heartbeats_stop"})
    with pytest.raises(IllegalTransition, match="not modelled"):
        sim.apply({"event": "schedule", "node": "node-1"})
    sim.apply({"event": "node_deleted"})
    with pytest.raises(IllegalTransition, match="not found"):
        sim.apply({"event": "schedule", "node": "node-1"})


def test_first_schedule_names_the_node() -> None:
    """Without NodeConfig.name the first schedule names the node; NodeConfig.name fixes it up front."""
    sim = ClusterSimulator([pod("a")])
    sim.apply({"event": "schedule", "node": "worker-7", "images": ["app:1"]})
    assert sim.node is not None and sim.node["metadata"]["name"] == "worker-7"
    fixed = ClusterSimulator([pod("a")], node=NodeConfig(name="n1"))
    with pytest.raises(IllegalTransition, match="one node, 'n1'"):
        fixed.apply({"event": "schedule", "node": "worker-7"})


def test_unknown_pod_is_illegal_and_changes_nothing() -> None:
    """An event naming no pod of the simulation raises IllegalTransition naming the rule; state unchanged."""
    sim = running([pod("a"), pod("b")])
    before, history = sim.state, len(sim.history)
    with pytest.raises(IllegalTransition) as info:
        sim.apply({"event": "container_exited", "pod": "c", "container": "app", "exit_code": 0})
    assert info.value.rule == "the simulation has no pod named 'c' (pods: a, b)"
    assert sim.state is before and len(sim.history) == history
    with pytest.raises(IllegalTransition, match="needs the event's 'pod' field"):
        sim.apply({"event": "delete"})


def test_single_pod_may_omit_the_pod_field() -> None:
    """With one pod, pod events may leave 'pod' out, or name it."""
    sim = ClusterSimulator([pod("a")])
    sim.apply({"event": "schedule", "node": "node-1", "images": ["app:1"]})
    sim.apply({"event": "container_started", "pod": "a", "container": "app"})
    assert sim.columns("a").status == "Running"


def test_pressure_while_silent_is_forbidden() -> None:
    """node_pressure while heartbeats are stopped: the kubelet's reports do not reach the API."""
    sim = running([pod("a")])
    sim.apply({"event": "node_heartbeats_stop"})
    with pytest.raises(IllegalTransition, match="do not reach the API"):
        sim.apply({"event": "node_pressure", "type": "memory", "active": True})


def test_simulator_refuses_node_events_and_other_pods() -> None:
    """The one-pod Simulator points node events to ClusterSimulator and rejects another pod's name."""
    sim = Simulator(pod("a"))
    with pytest.raises(IllegalTransition, match="ClusterSimulator"):
        sim.apply({"event": "node_heartbeats_stop"})
    with pytest.raises(IllegalTransition, match="no pod named 'b'"):
        sim.apply({"event": "schedule", "pod": "b", "node": "node-1"})
    assert sim.history == []


# ---------------------------------------------------------------------------------------------
# Tolerations (DefaultTolerationSeconds, GetMatchingTolerations, getMinTolerationTime)
# ---------------------------------------------------------------------------------------------


def test_default_toleration_seconds_admission() -> None:
    """Both 300 s NoExecute tolerations are added, except for a key (or wildcard) already tolerated."""
    added = effective_tolerations({}, 300)
    assert added == (
        Toleration("node.kubernetes.io/not-ready", "Exists", "", "NoExecute", 300),
        Toleration("node.kubernetes.io/unreachable", "Exists", "", "NoExecute", 300),
    )
    own = {
        "tolerations": [
            {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "tolerationSeconds": 5}
        ]
    }
    assert [t.key for t in effective_tolerations(own, 300)] == [
        "node.kubernetes.io/unreachable",
        "node.kubernetes.io/not-ready",
    ]
    assert len(effective_tolerations({"tolerations": [{"operator": "Exists"}]}, 300)) == 1


def test_toleration_matching_and_min_seconds() -> None:
    """ToleratesTaint (key, Equal value / Exists, effect) and getMinTolerationTime (≤ 0 → 0, none → -1)."""
    taint = Taint("k", "NoExecute", "v")
    assert Toleration("k", "Equal", "v", "NoExecute", None).tolerates(taint)
    assert not Toleration("k", "Equal", "w", "", None).tolerates(taint)
    assert Toleration("", "Exists", "", "", None).tolerates(taint)
    assert not Toleration("k", "Exists", "", "NoSchedule", None).tolerates(taint)
    t60, t30, forever = (Toleration("k", "Exists", "", "", s) for s in (60, 30, None))
    assert matching_tolerations([taint], [t60, t30]) == (True, (t60,))
    assert matching_tolerations([taint, Taint("x", "NoExecute")], [t60]) == (False, ())
    assert min_toleration_seconds([t60, t30, forever]) == 30
    assert min_toleration_seconds([forever]) == -1
    assert min_toleration_seconds([Toleration("k", "Exists", "", "", -5)]) == 0


# ---------------------------------------------------------------------------------------------
# Engine-level properties
# ---------------------------------------------------------------------------------------------


def _single_pod_examples() -> list[Path]:
    return sorted(p.parent for p in EXAMPLES.glob("*/script.yaml"))


@pytest.mark.parametrize("folder", _single_pod_examples(), ids=lambda p: p.name)
def test_one_pod_cluster_matches_the_simulator(folder: Path) -> None:
    """A one-pod cluster without node events gives exactly the Simulator's steps (objects, columns, events)."""
    manifest = next(p for p in sorted(folder.glob("*.yaml")) if p.name != "script.yaml")
    events = _script(folder / "script.yaml")
    single = Simulator(load_pod(manifest)).run(list(events))
    cluster = ClusterSimulator([load_pod(manifest)])
    for s, cs in zip(single, cluster.run(events), strict=True):
        (c,) = cs.steps
        assert (c.t, c.pod, c.columns, c.events, c.state) == (s.t, s.pod, s.columns, s.events, s.state)


def test_runs_are_deterministic_and_states_hashable() -> None:
    """Two runs of an example give equal, hashable cluster states at every step."""
    a, b = run_example("memory-pressure"), run_example("memory-pressure")
    states = [cs.state for cs in a.history]
    assert states == [cs.state for cs in b.history]
    assert len({hash(s) for s in states}) > 1 and all(isinstance(s, Cluster) for s in states)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_reference_path_agrees_on_examples(name: str) -> None:
    """The transitions reference path gives the same states as the compiled tables."""
    manifest, script = _example(name)
    ref = ClusterSimulator(load_pods(manifest), model=DEFAULT.replace(interpreter=Interpreter.TRANSITIONS))
    ref.run(_script(script))
    assert [cs.state for cs in ref.history] == [cs.state for cs in run_example(name).history]


def test_random_walks_agree_and_stay_legal() -> None:
    """Seeded random walks over cluster_enabled_events: every move is legal and both paths agree."""
    import random

    rng = random.Random(11)
    pods = [pod("a", resources=BEST), pod("b", resources=BURSTABLE, restartPolicy="OnFailure")]
    sim = ClusterSimulator(pods)
    traced = ClusterSimulator(pods, model=DEFAULT.replace(interpreter=Interpreter.TRANSITIONS))
    for _ in range(30):
        cl = initial_cluster(sim.plan)
        for _ in range(40):
            moves = cluster_enabled_events(sim.plan, cl)
            if not moves:
                break
            ev = rng.choice(moves)
            new = cluster_step(sim.plan, cl, ev)
            assert cluster_step(traced.plan, cl, ev) == new
            assert new.t >= cl.t
            cl = new


# ---------------------------------------------------------------------------------------------
# CLI
# ---------------------------------------------------------------------------------------------


def _cli(argv: list[str]) -> tuple[int, str]:
    buf = io.StringIO()
    return main(argv, out=buf), buf.getvalue()


def test_cli_node_lost_table() -> None:
    """podfsm simulate prints one row per event for one pod, node events included."""
    manifest, script = _example("node-lost")
    code, text = _cli(["simulate", str(manifest), str(script)])
    lines = text.splitlines()
    assert code == 0 and lines[0].split() == ["TIME", "NAME", "READY", "STATUS", "RESTARTS", "EVENT"]
    assert lines[4].split() == ["0s", "web", "1/1", "Running", "0", "node_heartbeats_stop"]
    assert lines[8].split() == ["450s", "web", "1/1", "Terminating", "0", "node_heartbeat", "ready=true"]
    assert len(lines) == 11


def test_cli_memory_pressure_rows_per_pod() -> None:
    """Several pods: one row per pod each event affected, named in NAME."""
    manifest, script = _example("memory-pressure")
    code, text = _cli(["simulate", str(manifest), str(script)])
    rows = [line.split()[:4] for line in text.splitlines()[1:]]
    assert code == 0
    assert ["60s", "cache", "1/1", "Running"] in rows and ["70s", "cache", "0/1", "Error"] in rows
    assert ["75s", "api", "0/1", "Error"] in rows and ["375s", "db", "1/1", "Running"] in rows
    assert len(rows) == sum(len(v) for v in EXPECTED["memory-pressure"].values())


def test_cli_json_lines_carry_the_node_only_with_node_events() -> None:
    """-o json: the single-pod keys per pod line, plus node / node_events when the script has node events."""
    manifest, script = _example("memory-pressure")
    code, text = _cli(["simulate", "-o", "json", str(manifest), str(script)])
    records = [json.loads(line) for line in text.splitlines()]
    assert code == 0 and all(
        list(r) == ["t", "event", "pod", "columns", "events", "node", "node_events"] for r in records
    )
    assert records[-1]["node"]["status"]["conditions"][0]["status"] == "False"
    evicted = [r for r in records if any(e["reason"] == "Evicted" for e in r["events"])]
    assert [(r["t"], r["pod"]["metadata"]["name"]) for r in evicted] == [(60, "cache"), (70, "api")]


def test_cli_several_pods_without_node_events(tmp_path: Path) -> None:
    """A List of two pods and pod events only: per-pod lines without a node key."""
    pods = {"kind": "List", "items": [pod("a").to_api(), pod("b").to_api()]}
    (tmp_path / "pods.json").write_text(json.dumps(pods), encoding="utf-8")
    (tmp_path / "s.yaml").write_text(
        "- {event: schedule, pod: b, node: n1, images: ['app:1']}\n- {event: tick, seconds: 5}\n",
        encoding="utf-8",
    )
    code, text = _cli(["simulate", "-o", "json", str(tmp_path / "pods.json"), str(tmp_path / "s.yaml")])
    records = [json.loads(line) for line in text.splitlines()]
    assert code == 0 and [(r["t"], r["pod"]["metadata"]["name"]) for r in records] == [
        (0, "b"),
        (5, "a"),
        (5, "b"),
    ]
    assert all("node" not in r for r in records)


def _script_file(tmp_path: Path, text: str) -> str:
    path = tmp_path / "script.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_cli_unknown_pod_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An event for an unknown pod: rows before it, one error line with file:line, exit 1."""
    manifest, _ = _example("memory-pressure")
    script = _script_file(
        tmp_path, "- {event: schedule, pod: cache, node: node-1}\n\n- {event: delete, pod: redis}\n"
    )
    code, text = _cli(["simulate", str(manifest), script])
    err = capsys.readouterr().err
    assert code == 1 and len(text.splitlines()) == 2
    assert err.startswith(f"podfsm: error: {script}:3: step 2 (delete): ") and err.count("\n") == 1
    assert "no pod named 'redis'" in err


def test_cli_missing_pod_field_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Several pods and a pod event without 'pod': a bad script, exit 2, nothing printed."""
    manifest, _ = _example("memory-pressure")
    script = _script_file(tmp_path, "- {event: tick, seconds: 1}\n- {event: schedule, node: node-1}\n")
    code, text = _cli(["simulate", str(manifest), script])
    err = capsys.readouterr().err
    assert code == 2 and text == ""
    assert (
        err
        == f"podfsm: error: {script}: step 2: pod: required when {manifest} holds several pods (cache, api, db)\n"
    )


def test_cli_duplicate_names_and_timeline_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Two pods with one name, or --timeline with several pods: exit 2 with one line."""
    dup = tmp_path / "dup.yaml"
    dup.write_text(
        "metadata: {name: a}\nspec: {containers: [{name: c}]}\n---\nmetadata: {name: a}\nspec: {containers: [{name: c}]}\n"
    )
    script = _script_file(tmp_path, "- {event: tick, seconds: 1}\n")
    assert _cli(["simulate", str(dup), script])[0] == 2
    assert "pod names must be unique" in capsys.readouterr().err
    manifest, scenario = _example("memory-pressure")
    assert _cli(["simulate", "--timeline", str(tmp_path / "t.svg"), str(manifest), str(scenario)])[0] == 2
    assert "--timeline draws one pod" in capsys.readouterr().err


def test_cli_forbidden_node_event_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A node event the node table forbids: exit 1 naming the rule."""
    manifest, _ = _example("node-lost")
    script = _script_file(tmp_path, "- {event: node_deleted}\n- {event: node_heartbeat, ready: true}\n")
    assert _cli(["simulate", str(manifest), script])[0] == 1
    assert "the Node object no longer exists" in capsys.readouterr().err


def test_cli_node_lost_timeline(tmp_path: Path) -> None:
    """--timeline draws the one pod of a node-events run."""
    manifest, script = _example("node-lost")
    out = tmp_path / "t.svg"
    assert _cli(["simulate", "--timeline", str(out), str(manifest), str(script)])[0] == 0
    assert "<svg" in out.read_text(encoding="utf-8")


def test_cli_subprocess_exit_codes(tmp_path: Path) -> None:
    """python -m podfsm: exit 1 for an illegal event, 2 for a bad event field; one line, no traceback."""
    manifest, _ = _example("memory-pressure")
    env = {"PYTHONPATH": str(SRC)}
    bad = _script_file(tmp_path, "- {event: node_pressure, type: cpu, active: true}\n")
    result = subprocess.run(
        [sys.executable, "-m", "podfsm", "simulate", str(manifest), bad],
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 2 and "type: must be one of memory/disk/pid" in result.stderr
    assert "Traceback" not in result.stderr


def test_cluster_step_type() -> None:
    """ClusterStep.step finds a pod's Step by name, None when the event did not affect it."""
    sim = running([pod("a"), pod("b")])
    cs = sim.apply({"event": "container_exited", "pod": "a", "container": "app", "exit_code": 1})
    assert isinstance(cs, ClusterStep) and isinstance(cs.step("a"), Step) and cs.step("b") is None
    assert sim.pod_history("b")[-1].columns.status == "Running"
    assert sim.state.node.state is NState.READY


GATED_POD = """
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  readinessGates: [{conditionType: example.com/lb}]
  containers: [{name: web, image: "web:1"}]
"""


def test_gate_flipped_while_the_kubelet_is_silent_shows_when_it_is_back() -> None:
    """The API object takes the gate's condition at once; Ready is the kubelet's and waits for its next sync."""
    sim = ClusterSimulator(load_pods("gated.yaml", text=GATED_POD))
    sim.run(
        [
            {"event": "schedule", "node": "node-1", "images": ["web:1"]},
            {"event": "container_started", "container": "web"},
            {"event": "pod_condition", "type": "example.com/lb", "status": "True"},
            {"event": "node_heartbeats_stop"},
            {"event": "tick", "seconds": 10},
        ]
    )

    def conds() -> dict[str, str]:
        return {c["type"]: c["status"] for c in sim.pods["web"]["status"]["conditions"]}

    assert conds()["Ready"] == "True"
    sim.apply({"event": "pod_condition", "type": "example.com/lb", "status": "False"})
    assert conds()["example.com/lb"] == "False" and conds()["Ready"] == "True"  # no kubelet sync yet
    sim.apply({"event": "node_heartbeat", "ready": True})
    assert conds()["Ready"] == "False"


def test_pod_condition_on_a_removed_pod_is_illegal() -> None:
    """Once the object is gone there is nothing to patch: IllegalTransition naming the rule."""
    sim = Simulator(loads_pod(GATED_POD))
    sim.apply({"event": "delete"})  # unscheduled: removed at once
    with pytest.raises(IllegalTransition, match="nothing to patch"):
        sim.apply({"event": "pod_condition", "type": "example.com/lb", "status": "True"})
