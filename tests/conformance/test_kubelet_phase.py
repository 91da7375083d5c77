"""Conformance: the kubelet's ``getPhase`` test tables, ported from upstream Kubernetes.

Source: ``kubernetes/kubernetes`` ``pkg/kubelet/kubelet_pods_test.go`` at commit
``001a80e975bb880d0fe60b304d30950fe661f278`` (stored file-version id 56003138514), the newest stored
version; it calls the logger-first ``getPhase(logger, pod, statuses, podIsTerminal, podHasInitialized)``.
(An older stored version, commit ``aba588cd14e0d3654e02402cc9acb114190f7769``, id 8817320, has the
3-argument ``getPhase`` and different expectations in the AndPodHasRun table; it is NOT what is ported.)

Ported tables (every case, upstream ``test`` strings used verbatim as pytest ids):

* ``TestPodPhaseWithRestartAlways``
* ``TestPodPhaseWithRestartAlwaysInitContainers``
* ``TestPodPhaseWithRestartAlwaysRestartableInitContainers``
* ``TestPodPhaseWithRestartAlwaysAndPodHasRun``
* ``TestPodPhaseWithRestartNever``
* ``TestPodPhaseWithRestartNeverInitContainers``
* ``TestPodPhaseWithRestartNeverRestartableInitContainers``
* ``TestPodPhaseWithRestartOnFailure``

Not ported: ``TestPodPhaseWithContainerRestartPolicy``, ``TestPodPhaseWithContainerRestartPolicyInitContainers``
and ``TestPodPhaseWithRestartAllContainers`` in the same file. They switch on the alpha feature gates
``ContainerRestartRules`` / ``RestartAllContainersOnContainerExits`` (``SetFeatureGateDuringTest``), which
``podfsm.pod_phase`` models as OFF (k8s-semantics.md §2.2/§2.3), so they do not depend on getPhase alone.

Go's ``getPhase`` receives the container statuses as a separate list; here they are placed in
``status.initContainerStatuses`` / ``status.containerStatuses`` exactly as each Go case sets them, and
``pod_is_terminal`` / ``pod_has_initialized`` are always passed with the values the Go test loop passes.
The status dicts mirror the Go helper constructors (``runningState`` etc.) as ``kubectl get -o json``
would print them (``ready``/``restartCount`` always present, ``started`` only when the Go pointer is set,
an unset ``v1.ContainerState{}`` as ``{}``).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

import podfsm

# --- builders mirroring the Go helpers in kubelet_pods_test.go -------------------------------------


def _status(name: str, state: dict[str, Any], last_state: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "name": name,
        "state": state,
        "lastState": last_state if last_state is not None else {},
        "ready": False,
        "restartCount": 0,
    }


def waiting_state(name: str) -> dict[str, Any]:
    """Go ``waitingState``: ``waitingStateWithReason(cName, "")``."""
    return waiting_state_with_reason(name, "")


def waiting_state_with_reason(name: str, reason: str) -> dict[str, Any]:
    """Go ``waitingStateWithReason``: State.Waiting{Reason: reason} (reason is omitempty)."""
    waiting: dict[str, Any] = {"reason": reason} if reason else {}
    return _status(name, {"waiting": waiting})


def waiting_state_with_last_termination(name: str) -> dict[str, Any]:
    """Go ``waitingStateWithLastTermination``: waiting, LastTerminationState.Terminated{ExitCode: 0}."""
    return _status(name, {"waiting": {}}, {"terminated": {"exitCode": 0}})


def waiting_state_with_non_zero_termination(name: str) -> dict[str, Any]:
    """Go ``waitingStateWithNonZeroTermination``: waiting, LastTerminationState.Terminated{ExitCode: -1}."""
    return _status(name, {"waiting": {}}, {"terminated": {"exitCode": -1}})


def running_state(name: str) -> dict[str, Any]:
    """Go ``runningState``: State.Running{} (Started pointer nil)."""
    return _status(name, {"running": {}})


def started_state(name: str) -> dict[str, Any]:
    """Go ``startedState``: State.Running{}, Started: &true."""
    status = _status(name, {"running": {}})
    status["started"] = True
    return status


def running_state_with_started_at(name: str, started_at: str) -> dict[str, Any]:
    """Go ``runningStateWithStartedAt``: State.Running{StartedAt: startedAt} (RFC 3339 string here)."""
    return _status(name, {"running": {"startedAt": started_at}})


def stopped_state(name: str) -> dict[str, Any]:
    """Go ``stoppedState``: State.Terminated{} (ExitCode zero value 0)."""
    return _status(name, {"terminated": {"exitCode": 0}})


def succeeded_state(name: str) -> dict[str, Any]:
    """Go ``succeededState``: State.Terminated{ExitCode: 0}."""
    return _status(name, {"terminated": {"exitCode": 0}})


def failed_state(name: str) -> dict[str, Any]:
    """Go ``failedState``: State.Terminated{ExitCode: -1}."""
    return _status(name, {"terminated": {"exitCode": -1}})


def _spec(
    restart_policy: str, containers: list[str], init_containers: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "nodeName": "machine",
        "containers": [{"name": n} for n in containers],
        "restartPolicy": restart_policy,
    }
    if init_containers:
        spec["initContainers"] = init_containers
    return spec


def _pod(
    spec: dict[str, Any],
    init_statuses: list[dict[str, Any]] | None = None,
    statuses: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A v1.Pod dict; status lists are only present when the Go case sets them (slices are omitempty)."""
    status: dict[str, Any] = {}
    if init_statuses is not None:
        status["initContainerStatuses"] = init_statuses
    if statuses is not None:
        status["containerStatuses"] = statuses
    return {"metadata": {"name": "pod"}, "spec": copy.deepcopy(spec), "status": status}


