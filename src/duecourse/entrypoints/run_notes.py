"""What ``duecourse run`` says about the stored runs it read and what it wrote (bilingual)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from duecourse.service.stored_runs import StoredRuns
from duecourse.strategy.optimiser import Assignment


def run_notes(
    day: date, runs: StoredRuns, what_if: bool, catch_up_days: int, accounts: int
) -> list[str]:
    """One line per fact a user should know about this run, Chinese first, English beside."""
    notes = []
    if accounts == 0:
        notes.append(
            f"{day} 时尚无已放款的贷款，计划为空 · No loan was lent by {day}: the plan is empty"
        )
    if runs.catch_up is not None:
        notes.append(
            f"跳档比较 {runs.catch_up} 的计划（{catch_up_days} 天内）"
            f" · bucket_jump compares with the plan of {runs.catch_up}"
            f" (within {catch_up_days} days)"
        )
    else:
        notes.append(
            f"{day} 之前 {catch_up_days} 天内没有已存计划，bucket_jump 为 0"
            f" · No stored plan in the {catch_up_days} days before {day}: bucket_jump is 0"
        )
    if what_if:
        notes.append("假设运行：未写入存储 · What-if run: nothing was written to the store")
        return notes
    if runs.backfill(day):
        notes.append(
            f"补跑 {day}：存储中已有更晚的 {runs.latest} 的计划，不受影响"
            f" · Backfill of {day}: the store holds later plans (up to {runs.latest});"
            " they are kept as they are"
        )
    if runs.replaces:
        notes.append(f"重跑 {day}：替换当天已存计划 · Rerun of {day}: its stored plan is replaced")
    return notes


def optimiser_notes(results: Mapping[str, Assignment]) -> list[str]:
    """Per optimiser arm: its objective against the greedy baseline and the LP bound, and the
    shadow price of each capacity that binds (yuan per unit)."""
    notes = []
    for arm, r in results.items():
        prices = "; ".join(
            f"{name} {price / 100:,.2f} 元"
            for name, price in zip(r.names, r.shadow_prices, strict=True)
            if price > 0
        )
        notes.append(
            f"优化器（{arm}）：预期净回收 {r.objective / 100:,.2f} 元（{r.method}），"
            f"贪心 {r.greedy_objective / 100:,.2f} 元，LP 上界 {r.lp_bound / 100:,.2f} 元"
            f" · Optimiser ({arm}): expected net {r.objective / 100:,.2f} yuan ({r.method}),"
            f" greedy {r.greedy_objective / 100:,.2f}, LP bound {r.lp_bound / 100:,.2f}"
        )
        notes.append(f"影子价格（每多一单位）· Shadow prices (one more unit): {prices or '—'}")
    return notes
