"""Lifecycle rules of the core model, each checked on a small scenario.

Every test names the Kubernetes rule it checks (../shared/k8s-semantics.md section and the
kubelet function).
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from podfsm import IllegalTransition, Pod, Simulator
from podfsm.engine import compile_plan, enabled_events, initial, step
from podfsm.events import Tick
from podfsm.machines.records import CState
from podfsm.model import DEFAULT


def sim_of(spec: dict[str, Any], name: str = "p") -> Simulator:
    return Simulator(Pod.from_api({"metadata": {"name": name}, "spec": spec}))


def run(sim: Simulator, *events: dict[str, Any]) -> list[tuple[int, str, str, int, str]]:
    rows = []
    for e in events:
        st = sim.apply(e)
        rows.append(
            (st.t, st.columns.ready, st.columns.status, st.columns.restarts, st.pod["status"]["phase"])
        )
    return rows


def statuses(sim: Simulator) -> dict[str, dict[str, Any]]:
    status = sim.pod["status"]
    return {
        c["name"]: c for c in [*status.get("initContainerStatuses", []), *status.get("containerStatuses", [])]
    }


def test_active_deadline_fails_pod_after_kill() -> None:
    """activeDeadlineSeconds: the kubelet kills what runs, then Failed / DeadlineExceeded (active_deadline.go, §2.4)."""
    sim = sim_of(
        {
            "activeDeadlineSeconds": 60,
            "terminationGracePeriodSeconds": 10,
            "containers": [{"name": "a", "image": "a:1"}],
        }
    )
    rows = run(
        sim,
        {"event": "schedule", "node": "n"},
        {"event": "image_pulled", "container": "a"},
        {"event": "container_started", "container": "a"},
        {"event": "tick", "seconds": 60},
    )
    # mergePodStatus holds the terminal phase (and its reason) while the container may still run
    assert rows[-1][2:] == ("Running", 0, "Running")
    assert [e.reason for e in sim.history[-1].events] == ["DeadlineExceeded", "Killing"]
    run(sim, {"event": "tick", "seconds": 10})  # SIGKILL at the end of the grace period
    status = sim.pod["status"]
    assert (status["phase"], status["reason"]) == ("Failed", "DeadlineExceeded")
    assert status["message"] == "Pod was active on the node longer than the specified deadline"
    assert statuses(sim)["a"]["state"]["terminated"]["exitCode"] == 137
    # printPod: status.reason, then overridden by the killed container's terminated reason
    assert sim.columns.status == "Error"


def test_deadline_terminate_pod_marks_unstarted_containers_unknown() -> None:
    """TerminatePod: a regular container that never ran becomes ContainerStatusUnknown / 137 (§2.5)."""
    sim = sim_of({"activeDeadlineSeconds": 5, "containers": [{"name": "a", "image": "a:1"}]})
    run(
        sim,
        {"event": "schedule", "node": "n"},
        {"event": "image_pull_failed", "container": "a"},
        {"event": "tick", "seconds": 5},
    )
    term = statuses(sim)["a"]["state"]["terminated"]
    assert (term["exitCode"], term["reason"]) == (137, "ContainerStatusUnknown")
    assert sim.pod["status"]["phase"] == "Failed"


def test_err_image_never_pull() -> None:
    """imagePullPolicy Never with the image absent: ErrImageNeverPull, stays Pending (EnsureImageExists)."""
    sim = sim_of({"containers": [{"name": "a", "image": "a:1", "imagePullPolicy": "Never"}]})
    rows = run(sim, {"event": "schedule", "node": "n"}, {"event": "tick", "seconds": 600})
    # the error the first sync records shows from the next sync on (the status is generated as a sync starts)
    assert [r[2] for r in rows] == ["ContainerCreating", "ErrImageNeverPull"]
    assert rows[-1][4] == "Pending"
    assert [e.reason for e in sim.history[0].events] == ["Scheduled", "ErrImageNeverPull", "Failed"]


def test_if_not_present_uses_node_images() -> None:
    """IfNotPresent with the image on the node: no pull, event Pulled 'already present' (EnsureImageExists)."""
    sim = sim_of({"containers": [{"name": "a", "image": "a:1"}]})
    sim.apply({"event": "schedule", "node": "n", "images": ["a:1"]})
    assert [e.message for e in sim.history[0].events][1] == 'Container image "a:1" already present on machine'
    assert sim.state.ctrs[0].state is CState.CREATING


def test_if_not_present_pulls_once() -> None:
    """IfNotPresent pulls the first time only; a restart finds the image present."""
    sim = sim_of({"restartPolicy": "OnFailure", "containers": [{"name": "a", "image": "a:1"}]})
    run(
        sim,
        {"event": "schedule", "node": "n"},
        {"event": "image_pulled", "container": "a"},
        {"event": "container_started", "container": "a"},
        {"event": "container_exited", "container": "a", "exit_code": 3},
    )
    assert sim.state.ctrs[0].state is CState.CREATING  # immediate restart, no pull
    assert [e.reason for e in sim.history[-1].events] == ["Pulled"]


def test_create_container_config_error_retried_after_10s() -> None:
    """CreateContainerConfigError shows at once and is retried at the next sync, 10 s later (backOffPeriod)."""
    sim = sim_of({"containers": [{"name": "a", "image": "a:1"}]})
    rows = run(
        sim,
        {"event": "schedule", "node": "n"},
        {"event": "image_pulled", "container": "a"},
        {
            "event": "container_start_failed",
            "container": "a",
            "reason": "CreateContainerConfigError",
            "message": 'configmap "cfg" not found',
        },
        {"event": "tick", "seconds": 9},
        {"event": "tick", "seconds": 1},
    )
    assert [r[2] for r in rows[2:]] == ["CreateContainerConfigError"] * 3
    assert sim.state.ctrs[0].state is CState.CREATING and rows[-1][3] == 0
    waiting = statuses(sim)["a"]["state"]["waiting"]
    assert waiting == {"reason": "CreateContainerConfigError", "message": 'configmap "cfg" not found'}


def test_run_container_error_counts_a_restart() -> None:
    """RunContainerError: the created instance exited 128 StartError; the next start counts a restart."""
    sim = sim_of({"containers": [{"name": "a", "image": "a:1", "imagePullPolicy": "IfNotPresent"}]})
    rows = run(
        sim,
        {"event": "schedule", "node": "n"},
        {"event": "image_pulled", "container": "a"},
        {
            "event": "container_start_failed",
            "container": "a",
            "reason": "RunContainerError",
            "message": "exec: not found",
        },
        {"event": "container_started", "container": "a"},
    )
    assert rows[2][2] == "RunContainerError"
    assert rows[3][1:4] == ("1/1", "Running", 1)
    last = statuses(sim)["a"]["lastState"]["terminated"]
    assert (last["exitCode"], last["reason"]) == (128, "StartError")


def test_sidecar_must_run_before_next_init_container() -> None:
    """The init container after a sidecar starts only once the sidecar runs (computeInitContainerActions)."""
    spec = {
        "initContainers": [
            {"name": "proxy", "image": "p:1", "restartPolicy": "Always"},
            {"name": "setup", "image": "s:1"},
        ],
        "containers": [{"name": "app", "image": "a:1"}],
    }
    sim = sim_of(spec)
    run(sim, {"event": "schedule", "node": "n"}, {"event": "image_pulled", "container": "proxy"})
    assert sim.state.ctrs[1].state is CState.WAITING
    run(sim, {"event": "container_started", "container": "proxy"})
    assert sim.state.ctrs[1].state is CState.PULLING
    rows = run(
        sim,
        {"event": "image_pulled", "container": "setup"},
        {"event": "container_started", "container": "setup"},
        {"event": "container_exited", "container": "setup", "exit_code": 0},
        {"event": "image_pulled", "container": "app"},
        {"event": "container_started", "container": "app"},
    )
    assert [r[2] for r in rows] == ["Init:1/2", "Init:1/2", "PodInitializing", "PodInitializing", "Running"]
    assert rows[-1][1] == "2/2"


def test_init_failure_under_never_waits_for_sidecar_then_fails() -> None:
    """Never + failed init container: Failed, but not while the sidecar may run (mergePodStatus, K3)."""
    spec = {
        "restartPolicy": "Never",
        "initContainers": [
            {"name": "proxy", "image": "p:1", "restartPolicy": "Always"},
            {"name": "setup", "image": "s:1"},
        ],
        "containers": [{"name": "app", "image": "a:1"}],
    }
    sim = sim_of(spec)
    rows = run(
        sim,
        {"event": "schedule", "node": "n"},
        {"event": "image_pulled", "container": "proxy"},
        {"event": "container_started", "container": "proxy"},
        {"event": "image_pulled", "container": "setup"},
        {"event": "container_started", "container": "setup"},
        {"event": "container_exited", "container": "setup", "exit_code": 2},
    )
    assert rows[-1][4] == "Pending"  # held: the sidecar is being stopped
    assert [e.reason for e in sim.history[-1].events] == ["Killing"]
    rows = run(sim, {"event": "container_exited", "container": "proxy", "exit_code": 143})
    assert rows[-1][4] == "Failed" and rows[-1][2] == "Init:Error"
    assert statuses(sim)["app"]["state"] == {"waiting": {"reason": "PodInitializing"}}


def test_sidecar_sigkill_after_grace() -> None:
    """A sidecar ignoring SIGTERM is SIGKILLed (137) when the grace period ends (killContainer)."""
    spec = {
        "restartPolicy": "OnFailure",
        "terminationGracePeriodSeconds": 20,
        "initContainers": [{"name": "proxy", "image": "p:1", "restartPolicy": "Always"}],
        "containers": [{"name": "app", "image": "a:1"}],
    }
    sim = sim_of(spec)
    run(
        sim,
        {"event": "schedule", "node": "n"},
        {"event": "image_pulled", "container": "proxy"},
        {"event": "container_started", "container": "proxy"},
        {"event": "image_pulled", "container": "app"},
        {"event": "container_started", "container": "app"},
        {"event": "container_exited", "container": "app", "exit_code": 0},
        {"event": "tick", "seconds": 19},
    )
    assert sim.pod["status"]["phase"] == "Running"
    run(sim, {"event": "tick", "seconds": 1})
    assert sim.pod["status"]["phase"] == "Succeeded"
    assert statuses(sim)["proxy"]["state"]["terminated"]["exitCode"] == 137


def test_last_transition_time_moves_only_on_change() -> None:
    """lastTransitionTime changes only with the condition's status (updateStatusInternal, K6)."""
    sim = sim_of({"containers": [{"name": "a", "image": "a:1"}]})
    run(
        sim,
        {"event": "schedule", "node": "n"},
        {"event": "tick", "seconds": 5},
        {"event": "image_pulled", "container": "a"},
    )
    times = {c["type"]: c["lastTransitionTime"] for c in sim.pod["status"]["conditions"]}
    run(sim, {"event": "tick", "seconds": 5}, {"event": "container_started", "container": "a"})
    after = {c["type"]: c["lastTransitionTime"] for c in sim.pod["status"]["conditions"]}
    assert after["PodScheduled"] == times["PodScheduled"] == "2026-01-01T00:00:00Z"
    assert after["Ready"] == "2026-01-01T00:00:10Z" != times["Ready"]