def _check(pod: dict[str, Any], pod_is_terminal: bool, pod_has_initialized: bool, expected: str) -> None:
    actual = podfsm.pod_phase(pod, pod_is_terminal=pod_is_terminal, pod_has_initialized=pod_has_initialized)
    assert actual == expected


SIDECAR_X = {"name": "containerX", "restartPolicy": "Always"}

# --- TestPodPhaseWithRestartAlways ------------------------------------------------------------------

ALWAYS = _spec("Always", ["containerA", "containerB"])


# kubelet_pods_test.go TestPodPhaseWithRestartAlways
# Go loop: getPhase(logger, test.pod, test.pod.Status.ContainerStatuses, test.podIsTerminal, false)
@pytest.mark.parametrize(
    ("pod", "pod_is_terminal", "expected"),
    [
        pytest.param(_pod(ALWAYS), False, "Pending", id="waiting"),
        pytest.param(
            _pod(ALWAYS, statuses=[running_state("containerA"), running_state("containerB")]),
            False,
            "Running",
            id="all running",
        ),
        pytest.param(
            _pod(ALWAYS, statuses=[stopped_state("containerA"), stopped_state("containerB")]),
            False,
            "Running",
            id="all stopped with restart always",
        ),
        pytest.param(
            _pod(ALWAYS, statuses=[succeeded_state("containerA"), succeeded_state("containerB")]),
            True,
            "Succeeded",
            id="all succeeded with restart always, but the pod is terminal",
        ),
        pytest.param(
            _pod(ALWAYS, statuses=[succeeded_state("containerA"), failed_state("containerB")]),
            True,
            "Failed",
            id="all stopped with restart always, but the pod is terminal",
        ),
        pytest.param(
            _pod(ALWAYS, statuses=[running_state("containerA"), stopped_state("containerB")]),
            False,
            "Running",
            id="mixed state #1 with restart always",
        ),
        pytest.param(
            _pod(ALWAYS, statuses=[running_state("containerA")]),
            False,
            "Pending",
            id="mixed state #2 with restart always",
        ),
        pytest.param(
            _pod(ALWAYS, statuses=[running_state("containerA"), waiting_state("containerB")]),
            False,
            "Pending",
            id="mixed state #3 with restart always",
        ),
        pytest.param(
            _pod(
                ALWAYS,
                statuses=[running_state("containerA"), waiting_state_with_last_termination("containerB")],
            ),
            False,
            "Running",
            id="backoff crashloop container with restart always",
        ),
    ],
)
def test_pod_phase_with_restart_always(pod: dict[str, Any], pod_is_terminal: bool, expected: str) -> None:
    """restartPolicy=Always, two regular containers: phase from their states, terminal pods end Succeeded/Failed."""
    _check(pod, pod_is_terminal, False, expected)


