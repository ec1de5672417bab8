"""bench/RESULTS.md from one run's numbers: ratios first, with the machine and the date."""

from __future__ import annotations

import os
import platform
import re
import statistics
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# Prefect 3.8.8's REST artifact API on PostgreSQL, measured on this kind of machine
# (shared/DESIGN.md section 7).


def machine() -> dict[str, str]:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kib = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem_kib = int(line.split()[1])
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "ram": f"{mem_kib / 1024 / 1024:.1f} GiB",
        "python": platform.python_version(),
    }


def _f(value: float, digits: int = 1) -> str:
    return f"{value:,.{digits}f}"


def _w1(rows: dict[int, Any]) -> list[str]:
    one, hundred = rows[1], rows[100]
    lines = [
        "## W1: nested workflows x runs x artifacts",
        "",
        "`workflows(first: N) { runs(first: 10) { artifacts(first: 10) } }`, 100 artifacts per",
        "workflow. Statements per request are counted one request at a time on warm",
        "connections; each unit of work is 3: `BEGIN ...; SET LOCAL ROLE; set_config` (one",
        "round trip), the query, `COMMIT` (the pool sends no reset query on release).",
        "",
        "| parents N | artifacts returned | statements/request | ms/request (median) | server CPU ms/request |",
        "| ---: | ---: | ---: | ---: | ---: |",
    ]
    for parents, row in rows.items():
        lines.append(
            f"| {parents} | {row['artifacts']:,} | {_f(row['statements'])} | {_f(row['ms'])} "
            f"| {_f(row['cpu_ms'])} |"
        )
    lines += [
        "",
        f"**Ratios:** statements N=100 / N=1 = **{_f(hundred['statements'] / one['statements'], 2)}** "
        f"(constant: batched per level); time N=100 / N=1 = **{_f(hundred['ms'] / one['ms'])}x** "
        f"for {hundred['artifacts'] // one['artifacts']}x the rows "
        f"({_f(hundred['ms'] / hundred['artifacts'] * 1000, 0)} µs per artifact at N=100).",
        "",
    ]
    return lines