SPECS = [
    {
        "restartPolicy": p,
        "initContainers": i,
        "containers": [{"name": "a", "image": "a:1"}, {"name": "b", "image": "b"}],
    }
    for p in ("Always", "OnFailure", "Never")
    for i in ([], [{"name": "i", "image": "i:1"}, {"name": "s", "image": "s:1", "restartPolicy": "Always"}])
]


@pytest.mark.parametrize(
    "spec", SPECS, ids=[f"{s['restartPolicy']}-init{len(s['initContainers'])}" for s in SPECS]
)
def test_idle_sync_shortcut_equals_full_settle(spec: dict[str, Any]) -> None:
    """A tick with no timer due changes nothing a full settle would change (the engine's idle shortcut)."""
    pod = Pod.from_api({"metadata": {"name": "p"}, "spec": spec})
    plan = compile_plan(pod)
    full_plan = compile_plan(pod, model=DEFAULT.replace(idle_shortcut=False))
    rng = random.Random(7)
    for _ in range(40):
        s = initial(plan)
        for _ in range(60):
            options = enabled_events(plan, s)
            if not options:
                break
            ev = rng.choice(options)
            if isinstance(ev, Tick):
                ev = Tick(rng.randint(0, ev.seconds))
            fast = step(plan, s, ev)
            full = step(full_plan, s, ev)
            assert fast == full, ev
            s = fast


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(10, "10s"), (40, "40s"), (80, "1m20s"), (160, "2m40s"), (300, "5m0s"), (3600, "1h0m0s")],
)
def test_crash_loop_message_uses_go_durations(seconds: int, text: str) -> None:
    """doBackOff prints the period as a Go time.Duration: back-off 1m20s, 5m0s."""
    from podfsm.machines.container import go_duration

    assert go_duration(seconds) == text


