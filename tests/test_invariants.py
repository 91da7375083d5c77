"""podfsm.verification.invariants: the registry's shape, its coverage of k8s-semantics.md §10, each property
failing on a hand-made counterexample, every example scenario satisfying the whole registry, and
the model findings the suites reported (one test per finding, with its minimal event script)."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import pytest

from podfsm.api import Pod
from podfsm.api.loader import load_documents, read_text
from podfsm.engine import compile_plan, initial
from podfsm.enums import PodPhase
from podfsm.events import Event, event_from_dict, events_from_script
from podfsm.machines.records import CState, Ctr
from podfsm.simulator import load_pod
from podfsm.verification import invariants
from podfsm.verification.invariants import PENDING, REGISTRY, Kind, Obs, PropertyViolation
from podfsm.verification.verify import Checker

EXAMPLES = Path(__file__).absolute().parent.parent / "examples"

# ---------------------------------------------------------------------------------------------
# The registry
# ---------------------------------------------------------------------------------------------


def test_names_are_unique_kebab_case() -> None:
    """Every property name is a stable kebab-case identifier, unique across the registry and PENDING."""
    for name in [*REGISTRY, *PENDING]:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name), name
    assert not set(REGISTRY) & set(PENDING)


def test_every_property_has_statement_docstring_and_source() -> None:
    """Each property has a 'Holds if' docstring, a one-line statement taken from it, and a source."""
    for p in REGISTRY.values():
        assert p.doc.startswith("Holds if"), p.name
        assert p.statement.startswith("Holds if") and "\n" not in p.statement, p.name
        assert p.source.strip(), p.name
        assert isinstance(p.kind, Kind)


def test_every_kind_is_used_and_eventually_has_a_trigger() -> None:
    """The registry has always, always-step, sometimes and eventually properties; eventually ones are armed by a trigger."""
    assert {p.kind for p in REGISTRY.values()} == set(Kind)
    for p in invariants.properties(Kind.EVENTUALLY):
        assert p.trigger is not None, p.name


SECTION_10 = ["K1", "K2", "K3", "K4", "K5", "K6", "K7", "K8", "K9", "A1"] + [f"E{i}" for i in range(1, 11)]


@pytest.mark.parametrize("label", SECTION_10)
def test_section_10_invariant_is_registered_or_pending(label: str) -> None:
    """Every invariant of k8s-semantics.md §10 (K1–K9, A1, E1–E10) is a registered property or a PENDING entry."""
    sources = [p.source for p in REGISTRY.values()] + [p.source for p in PENDING.values()]
    assert any(s.startswith(f"{label}:") for s in sources), label


MODEL_OWN = [
    "init-containers-in-order",
    "init-containers-one-at-a-time",
    "no-app-container-before-initialization",
    "never-policy-never-restarts",
    "restart-count-monotonic",
    "restart-count-counts-restarts",
    "backoff-ladder",
    "deleted-pod-terminal-in-time",
    "phase-graph",
    "terminal-phase-not-ready",
    "ready-implies-containers-ready",
    "kubectl-status-printable",
    "phase-is-getphase",
]


@pytest.mark.parametrize("name", MODEL_OWN)
def test_model_own_property_is_registered(name: str) -> None:
    """The model's own properties the issue lists are registered under their stable names."""
    assert name in REGISTRY


def test_pending_entries_say_why() -> None:
    """Each PENDING entry has a statement, a source and the reason it cannot be checked yet."""
    for name, entry in PENDING.items():
        assert entry.statement and entry.source and entry.reason, name


def test_unknown_property_lists_the_available_names() -> None:
    """get() of an unknown name raises KeyError naming the request and the available properties."""
    with pytest.raises(KeyError, match=r"requested='nope', available=\[.*'phase-graph'"):
        invariants.get("nope")


