"""The honesty rules of the borrower's letters (reference/borrower-law.md D5–D7, E1, E4, B32–B35):
a plan is never presented as a right, a letter that admits a debt that may be time-barred waits
for the borrower to read the warning, credit-report effects are stated truthfully, and a lawful
visit is lawful while entering a home without consent is not."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from duecourse.borrower.honesty import (
    CREDIT_RECORD,
    LAWFUL_VISIT,
    NOT_A_RIGHT,
    LimitationRisk,
    credit_relief,
    limitation_risk,
    time_barred_warning,
)
from duecourse.borrower.letters import (
    Incident,
    Letter,
    NeedsConfirmation,
    Parties,
    complaint_letter,
    information_request,
    negotiation_letter,
)
from duecourse.domain.repayment.amortise import Method
from duecourse.domain.repayment.decide import decide
from duecourse.domain.repayment.terms import Debt, Guardrails, Proposal

TODAY = date(2026, 12, 2)
WHO = Parties("张三", "13800000000", "某某消费金融有限公司", "HT-1", TODAY)


def _decision():
    proposal = Proposal(Debt(Decimal("12000.00")), Method.EQUAL_INSTALMENT, Decimal("0.12"), 12)
    return decide(proposal, Guardrails())


def test_limitation_risk_at_its_edges():
    # 3 years from the last activity, less a 90-day margin for remembered dates.
    assert limitation_risk(None, TODAY) is LimitationRisk.UNKNOWN
    assert limitation_risk(date(2024, 12, 2), TODAY) is LimitationRisk.CLEAR
    # 2027-03-03 less 90 days is 2026-12-03, the day after TODAY; 2027-03-02 less 90 is TODAY.
    assert limitation_risk(date(2024, 3, 3), TODAY) is LimitationRisk.CLEAR
    assert limitation_risk(date(2024, 3, 2), TODAY) is LimitationRisk.POSSIBLY_BARRED
    assert limitation_risk(date(2023, 12, 1), TODAY) is LimitationRisk.POSSIBLY_BARRED


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 1, 1)),
    st.integers(min_value=0, max_value=4000),
)
def test_once_possibly_barred_always_possibly_barred(last: date, later: int):
    if limitation_risk(last, TODAY) is LimitationRisk.POSSIBLY_BARRED:
        assert (
            limitation_risk(last, TODAY + timedelta(days=later)) is LimitationRisk.POSSIBLY_BARRED
        )


def test_a_letter_admitting_a_possibly_barred_debt_waits_for_confirmation():
    for last in (None, date(2022, 5, 1)):
        result = negotiation_letter(WHO, _decision(), "失业", last, confirmed=False)
        assert isinstance(result, NeedsConfirmation)
        assert "时效" in result.warning.zh and "time-barred" in result.warning.en
    confirmed = negotiation_letter(WHO, _decision(), "失业", date(2022, 5, 1), confirmed=True)
    assert isinstance(confirmed, Letter)
    assert confirmed.notes[0] == time_barred_warning(LimitationRisk.POSSIBLY_BARRED)


def test_a_recent_debt_needs_no_confirmation_and_carries_no_time_bar_warning():
    letter = negotiation_letter(WHO, _decision(), "失业", date(2026, 10, 1), confirmed=False)
    assert isinstance(letter, Letter)
    assert all(n.code != "TIME_BARRED_WARNING" for n in letter.notes)


def test_the_plan_is_asked_for_never_claimed_as_a_right():
    letter = negotiation_letter(WHO, _decision(), "失业", date(2026, 10, 1), confirmed=False)
    assert isinstance(letter, Letter)
    assert NOT_A_RIGHT in letter.notes and CREDIT_RECORD in letter.notes
    for p in letter.paragraphs:
        assert "权利" not in p.zh and "right" not in p.en.lower()
    ask = next(p for p in letter.paragraphs if p.code == "ASK")
    assert "须经贵司同意" in ask.zh and "only if you agree" in ask.en
    proposal = next(p for p in letter.paragraphs if p.code == "PROPOSAL")
    assert "12,794.23" in proposal.zh  # 12 x 1,066.19 less 0.05 on the last: docs/borrower.md


def test_the_information_request_admits_nothing():
    letter = information_request(WHO)
    text = " ".join(p.zh for p in letter.paragraphs)
    assert "不构成对任何债务的承认" in text
    assert "还款方案" not in text and letter.decision is None


def test_credit_record_stated_truthfully():
    assert "5 年" in CREDIT_RECORD.zh and "骗局" in CREDIT_RECORD.zh
    assert "5 years" in CREDIT_RECORD.en and "scam" in CREDIT_RECORD.en


def test_the_one_off_relief_only_while_it_applies():
    assert credit_relief(date(2026, 3, 31)) is not None
    assert credit_relief(date(2026, 4, 1)) is None
    letter = negotiation_letter(WHO, _decision(), "失业", date(2026, 10, 1), confirmed=False)
    assert isinstance(letter, Letter)
    assert all(n.code != "CREDIT_RELIEF_2025" for n in letter.notes)  # TODAY is past it


def _visit(hour: int, entered: bool) -> Incident:
    return Incident(
        datetime(2026, 11, 20, hour, 0), "visit", identity="某催收公司", entered_home=entered
    )


def test_a_lawful_visit_is_not_a_breach():
    letter = complaint_letter(WHO, [_visit(14, entered=False)], "停止")
    [checked] = letter.incidents
    assert not [f for f in checked.findings if f.rule]
    assert LAWFUL_VISIT in letter.notes
    assert any(n.code == "NOTHING_FOUND" for n in letter.notes)
    assert "不违法" in LAWFUL_VISIT.zh and "不得进入" in LAWFUL_VISIT.zh


def test_entering_a_home_without_consent_is_a_breach_and_a_police_matter():
    letter = complaint_letter(WHO, [_visit(14, entered=True)], "停止")
    [checked] = letter.incidents
    assert {f.rule for f in checked.findings} == {"CN-VIS-02"}
    assert any(n.code == "POLICE" for n in letter.notes)


def test_night_contact_and_message_texts_are_checked():
    incidents = [
        Incident(datetime(2026, 11, 21, 22, 0), "call", "13900000000"),
        Incident(
            datetime(2026, 11, 21, 7, 59), "sms", text="还款提醒：您的账单已逾期，请及时还款。"
        ),
        Incident(datetime(2026, 11, 20, 10, 0), "sms", text="再不还钱就去你家，让你全家好看"),
    ]
    letter = complaint_letter(WHO, incidents, "停止")
    by_hour = {c.incident.at.hour: c for c in letter.incidents}
    assert [c.incident.at.day for c in letter.incidents] == [20, 21, 21]  # sorted by time
    assert {f.rule for f in by_hour[22].findings} == {"CN-TIME-01"}
    assert {f.rule for f in by_hour[7].findings} == {"CN-TIME-01"}  # 07:59 is quiet
    assert by_hour[7].verdict == "compliant"
    assert "THREAT_VIOLENCE" in {f.code for f in by_hour[10].findings}
    deadline = next(p for p in letter.paragraphs if p.code == "DEADLINE")
    assert "15 日内" in deadline.zh


def test_eight_in_the_morning_is_not_night():
    letter = complaint_letter(WHO, [Incident(datetime(2026, 11, 21, 8, 0), "call")], "停止")
    assert letter.incidents[0].findings == ()