# ---------------------------------------------------------------------------------------------
# Probes, hooks and termination
# ---------------------------------------------------------------------------------------------

PROBED = {
    "terminationGracePeriodSeconds": 20,
    "containers": [
        {
            "name": "a",
            "image": "a:1",
            "startupProbe": {"periodSeconds": 5, "failureThreshold": 2},
            "livenessProbe": {"periodSeconds": 10, "failureThreshold": 1, "terminationGracePeriodSeconds": 7},
            "readinessProbe": {"periodSeconds": 10, "initialDelaySeconds": 15},
        }
    ],
}
STARTED = (
    {"event": "schedule", "node": "n", "images": ["a:1"]},
    {"event": "container_started", "container": "a"},
)


def _illegal(sim: Simulator, event: dict[str, Any], rule: str) -> None:
    before = (sim.state, sim.pod, len(sim.history))
    with pytest.raises(IllegalTransition) as exc:
        sim.apply(event)
    assert rule in exc.value.rule, exc.value.rule
    assert (sim.state, sim.pod, len(sim.history)) == before


def test_probe_rules_are_enforced() -> None:
    """Startup gating, periodSeconds, initialDelaySeconds and undeclared probes are IllegalTransitions (doProbe)."""
    sim = sim_of(PROBED)
    run(sim, *STARTED)
    _illegal(
        sim, {"event": "probe", "container": "a", "probe": "liveness", "result": "success"}, "startup gating"
    )
    run(sim, {"event": "probe", "container": "a", "probe": "startup", "result": "success"})
    _illegal(
        sim, {"event": "probe", "container": "a", "probe": "startup", "result": "success"}, "has stopped"
    )
    _illegal(sim, {"event": "probe", "container": "a", "probe": "readiness", "result": "success"}, "t=15s")
    run(sim, {"event": "probe", "container": "a", "probe": "liveness", "result": "success"})
    _illegal(sim, {"event": "probe", "container": "a", "probe": "liveness", "result": "success"}, "t=10s")
    other = sim_of({"containers": [{"name": "b", "image": "b:1"}]})
    run(
        other,
        {"event": "schedule", "node": "n", "images": ["b:1"]},
        {"event": "container_started", "container": "b"},
    )
    _illegal(
        other,
        {"event": "probe", "container": "b", "probe": "liveness", "result": "success"},
        "no livenessProbe",
    )
    _illegal(
        other,
        {"event": "hook_finished", "container": "b", "hook": "preStop", "result": "success"},
        "no preStop hook",
    )


