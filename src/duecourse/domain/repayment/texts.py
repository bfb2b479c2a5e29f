"""What a plan result tells its reader, Chinese first with English beside it.

The honesty notes follow ``reference/borrower-law.md`` D5–D7: a plan is discretionary (art. 70
of the 2011 credit-card rules says the bank *may* agree), agreeing restarts the limitation period
(Civil Code arts. 189, 192, 195), and a plan erases no credit record (征信业管理条例 art. 16).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Text:
    """A coded, bilingual sentence."""

    code: str
    zh: str
    en: str

    def __str__(self) -> str:
        return f"{self.zh} {self.en}"


def pct(share: Decimal) -> str:
    """A fraction as a percentage with up to four places, e.g. ``0.24`` → ``24%``."""
    text = f"{share * 100:.4f}".rstrip("0").rstrip(".")
    return f"{text}%"


NOT_A_RIGHT = Text(
    "NOT_A_RIGHT",
    "分期还款、延期和减免是出借人可以同意的安排，不是借款人的权利；出借人可以拒绝"
    "（《商业银行信用卡业务监督管理办法》第七十条用的是“可以”协商）。",
    "An instalment plan, deferral or discount is something the lender MAY agree to, not a "
    "borrower's right; the lender may refuse (art. 70 of the credit-card rules says the bank "
    "'may' negotiate).",
)
NOT_BINDING = Text(
    "NOT_BINDING",
    "“接受”只表示方案在本出借人的规则之内；双方签署书面协议后才生效，请保留协议原件。",
    "'accepted' only means the plan is within this lender's guardrails; it binds nobody until "
    "both sides sign written terms. Keep a copy.",
)
LIMITATION = Text(
    "LIMITATION",
    "同意还款计划即同意履行债务，诉讼时效重新起算（分期债务自最后一期到期日起算）；如债务"
    "可能已过诉讼时效，同意还款会失去时效抗辩（《民法典》第一百八十九、一百九十二、一百九十五条）。",
    "Agreeing a plan is agreeing to pay: the limitation period starts again (for instalments, "
    "from the last due date); if the debt may be time-barred, agreeing to pay gives up that "
    "defence (Civil Code arts. 189, 192, 195).",
)
CREDIT_RECORD = Text(
    "CREDIT_RECORD",
    "还款计划不会删除已有的逾期记录；不良记录自结清之日起保存 5 年。任何收费“征信修复”都是骗局。",
    "A plan does not erase past overdue records; they are kept 5 years from settlement. Any "
    "paid 'credit repair' is a scam.",
)
CARRY_INTEREST = Text(
    "CARRY_INTEREST",
    "罚息或费用被并入分期本金后会按计划利率计息；信用卡违约金和费用依规不得计收利息。",
    "Penalty or fees carried into the plan's principal bear the plan's interest; for credit "
    "cards, interest on penalties and fees is not allowed.",
)


def settlement(forgiven: Decimal, total: Decimal) -> Text:
    """The discount stated, and what to ask for in writing (borrower-law.md D3)."""
    return Text(
        "SETTLEMENT",
        f"减免金额 {forgiven:,.2f} 元。请要求出借人书面确认：按计划付清共 {total:,.2f} 元"
        "（首付和各期）即结清全部债务，并出具结清证明。",
        f"Amount forgiven: {forgiven:,.2f} yuan. Ask the lender to confirm in writing that paying "
        f"the plan's {total:,.2f} yuan in all (down payment and every instalment) settles the "
        "whole debt, and for a settlement certificate.",
    )


def deferral(months: int, interest: Decimal, treatment: str) -> Text:
    how = {
        "waive": ("免收", "is waived"),
        "carry": ("并入分期本金", "is added to the plan's principal"),
        "enforce": ("随第一期单独支付", "is due separately with the first instalment"),
    }[treatment]
    return Text(
        "DEFERRAL",
        f"延期 {months} 个月，其间利息 {interest:,.2f} 元{how[0]}。",
        f"Deferral of {months} month{'s' if months != 1 else ''}: its interest of "
        f"{interest:,.2f} yuan {how[1]}.",
    )


def clipped(asked: Decimal, used: Decimal, cap: Decimal) -> Text:
    return Text(
        "RATE_CLIPPED",
        f"计划年利率由 {pct(asked)} 下调至 {pct(used)}，使综合年化成本不超过上限 {pct(cap)}。",
        f"The plan's annual rate was lowered from {pct(asked)} to {pct(used)} to keep the total "
        f"cost of credit within the cap of {pct(cap)}.",
    )