def test_properties_filters_by_kind() -> None:
    """properties(kind) returns exactly the registered properties of that kind, in registry order."""
    steps = invariants.properties(Kind.ALWAYS_STEP)
    assert steps == [p for p in REGISTRY.values() if p.kind is Kind.ALWAYS_STEP]
    assert invariants.properties() == list(REGISTRY.values())


def test_violation_type_is_per_property() -> None:
    """PropertyViolation.of gives each property its own exception subclass (Hypothesis tells bugs apart by type)."""
    a = PropertyViolation.of(invariants.get("phase-graph"), "here")
    b = PropertyViolation.of(invariants.get("phase-is-getphase"), "there")
    assert type(a) is not type(b) and isinstance(a, PropertyViolation) and isinstance(b, AssertionError)
    assert type(a).__name__ == "PhaseGraphViolation"
    assert "property 'phase-graph' violated" in str(a)


# ---------------------------------------------------------------------------------------------
# Counterexamples: each property can fail
# ---------------------------------------------------------------------------------------------

POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "web"},
    "spec": {
        "restartPolicy": "Never",
        "initContainers": [{"name": "init", "image": "init:1"}],
        "containers": [{"name": "app", "image": "app:1"}],
    },
}
PLAN = compile_plan(Pod.from_api(POD))


def _status(name: str, state: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "state": state,
        "lastState": {},
        "ready": False,
        "restartCount": 0,
        "started": False,
        **extra,
    }


def _obj(phase: str = "Running", **status: Any) -> dict[str, Any]:
    pod = copy.deepcopy(POD)
    pod["spec"]["nodeName"] = "node-1"
    pod["status"] = {
        "phase": phase,
        "conditions": [],
        "startTime": "2026-01-01T00:00:00Z",
        "initContainerStatuses": [
            _status("init", {"terminated": {"exitCode": 0, "reason": "Completed"}}, ready=True)
        ],
        "containerStatuses": [
            _status("app", {"running": {"startedAt": "2026-01-01T00:00:00Z"}}, ready=True, started=True)
        ],
        **status,
    }
    return pod


def _obs(pod: dict[str, Any], t: int = 0, enabled: list[Event] | None = None) -> Obs:
    state = initial(PLAN)._replace(t=t, phase=PodPhase(pod["status"]["phase"]))
    return Obs(PLAN, state, pod, [] if enabled is None else enabled)


def _holds(name: str, *obs: Obs) -> bool:
    p = invariants.get(name)
    if p.kind is Kind.ALWAYS_STEP:
        return p.holds_step(obs[0], event_from_dict({"event": "tick", "seconds": 1}), obs[1])
    return p.holds_state(obs[0])


@dataclass(frozen=True, slots=True, repr=False)
class _ProbeRun(Event):
    """A stand-in probe event (the model's own probe events land with issue 4)."""

    NAME: ClassVar[str] = "probe"
    probe: str = "liveness"


def _ready(status: str) -> list[dict[str, Any]]:
    return [
        {"type": t, "status": status, "lastTransitionTime": "2026-01-01T00:00:00Z"}
        for t in ("Ready", "ContainersReady")
    ]


def test_counterexample_terminal_phase_absorbing() -> None:
    """terminal-phase-absorbing fails when Failed becomes Succeeded, and holds when Failed stays."""
    failed, succeeded = _obs(_obj("Failed")), _obs(_obj("Succeeded"))
    assert not _holds("terminal-phase-absorbing", failed, succeeded)
    assert _holds("terminal-phase-absorbing", failed, failed)


def test_counterexample_phase_graph() -> None:
    """phase-graph fails on Running → Pending and holds on Pending → Running."""
    assert not _holds("phase-graph", _obs(_obj("Running")), _obs(_obj("Pending")))
    assert _holds("phase-graph", _obs(_obj("Pending")), _obs(_obj("Running")))


def test_counterexample_no_illegal_container_resurrection() -> None:
    """K2 and A1 fail when a container terminated under Never runs again."""
    before = _obj(containerStatuses=[_status("app", {"terminated": {"exitCode": 1, "reason": "Error"}})])
    after = _obj()
    for name in ("no-illegal-container-resurrection", "apiserver-container-state-transition"):
        assert not _holds(name, _obs(before), _obs(after))
        assert _holds(name, _obs(after), _obs(before))


