"""The library as a user's own tests meet it: ``Simulator`` takes the JSON ``kubectl`` prints,
``Simulator.columns`` reads like ``Step.columns``, ``load_pod`` reads files and ``loads_pod``
text, and ``podfsm verify`` leaves no ``.hypothesis/`` folder behind."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

import podfsm
from podfsm.api.loader import load_pods
from podfsm.verification.verify import PROFILES

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
NGINX = EXAMPLES / "nginx" / "pod.yaml"
BUSYBOX = EXAMPLES / "busybox" / "deployment.yaml"

POD: dict[str, Any] = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "web"},
    "spec": {"restartPolicy": "Always", "containers": [{"name": "app", "image": "nginx:1.27"}]},
}
SCRIPT = [
    {"event": "schedule", "node": "node-1"},
    {"event": "image_pulled", "container": "app"},
    {"event": "container_started", "container": "app"},
    {"event": "container_exited", "container": "app", "exit_code": 1},
]


def _run(sim: podfsm.Simulator) -> list[tuple[Any, ...]]:
    return [(s.t, s.columns, s.pod, s.events) for s in sim.run(SCRIPT)]


# ---------------------------------------------------------------------------------------------
# Simulator(pod): a Pod, a LoadedPod or a plain mapping
# ---------------------------------------------------------------------------------------------


def test_simulator_accepts_a_dict_as_kubectl_prints_it() -> None:
    """Simulator(dict) runs exactly as Simulator(Pod.from_api(dict)) and Simulator(LoadedPod)."""
    from_dict = _run(podfsm.Simulator(POD))
    from_model = _run(podfsm.Simulator(podfsm.Pod.from_api(POD)))
    from_loaded = _run(podfsm.Simulator(load_pods("<text>", text=json.dumps(POD), name="<text>")[0]))
    assert from_dict == from_model == from_loaded
    assert from_dict[-1][1].status == "Error"


def test_simulator_accepts_a_workload_mapping() -> None:
    """A Deployment mapping runs its pod template, as load_pod does for a file."""
    deployment = yaml.safe_load(BUSYBOX.read_text())
    assert podfsm.Simulator(deployment).pod == podfsm.Simulator(podfsm.load_pod(BUSYBOX)).pod


@pytest.mark.parametrize(
    ("pod", "field"),
    [
        pytest.param(
            {**POD, "spec": {"containers": [{"name": 5}]}}, "spec.containers[0].name", id="name-int"
        ),
        pytest.param({**POD, "spec": {"containers": "app"}}, "spec.containers", id="containers-str"),
        pytest.param({**POD, "spec": {"containers": []}}, "spec.containers", id="no-containers"),
        pytest.param({"metadata": {"name": "web"}}, "spec", id="no-spec"),
        pytest.param(
            {**POD, "status": {"containerStatuses": [{"name": "app", "restartCount": "3"}]}},
            "status.containerStatuses[0].restartCount",
            id="restartCount-str",
        ),
    ],
)
def test_simulator_malformed_dict_names_the_field(pod: dict[str, Any], field: str) -> None:
    """A malformed mapping raises ManifestError naming the field path, as loading a file would."""
    with pytest.raises(podfsm.ManifestError) as exc:
        podfsm.Simulator(pod)
    assert f" {field}: " in str(exc.value), str(exc.value)


@pytest.mark.parametrize(
    "pod", [None, 3, ["web"], str(NGINX), NGINX], ids=["None", "int", "list", "str", "Path"]
)
def test_simulator_rejects_what_is_not_a_pod(pod: Any) -> None:
    """Anything else is a ManifestError saying what it got; a path points to load_pod."""
    with pytest.raises(
        podfsm.ManifestError, match=r"^expected a podfsm\.Pod, a LoadedPod or a v1 Pod mapping"
    ):
        podfsm.Simulator(pod)
    if isinstance(pod, str | Path):
        with pytest.raises(podfsm.ManifestError, match=r"use podfsm\.load_pod\(path\)"):
            podfsm.Simulator(pod)


# ---------------------------------------------------------------------------------------------
# Simulator.columns is read like Step.columns
# ---------------------------------------------------------------------------------------------


def test_simulator_columns_is_a_read_only_property_like_step_columns() -> None:
    """sim.columns (no call) is the columns of the pod now: those of the last step, and it cannot be set."""
    sim = podfsm.Simulator(POD)
    assert sim.columns.status == "Pending"
    for event in SCRIPT:
        step = sim.apply(event)
        assert sim.columns == step.columns
    assert isinstance(sim.columns, podfsm.Columns) and sim.columns.status == "Error"
    with pytest.raises(AttributeError):
        sim.columns = step.columns  # type: ignore[misc]


# ---------------------------------------------------------------------------------------------
# load_pod reads a file, loads_pod reads text
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [NGINX, str(NGINX)], ids=["Path", "str"])
def test_load_pod_reads_a_file(path: str | Path) -> None:
    """load_pod(path) reads the file, whether the path is a str or a Path."""
    assert podfsm.load_pod(path).metadata.name == "nginx"


def test_load_pod_reads_a_file_with_an_odd_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file name that only looks odd ('apiVersion.yaml') is a file name; one that looks like text
    ('{pod}.yaml') is refused as a str, and read as a Path, which is always a file."""
    monkeypatch.chdir(tmp_path)
    for name in ("apiVersion.yaml", "pod {1}.yaml", "{pod}.yaml", "[pod].json"):
        Path(name).write_text(NGINX.read_text())
        assert podfsm.load_pod(Path(name)).metadata.name == "nginx"
    assert podfsm.load_pod("apiVersion.yaml").metadata.name == "nginx"
    with pytest.raises(podfsm.ManifestError, match=r"^load_pod reads a file"):
        podfsm.load_pod("{pod}.yaml")


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(NGINX.read_text(), id="yaml-with-newlines"),
        pytest.param(json.dumps(POD), id="json-object"),
        pytest.param(json.dumps([POD]), id="json-list"),
        pytest.param("apiVersion: v1", id="apiVersion-one-line"),
        pytest.param("  {}", id="indented-brace"),
    ],
)
def test_load_pod_refuses_text_instead_of_guessing(text: str) -> None:
    """A string that is surely YAML/JSON text is refused with a pointer to loads_pod, never read as text."""
    with pytest.raises(podfsm.ManifestError) as exc:
        podfsm.load_pod(text)
    assert str(exc.value).startswith("load_pod reads a file; for YAML/JSON text use podfsm.loads_pod")