def test_liveness_kill_uses_probe_grace() -> None:
    """A liveness kill uses the probe's terminationGracePeriodSeconds (setTerminationGracePeriod)."""
    sim = sim_of(PROBED)
    run(sim, *STARTED, {"event": "probe", "container": "a", "probe": "startup", "result": "success"})
    run(sim, {"event": "probe", "container": "a", "probe": "liveness", "result": "failure"})
    assert sim.state.ctrs[0].state is CState.STOPPING and sim.state.ctrs[0].due == 7
    run(sim, {"event": "tick", "seconds": 7})
    assert statuses(sim)["a"]["state"]["terminated"]["exitCode"] == 137  # SIGKILL; the restart is in flight
    run(sim, {"event": "container_started", "container": "a"})
    status = statuses(sim)["a"]
    assert status["restartCount"] == 1 and status["lastState"]["terminated"]["exitCode"] == 137


def test_liveness_failure_under_never_kills_without_restart() -> None:
    """restartPolicy Never: a liveness failure kills the container and nothing restarts it; the pod fails."""
    spec = {
        "restartPolicy": "Never",
        "containers": [{"name": "a", "image": "a:1", "livenessProbe": {"failureThreshold": 1}}],
    }
    sim = sim_of(spec)
    run(sim, *STARTED, {"event": "probe", "container": "a", "probe": "liveness", "result": "failure"})
    assert sim.history[-1].events[-1].message == "Container a failed liveness probe"
    run(sim, {"event": "container_exited", "container": "a", "exit_code": 143})
    assert sim.pod["status"]["phase"] == "Failed" and statuses(sim)["a"]["restartCount"] == 0


