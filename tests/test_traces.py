"""podfsm check-trace / podfsm.check_trace / podfsm.load_trace: trace formats, verdicts on the
examples in examples/traces/ (pinned), witnesses that reproduce the trace, bad trace files, and a
mutant model that rejects a conforming trace."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from podfsm import Simulator, load_pod
from podfsm.cli import main
from podfsm.engine import compile_plan, enabled_events
from podfsm.errors import ManifestError
from podfsm.events import event_from_dict
from podfsm.kubelet.snapshot import pod_json
from podfsm.traces import (
    Observation,
    ObsKind,
    TraceError,
    check_trace,
    load_trace,
    manifest_of,
    states_from_pod,
)
from podfsm.traces.observations import differences, object_observation, view_of
from podfsm.verification import mutants

ROOT = Path(__file__).resolve().parents[1]
TRACES = ROOT / "examples" / "traces"

# file -> (pod manifest or None: the spec of the first object, conforms, rule broken, failing line)
EXPECTED: dict[str, tuple[str | None, bool, str | None, int | None]] = {
    "crashloop-pod.json": (None, True, None, None),
    "crashloop-rows.txt": ("examples/busybox/deployment.yaml", True, None, None),
    "nginx-watch.jsonl": (None, True, None, None),
    "job-sidecar.yaml": (None, True, None, None),
    "init-crashloop-wide.txt": ("examples/init-crashloop/pod.yaml", True, None, None),
    "two-replicas-rows.txt": ("examples/busybox/deployment.yaml", True, None, None),
    "restarts-go-down.txt": ("examples/busybox/deployment.yaml", False, "restart-count-monotonic", 15),
    "never-restarts.txt": (
        "examples/traces/never-restarts.pod.yaml",
        False,
        "never-policy-never-restarts",
        6,
    ),
    "terminating-comes-back.txt": (
        "examples/nginx/pod.yaml",
        False,
        "pod table: a deleted pod only stops (metadata.deletionTimestamp is never unset)",
        6,
    ),
    "succeeded-then-running.json": (None, False, "terminal-phase-absorbing", 252),
    "init-after-app.jsonl": (None, False, "no-app-container-before-initialization", 4),
}


def test_every_example_trace_has_a_pinned_verdict_and_half_do_not_conform() -> None:
    files = {p.name for p in TRACES.iterdir() if not p.name.endswith(".pod.yaml")}
    assert files == set(EXPECTED)
    verdicts = [v[1] for v in EXPECTED.values()]
    assert len(verdicts) >= 10 and verdicts.count(True) >= 5 and verdicts.count(False) >= 5


@pytest.mark.parametrize("name", list(EXPECTED))
def test_example_verdict(name: str) -> None:
    """The API's verdict on each example: conforms, or the failing line and the rule it breaks."""
    pod_file, conforms, rule, line = EXPECTED[name]
    pod = load_pod(ROOT / pod_file) if pod_file else None
    v = check_trace(pod, load_trace(TRACES / name))
    assert v.conforms is conforms
    if conforms:
        assert v.failure is None and v.events > 0
    else:
        assert v.failure is not None
        assert (v.failure.rule, v.failure.observation.line) == (rule, line)


