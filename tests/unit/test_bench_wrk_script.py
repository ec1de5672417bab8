"""bench.peers.wrk's Lua: string literals that round-trip, one wrk.format per request."""

from __future__ import annotations

import re

from bench.peers.wrk import Wire, lua_string, script


def _lua_unescape(literal: str) -> str:
    """What Lua makes of a literal written by ``lua_string`` (plain bytes and ``\\ddd``)."""
    assert literal[0] == literal[-1] == '"'
    inner = literal[1:-1]
    assert re.fullmatch(r'(?:[^"\\\n]|\\\d{3})*', inner), inner
    raw = re.sub(rb"\\(\d{3})", lambda m: bytes([int(m.group(1))]), inner.encode("ascii"))
    return raw.decode()


def test_lua_string_round_trips_quotes_brackets_and_unicode() -> None:
    value = '{"query": "{ a(x: \\"]]\\") }", "v": "é\\n\\t\'"}\n\x00[==['
    literal = lua_string(value)
    assert literal.isascii()
    assert _lua_unescape(literal) == value


def test_script_has_one_request_per_wire_and_counts_errors() -> None:
    wires = [
        Wire("POST", "/graphql", '{"query": "{ a }"}', {"authorization": "Bearer t"}),
        Wire("GET", "/api/artifacts/report-1/latest"),
    ]
    text = script(wires)
    calls = re.findall(r"wrk\.format\((.*)\),$", text, re.MULTILINE)
    assert len(calls) == 2
    assert calls[1].endswith(", {}, nil")  # a GET without body or headers
    assert f"[{lua_string('authorization')}] = {lua_string('Bearer t')}" in calls[0]
    assert "string.find(body, '\"errors\":[', 1, true)" in text
    assert "(counter % #requests) + 1" in text