def test_deletion_stops_liveness_keeps_readiness() -> None:
    """On deletion liveness and startup stop; readiness keeps probing and can turn Ready False (doProbe)."""
    spec = {
        "terminationGracePeriodSeconds": 60,
        "containers": [
            {
                "name": "a",
                "image": "a:1",
                "livenessProbe": {"periodSeconds": 10},
                "readinessProbe": {"periodSeconds": 10, "failureThreshold": 2},
            }
        ],
    }
    sim = sim_of(spec)
    run(sim, *STARTED, {"event": "probe", "container": "a", "probe": "readiness", "result": "success"})
    assert sim.columns.ready == "1/1"
    run(sim, {"event": "delete"})
    _illegal(
        sim, {"event": "probe", "container": "a", "probe": "liveness", "result": "failure"}, "has stopped"
    )
    run(
        sim,
        {"event": "tick", "seconds": 10},
        {"event": "probe", "container": "a", "probe": "readiness", "result": "failure"},
    )
    assert sim.columns.ready == "1/1"  # failureThreshold 2: one failure changes nothing yet
    run(
        sim,
        {"event": "tick", "seconds": 10},
        {"event": "probe", "container": "a", "probe": "readiness", "result": "failure"},
    )
    assert (sim.columns.status, sim.columns.ready) == ("Terminating", "0/1")
    assert {c["type"]: c["status"] for c in sim.pod["status"]["conditions"]}["Ready"] == "False"


def test_post_start_failure_kills_and_restarts() -> None:
    """A failed postStart hook kills the container (FailedPostStartHook); the restart policy applies."""
    spec = {
        "containers": [
            {"name": "a", "image": "a:1", "lifecycle": {"postStart": {"exec": {"command": ["x"]}}}}
        ]
    }
    sim = sim_of(spec)
    rows = run(sim, *STARTED)
    assert rows[-1][2] == "ContainerCreating"  # startContainer waits for the hook
    run(sim, {"event": "hook_finished", "container": "a", "hook": "postStart", "result": "failure"})
    assert [e.reason for e in sim.history[-1].events] == ["FailedPostStartHook", "Killing"]
    run(sim, {"event": "container_exited", "container": "a", "exit_code": 137})
    assert sim.state.ctrs[0].state is CState.CREATING  # first restart: immediate
    run(
        sim,
        {"event": "container_started", "container": "a"},
        {"event": "hook_finished", "container": "a", "hook": "postStart", "result": "success"},
    )
    assert sim.columns.status == "Running" and sim.columns.restarts == 1


def test_evict_adds_disruption_target() -> None:
    """The Eviction API: DisruptionTarget EvictionByEvictionAPI, then a graceful delete."""
    sim = sim_of({"containers": [{"name": "a", "image": "a:1"}]})
    run(sim, *STARTED, {"event": "evict"})
    conditions = {c["type"]: c for c in sim.pod["status"]["conditions"]}
    assert (conditions["DisruptionTarget"]["status"], conditions["DisruptionTarget"]["reason"]) == (
        "True",
        "EvictionByEvictionAPI",
    )
    assert sim.pod["status"]["conditions"][0]["type"] == "DisruptionTarget"
    assert sim.columns.status == "Terminating"


@pytest.mark.parametrize(
    ("events", "why"),
    [
        ((), "unscheduled"),
        (
            (*STARTED, {"event": "container_exited", "container": "a", "exit_code": 0}, {"event": "delete"}),
            "terminal",
        ),
        ((*STARTED,), "forced"),
    ],
    ids=["unscheduled", "terminal", "forced"],
)
def test_grace_zero_removes_at_once(events: tuple[dict[str, Any], ...], why: str) -> None:
    """CheckGracefulDelete: grace 0 (forced, unscheduled or terminal pod) removes the object at once."""
    sim = sim_of({"restartPolicy": "OnFailure", "containers": [{"name": "a", "image": "a:1"}]})
    run(sim, *events)
    if why != "terminal":
        run(sim, {"event": "delete", "grace_period_seconds": 0 if why == "forced" else 30})
    assert sim.state.stage.name == "REMOVED"
    assert sim.pod["metadata"]["deletionGracePeriodSeconds"] == 0
    _illegal(sim, {"event": "delete"}, "no longer exists")


def test_second_delete_only_shortens() -> None:
    """A second delete can shorten the grace period but never extend it."""
    sim = sim_of({"containers": [{"name": "a", "image": "a:1"}]})
    run(
        sim,
        *STARTED,
        {"event": "delete", "grace_period_seconds": 60},
        {"event": "delete", "grace_period_seconds": 10},
    )
    assert sim.pod["metadata"]["deletionTimestamp"] == "2026-01-01T00:00:10Z"
    run(sim, {"event": "delete", "grace_period_seconds": 100})
    assert sim.pod["metadata"]["deletionTimestamp"] == "2026-01-01T00:00:10Z"
    run(sim, {"event": "tick", "seconds": 10})
    assert sim.state.stage.name == "REMOVED" and sim.pod["status"]["phase"] == "Failed"


