"""Conformance: pod conditions, ported from the upstream kubelet unit tests.

Source: repository ``kubernetes/kubernetes``, file ``pkg/kubelet/status/generate_test.go``, functions
``TestGenerateContainersReadyCondition``, ``TestGeneratePodReadyCondition`` and
``TestGeneratePodInitializedCondition``. Version read: the newest stored text of that file, index
file-version id ``68803514966`` (42,249 characters; the index does not expose its commit). It is the
only stored version that already contains ``TestGenerateInsecureIDCondition`` and
``TestGenerateAllContainersRestartingCondition`` and calls the generators with
``(pod, oldPodStatus, ...)``, i.e. the est. v1.36 development line. (The path lookup's default version,
commit ``0188fd66a1bdad06ea9ab80faa3c61ff2823018e``, is a 2017 text with only a 7-case
``TestGeneratePodReadyCondition`` table and was not used.)

The functions under test were read from ``pkg/kubelet/status/generate.go``, newest stored text, index
file-version id ``68698090696`` (``GenerateContainersReadyCondition``, ``GeneratePodReadyCondition``,
``GeneratePodInitializedCondition``, all taking ``(pod *v1.Pod, oldPodStatus *v1.PodStatus, ...)``),
and ``HasAnyRegularContainerStarted`` from ``pkg/kubelet/container/helpers.go`` (file-version id
``107707182``).

Mapping of the Go inputs onto a v1 Pod (camelCase JSON dict):

* ``spec`` -> ``pod["spec"]``; ``podPhase`` -> ``status.phase``; the ``conditions`` argument of
  ``GeneratePodReadyCondition`` (used only for readiness gates) -> ``status.conditions``.
* ``containerStatuses`` is one flat slice in Go (the kubelet passes init + regular statuses
  concatenated). Each entry goes to ``status.initContainerStatuses`` if its name is an init container
  in the spec, else to ``status.containerStatuses``.
* Go ``nil`` statuses -> both keys absent (the oracle's "nil"). Go non-nil statuses ->
  ``containerStatuses`` always present (``[]`` when no regular entries), ``initContainerStatuses``
  present when there are init entries.
* Each v1 ContainerStatus is written the way Go marshals it (``name``, ``ready``, ``restartCount``,
  ``image``, ``imageID``, ``state``, ``lastState``, plus ``started`` when the pointer is set); zero
  timestamps are omitted.
* The Go tests always pass ``oldPodStatus = &v1.PodStatus{}`` (no old conditions), so no case here
  relies on a previous ``Initialized=True`` condition.
* Expected ``v1.PodCondition{Type: X, Status, Reason, Message}`` ->
  ``podfsm.Condition(status, reason, message)`` compared with ``==`` against
  ``podfsm.pod_conditions(pod)[X]``. ObservedGeneration is not part of ``podfsm.Condition``.
"""

from __future__ import annotations

from typing import Any

import pytest

import podfsm
from podfsm import Condition

_NIL = None  # marker for a Go nil []v1.ContainerStatus


# --- helpers mirroring the Go test helpers ---------------------------------------------------------


def _status(
    name: str, *, ready: bool = False, started: bool | None = None, state: dict | None = None
) -> dict:
    """A v1.ContainerStatus as Go would marshal it (zero timestamps omitted)."""
    s: dict[str, Any] = {
        "name": name,
        "state": state if state is not None else {},
        "lastState": {},
        "ready": ready,
        "restartCount": 0,
        "image": "",
        "imageID": "",
    }
    if started is not None:
        s["started"] = started
    return s


def get_ready_status(name: str) -> dict:
    """Go ``getReadyStatus``: ``v1.ContainerStatus{Name: name, Ready: true}``."""
    return _status(name, ready=True)


def get_not_ready_status(name: str) -> dict:
    """Go ``getNotReadyStatus``: ``v1.ContainerStatus{Name: name, Ready: false}``."""
    return _status(name, ready=False)


def get_started_status(name: str) -> dict:
    """Go ``getStartedStatus``: ``v1.ContainerStatus{Name: name, Started: ptr.To(true)}``."""
    return _status(name, started=True)


def get_not_started_status(name: str) -> dict:
    """Go ``getNotStartedStatus``: ``v1.ContainerStatus{Name: name, Started: ptr.To(false)}``."""
    return _status(name, started=False)


def make_pod(
    spec: dict,
    container_statuses: list[dict] | None,
    phase: str,
    conditions: list[dict] | None = None,
) -> dict:
    """Build the v1 Pod dict from the Go (spec, conditions, containerStatuses, podPhase) inputs."""
    status: dict[str, Any] = {"phase": phase}
    if conditions is not None:
        status["conditions"] = conditions
    if container_statuses is not None:
        init_names = {c["name"] for c in spec.get("initContainers", [])}
        init = [s for s in container_statuses if s["name"] in init_names]
        regular = [s for s in container_statuses if s["name"] not in init_names]
        if init:
            status["initContainerStatuses"] = init
        status["containerStatuses"] = regular
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "pod"}, "spec": spec, "status": status}