@pytest.mark.parametrize("name", list(EXPECTED))
def test_cli_exit_code_and_output(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    """podfsm check-trace exits 0 (conforms, with the witness) or 1 (the line and the rule); -o json says the same."""
    pod_file, conforms, rule, line = EXPECTED[name]
    argv = ["check-trace", str(TRACES / name), *(["--pod", str(ROOT / pod_file)] if pod_file else [])]
    assert main(argv) == (0 if conforms else 1)
    text = capsys.readouterr().out
    if conforms:
        assert text.startswith("conforms: ") and "- {event: schedule" in text
    else:
        assert text.startswith(f"does not conform: line {line}: ") and f"rule: {rule}" in text
    assert main([*argv, "-o", "json"]) == (0 if conforms else 1)
    data = json.loads(capsys.readouterr().out)
    assert data["conforms"] is conforms
    if not conforms:
        failing = next(p["failure"] for p in data["pods"] if not p["conforms"])
        assert (failing["line"], failing["rule"]) == (line, rule)


def _replays(pod: Any, script: list[dict[str, Any]], observations: list[Observation]) -> bool:
    """Whether running ``script`` publishes the observations in order (a status may explain several)."""
    sim = Simulator(pod)
    views = [view_of(sim.pod, sim.columns)]
    for ev in script:
        st = sim.apply(event_from_dict(ev))
        gone = st.state.stage.name == "REMOVED"
        views.append(view_of(None if gone else st.pod, None if gone else st.columns))
    i = 0
    for obs in observations:
        while i < len(views) and differences(obs, views[i]):
            i += 1
        if i == len(views):
            return False
    return True


@pytest.mark.parametrize(
    "name", ["crashloop-pod.json", "crashloop-rows.txt", "nginx-watch.jsonl", "init-crashloop-wide.txt"]
)
def test_the_witness_reproduces_the_trace(name: str, tmp_path: Path) -> None:
    """--witness writes a podfsm simulate script whose run publishes every observation in order."""
    pod_file = EXPECTED[name][0]
    argv = ["check-trace", str(TRACES / name), "--witness", str(tmp_path / "w.yaml")]
    if pod_file:
        argv += ["--pod", str(ROOT / pod_file)]
    assert main(argv, out=io.StringIO()) == 0
    script = yaml.safe_load((tmp_path / "w.yaml").read_text())
    observations = load_trace(TRACES / name)
    pod = load_pod(ROOT / pod_file) if pod_file else observations[0].obj
    if pod_file:  # rows name the pod: the witness runs the template under that name
        pod = {**json.loads(load_pod(ROOT / pod_file).model_dump_json(by_alias=True, exclude_none=True))}
        pod["metadata"] = {**pod.get("metadata", {}), "name": observations[0].pod}
    assert _replays(pod, script, observations)
    out = io.StringIO()
    simulate = [
        "simulate",
        str(ROOT / pod_file) if pod_file else str(TRACES / name),
        str(tmp_path / "w.yaml"),
    ]
    if not pod_file:  # the pod file is the trace's first object
        (tmp_path / "pod.json").write_text(json.dumps(observations[0].obj))
        simulate[1] = str(tmp_path / "pod.json")
    assert main(simulate, out=out) == 0


def test_a_mutant_rejects_a_conforming_trace() -> None:
    """The checker searches the model value it is given: under a mutant that makes a crash-looping
    pod Pending, the real crash-loop trace (phase Running) has no explanation."""
    observations = load_trace(TRACES / "crashloop-pod.json")
    assert check_trace(None, observations).conforms
    wrong = mutants.get("phase-not-from-getphase").model
    assert not check_trace(None, observations, model=wrong).conforms


# ---------------------------------------------------------------------------------------------
# Formats
# ---------------------------------------------------------------------------------------------

POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "p"},
    "spec": {"containers": [{"name": "c", "image": "i"}]},
}


def _pods(n: int) -> list[dict[str, Any]]:
    sim = Simulator(POD)
    sim.run(
        [
            {"event": "schedule", "node": "n"},
            {"event": "image_pulled", "container": "c"},
            {"event": "container_started", "container": "c"},
        ][:n]
    )
    return [sim.history[i].pod for i in range(n)]


def test_pretty_printed_objects_back_to_back_each_with_its_line() -> None:
    pods = _pods(3)
    text = "".join(json.dumps(p, indent=4) + "\n" for p in pods)
    obs = load_trace(text)
    starts = [i + 1 for i, line in enumerate(text.splitlines()) if line == "{"]
    assert [o.line for o in obs] == starts and all(o.kind is ObsKind.OBJECT for o in obs)
    assert [o.phase for o in obs] == ["Pending", "Pending", "Running"]


def test_json_lines_array_and_list() -> None:
    pods = _pods(3)
    assert [o.line for o in load_trace("\n".join(json.dumps(p) for p in pods) + "\n")] == [1, 2, 3]
    arr = "[\n" + ",\n".join(json.dumps(p) for p in pods) + "\n]\n"
    assert [o.line for o in load_trace(arr)] == [2, 3, 4]
    listed = load_trace(json.dumps({"kind": "List", "items": pods}))
    assert len(listed) == 3


