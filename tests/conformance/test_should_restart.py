"""Conformance: ``should_restart``, ported from the upstream kubelet unit test.

Source: repository ``kubernetes/kubernetes``, file ``pkg/kubelet/container/helpers_test.go``, function
``TestShouldContainerBeRestarted``. Version read: index file-version id ``76302740`` (27,586
characters; newest stored text containing the test; the index does not expose its commit). The table
is identical in the older file-version ``16479538`` at commit
``36a4ee4533e4aebb597b96e480f91a3e0eaf43d3`` and, apart from the deleted-pod half, in ``59117146``.

The function under test is ``ShouldContainerBeRestarted(container, pod, podStatus)`` in
``pkg/kubelet/container/helpers.go``, index file-version id ``107707182`` (three-argument form; treats
Unknown *and* Created as "always restart").

Upstream shape: one pod with containers ``no-history``, ``alive``, ``succeed``, ``failed``,
``unknown``; one runtime ``PodStatus``; ``expected`` is a ``map[string][]bool`` keyed by container
name, indexed by the policies ``[Never, OnFailure, Always]``. The table is evaluated twice: first as is
("// test policies"), then after setting ``pod.DeletionTimestamp`` ("// test deleted pod"). Each
(section, container, policy) triple is one pytest case here: 2 x 5 x 3 = 30 cases, none dropped.

Mapping of the runtime ``kubecontainer.PodStatus`` onto the v1 Pod (``pod["status"]``):

* Runtime statuses are listed newest first, and ``FindContainerStatusByName`` returns the first match.
  For each container name the newest instance gives ``state`` and, if there is a second instance and it
  is exited, that one gives ``lastState`` (the kubelet's ``convertToAPIContainerStatuses`` also uses
  only the two newest instances). ``restartCount`` is set to (number of runtime instances - 1).
* ``ContainerStateRunning`` -> ``{"running": {}}``; ``ContainerStateExited`` with ExitCode n ->
  ``{"terminated": {"exitCode": n}}``; ``ContainerStateUnknown`` -> ``{}`` (empty state);
  ``ContainerStateCreated`` -> ``{"waiting": {}}`` (not used by this table).
* Concretely: ``alive`` = [Running, Exited(2)] -> state running, lastState terminated(2);
  ``succeed`` = [Exited(0)] -> state terminated(0); ``failed`` = [Exited(1), Exited(3)] -> state
  terminated(1), lastState terminated(3); ``unknown`` = [Unknown] -> state ``{}``; ``no-history`` has
  no runtime status -> no v1 status entry at all.
* ``pod.Spec.RestartPolicy`` -> ``spec.restartPolicy``. ``pod.DeletionTimestamp = time.Now()`` ->
  ``metadata.deletionTimestamp`` as a fixed RFC 3339 string (only non-nil-ness matters upstream).
* The runtime status carries no readiness, so every v1 status has ``ready: false``.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

import podfsm

POLICIES = ["Never", "OnFailure", "Always"]  # Go: policies := []v1.RestartPolicy{...}

DELETION_TIMESTAMP = "2024-01-01T00:00:00Z"  # stands in for Go's time.Now()


def _v1_status(name: str, state: dict, last_state: dict | None = None, restart_count: int = 0) -> dict:
    return {
        "name": name,
        "state": state,
        "lastState": last_state if last_state is not None else {},
        "ready": False,
        "restartCount": restart_count,
        "image": "",
        "imageID": "",
    }


# Runtime PodStatus.ContainerStatuses (newest first per name), mapped as described in the docstring:
#   {Name: "alive",   State: ContainerStateRunning}
#   {Name: "succeed", State: ContainerStateExited, ExitCode: 0}
#   {Name: "failed",  State: ContainerStateExited, ExitCode: 1}
#   {Name: "alive",   State: ContainerStateExited, ExitCode: 2}
#   {Name: "unknown", State: ContainerStateUnknown}
#   {Name: "failed",  State: ContainerStateExited, ExitCode: 3}
_CONTAINER_STATUSES = [
    # "no-history": no runtime status -> no v1 status entry.
    _v1_status("alive", {"running": {}}, last_state={"terminated": {"exitCode": 2}}, restart_count=1),
    _v1_status("succeed", {"terminated": {"exitCode": 0}}),
    _v1_status(
        "failed", {"terminated": {"exitCode": 1}}, last_state={"terminated": {"exitCode": 3}}, restart_count=1
    ),
    _v1_status("unknown", {}),  # ContainerStateUnknown -> empty state
]


def make_pod(restart_policy: str, deleted: bool) -> dict:
    """The upstream test pod with the given restart policy, optionally marked for deletion."""
    metadata: dict[str, Any] = {"uid": "12345678", "name": "foo", "namespace": "new"}
    if deleted:
        metadata["deletionTimestamp"] = DELETION_TIMESTAMP
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": metadata,
        "spec": {
            "restartPolicy": restart_policy,
            "containers": [
                {"name": "no-history"},
                {"name": "alive"},
                {"name": "succeed"},
                {"name": "failed"},
                {"name": "unknown"},
            ],
        },
        "status": {"containerStatuses": copy.deepcopy(_CONTAINER_STATUSES)},
    }


# Go: expected := map[string][]bool{...} under "// test policies"
_EXPECTED_POLICIES = {
    "no-history": [True, True, True],
    "alive": [False, False, False],
    "succeed": [False, False, True],
    "failed": [False, True, True],
    "unknown": [True, True, True],
}

# Go: expected = map[string][]bool{...} under "// test deleted pod"
_EXPECTED_DELETED = {
    "no-history": [False, False, False],
    "alive": [False, False, False],
    "succeed": [False, False, False],
    "failed": [False, False, False],
    "unknown": [False, False, False],
}


def _cases() -> list[Any]:
    cases = []
    for section, deleted, table in (
        ("test policies", False, _EXPECTED_POLICIES),
        ("test deleted pod", True, _EXPECTED_DELETED),
    ):
        for name, row in table.items():
            for i, policy in enumerate(POLICIES):
                cases.append(
                    pytest.param(
                        name,
                        policy,
                        deleted,
                        row[i],
                        id=f"{section}: {name}[{i}] {policy}",
                    )
                )
    return cases


_CASES = _cases()
assert len(_CASES) == 30


# Go: TestShouldContainerBeRestarted (pkg/kubelet/container/helpers_test.go)
@pytest.mark.parametrize(("container", "policy", "deleted", "expected"), _CASES)
def test_should_container_be_restarted(container: str, policy: str, deleted: bool, expected: bool) -> None:
    """should_restart matches ShouldContainerBeRestarted for every container, policy and deletion state."""
    pod = make_pod(policy, deleted)
    assert podfsm.should_restart(pod, container) is expected
