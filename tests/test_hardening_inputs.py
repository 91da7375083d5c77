"""Hostile and broken input: every bad thing a user can hand the CLI or the loader ends in exactly one
escaped line on stderr and exit code 2 (never a traceback, a hang or a memory blow-up).

Covers the loader's limits (input size, nesting depth, YAML alias expansion) on both YAML paths
(libyaml and the pure-Python fallback), :func:`podfsm.textsafe.escape` and where the CLI applies
it, and :func:`podfsm.cli.main`'s handling of closed or failing stdin, stdout and stderr.
"""

from __future__ import annotations

import errno
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from podfsm.api import loader
from podfsm.api.loader import MAX_DEPTH, item_lines, load_documents, load_pods, read_text
from podfsm.cli import commands as cli
from podfsm.errors import ManifestError
from podfsm.textsafe import escape

SRC = Path(__file__).resolve().parents[1] / "src"
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
POD = "kind: Pod\nmetadata: {name: web}\nspec: {containers: [{name: c}]}\n"
TOO_DEEP = "nested more than 100 levels deep (mappings and lists); Kubernetes objects are shallow"
ALIASES = "YAML aliases (*name) repeat more than 100000 nodes (a billion laughs?)"

# Nine levels of nine aliases: 9**9 (387 million) strings from a 500-byte file.
BILLION_LAUGHS = "".join(
    [
        'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n',
        *(f"a{k}: &a{k} [{','.join([f'*a{k - 1}'] * 9)}]\n" for k in range(1, 10)),
        "kind: Pod\nmetadata: {name: bomb, labels: *a9}\nspec: {containers: [{name: c}]}\n",
    ]
)


