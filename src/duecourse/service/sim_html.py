"""The simulation report: one self-contained HTML file (inline SVG and CSS, no script, no
network), so it opens offline anywhere.

It shows the arms' summary, recovery curves per arm, the simulated roll-rate matrix beside the
one the model was calibrated with (as heat maps), cost by action, blocks by rule and the
difference between the arms with its interval.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from duecourse.lab.behaviour import BehaviourModel
from duecourse.lab.calibration import STATES
from duecourse.service.sim_report import Simulation

COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd")
STYLE = """
body{font-family:system-ui,'PingFang SC','Microsoft YaHei',sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:4px 8px;
text-align:right}th{background:#f4f4f4}h2{margin-top:1.6em}.note{color:#666;font-size:.9em}
"""


def _table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _curves(sim: Simulation, width: int = 640, height: int = 260) -> str:
    """Recovered so far (yuan) by day, the first replication of each arm."""
    curves = [results[0].curve for results in sim.results]
    top = max((max(c) for c in curves if c), default=0) or 1
    days = max((len(c) for c in curves), default=1)
    lines = []
    for k, (arm, curve) in enumerate(zip(sim.arms, curves, strict=True)):
        points = " ".join(
            f"{40 + (width - 60) * d / max(days - 1, 1):.1f},"
            f"{height - 30 - (height - 50) * v / top:.1f}"
            for d, v in enumerate(curve)
        )
        colour = COLOURS[k % len(COLOURS)]
        lines.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}"/>'
        )
        lines.append(f'<text x="{50 + 160 * k}" y="16" fill="{colour}">{escape(arm.name)}</text>')
    axis = (
        f'<line x1="40" y1="{height - 30}" x2="{width - 20}" y2="{height - 30}" stroke="#999"/>'
        f'<line x1="40" y1="20" x2="40" y2="{height - 30}" stroke="#999"/>'
        f'<text x="42" y="32" font-size="11">{top / 100:,.0f} 元</text>'
        f'<text x="{width - 80}" y="{height - 12}" font-size="11">第 {days} 天 day</text>'
    )
    return f'<svg width="{width}" height="{height}">{axis}{"".join(lines)}</svg>'


def _heat(matrix: list[list[float]], counts: list[int] | None) -> str:
    rows = []
    for i, row in enumerate(matrix):
        cells = []
        for p in row:
            shade = int(255 - 200 * min(max(p, 0.0), 1.0))
            cells.append(
                f'<span style="display:block;background:rgb({shade},{shade},255)">{p:.4f}</span>'
            )
        n = [f"{counts[i]:,}"] if counts is not None else []
        rows.append([STATES[i], *n, *cells])
    headers = ["从 from \\ 到 to", *(["n"] if counts is not None else []), *STATES]
    return _table(headers, rows)


def _bars(values: dict[str, float], unit: str) -> str:
    if not values:
        return '<p class="note">无 none</p>'
    top = max(values.values()) or 1
    rows = []
    for key, value in sorted(values.items(), key=lambda kv: -kv[1]):
        width = int(300 * value / top)
        bar = f'<span style="display:inline-block;background:#1f77b4;width:{width}px">&nbsp;</span>'
        rows.append([escape(key), f"{value:,.2f} {unit}", bar])
    return _table(["", unit, ""], rows)


def _difference(diff: dict[str, Any], width: int = 640) -> str:
    lo, hi, net = (float(x) for x in (*diff["ci95"], diff["net"]))
    span = max(abs(lo), abs(hi), abs(net), 1.0)

    def x(v: float) -> float:
        return width / 2 + (width / 2 - 40) * v / span

    return (
        f'<svg width="{width}" height="70"><line x1="{x(0)}" y1="5" x2="{x(0)}" y2="60" '
        f'stroke="#999" stroke-dasharray="4"/><line x1="{x(lo)}" y1="30" x2="{x(hi)}" y2="30" '
        f'stroke="#d62728" stroke-width="3"/><circle cx="{x(net)}" cy="30" r="5" fill="#d62728"/>'
        f'<text x="{x(lo)}" y="55" font-size="11">{lo:,.2f}</text>'
        f'<text x="{x(hi) - 60}" y="55" font-size="11">{hi:,.2f}</text></svg>'
    )


def gain_table(checks: list[dict[str, Any]]) -> str:
    """The ``gain_checks`` rows: what the optimiser believed, the world, the net gain."""
    return _table(
        ["检验 check", "优化器相信 optimiser believes", "世界 world", "净增益 net gain",
         "95% CI", "显著 significant"],
        [
            [
                escape(c["check"]), escape(c["optimiser_believes"]), escape(c["world"]),
                c["difference"]["net"],
                f"{c['difference']['ci95'][0]} … {c['difference']['ci95'][1]}",
                "是 yes" if c["difference"]["significant"] else "否 no",
            ]
            for c in checks
        ],
    )  # fmt: skip


def report_html(sim: Simulation, document: dict[str, Any], model: BehaviourModel) -> str:
    """The whole report as one HTML string."""
    arms = document["arms"]
    summary = _table(
        ["策略 arm", "回收 recovered", "成本 cost", "净回收 net", "95% CI", "治愈 cure",
         "投诉 complaints", "外访 visits"],
        [
            [
                escape(a["name"]), a["recovered"], a["cost"], a["net"],
                f"{a['net_ci95'][0]} … {a['net_ci95'][1]}",
                "—" if a["cure_rate"] is None else f"{a['cure_rate']:.2%}",
                f"{a['complaints']:g}", f"{a['visits']:g}",
            ]
            for a in arms
        ],
    )  # fmt: skip
    parts = [
        f"<h1>模拟报告 Simulation report</h1><p>seed {document['seed']} · "
        f"{document['accounts']:,} 账户 accounts · {document['days']} 天 days · "
        f"{document['replications']} 次重复 replications · from {document['first_day']}</p>",
        "<h2>结果 Results (元 yuan; means over replications)</h2>",
        summary,
        "<h2>回收曲线 Recovery curves</h2>",
        _curves(sim),
    ]
    if "difference" in document:
        diff = document["difference"]
        parts += [
            f"<h2>差异 Difference: {escape(diff['of'])}</h2>",
            f"<p>{diff['net']} 元 yuan; 95% CI {diff['ci95'][0]} … {diff['ci95'][1]}; "
            f"{'显著 significant' if diff['significant'] else '不显著 not significant'}; "
            f"accounts needed per arm: {diff['accounts_needed']}</p>",
            _difference(diff),
        ]
    if "gain_checks" in document:
        parts += [
            "<h2>增益三种检验 The gain three ways (optimiser − baseline, 元 yuan)</h2>",
            gain_table(document["gain_checks"]),
        ]
    if "reproduction" in document:
        parts += ["<h2>复现校准 Reproducing the calibration</h2>", _reproduction(document)]
    calibrated = [list(r) for r in model.matrices[0]]
    for name, roll in document["roll"].items():
        parts += [
            f"<h2>迁移矩阵 Roll rates — {escape(name)}: simulated vs calibrated</h2>",
            "<p>模拟 Simulated</p>",
            _heat(roll["matrix"], roll["n"]),
            "<p>校准 Calibrated (the model's first month)</p>",
            _heat(calibrated, None),
            f"<p>曾经逾期 Ever late (simulated): {escape(str(roll['ever_late']))}</p>",
        ]
    for a in arms:
        costs = {k: float(v) for k, v in a["cost_by_action"].items()}
        parts += [
            f"<h2>成本 Cost by action — {escape(a['name'])}</h2>",
            _bars(costs, "元"),
            f"<h2>拦截 Blocked by rule — {escape(a['name'])}</h2>",
            _bars({k: float(v) for k, v in a["blocked"].items()}, "次 times"),
        ]
    parts.append(
        '<p class="note">模型与参数见 docs/simulation.md; every parameter carries its source '
        "in lab/behaviour.yaml. A simulated gain is only as good as the model's lifts.</p>"
    )
    body = "\n".join(parts)
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>duecourse simulation</title><style>{STYLE}</style></head>"
        f"<body>{body}</body></html>"
    )


def write_report(
    sim: Simulation, document: dict[str, Any], model: BehaviourModel, path: Path
) -> None:
    """Write the report (aside, then renamed)."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(report_html(sim, document, model), encoding="utf-8")
    tmp.replace(path)


def _reproduction(document: dict[str, Any]) -> str:
    """The reproduction check (``reproduction_json``) as two tables and its verdict."""
    check = document["reproduction"]
    tol = check["tolerance"]
    rows = "".join(
        f"<tr><td>{escape(r['state'])}</td><td>{r['n']:,}</td><td>{r['max_gap']:.4f}</td>"
        f"<td>{_yes(r['within']) if r['checked'] else '— (fewer than 1,000)'}</td></tr>"
        for r in check["rows"]
    )
    late = "".join(
        f"<tr><td>{escape(k)}</td><td>{v['simulated']:.4f}</td><td>{v['calibrated']:.4f}</td>"
        f"<td>{v['gap']:.4f}</td><td>{_yes(v['gap'] <= tol)}</td></tr>"
        for k, v in check["ever_late"].items()
    )
    verdict = "复现 reproduced" if check["within"] else "未复现 not reproduced"
    return (
        f"<p>目标 Target: every gap ≤ {tol} — <strong>{verdict}</strong></p>"
        "<table><tr><th>状态 State</th><th>模拟迁移 Simulated transitions</th>"
        f"<th>最大差 Largest gap in its row</th><th>≤ {tol}</th></tr>{rows}</table>"
        "<table><tr><th>曾经逾期 Ever late</th><th>模拟 Simulated</th><th>校准 Calibrated</th>"
        f"<th>差 Gap</th><th>≤ {tol}</th></tr>{late}</table>"
    )


def _yes(ok: bool | None) -> str:
    return "是 yes" if ok else "否 no"
