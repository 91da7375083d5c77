"""podfsm.api: lossless v1 round trip, strict types, API-server defaults and the lifecycle validation rules.

Upstream rules cited per test:

* defaults: ``pkg/apis/core/v1/defaults.go`` (``SetDefaults_PodSpec``, ``SetDefaults_Container``,
  ``SetDefaults_Probe``) and ``pkg/util/parsers.ParseImageName``; k8s-semantics.md §4 and §5.2;
* validation: ``pkg/apis/core/validation/validation.go`` (``validateContainers``,
  ``validateInitContainers``, ``validateLivenessProbe``, ``validateProbe``).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from podfsm.api import (
    Pod,
    SpecError,
    apply_defaults,
    default_image_pull_policy,
    is_rfc3339,
    validate_pod,
)

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "status" / "pods.json"

# A valid sha256 digest (64 hex digits), so that docker's reference grammar parses the image.
DIGEST = "sha256:" + "0123456789abcdef" * 4

# ---------------------------------------------------------------------------------------------
# Realistic pods, as `kubectl get pod -o json` prints them, full of fields podfsm does not model.
# ---------------------------------------------------------------------------------------------

DEPLOYMENT_POD: dict[str, Any] = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {
        "name": "web-7d4b9c6f5-x2kqp",
        "generateName": "web-7d4b9c6f5-",
        "namespace": "default",
        "uid": "5f0c1a9e-3b6d-4c1e-9a43-0c2a4f7d8e11",
        "resourceVersion": "48213",
        "creationTimestamp": "2026-11-23T10:00:00Z",
        "labels": {"app": "web", "pod-template-hash": "7d4b9c6f5"},
        "annotations": {"kubectl.kubernetes.io/restartedAt": "2026-11-23T09:59:00Z"},
        "ownerReferences": [
            {
                "apiVersion": "apps/v1",
                "kind": "ReplicaSet",
                "name": "web-7d4b9c6f5",
                "uid": "0b1c2d3e-0000-4000-8000-000000000001",
                "controller": True,
                "blockOwnerDeletion": True,
            }
        ],
        "managedFields": [
            {
                "manager": "kube-controller-manager",
                "operation": "Update",
                "apiVersion": "v1",
                "time": "2026-11-23T10:00:00Z",
                "fieldsType": "FieldsV1",
                "fieldsV1": {"f:metadata": {"f:labels": {".": {}, "f:app": {}}}},
            }
        ],
    },
    "spec": {
        "volumes": [
            {"name": "html", "emptyDir": {}},
            {
                "name": "kube-api-access-abcde",
                "projected": {
                    "defaultMode": 420,
                    "sources": [{"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}}],
                },
            },
        ],
        "containers": [
            {
                "name": "nginx",
                "image": "nginx:1.27",
                "imagePullPolicy": "IfNotPresent",
                "ports": [{"name": "http", "containerPort": 80, "protocol": "TCP"}],
                "env": [
                    {"name": "MODE", "value": "prod"},
                    {
                        "name": "POD_IP",
                        "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "status.podIP"}},
                    },
                ],
                "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}, "limits": {"memory": "128Mi"}},
                "livenessProbe": {
                    "httpGet": {"path": "/healthz", "port": 80, "scheme": "HTTP"},
                    "initialDelaySeconds": 5,
                    "timeoutSeconds": 1,
                    "periodSeconds": 10,
                    "successThreshold": 1,
                    "failureThreshold": 3,
                },
                "readinessProbe": {"tcpSocket": {"port": "http"}, "periodSeconds": 5},
                "lifecycle": {"preStop": {"exec": {"command": ["/usr/sbin/nginx", "-s", "quit"]}}},
                "volumeMounts": [{"name": "html", "mountPath": "/usr/share/nginx/html"}],
                "securityContext": {"allowPrivilegeEscalation": False, "runAsNonRoot": True},
                "terminationMessagePath": "/dev/termination-log",
                "terminationMessagePolicy": "File",
            }
        ],
        "restartPolicy": "Always",
        "terminationGracePeriodSeconds": 30,
        "dnsPolicy": "ClusterFirst",
        "serviceAccountName": "default",
        "nodeName": "node-1",
        "securityContext": {},
        "schedulerName": "default-scheduler",
        "tolerations": [
            {
                "key": "node.kubernetes.io/not-ready",
                "operator": "Exists",
                "effect": "NoExecute",
                "tolerationSeconds": 300,
            }
        ],
        "priority": 0,
        "enableServiceLinks": True,
        "preemptionPolicy": "PreemptLowerPriority",
    },
    "status": {
        "phase": "Running",
        "conditions": [
            {
                "type": "PodReadyToStartContainers",
                "status": "True",
                "lastTransitionTime": "2026-11-23T10:00:03Z",
            },
            {
                "type": "Initialized",
                "status": "True",
                "lastProbeTime": None,
                "lastTransitionTime": "2026-11-23T10:00:00Z",
            },
            {"type": "Ready", "status": "True", "lastTransitionTime": "2026-11-23T10:00:12Z"},
            {"type": "ContainersReady", "status": "True", "lastTransitionTime": "2026-11-23T10:00:12Z"},
            {"type": "PodScheduled", "status": "True", "lastTransitionTime": "2026-11-23T10:00:00Z"},
        ],
        "hostIP": "192.168.49.2",
        "hostIPs": [{"ip": "192.168.49.2"}],
        "podIP": "10.244.0.17",
        "podIPs": [{"ip": "10.244.0.17"}, {"ip": "fd00:10:244::11"}],
        "startTime": "2026-11-23T10:00:00Z",
        "containerStatuses": [
            {
                "name": "nginx",
                "state": {"running": {"startedAt": "2026-11-23T10:00:05Z"}},
                "lastState": {},
                "ready": True,
                "restartCount": 0,
                "image": "docker.io/library/nginx:1.27",
                "imageID": "docker.io/library/nginx@" + DIGEST,
                "containerID": "containerd://4f3c2b1a",
                "started": True,
                "volumeMounts": [{"name": "html", "mountPath": "/usr/share/nginx/html"}],
            }
        ],
        "qosClass": "Burstable",
    },
}

SIDECAR_POD: dict[str, Any] = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "api-0", "namespace": "default", "finalizers": ["example.com/cleanup"]},
    "spec": {
        "initContainers": [
            {
                "name": "migrate",
                "image": "migrate:v3",
                "command": ["/migrate", "--up"],
                "envFrom": [{"configMapRef": {"name": "db"}}],
            },
            {
                "name": "log-shipper",
                "image": "fluent-bit:3",
                "restartPolicy": "Always",
                "startupProbe": {"exec": {"command": ["test", "-e", "/tmp/ready"]}, "failureThreshold": 30},
                "lifecycle": {"postStart": {"httpGet": {"path": "/start", "port": 2020}}},
            },
        ],
        "containers": [
            {
                "name": "api",
                "image": "api:1.4",
                "args": ["--port=8080"],
                "startupProbe": {"grpc": {"port": 9090, "service": "health"}, "periodSeconds": 2},
                "resources": {"requests": {"cpu": 0.5, "memory": 268435456}},
            }
        ],
        "readinessGates": [{"conditionType": "example.com/lb-ready"}],
        "activeDeadlineSeconds": 3600,
        "priorityClassName": "high",
        "topologySpreadConstraints": [
            {"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule"}
        ],
    },
    "status": {
        "phase": "Pending",
        "initContainerStatuses": [
            {
                "name": "migrate",
                "ready": True,
                "restartCount": 0,
                "state": {
                    "terminated": {
                        "exitCode": 0,
                        "reason": "Completed",
                        "startedAt": "2026-11-23T09:59:50Z",
                        "finishedAt": "2026-11-23T09:59:55Z",
                        "containerID": "containerd://aa",
                    }
                },
                "lastState": {},
                "allocatedResources": {"cpu": "100m"},
            },
            {
                "name": "log-shipper",
                "ready": False,
                "started": False,
                "restartCount": 0,
                "state": {"running": {"startedAt": "2026-11-23T09:59:56Z"}},
                "lastState": {},
            },
        ],
        "containerStatuses": [
            {
                "name": "api",
                "ready": False,
                "restartCount": 0,
                "state": {"waiting": {"reason": "PodInitializing"}},
                "lastState": {},
            }
        ],
        "resize": "Proposed",
    },
}

MINIMAL_POD: dict[str, Any] = {"spec": {"containers": [{"name": "c"}]}}

TEMPLATE_STYLE_POD: dict[str, Any] = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "dry-run", "creationTimestamp": None, "labels": {"run": "dry-run"}},
    "spec": {
        "containers": [{"name": "dry-run", "image": "busybox", "resources": {}}],
        "dnsPolicy": "ClusterFirst",
    },
    "status": {},
}


def _example_items() -> list[Any]:
    items = json.loads(EXAMPLES.read_text(encoding="utf-8"))["items"]
    return [pytest.param(item, id=f"examples/status/pods.json {item['metadata']['name']}") for item in items]


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(DEPLOYMENT_POD, id="deployment pod with volumes, env, ports, probes, podIPs"),
        pytest.param(SIDECAR_POD, id="init container, sidecar, grpc/exec probes, readiness gate"),
        pytest.param(MINIMAL_POD, id="minimal pod"),
        pytest.param(TEMPLATE_STYLE_POD, id="dry-run output with null creationTimestamp"),
        *_example_items(),
    ],
)
def test_round_trip_keeps_every_field(data: dict[str, Any]) -> None:
    """Pod.from_api(d).to_api() == d: no modelled, unknown or null field is dropped, added or changed."""
    original = copy.deepcopy(data)
    assert Pod.from_api(data).to_api() == original
    assert data == original  # the input is not mutated


def test_unknown_fields_are_readable_as_extras() -> None:
    """Unmodelled fields stay reachable on the model (model_extra) at every level."""
    pod = Pod.from_api(DEPLOYMENT_POD)
    assert pod.metadata.model_extra is not None
    assert pod.metadata.model_extra["ownerReferences"][0]["kind"] == "ReplicaSet"
    assert pod.spec.model_extra is not None
    assert pod.spec.model_extra["volumes"][0] == {"name": "html", "emptyDir": {}}
    container = pod.spec.containers[0]
    assert container.model_extra is not None
    assert container.model_extra["ports"][0]["containerPort"] == 80
    assert container.model_extra["env"][0] == {"name": "MODE", "value": "prod"}
    assert container.liveness_probe is not None
    assert container.liveness_probe.model_extra == {
        "httpGet": {"path": "/healthz", "port": 80, "scheme": "HTTP"}
    }
    assert pod.status is not None
    assert pod.status.model_extra is not None
    assert pod.status.model_extra["podIPs"][1] == {"ip": "fd00:10:244::11"}


def _with_status(container_status: dict[str, Any]) -> dict[str, Any]:
    return {
        "spec": {"containers": [{"name": "c"}]},
        "status": {"containerStatuses": [{"name": "c", **container_status}]},
    }


@pytest.mark.parametrize(
    ("data", "loc"),
    [
        pytest.param(
            _with_status({"restartCount": "3"}),
            ("status", "containerStatuses", 0, "restartCount"),
            id="restartCount string",
        ),
        pytest.param(
            _with_status({"ready": "yes"}), ("status", "containerStatuses", 0, "ready"), id="ready yes"
        ),
        pytest.param(_with_status({"ready": 1}), ("status", "containerStatuses", 0, "ready"), id="ready 1"),
        pytest.param(
            _with_status({"lastState": {"terminated": {"exitCode": 1.5}}}),
            ("status", "containerStatuses", 0, "lastState", "terminated", "exitCode"),
            id="exitCode 1.5",
        ),
        pytest.param(
            _with_status({"state": {"terminated": {"exitCode": "1"}}}),
            ("status", "containerStatuses", 0, "state", "terminated", "exitCode"),
            id="exitCode string",
        ),
        pytest.param(
            {"spec": {"containers": [{"name": "c"}], "terminationGracePeriodSeconds": "30"}},
            ("spec", "terminationGracePeriodSeconds"),
            id="terminationGracePeriodSeconds string",
        ),
        pytest.param(
            {"spec": {"containers": [{"name": "c", "livenessProbe": {"periodSeconds": "10"}}]}},
            ("spec", "containers", 0, "livenessProbe", "periodSeconds"),
            id="probe periodSeconds string",
        ),
        pytest.param(
            {"spec": {"containers": [{"name": 7}]}}, ("spec", "containers", 0, "name"), id="name int"
        ),
    ],
)
def test_strict_types_are_rejected(data: dict[str, Any], loc: tuple[Any, ...]) -> None:
    """Values of the wrong JSON type are errors at their field, never coerced (as the API decoder does)."""
    with pytest.raises(ValidationError) as info:
        Pod.from_api(data)
    assert [e["loc"] for e in info.value.errors()] == [loc]


@pytest.mark.parametrize(
    ("data", "loc"),
    [
        pytest.param(
            {"spec": {"restartPolicy": "always", "containers": [{"name": "c"}]}},
            ("spec", "restartPolicy"),
            id="spec.restartPolicy always",
        ),
        pytest.param(
            {"spec": {"containers": [{"name": "c", "imagePullPolicy": "ifNotPresent"}]}},
            ("spec", "containers", 0, "imagePullPolicy"),
            id="imagePullPolicy ifNotPresent",
        ),
        pytest.param(
            {"spec": {"containers": [{"name": "c", "terminationMessagePolicy": "file"}]}},
            ("spec", "containers", 0, "terminationMessagePolicy"),
            id="terminationMessagePolicy file",
        ),
        pytest.param(
            {
                "spec": {
                    "containers": [{"name": "c"}],
                    "initContainers": [{"name": "i", "restartPolicy": "always"}],
                }
            },
            ("spec", "initContainers", 0, "restartPolicy"),
            id="sidecar restartPolicy always",
        ),
        pytest.param(
            {"spec": {"containers": [{"name": "c"}]}, "status": {"phase": "running"}},
            ("status", "phase"),
            id="status.phase running",
        ),
        pytest.param(
            {
                "spec": {"containers": [{"name": "c"}]},
                "status": {"conditions": [{"type": "Ready", "status": "true"}]},
            },
            ("status", "conditions", 0, "status"),
            id="condition status true",
        ),
        pytest.param(
            {"spec": {"containers": [{"name": "c"}]}, "status": {"qosClass": "burstable"}},
            ("status", "qosClass"),
            id="qosClass burstable",
        ),
    ],
)
def test_enum_values_are_case_sensitive(data: dict[str, Any], loc: tuple[Any, ...]) -> None:
    """An enum value in the wrong case is rejected at its field, as the API server's validation does."""
    with pytest.raises(ValidationError) as info:
        Pod.from_api(data)
    assert [e["loc"] for e in info.value.errors()] == [loc]