@pytest.fixture(params=["libyaml", "pure"])
def yaml_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Run the test with libyaml's parser, then with PyYAML's pure-Python one (podfsm's fallback)."""
    if request.param == "pure":
        monkeypatch.setattr(loader, "_Loader", loader._StringTimestampLoader)
    elif not yaml.__with_libyaml__:
        pytest.skip("PyYAML without libyaml")
    yield request.param


def _error(text: str, name: str = "in.yaml") -> str:
    with pytest.raises(ManifestError) as info:
        load_documents(text, name)
    return str(info.value)


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    out = io.StringIO()
    code = cli.main(argv, out=out)
    return code, out.getvalue(), capsys.readouterr().err


def _podfsm(shell: str, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run ``python -m podfsm ARGS`` from bash, with ``shell`` redirections (e.g. ``<&-``)."""
    return subprocess.run(
        ["bash", "-c", f'exec "$0" -m podfsm "$@" {shell}', sys.executable, *args],
        input=stdin,
        capture_output=True,
        timeout=120,
        check=False,
        env={**os.environ, "PYTHONPATH": str(SRC)},
    )


def _pods_json(tmp_path: Path, n: int) -> Path:
    items = [
        {"kind": "Pod", "metadata": {"name": f"p{i}"}, "spec": {"containers": [{"name": "c"}]}}
        for i in range(n)
    ]
    path = tmp_path / "pods.json"
    path.write_text(json.dumps({"kind": "List", "items": items}), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------
# textsafe.escape
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["web-7d4b9c6f5-x2kqp", "tick seconds=10", "héllo wörld 日本 ✓", "C:\\path 'q' \"dq\"", ""]
)
def test_escape_keeps_printable_text(text: str) -> None:
    """Printable text, backslashes and non-ASCII letters included, comes back unchanged."""
    assert escape(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a\nb", "a\\nb"),
        ("a\r\nb\tc", "a\\r\\nb\\tc"),
        ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"),
        ("\x00\x7f\x85\x9b", "\\x00\\x7f\\x85\\x9b"),
        ("abc\u202edef\u202a\u2066\u2069", "abc\\u202edef\\u202a\\u2066\\u2069"),
        ("zero\u200bwidth\u200d\ufeff", "zero\\u200bwidth\\u200d\\ufeff"),
        ("line\u2028para\u2029", "line\\u2028para\\u2029"),
        ("nbsp\u00a0", "nbsp\\xa0"),
        ("lone\ud800", "lone\\ud800"),
        ("tag\U000e0041", "tag\\U000e0041"),
    ],
)
def test_escape_renders_controls_bidi_and_invisible_characters(text: str, expected: str) -> None:
    """Controls, bidi overrides, zero-width and separator characters and lone surrogates become escapes."""
    assert escape(text) == expected


def test_escape_output_is_always_one_printable_line() -> None:
    """Over the whole BMP and some astral planes, the escaped text is printable and has no line break."""
    text = "".join(map(chr, [*range(0x10000), *range(0xE0000, 0xE0100), 0x10FFFF]))
    escaped = escape(text)
    assert escaped.isprintable()
    assert len(escaped.splitlines()) == 1


# ---------------------------------------------------------------------------------------------
# Limits: aliases, nesting depth, size (before anything is built)
# ---------------------------------------------------------------------------------------------


def test_libyaml_is_used_when_pyyaml_has_it() -> None:
    """With libyaml available the loader is a CSafeLoader, keeping timestamps as strings."""
    if not yaml.__with_libyaml__:
        pytest.skip("PyYAML without libyaml")
    assert issubclass(loader._Loader, yaml.CSafeLoader)
    assert load_documents("t: 2026-11-23T10:00:00Z\nd: 2026-11-23\n", "x") == [
        {"t": "2026-11-23T10:00:00Z", "d": "2026-11-23"}
    ]


def test_billion_laughs_is_refused(yaml_path: str) -> None:
    """Nine levels of nine aliases are refused by the expansion budget, not expanded."""
    assert _error(BILLION_LAUGHS) == f"in.yaml: {ALIASES}"


def test_billion_laughs_is_refused_before_the_rest_is_read(yaml_path: str) -> None:
    """The alias budget is charged as events arrive: the bomb is refused before a later syntax error."""
    assert _error(BILLION_LAUGHS + "broken: [\n") == f"in.yaml: {ALIASES}"


def test_billion_laughs_is_refused_on_the_node_path(yaml_path: str) -> None:
    """A merge key sends the document through PyYAML's composer; the node check refuses the bomb there too."""
    assert _error(BILLION_LAUGHS + "merged: {<<: {x: 1}}\n") == f"in.yaml: {ALIASES}"


def test_billion_laughs_does_not_reach_item_lines() -> None:
    """item_lines reads events only, so a bomb costs it nothing (and gives the documents' lines)."""
    assert item_lines(BILLION_LAUGHS) == []
    assert item_lines("- " + BILLION_LAUGHS.replace("\n", "\n  ")) == [1]


def test_modest_aliases_load_and_share(yaml_path: str) -> None:
    """Aliases within the budget load as in PyYAML: the alias is the anchored value."""
    text = "base: &c {name: c, image: nginx}\nspec: {containers: [*c, *c]}\n"
    [doc] = load_documents(text, "x")
    assert doc["spec"]["containers"] == [{"name": "c", "image": "nginx"}] * 2


def test_merge_keys_still_work(yaml_path: str) -> None:
    """``<<`` merge keys (read by PyYAML's own constructor) merge as before."""
    [doc] = load_documents("a: &x {b: 1, c: 2}\nd: {<<: *x, c: 3}\n", "x")
    assert doc["d"] == {"b": 1, "c": 3}


@pytest.mark.parametrize("text", ["a: &a [1, *a]\n", "a: &a {b: {c: *a}}\n"])
def test_recursive_alias_is_refused(yaml_path: str, text: str) -> None:
    """An alias inside its own anchor (a cycle PyYAML would build) is refused with its line."""
    expected = "in.yaml: line 1: a YAML alias refers to a node that holds it (a recursive structure)"
    assert _error(text) == expected
    assert _error(text + "m: {<<: {x: 1}}\n") == expected  # through the node path


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("[" * 100_000 + "]" * 100_000, id="JSON arrays"),
        pytest.param('{"a":' * 100_000 + "1" + "}" * 100_000, id="JSON objects"),
        pytest.param("[" * 100_000 + "]" * 100_000 + "x", id="flow YAML"),
        pytest.param("- " * 100_000 + "x\n", id="block YAML sequences"),
        pytest.param("".join(" " * i + "a:\n" for i in range(300)), id="block YAML mappings"),
    ],
)
def test_deep_nesting_is_refused(yaml_path: str, text: str) -> None:
    """100,000-deep JSON or YAML is refused in one line: no RecursionError, no stack overflow."""
    assert _error(text) == f"in.yaml: {TOO_DEEP}"


