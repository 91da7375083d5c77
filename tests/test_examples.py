"""The seed scenarios in examples/: each manifest + script gives the exact kubectl sequence.

Each row is (t, READY, STATUS, RESTARTS, phase) after one script step, as `kubectl get pod -w`
and `kubectl get pod -o jsonpath={.status.phase}` would show it. The sequences were checked by
hand against ../shared/k8s-semantics.md (§2.2 getPhase, §3.2 reason cache, §3.6 back-off, §8 printPod).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from podfsm.api.loader import load_documents, read_text
from podfsm.events import events_from_script
from podfsm.simulator import Simulator, Step, load_pod

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

EXPECTED: dict[str, list[tuple[int, str, str, int, str]]] = {
    # A Deployment's busybox with no command exits 0 at once: Completed and CrashLoopBackOff
    # alternate while RESTARTS climbs; the first restart is immediate, then 10 s, 20 s, 40 s.
    "busybox": [
        (0, "0/1", "ContainerCreating", 0, "Pending"),
        (0, "0/1", "ContainerCreating", 0, "Pending"),
        (0, "1/1", "Running", 0, "Running"),
        (0, "0/1", "Completed", 0, "Running"),
        (0, "0/1", "Completed", 0, "Running"),
        (0, "1/1", "Running", 1, "Running"),
        (0, "0/1", "Completed", 1, "Running"),
        (10, "0/1", "CrashLoopBackOff", 1, "Running"),
        (10, "0/1", "CrashLoopBackOff", 1, "Running"),
        (10, "1/1", "Running", 2, "Running"),
        (10, "0/1", "Completed", 2, "Running"),
        (30, "0/1", "CrashLoopBackOff", 2, "Running"),
        (30, "0/1", "CrashLoopBackOff", 2, "Running"),
        (30, "1/1", "Running", 3, "Running"),
        (30, "0/1", "Completed", 3, "Running"),
        (70, "0/1", "CrashLoopBackOff", 3, "Running"),
        (70, "0/1", "CrashLoopBackOff", 3, "Running"),
        (70, "1/1", "Running", 4, "Running"),
        (70, "0/1", "Completed", 4, "Running"),
        (100, "0/1", "CrashLoopBackOff", 4, "Running"),
    ],
    "nginx": [
        (0, "0/1", "ContainerCreating", 0, "Pending"),
        (2, "0/1", "ContainerCreating", 0, "Pending"),
        (2, "0/1", "ContainerCreating", 0, "Pending"),
        (2, "1/1", "Running", 0, "Running"),
        (62, "1/1", "Running", 0, "Running"),
    ],
    # ErrImagePull shows at once; the re-sync 10 s later pulls again (back-off 10 s has passed),
    # the next re-sync is inside the 20 s back-off and records ImagePullBackOff, shown from the one after.
    "bad-image": [
        (0, "0/1", "ContainerCreating", 0, "Pending"),
        (0, "0/1", "ErrImagePull", 0, "Pending"),
        (10, "0/1", "ErrImagePull", 0, "Pending"),
        (10, "0/1", "ErrImagePull", 0, "Pending"),
        (20, "0/1", "ErrImagePull", 0, "Pending"),
        (30, "0/1", "ImagePullBackOff", 0, "Pending"),
        (30, "0/1", "ErrImagePull", 0, "Pending"),
        (40, "0/1", "ErrImagePull", 0, "Pending"),
        (50, "0/1", "ImagePullBackOff", 0, "Pending"),
    ],
    "unschedulable": [
        (0, "0/1", "Pending", 0, "Pending"),
        (60, "0/1", "Pending", 0, "Pending"),
        (60, "0/1", "Pending", 0, "Pending"),
    ],
    "init-crashloop": [
        (0, "0/1", "Init:0/1", 0, "Pending"),
        (0, "0/1", "Init:0/1", 0, "Pending"),
        (0, "0/1", "Init:0/1", 0, "Pending"),
        (0, "0/1", "Init:Error", 0, "Pending"),
        (0, "0/1", "Init:0/1", 1, "Pending"),
        (0, "0/1", "Init:Error", 1, "Pending"),
        (5, "0/1", "Init:CrashLoopBackOff", 1, "Pending"),
        (10, "0/1", "Init:CrashLoopBackOff", 1, "Pending"),
        (10, "0/1", "Init:0/1", 2, "Pending"),
        (10, "0/1", "Init:Error", 2, "Pending"),
        (11, "0/1", "Init:CrashLoopBackOff", 2, "Pending"),
    ],
    "never-fails": [
        (0, "0/1", "ContainerCreating", 0, "Pending"),
        (0, "0/1", "ContainerCreating", 0, "Pending"),
        (0, "1/1", "Running", 0, "Running"),
        (30, "1/1", "Running", 0, "Running"),
        (30, "0/1", "Error", 0, "Failed"),
        (330, "0/1", "Error", 0, "Failed"),
    ],
    "onfailure-succeeds": [
        (0, "0/1", "ContainerCreating", 0, "Pending"),
        (0, "0/1", "ContainerCreating", 0, "Pending"),
        (0, "1/1", "Running", 0, "Running"),
        (45, "1/1", "Running", 0, "Running"),
        (45, "0/1", "Completed", 0, "Succeeded"),
    ],
    # The sidecar counts in READY; once the main container exits 0 the kubelet stops the sidecar
    # and the pod completes (a sidecar never keeps a pod alive).
    "job-sidecar": [
        (0, "0/2", "Init:0/1", 0, "Pending"),
        (0, "0/2", "Init:0/1", 0, "Pending"),
        (0, "1/2", "PodInitializing", 0, "Pending"),
        (0, "1/2", "PodInitializing", 0, "Pending"),
        (0, "2/2", "Running", 0, "Running"),
        (120, "2/2", "Running", 0, "Running"),
        (120, "1/2", "Completed", 0, "Running"),
        (120, "0/2", "Completed", 0, "Succeeded"),
    ],
    # Liveness: three failures in a row (periodSeconds 10) and the kubelet kills and restarts it.
    "liveness-restart": [
        (0, "0/1", "ContainerCreating", 0, "Pending"),
        (0, "1/1", "Running", 0, "Running"),
        (0, "1/1", "Running", 0, "Running"),
        (10, "1/1", "Running", 0, "Running"),
        (10, "1/1", "Running", 0, "Running"),
        (20, "1/1", "Running", 0, "Running"),
        (20, "1/1", "Running", 0, "Running"),
        (30, "1/1", "Running", 0, "Running"),
        (30, "1/1", "Running", 0, "Running"),
        (30, "0/1", "Error", 0, "Running"),
        (30, "1/1", "Running", 1, "Running"),
        (30, "1/1", "Running", 1, "Running"),
    ],
    # Readiness: not ready until the first success, not ready again after three failures; no restart.
    "readiness-fail": [
        (0, "0/1", "ContainerCreating", 0, "Pending"),
        (0, "0/1", "Running", 0, "Running"),
        (0, "1/1", "Running", 0, "Running"),
        (5, "1/1", "Running", 0, "Running"),
        (5, "1/1", "Running", 0, "Running"),
        (10, "1/1", "Running", 0, "Running"),
        (10, "1/1", "Running", 0, "Running"),
        (15, "1/1", "Running", 0, "Running"),
        (15, "0/1", "Running", 0, "Running"),
        (75, "0/1", "Running", 0, "Running"),
    ],
    # A readiness gate: READY counts containers only, so it reads 1/1 throughout; the Ready
    # condition follows the gate (test_readiness_gate_drives_ready).
    "readiness-gate": [
        (0, "0/1", "ContainerCreating", 0, "Pending"),
        (0, "1/1", "Running", 0, "Running"),
        (20, "1/1", "Running", 0, "Running"),
        (20, "1/1", "Running", 0, "Running"),
        (80, "1/1", "Running", 0, "Running"),
        (80, "1/1", "Running", 0, "Running"),
    ],
    # Startup probe: six failures are within failureThreshold 30; started (and ready) at 60 s.
    "startup-probe": [
        (0, "0/1", "ContainerCreating", 0, "Pending"),
        *[(t, "0/1", "Running", 0, "Running") for t in (0, 0, 10, 10, 20, 20, 30, 30, 40, 40, 50, 50, 60)],
        (60, "1/1", "Running", 0, "Running"),
        (60, "1/1", "Running", 0, "Running"),
    ],
    # preStop longer than the grace period: abandoned at 30 s, SIGTERM, SIGKILL 2 s later (137).
    "prestop-grace": [
        (0, "0/1", "ContainerCreating", 0, "Pending"),
        (0, "1/1", "Running", 0, "Running"),
        (0, "1/1", "Terminating", 0, "Running"),
        (29, "1/1", "Terminating", 0, "Running"),
        (30, "1/1", "Terminating", 0, "Running"),
        (32, "0/1", "Error", 0, "Failed"),
    ],
    # Deleting a running pod whose process ignores SIGTERM: SIGKILL at the end of the grace period, Failed.
    "delete-ignores-sigterm": [
        (0, "0/1", "ContainerCreating", 0, "Pending"),
        (0, "1/1", "Running", 0, "Running"),
        (100, "1/1", "Running", 0, "Running"),
        (100, "1/1", "Terminating", 0, "Running"),
        (130, "0/1", "Error", 0, "Failed"),
    ],
    # Deleting a pod whose containers all exit 0 on SIGTERM: Succeeded, even under restartPolicy Always.
    "delete-clean-exit": [
        (0, "0/2", "ContainerCreating", 0, "Pending"),
        (0, "1/2", "ContainerCreating", 0, "Pending"),
        (0, "2/2", "Running", 0, "Running"),
        (0, "2/2", "Terminating", 0, "Running"),
        (3, "2/2", "Terminating", 0, "Running"),
        (3, "1/2", "Terminating", 0, "Running"),
        (3, "0/2", "Completed", 0, "Succeeded"),
    ],
}


def run_example(name: str) -> list[Step]:
    """Run examples/NAME: its one manifest through its script.yaml."""
    folder = EXAMPLES / name
    manifest = next(p for p in sorted(folder.glob("*.yaml")) if p.name != "script.yaml")
    sim = Simulator(load_pod(manifest))
    text, display = read_text(folder / "script.yaml")
    return [sim.apply(ev) for _, _, ev in events_from_script(load_documents(text, display), display)]


def _row(step: Step) -> tuple[int, str, str, int, str]:
    return (
        step.t,
        step.columns.ready,
        step.columns.status,
        step.columns.restarts,
        step.pod["status"]["phase"],
    )


def test_every_example_has_an_expected_sequence() -> None:
    """Every examples/*/script.yaml is pinned here, so no example goes untested."""
    assert {p.parent.name for p in EXAMPLES.glob("*/script.yaml")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_sequence(name: str) -> None:
    """The scenario gives exactly the pinned READY / STATUS / RESTARTS / phase sequence."""
    assert [_row(s) for s in run_example(name)] == EXPECTED[name]