def test_counterexample_terminal_phase_not_ready() -> None:
    """terminal-phase-not-ready fails for a Succeeded pod with Ready=True."""
    assert not _holds("terminal-phase-not-ready", _obs(_obj("Succeeded", conditions=_ready("True"))))
    assert _holds("terminal-phase-not-ready", _obs(_obj("Succeeded", conditions=_ready("False"))))


def test_counterexample_no_terminal_phase_while_running() -> None:
    """no-terminal-phase-while-running fails for a Failed pod whose container shows running."""
    assert not _holds("no-terminal-phase-while-running", _obs(_obj("Failed")))


def test_counterexample_ready_implies_containers_ready() -> None:
    """ready-implies-containers-ready fails for Ready=True with ContainersReady=False."""
    conditions = [
        {"type": "Ready", "status": "True", "lastTransitionTime": "x"},
        {"type": "ContainersReady", "status": "False", "lastTransitionTime": "x"},
    ]
    assert not _holds("ready-implies-containers-ready", _obs(_obj(conditions=conditions)))


def test_counterexample_ready_needs_readiness_gates() -> None:
    """ready-needs-readiness-gates fails for Ready=True with a gate False or missing, holds with it True."""
    gate = {"type": "example.com/lb", "status": "False", "lastTransitionTime": "x"}
    pod = _obj(conditions=[gate, *_ready("True")])
    pod["spec"]["readinessGates"] = [{"conditionType": "example.com/lb"}]
    assert not _holds("ready-needs-readiness-gates", _obs(pod))
    pod["status"]["conditions"] = _ready("True")
    assert not _holds("ready-needs-readiness-gates", _obs(pod))
    pod["status"]["conditions"] = [{**gate, "status": "True"}, *_ready("True")]
    assert _holds("ready-needs-readiness-gates", _obs(pod))


def test_counterexample_ready_container_is_running() -> None:
    """ready-container-is-running fails for a ready container that is waiting."""
    waiting = _status("app", {"waiting": {"reason": "ContainerCreating"}}, ready=True)
    assert not _holds("ready-container-is-running", _obs(_obj(containerStatuses=[waiting])))
    assert _holds("ready-container-is-running", _obs(_obj()))


def test_counterexample_kubectl_status_printable() -> None:
    """kubectl-status-printable fails for an Init:N/M with N ≥ M and for an unknown reason."""
    bad_init = _status("init", {"waiting": {"reason": "Bogus Reason"}})
    assert not _holds("kubectl-status-printable", _obs(_obj(initContainerStatuses=[bad_init])))
    assert _holds("kubectl-status-printable", _obs(_obj()))
    assert invariants._STATUS_RE.fullmatch("Init:0/2") and invariants._STATUS_RE.fullmatch(
        "Init:CrashLoopBackOff"
    )
    assert not invariants._STATUS_RE.fullmatch("Init:")


def test_counterexample_phase_is_getphase() -> None:
    """phase-is-getphase fails for Pending with a running app; a terminal phase held back while a container runs is the exception."""
    assert not _holds("phase-is-getphase", _obs(_obj("Pending")))
    assert _holds("phase-is-getphase", _obs(_obj("Running")))
    failed_init = _status("init", {"terminated": {"exitCode": 1, "reason": "Error"}})
    held = _obj("Pending", initContainerStatuses=[failed_init])  # getPhase: Failed; the app still runs
    assert _holds("phase-is-getphase", _obs(held))


def test_counterexample_e2e_plausible_exit_codes() -> None:
    """e2e-plausible-exit-codes fails for exit 0 reported as Error and for ContainerStatusUnknown with 1."""
    for term in ({"exitCode": 0, "reason": "Error"}, {"exitCode": 1, "reason": "ContainerStatusUnknown"}):
        app = _status("app", {"terminated": term})
        assert not _holds("e2e-plausible-exit-codes", _obs(_obj(containerStatuses=[app])))


