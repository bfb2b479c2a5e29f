"""Guard and message-checker throughput for ``make bench``.

The guard: 10,000 random requests with histories (the agreement test's generator), copied with
new ids to ``rows`` requests, checked by the batch guard on DuckDB; the peer is the single-
request path over the 10,000 originals (best of three passes, measured before the batch so that
the batch's leftovers do not weigh on it), in the same run. With ``BENCH_GUARD_PREVIOUS`` naming a
checkout of the code before the rule language, this same harness measures that checkout's code in
a child process of the same run. Each measure gives wall time and process CPU time (the machine is
shared: CPU time is the steadier of the two).
The message checker: the labelled corpus, repeated, through ``check_message``; the peer
searches every pattern once per message with none of the checker's negation, span or verdict
logic.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import ibis

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # appended: a child measuring another checkout keeps its tests
    sys.path.append(str(ROOT))

from tests.message_corpus import load as load_corpus  # noqa: E402
from tests.random_requests import as_tables, draw_requests  # noqa: E402

from duecourse.compliance.message.checker import check_message  # noqa: E402
from duecourse.compliance.message.lexicon import lexicon  # noqa: E402
from duecourse.compliance.packs import evaluate, load_pack  # noqa: E402
from duecourse.service.guard import run_guard  # noqa: E402

BASE = 10_000


def timed(fn: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def clocked(fn: Any) -> tuple[float, float, Any]:
    """Wall and process CPU time of ``fn()``, after a full collection (no garbage of earlier
    steps collected inside the measure)."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def _agree(singles: dict[str, Any], batch: dict[str, Any]) -> bool:
    return all(
        (
            o.verdict.value,
            ",".join(o.rules),
            o.next_allowed_at,
            "".join(f"{r}\n" for r in o.reasons) if "reasons" in b else None,
        )
        == (b["verdict"], b["rules"], b["next_allowed_at"], b.get("reasons"))
        for o, b in ((o, batch[f"{k}#0"]) for k, o in singles.items())
    )