# --- TestPodPhaseWithRestartAlwaysInitContainers ----------------------------------------------------

ALWAYS_INIT = _spec("Always", ["containerA", "containerB"], [{"name": "containerX"}])


# kubelet_pods_test.go TestPodPhaseWithRestartAlwaysInitContainers
# Go loop: getPhase(logger, test.pod, statusInfo, false, false)
@pytest.mark.parametrize(
    ("pod", "expected"),
    [
        pytest.param(_pod(ALWAYS_INIT), "Pending", id="empty, waiting"),
        pytest.param(
            _pod(ALWAYS_INIT, init_statuses=[running_state("containerX")]),
            "Pending",
            id="init container running",
        ),
        pytest.param(
            _pod(ALWAYS_INIT, init_statuses=[failed_state("containerX")]),
            "Pending",
            id="init container terminated non-zero",
        ),
        pytest.param(
            _pod(ALWAYS_INIT, init_statuses=[waiting_state_with_last_termination("containerX")]),
            "Pending",
            id="init container waiting, terminated zero",
        ),
        pytest.param(
            _pod(ALWAYS_INIT, init_statuses=[waiting_state_with_non_zero_termination("containerX")]),
            "Pending",
            id="init container waiting, terminated non-zero",
        ),
        pytest.param(
            _pod(ALWAYS_INIT, init_statuses=[waiting_state("containerX")]),
            "Pending",
            id="init container waiting, not terminated",
        ),
        pytest.param(
            _pod(
                ALWAYS_INIT,
                init_statuses=[succeeded_state("containerX")],
                statuses=[running_state("containerA"), running_state("containerB")],
            ),
            "Running",
            id="init container succeeded",
        ),
    ],
)
def test_pod_phase_with_restart_always_init_containers(pod: dict[str, Any], expected: str) -> None:
    """restartPolicy=Always with a regular init container: a failed init never makes the pod Failed."""
    _check(pod, False, False, expected)


# --- TestPodPhaseWithRestartAlwaysRestartableInitContainers -----------------------------------------

ALWAYS_SIDECAR = _spec("Always", ["containerA", "containerB"], [SIDECAR_X])