def test_counterexample_e2e_sane_timestamps() -> None:
    """e2e-sane-timestamps fails when finishedAt precedes startedAt."""
    term = {
        "exitCode": 1,
        "reason": "Error",
        "startedAt": "2026-01-01T00:00:09Z",
        "finishedAt": "2026-01-01T00:00:05Z",
    }
    app = _status("app", {"terminated": term})
    assert not _holds("e2e-sane-timestamps", _obs(_obj(containerStatuses=[app]), t=10))


def test_counterexample_e2e_statuses() -> None:
    """E1 / E2 fail when a status list has the wrong entries or vanishes."""
    assert not _holds("e2e-init-statuses", _obs(_obj(initContainerStatuses=[_status("x", {})])))
    assert not _holds("e2e-container-statuses-never-vanish", _obs(_obj()), _obs(_obj(containerStatuses=[])))


def test_counterexample_e2e_no_running_container_at_end() -> None:
    """E9 / E10 fail for a run that ends (nothing enabled) with a running container; they do not judge other states."""
    assert not _holds("e2e-no-running-container-at-end", _obs(_obj("Running"), enabled=[]))
    assert not _holds("e2e-no-lingering-nonterminal-phase", _obs(_obj("Running"), enabled=[]))
    assert _holds("e2e-no-running-container-at-end", _obs(_obj("Running"), enabled=[_ProbeRun()]))


def test_counterexample_restart_counts() -> None:
    """restart-count-monotonic fails when restartCount drops or jumps by 2; never-policy-never-restarts when it grows under Never."""

    def app(n: int) -> dict[str, Any]:
        return _obj(
            containerStatuses=[
                _status("app", {"running": {"startedAt": "2026-01-01T00:00:00Z"}}, restartCount=n)
            ]
        )

    assert not _holds("restart-count-monotonic", _obs(app(2)), _obs(app(1)))
    assert not _holds("restart-count-monotonic", _obs(app(0)), _obs(app(2)))
    assert not _holds("never-policy-never-restarts", _obs(app(0)), _obs(app(1)))