@pytest.mark.parametrize("kind", ["json", "yaml"])
def test_depth_limit_is_exact(yaml_path: str, kind: str) -> None:
    """MAX_DEPTH levels load; one more is refused."""
    suffix = "" if kind == "json" else "\n# yaml"
    ok = "[" * MAX_DEPTH + "]" * MAX_DEPTH + suffix
    value: Any = load_documents(ok, "x")[0]
    for _ in range(MAX_DEPTH - 1):
        value = value[0]
    assert value == []
    assert _error("[" + ok.replace(suffix, "") + "]" + suffix) == f"in.yaml: {TOO_DEEP}"


def test_depth_counts_what_an_alias_repeats(yaml_path: str) -> None:
    """An anchored value 60 deep, used 50 levels down, nests 110 deep: refused."""
    anchor = "[" * 60 + "]" * 60
    text = f"a: &deep {anchor}\nb: {'[' * 50}*deep{']' * 50}\n"
    assert _error(text) == f"in.yaml: {TOO_DEEP}"


def test_input_larger_than_the_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files and stdin are read up to MAX_INPUT_BYTES and refused beyond, without reading the rest."""
    monkeypatch.setattr(loader, "MAX_INPUT_BYTES", 1024 * 1024)
    path = tmp_path / "big.yaml"
    path.write_text(POD + "#" * (1024 * 1024), encoding="utf-8")
    with pytest.raises(ManifestError, match=r"big\.yaml: larger than 1 MiB, the most podfsm reads$"):
        read_text(path)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(path.read_bytes()), encoding="utf-8"))
    with pytest.raises(ManifestError, match=r"^<stdin>: larger than 1 MiB, the most podfsm reads$"):
        read_text("-")


def test_endless_stdin_is_refused_at_the_limit() -> None:
    """``podfsm status - < /dev/zero`` stops at the limit with one line and exit 2."""
    with open("/dev/zero", "rb") as zero:
        done = subprocess.run(
            [sys.executable, "-m", "podfsm", "status", "-"],
            stdin=zero,
            capture_output=True,
            timeout=120,
            check=False,
            env={**os.environ, "PYTHONPATH": str(SRC)},
        )
    assert (done.returncode, done.stdout) == (2, b"")
    assert done.stderr == b"podfsm: error: <stdin>: larger than 32 MiB, the most podfsm reads\n"


# ---------------------------------------------------------------------------------------------
# What the YAML and JSON can hold
# ---------------------------------------------------------------------------------------------

TRICKY_YAML = [
    "- 0x1F\n- 017\n- 1_000\n- 1:30\n- -1.5e3\n- .inf\n- yes\n- No\n- ~\n- ''\n- !!str 123\n- !!int '5'\n",
    "--- \n---\nx: 1\n---\n- a\n...\n",
    "1: a\n2.5: b\n~: d\n",
    "o: !!omap [a: 1, b: 2]\n= : x\n",
    "s: &s str\nt: *s\nu: [*s, *s]\nx: |\n  multi\n  line\ny: >\n  folded\n",
    "a: &x {b: 1}\nc: *x\nd: {<<: *x, e: 2}\nf: {<<: [*x, {g: 3}], b: 9}\n",
    POD,
    *(p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*/*.yaml"))),
]


@pytest.mark.parametrize("text", TRICKY_YAML)
def test_yaml_values_match_pyyaml(yaml_path: str, text: str) -> None:
    """podfsm's event builder gives what PyYAML's SafeLoader (timestamps as strings) gives."""
    expected = [d for d in yaml.load_all(text, Loader=loader._StringTimestampLoader) if d is not None]
    assert load_documents(text, "x") == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("a: !!binary aGVsbG8=\n", "unsupported tag !!binary: Kubernetes objects hold only JSON values"),
        ("a: !!set {x, y}\n", "unsupported tag !!set: Kubernetes objects hold only JSON values"),
        ("a: !custom 1\n", "could not determine a constructor for the tag '!custom'"),
        ("? [a]\n: 1\n", "found unhashable key"),
    ],
)
def test_non_json_yaml_values_are_refused(yaml_path: str, text: str, problem: str) -> None:
    """Bytes, sets and unknown tags (which JSON output could not print) are a one-line YAML error."""
    message = _error(text)
    assert message.startswith("in.yaml: not valid YAML or JSON at line ")
    assert message.endswith(problem)


def test_explicit_timestamp_tag_stays_a_string(yaml_path: str) -> None:
    """``!!timestamp`` gives the string, like an implicit timestamp."""
    assert load_documents("t: !!timestamp 2001-12-14\n", "x") == [{"t": "2001-12-14"}]


@pytest.mark.parametrize("name", ["n.json", "n.yaml"])
def test_integer_longer_than_python_converts_is_refused(tmp_path: Path, name: str) -> None:
    """A 5000-digit number is one line, not Python's ValueError."""
    text = '{"kind": "Pod", "spec": {"priority": ' + "9" * 5000 + "}}"
    if name.endswith(".yaml"):
        text = "kind: Pod\nspec: {priority: " + "9" * 5000 + "}\n"
    message = _error(text, name)
    assert (
        message
        == f"{name}: not valid YAML or JSON: Exceeds the limit (4300 digits) for integer string conversion"
    )


