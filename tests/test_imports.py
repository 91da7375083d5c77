"""``import podfsm`` stays light: the oracle needs neither Hypothesis, Graphviz nor ``transitions``
(nor pydantic and YAML); each loads where it is used. Every check runs in a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

HEAVY = ("hypothesis", "graphviz", "transitions")


def _loaded_after(program: str) -> dict[str, bool]:
    """Run ``program`` in a fresh interpreter; which top-level packages it left in sys.modules."""
    probe = textwrap.dedent(program) + textwrap.dedent(
        """
        import json, sys
        tops = {m.split(".")[0] for m in sys.modules}
        print(json.dumps({name: name in tops for name in
              ("hypothesis", "graphviz", "transitions", "pydantic", "yaml")}))
        """
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    loaded: dict[str, bool] = json.loads(done.stdout.splitlines()[-1])
    return loaded


def test_the_oracle_imports_no_heavy_dependency() -> None:
    """import podfsm and the oracle's functions load none of hypothesis, graphviz, transitions, pydantic, yaml."""
    loaded = _loaded_after(
        """
        import podfsm
        pod = {"spec": {"containers": [{"name": "a"}]},
               "status": {"containerStatuses": [{"name": "a", "state": {"running": {}}}]}}
        assert podfsm.pod_phase(pod) == "Running"
        podfsm.pod_conditions(pod), podfsm.kubectl_columns(pod), podfsm.pod_summary(pod)
        assert podfsm.should_restart(pod, "a") is False
        podfsm.Tick(seconds=5), podfsm.event_from_dict({"event": "tick", "seconds": 5})
        """
    )
    assert loaded == dict.fromkeys((*HEAVY, "pydantic", "yaml"), False)


def test_the_simulator_loads_neither_hypothesis_graphviz_nor_transitions() -> None:
    """Running the simulator (compiled tables) loads pydantic and YAML, but none of the three heavy packages."""
    loaded = _loaded_after(
        """
        import podfsm
        sim = podfsm.Simulator({"metadata": {"name": "p"}, "spec": {"containers": [{"name": "a", "image": "a:1"}]}})
        sim.apply({"event": "schedule", "node": "n"})
        podfsm.loads_pod("kind: Pod\\nmetadata: {name: p}\\nspec: {containers: [{name: a}]}\\n")
        import podfsm.verification.explorer, podfsm.rendering.diagrams, podfsm.verification.verify
        """
    )
    assert loaded["pydantic"] and loaded["yaml"]
    assert not any(loaded[name] for name in HEAVY), loaded


def test_heavy_dependencies_load_where_they_are_used() -> None:
    """The transitions interpreter loads transitions, rendering DOT loads graphviz, the strategies load hypothesis."""
    loaded = _loaded_after(
        """
        import podfsm
        from podfsm.rendering import diagrams
        from podfsm.verification import strategies
        model = podfsm.Model.replace(podfsm.model.DEFAULT, interpreter=podfsm.Interpreter.TRANSITIONS)
        sim = podfsm.Simulator({"spec": {"containers": [{"name": "a", "image": "a:1"}]}}, model=model)
        sim.apply({"event": "schedule", "node": "n"})
        diagrams.render_dot(diagrams.diagram_of("probe"))
        """
    )
    assert all(loaded[name] for name in HEAVY), loaded


def test_lazy_names_are_the_modules_own() -> None:
    """podfsm.Simulator, podfsm.Pod, ... load on first use, are the defining modules' objects, report
    module 'podfsm', and submodules (podfsm.cluster) are reachable as attributes."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                """
                import podfsm
                from podfsm import Simulator
                import podfsm.simulator, podfsm.api
                assert Simulator is podfsm.simulator.Simulator and podfsm.Pod is podfsm.api.Pod
                assert Simulator.__module__ == "podfsm" and podfsm.compile_plan.__module__ == "podfsm"
                assert callable(podfsm.cluster.cluster_step)
                assert set(podfsm.__all__) <= set(dir(podfsm))
                assert all(getattr(podfsm, name) is not None for name in podfsm.__all__)
                try:
                    podfsm.no_such_name
                except AttributeError as e:
                    assert "no_such_name" in str(e)
                else:
                    raise AssertionError("no AttributeError")
                """
            ),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