def test_counterexample_deletion_properties_can_fail() -> None:
    """The deletion properties, vacuous until the model deletes pods, fail on a deleted pod that misbehaves."""
    deleted = _obj("Running")
    deleted["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:30Z"
    deleted["metadata"]["deletionGracePeriodSeconds"] = 30
    assert not _holds("deleted-pod-terminal-in-time", _obs(deleted, t=33))
    assert _holds("deleted-pod-terminal-in-time", _obs(deleted, t=32))
    before = _obs(deleted)
    pulling = Obs(PLAN, before.state._replace(ctrs=(Ctr(), Ctr(state=CState.PULLING))), deleted, [])
    assert not _holds("deleted-pod-never-restarts", before, pulling)


def test_counterexample_probes_stop_when_terminal() -> None:
    """probes-stop-when-terminal fails when a probe event is enabled in a terminal pod, or liveness in a deleted one."""
    failed = _obj(
        "Failed", containerStatuses=[_status("app", {"terminated": {"exitCode": 1, "reason": "Error"}})]
    )
    assert not _holds("probes-stop-when-terminal", _obs(failed, enabled=[_ProbeRun("readiness")]))
    deleted = _obj("Running")
    deleted["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:30Z"
    assert not _holds("probes-stop-when-terminal", _obs(deleted, enabled=[_ProbeRun("liveness")]))
    assert _holds("probes-stop-when-terminal", _obs(deleted, enabled=[_ProbeRun("readiness")]))


def test_counterexample_condition_transition_time() -> None:
    """condition-transition-time fails when lastTransitionTime moves while the status stays."""
    before = _obj(
        conditions=[{"type": "Ready", "status": "True", "lastTransitionTime": "2026-01-01T00:00:00Z"}]
    )
    after = _obj(
        conditions=[{"type": "Ready", "status": "True", "lastTransitionTime": "2026-01-01T00:00:05Z"}]
    )
    assert not _holds("condition-transition-time", _obs(before), _obs(after, t=5))
    assert _holds("condition-transition-time", _obs(before), _obs(before, t=5))


# ---------------------------------------------------------------------------------------------
# The example scenarios satisfy the whole registry
# ---------------------------------------------------------------------------------------------


def _scenarios() -> list[Path]:
    return sorted(p.parent for p in EXAMPLES.glob("*/script.yaml"))


@pytest.mark.parametrize("folder", _scenarios(), ids=lambda p: p.name)
def test_example_scenario_satisfies_every_property(folder: Path) -> None:
    """Each examples/<name>/ script, replayed with every property checked at every step, violates none."""
    manifest = next(p for p in sorted(folder.glob("*.yaml")) if p.name != "script.yaml")
    pod = load_pod(manifest)
    text, name = read_text(folder / "script.yaml")
    checker = Checker(compile_plan(pod), pod.to_api(), attribute=None)
    for _, _, event in events_from_script(load_documents(text, name), name):
        checker.apply(event)


# ---------------------------------------------------------------------------------------------
# Model findings: properties the unmutated model violates (minimal event scripts). These fail
# until the model is fixed; the property is right by k8s-semantics.md (see each docstring).
# ---------------------------------------------------------------------------------------------


def _replay(spec: dict[str, Any], script: list[dict[str, Any]]) -> list[str]:
    """Apply ``script`` with every property checked (a violation raises); the phase after each step."""
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "finding"}, "spec": spec}
    checker = Checker(compile_plan(Pod.from_api(pod)), pod, attribute=None)
    phases = []
    for e in script:
        checker.apply(event_from_dict(e))
        phases.append(checker.obs.phase)
    return phases


def _c(name: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "image": f"{name}:1", "imagePullPolicy": "IfNotPresent", **extra}


def test_model_finding_sidecars_sigkilled_within_grace_plus_2s() -> None:
    """termination-within-grace: sidecars stopped in reverse order are all SIGKILLed by kill start + grace + 2 s (§5.4 (b)–(c): the wait for a turn is bounded by the remaining grace)."""
    spec = {
        "restartPolicy": "Never",
        "terminationGracePeriodSeconds": 0,
        "initContainers": [_c("s1", restartPolicy="Always"), _c("s2", restartPolicy="Always")],
        "containers": [_c("app")],
    }
    script = [
        {"event": "schedule", "node": "node-1"},
        {"event": "image_pulled", "container": "s1"},
        {"event": "container_started", "container": "s1"},
        {"event": "image_pulled", "container": "s2"},
        {"event": "container_started", "container": "s2"},
        {"event": "image_pulled", "container": "app"},
        {"event": "container_started", "container": "app"},
        {"event": "container_exited", "container": "app", "exit_code": 1},
        {"event": "tick", "seconds": 2},  # s2 SIGKILLed at 2 s; s1 is only now sent SIGTERM, SIGKILL at 4 s
    ]
    _replay(spec, script)


def test_model_finding_no_container_start_in_flight_in_a_terminal_pod() -> None:
    """no-terminal-phase-while-running: a sidecar restart in flight when activeDeadlineSeconds kills the pod keeps the pod from turning Failed until it is answered and stopped (found by the explorer; fixed in 4c413bc)."""
    spec = {
        "restartPolicy": "OnFailure",
        "terminationGracePeriodSeconds": 5,
        "activeDeadlineSeconds": 10,
        "initContainers": [_c("shipper", restartPolicy="Always")],
        "containers": [_c("job")],
    }
    script = [
        {"event": "schedule", "node": "node-1"},
        {"event": "image_pulled", "container": "shipper"},
        {"event": "container_started", "container": "shipper"},
        {"event": "image_pulled", "container": "job"},
        {"event": "container_started", "container": "job"},
        {"event": "container_exited", "container": "shipper", "exit_code": 0},  # restart: CREATING
        {"event": "tick", "seconds": 10},  # deadline: KillPod; job gets SIGTERM
        {"event": "tick", "seconds": 5},  # job SIGKILLed; shipper's start still in flight
        {"event": "container_started", "container": "shipper"},  # it runs: stopped now, then the pod ends
        {"event": "tick", "seconds": 2},
    ]
    _replay(spec, script)