# ---------------------------------------------------------------------------------------------
# apply_defaults
# ---------------------------------------------------------------------------------------------


def _defaulted(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec JSON after apply_defaults."""
    result: dict[str, Any] = apply_defaults(Pod.from_api({"spec": spec})).to_api()["spec"]
    return result


def test_pod_spec_defaults() -> None:
    """SetDefaults_PodSpec: restartPolicy Always and terminationGracePeriodSeconds 30 when unset."""
    spec = _defaulted({"containers": [{"name": "c", "image": "busybox:1.36"}]})
    assert spec["restartPolicy"] == "Always"
    assert spec["terminationGracePeriodSeconds"] == 30


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        pytest.param(60, 60, id="60 kept"),
        pytest.param(0, 0, id="0 kept (a set pointer, not unset)"),
        pytest.param(1, 1, id="1 kept"),
        pytest.param(-1, 1, id="-1 stored as 1"),
        pytest.param(-30, 1, id="-30 stored as 1"),
    ],
)
def test_termination_grace_period(given: int, stored: int) -> None:
    """An explicit grace period is kept; a negative one is stored as 1 (pod strategy, e2e negative grace)."""
    spec = _defaulted({"containers": [{"name": "c"}], "terminationGracePeriodSeconds": given})
    assert spec["terminationGracePeriodSeconds"] == stored


@pytest.mark.parametrize("policy", ["Always", "OnFailure", "Never"])
def test_explicit_restart_policy_is_kept(policy: str) -> None:
    """SetDefaults_PodSpec only fills an empty restartPolicy."""
    assert _defaulted({"containers": [{"name": "c"}], "restartPolicy": policy})["restartPolicy"] == policy


@pytest.mark.parametrize(
    ("image", "policy"),
    [
        pytest.param("busybox", "Always", id="no tag is latest"),
        pytest.param("busybox:latest", "Always", id="tag latest"),
        pytest.param("busybox:1.36", "IfNotPresent", id="tag 1.36"),
        pytest.param("registry.local:5000/busybox", "Always", id="registry port is not a tag"),
        pytest.param("registry.local:5000/busybox:1.36", "IfNotPresent", id="registry port and tag"),
        pytest.param("docker.io/library/busybox:latest", "Always", id="fully qualified latest"),
        pytest.param(f"busybox@{DIGEST}", "IfNotPresent", id="digest only"),
        pytest.param(f"busybox:latest@{DIGEST}", "Always", id="tag latest and digest"),
        pytest.param(f"busybox:1.36@{DIGEST}", "IfNotPresent", id="tag 1.36 and digest"),
    ],
)
def test_image_pull_policy_default(image: str, policy: str) -> None:
    """SetDefaults_Container: Always iff ParseImageName gives tag latest (including no tag and no digest)."""
    assert default_image_pull_policy(image) == policy
    spec = _defaulted({"containers": [{"name": "c", "image": image}]})
    assert spec["containers"][0]["imagePullPolicy"] == policy


@pytest.mark.parametrize(
    ("image", "policy"),
    [
        pytest.param("busybox", "Never", id="no tag, Never kept"),
        pytest.param("busybox", "IfNotPresent", id="no tag, IfNotPresent kept"),
        pytest.param("busybox:1.36", "Always", id="tag 1.36, Always kept"),
    ],
)
def test_explicit_image_pull_policy_is_kept(image: str, policy: str) -> None:
    """SetDefaults_Container only fills an empty imagePullPolicy."""
    spec = _defaulted({"containers": [{"name": "c", "image": image, "imagePullPolicy": policy}]})
    assert spec["containers"][0]["imagePullPolicy"] == policy


def test_termination_message_defaults() -> None:
    """SetDefaults_Container: terminationMessagePath /dev/termination-log and policy File when unset."""
    spec = _defaulted({"containers": [{"name": "c", "image": "x:1"}]})
    assert spec["containers"][0]["terminationMessagePath"] == "/dev/termination-log"
    assert spec["containers"][0]["terminationMessagePolicy"] == "File"


def test_explicit_termination_message_fields_are_kept() -> None:
    """An explicit terminationMessagePath and FallbackToLogsOnError policy survive defaulting."""
    given = {
        "name": "c",
        "image": "x:1",
        "terminationMessagePath": "/tmp/msg",
        "terminationMessagePolicy": "FallbackToLogsOnError",
    }
    container = _defaulted({"containers": [given]})["containers"][0]
    assert container["terminationMessagePath"] == "/tmp/msg"
    assert container["terminationMessagePolicy"] == "FallbackToLogsOnError"


@pytest.mark.parametrize("probe_field", ["livenessProbe", "readinessProbe", "startupProbe"])
def test_probe_defaults(probe_field: str) -> None:
    """SetDefaults_Probe: timeout 1, period 10, success 1, failure 3; the handler is kept and no delay is added."""
    handler = {"httpGet": {"path": "/healthz", "port": 8080}}
    container = _defaulted({"containers": [{"name": "c", "image": "x:1", probe_field: dict(handler)}]})[
        "containers"
    ][0]
    assert container[probe_field] == {
        **handler,
        "timeoutSeconds": 1,
        "periodSeconds": 10,
        "successThreshold": 1,
        "failureThreshold": 3,
    }


def test_explicit_probe_values_are_kept() -> None:
    """Probe fields the user set are not overwritten by SetDefaults_Probe."""
    probe = {
        "exec": {"command": ["true"]},
        "initialDelaySeconds": 7,
        "timeoutSeconds": 5,
        "periodSeconds": 2,
        "successThreshold": 4,
        "failureThreshold": 9,
        "terminationGracePeriodSeconds": 12,
    }
    container = _defaulted({"containers": [{"name": "c", "image": "x:1", "readinessProbe": dict(probe)}]})[
        "containers"
    ][0]
    assert container["readinessProbe"] == probe


def test_init_containers_get_container_and_probe_defaults() -> None:
    """SetDefaults_Container and SetDefaults_Probe also apply to init containers and sidecars."""
    spec = _defaulted(
        {
            "initContainers": [
                {"name": "setup", "image": "setup"},
                {
                    "name": "proxy",
                    "image": "proxy:2",
                    "restartPolicy": "Always",
                    "readinessProbe": {"tcpSocket": {"port": 1}},
                },
            ],
            "containers": [{"name": "c", "image": "x:1"}],
        }
    )
    setup, proxy = spec["initContainers"]
    assert setup["imagePullPolicy"] == "Always"
    assert setup["terminationMessagePath"] == "/dev/termination-log"
    assert proxy["imagePullPolicy"] == "IfNotPresent"
    assert proxy["readinessProbe"]["periodSeconds"] == 10
    assert proxy["restartPolicy"] == "Always"


def test_absent_probes_stay_absent() -> None:
    """apply_defaults adds no probe keys to a container that has no probes."""
    container = _defaulted({"containers": [{"name": "c", "image": "x:1"}]})["containers"][0]
    assert set(container) == {
        "name",
        "image",
        "imagePullPolicy",
        "terminationMessagePath",
        "terminationMessagePolicy",
    }


def test_defaults_keep_unknown_fields_and_do_not_mutate() -> None:
    """apply_defaults returns a new Pod; unknown fields survive and the input Pod is unchanged."""
    pod = Pod.from_api(DEPLOYMENT_POD)
    defaulted = apply_defaults(pod)
    assert pod.to_api() == DEPLOYMENT_POD
    out = defaulted.to_api()
    assert out["metadata"]["ownerReferences"] == DEPLOYMENT_POD["metadata"]["ownerReferences"]
    assert out["spec"]["volumes"] == DEPLOYMENT_POD["spec"]["volumes"]
    assert out["spec"]["containers"][0]["ports"] == DEPLOYMENT_POD["spec"]["containers"][0]["ports"]
    assert out["status"] == DEPLOYMENT_POD["status"]


def test_defaults_are_idempotent() -> None:
    """Defaulting an already-defaulted Pod changes nothing."""
    once = apply_defaults(Pod.from_api(SIDECAR_POD))
    assert apply_defaults(once).to_api() == once.to_api()


# ---------------------------------------------------------------------------------------------
# validate_pod
# ---------------------------------------------------------------------------------------------


def _spec_error(spec: dict[str, Any]) -> SpecError:
    with pytest.raises(SpecError) as info:
        validate_pod(Pod.from_api({"spec": spec}))
    return info.value


@pytest.mark.parametrize(
    ("spec", "path", "fragment"),
    [
        pytest.param(
            {"containers": [{"name": "a"}, {"name": "a"}]},
            "spec.containers[1].name",
            'Duplicate value: "a"',
            id="duplicate regular containers",
        ),
        pytest.param(
            {"initContainers": [{"name": "i"}, {"name": "i"}], "containers": [{"name": "a"}]},
            "spec.initContainers[1].name",
            'Duplicate value: "i"',
            id="duplicate init containers",
        ),
        pytest.param(
            {"containers": [{"name": "a", "restartPolicy": "Always"}]},
            "spec.containers[0].restartPolicy",
            "Forbidden: may not be set for non-init containers",
            id="restartPolicy on a regular container",
        ),
        pytest.param(
            {
                "initContainers": [{"name": "i", "livenessProbe": {"exec": {"command": ["true"]}}}],
                "containers": [{"name": "a"}],
            },
            "spec.initContainers[0].livenessProbe",
            "Forbidden: may not be set for init containers without restartPolicy=Always",
            id="livenessProbe on a regular init container",
        ),
        pytest.param(
            {
                "initContainers": [{"name": "i", "readinessProbe": {"tcpSocket": {"port": 1}}}],
                "containers": [{"name": "a"}],
            },
            "spec.initContainers[0].readinessProbe",
            "Forbidden: may not be set for init containers without restartPolicy=Always",
            id="readinessProbe on a regular init container",
        ),
        pytest.param(
            {
                "initContainers": [{"name": "i", "startupProbe": {"tcpSocket": {"port": 1}}}],
                "containers": [{"name": "a"}],
            },
            "spec.initContainers[0].startupProbe",
            "Forbidden: may not be set for init containers without restartPolicy=Always",
            id="startupProbe on a regular init container",
        ),
        pytest.param(
            {"containers": [{"name": "a", "livenessProbe": {"successThreshold": 2}}]},
            "spec.containers[0].livenessProbe.successThreshold",
            "must be 1",
            id="liveness successThreshold 2",
        ),
        pytest.param(
            {"containers": [{"name": "a", "startupProbe": {"successThreshold": 3}}]},
            "spec.containers[0].startupProbe.successThreshold",
            "must be 1",
            id="startup successThreshold 3",
        ),
        pytest.param(
            {
                "initContainers": [
                    {"name": "s", "restartPolicy": "Always", "livenessProbe": {"successThreshold": 2}}
                ],
                "containers": [{"name": "a"}],
            },
            "spec.initContainers[0].livenessProbe.successThreshold",
            "must be 1",
            id="sidecar liveness successThreshold 2",
        ),
        pytest.param(
            {"containers": [{"name": "a", "readinessProbe": {"periodSeconds": -1}}]},
            "spec.containers[0].readinessProbe.periodSeconds",
            "Invalid value: -1",
            id="readiness periodSeconds -1",
        ),
        pytest.param(
            {"containers": [{"name": "a", "livenessProbe": {"initialDelaySeconds": -5}}]},
            "spec.containers[0].livenessProbe.initialDelaySeconds",
            "Invalid value: -5",
            id="liveness initialDelaySeconds -5",
        ),
    ],
)
def test_validate_pod_rejects_with_field_path(spec: dict[str, Any], path: str, fragment: str) -> None:
    """Each ValidatePodSpec rule podfsm relies on is reported at the API server's exact field path."""
    err = _spec_error(spec)
    assert err.path == path
    assert fragment in err.message
    assert str(err).startswith(f"{path}: ")
    assert err.rule


def test_duplicate_name_across_init_and_regular_containers_is_rejected() -> None:
    """A name shared by an init container and a regular container is a Duplicate value error."""
    err = _spec_error({"initContainers": [{"name": "a"}], "containers": [{"name": "a"}]})
    assert err.path.endswith(".name")
    assert 'Duplicate value: "a"' in err.message


@pytest.mark.parametrize(
    "spec",
    [
        pytest.param({"containers": [{"name": "a"}]}, id="one container"),
        pytest.param(
            {
                "initContainers": [
                    {"name": "setup"},
                    {
                        "name": "proxy",
                        "restartPolicy": "Always",
                        "livenessProbe": {"successThreshold": 1},
                        "readinessProbe": {"successThreshold": 3},
                        "startupProbe": {"failureThreshold": 30},
                    },
                ],
                "containers": [{"name": "a", "readinessProbe": {"successThreshold": 2, "periodSeconds": 1}}],
            },
            id="sidecar with probes, readiness successThreshold 2",
        ),
        pytest.param(DEPLOYMENT_POD["spec"], id="realistic deployment pod"),
        pytest.param(SIDECAR_POD["spec"], id="realistic sidecar pod"),
    ],
)
def test_validate_pod_accepts_valid_pods(spec: dict[str, Any]) -> None:
    """Sidecars may carry probes, readiness successThreshold may exceed 1, and valid pods pass."""
    validate_pod(Pod.from_api({"spec": spec}))


# ---------------------------------------------------------------------------------------------
# Timestamps (metav1.Time: Go's time.RFC3339) and integer ranges, rejected with the field path
# ---------------------------------------------------------------------------------------------

TIME_MESSAGE = "Input should be an RFC 3339 date-time such as 2026-11-23T10:06:00Z"


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-23T10:06:00Z",
        "2026-11-23T10:06:00.5Z",
        "2026-11-23T10:06:00.123456789Z",
        "2026-11-23T10:06:00+05:30",
        "2026-11-23T10:06:00-08:00",
        "2024-02-29T23:59:59Z",
    ],
)
def test_rfc3339_accepts_what_metav1_time_parses(text: str) -> None:
    """A date, T, a time (fractional seconds allowed) and Z or ±hh:mm is an RFC 3339 date-time."""
    assert is_rfc3339(text)


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-23",
        "2026-11-23T10:06:00",
        "2026-11-23 10:06:00Z",
        "2026-11-23t10:06:00Z",
        "2026-11-23T10:06:00z",
        "2026-11-23T10:06Z",
        "2026-11-23T24:00:00Z",
        "2026-11-23T10:06:60Z",
        "2026-02-29T00:00:00Z",
        "2026-13-01T00:00:00Z",
        "2026-11-23T10:06:00+24:00",
        "2026-11-23T10:06:00+0530",
        "2026-11-23T10:06:00.Z",
        "0001-01-01T00:00:00+01:00",
        "20261123T100600Z",
        "2026-W47-1T10:06:00Z",
        "\u0662\u0660\u0662\u0666-11-23T10:06:00Z",
        "",
        "yesterday",
    ],
)
def test_rfc3339_refuses_dates_partial_times_and_out_of_range_fields(text: str) -> None:
    """What Python's fromisoformat takes but Go's RFC 3339 parser does not is refused."""
    assert not is_rfc3339(text)


