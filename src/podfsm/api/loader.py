"""Reading manifests: YAML or JSON text holding Pods, ``List``s of Pods, or workloads.

Every error is a :class:`ManifestError` whose message names the file, the object and the field
path, in one line, so the CLI can print it and exit 2 without a traceback.

Input is bounded before anything is built from it: at most :data:`MAX_INPUT_BYTES` of UTF-8
text, mappings and lists nested at most :data:`MAX_DEPTH` deep, and YAML aliases adding at most
:data:`MAX_ALIAS_EXPANSION` nodes to a stream (a "billion laughs" is refused while its nodes are
still a few dozen). YAML is read with libyaml when PyYAML has it.
"""

from __future__ import annotations

import gc
import json
import re
import reprlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from podfsm.api import Pod, SpecError, validate_pod
from podfsm.errors import ManifestError
from podfsm.textsafe import escape, replace_lone_surrogates

__all__ = [
    "MAX_ALIAS_EXPANSION",
    "MAX_DEPTH",
    "MAX_INPUT_BYTES",
    "LoadedPod",
    "format_validation_error",
    "item_lines",
    "load_documents",
    "load_pods",
    "pod_from_object",
    "read_text",
]

MAX_INPUT_BYTES = 32 * 1024 * 1024
"""The largest file (or stdin) podfsm reads: 32 MiB, ten times the API server's 3 MiB request limit.

Time and memory are linear in the input: 5 MiB of YAML Pods take 2 s and 170 MB; at worst a byte
of input costs 30 bytes of memory (32 MiB of empty JSON lists: 950 MB)."""
MAX_DEPTH = 100
"""How deep mappings and lists may nest; a Pod nests about 10 deep."""
MAX_ALIAS_EXPANSION = 100_000
"""How many nodes YAML aliases (``*name``) may add to a stream, counting each alias as the nodes it repeats."""

# Workload kinds whose pod template podfsm can run, and where the template is.
_TEMPLATE_PATHS: dict[str, tuple[str, ...]] = {
    "Deployment": ("spec", "template"),
    "ReplicaSet": ("spec", "template"),
    "ReplicationController": ("spec", "template"),
    "StatefulSet": ("spec", "template"),
    "DaemonSet": ("spec", "template"),
    "Job": ("spec", "template"),
    "CronJob": ("spec", "jobTemplate", "spec", "template"),
}

_ALIASES = f"YAML aliases (*name) repeat more than {MAX_ALIAS_EXPANSION} nodes (a billion laughs?)"
_TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep (mappings and lists); Kubernetes objects are shallow"


class _LimitError(Exception):
    """Input over one of the loader's limits; the message says which (the caller adds the file)."""


def _refuse_tag(loader: SafeConstructor, node: Node) -> Any:
    tag = node.tag.replace("tag:yaml.org,2002:", "!!")
    raise ConstructorError(
        None, None, f"unsupported tag {tag}: Kubernetes objects hold only JSON values", node.start_mark
    )


