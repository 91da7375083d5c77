"""Showing untrusted text on one terminal line.

Names, reasons and values come from the user's files. Printed raw, a newline would split an error
or a table row in two (and could forge the next one), an ANSI escape would drive the terminal, and
a bidi control (U+202E) or a zero-width character would make the line read differently from what
it holds. :func:`escape` shows every such character as a Python-style escape instead.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from typing import Any

__all__ = [
    "LINE_MAX",
    "clip",
    "escape",
    "listing",
    "print_error",
    "render_table",
    "replace_lone_surrogates",
]

LINE_MAX = 2000
"""Characters of one error line: a value the user gave can be megabytes long; the line shows its ends."""

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_char(ch: str) -> str:
    if ch.isprintable():
        return ch
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def escape(text: str) -> str:
    """``text`` with every character Python's ``repr`` would escape shown as ``\\n``, ``\\x1b``, ``\\u202e``...

    That is every control (C0, DEL, C1: newline, carriage return, tab, escape), every format
    character (bidi controls U+202A–U+202E and U+2066–U+2069, zero-width U+200B–U+200F, U+FEFF),
    the line and paragraph separators U+2028 and U+2029, every space but U+0020, lone surrogates,
    private-use and unassigned code points. Everything else, a backslash included, is kept, so
    printable text comes back unchanged.
    """
    if text.isprintable():
        return text
    return "".join(map(_escape_char, text))


def clip(text: str, limit: int = LINE_MAX) -> str:
    """``text`` cut in the middle to at most about ``limit`` characters, saying how much was left out.

    The start of an error line names the file and the field, its end the rule; what a huge value
    puts in between is elided, so one error stays a line a person can read.
    """
    if len(text) <= limit:
        return text
    head, tail = (limit * 2) // 3, limit // 3
    return f"{text[:head]}...<{len(text) - head - tail} characters left out>...{text[-tail:]}"


def print_error(line: str) -> None:
    """Print ``line`` on stderr as one escaped, clipped line; nothing if stderr is closed or failing."""
    stream = sys.stderr
    if stream is None:  # started with stderr closed (2>&-)
        return
    try:
        stream.write(clip(escape(line)) + "\n")
        stream.flush()
    except (OSError, ValueError):
        pass


def listing(names: Sequence[str], shown: int = 10) -> str:
    """``a, b, c`` or, past ``shown`` names, ``a, b, ..., j, ... (and 990 more)``."""
    more = len(names) - shown
    return ", ".join(names[:shown]) + (f", ... (and {more} more)" if more > 0 else "")


def render_table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """Columns padded like kubectl's tabwriter (3 spaces between columns, left aligned), cells escaped."""
    cells = [[escape(str(c)) for c in header], *([escape(str(c)) for c in row] for row in rows)]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = []
    for r in cells:
        line = "   ".join(c.ljust(w) for c, w in zip(r, widths, strict=True))
        lines.append(line.rstrip())
    return "\n".join(lines) + "\n"


_SURROGATE = re.compile("[\ud800-\udfff]")


def replace_lone_surrogates(value: Any, done: dict[int, Any] | None = None) -> Any:
    """``value`` with each lone surrogate (``"\\ud800"`` in JSON) in a string or key replaced by U+FFFD.

    Go's JSON decoder does the same (``encoding/json`` Unmarshal: invalid UTF-16 surrogates become
    U+FFFD), so the API server never stores one; a lone surrogate cannot
    be written as UTF-8. ``done`` keeps values YAML aliases share shared.
    """
    if done is None:
        done = {}
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if not isinstance(value, dict | list):
        return value
    if id(value) in done:
        return done[id(value)]
    if isinstance(value, list):
        items: list[Any] = []
        done[id(value)] = items
        items.extend(replace_lone_surrogates(v, done) for v in value)
        return items
    mapping: dict[Any, Any] = {}
    done[id(value)] = mapping
    for k, v in value.items():
        mapping[replace_lone_surrogates(k, done)] = replace_lone_surrogates(v, done)
    return mapping