def test_lone_surrogates_become_replacement_characters() -> None:
    """A lone ``\\ud800`` in JSON becomes U+FFFD (as Go's decoder does), so it can be printed and drawn."""
    text = '{"kind": "Pod", "metadata": {"name": "a\\ud800b", "labels": {"\\udc00": "x"}}, "p": "\\ud83d\\ude00"}'
    [doc] = load_documents(text, "x")
    assert doc["metadata"] == {"name": "a\ufffdb", "labels": {"\ufffd": "x"}}
    assert doc["p"] == "\U0001f600"


def test_byte_order_mark_and_crlf(tmp_path: Path) -> None:
    """A UTF-8 byte order mark is skipped and CRLF line ends read as LF, as text mode did."""
    path = tmp_path / "p.json"
    path.write_bytes(
        b'\xef\xbb\xbf{"kind": "Pod", "metadata": {"name": "bom"}, "spec": {"containers": [{"name": "c"}]}}'
    )
    assert load_pods(path)[0].pod.metadata.name == "bom"
    path = tmp_path / "p.yaml"
    path.write_bytes(POD.replace("\n", "\r\n").encode())
    assert read_text(path)[0] == POD


# ---------------------------------------------------------------------------------------------
# The CLI: one escaped line, exit 2
# ---------------------------------------------------------------------------------------------


def test_alias_bomb_through_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`podfsm status bomb.yaml` exits 2 with one line."""
    path = tmp_path / "bomb.yaml"
    path.write_text(BILLION_LAUGHS, encoding="utf-8")
    assert _run(["status", str(path)], capsys) == (2, "", f"podfsm: error: {path}: {ALIASES}\n")


@pytest.mark.parametrize("now", ["2026-11-23", "2026-11-23T10:06:00", "2026-11-23 10:06:00Z", "now"])
def test_now_must_be_a_full_rfc3339_date_time(capsys: pytest.CaptureFixture[str], now: str) -> None:
    """``--now`` refuses a date alone, a missing offset or a space, as metav1.Time would."""
    code, out, err = _run(["status", str(EXAMPLES / "status" / "pods.json"), "--now", now], capsys)
    assert (code, out) == (2, "")
    assert err == (
        f"podfsm status: error: argument --now: not an RFC 3339 date-time: {now!r}"
        " (a date, T, a time and Z or an offset: 2026-11-23T10:06:00Z)\n"
    )


def test_now_accepts_offsets_and_fractions(capsys: pytest.CaptureFixture[str]) -> None:
    """``--now`` with an offset and fractional seconds gives the same ages as the same instant in Z."""
    pods = str(EXAMPLES / "status" / "pods.json")
    expected = _run(["status", pods, "--now", "2026-11-23T10:06:00Z"], capsys)
    assert _run(["status", pods, "--now", "2026-11-23T11:06:00.000+01:00"], capsys) == expected


def test_error_lines_escape_what_the_input_says(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file name and a pod name full of control characters still give exactly one line."""
    path = tmp_path / "bad\nname\x1b[2J.json"
    path.write_text(
        json.dumps({"kind": "Pod", "metadata": {"name": "x\r\ny\u202e"}, "spec": {}}), encoding="utf-8"
    )
    code, out, err = _run(["status", str(path)], capsys)
    assert (code, out) == (2, "")
    assert (
        err == f'podfsm: error: {escape(str(path))}: Pod "x\\r\\ny\\u202e": spec.containers: Required value\n'
    )