def _pod_with(meta: dict[str, Any] | None = None, status: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "metadata": {"name": "p", **(meta or {})},
        "spec": {"containers": [{"name": "c"}]},
        "status": status or {},
    }


@pytest.mark.parametrize(
    ("data", "loc"),
    [
        pytest.param(
            _with_status({"lastState": {"terminated": {"exitCode": 1, "finishedAt": "yesterday"}}}),
            ("status", "containerStatuses", 0, "lastState", "terminated", "finishedAt"),
            id="lastState finishedAt",
        ),
        pytest.param(
            _with_status({"state": {"terminated": {"exitCode": 1, "startedAt": "2026-11-23"}}}),
            ("status", "containerStatuses", 0, "state", "terminated", "startedAt"),
            id="terminated startedAt date only",
        ),
        pytest.param(
            _with_status({"state": {"running": {"startedAt": "2026-11-23 10:00:00"}}}),
            ("status", "containerStatuses", 0, "state", "running", "startedAt"),
            id="running startedAt with a space",
        ),
        pytest.param(
            _pod_with(meta={"deletionTimestamp": "soon"}),
            ("metadata", "deletionTimestamp"),
            id="deletionTimestamp",
        ),
        pytest.param(
            _pod_with(meta={"creationTimestamp": "2026-13-01T00:00:00Z"}),
            ("metadata", "creationTimestamp"),
            id="creationTimestamp month 13",
        ),
        pytest.param(
            _pod_with(
                status={"conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": "x"}]}
            ),
            ("status", "conditions", 0, "lastTransitionTime"),
            id="condition lastTransitionTime",
        ),
        pytest.param(
            _pod_with(status={"conditions": [{"type": "Ready", "status": "True", "lastProbeTime": ""}]}),
            ("status", "conditions", 0, "lastProbeTime"),
            id="condition lastProbeTime empty",
        ),
        pytest.param(_pod_with(status={"startTime": "10:00"}), ("status", "startTime"), id="startTime"),
    ],
)
def test_unparseable_timestamps_are_rejected_with_the_field_path(
    data: dict[str, Any], loc: tuple[str | int, ...]
) -> None:
    """A time metav1.Time cannot parse fails validation at its field, not later in the oracle."""
    with pytest.raises(ValidationError) as info:
        Pod.from_api(data)
    [error] = info.value.errors()
    assert (error["loc"], error["type"], error["msg"]) == (loc, "rfc3339", TIME_MESSAGE)