def cond(type_: str, status: str) -> dict:
    """Go ``getPodCondition(type, status, "", "")`` as an existing pod condition (readiness gates)."""
    return {"type": type_, "status": status}


def _c(*names: str) -> list[dict]:
    return [{"name": n} for n in names]


ALWAYS = "Always"  # Go containerRestartPolicyAlways (restartable init container, "sidecar")


# --- TestGenerateContainersReadyCondition ------------------------------------------------------------

_CONTAINERS_READY_CASES = [
    pytest.param(
        {},
        _NIL,
        "Running",
        Condition("False", "UnknownContainerStatuses", ""),
        id="case 0: nil statuses -> UnknownContainerStatuses",
    ),
    pytest.param(
        {},
        [],
        "Running",
        Condition("True", "", ""),
        id="case 1: empty spec, empty statuses -> True",
    ),
    pytest.param(
        {"containers": _c("1234")},
        [],
        "Running",
        Condition("False", "ContainersNotReady", "containers with unknown status: [1234]"),
        id="case 2: one container, no status -> unknown [1234]",
    ),
    pytest.param(
        {"containers": _c("1234", "5678")},
        [get_ready_status("1234"), get_ready_status("5678")],
        "Running",
        Condition("True", "", ""),
        id="case 3: two ready containers -> True",
    ),
    pytest.param(
        {"containers": _c("1234", "5678")},
        [get_ready_status("1234")],
        "Running",
        Condition("False", "ContainersNotReady", "containers with unknown status: [5678]"),
        id="case 4: one status missing -> unknown [5678]",
    ),
    pytest.param(
        {"containers": _c("1234", "5678")},
        [get_ready_status("1234"), get_not_ready_status("5678")],
        "Running",
        Condition("False", "ContainersNotReady", "containers with unready status: [5678]"),
        id="case 5: one not ready -> unready [5678]",
    ),
    pytest.param(
        {"containers": _c("1234")},
        [get_not_ready_status("1234")],
        "Succeeded",
        Condition("False", "PodCompleted", ""),
        id="case 6: Succeeded, all known -> PodCompleted",
    ),
    pytest.param(
        {
            "initContainers": [{"name": "restartable-init-1", "restartPolicy": ALWAYS}],
            "containers": _c("regular-1"),
        },
        [get_ready_status("regular-1")],
        "Running",
        Condition("False", "ContainersNotReady", "containers with unknown status: [restartable-init-1]"),
        id="case 7: sidecar without status -> unknown [restartable-init-1]",
    ),
    pytest.param(
        {
            "initContainers": [
                {"name": "restartable-init-1", "restartPolicy": ALWAYS},
                {"name": "restartable-init-2", "restartPolicy": ALWAYS},
            ],
            "containers": _c("regular-1"),
        },
        [
            get_ready_status("restartable-init-1"),
            get_ready_status("restartable-init-2"),
            get_ready_status("regular-1"),
        ],
        "Running",
        Condition("True", "", ""),
        id="case 8: two ready sidecars + ready regular -> True",
    ),
    pytest.param(
        {
            "initContainers": [
                {"name": "restartable-init-1", "restartPolicy": ALWAYS},
                {"name": "restartable-init-2", "restartPolicy": ALWAYS},
            ],
            "containers": _c("regular-1"),
        },
        [get_ready_status("restartable-init-1"), get_ready_status("regular-1")],
        "Running",
        Condition("False", "ContainersNotReady", "containers with unknown status: [restartable-init-2]"),
        id="case 9: second sidecar without status -> unknown [restartable-init-2]",
    ),
    pytest.param(
        {
            "initContainers": [
                {"name": "restartable-init-1", "restartPolicy": ALWAYS},
                {"name": "restartable-init-2", "restartPolicy": ALWAYS},
            ],
            "containers": _c("regular-1"),
        },
        [
            get_ready_status("restartable-init-1"),
            get_not_ready_status("restartable-init-2"),
            get_ready_status("regular-1"),
        ],
        "Running",
        Condition("False", "ContainersNotReady", "containers with unready status: [restartable-init-2]"),
        id="case 10: second sidecar not ready -> unready [restartable-init-2]",
    ),
]


