"""Hostile inputs for podfsm's CLI and public API: generators, mutations and a harness.

Every generator takes a :class:`Chooser`, a source of bounded integers, so the same code runs
under Hypothesis (:class:`DrawChooser`: the draws shrink, index 0 is always the simplest choice)
and in a long seeded campaign without pytest (:class:`RandomChooser`, ``bench/fuzz.py``)::

    from podfsm.cli import hostile
    case = hostile.status_case(hostile.RandomChooser(random.Random(7)))
    outcome = hostile.run_cli(case)
    assert not hostile.cli_problems(case, outcome), outcome

The inputs start from the manifests and scripts in ``examples/`` (built-in copies when the
package runs without them) and break them: a deleted key, a value of the wrong type at a random
field path (``None``, booleans, huge and negative integers, NaN, odd strings, lists, mappings,
deep structures), duplicate keys, control characters, bidi overrides, lone surrogates, invalid
UTF-8, truncation; or they replace them: empty files, binary garbage, 1,000 to 100,000 levels of
nesting, YAML alias bombs and self-referencing aliases, ``!!python/...`` tags, unknown events,
scripts that are mappings, huge ticks, exit codes and grace periods, closed or full standard
streams, odd command lines.

The harness runs each input in a forked child (so a hang, a stack overflow or a memory blow-up
cannot take the caller down): it writes the files into a fresh temporary directory, makes it the
working directory, replaces the standard streams by in-memory ones (UTF-8, strict on stdout as a
real terminal is, ``backslashreplace`` on stderr), caps the address space and calls
``podfsm.cli.main(argv, out=...)`` or the API function. :func:`cli_problems` and
:func:`api_problems` list what is wrong with an :class:`Outcome`; an empty list is a pass.

This module imports Hypothesis; ``import podfsm`` never imports it.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import errno
import gc
import importlib
import io
import json
import math
import os
import pickle
import random
import resource
import select
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Final, Protocol, TypeVar

import yaml
from hypothesis import strategies as st

import podfsm
from podfsm import events as ev
from podfsm.cli.commands import main
from podfsm.errors import PodfsmError
from podfsm.rendering import diagrams
from podfsm.verification import invariants, mutants

__all__ = [
    "API_GENERATORS",
    "CLI_GENERATORS",
    "HARD_TIMEOUT",
    "MEMORY_BUDGET",
    "STDERR_MAX",
    "TIME_BUDGET",
    "ApiCase",
    "Chooser",
    "CliCase",
    "DrawChooser",
    "Outcome",
    "Problem",
    "RandomChooser",
    "api_cases",
    "api_problems",
    "call_api",
    "cli_cases",
    "cli_problems",
    "hostile_document",
    "hostile_value",
    "mutate_object",
    "mutate_text",
    "odd_string",
    "printable",
    "run_api",
    "run_cli",
    "write_reproducer",
]

T = TypeVar("T")

# ---------------------------------------------------------------------------------------------
# Budgets (generous: normal inputs take milliseconds)
# ---------------------------------------------------------------------------------------------

TIME_BUDGET: Final = 5.0  # seconds one input may take
HARD_TIMEOUT: Final = 12.0  # the child is killed after this long (reported as a timeout)
MEMORY_BUDGET: Final = 768 * 2**20  # extra address space one input may use (MemoryError beyond)
STDERR_MAX: Final = 16_384  # characters: an error line is for a human
CAPTURE_MAX: Final = 262_144  # characters of stdout / stderr kept for the report
PWNED: Final = "PWNED"  # a directory !!python/object/apply:os.mkdir would create


# ---------------------------------------------------------------------------------------------
# Choosers: one source of bounded integers for Hypothesis and for seeded campaigns
# ---------------------------------------------------------------------------------------------


class Chooser(Protocol):
    """A source of integers in ``[lo, hi]``; ``lo`` is the simplest answer (Hypothesis shrinks to it)."""

    def integer(self, lo: int, hi: int) -> int: ...


class RandomChooser:
    """A :class:`Chooser` over a seeded :class:`random.Random` (deterministic given the seed)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def integer(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, hi)


class DrawChooser:
    """A :class:`Chooser` over Hypothesis' ``draw`` (inside ``st.composite`` or ``st.data()``)."""

    def __init__(self, draw: Callable[[st.SearchStrategy[int]], int]) -> None:
        self.draw = draw

    def integer(self, lo: int, hi: int) -> int:
        return self.draw(st.integers(lo, hi))


def pick(ch: Chooser, options: Sequence[T]) -> T:
    """One of ``options``; shrinks to the first."""
    return options[ch.integer(0, len(options) - 1)]


def chance(ch: Chooser, percent: int) -> bool:
    """True with probability ``percent``/100; shrinks to False."""
    return ch.integer(0, 99) >= 100 - percent


def log_int(ch: Chooser, lo: int, hi: int) -> int:
    """An integer in ``[lo, hi]`` (``lo >= 1``), about uniform in its number of bits."""
    bits = ch.integer(lo.bit_length(), hi.bit_length())
    return ch.integer(max(lo, 1 << (bits - 1)), min(hi, (1 << bits) - 1))


def sub_random(ch: Chooser) -> random.Random:
    """A seeded generator for bulk content (garbage bytes), from one drawn integer."""
    return random.Random(ch.integer(0, 2**32 - 1))


# ---------------------------------------------------------------------------------------------
# Seeds: the examples, parsed
# ---------------------------------------------------------------------------------------------


class _PlainLoader(yaml.SafeLoader):
    """Safe loading with timestamps kept as strings (as podfsm's loader reads them)."""


_PlainLoader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class Seed:
    """One example file: its path under ``examples/``, text, parsed documents and container names."""

    path: str
    text: str
    docs: tuple[Any, ...]
    containers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Seeds:
    """The corpus: pod manifests (single-pod ones in ``small``), status files and scripts."""

    pods: tuple[Seed, ...]
    small: tuple[Seed, ...]
    scripts: tuple[Seed, ...]
    pairs: tuple[tuple[Seed, Seed], ...]  # a pod and the script written for it (same example)


_BUILTIN_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  restartPolicy: Always
  terminationGracePeriodSeconds: 30
  containers:
    - name: app
      image: nginx:1.27