def test_argparse_errors_are_escaped(capsys: pytest.CaptureFixture[str]) -> None:
    """An unrecognized argument with a newline and an escape is echoed escaped, on one line."""
    code, out, err = _run(["status", "x.yaml", "extra\n\x1b[31m"], capsys)
    assert (code, out, err) == (2, "", "podfsm: error: unrecognized arguments: extra\\n\\x1b[31m\n")


def test_status_table_escapes_names_and_reasons(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A pod name or a reason cannot split a row or forge one: each pod is one row."""
    pod = {
        "kind": "Pod",
        "metadata": {"name": "evil\nweb   1/1   Running\u202e"},
        "spec": {"containers": [{"name": "c"}]},
        "status": {"phase": "Running", "reason": "X\r\x1b[2JY"},
    }
    path = tmp_path / "evil.json"
    path.write_text(json.dumps(pod), encoding="utf-8")
    code, out, err = _run(["status", str(path)], capsys)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "NAME                              READY   STATUS        RESTARTS   PHASE",
        "evil\\nweb   1/1   Running\\u202e   0/1     X\\r\\x1b[2JY   0          Pending",
    ]


def test_simulate_table_escapes_name_and_event(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The NAME and EVENT cells of `podfsm simulate` are escaped: one row per step, no terminal control."""
    pod_file = tmp_path / "pod.yaml"
    pod_file.write_text('kind: Pod\nmetadata: {name: "p\\e]0;title\\a"}\nspec: {containers: [{name: c}]}\n')
    script = tmp_path / "script.yaml"
    script.write_text('- {event: schedule, node: "n\\n0s     p     1/1     Running     0     forged"}\n')
    code, out, err = _run(["simulate", str(pod_file), str(script)], capsys)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "TIME   NAME                READY   STATUS              RESTARTS   EVENT",
        "0s     p\\x1b]0;title\\x07   0/1     ContainerCreating   0          "
        "schedule node=n\\n0s     p     1/1     Running     0     forged",
    ]


def test_internal_errors_are_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An exception podfsm does not expect prints one `internal error` line (escaped) and exits 2."""

    def boom(args: object, out: object) -> int:
        raise KeyError("bo\nom")

    monkeypatch.setattr(cli, "_cmd_status", boom)
    assert _run(["status", "x"], capsys) == (
        2,
        "",
        "podfsm: internal error: KeyError: 'bo\\nom' (please report)\n",
    )


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (RecursionError("maximum recursion depth exceeded"), "the input is nested too deeply to process"),
        (MemoryError(), "out of memory: the input is too large"),
    ],
)
def test_recursion_and_memory_errors_are_bad_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], error: BaseException, message: str
) -> None:
    """RecursionError and MemoryError from input processing exit 2 with one line, not a traceback."""

    def fail(source: object) -> None:
        raise error

    monkeypatch.setattr(cli, "load_pods", fail)
    assert _run(["status", "x"], capsys) == (2, "", f"podfsm: error: {message}\n")


# ---------------------------------------------------------------------------------------------
# Closed and failing streams
# ---------------------------------------------------------------------------------------------


class _FailingStream(io.StringIO):
    """A stdout whose every write fails with ``error``."""

    def __init__(self, error: OSError) -> None:
        super().__init__()
        self.error = error

    def write(self, text: str) -> int:
        raise self.error


def test_closed_stdin_in_process(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """With stdin closed at start (sys.stdin is None), `status -` exits 2 with one line."""
    monkeypatch.setattr(sys, "stdin", None)
    assert _run(["status", "-"], capsys) == (2, "", "podfsm: error: <stdin>: cannot read: stdin is closed\n")


def test_invalid_utf8_stdin_in_process(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Bytes that are not UTF-8 on stdin are refused like a file's."""
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"kind: Pod\nname: \xff\n")))
    expected = "podfsm: error: <stdin>: not UTF-8 text, so neither YAML nor JSON\n"
    assert _run(["status", "-"], capsys) == (2, "", expected)