# Go: TestGenerateContainersReadyCondition (pkg/kubelet/status/generate_test.go)
@pytest.mark.parametrize(("spec", "statuses", "phase", "expected"), _CONTAINERS_READY_CASES)
def test_generate_containers_ready_condition(
    spec: dict, statuses: list[dict] | None, phase: str, expected: Condition
) -> None:
    """ContainersReady matches GenerateContainersReadyCondition (status, reason and message)."""
    pod = make_pod(spec, statuses, phase)
    assert podfsm.pod_conditions(pod)["ContainersReady"] == expected


# --- TestGeneratePodReadyCondition -------------------------------------------------------------------

_GATE1 = {"readinessGates": [{"conditionType": "gate1"}]}
_GATE12 = {"readinessGates": [{"conditionType": "gate1"}, {"conditionType": "gate2"}]}

_POD_READY_CASES = [
    pytest.param(
        {},
        None,
        _NIL,
        "Running",
        Condition("False", "UnknownContainerStatuses", ""),
        id="case 0: nil statuses -> UnknownContainerStatuses",
    ),
    pytest.param(
        {},
        None,
        [],
        "Running",
        Condition("True", "", ""),
        id="case 1: empty spec, empty statuses -> True",
    ),
    pytest.param(
        {"containers": _c("1234")},
        None,
        [],
        "Running",
        Condition("False", "ContainersNotReady", "containers with unknown status: [1234]"),
        id="case 2: one container, no status -> unknown [1234]",
    ),
    pytest.param(
        {"containers": _c("1234", "5678")},
        None,
        [get_ready_status("1234"), get_ready_status("5678")],
        "Running",
        Condition("True", "", ""),
        id="case 3: two ready containers -> True",
    ),
    pytest.param(
        {"containers": _c("1234", "5678")},
        None,
        [get_ready_status("1234")],
        "Running",
        Condition("False", "ContainersNotReady", "containers with unknown status: [5678]"),
        id="case 4: one status missing -> unknown [5678]",
    ),
    pytest.param(
        {"containers": _c("1234", "5678")},
        None,
        [get_ready_status("1234"), get_not_ready_status("5678")],
        "Running",
        Condition("False", "ContainersNotReady", "containers with unready status: [5678]"),
        id="case 5: one not ready -> unready [5678]",
    ),
    pytest.param(
        {"containers": _c("1234")},
        None,
        [get_not_ready_status("1234")],
        "Succeeded",
        Condition("False", "PodCompleted", ""),
        id="case 6: Succeeded -> PodCompleted copied from ContainersReady",
    ),
    pytest.param(
        _GATE1,
        None,
        [],
        "Running",
        Condition(
            "False",
            "ReadinessGatesNotReady",
            'corresponding condition of pod readiness gate "gate1" does not exist.',
        ),
        id="case 7: gate1 condition missing",
    ),
    pytest.param(
        _GATE1,
        [cond("gate1", "False")],
        [],
        "Running",
        Condition(
            "False",
            "ReadinessGatesNotReady",
            'the status of pod readiness gate "gate1" is not "True", but False',
        ),
        id="case 8: gate1 False",
    ),
    pytest.param(
        _GATE1,
        [cond("gate1", "True")],
        [],
        "Running",
        Condition("True", "", ""),
        id="case 9: gate1 True -> True",
    ),
    pytest.param(
        _GATE12,
        [cond("gate1", "True")],
        [],
        "Running",
        Condition(
            "False",
            "ReadinessGatesNotReady",
            'corresponding condition of pod readiness gate "gate2" does not exist.',
        ),
        id="case 10: gate1 True, gate2 missing",
    ),
    pytest.param(
        _GATE12,
        [cond("gate1", "True"), cond("gate2", "False")],
        [],
        "Running",
        Condition(
            "False",
            "ReadinessGatesNotReady",
            'the status of pod readiness gate "gate2" is not "True", but False',
        ),
        id="case 11: gate1 True, gate2 False",
    ),
    pytest.param(
        _GATE12,
        [cond("gate1", "True"), cond("gate2", "True")],
        [],
        "Running",
        Condition("True", "", ""),
        id="case 12: gate1 and gate2 True -> True",
    ),
    pytest.param(
        {"containers": _c("1234"), "readinessGates": [{"conditionType": "gate1"}]},
        [cond("gate1", "True")],
        [get_not_ready_status("1234")],
        "Running",
        Condition("False", "ContainersNotReady", "containers with unready status: [1234]"),
        id="case 13: gate True but container unready -> ContainersNotReady",
    ),
]


# Go: TestGeneratePodReadyCondition (pkg/kubelet/status/generate_test.go)
@pytest.mark.parametrize(("spec", "conditions", "statuses", "phase", "expected"), _POD_READY_CASES)
def test_generate_pod_ready_condition(
    spec: dict, conditions: list[dict] | None, statuses: list[dict] | None, phase: str, expected: Condition
) -> None:
    """Ready matches GeneratePodReadyCondition, including readiness-gate messages."""
    pod = make_pod(spec, statuses, phase, conditions)
    assert podfsm.pod_conditions(pod)["Ready"] == expected