def test_model_finding_if_not_present_retry_does_not_pull_a_present_image() -> None:
    """image-pull-policy-respected: a pull retried after ErrImagePull re-pulls under IfNotPresent although the node now has the image (EnsureImageExists checks presence first)."""
    spec = {
        "containers": [{"name": "app0", "image": "busybox:1.36"}, {"name": "app1", "image": "busybox:1.36"}]
    }
    script = [
        {"event": "schedule", "node": "node-1"},
        {"event": "image_pull_failed", "container": "app0"},
        {"event": "image_pulled", "container": "app1"},  # busybox:1.36 is now on the node
        {"event": "container_started", "container": "app1"},
        {"event": "tick", "seconds": 10},  # app0's retry: PULLING again
    ]
    _replay(spec, script)


def test_model_finding_no_decision_on_an_exit_while_a_start_is_in_flight() -> None:
    """sidecars-never-keep-pod-alive: the job's exit is published (done for good) while the sidecar's restart is in flight, then the sidecar restarts; the kubelet's SyncPod finishes the start before the next sync sees the exit, so both show in one status (§3.5 SyncPod; status generated when a sync starts)."""
    spec = {
        "restartPolicy": "OnFailure",
        "initContainers": [_c("proxy", restartPolicy="Always")],
        "containers": [_c("job")],
    }
    script = [
        {"event": "schedule", "node": "node-1"},
        {"event": "image_pulled", "container": "proxy"},
        {"event": "container_started", "container": "proxy"},
        {"event": "container_exited", "container": "proxy", "exit_code": 0},  # restart waits for job's start
        {"event": "image_pulled", "container": "job"},
        {"event": "container_started", "container": "job"},  # proxy's restart is now in flight
        {"event": "container_exited", "container": "job", "exit_code": 0},  # published: job done for good
        {"event": "container_started", "container": "proxy"},  # ... and proxy restarts after that
    ]
    _replay(spec, script)


def test_model_finding_no_liveness_probe_for_a_start_completing_after_deletion() -> None:
    """probes-stop-when-terminal: a container whose start was in flight when the pod was deleted runs its liveness probe once started, although liveness and startup probes stop on deletion (K9, worker.go doProbe)."""
    spec = {
        "restartPolicy": "OnFailure",
        "initContainers": [_c("side", restartPolicy="Always", livenessProbe={"exec": {"command": ["true"]}})],
        "containers": [_c("app")],
    }
    script = [
        {"event": "schedule", "node": "node-1", "images": ["side:1"]},  # side's start is in flight
        {"event": "delete"},  # TERMINATING: the kubelet waits for the runtime's answer
        {"event": "container_started", "container": "side"},  # liveness probe worker now PROBING
    ]
    _replay(spec, script)