def guard_times(rows: int, pack_name: str = "cn") -> dict[str, Any]:
    """The batch guard on ``rows`` requests and the single path on the 10,000 originals."""
    pack = load_pack(pack_name)
    requests = draw_requests(pack_name, BASE)
    request_table, history_table = as_tables(requests)
    con = ibis.duckdb.connect()
    base_requests = con.create_table("base_requests", request_table)
    base_history = con.create_table("base_history", history_table)
    copies = max(1, rows // BASE)
    copy = ibis.range(copies).unnest().name("copy").as_table()

    def suffixed(t: ibis.Table, *columns: str) -> ibis.Table:
        crossed = t.cross_join(copy)
        tag = ibis.literal("#").concat(crossed.copy.cast("string"))
        return crossed.mutate(**{c: crossed[c].concat(tag) for c in columns}).drop("copy")

    big_requests = con.create_table("requests", suffixed(base_requests, "request_id", "debtor_id"))
    big_history = con.create_table("history", suffixed(base_history, "debtor_id"))
    n_requests = con.to_pyarrow(big_requests.count()).as_py()
    n_history = con.to_pyarrow(big_history.count()).as_py()
    evaluate(next(iter(requests.values())), pack)  # rules compiled, checker loaded: not timed
    passes = [clocked(lambda: {k: evaluate(r, pack) for k, r in requests.items()}) for _ in "123"]
    t_single, _, singles = min(passes, key=lambda p: p[0])
    t_batch, cpu_batch, outcome = clocked(lambda: run_guard(con, big_requests, big_history, pack))
    batch = {r["request_id"]: r for r in outcome.to_pylist() if r["request_id"].endswith("#0")}
    return {
        "batch": t_batch,
        "batch_cpu": cpu_batch,
        "single": t_single,
        "single_cpu": min(p[1] for p in passes),
        "requests": n_requests,
        "history": n_history,
        "same": _agree(singles, batch),
    }


def _previous(rows: int, tree: str) -> dict[str, Any] | None:
    """The same measures of the code before the rule language, checked out at ``tree``
    (``BENCH_GUARD_PREVIOUS``), in a child process of this run."""
    here = str(Path(__file__).resolve())
    code = (
        "import importlib.util, json, sys; "
        f"sys.path[:0] = [{tree + '/src'!r}, {tree!r}]; "
        f"spec = importlib.util.spec_from_file_location('guard_harness', {here!r}); "
        "g = importlib.util.module_from_spec(spec); spec.loader.exec_module(g); "
        "import duecourse, tests.random_requests as r; "
        f"assert duecourse.__file__.startswith({tree!r}) and r.__file__.startswith({tree!r}); "
        f"print(json.dumps(g.guard_times({rows})))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        return None
    out: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return out


def guard_bench(rows: int, pack_name: str = "cn") -> list[tuple[str, str, str]]:
    now = guard_times(rows, pack_name)
    batch_rate = now["requests"] / now["batch"]
    single_rate = BASE / now["single"]
    out = [
        (
            f"batch guard (`run_guard`, pack {pack_name}) on DuckDB",
            f"{now['batch']:.1f} s (CPU {now['batch_cpu']:.1f} s)",
            f"{now['requests']:,} requests with {now['history']:,} history rows: "
            f"{batch_rate:,.0f} requests/s",
        ),
        (
            "peer — single-request path (`evaluate`), one by one, best of 3",
            f"{now['single']:.2f} s (CPU {now['single_cpu']:.2f} s)",
            f"{BASE:,} requests: {single_rate:,.0f} requests/s; the batch is "
            f"{batch_rate / single_rate:.0f}× the rate",
        ),
        (
            "batch = single on the 10,000 originals",
            "yes" if now["same"] else "NO",
            "verdict, rules, lift, reasons",
        ),
    ]
    tree = os.environ.get("BENCH_GUARD_PREVIOUS")
    before = _previous(rows, tree) if tree else None
    if before is not None:
        out += [
            (
                "before the rule language (each rule written twice), batch guard, same run",
                f"{before['batch']:.1f} s (CPU {before['batch_cpu']:.1f} s)",
                f"the rule language's batch takes {now['batch'] / before['batch']:.2f}× its wall "
                f"time, {now['batch_cpu'] / before['batch_cpu']:.2f}× its CPU time",
            ),
            (
                "before the rule language, single-request path, same run",
                f"{before['single']:.2f} s (CPU {before['single_cpu']:.2f} s)",
                f"the rule language's single path takes {now['single'] / before['single']:.2f}× "
                f"its wall time, {now['single_cpu'] / before['single_cpu']:.2f}× its CPU time",
            ),
        ]
    return out


def timed_cpu(fn: Any) -> tuple[float, float, Any]:
    """Wall time, CPU time of this process (both in s) and the result of ``fn()``."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, result


#: One abusive paragraph per language, repeated to make the huge inputs.
ABUSIVE = {
    "Chinese": "再不还钱就打断你的腿，我们天天去你公司闹，让你全家好看！你这个老赖，明天就上门。",
    "English": "You deadbeat, we will call every hour until you pay, and tell your boss. ",
}


def _repeated(unit: str, size: int) -> str:
    """``unit`` repeated to at least ``size`` bytes of UTF-8."""
    return unit * (size // len(unit.encode("utf-8")) + 1)


def message_bench(messages: int) -> list[tuple[str, str, str, str]]:
    """Rows ``(path, wall, CPU, result)``: throughput on the corpus, then huge inputs."""
    corpus = [m["text"] for m in load_corpus("development")]
    texts = (corpus * (messages // len(corpus) + 1))[:messages]
    check_message(texts[0])  # the lexicon, the model and OpenCC load once, before timing
    w_check, c_check, _ = timed_cpu(lambda: [check_message(t) for t in texts])
    w_frames, c_frames, _ = timed_cpu(lambda: [check_message(t, learned=False) for t in texts])
    categories = list(lexicon().categories.values())
    w_raw, c_raw, _ = timed_cpu(lambda: [[r.search(t) for r in categories] for t in texts])
    rows = [
        (
            "`check_message` (normalise, clauses, frames, polarity, links, learned layer, verdict)",
            f"{w_check:.2f} s",
            f"{c_check:.2f} s",
            f"{messages:,} messages of the labelled corpus: {messages / w_check:,.0f} messages/s "
            f"({messages / c_check:,.0f} per CPU second)",
        ),
        (
            "peer — the same without the learned layer",
            f"{w_frames:.2f} s",
            f"{c_frames:.2f} s",
            f"{messages / w_frames:,.0f} messages/s ({messages / c_frames:,.0f} per CPU second); "
            f"the learned layer costs {(c_check - c_frames) / c_frames:.0%} more CPU",
        ),
        (
            "peer — every lexicon category searched once, nothing else",
            f"{w_raw:.2f} s",
            f"{c_raw:.2f} s",
            f"{messages / w_raw:,.0f} messages/s; the checker takes "
            f"{c_check / c_raw:.1f}× the CPU of a bare scan of its lexicon",
        ),
    ]
    # varied text: every development message labelled a violation once, one a line
    joined = "\n".join(m["text"] for m in load_corpus("development") if m["verdict"] == "violation")
    megabytes = len(joined.encode("utf-8")) / 1e6
    wall, cpu, result = timed_cpu(lambda: check_message(joined))
    rows.append(
        (
            f"`check_message` on the development violations joined ({megabytes:.2f} MB)",
            f"{wall:.2f} s",
            f"{cpu:.2f} s",
            f"{cpu / megabytes:.2f} s CPU per MB; judged in pieces of 2,000 characters: "
            f"{result.verdict.value}, {len(result.findings) + result.omitted:,} findings",
        )
    )
    for language, unit in ABUSIVE.items():
        for megabytes in (1, 10):
            text = _repeated(unit, megabytes * 1_000_000)
            wall, cpu, result = timed_cpu(lambda text=text: check_message(text))
            rows.append(
                (
                    f"`check_message` on {megabytes} MB of abusive {language} text",
                    f"{wall:.2f} s",
                    f"{cpu:.2f} s",
                    f"{wall / megabytes:.2f} s per MB ({cpu / megabytes:.2f} s CPU); "
                    f"{len(result.findings)} findings listed, {result.omitted:,} more counted",
                )
            )
    return rows