"""
_BUILTIN_STATUS = json.dumps(
    {
        "apiVersion": "v1",
        "kind": "List",
        "items": [
            {
                "metadata": {"name": "web"},
                "spec": {"restartPolicy": "Always", "containers": [{"name": "app"}]},
                "status": {
                    "phase": "Running",
                    "containerStatuses": [
                        {
                            "name": "app",
                            "ready": False,
                            "restartCount": 4,
                            "state": {"waiting": {"reason": "CrashLoopBackOff"}},
                            "lastState": {
                                "terminated": {
                                    "exitCode": 1,
                                    "reason": "Error",
                                    "finishedAt": "2026-11-23T10:00:00Z",
                                }
                            },
                        }
                    ],
                },
            }
        ],
    },
    indent=2,
)
_BUILTIN_SCRIPT = """\
- {event: schedule, node: node-1}
- {event: image_pulled, container: app}
- {event: container_started, container: app}
- {event: container_exited, container: app, exit_code: 1}
- {event: tick, seconds: 10}
"""


def examples_dir() -> Path | None:
    """``examples/`` of the source tree this module sits in (``PODFSM_EXAMPLES`` overrides)."""
    override = os.environ.get("PODFSM_EXAMPLES")
    candidates = [Path(override)] if override else []
    candidates.append(Path(__file__).resolve().parents[2] / "examples")
    for c in candidates:
        if c.is_dir():
            return c
    return None


def _containers(docs: Sequence[Any]) -> tuple[str, ...]:
    names: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key in ("containers", "initContainers"):
                for c in node.get(key) or ():
                    if isinstance(c, dict) and isinstance(c.get("name"), str):
                        names.append(c["name"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    for d in docs:
        walk(d)
    return tuple(dict.fromkeys(names))


def _seed(path: str, text: str) -> Seed:
    docs = tuple(d for d in yaml.load_all(text, Loader=_PlainLoader) if d is not None)
    return Seed(path, text, docs, _containers(docs))


@cache
def seeds() -> Seeds:
    """The example corpus (cached). Single-pod manifests are ``small`` (cheap to explore)."""
    root = examples_dir()
    pods: list[Seed] = []
    scripts: list[Seed] = []
    if root is not None:
        for path in sorted(root.glob("*/*")):
            if path.suffix not in (".yaml", ".yml", ".json"):
                continue
            rel = f"{path.parent.name}/{path.name}"
            seed = _seed(rel, path.read_text(encoding="utf-8"))
            is_script = path.stem in ("script", "scenario")
            (scripts if is_script else pods).append(seed)
    if not pods:
        pods = [_seed("builtin/pod.yaml", _BUILTIN_POD), _seed("builtin/pods.json", _BUILTIN_STATUS)]
    if not scripts:
        scripts = [_seed("builtin/script.yaml", _BUILTIN_SCRIPT)]
    small = tuple(
        p
        for p in pods
        if len(p.docs) == 1 and isinstance(p.docs[0], dict) and p.docs[0].get("kind") != "List"
    )
    folder = {s.path.split("/")[0]: s for s in scripts}
    pairs = tuple((p, folder[p.path.split("/")[0]]) for p in pods if p.path.split("/")[0] in folder)
    return Seeds(tuple(pods), small or (pods[0],), tuple(scripts), pairs or ((pods[0], scripts[0]),))


# ---------------------------------------------------------------------------------------------
# Hostile values
# ---------------------------------------------------------------------------------------------

ODD_STRINGS: Final[tuple[str, ...]] = (
    "",
    " ",
    "a\nb",
    "\n",
    "line1\r\nline2",
    "carriage\rreturn",
    "nul\x00byte",
    "\x1b[31mred\x1b[0m",
    "\x1b]0;title\x07",
    "\x1b[2J\x1b[H",
    "bidi\u202eevil",
    "\u2066isolate\u2069",
    "zero\u200bwidth\u200d",
    "\ufeffbom",
    "emoji \U0001f600 \U0001f4a9",
    "lone \ud800 surrogate",
    "\udfff",
    "tab\there",
    "\x7fdel\x85nel\u2028ls\u2029ps",
    "${HOME} $(id) `id` %s %n {0} {event}",
    "'\"\\",
    "null",
    "~",
    "true",
    "yes",
    "0",
    "-1",
    "1e400",
    "0x1F",
    "NaN",
    "Always",
    "Never",
    "Running",
    "CrashLoopBackOff",
    "tick",
    "..",
    "../../etc/passwd",
    "/dev/null",
    "C:\\con",
    "名前",
    "Ω≈ç√∫",
    "-",
    "--",
    "--help",
    "&anchor",
    "*alias",
    "!!python/object:os.system",
    "<script>alert(1)</script>",
    "{{.}}",
)

HUGE_INTS: Final[tuple[int, ...]] = (
    0,
    -1,
    1,
    2,
    -(2**31),
    2**31 - 1,
    2**31,
    2**32,
    2**53 + 1,
    2**63 - 1,
    2**63,
    2**64,
    -(2**63) - 1,
    10**9,
    10**9 + 1,
    10**12,
    10**18,
    10**30,
    -(10**30),
    10**100,
    -(10**300),
)

ODD_FLOATS: Final[tuple[float, ...]] = (
    0.5,
    -0.0,
    1e308,
    -1e308,
    5e-324,
    math.nan,
    math.inf,
    -math.inf,
    1.0,
    3.999999999,
)

ODD_TIMES: Final[tuple[str, ...]] = (
    "2026-11-23T10:00:00Z",
    "2026-13-45T99:99:99Z",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z",
    "2026-11-23T10:00:00",
    "2026-11-23",
    "2026-11-23T10:00:00.123456789Z",
    "2026-11-23T10:00:00+14:00",
    "2026-11-23T10:00:00-23:59",
    "2026-11-23T10:00:00+25:00",
    "+275760-09-13T00:00:00Z",
    "now",
    "",
    "1700000000",
    "2026-11-23T10:00:00Z\n",
    "2026-11-23t10:00:00z",
    "2026-02-30T00:00:00Z",
)


def odd_string(ch: Chooser) -> str:
    """A short odd string, or rarely a long one (up to 10**5 characters)."""
    kind = ch.integer(0, 9)
    if kind < 7:
        return pick(ch, ODD_STRINGS)
    if kind == 7:
        return pick(ch, ODD_TIMES)
    if kind == 8:
        return pick(ch, ODD_STRINGS) * log_int(ch, 2, 200)
    return pick(ch, ("x", "é", "\U0001f600", "\x1b[0m", "a\n")) * log_int(ch, 1000, 100_000)


def hostile_int(ch: Chooser) -> int:
    """An integer at an edge: 0, -1, 2**31, 2**63, 10**9 (the tick bound), 10**30, 10**100, ..."""
    if chance(ch, 25):
        return ch.integer(-(10**6), 10**6)
    return pick(ch, HUGE_INTS)


def deep_structure(ch: Chooser, depth: int | None = None) -> Any:
    """Lists or mappings nested ``depth`` (2-200) levels deep (text nesting goes much deeper)."""
    n = depth if depth is not None else log_int(ch, 2, 200)
    node: Any = pick(ch, (None, 1, "x", [], {}))
    as_dict = chance(ch, 50)
    for _ in range(n):
        node = {"a": node} if as_dict else [node]
    return node


def hostile_value(ch: Chooser, depth: int = 0) -> Any:
    """A value of a type a field does not expect (JSON- and YAML-serializable)."""
    kind = ch.integer(0, 11)
    if kind == 0:
        return None
    if kind == 1:
        return chance(ch, 50)
    if kind in (2, 3):
        return hostile_int(ch)
    if kind == 4:
        return pick(ch, ODD_FLOATS)
    if kind in (5, 6):
        return odd_string(ch)
    if kind == 7:
        return [] if depth > 2 or chance(ch, 30) else [hostile_value(ch, depth + 1)]
    if kind == 8:
        return {} if depth > 2 or chance(ch, 30) else {odd_string(ch): hostile_value(ch, depth + 1)}
    if kind == 9:
        return deep_structure(ch)
    if kind == 10:
        return [hostile_value(ch, depth + 1) for _ in range(ch.integer(0, 3))] if depth < 3 else []
    return str(hostile_int(ch))


# Field names whose values the model computes with (numbers, times, names, enums).
SENSITIVE_KEYS: Final[frozenset[str]] = frozenset(
    {
        "seconds",
        "exit_code",
        "exitCode",
        "restartCount",
        "terminationGracePeriodSeconds",
        "grace_period_seconds",
        "activeDeadlineSeconds",
        "deletionGracePeriodSeconds",
        "periodSeconds",
        "initialDelaySeconds",
        "failureThreshold",
        "successThreshold",
        "timeoutSeconds",
        "tolerationSeconds",
        "priority",
        "name",
        "container",
        "node",
        "pod",
        "event",
        "restartPolicy",
        "phase",
        "reason",
        "message",
        "startedAt",
        "finishedAt",
        "deletionTimestamp",
        "creationTimestamp",
        "lastTransitionTime",
        "image",
        "imagePullPolicy",
        "kind",
        "apiVersion",
        "containers",
        "initContainers",
        "status",
        "state",
        "lastState",
        "type",
        "ready",
        "started",
        "cpu",
        "memory",
        "items",
        "events",
    }
)


def sensitive_value(ch: Chooser, key: str) -> Any:
    """A wrong value aimed at what ``key`` holds: times for timestamps, edge integers for counts."""
    if key.endswith(("At", "Timestamp", "Time")):
        return pick(ch, ODD_TIMES) if chance(ch, 80) else hostile_value(ch)
    if key in ("cpu", "memory"):
        return pick(ch, ("1e400", "-1", "0.000000001m", "99999999999999999999999Ei", "abc", "1Gi", 10**30))
    if chance(ch, 50):
        return hostile_int(ch)
    return hostile_value(ch)


# ---------------------------------------------------------------------------------------------
# Object mutations
# ---------------------------------------------------------------------------------------------

PathT = tuple[str | int, ...]


def _paths(obj: Any, limit: int = 2000) -> list[PathT]:
    """Every path to a value inside ``obj`` (breadth first, at most ``limit``); ``()`` is the root."""
    out: list[PathT] = []
    queue: list[tuple[PathT, Any]] = [((), obj)]
    while queue and len(out) < limit:
        path, node = queue.pop(0)
        out.append(path)
        if isinstance(node, dict):
            queue.extend((path + (k,), v) for k, v in node.items() if isinstance(k, str | int))
        elif isinstance(node, list):
            queue.extend((path + (i,), v) for i, v in enumerate(node))
    return out


def _get(obj: Any, path: PathT) -> Any:
    for part in path:
        obj = obj[part]
    return obj


def _set(obj: Any, path: PathT, value: Any) -> Any:
    """``obj`` with the value at ``path`` replaced (in place when possible); returns the root."""
    if not path:
        return value
    parent = _get(obj, path[:-1])
    parent[path[-1]] = value
    return obj


def _path_text(path: PathT) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "<root>"


def printable(text: str) -> str:
    """``text`` with every non-printable character escaped (safe to print on a terminal)."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 15]}...<{len(text)} chars>"


def mutate_object(ch: Chooser, obj: Any) -> tuple[Any, str]:
    """``obj`` (deep-copied) with one mutation, and a description of it."""
    obj = copy.deepcopy(obj)
    paths = _paths(obj)
    sensitive = [p for p in paths if p and isinstance(p[-1], str) and p[-1] in SENSITIVE_KEYS]
    op = ch.integer(0, 8)
    if op in (0, 1) and sensitive:  # aim at a field the model computes with
        path = pick(ch, sensitive)
        value = sensitive_value(ch, str(path[-1]))
        return _set(obj, path, value), f"set {_path_text(path)} = {_short(value)}"
    path = pick(ch, paths)
    if op == 2 and path:  # delete a key or an item
        parent = _get(obj, path[:-1])
        del parent[path[-1]]
        return obj, f"delete {_path_text(path)}"
    if op == 3:  # insert a key into a mapping
        maps = [p for p in paths if isinstance(_get(obj, p), dict)]
        if maps:
            where = pick(ch, maps)
            key = pick(ch, sorted(SENSITIVE_KEYS)) if chance(ch, 60) else odd_string(ch)
            value = hostile_value(ch)
            _get(obj, where)[key] = value
            return obj, f"insert {_path_text((*where, key))} = {_short(value)}"
    if op == 4 and path and isinstance(path[-1], str):  # rename a key
        parent = _get(obj, path[:-1])
        new = odd_string(ch)
        parent[new] = parent.pop(path[-1])
        return obj, f"rename {_path_text(path)} to {_short(new)}"
    if op == 5:  # wrap or unwrap the container type
        value = _get(obj, path)
        if isinstance(value, list):
            new_value: Any = {str(i): v for i, v in enumerate(value)}
        elif isinstance(value, dict):
            new_value = list(value.values()) if chance(ch, 50) else [value]
        else:
            new_value = [value] if chance(ch, 50) else {"value": value}
        return _set(obj, path, new_value), f"retype {_path_text(path)} to {type(new_value).__name__}"
    if op == 6:  # grow a list: duplicate an item many times
        lists = [p for p in paths if isinstance(_get(obj, p), list) and _get(obj, p)]
        if lists:
            where = pick(ch, lists)
            items = _get(obj, where)
            n = log_int(ch, 2, 500)
            items.extend(copy.deepcopy(items[0]) for _ in range(n))
            return obj, f"repeat {_path_text(where)}[0] {n} times"
    value = hostile_value(ch)
    return _set(obj, path, value), f"set {_path_text(path)} = {_short(value)}"


# ---------------------------------------------------------------------------------------------
# Serialization (with duplicate keys) and text mutations
# ---------------------------------------------------------------------------------------------


def _json_emit(obj: Any, dup: Any, dup_value: Any) -> str:
    """JSON text of ``obj``; the mapping ``dup`` (by identity) repeats its first key, ``dup_value`` first."""
    if isinstance(obj, dict):
        parts = [f"{json.dumps(str(k))}: {_json_emit(v, dup, dup_value)}" for k, v in obj.items()]
        if obj is dup and obj:
            first = next(iter(obj))
            parts.insert(0, f"{json.dumps(str(first))}: {_json_emit(dup_value, None, None)}")
        return "{" + ", ".join(parts) + "}"
    if isinstance(obj, list):
        return "[" + ", ".join(_json_emit(v, dup, dup_value) for v in obj) + "]"
    return json.dumps(obj)


def _encode(text: str) -> bytes:
    """UTF-8, lone surrogates encoded as they are (which makes the bytes invalid UTF-8)."""
    return text.encode("utf-8", "surrogatepass")


