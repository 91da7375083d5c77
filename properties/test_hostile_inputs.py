"""Hostile inputs for every CLI command and the public API (generators and harness: podfsm.cli.hostile).

Each CLI case runs ``podfsm.cli.main`` in a forked child with the input in a temporary directory
or on stdin, and must: exit 0, 1 or 2; let no exception escape; print no traceback; say what went
wrong in one line of stderr (at most ``STDERR_MAX`` characters, no terminal control characters);
not report success when stdout is full; finish within ``TIME_BUDGET`` seconds and
``MEMORY_BUDGET`` bytes of extra address space. Each API case must return or raise a
``podfsm.PodfsmError`` (``ManifestError`` / ``IllegalTransition``), within the same budgets.

``PODFSM_PROFILE=fast|thorough`` sets the number of examples, ``PODFSM_SEED`` the seed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from hypothesis import given, seed

from podfsm.cli import hostile
from podfsm.verification.verify import profile_from_env

PROFILE, SEED = profile_from_env()
# Examples per test: the fast profile keeps the file well under a minute on two cores.
EXAMPLES = {"fast": 100, "thorough": 1000}.get(PROFILE.name, 100)
F = TypeVar("F", bound=Callable[..., Any])


def budget(examples: int) -> Callable[[F], F]:
    """The profile's Hypothesis settings (no database, no deadline: the harness times each input)."""

    def apply(test: F) -> F:
        wrapped = PROFILE.hypothesis(examples, seed_value=SEED)(test)
        return seed(SEED)(wrapped) if SEED is not None else wrapped

    return apply


def check_cli(case: hostile.CliCase) -> None:
    outcome = hostile.run_cli(case)
    problems = hostile.cli_problems(case, outcome)
    assert not problems, hostile.cli_report(case, outcome, problems)


def check_api(case: hostile.ApiCase) -> None:
    outcome = hostile.run_api(case)
    problems = hostile.api_problems(case, outcome)
    assert not problems, hostile.api_report(case, outcome, problems)


# ---------------------------------------------------------------------------------------------
# The CLI, one command at a time
# ---------------------------------------------------------------------------------------------


@budget(EXAMPLES)
@given(hostile.cli_cases("status"))
def test_status_on_broken_manifests(case: hostile.CliCase) -> None:
    """`podfsm status FILE|-` on mutated pods, lists and garbage exits 0/2 with at most one stderr line."""
    check_cli(case)


@budget(EXAMPLES)
@given(hostile.cli_cases("simulate"))
def test_simulate_on_broken_pods_and_scripts(case: hostile.CliCase) -> None:
    """`podfsm simulate POD SCRIPT` with a broken pod or script exits 0/1/2 with at most one stderr line."""
    check_cli(case)