# kubelet_pods_test.go TestPodPhaseWithRestartAlwaysRestartableInitContainers
# Go loop: getPhase(logger, test.pod, statusInfo, test.podIsTerminal, test.podHasInitialized)
@pytest.mark.parametrize(
    ("pod", "pod_is_terminal", "pod_has_initialized", "expected"),
    [
        pytest.param(_pod(ALWAYS_SIDECAR), False, False, "Pending", id="empty, waiting"),
        pytest.param(
            _pod(ALWAYS_SIDECAR, init_statuses=[running_state("containerX")]),
            False,
            False,
            "Pending",
            id="restartable init container running",
        ),
        pytest.param(
            _pod(ALWAYS_SIDECAR, init_statuses=[stopped_state("containerX")]),
            False,
            False,
            "Pending",
            id="restartable init container stopped",
        ),
        pytest.param(
            _pod(ALWAYS_SIDECAR, init_statuses=[waiting_state_with_last_termination("containerX")]),
            False,
            False,
            "Pending",
            id="restartable init container waiting, terminated zero",
        ),
        pytest.param(
            _pod(ALWAYS_SIDECAR, init_statuses=[waiting_state_with_non_zero_termination("containerX")]),
            False,
            False,
            "Pending",
            id="restartable init container waiting, terminated non-zero",
        ),
        pytest.param(
            _pod(ALWAYS_SIDECAR, init_statuses=[waiting_state("containerX")]),
            False,
            False,
            "Pending",
            id="restartable init container waiting, not terminated",
        ),
        pytest.param(
            _pod(
                ALWAYS_SIDECAR,
                init_statuses=[started_state("containerX")],
                statuses=[running_state("containerA")],
            ),
            False,
            True,
            "Pending",
            id="restartable init container started, 1/2 regular container running",
        ),
        pytest.param(
            _pod(
                ALWAYS_SIDECAR,
                init_statuses=[started_state("containerX")],
                statuses=[running_state("containerA"), running_state("containerB")],
            ),
            False,
            True,
            "Running",
            id="restartable init container started, all regular containers running",
        ),
        pytest.param(
            _pod(
                ALWAYS_SIDECAR,
                init_statuses=[running_state("containerX")],
                statuses=[running_state("containerA"), running_state("containerB")],
            ),
            False,
            True,
            "Running",
            id="restartable init container running, all regular containers running",
        ),
        pytest.param(
            _pod(
                ALWAYS_SIDECAR,
                init_statuses=[stopped_state("containerX")],
                statuses=[running_state("containerA"), running_state("containerB")],
            ),
            False,
            True,
            "Running",
            id="restartable init container stopped, all regular containers running",
        ),
        pytest.param(
            _pod(
                ALWAYS_SIDECAR,
                init_statuses=[waiting_state_with_last_termination("containerX")],
                statuses=[running_state("containerA"), running_state("containerB")],
            ),
            False,
            True,
            "Running",
            id="backoff crashloop restartable init container, all regular containers running",
        ),
        pytest.param(
            _pod(
                ALWAYS_SIDECAR,
                init_statuses=[failed_state("containerX")],
                statuses=[succeeded_state("containerA"), succeeded_state("containerB")],
            ),
            True,
            True,
            "Succeeded",
            id="all regular containers succeeded and restartable init container failed with restart always, "
            "but the pod is terminal",
        ),
        pytest.param(
            _pod(
                ALWAYS_SIDECAR,
                init_statuses=[succeeded_state("containerX")],
                statuses=[succeeded_state("containerA"), succeeded_state("containerB")],
            ),
            True,
            True,
            "Succeeded",
            id="all regular containers succeeded and restartable init container succeeded with restart always, "
            "but the pod is terminal",
        ),
        pytest.param(
            _pod(
                ALWAYS_SIDECAR,
                init_statuses=[running_state("containerX")],
                statuses=[running_state("containerA"), running_state("containerB")],
            ),
            False,
            False,
            "Pending",
            id="re-initializing the pod after the sandbox is recreated",
        ),
    ],
)
def test_pod_phase_with_restart_always_restartable_init_containers(
    pod: dict[str, Any], pod_is_terminal: bool, pod_has_initialized: bool, expected: str
) -> None:
    """restartPolicy=Always with a sidecar: an unstarted sidecar keeps Pending until podHasInitialized."""
    _check(pod, pod_is_terminal, pod_has_initialized, expected)


# --- TestPodPhaseWithRestartAlwaysAndPodHasRun ------------------------------------------------------

ALWAYS_POD_HAS_RUN = _spec(
    "Always",
    ["containerA"],
    [{"name": "containerX"}, {"name": "containerY", "restartPolicy": "Always"}],
)