# --- TestGeneratePodInitializedCondition -------------------------------------------------------------
#
# The upstream loop asserts Type, Status and Reason only (assert.Equal on each); it never checks
# Message. Per this port's brief the message is asserted too: each expected message below is what
# GeneratePodInitializedCondition (generate.go, file-version 68698090696) builds for that input:
# "containers with unknown status: %s" / "containers with incomplete status: %s" joined by ", ", and
# "" on every True path and on the UnknownContainerStatuses path. The Go test enables the feature gates
# ContainerRestartRules, NodeDeclaredFeatures and RestartAllContainersOnContainerExits; with
# oldPodStatus empty the last one changes nothing.

_NO_INIT: dict = {}
_ONE_INIT = {"initContainers": _c("1234"), "containers": _c("regular")}
_TWO_INIT = {"initContainers": _c("1234", "5678"), "containers": _c("regular")}
_ONE_RESTARTABLE_INIT = {
    "initContainers": [{"name": "1234", "restartPolicy": ALWAYS}],
    "containers": _c("regular"),
}

_INITIALIZED_CASES = [
    pytest.param(
        _TWO_INIT,
        _NIL,
        "Running",
        Condition("False", "UnknownContainerStatuses", ""),
        id="case 0: nil statuses with init containers -> UnknownContainerStatuses",
    ),
    pytest.param(
        _NO_INIT,
        [],
        "Running",
        Condition("True", "", ""),
        id="case 1: no init containers -> True",
    ),
    pytest.param(
        _ONE_INIT,
        [],
        "Running",
        Condition("False", "ContainersNotInitialized", "containers with unknown status: [1234]"),
        id="case 2: init container without status -> ContainersNotInitialized",
    ),
    pytest.param(
        _TWO_INIT,
        [get_ready_status("1234"), get_ready_status("5678")],
        "Running",
        Condition("True", "", ""),
        id="case 3: both init containers ready -> True",
    ),
    pytest.param(
        _TWO_INIT,
        [get_ready_status("1234")],
        "Running",
        Condition("False", "ContainersNotInitialized", "containers with unknown status: [5678]"),
        id="case 4: second init container without status -> ContainersNotInitialized",
    ),
    pytest.param(
        _TWO_INIT,
        [get_ready_status("1234"), get_not_ready_status("5678")],
        "Running",
        Condition("False", "ContainersNotInitialized", "containers with incomplete status: [5678]"),
        id="case 5: second init container not ready -> ContainersNotInitialized",
    ),
    pytest.param(
        _ONE_INIT,
        [get_ready_status("1234")],
        "Succeeded",
        Condition("True", "PodCompleted", ""),
        id="case 6: Succeeded, init known -> True PodCompleted",
    ),
    pytest.param(
        _ONE_RESTARTABLE_INIT,
        [get_not_started_status("1234")],
        "Pending",
        Condition("False", "ContainersNotInitialized", "containers with incomplete status: [1234]"),
        id="case 7: sidecar not started -> ContainersNotInitialized",
    ),
    pytest.param(
        _ONE_RESTARTABLE_INIT,
        [get_started_status("1234")],
        "Running",
        Condition("True", "", ""),
        id="case 8: sidecar started (not ready) -> True",
    ),
    pytest.param(
        _ONE_RESTARTABLE_INIT,
        [get_not_started_status("1234"), _status("regular", state={"running": {}})],
        "Running",
        Condition("True", "", ""),
        id="case 9: sidecar not started but regular running -> True",
    ),
    pytest.param(
        _ONE_INIT,
        [
            _status("1234", state={"waiting": {}}),
            # Go: Terminated: &v1.ContainerStateTerminated{} -> exitCode 0 is not omitempty.
            _status("regular", state={"terminated": {"exitCode": 0}}),
        ],
        "Running",
        Condition("True", "", ""),
        id="case 10: init waiting but regular terminated -> True",
    ),
]


# Go: TestGeneratePodInitializedCondition (pkg/kubelet/status/generate_test.go)
@pytest.mark.parametrize(("spec", "statuses", "phase", "expected"), _INITIALIZED_CASES)
def test_generate_pod_initialized_condition(
    spec: dict, statuses: list[dict] | None, phase: str, expected: Condition
) -> None:
    """Initialized matches GeneratePodInitializedCondition (status, reason; message from generate.go)."""
    pod = make_pod(spec, statuses, phase)
    assert podfsm.pod_conditions(pod)["Initialized"] == expected