def test_loads_pod_reads_yaml_and_json_text() -> None:
    """loads_pod(text) reads YAML or JSON text: the same Pod as load_pod reads from the file."""
    assert podfsm.loads_pod(NGINX.read_text()) == podfsm.load_pod(NGINX)
    assert podfsm.loads_pod(json.dumps(POD)) == podfsm.Pod.from_api(POD)


def test_loads_pod_errors_name_the_text() -> None:
    """loads_pod's errors name '<text>' (or the name given) and the field."""
    with pytest.raises(podfsm.ManifestError, match=r"^<text>: .*spec: Required value"):
        podfsm.loads_pod("kind: Pod\nmetadata: {name: web}\n")
    with pytest.raises(podfsm.ManifestError, match=r"^my-pod: "):
        podfsm.loads_pod("kind: Pod\nmetadata: {name: web}\n", name="my-pod")
    with pytest.raises(podfsm.ManifestError, match="loads_pod reads YAML or JSON text"):
        podfsm.loads_pod(NGINX)  # type: ignore[arg-type]


def test_loads_pod_is_exported() -> None:
    """podfsm.loads_pod is public: in podfsm.__all__, next to load_pod."""
    assert "loads_pod" in podfsm.__all__ and "load_pod" in podfsm.__all__
    assert podfsm.loads_pod.__module__ == "podfsm"


# ---------------------------------------------------------------------------------------------
# podfsm verify leaves no .hypothesis/ behind
# ---------------------------------------------------------------------------------------------


def test_verify_profiles_keep_no_example_database() -> None:
    """Every settings object the CLI's suites run under has database=None."""
    for profile in PROFILES.values():
        for examples, steps in (
            (profile.machine_examples, profile.machine_steps),
            (profile.bulk_examples, 50),
        ):
            assert profile.hypothesis(examples, steps).database is None
            assert profile.hypothesis(examples, steps, seed_value=3).database is None


def test_verify_suites_leave_no_hypothesis_folder(tmp_path: Path) -> None:
    """The CLI's suites, run as podfsm verify runs them (hypothesis_files_elsewhere), write nothing in the
    current directory: no .hypothesis/ (examples or the constants cache)."""
    program = textwrap.dedent(
        """
        from podfsm.verification.verify import Profile, Stats, hypothesis_files_elsewhere, run_bulk, run_machine
        tiny = Profile("tiny", machine_examples=3, machine_steps=5, bulk_examples=3, bulk_steps=5,
                       explorer_extra_depth=0)
        stats = Stats()
        with hypothesis_files_elsewhere() as home:
            run_machine(tiny, None, stats)
            run_bulk(tiny, None, stats)
        print(stats.examples["machine"] > 0 and stats.examples["bulk"] > 0, home.exists())
        """
    )
    env = {k: v for k, v in os.environ.items() if k != "HYPOTHESIS_STORAGE_DIRECTORY"}
    done = subprocess.run(
        [sys.executable, "-c", program], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "False"]  # the suites ran; the temporary home is gone
    assert list(tmp_path.iterdir()) == []
