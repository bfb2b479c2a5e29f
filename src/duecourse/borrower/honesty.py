"""The honesty rules of the borrower's pages and letters (``reference/borrower-law.md`` D5–D7,
E1, E4, B32–B35), as coded bilingual texts and the pure decisions that pick them.

The repayment-plan notes (``NOT_A_RIGHT``, ``LIMITATION``, ``CREDIT_RECORD``) are defined once in
``domain/repayment/texts.py`` and reused here.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from duecourse.domain.repayment.texts import CREDIT_RECORD, LIMITATION, NOT_A_RIGHT, Text

__all__ = [
    "CREDIT_RECORD",
    "LAWFUL_VISIT",
    "LIMITATION",
    "NOT_A_RIGHT",
    "OFFICIAL_FREE",
    "LimitationRisk",
    "credit_relief",
    "limitation_risk",
    "time_barred_warning",
]

#: The general limitation period (Civil Code art. 188).
LIMITATION_YEARS = 3
#: A debt whose period ends within this many days is treated as possibly time-barred already:
#: the dates a borrower remembers are rarely exact, and art. 188 runs from when the creditor
#: knew, which the borrower cannot see.
LIMITATION_MARGIN_DAYS = 90


class LimitationRisk(StrEnum):
    """Whether a letter that acknowledges the debt could give up a limitation defence."""

    CLEAR = "clear"  # the last payment, demand or due date is well within 3 years
    POSSIBLY_BARRED = "possibly_barred"  # 3 years have passed, or nearly
    UNKNOWN = "unknown"  # no date given: it cannot be told


def limitation_risk(last_activity: date | None, today: date) -> LimitationRisk:
    """The risk, from the latest of: the last instalment's due date (art. 189), the last payment
    or acknowledgement, the lender's last demand (art. 195); ``None`` when none is known."""
    if last_activity is None:
        return LimitationRisk.UNKNOWN
    ends = last_activity + relativedelta(years=LIMITATION_YEARS)
    if today >= ends - relativedelta(days=LIMITATION_MARGIN_DAYS):
        return LimitationRisk.POSSIBLY_BARRED
    return LimitationRisk.CLEAR


def time_barred_warning(risk: LimitationRisk) -> Text | None:
    """The warning shown before a letter that acknowledges the debt; ``None`` when clear."""
    if risk is LimitationRisk.CLEAR:
        return None
    if risk is LimitationRisk.UNKNOWN:
        zh = (
            "你没有填写最后一次还款、催收或到期的日期，无法判断这笔债务是否已过诉讼时效。"
            "协商还款申请会承认债务：如果已过时效，寄出后就不能再以时效为由拒绝还款；"
            "未过时效的，时效重新计算。可以先改寄“信息核对函”，只要求对方提供合同和欠款明细。"
        )
        en = (
            "You gave no date of your last payment, demand or due date, so it cannot be told "
            "whether this debt is time-barred. A negotiation request admits the debt: if it is "
            "time-barred, sending it gives up the defence; if not, the period starts again. You "
            "can send an information request first, asking only for the contract and a statement."
        )
    else:
        zh = (
            "最后一次还款、催收或到期距今已近或超过 3 年，这笔债务可能已过诉讼时效。"
            "协商还款申请会承认债务：寄出后就不能再以时效为由拒绝还款（《民法典》第一百九十二条、"
            "第一百九十五条）。寄出前请咨询律师或法律援助（12348），或先改寄“信息核对函”。"
        )
        en = (
            "Your last payment, demand or due date is nearly or more than 3 years ago: this "
            "debt may be time-barred. A negotiation request admits the debt, and sending it "
            "gives up the limitation defence (Civil Code arts. 192, 195). Before sending it, "
            "ask a lawyer or legal aid (12348), or send an information request instead."
        )
    return Text("TIME_BARRED_WARNING", zh, en)


LAWFUL_VISIT = Text(
    "LAWFUL_VISIT",
    "上门催收本身并不违法：白天、至少两人、出示证件和授权、在门口或约定地点进行的上门是合法的。"
    "未经你同意，任何人不得进入你的住宅（《民法典》第一千零三十三条）；"
    "对方坚持进入时可以拨打 110。",
    "A collection visit is not unlawful in itself: a visit in the daytime, by at least two "
    "collectors showing ID and authorisation, at the door or an agreed place, is lawful. Nobody "
    "may enter your home without your consent (Civil Code art. 1033); if they insist, call 110.",
)
OFFICIAL_FREE = Text(
    "OFFICIAL_FREE",
    "所有官方投诉渠道（出借人客服、12378、12363、110）都是免费的；不要付钱给承诺“停息挂账”"
    "“征信修复”或“代理投诉”的中介。",
    "Every official channel (the lender's customer service, 12378, 12363, 110) is free; do not "
    "pay intermediaries who promise interest freezes, credit repair or complaints on your behalf.",
)

#: The PBOC's one-off relief (announced 2025-12-22, borrower-law.md B34): records of single
#: overdue amounts up to 10,000 yuan dated 2020-01-01..2025-12-31 are no longer shown once the
#: debt is repaid in full by 2026-03-31. Shown only while that deadline has not passed.
RELIEF_LAST_DAY = date(2026, 3, 31)


def credit_relief(today: date) -> Text | None:
    """The one-off relief note, while it applies; ``None`` afterwards."""
    if today > RELIEF_LAST_DAY:
        return None
    return Text(
        "CREDIT_RELIEF_2025",
        "中国人民银行一次性信用修复政策：2020 年 1 月 1 日至 2025 年 12 月 31 日期间单笔金额不超过"
        " 1 万元的个人逾期记录，如在 2026 年 3 月 31 日前足额还清，将不再展示。"
        "无需申请，不收任何费用；向你收钱的都是诈骗。",
        "The PBOC's one-off relief: personal overdue records dated 2020-01-01 to 2025-12-31 of "
        "at most 10,000 yuan each are no longer shown if the debt is repaid in full by "
        "2026-03-31. No application and no fee: anyone asking for money is a fraudster.",
    )