def test_watch_events_deleted_means_removed_and_bookmarks_are_skipped() -> None:
    pods = _pods(2)
    lines = [
        json.dumps({"type": "ADDED", "object": pods[0]}),
        json.dumps({"type": "BOOKMARK", "object": {"kind": "Pod", "metadata": {"name": "p"}}}),
        json.dumps({"type": "DELETED", "object": pods[1]}),
    ]
    obs = load_trace("\n".join(lines))
    assert [o.kind for o in obs] == [ObsKind.OBJECT, ObsKind.REMOVED]
    assert obs[1].line == 3


def test_yaml_documents() -> None:
    pods = _pods(2)
    text = "---\n".join(yaml.safe_dump(p) for p in pods)
    obs = load_trace(text)
    assert len(obs) == 2 and obs[1].line == text.splitlines().index("---") + 2


def test_rows_with_and_without_header_wide_and_watch_event_column() -> None:
    plain = "p   0/1   ContainerCreating   0   1s\np   1/1   Running   3 (10s ago)   2m\n"
    obs = load_trace(plain)
    assert [(o.ready, o.status, o.restarts, o.line) for o in obs] == [
        ("0/1", "ContainerCreating", 0, 1),
        ("1/1", "Running", 3, 2),
    ]
    wide = (
        "NAME   READY   STATUS    RESTARTS   AGE   IP          NODE     NOMINATED NODE   READINESS GATES\n"
        "p      1/1     Running   0          5s    10.0.0.3    node-1   <none>           <none>\n"
    )
    assert load_trace(wide)[0].status == "Running"
    events = "EVENT      NAME   READY   STATUS    RESTARTS   AGE\nADDED      p      0/1     Pending   0          0s\nDELETED    p      0/1     Pending   0          1s\n"
    assert [o.kind for o in load_trace(events)] == [ObsKind.ROW, ObsKind.REMOVED]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '{"kind": "Pod", "metadata": {"name": "p"}}\n{"kind": "Pod", "metadata": ',
            "line 2: not valid JSON",
        ),
        ('{"type": "SOMETHING", "object": {}}', "line 1: a watch event has type ADDED, MODIFIED or DELETED"),
        (
            '{"kind": "Service", "metadata": {"name": "s"}}',
            "line 1: expected a Pod object (got kind Service)",
        ),
        ('{"kind": "Pod", "metadata": {}}', "line 1: a Pod in a trace needs metadata.name"),
        ("NAME READY STATUS RESTARTS AGE\np 1/1 Running x 1s\n", "line 2: RESTARTS is a count"),
        (
            "NAME READY STATUS RESTARTS AGE\np running\n",
            "line 2: expected a row NAME READY STATUS RESTARTS AGE",
        ),
        ("   \n", "the trace is empty"),
    ],
)
def test_bad_trace_files_name_the_line(text: str, message: str) -> None:
    with pytest.raises(TraceError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_trace(text + ("" if "\n" in text else "\n"))


def test_cli_bad_trace_exits_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "t.json"
    bad.write_text('{"kind": "Pod", "metadata": {"name": "p"}}\n[1, \x1b[31m\n')
    assert main(["check-trace", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "line 2" in err and "\x1b" not in err


def test_rows_need_the_pod_manifest(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-trace", str(TRACES / "crashloop-rows.txt")]) == 2
    assert "needs the pod's manifest (--pod POD_FILE)" in capsys.readouterr().err


def test_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    text = (TRACES / "nginx-watch.jsonl").read_text()
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    assert main(["check-trace", "-"]) == 0
    assert capsys.readouterr().out.startswith("conforms: 7 observations")


def test_api_arguments_are_checked() -> None:
    obs = load_trace(TRACES / "nginx-watch.jsonl")
    with pytest.raises(ManifestError, match="max_silent"):
        check_trace(None, obs, max_silent=-1)
    with pytest.raises(ManifestError, match="Observation"):
        check_trace(None, [{"phase": "Running"}])  # type: ignore[list-item]
    with pytest.raises(ManifestError, match="no observation"):
        check_trace(None, [])


def test_max_silent_bounds_the_gap_between_observations() -> None:
    """With no silent step allowed, a trace that skips statuses cannot be explained."""
    obs = load_trace(TRACES / "crashloop-pod.json")
    assert check_trace(None, obs[::4]).conforms
    v = check_trace(None, obs[::4], max_silent=0)
    assert not v.conforms and v.failure is not None and "within 0 silent steps" in v.failure.why


def test_a_pod_never_seen_again_after_deletion_stays_removed() -> None:
    """A removed pod that shows up again: kubelet-removes-only-finished-pods."""
    lines = (TRACES / "nginx-watch.jsonl").read_text().splitlines()
    again = lines + [lines[2]]
    v = check_trace(None, load_trace("\n".join(again) + "\n"))
    assert not v.conforms and v.failure is not None
    assert v.failure.rule is not None and v.failure.rule.startswith("kubelet-removes-only-finished-pods")


def test_the_readme_shows_what_check_trace_prints() -> None:
    """The README's check-trace session is what the commands print now."""
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## Trace validation") :]
    block = section[section.index("```console\n") + len("```console\n") : section.index("```\n", 10)]
    sessions = [chunk for chunk in block.split("$ ")[1:]]
    assert len(sessions) == 2
    for chunk in sessions:
        command, _, shown = chunk.partition("\n")
        argv = command.split()[1:]
        out = io.StringIO()
        main([a if not a.startswith("examples/") else str(ROOT / a) for a in argv], out=out)
        assert out.getvalue() == shown, command


# ---------------------------------------------------------------------------------------------
# states_from_pod and podfsm simulate --from: starting from a live pod
# ---------------------------------------------------------------------------------------------


def _crash_looping(restarts: int) -> Simulator:
    """busybox exiting 1 under restartPolicy Always, run to its ``restarts``-th exit."""
    sim = Simulator(
        {"metadata": {"name": "crashy"}, "spec": {"containers": [{"name": "app", "image": "busybox:1.36"}]}}
    )
    sim.apply({"event": "schedule", "node": "node-1", "images": ["busybox:1.36"]})
    exits = 0
    while exits < restarts:
        kinds = {type(e).__name__: e for e in enabled_events(sim.plan, sim.state)}
        if "ContainerExited" in kinds:
            sim.apply({"event": "container_exited", "container": "app", "exit_code": 1})
            exits += 1
        else:
            sim.apply(next(kinds[k] for k in ("ContainerStarted", "ImagePulled", "Tick") if k in kinds))
    return sim


def test_states_from_pod_are_states_that_show_the_object() -> None:
    sim = _crash_looping(5)
    sim.apply(next(e for e in enabled_events(sim.plan, sim.state) if type(e).__name__ == "Tick"))
    live = sim.pod
    waiting = live["status"]["containerStatuses"][0]["state"]["waiting"]
    assert waiting["reason"] == "CrashLoopBackOff" and waiting["message"].startswith("back-off 1m20s ")
    states = states_from_pod(live)
    assert states
    plan = compile_plan(manifest_of(live))
    obs = object_observation(live, 1)
    for s in states:
        shown = pod_json(plan, s)
        assert differences(obs, view_of(shown, None)) == []
        got = shown["status"]["containerStatuses"][0]["state"]["waiting"]["message"]
        assert got.split(" restarting")[0] == "back-off 1m20s"  # the back-off level the message tells
    # a simulation started there goes on as the live pod would: the back-off, then a start
    resumed = Simulator(manifest_of(live), start=states[0])
    assert resumed.columns.restarts == live["status"]["containerStatuses"][0]["restartCount"] == 4
    for e in enabled_events(resumed.plan, resumed.state):
        if type(e).__name__ == "Tick":  # the rest of the back-off, if any is left
            resumed.apply(e)
    step = resumed.apply({"event": "container_started", "container": "app"})
    assert (step.columns.status, step.columns.restarts) == ("Running", 5)


def test_states_from_pod_refuses_a_status_no_run_reaches() -> None:
    live = _crash_looping(2).pod
    live["spec"]["restartPolicy"] = "Never"  # restarted twice under Never: no run shows that
    with pytest.raises(ManifestError, match="no run of the model reaches this status"):
        states_from_pod(live)
    with pytest.raises(ManifestError, match="expected a v1 Pod mapping"):
        states_from_pod("pod.json")  # type: ignore[arg-type]


def test_simulate_from_a_live_pod(tmp_path: Path) -> None:
    live = tmp_path / "live.json"
    live.write_text(json.dumps(_crash_looping(3).pod))
    script = tmp_path / "script.yaml"
    script.write_text("- {event: tick, seconds: 40}\n- {event: container_started, container: app}\n")
    out = io.StringIO()
    assert main(["simulate", "--from", str(live), str(script)], out=out) == 0
    rows = out.getvalue().splitlines()
    assert rows[-1].split()[2:5] == ["1/1", "Running", "3"]  # 3 exits: restartCount 2, then the 3rd restart
    # POD_FILE and --from are one or the other; --from takes one Pod with its status
    assert (
        main(["simulate", str(ROOT / "examples/busybox/deployment.yaml"), str(script), "--from", str(live)])
        == 2
    )
    assert main(["simulate", str(script)]) == 2
    assert main(["simulate", "--from", str(ROOT / "examples/busybox/deployment.yaml"), str(script)]) == 2


def test_a_second_with_no_timer_due_is_a_silent_step() -> None:
    """Found by the completeness property: a Never-pull sidecar shows ErrImageNeverPull only at the
    kubelet's next sync, a few seconds in, before the active deadline (the next timer) fails the
    pod; a checker that only ticks to the next timer jumps past it."""
    pod = {
        "metadata": {"name": "pod"},
        "spec": {
            "containers": [{"name": "app0", "image": "busybox:1.36"}],
            "initContainers": [
                {
                    "name": "sidecar0",
                    "image": "busybox:1.36",
                    "imagePullPolicy": "Never",
                    "restartPolicy": "Always",
                }
            ],
            "restartPolicy": "OnFailure",
            "terminationGracePeriodSeconds": 0,
            "activeDeadlineSeconds": 15,
        },
    }
    sim = Simulator(pod)
    objects = [object_observation(sim.pod, 1)]
    for line, event in enumerate(
        (
            {"event": "schedule", "node": "node-1"},
            {"event": "tick", "seconds": 7},
            {"event": "tick", "seconds": 8},
        ),
        start=2,
    ):
        objects.append(object_observation(sim.apply(event).pod, line))
    shown = objects[2].containers
    assert shown is not None and shown[0].reason == "ErrImageNeverPull"
    assert objects[3].phase == "Failed"
    v = check_trace(None, objects)
    assert v.conforms, v.failure


def test_restarts_of_a_pod_with_sidecars_may_drop_between_rows() -> None:
    """Found by the completeness property: kubectl's RESTARTS counts only the init containers'
    restarts while a sidecar is not started (Init:CrashLoopBackOff) and the app's too once it is
    (printPod), so the column drops from 2 to 1 in a real run; a search that drops every state
    whose RESTARTS is above the next row's loses that run."""
    pod = {
        "metadata": {"name": "pod"},
        "spec": {
            "containers": [{"name": "app0", "image": "busybox:1.36"}],
            "initContainers": [
                {"name": n, "image": "busybox:1.36", "restartPolicy": "Always"}
                for n in ("sidecar0", "sidecar1")
            ],
        },
    }
    script = [
        {"event": "schedule", "node": "node-1"},
        {"event": "image_pulled", "container": "sidecar0"},
        *(
            {"event": kind, "container": c, **({"exit_code": 0} if kind == "container_exited" else {})}
            for kind, c in (
                ("container_started", "sidecar0"),
                ("container_exited", "sidecar0"),
                ("container_started", "sidecar1"),
                ("container_started", "sidecar0"),
                ("container_exited", "sidecar0"),
                ("container_exited", "sidecar1"),
                ("container_started", "app0"),
                ("container_started", "sidecar1"),
                ("container_exited", "sidecar1"),
                ("container_exited", "app0"),
                ("container_started", "app0"),
                ("container_exited", "app0"),
            )
        ),
        {"event": "tick", "seconds": 10},
    ]
    sim = Simulator(pod)
    rows = []
    for line, event in enumerate(script, start=1):
        cols = sim.apply(event).columns
        rows.append(
            Observation(
                line, "pod", ObsKind.ROW, ready=cols.ready, status=cols.status, restarts=cols.restarts
            )
        )
    assert [(r.status, r.restarts) for r in rows[-2:]] == [("Completed", 2), ("Init:CrashLoopBackOff", 1)]
    v = check_trace(pod, rows)
    assert v.conforms, v.failure