def test_termination_message_shows_in_terminated_then_last_state() -> None:
    """container_exited's message is state.terminated.message, then lastState's after the restart."""
    sim = sim_of({"containers": [{"name": "app", "image": "app:1", "imagePullPolicy": "IfNotPresent"}]})
    run(
        sim,
        {"event": "schedule", "node": "n1", "images": ["app:1"]},
        {"event": "container_started", "container": "app"},
        {"event": "container_exited", "container": "app", "exit_code": 1, "message": "panic: no config"},
    )
    term = statuses(sim)["app"]["state"]["terminated"]
    assert (term["exitCode"], term["reason"], term["message"]) == (1, "Error", "panic: no config")
    run(sim, {"event": "container_started", "container": "app"})  # the first restart is immediate
    app = statuses(sim)["app"]
    assert "running" in app["state"] and app["lastState"]["terminated"]["message"] == "panic: no config"


def test_a_sidecar_killed_by_its_liveness_probe_says_init_container() -> None:
    """computeInitContainerActions (kuberuntime_container.go) kills a restartable init container that
    failed its liveness probe with "Init container X failed liveness probe", no ", will be
    restarted" (that suffix is computePodActions', for regular containers), and restarts it."""
    pod = {
        "metadata": {"name": "p"},
        "spec": {
            "initContainers": [
                {
                    "name": "proxy",
                    "image": "p:1",
                    "restartPolicy": "Always",
                    "livenessProbe": {"failureThreshold": 1},
                }
            ],
            "containers": [{"name": "app", "image": "a:1", "livenessProbe": {"failureThreshold": 1}}],
        },
    }
    sim = Simulator(pod)
    for ev in [
        {"event": "schedule", "node": "n"},
        {"event": "image_pulled", "container": "proxy"},
        {"event": "container_started", "container": "proxy"},
    ]:
        sim.apply(ev)
    step = sim.apply({"event": "probe", "container": "proxy", "probe": "liveness", "result": "failure"})
    assert [(e.reason, e.message) for e in step.events if e.reason == "Killing"] == [
        ("Killing", "Init container proxy failed liveness probe")
    ]
    sim.apply({"event": "image_pulled", "container": "app"})
    sim.apply({"event": "container_started", "container": "app"})
    step = sim.apply({"event": "probe", "container": "app", "probe": "liveness", "result": "failure"})
    assert [e.message for e in step.events if e.reason == "Killing"] == [
        "Container app failed liveness probe, will be restarted"
    ]


def test_killpod_when_the_last_regular_container_exits_does_not_restart_a_sidecar() -> None:
    """computePodActions (kuberuntime_manager.go): once no regular container is kept or started,
    KillPod with ``InitContainersToStart = nil``: a sidecar whose restart is due in that same sync
    is not restarted (no BackOff Event), and the pod finishes. Regression: the model used to sync
    the sidecars before taking the decision."""
    spec = {
        "restartPolicy": "Never",
        "initContainers": [{"name": "proxy", "image": "p:1", "restartPolicy": "Always"}],
        "containers": [{"name": "app", "image": "a:1"}],
    }
    sim = sim_of(spec)
    run(
        sim,
        {"event": "schedule", "node": "n"},
        {"event": "image_pulled", "container": "proxy"},
        {"event": "container_started", "container": "proxy"},
        {"event": "image_pulled", "container": "app"},
        {"event": "container_started", "container": "app"},
        {"event": "container_exited", "container": "proxy", "exit_code": 1},  # restarted at once
        {"event": "container_exited", "container": "app", "exit_code": 0},  # the sidecar's start is in flight
    )
    assert sim.pod["status"]["phase"] == "Running"
    st = sim.apply({"event": "container_start_failed", "container": "proxy", "reason": "RunContainerError"})
    assert [e.reason for e in st.events] == ["Created", "Failed"]  # no BackOff: nothing is restarted
    assert st.pod["status"]["phase"] == "Succeeded" and st.columns.status == "Completed"
    assert "terminated" in statuses(sim)["proxy"]["state"]
