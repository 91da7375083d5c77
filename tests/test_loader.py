"""podfsm.api.loader: Pods, Lists, multi-document YAML and workload templates, and one-line errors.

Every error must be a :class:`podfsm.errors.ManifestError` whose single-line message names the
file, the object (kind and name) when there is one, and the JSON field path.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from podfsm.api.loader import LoadedPod, load_pods
from podfsm.errors import ManifestError, PodfsmError

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "status" / "pods.json"

POD_YAML = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: default
  creationTimestamp: 2026-11-23T10:00:00Z
spec:
  containers:
  - name: nginx
    image: nginx:1.27
status:
  phase: Running
  startTime: 2026-11-23T10:00:01Z
  containerStatuses:
  - name: nginx
    ready: true
    restartCount: 0
    state:
      running:
        startedAt: 2026-11-23T10:00:05Z
"""

POD_JSON = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "web", "namespace": "default"},
    "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}]},
}


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _load_error(tmp_path: Path, name: str, text: str) -> str:
    """The message of the ManifestError that loading ``text`` from file ``name`` raises."""
    path = _write(tmp_path, name, text)
    with pytest.raises(ManifestError) as info:
        load_pods(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(str(path))
    return message


# ---------------------------------------------------------------------------------------------
# What loads
# ---------------------------------------------------------------------------------------------


def test_single_pod_yaml(tmp_path: Path) -> None:
    """A YAML Pod loads as one Pod with its raw JSON and a location naming file, kind and name."""
    path = _write(tmp_path, "pod.yaml", POD_YAML)
    [loaded] = load_pods(path)
    assert isinstance(loaded, LoadedPod)
    assert loaded.pod.metadata.name == "web"
    assert loaded.pod.spec.containers[0].image == "nginx:1.27"
    assert loaded.raw["status"]["containerStatuses"][0]["ready"] is True
    assert loaded.where == f'{path}: Pod "web"'


def test_single_pod_json(tmp_path: Path) -> None:
    """A JSON Pod loads unchanged: raw is exactly the given object."""
    path = _write(tmp_path, "pod.json", json.dumps(POD_JSON))
    [loaded] = load_pods(path)
    assert loaded.raw == POD_JSON
    assert loaded.pod.to_api() == POD_JSON


def test_yaml_timestamps_stay_strings(tmp_path: Path) -> None:
    """Unquoted YAML timestamps are kept as the RFC 3339 strings the API prints, not datetimes."""
    [loaded] = load_pods(_write(tmp_path, "pod.yaml", POD_YAML))
    assert loaded.raw["metadata"]["creationTimestamp"] == "2026-11-23T10:00:00Z"
    assert loaded.raw["status"]["startTime"] == "2026-11-23T10:00:01Z"
    assert (
        loaded.raw["status"]["containerStatuses"][0]["state"]["running"]["startedAt"]
        == "2026-11-23T10:00:05Z"
    )
    assert loaded.pod.metadata.creation_timestamp == "2026-11-23T10:00:00Z"


def test_yaml_date_annotation_stays_string(tmp_path: Path) -> None:
    """A bare YAML date (implicit timestamp) in a label or annotation stays a string."""
    text = "kind: Pod\nmetadata:\n  name: p\n  annotations:\n    built: 2026-11-23\nspec:\n  containers: [{name: c}]\n"
    [loaded] = load_pods(_write(tmp_path, "pod.yaml", text))
    assert loaded.raw["metadata"]["annotations"] == {"built": "2026-11-23"}


def test_kubectl_list_json() -> None:
    """The v1 List that `kubectl get pods -o json` prints yields every item, in order."""
    loaded = load_pods(EXAMPLES)
    expected = [
        item["metadata"]["name"] for item in json.loads(EXAMPLES.read_text(encoding="utf-8"))["items"]
    ]
    assert [p.pod.metadata.name for p in loaded] == expected
    assert loaded[0].where == f'{EXAMPLES}: items[0]: Pod "{expected[0]}"'


def test_list_with_metadata_and_pod_list_kind(tmp_path: Path) -> None:
    """A PodList, with the list metadata kubectl adds, is read like a List."""
    doc = {
        "apiVersion": "v1",
        "kind": "PodList",
        "metadata": {"resourceVersion": ""},
        "items": [POD_JSON, POD_JSON],
    }
    loaded = load_pods(_write(tmp_path, "pods.json", json.dumps(doc)))
    assert [p.raw for p in loaded] == [POD_JSON, POD_JSON]
    assert [p.where.split(": ")[1] for p in loaded] == ["items[0]", "items[1]"]


def test_several_yaml_documents(tmp_path: Path) -> None:
    """Every non-empty YAML document is read; later documents are located as (document N)."""
    text = (
        "---\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: c}]}\n"
        "---\n"
        "---\nkind: Pod\nmetadata: {name: b}\nspec: {containers: [{name: c}]}\n"
    )
    path = _write(tmp_path, "pods.yaml", text)
    loaded = load_pods(path)
    assert [p.pod.metadata.name for p in loaded] == ["a", "b"]
    assert loaded[0].where == f'{path}: Pod "a"'
    assert loaded[1].where.startswith(f"{path} (document ")


def test_text_argument_and_display_name() -> None:
    """load_pods(text=..., name=...) reads the given text and names it in locations."""
    [loaded] = load_pods("-", text=json.dumps(POD_JSON), name="<stdin>")
    assert loaded.where == '<stdin>: Pod "web"'


def test_deployment_template_becomes_pod(tmp_path: Path) -> None:
    """A Deployment's pod template becomes a Pod named after the Deployment, in its namespace."""
    text = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: prod
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
"""
    path = _write(tmp_path, "deploy.yaml", text)
    [loaded] = load_pods(path)
    assert loaded.pod.metadata.name == "web"
    assert loaded.pod.metadata.namespace == "prod"
    assert loaded.pod.metadata.labels == {"app": "web"}
    assert loaded.raw["kind"] == "Pod"
    assert loaded.raw["apiVersion"] == "v1"
    assert loaded.raw["spec"]["containers"] == [{"name": "nginx", "image": "nginx:1.27"}]
    assert loaded.where == f'{path}: Deployment "web"'


@pytest.mark.parametrize("policy", ["OnFailure", "Never"])
def test_job_template_becomes_pod(tmp_path: Path, policy: str) -> None:
    """A Job's template with restartPolicy OnFailure or Never becomes a Pod named after the Job."""
    text = f"""\
apiVersion: batch/v1
kind: Job
metadata: {{name: pi}}
spec:
  backoffLimit: 4
  template:
    spec:
      restartPolicy: {policy}
      containers:
      - name: pi
        image: perl:5.34
        command: ["perl", "-Mbignum=bpi", "-wle", "print bpi(2000)"]
"""
    [loaded] = load_pods(_write(tmp_path, "job.yaml", text))
    assert loaded.pod.metadata.name == "pi"
    assert loaded.pod.spec.restart_policy == policy
    assert loaded.pod.spec.containers[0].command == ["perl", "-Mbignum=bpi", "-wle", "print bpi(2000)"]


def test_cronjob_template_becomes_pod(tmp_path: Path) -> None:
    """A CronJob's spec.jobTemplate.spec.template becomes a Pod named after the CronJob."""
    text = """\
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly, namespace: batch}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: report
            image: report:2
"""
    [loaded] = load_pods(_write(tmp_path, "cron.yaml", text))
    assert loaded.pod.metadata.name == "nightly"
    assert loaded.pod.metadata.namespace == "batch"
    assert loaded.pod.spec.containers[0].name == "report"


def test_mixed_documents_pod_and_workload(tmp_path: Path) -> None:
    """A Pod and a Deployment in one YAML stream give two Pods."""
    text = (
        "kind: Pod\nmetadata: {name: solo}\nspec: {containers: [{name: c}]}\n---\n"
        "kind: Deployment\nmetadata: {name: web}\nspec: {template: {spec: {containers: [{name: c}]}}}\n"
    )
    assert [p.pod.metadata.name for p in load_pods(_write(tmp_path, "mix.yaml", text))] == ["solo", "web"]


# ---------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------


def test_manifest_error_is_a_podfsm_value_error() -> None:
    """ManifestError is both a PodfsmError and a ValueError, so callers can catch either."""
    assert issubclass(ManifestError, PodfsmError)
    assert issubclass(ManifestError, ValueError)


@pytest.mark.parametrize(
    ("name", "text", "fragments"),
    [
        pytest.param("bad.yaml", "kind: Pod\nspec: [\n", ["not valid YAML or JSON", "line "], id="not YAML"),
        pytest.param("bad.json", '{"kind": "Pod", "spec": ', ["not valid YAML or JSON"], id="truncated JSON"),
        pytest.param(
            "tab.yaml", "kind: Pod\n\tspec: {}\n", ["not valid YAML or JSON", "line 2"], id="tab indent"
        ),
        pytest.param("empty.yaml", "", ["empty"], id="empty file"),
        pytest.param(
            "blank.yaml", "---\n# only a comment\n---\n", ["empty"], id="only separators and comments"
        ),
        pytest.param("scalar.yaml", "hello\n", ["mapping", "str"], id="scalar string document"),
        pytest.param("number.json", "42", ["mapping", "int"], id="scalar number document"),
        pytest.param("seq.yaml", "- a\n- b\n", ["mapping", "list"], id="sequence document"),
        pytest.param("empty-list.json", '{"kind": "List", "items": []}', ["no Pods"], id="empty List"),
        pytest.param("bad-list.json", '{"kind": "List", "items": {}}', ["items"], id="List items not a list"),
    ],
)
def test_unreadable_documents(tmp_path: Path, name: str, text: str, fragments: list[str]) -> None:
    """Input that holds no Kubernetes object gives a one-line ManifestError naming the file and the problem."""
    message = _load_error(tmp_path, name, text)
    for fragment in fragments:
        assert fragment in message


def test_missing_file() -> None:
    """A path that does not exist gives a ManifestError naming it."""
    with pytest.raises(ManifestError, match=r"^/nonexistent/pod\.yaml: cannot read"):
        load_pods("/nonexistent/pod.yaml")


def test_service_is_rejected(tmp_path: Path) -> None:
    """A Service is neither a Pod nor a workload: the error names its kind and name."""
    text = "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}]}\n"
    message = _load_error(tmp_path, "svc.yaml", text)
    assert 'Service "web"' in message
    assert "'Service' is not a Pod" in message


@pytest.mark.parametrize(
    ("name", "doc", "obj", "field_path"),
    [
        pytest.param(
            "pod.json",
            {"kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"image": "x"}]}},
            'Pod "p"',
            "spec.containers[0].name: Required value",
            id="container name missing",
        ),
        pytest.param(
            "pod.json",
            {"kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": []}},
            'Pod "p"',
            "spec.containers: ",
            id="no containers",
        ),
        pytest.param(
            "pod.json",
            {"kind": "Pod", "metadata": {"name": "p"}},
            'Pod "p"',
            "spec: Required value",
            id="spec missing",
        ),
        pytest.param(
            "pod.json",
            {
                "kind": "Pod",
                "metadata": {"name": "p"},
                "spec": {"containers": [{"name": "c"}]},
                "status": {
                    "containerStatuses": [
                        {"name": "c", "restartCount": 1, "lastState": {"terminated": {"exitCode": "137"}}}
                    ]
                },
            },
            'Pod "p"',
            "status.containerStatuses[0].lastState.terminated.exitCode: ",
            id="wrong type deep inside status",
        ),
        pytest.param(
            "pod.json",
            {
                "kind": "Pod",
                "metadata": {"name": "p"},
                "spec": {"containers": [{"name": "c"}]},
                "status": {"initContainerStatuses": [{"name": "i", "restartCount": "2"}]},
            },
            'Pod "p"',
            "status.initContainerStatuses[0].restartCount: ",
            id="restartCount string in init status",
        ),
        pytest.param(
            "pod.json",
            {
                "kind": "Pod",
                "metadata": {"name": "p"},
                "spec": {"containers": [{"name": "c", "restartPolicy": "Always"}]},
            },
            'Pod "p"',
            "spec.containers[0].restartPolicy: Forbidden",
            id="validation rule",
        ),
        pytest.param(
            "job.json",
            {
                "kind": "Job",
                "metadata": {"name": "j"},
                "spec": {"template": {"spec": {"containers": [{"name": "c"}]}}},
            },
            'Job "j"',
            "spec.template.spec.restartPolicy: ",
            id="Job without restartPolicy",
        ),
        pytest.param(
            "job.json",
            {
                "kind": "Job",
                "metadata": {"name": "j"},
                "spec": {"template": {"spec": {"restartPolicy": "Always", "containers": [{"name": "c"}]}}},
            },
            'Job "j"',
            "spec.template.spec.restartPolicy: ",
            id="Job with restartPolicy Always",
        ),
        pytest.param(
            "cron.json",
            {
                "kind": "CronJob",
                "metadata": {"name": "cj"},
                "spec": {"jobTemplate": {"spec": {"template": {"spec": {"containers": [{"name": "c"}]}}}}},
            },
            'CronJob "cj"',
            "spec.jobTemplate.spec.template.spec.restartPolicy: ",
            id="CronJob without restartPolicy",
        ),
        pytest.param(
            "deploy.json",
            {
                "kind": "Deployment",
                "metadata": {"name": "web"},
                "spec": {"template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "c"}]}}},
            },
            'Deployment "web"',
            "spec.template.spec.restartPolicy: Unsupported value",
            id="Deployment with restartPolicy Never",
        ),
        pytest.param(
            "deploy.json",
            {"kind": "Deployment", "metadata": {"name": "web"}, "spec": {"replicas": 1}},
            'Deployment "web"',
            "spec.template: Required value",
            id="Deployment without template",
        ),
        pytest.param(
            "job.json",
            {
                "kind": "Job",
                "metadata": {"name": "j"},
                "spec": {"template": {"spec": {"restartPolicy": "Never", "containers": [{"image": "x"}]}}},
            },
            'Job "j"',
            "spec.template.spec.containers[0].name: Required value",
            id="template error path is prefixed",
        ),
    ],
)
def test_object_errors_name_file_object_and_field(
    tmp_path: Path, name: str, doc: dict[str, Any], obj: str, field_path: str
) -> None:
    """An invalid object gives one line: file, then kind and name, then the JSON field path."""
    message = _load_error(tmp_path, name, json.dumps(doc))
    path = tmp_path / name
    assert message.startswith(f"{path}: {obj}: {field_path}")


def test_error_in_list_item_names_the_item(tmp_path: Path) -> None:
    """An invalid List item is located as items[i] with its kind and name."""
    bad = {"kind": "Pod", "metadata": {"name": "b"}, "spec": {"containers": [{}]}}
    doc = {"apiVersion": "v1", "kind": "List", "items": [POD_JSON, bad]}
    message = _load_error(tmp_path, "pods.json", json.dumps(doc))
    assert message == f'{tmp_path / "pods.json"}: items[1]: Pod "b": spec.containers[0].name: Required value'


def test_error_in_later_yaml_document_names_the_document(tmp_path: Path) -> None:
    """An invalid second YAML document is located as (document 2)."""
    text = (
        "kind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: c}]}\n---\n"
        "kind: Pod\nmetadata: {name: b}\nspec: {containers: [{name: c, image: 5}]}\n"
    )
    message = _load_error(tmp_path, "pods.yaml", text)
    assert message.startswith(f'{tmp_path / "pods.yaml"} (document 2): Pod "b": spec.containers[0].image: ')


# ---------------------------------------------------------------------------------------------
# Malformed objects and workloads: one line with the field path, never a TypeError
# ---------------------------------------------------------------------------------------------

_TEMPLATE = {"spec": {"containers": [{"name": "c"}]}}
_DEPLOYMENT_SPEC = {"template": _TEMPLATE}


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        pytest.param(
            {"kind": {"a": 1}, "metadata": {"name": "x"}},
            "object \"x\": kind: Input should be a valid string (got {'a': 1})",
            id="kind a mapping",
        ),
        pytest.param(
            {"kind": ["Pod"], "spec": {}},
            "object: kind: Input should be a valid string (got ['Pod'])",
            id="kind a list",
        ),
        pytest.param({"kind": 5}, "object: kind: Input should be a valid string (got 5)", id="kind a number"),
        pytest.param(
            {"kind": "Pod", "metadata": [1], "spec": _TEMPLATE["spec"]},
            "Pod: metadata: Input should be a valid dictionary or instance of ObjectMeta (got [1])",
            id="Pod metadata a list",
        ),
        pytest.param(
            {"kind": "Deployment", "metadata": [1], "spec": _DEPLOYMENT_SPEC},
            "Deployment: metadata: Input should be a valid dictionary (got [1])",
            id="workload metadata a list",
        ),
        pytest.param(
            {"kind": "Deployment", "metadata": "web", "spec": _DEPLOYMENT_SPEC},
            "Deployment: metadata: Input should be a valid dictionary (got 'web')",
            id="workload metadata a string",
        ),
        pytest.param(
            {"kind": "Deployment", "metadata": {"name": {"a": 1}}, "spec": _DEPLOYMENT_SPEC},
            "Deployment: metadata.name: Input should be a valid string (got {'a': 1})",
            id="workload name a mapping",
        ),
        pytest.param(
            {"kind": "Deployment", "metadata": {"name": "d", "namespace": 3}, "spec": _DEPLOYMENT_SPEC},
            'Deployment "d": metadata.namespace: Input should be a valid string (got 3)',
            id="workload namespace a number",
        ),
        pytest.param(
            {
                "kind": "Deployment",
                "metadata": {"name": "d"},
                "spec": {"template": {**_TEMPLATE, "metadata": "x"}},
            },
            "Deployment \"d\": spec.template.metadata: Input should be a valid dictionary (got 'x')",
            id="template metadata a string",
        ),
        pytest.param(
            {"kind": "Deployment", "metadata": {"name": "d"}, "spec": {"template": [1, 2]}},
            'Deployment "d": spec.template: Input should be a valid dictionary (got [1, 2])',
            id="template a list",
        ),
        pytest.param(
            {"kind": "StatefulSet", "metadata": {"name": "d"}, "spec": "x"},
            "StatefulSet \"d\": spec: Input should be a valid dictionary (got 'x')",
            id="workload spec a string",
        ),
        pytest.param(
            {"kind": "Deployment", "metadata": {"name": "d"}, "spec": {"template": {"spec": [1]}}},
            'Deployment "d": spec.template.spec: Input should be a valid dictionary (got [1])',
            id="template spec a list",
        ),
        pytest.param(
            {"kind": "CronJob", "metadata": {"name": "c"}, "spec": {"jobTemplate": "x"}},
            "CronJob \"c\": spec.jobTemplate: Input should be a valid dictionary (got 'x')",
            id="CronJob jobTemplate a string",
        ),
        pytest.param(
            {
                "kind": "Job",
                "metadata": {"name": "j"},
                "spec": {"template": {"spec": {"restartPolicy": {"a": 1}}}},
            },
            'Job "j": spec.template.spec.restartPolicy: Required value: must be "OnFailure" or "Never"'
            " (got {'a': 1}) (ValidateJobSpec)",
            id="Job restartPolicy a mapping",
        ),
        pytest.param(
            {
                "kind": "Deployment",
                "metadata": {"name": "d"},
                "spec": {"template": {"spec": {"restartPolicy": []}}},
            },
            'Deployment "d": spec.template.spec.restartPolicy: Unsupported value: []: supported values: "Always"'
            " (ValidatePodTemplateSpecForReplicaSet)",
            id="Deployment restartPolicy a list",
        ),
        pytest.param(
            {"kind": "List", "items": [["a"]]},
            "items[0]: expected a Kubernetes object (a mapping), got list",
            id="List item a list",
        ),
        pytest.param(
            {"kind": "Pod", "metadata": {"name": "a\nb\x1b[31m\u202e"}, "spec": {}},
            'Pod "a\\nb\\x1b[31m\\u202e": spec.containers: Required value',
            id="name with control characters is escaped",
        ),
        pytest.param(
            {
                "kind": "Pod",
                "metadata": {"name": "p"},
                "spec": {"containers": [{"name": "c", "x\ny": {}}]},
                "z": 1,
            },
            None,
            id="unknown fields are kept, not an error",
        ),
        pytest.param(
            {
                "kind": "Pod",
                "metadata": {"name": "p"},
                "spec": {"containers": [{"name": "c", "image": ["x" * 500]}]},
            },
            'Pod "p": spec.containers[0].image: Input should be a valid string (got '
            f"['{'x' * 37}...{'x' * 38}'])",
            id="long values are shortened",
        ),
    ],
)
def test_malformed_objects_give_the_field_path(
    tmp_path: Path, doc: dict[str, Any], expected: str | None
) -> None:
    """Wrongly typed kinds, metadata, templates and items give one line naming the field, never a TypeError."""
    path = _write(tmp_path, "bad.json", json.dumps(doc))
    if expected is None:
        assert len(load_pods(path)) == 1
        return
    with pytest.raises(ManifestError) as info:
        load_pods(path)
    assert str(info.value) == f"{path}: {expected}"