def test_model_finding_restarting_sidecar_does_not_send_a_running_pod_back_to_pending() -> None:
    """phase-graph: with every app container crash-looping (waiting, last termination shown) and the
    sidecar restarted but not yet started, getPhase gave Pending after Running, because podHasInitialized
    was read as the deprecated HasAnyRegularContainerStarted (running or terminated only). The kubelet
    passes HasAnyActiveRegularContainerStarted: the apps' exited instances are in the current sandbox,
    so the pod stays Running."""
    spec = {
        "restartPolicy": "Always",
        "initContainers": [
            _c(
                "sidecar0",
                restartPolicy="Always",
                startupProbe={"exec": {"command": ["true"]}, "periodSeconds": 1, "failureThreshold": 1},
            )
        ],
        "containers": [_c("app0")],
    }
    script = [
        {"event": "schedule", "node": "node-1"},
        {"event": "image_pulled", "container": "sidecar0"},
        {"event": "container_started", "container": "sidecar0"},
        {"event": "probe", "container": "sidecar0", "probe": "startup", "result": "success"},
        {"event": "image_pulled", "container": "app0"},
        {"event": "container_started", "container": "app0"},  # Running
        {"event": "container_exited", "container": "sidecar0", "exit_code": 0},
        {
            "event": "container_started",
            "container": "sidecar0",
        },  # restarted: not started until its probe passes
        {"event": "container_exited", "container": "app0", "exit_code": 0},  # restarts at once
        {"event": "container_started", "container": "app0"},
        {"event": "container_exited", "container": "app0", "exit_code": 0},  # now in CrashLoopBackOff
        {"event": "tick", "seconds": 10},
    ]
    phases = _replay(spec, script)
    assert phases[5:] == ["Running"] * (len(script) - 5)


def test_model_finding_exit_during_a_sidecar_pull_is_not_a_phase_mismatch() -> None:
    """phase-is-getphase: the job exits 0 while the sidecar's restart pulls its image; the object
    (sidecar exited, job done) reads Succeeded, the model keeps Running until the start in flight
    settles. The kubelet pulls and starts within one SyncPod and only then generates a status, so
    this object is an artifact of publishing runtime answers one by one: the exception covers pulls."""
    spec = {
        "restartPolicy": "OnFailure",
        "terminationGracePeriodSeconds": 0,
        "initContainers": [_c("sidecar0", restartPolicy="Always", imagePullPolicy="Always")],
        "containers": [_c("app0", imagePullPolicy="Always")],
    }
    script = [
        {"event": "schedule", "node": "node-1"},
        {"event": "image_pulled", "container": "sidecar0"},
        {"event": "container_started", "container": "sidecar0"},
        {"event": "container_exited", "container": "sidecar0", "exit_code": 0},
        {"event": "image_pulled", "container": "app0"},
        {"event": "container_started", "container": "app0"},  # sidecar0's restart pull is now in flight
        {"event": "container_exited", "container": "app0", "exit_code": 0},
        {"event": "image_pulled", "container": "sidecar0"},
    ]
    phases = _replay(spec, script)
    assert phases[-2] == "Running" and phases[-1] in ("Running", "Succeeded")


def test_model_finding_a_delete_during_the_deadline_kill_does_not_move_the_deadline_bound() -> None:
    """active-deadline-enforced: the deadline's kill (grace 30) is under way when a delete with grace 1
    comes at 22 s; the property read the shortened grace back to the deadline (15 + 1 + 2 = 18 s) and
    flagged a pod the kubelet could not have stopped before the delete. Found by the thorough bulk suite."""
    spec = {
        "restartPolicy": "Always",
        "activeDeadlineSeconds": 15,
        "initContainers": [_c("sidecar0", restartPolicy="Always")],
        "containers": [_c("app0")],
    }
    script = [
        {"event": "schedule", "node": "node-1"},
        {"event": "image_pulled", "container": "sidecar0"},
        {"event": "container_started", "container": "sidecar0"},
        {"event": "image_pulled", "container": "app0"},
        {"event": "container_started", "container": "app0"},
        {"event": "tick", "seconds": 15},  # DeadlineExceeded: the kill starts, grace 30
        {"event": "tick", "seconds": 7},
        {"event": "delete", "grace_period_seconds": 1},
        {"event": "tick", "seconds": 2},  # app0 SIGKILLed at 24; the sidecar's turn began at 23
        {"event": "tick", "seconds": 1},  # ... and it is SIGKILLed 2 s after its SIGTERM: Failed at 25 s
    ]
    phases = _replay(spec, script)
    assert phases[-3:] == ["Running", "Running", "Failed"]