def _conditions(pod: dict[str, Any]) -> dict[str, tuple[str, str]]:
    return {c["type"]: (c["status"], c.get("reason", "")) for c in pod["status"].get("conditions", [])}


def test_unschedulable_pod_scheduled_false() -> None:
    """A pod no node fits has PodScheduled=False, reason Unschedulable, with the scheduler's message."""
    last = run_example("unschedulable")[-1]
    assert _conditions(last.pod) == {"PodScheduled": ("False", "Unschedulable")}
    assert "Insufficient nvidia.com/gpu" in last.pod["status"]["conditions"][0]["message"]
    assert "containerStatuses" not in last.pod["status"]
    assert [e.reason for e in last.events] == ["FailedScheduling"]


def test_init_crashloop_app_never_starts() -> None:
    """While the init container crash-loops, the app container stays waiting PodInitializing."""
    for step in run_example("init-crashloop"):
        app = step.pod["status"]["containerStatuses"][0]
        assert app["state"] == {"waiting": {"reason": "PodInitializing"}}
        assert app["restartCount"] == 0 and app["started"] is False
        assert _conditions(step.pod)["Initialized"] == ("False", "ContainersNotInitialized")


def test_never_fails_terminal_conditions() -> None:
    """A failed pod has Ready and ContainersReady False with reason PodFailed (issue 108594)."""
    last = run_example("never-fails")[-1]
    conditions = _conditions(last.pod)
    assert conditions["Ready"] == ("False", "PodFailed")
    assert conditions["ContainersReady"] == ("False", "PodFailed")
    assert conditions["PodReadyToStartContainers"] == ("False", "")
    term = last.pod["status"]["containerStatuses"][0]["state"]["terminated"]
    assert (term["exitCode"], term["reason"]) == (1, "Error")


