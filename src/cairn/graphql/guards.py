"""Cheap checks at the HTTP boundary, before GraphQL sees a request.

They refuse, with a message that says how to fix it, what would fail before the service's
own validation (``services/validation.py``) could see it: bodies that are not UTF-8, JSON
nested deeper than anything accepts (``json.loads`` would raise RecursionError), integers
too long for Python to convert, an ``operationName`` that is not a string, and NUL
characters, lone surrogates or integers beyond 64 bits outside the variables (query text,
extensions), which nothing else checks. Values inside ``variables`` are left to the
service, which names the field. Ordinary requests pay for a few substring scans only.
"""

from __future__ import annotations

import json
import re
from itertools import chain
from typing import Any

import orjson

from cairn.errors import BadUserInput

# Objects and arrays, counted from the request body itself: well beyond what any field
# accepts (the service allows 64 levels in a JSON value and says so), and well within what
# json.loads (about 1,000) and the service's own walk can take.
MAX_JSON_DEPTH = 500
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
_DIGITS_19 = re.compile(r"\d{19}")
_SURROGATE = re.compile("[\ud800-\udfff]")
_BAD_TEXT = re.compile("[\x00\ud800-\udfff]")


class UnsafeJSON(BadUserInput, json.JSONDecodeError):
    """A request body Cairn refuses, with the reason and the fix.

    Also a ``JSONDecodeError``, so Strawberry's WebSocket reader closes the socket as for
    any other bad message, while the HTTP view answers BAD_USER_INPUT with this message.
    """

    def __init__(self, message: str) -> None:
        json.JSONDecodeError.__init__(self, message, "", 0)
        self.message = message

    def __reduce__(self) -> tuple[type[UnsafeJSON], tuple[str]]:
        return (UnsafeJSON, (self.message,))

    def __str__(self) -> str:
        return self.message


def decode_body(data: str | bytes) -> object:
    """``json.loads`` for request bodies, refusing what later layers would choke on."""
    if isinstance(data, bytes | bytearray):
        try:
            text = bytes(data).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise UnsafeJSON(
                f"the request body is not valid UTF-8 (bad byte at offset {exc.start}); "
                "encode the JSON as UTF-8"
            ) from None
    else:
        text = data
    try:
        value = json.loads(text)
    except RecursionError:
        raise UnsafeJSON(_too_deep("the request body")) from None
    except json.JSONDecodeError:
        raise
    except ValueError as exc:  # e.g. an integer with more than 4,300 digits
        raise UnsafeJSON(
            f"the request body could not be decoded ({exc.args[0].split(':')[0]}); "
            "integers must fit in 64 bits: send larger ones as strings"
        ) from None
    if text.count("[") + text.count("{") > MAX_JSON_DEPTH and not _depth_within(
        value, MAX_JSON_DEPTH
    ):
        raise UnsafeJSON(find_problem(value, strings=False, integers=False, nul=False) or "")
    if isinstance(value, dict):
        if not isinstance(value.get("operationName"), str | None):
            raise UnsafeJSON(
                "operationName must be a string naming one operation of the query, or null"
            )
        # Variables are the service's to judge (it names the field in its message); the
        # rest of the body (query text, operationName, extensions) is no one else's.
        envelope = {k: v for k, v in value.items() if k != "variables"}
        problem = find_problem(
            envelope,
            strings="\\u" in text,
            nul="\\u0000" in text,
            integers=_DIGITS_19.search(text) is not None,
            depth=False,
        )
        if problem is not None:
            raise UnsafeJSON(problem)
    return value


def find_problem(
    value: object,
    *,
    root: str = "",
    strings: bool = True,
    integers: bool = True,
    depth: bool = True,
    nul: bool = True,
) -> str | None:
    """The first thing in a decoded JSON value that storage cannot keep, as a message."""
    if not (strings or integers or depth or nul):
        return None
    if _clean(value, strings, integers, depth, nul):
        return None
    stack: list[tuple[object, tuple[str, ...], int]] = [(value, (), 0)]
    while stack:
        item, path, level = stack.pop()
        if isinstance(item, str):
            if strings and (problem := _text_problem(item)):
                return f"{_where(root, path)}: {problem}"
        elif isinstance(item, bool) or item is None or isinstance(item, float):
            continue
        elif isinstance(item, int):
            if integers and not INT64_MIN <= item <= INT64_MAX:
                return (
                    f"{_where(root, path)}: an integer beyond 64 bits ({item.bit_length()} "
                    "bits); integers must fit in 64 bits: send larger ones as strings"
                )
        elif isinstance(item, dict | list):
            if depth and level >= MAX_JSON_DEPTH:
                return _too_deep(_where(root, path))
            pairs = item.items() if isinstance(item, dict) else enumerate(item)
            for key, child in pairs:
                if strings and isinstance(key, str) and (problem := _text_problem(key)):
                    return f"{_where(root, path)}: a key {problem}"
                stack.append((child, (*path, str(key)), level + 1))
    return None


def _clean(value: object, strings: bool, integers: bool, depth: bool, nul: bool) -> bool:
    """The fast pass of :func:`find_problem`, mostly in C: orjson refuses integers beyond
    64 bits and lone surrogates when encoding; NUL and nesting are looked for directly."""
    if integers or strings:
        try:
            orjson.dumps(value)
        except TypeError:
            return False  # beyond 64 bits, a lone surrogate, or nesting beyond 254
    if nul and "\\u0000" in json.dumps(value, check_circular=False):
        return False  # (a false alarm on a literal backslash-u0000 costs one slow pass)
    return not depth or _depth_within(value, MAX_JSON_DEPTH)


def _depth_within(value: object, limit: int) -> bool:
    """Containers nested at most ``limit`` deep, a level at a time: the types of a whole
    level's children are collected in C, so long tables of scalars cost little."""
    level: list[Any] = [value] if isinstance(value, dict | list) else []
    for _ in range(limit):
        children = chain(
            chain.from_iterable(c for c in level if isinstance(c, list)),
            chain.from_iterable(c.values() for c in level if isinstance(c, dict)),
        )
        children_list = list(children)
        kinds = set(map(type, children_list))
        if dict not in kinds and list not in kinds:
            return True
        level = [c for c in children_list if isinstance(c, dict | list)]
    return not level


def _text_problem(text: str) -> str | None:
    if "\x00" in text:
        return (
            "must not contain NUL characters (U+0000); remove them, or send binary "
            "content with contentBase64 or uploadArtifact"
        )
    if _has_lone_surrogate(text):
        return (
            "holds a lone UTF-16 surrogate (\\ud800-\\udfff) that is not valid Unicode; "
            "send whole characters (a high surrogate followed by a low one)"
        )
    return None


def _has_lone_surrogate(text: str) -> bool:
    # Python strings hold code points; a surrogate in one is always unpaired.
    return _SURROGATE.search(text) is not None


def _where(root: str, path: tuple[str, ...]) -> str:
    parts = [root] if root else []
    parts.extend(_safe(p) for p in path)
    return ".".join(parts) or "the request body"


def _safe(segment: str) -> str:
    text = ascii(segment)[1:-1]
    return text if len(text) <= 40 else text[:37] + "..."


def _too_deep(where: str) -> str:
    return (
        f"{where}: JSON nests deeper than {MAX_JSON_DEPTH} levels of objects and arrays; "
        "flatten the value"
    )