# kubelet_pods_test.go TestPodPhaseWithRestartAlwaysAndPodHasRun
# Go loop: getPhase(logger, test.pod, statusInfo, false, test.podHasInitialized)
@pytest.mark.parametrize(
    ("pod", "pod_has_initialized", "expected"),
    [
        pytest.param(
            _pod(
                ALWAYS_POD_HAS_RUN,
                init_statuses=[running_state("containerX"), running_state("containerY")],
                statuses=[running_state("containerA")],
            ),
            False,
            "Pending",
            id="regular init containers, restartable init container and regular container are all running",
        ),
        pytest.param(
            _pod(
                ALWAYS_POD_HAS_RUN,
                init_statuses=[running_state("containerX"), running_state("containerY")],
                statuses=[stopped_state("containerA")],
            ),
            False,
            "Pending",
            id="regular containers is stopped, restartable init container and regular int container are both running",
        ),
        pytest.param(
            _pod(
                ALWAYS_POD_HAS_RUN,
                init_statuses=[succeeded_state("containerX"), running_state("containerY")],
                statuses=[stopped_state("containerA")],
            ),
            False,
            "Pending",
            id="re-created sandbox: regular init container is succeeded, restartable init container is running, "
            "old regular containers is stopped",
        ),
        pytest.param(
            _pod(
                ALWAYS_POD_HAS_RUN,
                init_statuses=[succeeded_state("containerX"), running_state("containerY")],
                statuses=[stopped_state("containerA")],
            ),
            True,
            "Running",
            id="regular init container is succeeded, restartable init container is running, "
            "regular containers is stopped",
        ),
        pytest.param(
            _pod(
                ALWAYS_POD_HAS_RUN,
                init_statuses=[succeeded_state("containerX"), running_state("containerY")],
                statuses=[running_state("containerA")],
            ),
            True,
            "Running",
            id="regular init container is succeeded, restartable init container and regular containers are both running",
        ),
    ],
)
def test_pod_phase_with_restart_always_and_pod_has_run(
    pod: dict[str, Any], pod_has_initialized: bool, expected: str
) -> None:
    """A running regular init container forces Pending even after regular containers have run."""
    _check(pod, False, pod_has_initialized, expected)


# --- TestPodPhaseWithRestartNever -------------------------------------------------------------------

NEVER = _spec("Never", ["containerA", "containerB"])


# kubelet_pods_test.go TestPodPhaseWithRestartNever
# Go loop: getPhase(logger, test.pod, test.pod.Status.ContainerStatuses, false, false)
@pytest.mark.parametrize(
    ("pod", "expected"),
    [
        pytest.param(_pod(NEVER), "Pending", id="waiting"),
        pytest.param(
            _pod(NEVER, statuses=[running_state("containerA"), running_state("containerB")]),
            "Running",
            id="all running with restart never",
        ),
        pytest.param(
            _pod(NEVER, statuses=[succeeded_state("containerA"), succeeded_state("containerB")]),
            "Succeeded",
            id="all succeeded with restart never",
        ),
        pytest.param(
            _pod(NEVER, statuses=[failed_state("containerA"), failed_state("containerB")]),
            "Failed",
            id="all failed with restart never",
        ),
        pytest.param(
            _pod(NEVER, statuses=[running_state("containerA"), succeeded_state("containerB")]),
            "Running",
            id="mixed state #1 with restart never",
        ),
        pytest.param(
            _pod(NEVER, statuses=[running_state("containerA")]),
            "Pending",
            id="mixed state #2 with restart never",
        ),
        pytest.param(
            _pod(NEVER, statuses=[running_state("containerA"), waiting_state("containerB")]),
            "Pending",
            id="mixed state #3 with restart never",
        ),
    ],
)
def test_pod_phase_with_restart_never(pod: dict[str, Any], expected: str) -> None:
    """restartPolicy=Never: all stopped gives Succeeded only if every exit code is 0, else Failed."""
    _check(pod, False, False, expected)


# --- TestPodPhaseWithRestartNeverInitContainers -----------------------------------------------------

NEVER_INIT = _spec("Never", ["containerA", "containerB"], [{"name": "containerX"}])