def test_onfailure_succeeded_conditions() -> None:
    """A succeeded pod: Initialized True PodCompleted, ContainersReady False PodCompleted."""
    conditions = _conditions(run_example("onfailure-succeeds")[-1].pod)
    assert conditions["Initialized"] == ("True", "PodCompleted")
    assert conditions["ContainersReady"] == ("False", "PodCompleted")
    assert conditions["Ready"] == ("False", "PodCompleted")


def test_job_sidecar_stopped_after_main() -> None:
    """The sidecar is killed (event Killing) only after the main container exited, and the Job pod succeeds."""
    steps = run_example("job-sidecar")
    exit_step = steps[-2]
    assert [e.reason for e in exit_step.events] == ["Killing"]
    assert exit_step.events[0].message == "Stopping container log-shipper"
    sidecar = steps[-1].pod["status"]["initContainerStatuses"][0]
    assert sidecar["state"]["terminated"]["exitCode"] == 0
    assert steps[-1].pod["status"]["phase"] == "Succeeded"


def test_busybox_events() -> None:
    """The first steps emit the kubelet's events with its exact messages."""
    steps = run_example("busybox")
    assert [(e.type, e.reason, e.message) for e in steps[0].events] == [
        ("Normal", "Scheduled", "Successfully assigned default/busybox to node-1"),
        ("Normal", "Pulling", 'Pulling image "busybox"'),
    ]
    assert [e.reason for e in steps[2].events] == ["Created", "Started"]
    assert [e.reason for e in steps[6].events] == ["BackOff"]
    waiting = steps[7].pod["status"]["containerStatuses"][0]["state"]["waiting"]
    assert waiting["reason"] == "CrashLoopBackOff"
    assert waiting["message"].startswith(
        "back-off 10s restarting failed container=busybox pod=busybox_default("
    )