def serialize(ch: Chooser, docs: Sequence[Any]) -> tuple[bytes, str]:
    """The documents as JSON, JSON with a duplicate key, block or flow YAML (several docs: YAML)."""
    fmt = ch.integer(0, 4) if len(docs) == 1 else pick(ch, (2, 3))
    if fmt == 0:
        return _encode(json.dumps(docs[0], ensure_ascii=chance(ch, 50))), "json"
    if fmt == 1:
        maps = [p for p in _paths(docs[0]) if isinstance(_get(docs[0], p), dict) and _get(docs[0], p)]
        if maps:
            target = _get(docs[0], pick(ch, maps))
            return _encode(_json_emit(docs[0], target, hostile_value(ch))), "json with a duplicate key"
        return _encode(json.dumps(docs[0])), "json"
    flow = fmt == 3
    text = yaml.safe_dump_all(
        list(docs), default_flow_style=flow, allow_unicode=chance(ch, 50), sort_keys=False, width=10**6
    )
    return _encode(text), "flow yaml" if flow else "yaml"


INVALID_UTF8: Final[tuple[bytes, ...]] = (
    b"\xff",
    b"\xfe\xff",
    b"\xc3\x28",
    b"\xc0\xaf",
    b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
    b"\xe2\x82",
    b"\x80",
)

ODD_BYTES: Final[tuple[bytes, ...]] = (
    b"\x00",
    b"\r",
    b"\r\n",
    b"\t",
    b"\x1b[31m",
    b"\xef\xbb\xbf",
    b"\xe2\x80\xae",
    b"\n---\n",
    b"\n...\n",
    b": ",
    b"- ",
    b"&x ",
    b"*x",
    b"!!binary ",
    b"{",
    b"]",
    b"'",
    b'"',
    b"#",
    b"%YAML 1.1\n",
    b"<<: *x\n",
)