# kubelet_pods_test.go TestPodPhaseWithRestartNeverInitContainers
# Go loop: getPhase(logger, test.pod, statusInfo, false, false)
@pytest.mark.parametrize(
    ("pod", "expected"),
    [
        pytest.param(_pod(NEVER_INIT), "Pending", id="empty, waiting"),
        pytest.param(
            _pod(NEVER_INIT, init_statuses=[running_state("containerX")]),
            "Pending",
            id="init container running",
        ),
        pytest.param(
            _pod(NEVER_INIT, init_statuses=[failed_state("containerX")]),
            "Failed",
            id="init container terminated non-zero",
        ),
        pytest.param(
            _pod(NEVER_INIT, init_statuses=[waiting_state_with_last_termination("containerX")]),
            "Pending",
            id="init container waiting, terminated zero",
        ),
        pytest.param(
            _pod(NEVER_INIT, init_statuses=[waiting_state_with_non_zero_termination("containerX")]),
            "Failed",
            id="init container waiting, terminated non-zero",
        ),
        pytest.param(
            _pod(NEVER_INIT, init_statuses=[waiting_state("containerX")]),
            "Pending",
            id="init container waiting, not terminated",
        ),
        pytest.param(
            _pod(
                NEVER_INIT,
                init_statuses=[succeeded_state("containerX")],
                statuses=[running_state("containerA"), running_state("containerB")],
            ),
            "Running",
            id="init container succeeded",
        ),
    ],
)
def test_pod_phase_with_restart_never_init_containers(pod: dict[str, Any], expected: str) -> None:
    """restartPolicy=Never with a regular init container: a non-zero init exit (now or last) is Failed."""
    _check(pod, False, False, expected)


# --- TestPodPhaseWithRestartNeverRestartableInitContainers ------------------------------------------

NEVER_SIDECAR = _spec("Never", ["containerA", "containerB"], [SIDECAR_X])


# kubelet_pods_test.go TestPodPhaseWithRestartNeverRestartableInitContainers
# Go loop: getPhase(logger, test.pod, statusInfo, false, test.podHasInitialized)
@pytest.mark.parametrize(
    ("pod", "pod_has_initialized", "expected"),
    [
        pytest.param(_pod(NEVER_SIDECAR), False, "Pending", id="empty, waiting"),
        pytest.param(
            _pod(NEVER_SIDECAR, init_statuses=[running_state("containerX")]),
            False,
            "Pending",
            id="restartable init container running",
        ),
        pytest.param(
            _pod(NEVER_SIDECAR, init_statuses=[stopped_state("containerX")]),
            False,
            "Pending",
            id="restartable init container stopped",
        ),
        pytest.param(
            _pod(NEVER_SIDECAR, init_statuses=[waiting_state_with_last_termination("containerX")]),
            False,
            "Pending",
            id="restartable init container waiting, terminated zero",
        ),
        pytest.param(
            _pod(NEVER_SIDECAR, init_statuses=[waiting_state_with_non_zero_termination("containerX")]),
            False,
            "Pending",
            id="restartable init container waiting, terminated non-zero",
        ),
        pytest.param(
            _pod(NEVER_SIDECAR, init_statuses=[waiting_state("containerX")]),
            False,
            "Pending",
            id="restartable init container waiting, not terminated",
        ),
        pytest.param(
            _pod(
                NEVER_SIDECAR,
                init_statuses=[started_state("containerX")],
                statuses=[running_state("containerA")],
            ),
            True,
            "Pending",
            id="restartable init container started, one main container running",
        ),
        pytest.param(
            _pod(
                NEVER_SIDECAR,
                init_statuses=[started_state("containerX")],
                statuses=[succeeded_state("containerA"), succeeded_state("containerB")],
            ),
            True,
            "Running",
            id="restartable init container started, main containers succeeded",
        ),
        pytest.param(
            _pod(
                NEVER_SIDECAR,
                init_statuses=[running_state("containerX")],
                statuses=[succeeded_state("containerA"), succeeded_state("containerB")],
            ),
            True,
            "Running",
            id="restartable init container re-running, main containers succeeded",
        ),
        pytest.param(
            _pod(
                NEVER_SIDECAR,
                init_statuses=[succeeded_state("containerX")],
                statuses=[succeeded_state("containerA"), succeeded_state("containerB")],
            ),
            True,
            "Succeeded",
            id="all containers succeeded",
        ),
        pytest.param(
            _pod(
                NEVER_SIDECAR,
                init_statuses=[failed_state("containerX")],
                statuses=[succeeded_state("containerA"), succeeded_state("containerB")],
            ),
            True,
            "Succeeded",
            id="restartable init container terminated non-zero, main containers succeeded",
        ),
        pytest.param(
            _pod(
                NEVER_SIDECAR,
                init_statuses=[waiting_state_with_last_termination("containerX")],
                statuses=[succeeded_state("containerA"), succeeded_state("containerB")],
            ),
            True,
            "Succeeded",
            id="backoff crashloop restartable init container, main containers succeeded",
        ),
        pytest.param(
            _pod(
                NEVER_SIDECAR,
                init_statuses=[waiting_state_with_non_zero_termination("containerX")],
                statuses=[succeeded_state("containerA"), succeeded_state("containerB")],
            ),
            True,
            "Succeeded",
            id="backoff crashloop with non-zero restartable init container, main containers succeeded",
        ),
    ],
)
def test_pod_phase_with_restart_never_restartable_init_containers(
    pod: dict[str, Any], pod_has_initialized: bool, expected: str
) -> None:
    """restartPolicy=Never with a sidecar: a running sidecar keeps Running; a stopped one is ignored."""
    _check(pod, False, pod_has_initialized, expected)