def test_null_and_valid_timestamps_are_kept_verbatim() -> None:
    """``null`` (an unset metav1.Time) and valid times load unchanged, so the round trip is lossless."""
    data = _pod_with(
        meta={"creationTimestamp": None, "deletionTimestamp": "2026-11-23T10:06:00.5+01:00"},
        status={"startTime": "2026-11-23T10:00:00Z"},
    )
    assert Pod.from_api(data).to_api() == data


@pytest.mark.parametrize(
    ("data", "loc", "message"),
    [
        pytest.param(
            _with_status({"restartCount": -1}),
            ("status", "containerStatuses", 0, "restartCount"),
            "Input should be greater than or equal to 0",
            id="restartCount negative",
        ),
        pytest.param(
            _with_status({"restartCount": 2**31}),
            ("status", "containerStatuses", 0, "restartCount"),
            "Input should be less than or equal to 2147483647",
            id="restartCount over int32",
        ),
        pytest.param(
            _with_status({"state": {"terminated": {"exitCode": -(2**31) - 1}}}),
            ("status", "containerStatuses", 0, "state", "terminated", "exitCode"),
            "Input should be greater than or equal to -2147483648",
            id="exitCode under int32",
        ),
        pytest.param(
            {"spec": {"containers": [{"name": "c"}], "terminationGracePeriodSeconds": 2**63}},
            ("spec", "terminationGracePeriodSeconds"),
            "Input should be less than or equal to 9223372036854775807",
            id="grace period over int64",
        ),
        pytest.param(
            {"spec": {"containers": [{"name": "c", "readinessProbe": {"periodSeconds": 2**31}}]}},
            ("spec", "containers", 0, "readinessProbe", "periodSeconds"),
            "Input should be less than or equal to 2147483647",
            id="probe period over int32",
        ),
    ],
)
def test_integers_out_of_their_go_type_range_are_rejected(
    data: dict[str, Any], loc: tuple[str | int, ...], message: str
) -> None:
    """restartCount is non-negative and every integer fits its Go type (int32 or int64), as the API server decodes."""
    with pytest.raises(ValidationError) as info:
        Pod.from_api(data)
    [error] = info.value.errors()
    assert (error["loc"], error["msg"]) == (loc, message)