def mutate_text(ch: Chooser, data: bytes) -> tuple[bytes, str]:
    """``data`` with one byte-level mutation, and a description of it."""
    n = len(data)
    at = ch.integer(0, n)
    op = ch.integer(0, 10)
    if op == 0:
        return data[:at], f"truncate at byte {at}"
    if op == 1:
        bad = pick(ch, INVALID_UTF8)
        return data[:at] + bad + data[at:], f"insert invalid UTF-8 {bad!r} at {at}"
    if op == 2:
        odd = pick(ch, ODD_BYTES)
        return data[:at] + odd + data[at:], f"insert {odd!r} at {at}"
    if op == 3:
        bom = pick(ch, (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff"))
        return bom + data, f"prefix BOM {bom!r}"
    if op == 4:
        return data.replace(b"\n", b"\r\n"), "CRLF line ends"
    if op == 5:
        return data.replace(b"\n", b"\r"), "CR line ends"
    lines = data.split(b"\n")
    if op == 6 and lines:  # duplicate a line: duplicate YAML keys in block style
        i = ch.integer(0, len(lines) - 1)
        return b"\n".join(lines[: i + 1] + lines[i:]), f"duplicate line {i + 1}"
    if op == 7 and lines:
        i = ch.integer(0, len(lines) - 1)
        return b"\n".join(lines[:i] + lines[i + 1 :]), f"delete line {i + 1}"
    if op == 8:  # a number becomes a huge literal
        digits = [i for i in range(n) if data[i : i + 1].isdigit()]
        if digits:
            i = pick(ch, digits)
            lit = pick(
                ch, (b"9" * 5000, b"1e400", b"-0", b"0x7fffffffffffffffff", b"1_000", b".inf", b"0o17")
            )
            return data[:i] + lit + data[i + 1 :], f"number at byte {i} becomes {lit[:20]!r}"
    if op == 9:  # tabs in indentation
        return data.replace(b"\n  ", b"\n\t"), "tab indentation"
    rng = sub_random(ch)
    garbage = rng.randbytes(log_int(ch, 1, 64))
    return data[:at] + garbage + data[at:], f"insert {len(garbage)} random bytes at {at}"


# ---------------------------------------------------------------------------------------------
# Standalone hostile documents (and YAML fragments to embed)
# ---------------------------------------------------------------------------------------------

SCALAR_DOCS: Final[tuple[bytes, ...]] = (
    b"",
    b" \n\t\n",
    b"---",
    b"--- \n...\n",
    b"null",
    b"~",
    b"[]",
    b"{}",
    b"0",
    b'""',
    b"[null]",
    b"[[]]",
    b"[{}]",
    b"- - -",
    b"{kind: List, items: null}",
    b"{kind: List, items: [1, 2]}",
    b"{kind: List}",
    b'{"kind": "List", "items": {}}',
    b"{kind: Pod}",
    b"{kind: Deployment, spec: {template: null}}",
    b"{kind: CronJob, spec: {jobTemplate: {spec: {template: 7}}}}",
    b"{kind: [Pod]}",
    b"{metadata: null, spec: null}",
    b"{1: 2, null: 3, true: 4}",
    b"? [a, b]\n: c\n",
    b"{? {a: 1}: b}",
    b"a: b\na: c\n",
    b"NaN",
    b"[NaN, Infinity, -Infinity]",
    b"\x00",
    b"\xef\xbb\xbf{}",
    b"\xff\xfe{\x00}\x00",
    b"%YAML 9.9\n--- {}",
    b"%TAG ! tag:evil.com,2000:\n--- !x {}",
    b"*undefined",
    b"&a [*a]",
    b"&a {spec: *a, metadata: {name: x}}",
    b"metadata: &m {name: x, labels: *m}\nspec: {containers: [{name: c}]}\n",
    b"{event: tick, seconds: 1}",
    b"events: {event: tick}",
    b"events: 7",
    b"[1, 2, 3]",
    b"- event\n- tick\n",
    b"- [event, tick]\n",
)

TAG_FRAGMENTS: Final[tuple[str, ...]] = (
    f"!!python/object/apply:os.mkdir [{PWNED}]",
    f"!!python/object/new:os.mkdir [{PWNED}]",
    "!!python/object:podfsm.api.Pod {}",
    "!!python/name:os.system",
    "!!python/tuple [1, 2]",
    "!!python/bytes aGVsbG8=",
    "!!binary aGVsbG8=",
    "!!set {a, b}",
    "!!omap [a: 1, b: 2]",
    "!!pairs [a: 1, a: 2]",
    "!!timestamp 2026-11-23T10:00:00Z",
    "!!timestamp 2026-11-23",
    "!!float nan",
    "!!float .inf",
    "!!int 0x1F",
    "!!str 12",
    "!!null ''",
    "!custom thing",
    "!<tag:yaml.org,2002:int> 12",
    "!!merge <<",
)


def alias_bomb(ch: Chooser, max_exponent: int = 8) -> tuple[str, int]:
    """A flow YAML node listing every level of a billion-laughs chain; the last level expands to
    ``width ** depth`` leaves. Returns the fragment and that count."""
    width = ch.integer(2, 10)
    target = 10 ** ch.integer(2, max_exponent)
    depth = 1
    while width**depth < target:
        depth += 1
    levels = ["&a0 [lol]"]
    for i in range(1, depth + 1):
        levels.append(f"&a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "[" + ", ".join(levels) + "]", width**depth


def classic_billion_laughs() -> bytes:
    """The classic: 10 levels of 10, 10**9 ``lol``s, as a Pod's ``metadata.name``."""
    lines = ['a0: &a0 ["lol"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    lines.append("metadata: {name: *a9}")
    lines.append("spec: {containers: [{name: app, image: nginx}]}")
    return ("\n".join(lines) + "\n").encode()


def deep_nesting(ch: Chooser) -> tuple[bytes, str]:
    """1,000 to 100,000 levels of nesting, as text."""
    n = log_int(ch, 1000, 100_000)
    kind = ch.integer(0, 6)
    if kind == 0:
        return b"[" * n, f"{n} x '['"
    if kind == 1:
        return b"[" * n + b"]" * n, f"{n} balanced '[]'"
    if kind == 2:
        return b"{" * n, f"{n} x '{{'"
    if kind == 3:
        return b'{"a":' * n + b"1" + b"}" * n, f"{n} nested JSON objects"
    if kind == 4:
        return b"- " * n + b"x", f"{n} block sequence levels"
    if kind == 5:
        m = min(n, 1500)  # indentation is quadratic in size
        return b"".join(b" " * i + b"a:\n" for i in range(m)) + b" " * m + b"b", f"{m} indented mappings"
    return b'{"metadata": {"name": ' + b"[" * n + b"]" * n + b"}}", f"{n} levels in metadata.name"


def hostile_document(ch: Chooser) -> tuple[bytes, str]:
    """A whole file that is no manifest: empty, garbage, deep, a bomb, a tag, a scalar ..."""
    kind = ch.integer(0, 7)
    if kind == 7:  # many pods: a long kubectl List or many YAML documents
        n = log_int(ch, 100, 20_000)
        pod = {"metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "image": "x"}]}}
        if chance(ch, 50):
            items = [{**pod, "metadata": {"name": f"p{i}"}} for i in range(n)]
            return _encode(json.dumps({"kind": "List", "items": items})), f"a List of {n} pods"
        return _encode("".join("---\n" + json.dumps(pod) + "\n" for _ in range(n))), f"{n} YAML documents"
    if kind == 0:
        doc = pick(ch, SCALAR_DOCS)
        return doc, f"document {doc[:40]!r}"
    if kind == 1:
        rng = sub_random(ch)
        return rng.randbytes(log_int(ch, 1, 4096)), "binary garbage"
    if kind == 2:
        return deep_nesting(ch)
    if kind == 3:
        bomb, leaves = alias_bomb(ch)
        return f"metadata: {{name: x}}\nspec: {bomb}\n".encode(), f"alias bomb ({leaves} leaves) as spec"
    if kind == 4:
        tag = pick(ch, TAG_FRAGMENTS)
        return f"--- {tag}\n".encode(), f"tagged document {tag!r}"
    if kind == 5:
        digits = log_int(ch, 4000, 20_000)
        return f"metadata: {{name: x}}\nspec: {{terminationGracePeriodSeconds: {'9' * digits}}}\n".encode(), (
            f"{digits}-digit integer literal"
        )
    text = odd_string(ch)
    return _encode(text), f"text {_short(text)}"


def yaml_fragment(ch: Chooser) -> tuple[str, str]:
    """A YAML node (flow style) to embed where a value was: a bomb, a tag, deep nesting, a cycle."""
    kind = ch.integer(0, 4)
    if kind == 0:
        bomb, leaves = alias_bomb(ch)
        return bomb, f"alias bomb ({leaves} leaves)"
    if kind == 1:
        tag = pick(ch, TAG_FRAGMENTS)
        return tag, f"tag {tag!r}"
    if kind == 2:
        n = log_int(ch, 1000, 100_000)
        return "[" * n + "]" * n, f"{n} nested lists"
    if kind == 3:
        return pick(ch, ("&r [*r]", "&r {a: *r}", "&r [1, [2, *r]]")), "self-referencing alias"
    digits = log_int(ch, 4000, 20_000)
    return "9" * digits, f"{digits}-digit integer"


_MARKER: Final = "HOSTILE_FRAGMENT_MARKER"


def embed_fragment(ch: Chooser, docs: Sequence[Any]) -> tuple[bytes, str]:
    """The documents as flow YAML with one value replaced by a :func:`yaml_fragment`."""
    copied = copy.deepcopy(list(docs))
    i = ch.integer(0, len(copied) - 1)
    path = pick(ch, _paths(copied[i]))
    copied[i] = _set(copied[i], path, _MARKER)
    fragment, what = yaml_fragment(ch)
    text = yaml.safe_dump_all(copied, default_flow_style=True, sort_keys=False, width=10**6)
    return _encode(text.replace(_MARKER, fragment, 1)), f"{what} at doc {i} {_path_text(path)}"


# ---------------------------------------------------------------------------------------------
# Extreme but well-typed values: they pass validation and reach the model
# ---------------------------------------------------------------------------------------------

EXTREME_NUMBERS: Final[dict[str, tuple[int, ...]]] = {
    "seconds": (0, 1, 10**9, 10**9 + 1, 2**31 - 1, 2**31, 10**12),
    "exit_code": (0, 255, 256, -1, 2**31 - 1, 2**31, -(2**31), 10**12),
    "grace_period_seconds": (0, 1, 2, 2**31 - 1, 2**31, 10**9, 10**12),
    "terminationGracePeriodSeconds": (0, 1, 2**31 - 1, 2**31, 10**9, 10**12, 2**63 - 1),
    "activeDeadlineSeconds": (1, 2**31 - 1, 2**31, 10**9, 10**12, 2**63 - 1),
    "periodSeconds": (1, 2**31 - 1, 10**9, 10**12),
    "initialDelaySeconds": (0, 2**31 - 1, 10**9, 10**12),
    "failureThreshold": (1, 2**31 - 1, 10**9),
    "successThreshold": (1, 2**31 - 1, 10**9),
    "timeoutSeconds": (1, 2**31 - 1, 10**12),
    "tolerationSeconds": (0, 2**31 - 1, 10**12, 2**63 - 1, -1),
    "restartCount": (0, 2**31 - 1, 2**31, 10**12),
    "exitCode": (0, 255, -1, 2**31 - 1, 2**31, 10**12),
    "priority": (-(2**31), 2**31 - 1, 10**12),
}


def _extreme_number(ch: Chooser, key: str) -> int:
    return pick(ch, EXTREME_NUMBERS[key])


def extreme_object(ch: Chooser, obj: Any) -> tuple[Any, str]:
    """``obj`` (copied) with its numeric fields (ticks, exit codes, grace periods, deadlines, probe
    timings, restart counts) set to edge values of the right type: what validation lets through."""
    obj = copy.deepcopy(obj)
    targets = [p for p in _paths(obj) if p and isinstance(p[-1], str) and p[-1] in EXTREME_NUMBERS]
    notes = []
    for path in targets:
        if chance(ch, 60):
            value = _extreme_number(ch, str(path[-1]))
            _set(obj, path, value)
            notes.append(f"{_path_text(path)}={value}")
    specs = [p for p in _paths(obj) if isinstance(_get(obj, p), dict) and "containers" in _get(obj, p)]
    for path in specs:  # add the pod-level knobs the manifest did not set
        for key in ("terminationGracePeriodSeconds", "activeDeadlineSeconds"):
            if key not in _get(obj, path) and chance(ch, 30):
                value = _extreme_number(ch, key)
                _get(obj, path)[key] = value
                notes.append(f"{_path_text((*path, key))}={value}")
    return obj, "extreme " + (", ".join(notes) or "nothing")


def extreme_script(ch: Chooser, docs: Sequence[Any]) -> tuple[Any, str]:
    """A script with extreme numbers, and node events and long ticks inserted at random places."""
    script, what = extreme_object(ch, docs[0] if len(docs) == 1 else list(docs))
    items = script.get("events") if isinstance(script, dict) else script
    if isinstance(items, list):
        for _ in range(ch.integer(0, 4)):
            extra = pick(
                ch,
                (
                    {"event": "tick", "seconds": _extreme_number(ch, "seconds")},
                    {"event": "node_pressure", "type": pick(ch, ("memory", "disk", "pid")), "active": True},
                    {"event": "node_pressure", "type": "memory", "active": False},
                    {"event": "node_heartbeats_stop"},
                    {"event": "node_heartbeat", "ready": chance(ch, 50)},
                    {"event": "node_out_of_service"},
                    {"event": "delete", "grace_period_seconds": _extreme_number(ch, "grace_period_seconds")},
                    {"event": "evict"},
                ),
            )
            items.insert(ch.integer(0, len(items)), extra)
            what += f"; insert {extra}"
        if chance(ch, 10):  # the clock runs past year 9999 (ticks are bounded one at a time)
            count = ch.integer(1, 150)
            items.extend({"event": "tick", "seconds": 2**31 - 1} for _ in range(count))
            what += f"; {count} ticks of 2**31 - 1 s"
    return script, what


# ---------------------------------------------------------------------------------------------
# Pods and scripts
# ---------------------------------------------------------------------------------------------


def hostile_pod_file(ch: Chooser, *, small: bool = False, status: bool = False) -> tuple[bytes, str]:
    """A pod manifest file, from the examples, broken in one to three ways (or not at all)."""
    corpus = seeds()
    pool = corpus.small if small else corpus.pods
    if status:
        pool = tuple(p for p in corpus.pods if p.path.startswith("status/")) or pool
    seed = pick(ch, pool)
    return hostile_from_seed(ch, seed)


def hostile_from_seed(ch: Chooser, seed: Seed) -> tuple[bytes, str]:
    """One seed file broken: object mutations, text mutations, an embedded fragment, a replacement."""
    mode = ch.integer(0, 9)
    if mode == 0:
        return seed.text.encode(), f"{seed.path} as is"
    if mode == 1:
        data, what = mutate_text(ch, seed.text.encode())
        return data, f"{seed.path}: {what}"
    if mode == 2:
        data, what = embed_fragment(ch, seed.docs)
        return data, f"{seed.path}: {what}"
    if mode == 3:
        data, what = hostile_document(ch)
        return data, what
    docs = list(seed.docs)
    notes: list[str] = []
    for _ in range(ch.integer(1, 3)):
        i = ch.integer(0, len(docs) - 1)
        docs[i], what = mutate_object(ch, docs[i])
        notes.append(what if len(docs) == 1 else f"doc {i}: {what}")
    data, fmt = serialize(ch, docs)
    if mode == 9:
        data, what = mutate_text(ch, data)
        notes.append(what)
    return data, f"{seed.path} ({fmt}): {'; '.join(notes)}"


def _good_field(ch: Chooser, name: str, containers: Sequence[str]) -> Any:

    if name == "container":
        return pick(ch, containers) if containers else "app"
    if name == "node":
        return "node-1"
    if name == "images":
        return []
    if name == "exit_code":
        return pick(ch, (0, 1, 137, 2))
    if name == "seconds":
        return pick(ch, (1, 10, 0, 30, 300, 600))
    if name == "grace_period_seconds":
        return pick(ch, (0, 1, 30))
    if name == "reason":
        reasons = (
            *ev.IMAGE_PULL_REASONS,
            *ev.START_FAILURE_REASONS,
            *ev.CREATE_FAILURE_REASONS,
            *ev.EXIT_REASONS,
        )
        return pick(ch, reasons)
    if name == "probe":
        return pick(ch, ev.PROBE_KINDS)
    if name == "hook":
        return pick(ch, ev.HOOK_KINDS)
    if name == "result":
        return pick(ch, ev.RESULTS)
    if name == "type":
        return pick(ch, (*ev.PRESSURE_KINDS, "example.com/gate"))
    if name == "status":
        return pick(ch, ("True", "False", "Unknown"))
    if name in ("ready", "active"):
        return chance(ch, 50)
    if name == "message":
        return "hello"
    return None


def hostile_event(ch: Chooser, containers: Sequence[str]) -> Any:
    """One script item: a well-formed event (60%), one with a hostile field, or no event at all."""

    kind = ch.integer(0, 19)
    if kind == 19:
        return hostile_value(ch)
    if kind == 18:
        return {"event": odd_string(ch) if chance(ch, 50) else hostile_value(ch)}
    names = sorted(ev.EVENT_TYPES)
    name = pick(ch, names)
    cls = ev.EVENT_TYPES[name]
    item: dict[str, Any] = {"event": name}
    for f in dataclasses.fields(cls):
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        if f.name == "pod" and not chance(ch, 10):
            continue
        if not required and chance(ch, 50):
            continue
        item[f.name] = _good_field(ch, f.name, containers)
    if kind >= 12:  # break one field
        key = pick(ch, sorted(item)) if chance(ch, 80) else odd_string(ch)
        if key == "seconds" or (key in item and isinstance(item[key], int)) or chance(ch, 30):
            item[key] = hostile_int(ch) if chance(ch, 70) else hostile_value(ch)
        elif chance(ch, 20):
            item.pop(key, None)
        else:
            item[key] = hostile_value(ch)
    return item


def hostile_script_docs(ch: Chooser, containers: Sequence[str]) -> tuple[Any, str]:
    """A script (a list of event items) generated from the event vocabulary, or a wrong shape."""
    n = ch.integer(0, 12)
    items = [hostile_event(ch, containers) for _ in range(n)]
    shape = ch.integer(0, 9)
    if shape == 7:
        return {"events": items}, f"mapping with {n} events"
    if shape == 8:
        return (items[0] if items else {}), "one event (a mapping, not a list)"
    if shape == 9 and items:
        count = log_int(ch, 100, 5000)
        return [items[0]] * count, f"{count} copies of one event"
    return items, f"{n} generated events"


def hostile_script_file(ch: Chooser, containers: Sequence[str]) -> tuple[bytes, str]:
    """A script file: an example broken, a generated one, or something that is no script."""
    mode = ch.integer(0, 3)
    if mode == 0:
        docs, what = hostile_script_docs(ch, containers)
        data, fmt = serialize(ch, [docs])
        if chance(ch, 15):
            data, more = mutate_text(ch, data)
            what += f"; {more}"
        return data, f"script ({fmt}): {what}"
    return hostile_from_seed(ch, pick(ch, seeds().scripts))


def containers_of(ch: Chooser, data: bytes) -> tuple[str, ...]:
    """Container names to aim events at: those of the example the pod came from, plus odd ones."""
    names = [c for s in seeds().pods for c in s.containers if c.encode() in data]
    if chance(ch, 10):
        names.append(odd_string(ch))
    return tuple(dict.fromkeys(names)) or ("app",)


# ---------------------------------------------------------------------------------------------
# CLI cases
# ---------------------------------------------------------------------------------------------

IO_MODES: Final = (
    "normal",
    "stdout-none",
    "stdout-full",
    "stdout-broken-pipe",
    "stdin-none",
    "stderr-none",
)


@dataclass(frozen=True)
class CliCase:
    """One command line: ``argv`` (``{tmp}`` stands for the temporary directory), the files to write
    there, what stdin holds (``None``: empty), how the standard streams behave, and what it is."""

    argv: tuple[str, ...]
    files: tuple[tuple[str, bytes], ...] = ()
    stdin: bytes | None = None
    io: str = "normal"
    label: str = ""
    expect_code: int | None = None  # None: any of 0, 1, 2

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:  # Hypothesis' printer: keep it short
        p.text(repr(self))

    def __repr__(self) -> str:
        files = ", ".join(f"{n}={_short(d, 120)}" for n, d in self.files)
        stdin = f", stdin={_short(self.stdin, 120)}" if self.stdin is not None else ""
        io_mode = f", io={self.io}" if self.io != "normal" else ""
        argv = _short(" ".join(self.argv), 300)
        return f"CliCase(podfsm {argv}, files: {files}{stdin}{io_mode}; {_short(self.label, 300)})"


def _file_or_stdin(ch: Chooser, name: str, data: bytes, stdin_ok: bool) -> tuple[str, bytes | None, str]:
    """Where the command reads ``data``: ``{tmp}/name`` or ``-`` (stdin)."""
    if stdin_ok and chance(ch, 25):
        return "-", data, "-"
    return f"{{tmp}}/{name}", None, name


def _is_tag_document(label: str) -> bool:
    return label.startswith("tagged document '!!python")


def status_case(ch: Chooser) -> CliCase:
    """``podfsm status FILE|- [-o json] [--now X]`` on a broken pod, list or status file."""
    data, what = hostile_pod_file(ch, status=chance(ch, 30))
    arg, stdin, _ = _file_or_stdin(ch, "pod.yaml", data, True)
    argv = ["status", arg]
    if chance(ch, 40):
        argv += ["-o", "json"]
    if chance(ch, 30):
        argv += ["--now", "2026-11-23T10:06:00Z" if chance(ch, 50) else pick(ch, ODD_TIMES)]
    elif chance(ch, 5):
        argv += ["--now", odd_string(ch)]
    files = () if stdin is not None else (("pod.yaml", data),)
    expect = 2 if _is_tag_document(what) else None
    return CliCase(tuple(argv), files, stdin, label=f"pod: {what}", expect_code=expect)


def simulate_case(ch: Chooser) -> CliCase:
    """``podfsm simulate POD SCRIPT [-o json] [--timeline F]``: an example's pod and script, one or
    both broken, or pushed to extreme values (node events, huge ticks) that reach the model."""
    pod_seed, script_seed = pick(ch, seeds().pairs)
    mode = ch.integer(0, 6)
    pod, pod_what = pod_seed.text.encode(), f"{pod_seed.path} as is"
    script, script_what = script_seed.text.encode(), f"{script_seed.path} as is"
    if mode in (1, 6):
        pod, pod_what = hostile_from_seed(ch, pod_seed)
    if mode == 2:
        script, script_what = hostile_from_seed(ch, script_seed)
    if mode in (3, 4):
        docs, script_what = extreme_script(ch, script_seed.docs)
        script, fmt = serialize(ch, [docs])
        script_what = f"{script_seed.path} ({fmt}): {script_what}"
    if mode == 4:
        docs_pod = []
        for d in pod_seed.docs:
            d2, what = extreme_object(ch, d)
            docs_pod.append(d2)
        pod, fmt = serialize(ch, docs_pod)
        pod_what = f"{pod_seed.path} ({fmt}): {what}"
    if mode in (5, 6):
        script, script_what = hostile_script_file(ch, pod_seed.containers or containers_of(ch, pod))
    pod_arg, pod_stdin, _ = _file_or_stdin(ch, "pod.yaml", pod, True)
    script_arg, script_stdin, _ = _file_or_stdin(ch, "script.yaml", script, pod_stdin is None)
    argv = ["simulate", pod_arg, script_arg]
    if chance(ch, 40):
        argv += ["-o", "json"]
    if chance(ch, 15):
        argv += ["--timeline", "{tmp}/timeline.svg"]
    files = tuple(
        (n, d)
        for n, d, s in (("pod.yaml", pod, pod_stdin), ("script.yaml", script, script_stdin))
        if s is None
    )
    stdin = pod_stdin if pod_stdin is not None else script_stdin
    return CliCase(tuple(argv), files, stdin, label=f"pod: {pod_what} | script: {script_what}")


#: A trace to start from when ``examples/traces/`` is not there (an installed package).
_FALLBACK_TRACE: Final = (
    "NAME   READY   STATUS              RESTARTS   AGE\n"
    "web    0/1     ContainerCreating   0          0s\n"
    "web    1/1     Running             0          1s\n"
)


@cache
def _trace_seeds() -> tuple[tuple[str, bytes], ...]:
    """``examples/traces/`` (read once), or a small row trace where it is not there."""
    base = examples_dir()
    folder = base / "traces" if base is not None else None
    if folder is None or not folder.is_dir():
        return (("rows.txt", _FALLBACK_TRACE.encode()),)
    return tuple(
        (p.name, p.read_bytes()) for p in sorted(folder.iterdir()) if not p.name.endswith(".pod.yaml")
    )


def check_trace_case(ch: Chooser) -> CliCase:
    """``podfsm check-trace TRACE [--pod POD] [-o json] [--max-silent K] [--witness F]`` on an example
    trace, broken (bytes mutated, a hostile document in its place) or with a broken ``--pod``; and
    ``podfsm simulate --from POD_JSON SCRIPT`` on a broken live pod."""
    name, data = pick(ch, _trace_seeds())
    what = f"{name} as is"
    mode = ch.integer(0, 4)
    if mode == 1:
        data, what = mutate_text(ch, data)
        what = f"{name}: {what}"
    elif mode == 2:
        data, what = hostile_document(ch)
    pod_seed = pick(ch, seeds().pairs)[0]
    pod, pod_what = pod_seed.text.encode(), f"{pod_seed.path} as is"
    if mode == 3:
        pod, pod_what = hostile_from_seed(ch, pod_seed)
    if mode == 4:  # simulate --from a live pod: a trace's object, or a broken pod
        script_seed = pick(ch, seeds().pairs)[1]
        live, live_what = (data, what) if chance(ch, 50) else hostile_from_seed(ch, pod_seed)
        argv = ["simulate", "--from", "{tmp}/live.json", "{tmp}/script.yaml"]
        live_files = (("live.json", live), ("script.yaml", script_seed.text.encode()))
        return CliCase(tuple(argv), live_files, label=f"--from {live_what} | script: {script_seed.path}")
    arg, stdin, _ = _file_or_stdin(ch, "trace.txt", data, True)
    argv = ["check-trace", arg]
    files: list[tuple[str, bytes]] = [] if stdin is not None else [("trace.txt", data)]
    if name.endswith(".txt") or chance(ch, 30):
        argv += ["--pod", "{tmp}/pod.yaml"]
        files.append(("pod.yaml", pod))
    if chance(ch, 30):
        argv += ["-o", "json"]
    if chance(ch, 15):
        argv += ["--max-silent", str(pick(ch, (0, 1, 3, 2**31, 10**30, -1)))]
    if chance(ch, 15):
        argv += ["--witness", "{tmp}/witness.yaml"]
    return CliCase(tuple(argv), tuple(files), stdin, label=f"trace: {what} | pod: {pod_what}")


def diagram_case(ch: Chooser) -> CliCase:
    """``podfsm diagram [MACHINE ...] [-f FMT]`` with odd machine names and formats (never ``-o``)."""

    argv = ["diagram"]
    for _ in range(ch.integer(0, 3)):
        argv.append(pick(ch, (*diagrams.MACHINES, "all")) if chance(ch, 60) else odd_string(ch))
    if chance(ch, 60):
        argv += ["-f", pick(ch, diagrams.FORMATS) if chance(ch, 70) else odd_string(ch)]
    return CliCase(tuple(_safe_tokens(argv)), label="diagram")


def explore_case(ch: Chooser) -> CliCase:
    """``podfsm explore POD --max-depth 0..3`` (tiny) on a broken single-pod manifest, odd options."""

    data, what = hostile_pod_file(ch, small=True)
    arg, stdin, _ = _file_or_stdin(ch, "pod.yaml", data, False)
    argv = ["explore", arg]
    if chance(ch, 30):
        argv += ["--max-restarts", str(pick(ch, (0, 1, 3, 2**31, 2**63, 10**30)) if chance(ch, 85) else -1)]
    if chance(ch, 20):
        names = sorted(invariants.REGISTRY)
        argv += ["--property", pick(ch, names) if chance(ch, 50) else odd_string(ch)]
    if chance(ch, 15):
        argv += ["--mutant", pick(ch, sorted(mutants.MUTANTS)) if chance(ch, 50) else odd_string(ch)]
    if chance(ch, 15):
        argv += ["--graph", "{tmp}/graph" + pick(ch, (".dot", ".mmd", ".md", ".svg", ".txt", ""))]
        if chance(ch, 50):
            argv += ["--graph-max-states", str(pick(ch, (0, 1, 2**31, 10**30, -1)))]
    if chance(ch, 20):
        argv.append("--no-check")
    if chance(ch, 30):
        argv += ["-o", "json"]
    depth = ch.integer(-2, -1) if chance(ch, 5) else ch.integer(0, 3)
    argv += ["--max-depth", str(depth)]  # last, so nothing drawn before can lift it
    files = (("pod.yaml", data),) if stdin is None else ()
    return CliCase(tuple(argv), files, stdin, label=f"pod: {what}")


def verify_case(ch: Chooser) -> CliCase:
    """``podfsm verify --list-mutants`` with odd extra options (the suites themselves never run)."""
    argv = ["verify", "--list-mutants"]
    for _ in range(ch.integer(0, 3)):
        argv += pick(
            ch,
            (
                ["-o", "json"],
                ["-o", odd_string(ch)],
                ["--seed", str(hostile_int(ch))],
                ["--seed", odd_string(ch)],
                ["--profile", odd_string(ch)],
                ["--mutant", odd_string(ch)],
                [odd_string(ch)],
            ),
        )
    argv = [a for a in argv if a != "--"]  # '--' would turn --list-mutants into a positional
    if "--list-mutants" not in argv:
        argv.insert(1, "--list-mutants")
    return CliCase(tuple(argv), label="verify --list-mutants")


_WRITING_OPTIONS: Final = ("--output-dir", "--examples", "--timeline", "--graph")


def _safe_tokens(argv: list[str]) -> list[str]:
    """Drop tokens that could make a command write files (prefixes of the writing options, diagram's
    ``-o``): hostile command lines must not write outside the temporary directory."""
    out = []
    for i, tok in enumerate(argv):
        if tok.startswith("--") and len(tok) > 2:
            name = tok.split("=", 1)[0]
            if any(opt.startswith(name) for opt in _WRITING_OPTIONS) and name != "--graph-max-states":
                continue
        if argv and argv[0] == "diagram" and i > 0 and tok.startswith("-o"):
            continue
        out.append(tok)
    return out


def argv_case(ch: Chooser) -> CliCase:
    """A random command line: commands, flags, odd strings, negative and huge numbers, ``-``, ``--``."""
    commands = ("status", "simulate", "diagram", "explore", "verify", "help", "", "-h", "--version", "statu")
    flags = (
        "-o",
        "--output",
        "json",
        "table",
        "--now",
        "-f",
        "--format",
        "--max-depth",
        "--max-restarts",
        "--property",
        "--mutant",
        "--seed",
        "--profile",
        "--list-mutants",
        "--no-check",
        "--graph-max-states",
        "-",
        "--",
        "-h",
        "--bogus",
        "--max-depth=-1",
        "-x",
        "{tmp}/pod.yaml",
        "{tmp}/missing.yaml",
        "{tmp}",
        "/dev/null",
        "/nonexistent/dir/x.yaml",
    )
    argv = [pick(ch, commands) if chance(ch, 85) else odd_string(ch)]
    for _ in range(ch.integer(0, 6)):
        kind = ch.integer(0, 3)
        if kind == 0:
            argv.append(pick(ch, flags))
        elif kind == 1:
            argv.append(str(hostile_int(ch)))
        elif kind == 2:
            argv.append(odd_string(ch))
        else:
            argv.append(pick(ch, flags) + "=" + odd_string(ch))
    argv = [a.replace("\x00", "") for a in argv]  # a NUL cannot be in a real argv
    argv = _safe_tokens(argv)
    if argv[0] == "verify":
        argv = ["verify", "--list-mutants", *(a for a in argv[1:] if a != "--")]
    if argv[0] == "explore":
        argv = [a for a in argv if a != "--"] + ["--max-depth", "2"]
    pod = pick(ch, seeds().small).text.encode()
    return CliCase(tuple(argv), (("pod.yaml", pod),), b"", label="random argv")


def io_case(ch: Chooser) -> CliCase:
    """An ordinary command with a closed (``None``) stdin, stdout or stderr, a full stdout (``/dev/full``)
    or a broken pipe."""
    mode = pick(ch, IO_MODES[1:])
    seed = pick(ch, seeds().small)
    script = pick(ch, seeds().scripts)
    kind = ch.integer(0, 4)
    files: tuple[tuple[str, bytes], ...] = (
        ("pod.yaml", seed.text.encode()),
        ("script.yaml", script.text.encode()),
    )
    if kind == 0:
        argv: tuple[str, ...] = ("status", "{tmp}/pod.yaml")
    elif kind == 1:
        argv = ("status", "-")
    elif kind == 2:
        argv = ("simulate", "{tmp}/pod.yaml", "-" if chance(ch, 50) else "{tmp}/script.yaml")
    elif kind == 3:
        argv = ("diagram", "pod")
    else:
        argv = ("verify", "--list-mutants")
    if chance(ch, 30):
        argv += ("-o", "json") if argv[0] != "diagram" else ("-f", "mermaid")
    stdin = seed.text.encode() if argv[1] == "-" else script.text.encode() if "-" in argv else None
    return CliCase(argv, files, stdin, io=mode, label=f"{mode}: {seed.path}")


CLI_GENERATORS: Final[dict[str, Callable[[Chooser], CliCase]]] = {
    "status": status_case,
    "simulate": simulate_case,
    "diagram": diagram_case,
    "explore": explore_case,
    "check-trace": check_trace_case,
    "verify": verify_case,
    "argv": argv_case,
    "io": io_case,
}


# ---------------------------------------------------------------------------------------------
# API cases
# ---------------------------------------------------------------------------------------------

ORACLE_FUNCTIONS: Final = ("pod_phase", "pod_conditions", "should_restart", "kubectl_columns", "pod_summary")


@dataclass(frozen=True)
class ApiCase:
    """One public-API call: ``target`` names it (see :func:`call_api`), ``args`` are plain data
    (picklable, so a reproducer can be written), ``files`` go into the temporary directory."""

    target: str
    args: tuple[Any, ...]
    files: tuple[tuple[str, bytes], ...] = ()
    label: str = ""

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:  # Hypothesis' printer: keep it short
        p.text(repr(self))

    def __repr__(self) -> str:
        args = ", ".join(_short(a, 160) for a in self.args)
        return f"ApiCase({self.target}({args}); {_short(self.label, 300)})"


def _pod_objects(ch: Chooser) -> tuple[Any, str]:
    """A pod as a Python object: from the status list or an example, mutated; or no pod at all."""
    corpus = seeds()
    objs: list[tuple[Any, str]] = []
    for s in corpus.pods:
        for d in s.docs:
            if isinstance(d, dict) and d.get("kind") == "List" and isinstance(d.get("items"), list):
                objs.extend((item, f"{s.path} item {i}") for i, item in enumerate(d["items"]))
            else:
                objs.append((d, s.path))
    mode = ch.integer(0, 5)
    if mode == 5:
        value = hostile_value(ch)
        return value, f"not a pod: {_short(value)}"
    obj, where = pick(ch, objs)
    notes = []
    for _ in range(ch.integer(0 if mode == 0 else 1, 3)):
        obj, what = mutate_object(ch, obj)
        notes.append(what)
    return obj, f"{where}: {'; '.join(notes) or 'as is'}"


def oracle_case(ch: Chooser) -> ApiCase:
    """``pod_phase`` / ``pod_conditions`` / ``should_restart`` / ``kubectl_columns`` / ``pod_summary``
    on a broken pod dict (and odd container names and ``now`` values)."""
    target = pick(ch, ORACLE_FUNCTIONS)
    pod, what = _pod_objects(ch)
    if target == "should_restart":
        name: Any = pick(ch, ("app", "nginx", "busybox")) if chance(ch, 50) else hostile_value(ch)
        return ApiCase(target, (pod, name), label=what)
    if target in ("kubectl_columns", "pod_summary"):
        now: Any = None
        if chance(ch, 60):
            now = pick(ch, ODD_TIMES) if chance(ch, 70) else hostile_value(ch)
        return ApiCase(target, (pod, now), label=what)
    return ApiCase(target, (pod,), label=what)


def simulator_case(ch: Chooser) -> ApiCase:
    """``Simulator(pod)`` on a non-Pod, or ``Simulator(load_pod(text)).apply(event)`` for hostile events."""
    if chance(ch, 20):
        pod, what = _pod_objects(ch)
        return ApiCase("Simulator", (pod,), label=what)
    seed = pick(ch, seeds().small)
    text = seed.text
    if chance(ch, 30):
        mutated, what = hostile_from_seed(ch, seed)
        text = mutated.decode("utf-8", "surrogateescape")
    else:
        what = f"{seed.path} as is"
    containers = seed.containers or ("app",)
    events = [hostile_event(ch, containers) for _ in range(ch.integer(1, 10))]
    target = "ClusterSimulator.apply" if chance(ch, 30) else "Simulator.apply"
    return ApiCase(target, (text, events), label=what)


def event_case(ch: Chooser) -> ApiCase:
    """An event class built from keyword values of the wrong type or range, then applied; or
    ``event_from_dict`` on a hostile mapping."""

    if chance(ch, 25):
        item = hostile_event(ch, ("app",))
        return ApiCase("event_from_dict", (item,), label="hostile mapping")
    name = pick(ch, sorted(ev.EVENT_TYPES))
    cls = ev.EVENT_TYPES[name]
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        if chance(ch, 40):
            kwargs[f.name] = hostile_int(ch) if chance(ch, 50) else hostile_value(ch)
        elif required or chance(ch, 30):
            kwargs[f.name] = _good_field(ch, f.name, ("app",))
    seed = pick(ch, seeds().small)
    return ApiCase("event", (name, kwargs, seed.text), label=f"{cls.__name__}(**{_short(kwargs, 200)})")


def load_pod_case(ch: Chooser) -> ApiCase:
    """``load_pod(path)`` on a broken file or an odd path, or ``loads_pod(text)``."""
    mode = ch.integer(0, 3)
    if mode == 3:
        path = pick(ch, ("", "\x00", "{tmp}", "{tmp}/missing.yaml", "/dev/null", "{tmp}/pod.yaml\x00x", "-"))
        return ApiCase("load_pod", (path,), (("pod.yaml", b""),), label=f"path {path!r}")
    data, what = hostile_pod_file(ch)
    if mode == 2:
        return ApiCase("loads_pod", (data.decode("utf-8", "surrogateescape") + "\n",), label=f"text: {what}")
    return ApiCase("load_pod", ("{tmp}/pod.yaml",), (("pod.yaml", data),), label=what)


API_GENERATORS: Final[dict[str, Callable[[Chooser], ApiCase]]] = {
    "oracle": oracle_case,
    "simulator": simulator_case,
    "events": event_case,
    "load_pod": load_pod_case,
}


def _fill(value: Any, tmp: str) -> Any:
    return value.replace("{tmp}", tmp) if isinstance(value, str) else value


def call_api(case: ApiCase, tmp: str) -> object:
    """Make the call ``case`` describes (``tmp``: the directory its files are in)."""
    from podfsm.api.loader import load_pods

    args = tuple(_fill(a, tmp) for a in case.args)
    t = case.target
    if t in ("pod_phase", "pod_conditions"):
        return getattr(podfsm, t)(args[0])
    if t == "should_restart":
        return podfsm.should_restart(args[0], args[1])
    if t in ("kubectl_columns", "pod_summary"):
        return getattr(podfsm, t)(args[0], now=args[1])
    if t == "Simulator":
        single = podfsm.Simulator(args[0])
        return single.pod, single.history
    if t == "load_pod":
        return podfsm.load_pod(args[0])
    if t == "loads_pod":  # YAML or JSON text (load_pod itself before loads_pod existed)
        return getattr(podfsm, "loads_pod", podfsm.load_pod)(args[0])
    if t == "event_from_dict":
        return podfsm.event_from_dict(args[0])
    if t in ("Simulator.apply", "ClusterSimulator.apply"):
        results: list[object] = []
        loaded = load_pods("<text>", text=args[0], name="<text>")
        if t == "Simulator.apply":
            sim: Any = podfsm.Simulator(loaded[0])
        else:
            sim = podfsm.ClusterSimulator(loaded)
        for item in args[1]:
            try:
                results.append(sim.apply(item))
            except podfsm.IllegalTransition:
                results.append("illegal")
        return results
    if t == "event":
        name, kwargs, text = args
        event = ev.EVENT_TYPES[name](**kwargs)
        event.validate()
        repr(event)
        podfsm.event_to_dict(event)
        loaded = load_pods("<text>", text=text, name="<text>")
        cluster = podfsm.ClusterSimulator(loaded)
        for e in (ev.Schedule(node="node-1"), event):
            with contextlib.suppress(podfsm.IllegalTransition):
                cluster.apply(e)
        if not isinstance(event, ev.NodeEvent):
            sim = podfsm.Simulator(loaded[0])
            with contextlib.suppress(podfsm.IllegalTransition):
                sim.apply(event)
        return event
    raise ValueError(f"unknown API target {t!r}")


# ---------------------------------------------------------------------------------------------
# The harness
# ---------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What one run did. ``error`` is the exception that escaped (``Type: message``) with ``where``
    (innermost podfsm frame, then the innermost frame) and ``tb`` (the formatted traceback)."""

    code: int | None = None
    stdout: str = ""
    stdout_len: int = 0
    stderr: str = ""
    stderr_len: int = 0
    error: str = ""
    error_type: str = ""
    where: str = ""
    tb: str = ""
    raised: str = ""  # API: the PodfsmError subclass raised (fine), or the return value's type
    seconds: float = 0.0
    rss_growth: int = 0
    timed_out: bool = False
    signal: int = 0
    wrote_to_full: bool = False
    pwned: bool = False
    internal: str = ""  # the harness itself failed


class _FullStream(io.TextIOBase):
    """stdout on ``/dev/full``: every write raises ENOSPC, as a full disk does."""

    attempted = False

    def writable(self) -> bool:
        return True

    def write(self, s: str) -> int:
        _FullStream.attempted = True
        raise OSError(errno.ENOSPC, "No space left on device")

    def flush(self) -> None:
        if _FullStream.attempted:
            raise OSError(errno.ENOSPC, "No space left on device")


class _BrokenPipeStream(io.TextIOBase):
    """stdout into a pipe whose reader went away (``podfsm ... | head -0``)."""

    def writable(self) -> bool:
        return True

    def write(self, s: str) -> int:
        raise BrokenPipeError(errno.EPIPE, "Broken pipe")


def _vm_size() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _rss() -> int:
    try:
        return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _describe_exception(outcome: Outcome, e: BaseException) -> None:
    frames = traceback.extract_tb(e.__traceback__)
    outcome.error_type = type(e).__name__
    outcome.error = f"{type(e).__name__}: {str(e)[:300]}"

    def loc(fr: traceback.FrameSummary) -> str:
        parts = Path(fr.filename).parts
        short = "/".join(parts[parts.index("podfsm") :]) if "podfsm" in parts else "/".join(parts[-2:])
        return f"{short}:{fr.name}"

    own = [
        fr for fr in frames if "podfsm" in Path(fr.filename).parts and not fr.filename.endswith("hostile.py")
    ]
    where = loc(own[-1]) if own else "?"
    if frames and (not own or frames[-1] is not own[-1]):
        where += f" -> {loc(frames[-1])}"
    outcome.where = where
    text = "".join(traceback.format_exception(e))
    outcome.tb = text if len(text) < 8000 else text[:3000] + "\n...\n" + text[-4000:]


def _decode(buf: io.BytesIO) -> str:
    return buf.getvalue().decode("utf-8", "backslashreplace")


@contextlib.contextmanager
def _sandbox(files: Sequence[tuple[str, bytes]]) -> Iterator[str]:
    tmp = tempfile.mkdtemp(prefix="podfsm-hostile-")
    try:
        for name, data in files:
            Path(tmp, name).write_bytes(data)
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _limit_memory() -> None:
    size = _vm_size()
    if size:
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = size + MEMORY_BUDGET
        if hard == resource.RLIM_INFINITY or limit < hard:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _run_cli_here(case: CliCase, tmp: str) -> Outcome:
    """Run ``case`` in this process (the child), with cwd, streams and memory limit set up."""

    outcome = Outcome()
    _FullStream.attempted = False
    argv = [a.replace("{tmp}", tmp) for a in case.argv]
    out_buf, err_buf = io.BytesIO(), io.BytesIO()
    # Keep the wrappers referenced: a collected TextIOWrapper closes its buffer.
    out_text = io.TextIOWrapper(out_buf, encoding="utf-8", errors="strict", write_through=True)
    err_text = io.TextIOWrapper(err_buf, encoding="utf-8", errors="backslashreplace", write_through=True)
    in_text = io.TextIOWrapper(io.BytesIO(case.stdin or b""), encoding="utf-8", errors="strict")
    out: Any = out_text
    err: Any = err_text
    stdin: Any = in_text
    pass_out = True
    if case.io == "stdout-none":
        out, pass_out = None, False
    elif case.io == "stdout-full":
        out = _FullStream()
    elif case.io == "stdout-broken-pipe":
        out = _BrokenPipeStream()
    elif case.io == "stdin-none":
        stdin = None
    elif case.io == "stderr-none":
        err = None
    sys.stdin, sys.stdout, sys.stderr = stdin, out, err
    os.chdir(tmp)
    rss0 = _rss()
    _limit_memory()
    start = time.monotonic()
    try:
        outcome.code = main(argv, out=out) if pass_out else main(argv)
    except BaseException as e:  # everything that escapes main() is a finding
        _describe_exception(outcome, e)
    outcome.seconds = time.monotonic() - start
    outcome.rss_growth = max(0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - rss0)
    outcome.wrote_to_full = _FullStream.attempted
    outcome.pwned = Path(tmp, PWNED).exists()
    with contextlib.suppress(Exception):
        out_text.flush()
        err_text.flush()
    outcome.stdout = _decode(out_buf)[:CAPTURE_MAX]
    outcome.stdout_len = len(out_buf.getvalue())
    outcome.stderr = _decode(err_buf)[:CAPTURE_MAX]
    outcome.stderr_len = len(err_buf.getvalue())
    return outcome


def _run_api_here(case: ApiCase, tmp: str) -> Outcome:

    outcome = Outcome()
    os.chdir(tmp)
    sys.stdin = io.TextIOWrapper(io.BytesIO(b""), encoding="utf-8")
    err_buf = io.BytesIO()
    sys.stderr = io.TextIOWrapper(err_buf, encoding="utf-8", errors="backslashreplace", write_through=True)
    sys.stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)
    rss0 = _rss()
    _limit_memory()
    start = time.monotonic()
    try:
        result = call_api(case, tmp)
        outcome.raised = f"returned {type(result).__name__}"
    except PodfsmError as e:
        outcome.raised = f"{type(e).__name__}: {str(e)[:300]}"
    except BaseException as e:
        _describe_exception(outcome, e)
    outcome.seconds = time.monotonic() - start
    outcome.rss_growth = max(0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - rss0)
    outcome.pwned = Path(tmp, PWNED).exists()
    outcome.stderr = _decode(err_buf)[:CAPTURE_MAX]
    return outcome


_WARM_MODULES: Final = (
    "podfsm",
    "podfsm.cli",
    "podfsm.verification.verify",
    "podfsm.verification.explorer",
    "podfsm.rendering.stategraph",
    "podfsm.rendering.timeline",
    "podfsm.rendering.diagrams",
    "podfsm.verification.mutants",
    "podfsm.verification.invariants",
)
_warmed: list[bool] = []


def _warm_up() -> None:
    """Once per process: import what the commands import (or every child imports it again) and
    freeze the heap, so the children's garbage collector does not copy it page by page."""
    if _warmed:
        return
    for name in _WARM_MODULES:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    gc.collect()
    gc.freeze()
    _warmed.append(True)


def _in_child(work: Callable[[], Outcome]) -> Outcome:
    """Run ``work`` in a forked child; kill it after :data:`HARD_TIMEOUT`."""
    _warm_up()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_fd)
        try:
            try:
                outcome = work()
            except BaseException as e:
                outcome = Outcome(internal=f"harness: {type(e).__name__}: {e}")
            payload = pickle.dumps(outcome)
            with os.fdopen(write_fd, "wb") as pipe:
                pipe.write(payload)
        finally:
            os._exit(0)
    os.close(write_fd)
    chunks: list[bytes] = []
    deadline = time.monotonic() + HARD_TIMEOUT
    timed_out = False
    try:
        with os.fdopen(read_fd, "rb") as pipe:
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    timed_out = True
                    break
                ready, _, _ = select.select([pipe], [], [], left)
                if not ready:
                    continue
                chunk = os.read(pipe.fileno(), 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
    finally:  # a timeout, or the caller interrupted (Ctrl-C): leave no child behind
        if timed_out or sys.exc_info()[0] is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    if timed_out:
        return Outcome(timed_out=True, seconds=HARD_TIMEOUT)
    if os.WIFSIGNALED(status):
        return Outcome(signal=os.WTERMSIG(status))
    try:
        result: Outcome = pickle.loads(b"".join(chunks))
    except Exception as e:
        return Outcome(internal=f"harness: no result from the child ({type(e).__name__}: {e})")
    return result


def _in_process(work: Callable[[], Outcome]) -> Outcome:
    """Fallback without ``fork``: run here, restoring cwd, streams and limits afterwards."""
    saved = (os.getcwd(), sys.stdin, sys.stdout, sys.stderr, resource.getrlimit(resource.RLIMIT_AS))
    try:
        return work()
    finally:
        os.chdir(saved[0])
        sys.stdin, sys.stdout, sys.stderr = saved[1], saved[2], saved[3]
        resource.setrlimit(resource.RLIMIT_AS, saved[4])


def run_cli(case: CliCase, *, isolate: bool = True) -> Outcome:
    """Run a CLI case (in a forked child unless ``isolate`` is False or fork is missing)."""
    with _sandbox(case.files) as tmp:
        runner = _in_child if isolate and hasattr(os, "fork") else _in_process
        return runner(lambda: _run_cli_here(case, tmp))


def run_api(case: ApiCase, *, isolate: bool = True) -> Outcome:
    """Make an API call (in a forked child unless ``isolate`` is False or fork is missing)."""
    with _sandbox(case.files) as tmp:
        runner = _in_child if isolate and hasattr(os, "fork") else _in_process
        return runner(lambda: _run_api_here(case, tmp))


# ---------------------------------------------------------------------------------------------
# Verdicts
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an outcome. ``signature`` groups failures of the same cause."""

    kind: str
    detail: str
    signature: str = field(default="")

    def __str__(self) -> str:
        return f"{self.kind}: {self.detail}"


_COMMANDS: Final = frozenset({"status", "simulate", "diagram", "explore", "verify", "check-trace"})
_BIDI: Final = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def unsafe_chars(text: str, *, bidi: bool) -> str:
    """The terminal-unsafe characters in ``text``: C0/C1 controls other than newline and tab,
    DEL, and (``bidi``) the bidi overrides and isolates."""
    found = {
        c
        for c in text
        if (ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F or (bidi and c in _BIDI)
    }
    return "".join(sorted(found))


def _common_problems(outcome: Outcome, command: str) -> list[Problem]:
    problems: list[Problem] = []
    if outcome.internal:
        problems.append(Problem("harness", outcome.internal, f"harness {command}"))
    if outcome.timed_out:
        problems.append(Problem("timeout", f"killed after {HARD_TIMEOUT:.0f} s", f"timeout {command}"))
    if outcome.signal:
        problems.append(Problem("crash", f"killed by signal {outcome.signal}", f"crash {command}"))
    if outcome.error:
        kind = "memory" if outcome.error_type == "MemoryError" else "exception"
        problems.append(
            Problem(
                kind,
                f"{printable(outcome.error)} at {outcome.where}",
                f"{outcome.error_type} at {outcome.where}",
            )
        )
    if not outcome.timed_out and outcome.seconds > TIME_BUDGET:
        problems.append(Problem("slow", f"{outcome.seconds:.1f} s > {TIME_BUDGET} s", f"slow {command}"))
    if outcome.rss_growth > MEMORY_BUDGET:
        problems.append(Problem("memory", f"RSS grew {outcome.rss_growth >> 20} MiB", f"memory {command}"))
    if outcome.pwned:
        problems.append(Problem("unsafe-yaml", "a !!python tag ran code", f"unsafe-yaml {command}"))
    return problems


def cli_problems(case: CliCase, outcome: Outcome) -> list[Problem]:
    """What is wrong with a CLI outcome: escaping exceptions, exit codes outside {0, 1, 2},
    tracebacks, error output longer than one line (or :data:`STDERR_MAX`), a silent error,
    terminal control characters in the output, output lost to a full disk reported as success,
    too slow, too much memory, a YAML tag that ran. Empty: a pass."""
    command = case.argv[0] if case.argv and case.argv[0] in _COMMANDS else "<other>"
    problems = _common_problems(outcome, command)
    if outcome.timed_out or outcome.signal or outcome.internal:
        return problems
    code = outcome.code
    if not outcome.error and code not in (0, 1, 2):
        problems.append(Problem("exit-code", f"exit code {code!r}", f"exit-code {code!r} {command}"))
    if case.expect_code is not None and not outcome.error and code != case.expect_code:
        problems.append(
            Problem(
                "wrong-exit-code", f"exit {code}, expected {case.expect_code}", f"wrong-exit-code {command}"
            )
        )
    for stream, text in (("stderr", outcome.stderr), ("stdout", outcome.stdout)):
        if "Traceback (most recent call last)" in text:
            problems.append(
                Problem("traceback-text", f"a traceback on {stream}", f"traceback-text {command}")
            )
    err = outcome.stderr
    has_stderr = case.io != "stderr-none"
    if has_stderr and code not in (0, None):
        body = err[:-1] if err.endswith("\n") else err
        if "\n" in body or "\r" in body:
            first = body.splitlines()[0][:100] if body.splitlines() else ""
            problems.append(
                Problem(
                    "multi-line-stderr",
                    f"{len(body.splitlines())} lines, first {first!r}",
                    f"multi-line-stderr {command}",
                )
            )
        if not body.strip():
            problems.append(
                Problem("silent-error", f"exit {code} with nothing on stderr", f"silent-error {command}")
            )
    if outcome.stderr_len > STDERR_MAX:
        problems.append(
            Problem(
                "oversized-stderr",
                f"{outcome.stderr_len} bytes on stderr, starting {err[:100]!r}",
                f"oversized-stderr {command}",
            )
        )
    json_out = "json" in case.argv
    for stream, text, bidi in (("stderr", err, True), ("stdout", outcome.stdout, not json_out)):
        bad = unsafe_chars(text, bidi=bidi)
        if bad:
            problems.append(
                Problem(
                    "unsafe-output", f"raw {bad!r} written to {stream}", f"unsafe-output {stream} {command}"
                )
            )
    if case.io == "stdout-full" and outcome.wrote_to_full and code == 0 and not outcome.error:
        problems.append(
            Problem("lost-output", "stdout is full (ENOSPC) but the exit code is 0", f"lost-output {command}")
        )
    return problems


def api_problems(case: ApiCase, outcome: Outcome) -> list[Problem]:
    """What is wrong with an API outcome: anything raised other than a :class:`podfsm.PodfsmError`,
    too slow, too much memory, a YAML tag that ran. Empty: a pass."""
    return _common_problems(outcome, case.target)


def cli_report(case: CliCase, outcome: Outcome, problems: Sequence[Problem]) -> str:
    """A readable failure message: the case, the problems, the exit code, stderr and the traceback."""
    lines = [repr(case), *(f"  - {p}" for p in problems), f"  exit code: {outcome.code!r}"]
    if outcome.stderr:
        lines.append(f"  stderr: {_short(outcome.stderr, 600)}")
    if outcome.tb:
        lines.append(outcome.tb)
    return "\n".join(lines)


def api_report(case: ApiCase, outcome: Outcome, problems: Sequence[Problem]) -> str:
    """A readable failure message for an API case."""
    lines = [repr(case), *(f"  - {p}" for p in problems)]
    if outcome.tb:
        lines.append(outcome.tb)
    return "\n".join(lines)


def write_reproducer(directory: Path, case: CliCase | ApiCase) -> str:
    """Write the files of ``case`` into ``directory`` and return a command that replays it there."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, data in case.files:
        (directory / name).write_bytes(data)
    if isinstance(case, CliCase):
        argv = [a.replace("{tmp}", str(directory)) for a in case.argv]
        (directory / "argv.json").write_text(json.dumps(argv))
        command = "podfsm " + " ".join(_shell_quote(a) for a in argv)
        if case.stdin is not None:
            (directory / "stdin").write_bytes(case.stdin)
            command += f" < {directory / 'stdin'}"
        redirect = {"stdout-none": " >&-", "stdout-full": " > /dev/full", "stdin-none": " <&-"}
        command += redirect.get(case.io, "") + (" 2>&-" if case.io == "stderr-none" else "")
        if case.io == "stdout-broken-pipe":
            command += " | true"
        command = f"cd {directory} && {command}"
        (directory / "command.sh").write_text(command + "\n")
        return command
    (directory / "case.pickle").write_bytes(pickle.dumps(case))
    script = (
        "import pickle, sys\n"
        "from podfsm.cli import hostile\n"
        f"case = pickle.load(open({str(directory / 'case.pickle')!r}, 'rb'))\n"
        "print(case)\n"
        f"print(hostile.call_api(case, {str(directory)!r}))\n"
    )
    (directory / "repro.py").write_text(script)
    return f"python {directory / 'repro.py'}"


def _shell_quote(arg: str) -> str:
    if arg and all(c.isalnum() or c in "-_./=:{}@%+," for c in arg):
        return arg
    if all(" " <= c < "\x7f" for c in arg):
        return "'" + arg.replace("'", "'\\''") + "'"
    return "$'" + "".join(_c_escape(c) for c in arg) + "'"


def _c_escape(c: str) -> str:
    if c == "'":
        return "\\'"
    if c == "\\":
        return "\\\\"
    if " " <= c < "\x7f":
        return c
    return "".join(f"\\x{b:02x}" for b in c.encode("utf-8", "surrogatepass"))


# ---------------------------------------------------------------------------------------------
# Hypothesis strategies
# ---------------------------------------------------------------------------------------------


def cli_cases(command: str) -> st.SearchStrategy[CliCase]:
    """Hostile CLI cases for one of :data:`CLI_GENERATORS` (``status``, ``simulate``, ...)."""
    generate = CLI_GENERATORS[command]

    @st.composite
    def strategy(draw: st.DrawFn) -> CliCase:
        return generate(DrawChooser(draw))

    return strategy()


def api_cases(kind: str) -> st.SearchStrategy[ApiCase]:
    """Hostile public-API calls for one of :data:`API_GENERATORS` (``oracle``, ``simulator``, ...)."""
    generate = API_GENERATORS[kind]

    @st.composite
    def strategy(draw: st.DrawFn) -> ApiCase:
        return generate(DrawChooser(draw))

    return strategy()
