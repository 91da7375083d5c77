"""The kubelet's terminal window: the pod is decided Failed or Succeeded, its containers still run.

``generateAPIPodStatus`` (kubelet_pods.go) generates the kubelet-owned conditions from the phase it
has just computed (``getPhase``, or ``Failed`` once ``ShouldEvict`` says so: the active deadline),
and ``mergePodStatus`` (status/status_manager.go) then holds back only phase, reason and message
while containers may still run. Regression tests for the three cases issue 10 names, the readiness
gates' view of the condition list, and the properties that now check it.
"""

from __future__ import annotations

from typing import Any

import pytest

from podfsm import Pod, Simulator
from podfsm.engine import compile_plan, initial, step
from podfsm.enums import PodPhase
from podfsm.events import ContainerExited, ContainerStarted, ImagePulled, Schedule, Tick
from podfsm.kubelet import kubelet_phase
from podfsm.machines.pod import PEvent, PStage
from podfsm.model import DEFAULT, Model
from podfsm.simulator import Step
from podfsm.verification import invariants, mutants


def _sim(spec: dict[str, Any], name: str = "p") -> Simulator:
    return Simulator(
        Pod.from_api({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": spec})
    )


def _conds(st: Step) -> dict[str, tuple[str, str]]:
    return {c["type"]: (c["status"], c.get("reason", "")) for c in st.pod["status"]["conditions"]}


DEADLINE = {
    "restartPolicy": "Always",
    "activeDeadlineSeconds": 30,
    "terminationGracePeriodSeconds": 20,
    "containers": [{"name": "app", "image": "nginx"}],
}


def test_deadline_kill_publishes_terminal_conditions_while_running() -> None:
    """Past activeDeadlineSeconds, while the kill runs: phase still Running, but Ready and ContainersReady are False with PodFailed."""
    sim = _sim(DEADLINE)
    sim.run([Schedule("node-1"), ImagePulled("app"), ContainerStarted("app")])
    assert _conds(sim.history[-1])["Ready"] == ("True", "")
    st = sim.apply(Tick(30))
    assert st.pod["status"]["phase"] == "Running"
    assert "reason" not in st.pod["status"]  # mergePodStatus holds reason and message back too
    assert _conds(st)["Ready"] == ("False", "PodFailed")
    assert _conds(st)["ContainersReady"] == ("False", "PodFailed")
    assert kubelet_phase(sim.plan, st.state) is PodPhase.FAILED
    st = sim.apply(ContainerExited("app", exit_code=0))
    assert (st.pod["status"]["phase"], st.pod["status"]["reason"]) == ("Failed", "DeadlineExceeded")
    assert _conds(st)["Ready"] == ("False", "PodFailed")


def test_init_failure_under_never_with_running_sidecar() -> None:
    """An init container fails under Never while a sidecar runs: phase still Pending, ContainersReady/Ready False PodFailed until the sidecar stops."""
    sim = _sim(
        {
            "restartPolicy": "Never",
            "initContainers": [
                {"name": "side", "image": "envoy", "restartPolicy": "Always"},
                {"name": "init", "image": "busybox"},
            ],
            "containers": [{"name": "app", "image": "nginx"}],
        }
    )
    sim.run(
        [
            Schedule("node-1"),
            ImagePulled("side"),
            ContainerStarted("side"),
            ImagePulled("init"),
            ContainerStarted("init"),
        ]
    )
    st = sim.apply(ContainerExited("init", exit_code=1))
    assert st.pod["status"]["phase"] == "Pending"
    side = st.pod["status"]["initContainerStatuses"][0]
    assert "running" in side["state"]  # the sidecar is being stopped, still running
    assert _conds(st)["ContainersReady"] == ("False", "PodFailed")
    assert _conds(st)["Ready"] == ("False", "PodFailed")
    assert _conds(st)["Initialized"] == ("False", "ContainersNotInitialized")
    st = sim.apply(Tick(1))
    st = sim.apply(ContainerExited("side", exit_code=0))
    assert st.pod["status"]["phase"] == "Failed"


def test_start_completing_after_the_deadline_neither_runs_nor_readies_the_pod() -> None:
    """The deadline passes while a start is in flight; the start completes: the phase stays Pending and Ready stays False (PodFailed)."""
    sim = _sim(DEADLINE)
    sim.run([Schedule("node-1"), ImagePulled("app")])
    st = sim.apply(Tick(30))
    assert st.pod["status"]["phase"] == "Pending"
    st = sim.apply(ContainerStarted("app"))
    assert "running" in st.pod["status"]["containerStatuses"][0]["state"]
    assert st.pod["status"]["phase"] == "Pending"
    assert _conds(st)["Ready"] == ("False", "PodFailed")
    st = sim.apply(Tick(1))
    assert st.pod["status"]["phase"] == "Pending"
    st = sim.apply(ContainerExited("app", exit_code=143))
    assert (st.pod["status"]["phase"], st.pod["status"]["reason"]) == ("Failed", "DeadlineExceeded")


def _gated(gate: str) -> Simulator:
    sim = _sim(
        {
            "restartPolicy": "Always",
            "readinessGates": [{"conditionType": gate}],
            "initContainers": [{"name": "init", "image": "busybox"}],
            "containers": [{"name": "app", "image": "nginx"}],
        }
    )
    sim.run(
        [
            Schedule("node-1"),
            ImagePulled("init"),
            ContainerStarted("init"),
            ContainerExited("init", exit_code=0),
            ImagePulled("app"),
            ContainerStarted("app"),
        ]
    )
    return sim


def test_readiness_gate_on_initialized_reads_the_generated_condition() -> None:
    """A readiness gate naming Initialized is satisfied by the Initialized condition generated just before Ready."""
    st = _gated("Initialized").history[-1]
    assert _conds(st)["Initialized"] == ("True", "")
    assert _conds(st)["Ready"] == ("True", "")


@pytest.mark.parametrize("gate", ["Ready", "ContainersReady", "PodScheduled"])
def test_readiness_gate_on_a_condition_generated_after_ready_never_passes(gate: str) -> None:
    """A readiness gate naming Ready, ContainersReady or PodScheduled finds no condition when generateAPIPodStatus generates Ready."""
    st = _gated(gate).history[-1]
    ready = next(c for c in st.pod["status"]["conditions"] if c["type"] == "Ready")
    assert (ready["status"], ready["reason"]) == ("False", "ReadinessGatesNotReady")
    assert ready["message"] == f'corresponding condition of pod readiness gate "{gate}" does not exist.'


# ------------------------------------------------------------------------------------------------
# The properties that check it, and their mutants
# ------------------------------------------------------------------------------------------------


def _walk(spec: dict[str, Any], events: list[Any], model: Model = DEFAULT) -> list[invariants.Obs]:
    plan = compile_plan(
        Pod.from_api({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}),
        model=model,
    )
    s = initial(plan)
    obs = [invariants.observe(plan, s)]
    for ev in events:
        s = step(plan, s, ev)
        obs.append(invariants.observe(plan, s, obs[-1].pod))
    return obs


_IN_FLIGHT = [Schedule("node-1"), ImagePulled("app"), Tick(30), ContainerStarted("app"), Tick(1)]
_KILL = [Schedule("node-1"), ImagePulled("app"), ContainerStarted("app"), Tick(30)]


def test_properties_hold_in_the_terminal_window() -> None:
    """conditions-follow-kubelet-phase and terminal-decision-holds-phase hold on both deadline runs."""
    state_prop = invariants.get("conditions-follow-kubelet-phase")
    step_prop = invariants.get("terminal-decision-holds-phase")
    for events in (_KILL, _IN_FLIGHT):
        obs = _walk(DEADLINE, events)
        assert all(state_prop.holds_state(o) for o in obs)
        assert all(step_prop.holds_step(a, e, b) for a, e, b in zip(obs, events, obs[1:], strict=False))


def test_conditions_mutant_breaks_the_conditions_property() -> None:
    """With conditions generated from the published phase, Ready stays True in the deadline kill: the property fails there."""
    prop = invariants.get("conditions-follow-kubelet-phase")
    obs = _walk(DEADLINE, _KILL, mutants.get("conditions-from-published-phase").model)
    assert [prop.holds_state(o) for o in obs] == [True, True, True, True, False]
    assert obs[-1].cond("Ready")["status"] == "True"  # type: ignore[index]


def test_deadline_mutant_breaks_the_held_phase_property() -> None:
    """Forgetting ShouldEvict, a start completing after the deadline publishes Running: terminal-decision-holds-phase fails on that step."""
    prop = invariants.get("terminal-decision-holds-phase")
    obs = _walk(DEADLINE, _IN_FLIGHT, mutants.get("deadline-forgotten-by-later-start").model)
    verdicts = [prop.holds_step(a, e, b) for a, e, b in zip(obs, _IN_FLIGHT, obs[1:], strict=False)]
    assert verdicts == [True, True, True, False, True]
    assert obs[4].phase == "Running"


def _cache_observations(model: Model = DEFAULT) -> list[invariants.Obs]:
    """The evicted BestEffort pod of examples/memory-pressure, observed after every step."""
    from podfsm import ClusterSimulator
    from podfsm.api.loader import load_documents, load_pods, read_text
    from podfsm.events import events_from_script

    sim = ClusterSimulator(load_pods("examples/memory-pressure/pods.yaml"), model=model)
    text, name = read_text("examples/memory-pressure/scenario.yaml")
    for _, _, ev in events_from_script(load_documents(text, name), name):
        sim.apply(ev)
    return [invariants.Obs(sim.plan.pods[0], st.state, st.pod, ()) for st in sim.pod_history("cache")]


def test_kubelet_disruption_condition_comes_with_the_terminal_phase() -> None:
    """A kubelet eviction's DisruptionTarget (TerminationByKubelet) is published with Failed, not while the container is killed."""
    prop = invariants.get("kubelet-disruption-with-terminal-phase")
    obs = _cache_observations()
    evicted = next(i for i, o in enumerate(obs) if o.state.disruption is not None)
    assert obs[evicted].cond("DisruptionTarget") is None and obs[evicted].phase == "Running"
    final = obs[-1]
    assert final.phase == "Failed" and final.cond("DisruptionTarget")["reason"] == "TerminationByKubelet"  # type: ignore[index]
    assert all(prop.holds_state(o) for o in obs)


def test_kubelet_disruption_property_catches_an_early_condition() -> None:
    """A model that publishes the kubelet's DisruptionTarget at once fails kubelet-disruption-with-terminal-phase."""
    from podfsm.verification.explorer import MODELS

    early = mutants.Mutant(
        "kubelet-disruption-early",
        "mergePodStatus sends the kubelet's DisruptionTarget before the phase is terminal",
        "kubelet-disruption-with-terminal-phase",
        MODELS["single-always"],  # not a witness: kubelet evictions need the node (podfsm.cluster)
        lambda m: m.replace(disruption_shown=lambda s: s.disruption is not None),
    )
    prop = invariants.get(early.breaks)
    obs = _cache_observations(early.model)
    assert not all(prop.holds_state(o) for o in obs)


def test_init_failure_under_never_is_a_pod_table_row_read_in_spec_order() -> None:
    """kubelet.init_progress, the projection the pod table's SYNC rows read: FAILED for a failed
    regular init container under Never, once every init container before it is done (a started
    sidecar, an init container that exited 0); never under OnFailure; not while a sidecar before
    it waits; DONE once every init container completed and every sidecar started."""
    from podfsm.kubelet import init_progress
    from podfsm.machines.pod import InitProgress
    from podfsm.machines.records import CState as S
    from podfsm.machines.records import Ctr, Term

    spec = {
        "restartPolicy": "Never",
        "initContainers": [
            {"name": "proxy", "image": "p", "restartPolicy": "Always"},
            {"name": "migrate", "image": "m"},
        ],
        "containers": [{"name": "app", "image": "a"}],
    }
    plan = compile_plan(Pod.from_api({"metadata": {"name": "p"}, "spec": spec}))
    failed = Ctr(state=S.TERMINATED, term=Term(1, "Error", "", 0, 1))
    running = Ctr(state=S.RUNNING, started_at=0, ever_started=True)
    completed = Ctr(state=S.TERMINATED, term=Term(0, "Completed", "", 0, 1))
    assert init_progress(plan, (running, failed, Ctr())) is InitProgress.FAILED
    # the sidecar has not started: initialization waits on it
    assert init_progress(plan, (Ctr(), failed, Ctr())) is InitProgress.WAITING
    assert init_progress(plan, (running, completed, Ctr())) is InitProgress.DONE
    assert init_progress(plan, (running, Ctr(), Ctr())) is InitProgress.WAITING
    on_failure = compile_plan(
        Pod.from_api({"metadata": {"name": "p"}, "spec": {**spec, "restartPolicy": "OnFailure"}})
    )
    assert init_progress(on_failure, (running, failed, Ctr())) is InitProgress.WAITING
    rows = list(plan.model.pod.rows_for(PStage.INITIALIZING, PEvent.SYNC))
    assert [r.guard_name for r in rows] == ["deadline_passed", "init_failed_for_good", "init_done"]
