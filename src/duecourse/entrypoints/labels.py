"""User-facing labels: Chinese first, English beside it."""

from __future__ import annotations

from duecourse.strategy.actions import ACTIONS

LABELS: dict[str, str] = {
    "bank": "银行 bank",
    "consumer_finance": "消费金融 consumer finance",
    "small_loan": "小贷 small loan",
    "online_platform": "网贷平台 online platform",
    "reachable": "可联 reachable",
    "unresponsive": "未接通 unresponsive",
    "lost": "失联 lost",
    "lender_type": "机构类型 Lender type",
    "total": "合计 Total",
    "accounts": "账户数 Accounts",
    "past_due": "逾期账户 Past due",
    "amount_overdue": "逾期金额 Amount overdue (CNY)",
    "contact": "联系状态 Contact",
    "planned": "已计划 planned",
    "cadence": "频次暂缓 held by cadence",
    "blocked": "合规拦截 blocked by the pack",
    "deferred": "合规延后 deferred by the pack",
    "review": "待人工复核 needs review",
    "compliant": "合规 compliant",
    "pressure": "施压（合法）pressure, lawful",
    "violation": "违规 violation",
    "suspected_scam": "疑似诈骗 suspected scam",
}


def label(key: str) -> str:
    """The bilingual label of ``key`` (the key itself when there is none)."""
    return LABELS.get(key, key)


def action_label(action: str) -> str:
    """The bilingual name of an action from the catalogue."""
    known = ACTIONS.get(action)
    return known.label if known else action
