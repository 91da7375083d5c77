"""Reading a trace: :func:`load_trace` turns what ``kubectl get pods -w`` (or a watch stream)
printed into :class:`~podfsm.traces.observations.Observation` values, each with its line number.

Formats, told apart by their first non-blank character and their shape:

* JSON: what ``kubectl get pod NAME -w -o json`` prints (pretty-printed Pod objects back to back),
  JSON lines, or a JSON array of Pods; a List's ``items``;
* watch events ``{"type": "ADDED"|"MODIFIED"|"DELETED", "object": {...}}`` (``--output-watch-events``,
  the API's ``?watch=1``): DELETED means the object was removed;
* YAML documents separated by ``---`` (``-w -o yaml``);
* text rows: NAME READY STATUS RESTARTS AGE (header optional; ``-o wide`` columns after AGE; an
  EVENT column first with ``--output-watch-events``; RESTARTS may read ``3 (10s ago)``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from podfsm.api.loader import load_documents, read_text
from podfsm.errors import ManifestError
from podfsm.textsafe import escape
from podfsm.traces.observations import Observation, ObsKind, object_observation

__all__ = ["TraceError", "load_trace", "parse_trace"]


class TraceError(ManifestError):
    """A trace file podfsm cannot read: the message names the file and the line."""


_WATCH_TYPES = frozenset({"ADDED", "MODIFIED", "DELETED", "BOOKMARK"})
_HEADER = re.compile(r"^\s*(EVENT\s+)?NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\b")
_READY = re.compile(r"^\d+/\d+$")
_AGO = re.compile(r"^\((?:[0-9a-z.]+\s+ago|<invalid>\s+ago|\S+)\)$")


def load_trace(source: str | Path) -> list[Observation]:
    """The observations in a trace file (``-``: stdin), or in trace text (a string holding a newline
    or starting with ``{``, ``[`` or ``NAME``). :class:`TraceError` names the line it cannot read."""
    if isinstance(source, str) and ("\n" in source or source.lstrip().startswith(("{", "[", "NAME"))):
        return parse_trace(source, "<text>")
    text, name = read_text(source)
    return parse_trace(text, name)


def parse_trace(text: str, name: str) -> list[Observation]:
    """The observations in ``text`` (``name`` stands for the source in errors)."""
    head = text.lstrip()
    if not head:
        raise TraceError(f"{name}: the trace is empty")
    if head[0] in "{[":
        return _json_stream(text, name)
    first = next(line for line in text.splitlines() if line.strip())
    if _HEADER.match(first) or _looks_like_row(first):
        return _rows(text, name)
    return _yaml_stream(text, name)


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _json_stream(text: str, name: str) -> list[Observation]:
    decoder = json.JSONDecoder()
    out: list[Observation] = []
    pos = 0
    n = len(text)
    while True:
        while pos < n and text[pos] in " \t\r\n":
            pos += 1
        if pos >= n:
            break
        if text[pos] == "[":  # an array: each item keeps its own line number
            pos = _json_array(text, pos, decoder, name, out)
        else:
            pos = _json_value(text, pos, decoder, name, out)
    return out


def _json_value(text: str, pos: int, decoder: json.JSONDecoder, name: str, out: list[Observation]) -> int:
    """Read the JSON value starting at ``pos`` into ``out`` (with its line); the offset after it."""
    line = _line_of(text, pos)
    try:
        value, end = decoder.raw_decode(text, pos)
    except json.JSONDecodeError as e:
        raise TraceError(f"{name}: line {_line_of(text, e.pos)}: not valid JSON: {e.msg}") from None
    except RecursionError:
        raise TraceError(f"{name}: line {line}: nested too deep") from None
    _values(value, line, name, out)
    return end


def _json_array(text: str, pos: int, decoder: json.JSONDecoder, name: str, out: list[Observation]) -> int:
    """Read the JSON array starting at ``pos``, item by item; the offset after it."""
    n = len(text)
    pos += 1
    expect_item = True
    while True:
        while pos < n and text[pos] in " \t\r\n":
            pos += 1
        if pos >= n:
            raise TraceError(f"{name}: line {_line_of(text, pos)}: not valid JSON: the array is not closed")
        if text[pos] == "]":
            return pos + 1
        if not expect_item:
            if text[pos] != ",":
                raise TraceError(f"{name}: line {_line_of(text, pos)}: not valid JSON: expected ',' or ']'")
            pos += 1
            expect_item = True
            continue
        pos = _json_value(text, pos, decoder, name, out)
        expect_item = False


def _yaml_stream(text: str, name: str) -> list[Observation]:
    out: list[Observation] = []
    line = 1
    chunk: list[str] = []
    start = 1
    for i, raw in enumerate([*text.split("\n"), "---"], start=1):
        if raw.rstrip() == "---" or raw.startswith("--- "):
            body = "\n".join(chunk)
            if body.strip():
                try:
                    docs = load_documents(body, name)
                except ManifestError as e:
                    raise TraceError(
                        f"{name}: document at line {start}: {str(e).split(': ', 1)[-1]}"
                    ) from None
                for doc in docs:
                    _values(doc, start, name, out)
            chunk = []
            start = i + 1
            continue
        chunk.append(raw)
        line = i
    del line
    return out


def _values(value: Any, line: int, name: str, out: list[Observation]) -> None:
    """Observations from one decoded value: a Pod, a watch event, a List, or an array of them."""
    if isinstance(value, list):
        for item in value:
            _values(item, line, name, out)
        return
    if not isinstance(value, Mapping):
        raise TraceError(
            f"{name}: line {line}: expected a Pod object or a watch event, got {type(value).__name__}"
        )
    if "type" in value and "object" in value and "kind" not in value:
        kind = value.get("type")
        obj = value.get("object")
        if kind not in _WATCH_TYPES or not isinstance(obj, Mapping):
            raise TraceError(
                f"{name}: line {line}: a watch event has type ADDED, MODIFIED or DELETED and an object"
                f" (got type {escape(str(kind))})"
            )
        if kind == "BOOKMARK":
            return
        o = _pod(obj, line, name)
        if kind == "DELETED":  # the object as it was last: its spec still serves as the template
            out.append(Observation(line=line, pod=o.pod, kind=ObsKind.REMOVED, obj=obj))
        else:
            out.append(o)
        return
    if value.get("kind") == "List" or ("items" in value and "kind" not in value):
        items = value.get("items")
        if not isinstance(items, list):
            raise TraceError(f"{name}: line {line}: a List has a list of items")
        _values(items, line, name, out)
        return
    out.append(_pod(value, line, name))


def _pod(obj: Mapping[str, Any], line: int, name: str) -> Observation:
    kind = obj.get("kind", "Pod")
    if kind != "Pod":
        raise TraceError(f"{name}: line {line}: expected a Pod object (got kind {escape(str(kind))})")
    meta = obj.get("metadata")
    if not isinstance(meta, Mapping) or not isinstance(meta.get("name"), str) or not meta.get("name"):
        raise TraceError(f"{name}: line {line}: a Pod in a trace needs metadata.name")
    status = obj.get("status", {})
    if status is not None and not isinstance(status, Mapping):
        raise TraceError(f"{name}: line {line}: status must be a mapping")
    return object_observation(obj, line)


def _looks_like_row(line: str) -> bool:
    parts = line.split()
    return len(parts) >= 4 and bool(_READY.match(parts[1]))


def _rows(text: str, name: str) -> list[Observation]:
    out: list[Observation] = []
    has_event = False
    for i, raw in enumerate(text.split("\n"), start=1):
        if not raw.strip():
            continue
        header = _HEADER.match(raw)
        if header:
            has_event = header.group(1) is not None
            continue
        parts = raw.split()
        event = None
        if has_event:
            event, parts = parts[0], parts[1:]
            if event not in _WATCH_TYPES:
                raise TraceError(
                    f"{name}: line {i}: EVENT is ADDED, MODIFIED or DELETED (got {escape(event)})"
                )
        if len(parts) < 4 or not _READY.match(parts[1]):
            raise TraceError(
                f"{name}: line {i}: expected a row NAME READY STATUS RESTARTS AGE (READY like 1/2): {escape(raw.strip())}"
            )
        pod, ready, status, restarts_text = parts[0], parts[1], parts[2], parts[3]
        if not restarts_text.isdigit():
            raise TraceError(
                f"{name}: line {i}: RESTARTS is a count, optionally with '(10s ago)': {escape(restarts_text)}"
            )
        restarts = int(restarts_text)
        if restarts > 2**31 - 1:
            raise TraceError(f"{name}: line {i}: RESTARTS {restarts_text} is larger than an int32")
        if event == "DELETED":
            out.append(Observation(line=i, pod=pod, kind=ObsKind.REMOVED))
        else:
            out.append(
                Observation(line=i, pod=pod, kind=ObsKind.ROW, ready=ready, status=status, restarts=restarts)
            )
    if not out:
        raise TraceError(f"{name}: the trace has a header but no rows")
    return out