def _kubernetes_yaml(cls: Any) -> None:
    """Make a SafeLoader class keep timestamps as the RFC 3339 strings the API uses and refuse
    ``!!binary`` and ``!!set`` (bytes and sets, which no JSON output could print)."""
    cls.yaml_implicit_resolvers = {
        ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    cls.add_constructor("tag:yaml.org,2002:timestamp", SafeConstructor.construct_yaml_str)
    for tag in ("binary", "set"):
        cls.add_constructor(f"tag:yaml.org,2002:{tag}", _refuse_tag)


class _StringTimestampLoader(yaml.SafeLoader):
    """The pure-Python loader: JSON values only, timestamps as strings, nesting checked while composing."""

    _depth = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        """Compose one node, refusing before Python's recursion limit is near (the composer recurses)."""
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH + 1:  # MAX_DEPTH collections around this node, and this one
                raise _LimitError(_TOO_DEEP)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_kubernetes_yaml(_StringTimestampLoader)
_Loader: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = _StringTimestampLoader

# libyaml 0.2.5 stops at 1000 levels of nesting, so its composer (C recursion) cannot overflow the
# stack; older versions have no limit and are not used.
if yaml.__with_libyaml__ and yaml._yaml.get_version() >= (0, 2, 5):

    class _CStringTimestampLoader(yaml.CSafeLoader):
        """libyaml's parser and composer with the same constructors (about 4 times faster)."""

    _kubernetes_yaml(_CStringTimestampLoader)
    _Loader = _CStringTimestampLoader


def _check_node(root: Node, budget: list[int]) -> None:
    """Refuse a composed document that nests too deep, is recursive, or whose aliases expand too far.

    Most documents have no aliases, so their nodes form a tree: one walk over the collections
    checks the depth. A collection reached twice (an alias) hands over to :func:`_check_graph`.
    """
    if isinstance(root, ScalarNode):
        return
    seen: set[int] = set()
    stack: list[tuple[Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        key = id(node)
        if key in seen:
            _check_graph(root, budget)
            return
        seen.add(key)
        if depth > MAX_DEPTH:
            raise _LimitError(_TOO_DEEP)
        below = depth + 1
        if type(node) is MappingNode:
            for k, v in node.value:
                if type(k) is not ScalarNode:
                    stack.append((k, below))
                if type(v) is not ScalarNode:
                    stack.append((v, below))
        else:
            stack.extend((kid, below) for kid in node.value if type(kid) is not ScalarNode)


def _check_graph(root: Node, budget: list[int]) -> None:
    """:func:`_check_node` for a document with aliases: a DAG, or a cycle when an alias is inside its anchor.

    A depth-first walk visits each collection once, computing how many nodes it stands for
    expanded and its height. ``budget[0]`` is what is left of :data:`MAX_ALIAS_EXPANSION`.
    """
    size: dict[int, int] = {}  # expanded node count of each finished collection
    height: dict[int, int] = {}
    open_: set[int] = set()
    distinct = 0
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        key = id(node)
        if not leaving:
            if key in size or isinstance(node, ScalarNode):
                continue
            if key in open_:
                raise _LimitError(
                    f"line {node.start_mark.line + 1}: a YAML alias refers to a node that holds it "
                    "(a recursive structure)"
                )
            open_.add(key)
            stack.append((node, True))
            stack.extend((kid, False) for kid in _kids(node))
            continue
        open_.discard(key)
        total, tallest = 1, 0
        for kid in _kids(node):
            kid_key = id(kid)
            if kid_key in size:
                total += size[kid_key]
                tallest = max(tallest, height[kid_key])
            else:  # a scalar
                total += 1
                distinct += 1
        distinct += 1
        if tallest + 1 > MAX_DEPTH:
            raise _LimitError(_TOO_DEEP)
        size[key], height[key] = total, tallest + 1
    budget[0] -= size[id(root)] - distinct
    if budget[0] < 0:
        raise _LimitError(_ALIASES)


def _kids(node: Node) -> Iterator[Node]:
    if isinstance(node, MappingNode):
        for key, value in node.value:
            yield key
            yield value
    elif isinstance(node, SequenceNode):
        yield from node.value


_STR, _SEQ, _MAP = (f"tag:yaml.org,2002:{t}" for t in ("str", "seq", "map"))
_SPECIAL_KEYS = ("tag:yaml.org,2002:merge", "tag:yaml.org,2002:value")


def _construct(loader: SafeConstructor, root: Node) -> Any:
    """The Python value of a checked document, as ``loader.construct_document`` builds it, faster.

    Plain strings, lists and mappings are built here (the bulk of any manifest); every other
    node (numbers, booleans, nulls, merge keys ``<<``, explicit tags) by the loader's own
    constructors. The recursion is bounded: :func:`_check_node` allowed at most MAX_DEPTH levels.
    """
    built: dict[int, Any] = {}  # alias targets are built once and shared, as PyYAML does
    constructors = loader.yaml_constructors

    def build(node: Node) -> Any:
        tag = node.tag
        if type(node) is ScalarNode:
            if tag == _STR:
                return node.value
            scalar = constructors.get(tag)
            return scalar(loader, node) if scalar is not None else loader.construct_document(node)
        key = id(node)
        if key in built:
            return built[key]
        if tag == _SEQ and type(node) is SequenceNode:
            items: list[Any] = []
            built[key] = items
            items.extend([build(kid) for kid in node.value])
            return items
        if (
            tag == _MAP
            and type(node) is MappingNode
            and all(k.tag not in _SPECIAL_KEYS for k, _ in node.value)
        ):
            mapping: dict[Any, Any] = {}
            built[key] = mapping
            for key_node, value_node in node.value:
                k = build(key_node)
                if type(k) is not str:
                    try:
                        hash(k)
                    except TypeError:
                        raise ConstructorError(
                            "while constructing a mapping",
                            node.start_mark,
                            "found unhashable key",
                            key_node.start_mark,
                        ) from None
                mapping[k] = build(value_node)
            return mapping
        built[key] = value = loader.construct_document(node)
        return value

    return build(root)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building a big acyclic value (3 times faster for 5 MB).

    Every collection walks all the objects built so far, so building a large document with it
    running is quadratic-ish; nothing built here is cyclic (recursive aliases are refused).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_SCALAR_TAGS = frozenset(f"tag:yaml.org,2002:{t}" for t in ("int", "float", "bool", "null", "timestamp"))


class _Fallback(Exception):
    """Something only PyYAML's composer and constructor handle: an explicit or merge tag, a key that is a
    collection, an undefined or repeated anchor. Rare in manifests; the document is read again by nodes."""


class _Frame:
    """A mapping or list being built from events."""

    __slots__ = ("anchor", "has_key", "height", "is_map", "key", "size", "value")

    def __init__(self, is_map: bool, anchor: str | None) -> None:
        self.value: Any = {} if is_map else []
        self.is_map = is_map
        self.key: Any = None
        self.has_key = False
        self.anchor = anchor
        self.size = 1  # nodes it stands for, aliases expanded
        self.height = 1


def _values_from_events(loader: Any, budget: list[int]) -> list[Any]:
    """Every non-empty document, built straight from the parser's events, within the limits.

    No node graph is composed (that graph costs 40 bytes of memory per byte of YAML): each
    value is built as its events arrive, nesting is refused at level MAX_DEPTH + 1, and each
    alias is charged the size of what it repeats before anything is repeated. Aliases share one
    value, as PyYAML's do. Anything unusual raises :class:`_Fallback`.
    """
    get_event, resolve, constructors = loader.get_event, loader.resolve, loader.yaml_constructors
    docs: list[Any] = []
    stack: list[_Frame] = []
    anchors: dict[str, tuple[Any, int, int]] = {}  # anchor: (value, size, height)
    open_anchors: dict[str, int] = {}  # anchors of collections still being built: their line
    while True:
        event = get_event()
        kind = type(event)
        if kind is ScalarEvent:
            tag = event.tag
            if tag is None or tag == "!":
                tag = resolve(ScalarNode, event.value, event.implicit)
            if tag == _STR:
                value = event.value
            elif tag in _SCALAR_TAGS:
                node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
                value = constructors[tag](loader, node)
            else:
                raise _Fallback
            size, height = 1, 0
            if event.anchor is not None:
                if event.anchor in anchors or event.anchor in open_anchors:
                    raise _Fallback
                anchors[event.anchor] = (value, 1, 0)
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            is_map = kind is MappingStartEvent
            if event.tag not in (None, "!", _MAP if is_map else _SEQ):
                raise _Fallback
            if stack and stack[-1].is_map and not stack[-1].has_key:
                raise _Fallback  # a mapping or list as a key: unhashable
            if len(stack) >= MAX_DEPTH:
                raise _LimitError(_TOO_DEEP)
            anchor = event.anchor
            if anchor is not None:
                if anchor in anchors or anchor in open_anchors:
                    raise _Fallback
                open_anchors[anchor] = event.start_mark.line + 1
            stack.append(_Frame(is_map, anchor))
            continue
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            frame = stack.pop()
            value, size, height = frame.value, frame.size, frame.height
            if frame.anchor is not None:
                del open_anchors[frame.anchor]
                anchors[frame.anchor] = (value, size, height)
        elif kind is AliasEvent:
            if event.anchor in open_anchors:
                raise _LimitError(
                    f"line {open_anchors[event.anchor]}: a YAML alias refers to a node that holds it "
                    "(a recursive structure)"
                )
            if event.anchor not in anchors:
                raise _Fallback  # undefined: the composer words the error
            value, size, height = anchors[event.anchor]
            if height:
                if stack and stack[-1].is_map and not stack[-1].has_key:
                    raise _Fallback
                budget[0] -= size
                if budget[0] < 0:
                    raise _LimitError(_ALIASES)
                if len(stack) + height > MAX_DEPTH:
                    raise _LimitError(_TOO_DEEP)
        elif kind is StreamEndEvent:
            return docs
        else:  # stream and document start and end
            anchors.clear()
            continue
        if not stack:
            if value is not None:
                docs.append(value)
            continue
        parent = stack[-1]
        parent.size += size
        parent.height = max(parent.height, height + 1)
        if not parent.is_map:
            parent.value.append(value)
        elif parent.has_key:
            parent.value[parent.key] = value
            parent.has_key = False
        else:
            parent.key, parent.has_key = value, True


def _values_from_nodes(text: str, budget: list[int]) -> list[Any]:
    """Every non-empty document, composed as nodes, checked (:func:`_check_node`), then built."""
    loader = _Loader(text)
    out: list[Any] = []
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            _check_node(node, budget)
            if (data := _construct(loader, node)) is not None:
                out.append(data)
    finally:
        loader.dispose()
    return out


def _yaml_documents(text: str) -> list[Any]:
    """Every non-empty YAML document of ``text``, within the limits (:class:`_LimitError` if not)."""
    with _gc_paused():
        loader = _Loader(text)
        try:
            return _values_from_events(loader, [MAX_ALIAS_EXPANSION])
        except _Fallback:
            pass
        finally:
            loader.dispose()
        return _values_from_nodes(text, [MAX_ALIAS_EXPANSION])


def _item_lines_from_events(text: str) -> list[int]:
    """:func:`item_lines` from the parser's events: nothing is composed or built, so no limit applies."""
    loader = _Loader(text)
    roots: list[int] = []  # the line of each document's root
    items: list[int] | None = None  # lines of the items of the list item_lines reports
    anchor_lines: dict[str, int] = {}
    depth = 0
    root_is_map = False
    expect_key = True  # in the root mapping
    events_next = False  # the root mapping's value being read is that of an "events" key
    capturing = False  # reading the items of the root list or of the "events" list
    try:
        while True:
            event: Any = loader.get_event()
            kind = type(event)
            if kind is StreamEndEvent:
                break
            if kind not in (ScalarEvent, AliasEvent, MappingStartEvent, SequenceStartEvent):
                if kind is MappingEndEvent or kind is SequenceEndEvent:
                    depth -= 1
                    if depth == 1 and capturing and root_is_map:
                        capturing = False
                    if depth == 0:
                        capturing = False
                continue
            line = event.start_mark.line + 1
            if kind is AliasEvent:
                line = anchor_lines.get(event.anchor, line)
            elif event.anchor is not None:
                anchor_lines[event.anchor] = line
            opens = kind is MappingStartEvent or kind is SequenceStartEvent
            if depth == 0:
                roots.append(line)
                root_is_map, expect_key, events_next = kind is MappingStartEvent, True, False
                capturing = kind is SequenceStartEvent
                items = [] if capturing else None
            elif depth == 1 and root_is_map:
                if expect_key:
                    events_next = kind is ScalarEvent and event.value == "events"
                elif events_next:
                    capturing = kind is SequenceStartEvent
                    items = [] if capturing else None
                expect_key = not expect_key
            elif capturing and depth == (2 if root_is_map else 1) and items is not None:
                items.append(line)
            if opens:
                depth += 1
    finally:
        loader.dispose()
    if len(roots) != 1:
        return roots
    return items or []


@dataclass(frozen=True, slots=True)
class LoadedPod:
    """One Pod read from a manifest: the validated model, the JSON as given, and where it came from."""

    pod: Pod
    raw: dict[str, Any]
    where: str


def read_text(source: str | Path) -> tuple[str, str]:
    """``(text, display name)`` of a path, ``-`` for stdin; at most :data:`MAX_INPUT_BYTES` of UTF-8."""
    if str(source) == "-":
        name = "<stdin>"
        stdin = sys.stdin
        if stdin is None:  # the process was started with stdin closed (<&-)
            raise ManifestError(f"{name}: cannot read: stdin is closed")
        binary = getattr(stdin, "buffer", None)
        try:
            data: bytes | str = (binary or stdin).read(MAX_INPUT_BYTES + 1)
        except OSError as e:
            raise ManifestError(f"{name}: cannot read: {e.strerror or e}") from None
        except UnicodeDecodeError:
            raise ManifestError(f"{name}: not UTF-8 text, so neither YAML nor JSON") from None
    else:
        name = str(source)
        try:
            with Path(source).open("rb") as f:
                data = f.read(MAX_INPUT_BYTES + 1)
        except OSError as e:
            raise ManifestError(f"{name}: cannot read: {e.strerror or e}") from None
        except ValueError as e:  # a NUL in the path
            raise ManifestError(f"{name}: cannot read: {e}") from None
    if len(data) > MAX_INPUT_BYTES:
        raise ManifestError(f"{name}: larger than {MAX_INPUT_BYTES // 2**20} MiB, the most podfsm reads")
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ManifestError(f"{name}: not UTF-8 text, so neither YAML nor JSON") from None
    if "\r" in data:  # universal newlines, as text-mode reading had
        data = data.replace("\r\n", "\n").replace("\r", "\n")
    return data, name


def _json_too_deep(value: Any) -> bool:
    """Whether ``value`` (from json.loads, so a tree) nests lists and dicts more than MAX_DEPTH deep."""
    level = [value] if isinstance(value, dict | list) else []
    depth = 0
    while level:
        depth += 1
        if depth > MAX_DEPTH:
            return True
        below: list[Any] = []
        for v in level:
            below.extend(c for c in (v.values() if isinstance(v, dict) else v) if isinstance(c, dict | list))
        level = below
    return False


_SURROGATE_ESCAPE = re.compile(r"\\(?:u|U0000)[dD][89a-fA-F]")


def load_documents(text: str, name: str) -> list[Any]:
    """The documents in ``text``: one JSON value, or every non-empty YAML document."""
    docs = _load_documents(text, name)
    if _SURROGATE_ESCAPE.search(text):
        done: dict[int, Any] = {}
        docs = [replace_lone_surrogates(doc, done) for doc in docs]
    return docs


def _load_documents(text: str, name: str) -> list[Any]:
    """The documents in ``text``: one JSON value, or every non-empty YAML document."""
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        try:
            with _gc_paused():
                value = json.loads(text)
        except RecursionError:
            raise ManifestError(f"{name}: {_TOO_DEEP}") from None
        except ValueError:
            pass  # fall through: flow-style YAML is also allowed (and explains the error)
        else:
            if _json_too_deep(value):
                raise ManifestError(f"{name}: {_TOO_DEEP}")
            return [value]
    try:
        docs = _yaml_documents(text)
    except _LimitError as e:
        raise ManifestError(f"{name}: {e}") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        if "exceeded maximum nesting depth" in problem:  # libyaml's own limit, 1000 levels
            raise ManifestError(f"{name}: {_TOO_DEEP}") from None
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        raise ManifestError(f"{name}: not valid YAML or JSON{at}: {problem}") from None
    except ValueError as e:  # an integer longer than Python converts (sys.get_int_max_str_digits)
        raise ManifestError(f"{name}: not valid YAML or JSON: {str(e).split(':')[0]}") from None
    if not docs:
        raise ManifestError(f"{name}: no object found (the file is empty)")
    return docs


def item_lines(text: str) -> list[int]:
    """The 1-based line where each item of the script's event list starts (empty if unknown)."""
    try:
        return _item_lines_from_events(text)
    except yaml.YAMLError:
        return []


_SHOW = reprlib.Repr()
_SHOW.maxstring = _SHOW.maxother = 80
_SHOW.maxlong = 40
_SHOW.maxlevel = 3


def show(value: Any) -> str:
    """``repr(value)`` for an error message, cut short for long strings and big structures."""
    try:
        return _SHOW.repr(value)
    except ValueError:  # an int too long for str()
        return f"<{type(value).__name__}>"


def format_validation_error(err: ValidationError, prefix: str = "") -> str:
    """The first pydantic error as ``field.path[0].name: message (got value)``."""
    first = err.errors()[0]
    path = prefix
    for part in first["loc"]:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            part = escape(str(part))
            path += f".{part}" if path else part
    message = first["msg"]
    if first["type"] == "missing":
        message = "Required value"
    elif first["type"] == "extra_forbidden":
        message = "unknown field"
    else:
        message += f" (got {show(first['input'])})"
    more = len(err.errors()) - 1
    suffix = f" (and {more} more error{'s' if more > 1 else ''})" if more else ""
    return f"{path or '<root>'}: {message}{suffix}"


def _describe(obj: dict[str, Any]) -> str:
    """``Kind "name"`` of an object, ``object`` when it has no kind (names and kinds escaped)."""
    kind = obj.get("kind")
    text = escape(kind) if isinstance(kind, str) and kind else "object"
    meta = obj.get("metadata")
    name = meta.get("name") if isinstance(meta, dict) else None
    return f'{text} "{escape(name)}"' if isinstance(name, str) and name else text


def _not_a_mapping(described: str, path: str, value: Any) -> ManifestError:
    return ManifestError(f"{described}: {path}: Input should be a valid dictionary (got {show(value)})")


def _template(obj: dict[str, Any], path: tuple[str, ...], described: str) -> dict[str, Any]:
    """The pod template at ``path`` of a workload; every step must be a mapping."""
    node = obj
    for i, key in enumerate(path):
        child = node.get(key)
        if child is None:
            raise ManifestError(f"{described}: {'.'.join(path)}: Required value (the pod template)")
        if not isinstance(child, dict):
            raise _not_a_mapping(described, ".".join(path[: i + 1]), child)
        node = child
    return node


def pod_from_object(obj: Any, where: str) -> LoadedPod:
    """Validate one object as a Pod, or as a workload whose pod template becomes the Pod.

    A workload's pod template takes the workload's name (and its namespace) and the workload
    kind's own defaults: a Job's or CronJob's template must set ``restartPolicy`` OnFailure or
    Never (``ValidateJobSpec``), every other workload's must be Always.
    """
    if not isinstance(obj, dict):
        raise ManifestError(f"{where}: expected a Kubernetes object (a mapping), got {type(obj).__name__}")
    kind = obj.get("kind")
    described = f"{where}: {_describe(obj)}"
    if kind is not None and not isinstance(kind, str):
        raise ManifestError(f"{described}: kind: Input should be a valid string (got {show(kind)})")
    if kind in _TEMPLATE_PATHS:
        obj_meta = obj.get("metadata")
        if obj_meta is None:
            obj_meta = {}
        elif not isinstance(obj_meta, dict):
            raise _not_a_mapping(described, "metadata", obj_meta)
        for field in ("name", "namespace"):
            value = obj_meta.get(field)
            if field in obj_meta and not isinstance(value, str) and (field == "name" or value is not None):
                raise ManifestError(
                    f"{described}: metadata.{field}: Input should be a valid string (got {show(value)})"
                )
        template = _template(obj, _TEMPLATE_PATHS[kind], described)
        tpath = ".".join(_TEMPLATE_PATHS[kind])
        spec = template.get("spec")
        if spec is None:
            raise ManifestError(f"{described}: {tpath}.spec: Required value")
        if not isinstance(spec, dict):
            raise _not_a_mapping(described, f"{tpath}.spec", spec)
        policy = spec.get("restartPolicy")
        if kind in ("Job", "CronJob"):
            if policy not in ("OnFailure", "Never"):
                raise ManifestError(
                    f'{described}: {tpath}.spec.restartPolicy: Required value: must be "OnFailure" or "Never"'
                    f" (got {show(policy)}) (ValidateJobSpec)"
                )
        elif policy not in (None, "Always"):
            raise ManifestError(
                f"{described}: {tpath}.spec.restartPolicy: Unsupported value: {show(policy)}: "
                'supported values: "Always" (ValidatePodTemplateSpecForReplicaSet)'
            )
        template_meta = template.get("metadata")
        if template_meta is None:
            template_meta = {}
        elif not isinstance(template_meta, dict):
            raise _not_a_mapping(described, f"{tpath}.metadata", template_meta)
        meta = dict(template_meta)
        meta.setdefault("name", obj_meta.get("name", "pod"))
        if "namespace" in obj_meta:
            meta.setdefault("namespace", obj_meta["namespace"])
        raw: dict[str, Any] = {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec}
        prefix = tpath + "."
    elif kind in (None, "Pod"):
        raw, prefix = obj, ""
    else:
        raise ManifestError(
            f"{described}: kind {show(kind)} is not a Pod, a List of Pods or a workload with a pod template"
            f" ({', '.join(sorted(_TEMPLATE_PATHS))})"
        )
    try:
        pod = Pod.from_api(raw)
    except ValidationError as e:
        raise ManifestError(f"{described}: {format_validation_error(e, prefix.rstrip('.'))}") from None
    try:
        validate_pod(pod)
    except SpecError as e:
        raise ManifestError(f"{described}: {prefix}{escape(str(e))}") from None
    return LoadedPod(pod=pod, raw=raw, where=described)


def load_pods(source: str | Path, *, text: str | None = None, name: str | None = None) -> list[LoadedPod]:
    """Every Pod in a file (``-`` for stdin) or in ``text``: Pods, ``List`` items and workload templates."""
    if text is None:
        text, name = read_text(source)
    name = name or str(source)
    pods: list[LoadedPod] = []
    for d, doc in enumerate(load_documents(text, name)):
        where = name if d == 0 else f"{name} (document {d + 1})"
        if isinstance(doc, dict) and (doc.get("kind") in ("List", "PodList") or "items" in doc):
            items = doc.get("items")
            if not isinstance(items, list):
                raise ManifestError(f"{where}: List: items: expected a list of objects")
            for i, item in enumerate(items):
                pods.append(pod_from_object(item, f"{where}: items[{i}]"))
        else:
            pods.append(pod_from_object(doc, where))
    if not pods:
        raise ManifestError(f"{name}: the List holds no Pods")
    return pods