def test_closed_stdout_in_process(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """With stdout closed at start (sys.stdout is None), main exits 2 with one line on stderr."""
    monkeypatch.setattr(sys, "stdout", None)
    code = cli.main(["status", str(EXAMPLES / "status" / "pods.json")])
    assert (code, capsys.readouterr().err) == (
        2,
        "podfsm: error: cannot write the output: stdout is closed\n",
    )


def test_full_disk_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    """A write failing with ENOSPC exits 2 with one line."""
    out = _FailingStream(OSError(errno.ENOSPC, "No space left on device"))
    code = cli.main(["status", str(EXAMPLES / "status" / "pods.json")], out=out)
    assert (code, capsys.readouterr().err) == (
        2,
        "podfsm: error: cannot write the output: No space left on device\n",
    )


def test_broken_pipe_in_process_is_quiet(capsys: pytest.CaptureFixture[str]) -> None:
    """A reader that went away (EPIPE) ends the run quietly with exit 0."""
    out = _FailingStream(BrokenPipeError(errno.EPIPE, "Broken pipe"))
    code = cli.main(["status", str(EXAMPLES / "status" / "pods.json")], out=out)
    assert (code, capsys.readouterr().err) == (0, "")


def test_unencodable_output_is_escaped(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """On an ASCII-only stdout a non-ASCII pod name is written as an escape, not a UnicodeEncodeError."""
    path = tmp_path / "p.json"
    path.write_text(
        json.dumps({"kind": "Pod", "metadata": {"name": "café"}, "spec": {"containers": [{"name": "c"}]}})
    )
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="ascii")
    assert cli.main(["status", str(path)], out=out) == 0
    out.flush()
    assert raw.getvalue().decode("ascii").splitlines()[1].startswith("caf\\xe9   0/1")


def test_closed_stdin_subprocess() -> None:
    """`podfsm status - <&-`: exit 2, one line, no traceback."""
    done = _podfsm("<&-", "status", "-")
    assert (done.returncode, done.stdout, done.stderr) == (
        2,
        b"",
        b"podfsm: error: <stdin>: cannot read: stdin is closed\n",
    )


def test_closed_stdout_subprocess() -> None:
    """`podfsm status pods.json >&-`: exit 2, one line, no "Exception ignored" at exit."""
    done = _podfsm(">&-", "status", str(EXAMPLES / "status" / "pods.json"))
    assert (done.returncode, done.stderr) == (
        2,
        b"podfsm: error: cannot write the output: stdout is closed\n",
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
@pytest.mark.parametrize(
    "argv",
    [
        ["status", str(EXAMPLES / "status" / "pods.json")],
        [
            "simulate",
            str(EXAMPLES / "nginx" / "pod.yaml"),
            str(EXAMPLES / "nginx" / "script.yaml"),
            "-o",
            "json",
        ],
        ["--help"],
    ],
)
def test_full_disk_subprocess(argv: list[str]) -> None:
    """Output to /dev/full: exit 2 and one line, whether the failure shows on a write or on the final flush."""
    done = _podfsm("> /dev/full", *argv)
    assert (done.returncode, done.stdout) == (2, b"")
    assert done.stderr == b"podfsm: error: cannot write the output: No space left on device\n"


def test_invalid_utf8_stdin_subprocess() -> None:
    """Invalid UTF-8 piped to `podfsm status -`: exit 2 and one line."""
    done = _podfsm("", "status", "-", stdin=b"kind: Pod\nmetadata: {name: \xff\xfe}\n")
    assert (done.returncode, done.stdout) == (2, b"")
    assert done.stderr == b"podfsm: error: <stdin>: not UTF-8 text, so neither YAML nor JSON\n"


def test_closed_stderr_subprocess() -> None:
    """With stderr closed the exit code still says what happened."""
    done = _podfsm("2>&-", "status", "/nonexistent.yaml")
    assert (done.returncode, done.stdout) == (2, b"")


def test_broken_pipe_subprocess_is_quiet(tmp_path: Path) -> None:
    """`podfsm status big.json | head -1`: exit 0 and nothing on stderr (no "Exception ignored")."""
    path = _pods_json(tmp_path, 4000)
    with subprocess.Popen(
        [sys.executable, "-m", "podfsm", "status", "-o", "json", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(SRC)},
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        assert json.loads(proc.stdout.readline())["name"] == "p0"
        proc.stdout.close()
        err = proc.stderr.read()
        assert proc.wait(timeout=120) == 0
    assert err == b""