# --- TestPodPhaseWithRestartOnFailure ---------------------------------------------------------------

ON_FAILURE = _spec("OnFailure", ["containerA", "containerB"])


# kubelet_pods_test.go TestPodPhaseWithRestartOnFailure
# Go loop: getPhase(logger, test.pod, test.pod.Status.ContainerStatuses, false, false)
# (upstream's id "all failed with restart never" is kept verbatim although the policy is OnFailure)
@pytest.mark.parametrize(
    ("pod", "expected"),
    [
        pytest.param(_pod(ON_FAILURE), "Pending", id="waiting"),
        pytest.param(
            _pod(ON_FAILURE, statuses=[running_state("containerA"), running_state("containerB")]),
            "Running",
            id="all running with restart onfailure",
        ),
        pytest.param(
            _pod(ON_FAILURE, statuses=[succeeded_state("containerA"), succeeded_state("containerB")]),
            "Succeeded",
            id="all succeeded with restart onfailure",
        ),
        pytest.param(
            _pod(ON_FAILURE, statuses=[failed_state("containerA"), failed_state("containerB")]),
            "Running",
            id="all failed with restart never",
        ),
        pytest.param(
            _pod(ON_FAILURE, statuses=[running_state("containerA"), succeeded_state("containerB")]),
            "Running",
            id="mixed state #1 with restart onfailure",
        ),
        pytest.param(
            _pod(ON_FAILURE, statuses=[running_state("containerA")]),
            "Pending",
            id="mixed state #2 with restart onfailure",
        ),
        pytest.param(
            _pod(ON_FAILURE, statuses=[running_state("containerA"), waiting_state("containerB")]),
            "Pending",
            id="mixed state #3 with restart onfailure",
        ),
        pytest.param(
            _pod(
                ON_FAILURE,
                statuses=[running_state("containerA"), waiting_state_with_last_termination("containerB")],
            ),
            "Running",
            id="backoff crashloop container with restart onfailure",
        ),
    ],
)
def test_pod_phase_with_restart_on_failure(pod: dict[str, Any], expected: str) -> None:
    """restartPolicy=OnFailure: all stopped with a failure is Running (restarting), all exit 0 is Succeeded."""
    _check(pod, False, False, expected)