def _w2(rows: dict[str, Any]) -> list[str]:
    lines = [
        "## W2: filter + sort + keyset page",
        "",
        f"200,000 artifacts in one organization (seeded in {_f(rows['seed_s'])} s), half of them",
        "CSV; `artifacts(filter: {type: [CSV]}, sort: S, first: 50, after: cursor)`. Page 1,000",
        "starts after row 49,950 and page 2,000 after row 99,950 (the last page); their cursors",
        "are computed in SQL and checked against the ones the API hands out.",
        "",
        "| sort | page | ms (median, interleaved) | statements | server CPU ms | reads/s (1 client) |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for sort_name, pages in rows["sorts"].items():
        for page, row in pages.items():
            lines.append(
                f"| {sort_name} | {page:,} | {_f(row['ms'])} | {_f(row['statements'])} "
                f"| {_f(row['cpu_ms'])} | {_f(row['per_s'], 0)} |"
            )
    created = rows["sorts"]["CREATED_DESC"]
    size = rows["sorts"]["SIZE_DESC"]
    raw = rows["raw"]
    lines += [
        "",
        f"**Ratios:** page 1,000 / page 1 = **{_f(created[1000]['ms'] / created[1]['ms'], 2)}** "
        f"(CREATED_DESC), **{_f(size[1000]['ms'] / size[1]['ms'], 2)}** (SIZE_DESC); "
        f"page 2,000 / page 1 = **{_f(created[2000]['ms'] / created[1]['ms'], 2)}** / "
        f"**{_f(size[2000]['ms'] / size[1]['ms'], 2)}**. Service (HTTP + GraphQL) / raw asyncpg "
        f"for the same 50 rows in the same scoped transaction: "
        f"**{_f(created[1]['ms'] / raw[1])}x** on page 1 ({_f(raw[1], 2)} ms raw), "
        f"**{_f(created[1000]['ms'] / raw[1000])}x** on page 1,000 ({_f(raw[1000], 2)} ms raw).",
        "",
    ]
    return lines


def _w4(rows: dict[str, Any]) -> list[str]:
    page, call = rows["page"], rows["call_us"]
    old, new = page["minio"], page["local"]
    plain = statistics.median([old["plain_ms"], new["plain_ms"]])
    plain_cpu = statistics.median([old["plain_cpu"], new["plain_cpu"]])
    return [
        "## W4: signed URLs on a 100-item page",
        "",
        "`artifacts(first: 100)` with and without `signedUrl { url expiresAt }`, the URLs",
        "signed by minio-py's `presigned_get_object` (old) or by `cairn.sigv4` (new: signing",
        "key cached per day, canonical request parts precomputed, the same bytes). The two",
        "paths run in alternating blocks in one server; within a block the pages with and",
        "without URLs are interleaved request by request. A URL costs (with - without) / 100,",
        "the median over the blocks. `presign_get` alone is timed in-process, 2,000 calls a",
        "batch, the paths alternating.",
        "",
        "| page of 100 | ms (median, interleaved) | server CPU ms |",
        "| --- | ---: | ---: |",
        f"| without `signedUrl` | {_f(plain)} | {_f(plain_cpu)} |",
        f"| with `signedUrl`, minio-py (old) | {_f(old['signed_ms'])} | {_f(old['signed_cpu'])} |",
        f"| with `signedUrl`, cairn.sigv4 (new) | {_f(new['signed_ms'])} | {_f(new['signed_cpu'])} |",
        "",
        "| per URL | page latency µs | server CPU µs | `presign_get` call µs |",
        "| --- | ---: | ---: | ---: |",
        f"| minio-py (old) | {_f(old['url_us'], 0)} | {_f(old['url_cpu_us'], 0)} "
        f"| {_f(call['minio'])} |",
        f"| cairn.sigv4 (new) | {_f(new['url_us'], 0)} | {_f(new['url_cpu_us'], 0)} "
        f"| {_f(call['local'])} |",
        "",
        f"**Ratios:** with / without = **{_f(old['signed_ms'] / old['plain_ms'], 2)}** "
        f"(old), **{_f(new['signed_ms'] / new['plain_ms'], 2)}** (new); one `presign_get` "
        f"call old / new = **{_f(call['minio'] / call['local'], 1)}x**; a URL's page "
        f"latency old / new = **{_f(old['url_us'] / max(new['url_us'], 0.1), 1)}x**. Of the "
        f"~{_f(new['url_cpu_us'], 0)} µs of server CPU a URL still costs, `presign_get` is "
        f"~{_f(call['local'], 0)}; the rest is the resolver and Strawberry resolving the "
        "`SignedUrl` object and its two fields.",
        "",
        *_w4_audit(rows.get("audit")),
    ]


def _w4_audit(audit: dict[str, dict[str, float]] | None) -> list[str]:
    if not audit:
        return []
    off, on = audit["unaudited"], audit["audited"]
    per_url = (on["signed_ms"] - off["signed_ms"]) * 10
    return [
        "**The audit trail's cost.** The same signed page (cairn.sigv4) with the audit trail "
        "as built (100 `url.signed` events buffered, one `INSERT ... SELECT FROM unnest` in a "
        "transaction of its own before the response) and with recording patched out (as "
        "before the audit trail), in alternating blocks, each interleaving the signed page "
        "with the plain one.",
        "",
        "| signed page of 100 | ms (median) | server CPU ms | statements |",
        "| --- | ---: | ---: | ---: |",
        f"| before (no audit) | {_f(off['signed_ms'])} | {_f(off['signed_cpu'])} "
        f"| {_f(off['statements'], 0)} |",
        f"| audited | {_f(on['signed_ms'])} | {_f(on['signed_cpu'])} | {_f(on['statements'], 0)} |",
        "",
        f"**Ratio:** audited / before = **{_f(on['signed_ms'] / off['signed_ms'], 2)}** "
        f"latency, **{_f(on['signed_cpu'] / max(off['signed_cpu'], 0.01), 2)}** server CPU "
        f"(~{_f(per_url, 0)} µs per URL; +{_f(on['statements'] - off['statements'], 0)} "
        "statements per request, the same for 1 URL or 100: BEGIN/SET ROLE/set_config, "
        "the INSERT, COMMIT). The latency is mostly that COMMIT waiting for the WAL flush "
        "(compare the server CPU): the events are durable before any URL leaves, which an "
        "asynchronous commit would not promise.",
        "",
    ]


def _w6(rows: dict[int, Any]) -> list[str]:
    few, lots = rows[10], rows[1000]
    return [
        "## W6: latest version per key",
        "",
        "`latestArtifacts(first: 50)` over 100 keys.",
        "",
        "| versions per key | rows | ms (median, interleaved) | statements | server CPU ms |",
        "| ---: | ---: | ---: | ---: | ---: |",
        *(
            f"| {per_key:,} | {row['rows']:,} | {_f(row['ms'])} | {_f(row['statements'])} "
            f"| {_f(row['cpu_ms'])} |"
            for per_key, row in rows.items()
        ),
        "",
        f"**Ratio:** 1,000 versions / 10 versions = **{_f(lots['ms'] / few['ms'], 2)}** "
        "(latest is a flag with a partial index, not a scan of the versions).",
        "",
    ]


def _w3(rows: dict[str, Any]) -> list[str]:
    lines = [
        "## W3: createArtifact (MARKDOWN)",
        "",
        "| case | creates/s | ms (median) | server CPU ms/request | statements/request |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for label, row in rows.items():
        lines.append(
            f"| {label} | {_f(row['per_s'], 0)} | {_f(row['ms'])} | {_f(row['cpu_ms'])} "
            f"| {_f(row['statements'])} |"
        )
    lines.append("")
    return lines


def _w5(rows: dict[str, Any]) -> list[str]:
    lines = [
        "## W5: uploads through the service vs a direct presigned PUT",
        "",
        "`multipart`: `uploadArtifact` (GraphQL multipart request, streamed to storage while",
        "hashed). `presigned`: `beginArtifactUpload` + PUT to storage + `completeArtifactUpload`.",
        "Peak RSS is the server process's high-water mark above its RSS before the uploads.",
        "",
        "| upload | seconds | MB/s | server CPU ms | server peak RSS delta MiB |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for label, row in rows.items():
        lines.append(
            f"| {label} | {_f(row['seconds'], 3)} | {_f(row['mb_s'])} | {_f(row['cpu_ms'])} "
            f"| {_f(row['peak_rss_delta_mib'])} |"
        )
    for size in ("1 MB", "100 MB"):
        through, direct = rows.get(f"{size} multipart"), rows.get(f"{size} presigned")
        if through and direct:
            lines.append(
                f"\n**{size}:** through the service / direct = "
                f"**{_f(through['seconds'] / direct['seconds'], 2)}x** time, "
                f"**{_f(through['cpu_ms'] / max(direct['cpu_ms'], 0.001), 1)}x** server CPU."
            )
    lines.append("")
    return lines


def _peer(results: dict[str, Any]) -> list[str]:
    """No peer figures here: the old ones compared this run with Prefect measured on another
    day at another concurrency, which is not a like-for-like ratio. Peers are to be
    measured side by side (issue 10's ``bench.peers``, not built yet)."""
    return [
        "## Against the peers",
        "",
        "Not measured side by side yet (see the end of this file): earlier figures that "
        "compared this run with Prefect measured on another day at another concurrency were "
        "removed.",
        "",
    ]


def render(results: dict[str, Any], total_s: float, load_start: float) -> str:
    info = machine()
    load_end = os.getloadavg()[0]
    lines = [
        "# Benchmark results",
        "",
        f"Measured {info['date']} by `python -m bench.run --write` in {_f(total_s, 0)} s; "
        f"1-minute load average {_f(load_start, 2)} at the start, {_f(load_end, 2)} at the end "
        "(above ~1 means other work shared the 2 cores and absolute rates are lower).",
        f"Machine: {info['nproc']} CPUs ({info['cpu']}), {info['ram']} RAM, Python "
        f"{info['python']}; embedded PostgreSQL 18 and SeaweedFS on the same machine, all on",
        "127.0.0.1. One load-generator process; the server's CPU is its own process time",
        "(PostgreSQL's and SeaweedFS's CPU is not included). The machine is shared with other",
        "work, so absolute numbers wander by tens of percent between runs. Where two variants",
        "are compared (W2, W4, W6) their requests are interleaved one by one, so that noise hits",
        "both alike; server CPU is measured per variant in runs of its own. See README.md.",
        "",
    ]
    if results:
        lines += _peer(results)
    for name, section in SECTIONS.items():
        if name in results:
            lines += section(results[name])
    return "\n".join(lines).rstrip() + "\n"


def merge(existing: str, results: dict[str, Any], total_s: float, load_start: float) -> str:
    """``existing`` RESULTS.md with the sections of ``results`` replaced (``--only ...
    --write``): each says when and under what load it was re-measured, since the header's
    date and load belong to the run that measured the rest."""
    info = machine()
    load_end = os.getloadavg()[0]
    text = existing.rstrip() + "\n"
    for name, section in SECTIONS.items():
        if name not in results:
            continue
        heading, *body = section(results[name])
        note = (
            f"_Re-measured on its own at {info['date']} by `python -m bench.run --only "
            f"{','.join(results)} --write` in {_f(total_s, 0)} s; 1-minute load average "
            f"{_f(load_start, 2)} at the start, {_f(load_end, 2)} at the end. The other "
            "sections are from the run dated at the top._"
        )
        block = "\n".join([heading, "", note, *body]).rstrip() + "\n"
        pattern = re.compile(rf"^## {name}:.*?(?=^## |\Z)", re.DOTALL | re.MULTILINE)
        found = pattern.search(text)
        if found:
            text = text[: found.start()] + block + "\n" + text[found.end() :]
        else:
            text += "\n" + block
    return text.rstrip() + "\n"


SECTIONS = {"W1": _w1, "W2": _w2, "W3": _w3, "W4": _w4, "W5": _w5, "W6": _w6}