@budget(max(EXAMPLES // 2, 10))
@given(hostile.cli_cases("check-trace"))
def test_check_trace_on_broken_traces_and_live_pods(case: hostile.CliCase) -> None:
    """`podfsm check-trace TRACE [--pod POD]` on broken traces and pods, and `podfsm simulate --from`
    on a broken live pod, exit 0/1/2 with at most one stderr line."""
    check_cli(case)


@budget(max(EXAMPLES // 2, 10))
@given(hostile.cli_cases("explore"))
def test_explore_on_broken_small_pods(case: hostile.CliCase) -> None:
    """`podfsm explore POD --max-depth <=3` on a broken single-pod manifest never crashes or hangs."""
    check_cli(case)


@budget(max(EXAMPLES // 2, 10))
@given(hostile.cli_cases("diagram"))
def test_diagram_with_odd_machines_and_formats(case: hostile.CliCase) -> None:
    """`podfsm diagram` with odd machine names and formats draws or refuses in one line."""
    check_cli(case)


@budget(max(EXAMPLES // 2, 10))
@given(hostile.cli_cases("verify"))
def test_verify_list_mutants_with_odd_options(case: hostile.CliCase) -> None:
    """`podfsm verify --list-mutants` with odd extra options lists or refuses in one line."""
    check_cli(case)


@budget(EXAMPLES)
@given(hostile.cli_cases("argv"))
def test_random_command_lines(case: hostile.CliCase) -> None:
    """Random command lines (unknown flags, control characters, huge and negative numbers) get one line."""
    check_cli(case)


@budget(max(EXAMPLES // 2, 10))
@given(hostile.cli_cases("io"))
def test_closed_full_and_broken_standard_streams(case: hostile.CliCase) -> None:
    """A closed stdin/stdout/stderr, a full stdout or a broken pipe never raise, and a full disk is no success."""
    check_cli(case)


# ---------------------------------------------------------------------------------------------
# Inputs every run must include (not left to chance)
# ---------------------------------------------------------------------------------------------

_POD = "{tmp}/pod.yaml"
_NGINX = b"apiVersion: v1\nkind: Pod\nmetadata: {name: nginx}\nspec:\n  containers:\n    - {name: nginx, image: nginx}\n"
KNOWN: dict[str, hostile.CliCase] = {
    "billion-laughs": hostile.CliCase(("status", _POD), (("pod.yaml", hostile.classic_billion_laughs()),)),
    "100000-brackets-stdin": hostile.CliCase(("status", "-"), stdin=b"[" * 100_000),
    "100000-braces": hostile.CliCase(("status", _POD), (("pod.yaml", b"{" * 100_000),)),
    "100000-block-sequence": hostile.CliCase(("status", _POD), (("pod.yaml", b"- " * 100_000 + b"x"),)),
    "self-referencing-alias": hostile.CliCase(
        ("status", _POD, "-o", "json"), (("pod.yaml", b"&a {metadata: {name: x}, spec: *a}"),)
    ),
    "python-object-apply": hostile.CliCase(
        ("status", _POD),
        (("pod.yaml", f"--- !!python/object/apply:os.mkdir [{hostile.PWNED}]\n".encode()),),
        expect_code=2,
    ),
    "invalid-utf8-stdin": hostile.CliCase(("status", "-"), stdin=b"metadata: {name: \xff\xfe}\n"),
    "invalid-utf8-file": hostile.CliCase(
        ("simulate", _POD, "{tmp}/s.yaml"), (("pod.yaml", _NGINX), ("s.yaml", b"\xc3\x28"))
    ),
    "empty-file": hostile.CliCase(("status", _POD), (("pod.yaml", b""),)),
    "binary-garbage": hostile.CliCase(("status", _POD), (("pod.yaml", bytes(range(256)) * 4),)),
    "5000-digit-grace-period": hostile.CliCase(
        ("status", _POD),
        (
            (
                "pod.yaml",
                b"metadata: {name: x}\nspec: {terminationGracePeriodSeconds: " + b"9" * 5000 + b"}\n",
            ),
        ),
    ),
    "tick-10**30": hostile.CliCase(
        ("simulate", _POD, "-"),
        (("pod.yaml", _NGINX),),
        stdin=b"- {event: tick, seconds: 1000000000000000000000000000000}",
    ),
    "exit-code-10**30": hostile.CliCase(
        ("simulate", _POD, "-"),
        (("pod.yaml", _NGINX),),
        stdin=b"[{event: schedule, node: n}, {event: image_pulled, container: nginx},"
        b" {event: container_started, container: nginx},"
        b" {event: container_exited, container: nginx, exit_code: 1000000000000000000000000000000}]",
    ),
    "grace-period-10**30": hostile.CliCase(
        ("simulate", _POD, "-"),
        (("pod.yaml", _NGINX),),
        stdin=b"[{event: schedule, node: n}, {event: delete, grace_period_seconds: 1000000000000000000000000000000}]",
    ),
    "huge-tick-under-node-pressure": hostile.CliCase(
        ("simulate", _POD, "-"),
        (("pod.yaml", _NGINX),),
        stdin=b"[{event: schedule, node: node-1}, {event: image_pulled, container: nginx},"
        b" {event: container_started, container: nginx}, {event: node_pressure, type: memory, active: true},"
        b" {event: tick, seconds: 1000000000}, {event: node_pressure, type: memory, active: false},"
        b" {event: tick, seconds: 1000000000}]",
    ),
    "termination-grace-int64-max": hostile.CliCase(
        ("simulate", _POD, "-"),
        (
            (
                "pod.yaml",
                b"metadata: {name: web}\nspec:\n  terminationGracePeriodSeconds: 9223372036854775807\n"
                b'  containers: [{name: web, image: "web:1.0"}]\n',
            ),
        ),
        stdin=b'[{event: schedule, node: n, images: ["web:1.0"]}, {event: container_started, container: web},'
        b" {event: delete}]",
    ),
    "clock-past-year-9999": hostile.CliCase(
        ("simulate", _POD, "-"),
        (("pod.yaml", _NGINX),),
        stdin=b"- {event: schedule, node: n}\n" + b"- {event: tick, seconds: 2147483647}\n" * 150,
    ),
    "script-is-a-mapping": hostile.CliCase(
        ("simulate", _POD, "-"), (("pod.yaml", _NGINX),), stdin=b"{event: tick, seconds: 1}"
    ),
    "unknown-event": hostile.CliCase(
        ("simulate", _POD, "-"), (("pod.yaml", _NGINX),), stdin=b"[{event: explode}]"
    ),
    "ansi-pod-name-table": hostile.CliCase(
        ("status", _POD),
        (
            (
                "pod.yaml",
                b'{"metadata": {"name": "\\u001b[31mred\\r\\nfake-row"}, "spec": {"containers": [{"name": "c"}]}}',
            ),
        ),
    ),
    "bidi-container-name-error": hostile.CliCase(
        ("simulate", _POD, "-"),
        (("pod.yaml", _NGINX),),
        stdin='[{event: image_pulled, container: "x\u202eevil"}]'.encode(),
    ),
    "newline-in-argv": hostile.CliCase(("status", _POD, "--bogus\nsecond line"), (("pod.yaml", _NGINX),)),
    "stdout-full": hostile.CliCase(("status", _POD), (("pod.yaml", _NGINX),), io="stdout-full"),
    "stdout-closed": hostile.CliCase(("status", _POD), (("pod.yaml", _NGINX),), io="stdout-none"),
    "stdin-closed": hostile.CliCase(("status", "-"), io="stdin-none"),
    "explore-negative-depth": hostile.CliCase(
        ("explore", _POD, "--max-depth", "-1"), (("pod.yaml", _NGINX),)
    ),
}


@pytest.mark.parametrize("name", list(KNOWN))
def test_known_hostile_inputs(name: str) -> None:
    """Each classic attack (alias bombs, deep nesting, python tags, invalid UTF-8, huge numbers) is refused cleanly."""
    check_cli(KNOWN[name])


# ---------------------------------------------------------------------------------------------
# The public API
# ---------------------------------------------------------------------------------------------


@budget(EXAMPLES * 2)
@given(hostile.api_cases("oracle"))
def test_oracle_functions_on_broken_pod_dicts(case: hostile.ApiCase) -> None:
    """pod_phase / pod_conditions / should_restart / kubectl_columns / pod_summary raise only PodfsmError."""
    check_api(case)


@budget(EXAMPLES)
@given(hostile.api_cases("simulator"))
def test_simulator_on_hostile_pods_and_events(case: hostile.ApiCase) -> None:
    """Simulator(...) and Simulator.apply / ClusterSimulator.apply with hostile dict events raise only PodfsmError."""
    check_api(case)


@budget(EXAMPLES)
@given(hostile.api_cases("events"))
def test_event_constructors_with_hostile_values(case: hostile.ApiCase) -> None:
    """Event classes (Tick(seconds=10**30), ...) and event_from_dict refuse bad values with PodfsmError."""
    check_api(case)


@budget(EXAMPLES)
@given(hostile.api_cases("load_pod"))
def test_load_pod_on_broken_files_and_paths(case: hostile.ApiCase) -> None:
    """podfsm.load_pod(path or text) on broken manifests and odd paths raises only ManifestError."""
    check_api(case)