def test_liveness_kill_events() -> None:
    """Each failed run emits Unhealthy; the third makes the kubelet kill it with the grace period (killContainer)."""
    steps = run_example("liveness-restart")
    assert [(e.type, e.reason) for e in steps[4].events] == [("Warning", "Unhealthy")]
    assert steps[4].events[0].message.startswith("Liveness probe failed: Get ")
    kill = steps[8]
    assert [e.reason for e in kill.events] == ["Unhealthy", "Killing"]
    assert kill.events[1].message == "Container api failed liveness probe, will be restarted"
    restarted = steps[10].pod["status"]["containerStatuses"][0]
    assert restarted["restartCount"] == 1
    assert restarted["lastState"]["terminated"]["exitCode"] == 143


def test_readiness_failure_pod_not_ready() -> None:
    """Readiness failing: Running 0/1, ContainersReady and Ready False ContainersNotReady, no restart."""
    last = run_example("readiness-fail")[-1]
    conditions = _conditions(last.pod)
    assert conditions["Ready"] == ("False", "ContainersNotReady")
    assert conditions["ContainersReady"] == ("False", "ContainersNotReady")
    status = last.pod["status"]["containerStatuses"][0]
    assert (status["ready"], status["started"], status["restartCount"]) == (False, True, 0)


def test_readiness_gate_drives_ready() -> None:
    """Ready waits for the gate's condition (ReadinessGatesNotReady), follows it both ways, and the
    controller's condition is listed before the kubelet's (generateAPIPodStatus)."""
    steps = run_example("readiness-gate")
    gate = "target-health.elbv2.k8s.aws/web-tg"
    ready = [_conditions(s.pod)["Ready"][0] for s in steps]
    assert ready == ["False", "False", "False", "True", "True", "False"]
    assert _conditions(steps[1].pod)["Ready"][1] == "ReadinessGatesNotReady"
    assert _conditions(steps[1].pod)["ContainersReady"][0] == "True"
    last = steps[-1].pod["status"]["conditions"]
    assert [c["type"] for c in last][:2] == [gate, "PodReadyToStartContainers"]
    assert (last[0]["status"], last[0]["reason"], last[0]["lastTransitionTime"]) == (
        "False",
        "Target.Timeout",
        "2026-01-01T00:01:20Z",
    )
    ready_cond = next(c for c in last if c["type"] == "Ready")
    assert ready_cond["message"] == f'the status of pod readiness gate "{gate}" is not "True", but False'


def test_startup_probe_gates_started() -> None:
    """Until the startup probe succeeds the container is running but not started (prober UpdatePodStatus)."""
    steps = run_example("startup-probe")
    before, after = steps[13].pod, steps[14].pod
    assert before["status"]["containerStatuses"][0]["started"] is False
    assert after["status"]["containerStatuses"][0]["started"] is True
    assert all(e.reason != "Killing" for s in steps for e in s.events)


def test_prestop_grace_exit_137_and_deletion_metadata() -> None:
    """Deletion sets deletionTimestamp = now + grace; the preStop overrun ends in SIGKILL (137)."""
    steps = run_example("prestop-grace")
    meta = steps[2].pod["metadata"]
    assert (meta["deletionTimestamp"], meta["deletionGracePeriodSeconds"]) == ("2026-01-01T00:00:30Z", 30)
    term = steps[-1].pod["status"]["containerStatuses"][0]["state"]["terminated"]
    assert (term["exitCode"], term["finishedAt"]) == (137, "2026-01-01T00:00:32Z")
    assert steps[-1].state.stage.name == "REMOVED"
