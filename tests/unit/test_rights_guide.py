"""The rights guide (borrower/rights.yaml): every right has a legal basis, every rule id it cites
is one of reference/regulation.md's, and the complaint channels are the ones the law names."""

from __future__ import annotations

from duecourse.adapters.rights_file import guide
from duecourse.compliance.catalogue import rule_rows

#: reference/regulation.md ids the cn pack does not encode as a check of its own: the CN-BAN
#: items (one rule, CN-BAN, checks them) and the rules that need a human process.
DOCUMENTED = {f"CN-BAN-{n}" for n in range(1, 11)} | {
    "CN-PI-01",
    "CN-PI-02",
    "CN-PI-03",
    "CN-PI-04",
    "CN-CMP-01",
    "CN-REC-01",
    "CN-KPI-01",
    "CN-LTR-01",
}


def test_every_right_has_a_graded_legal_basis():
    g = guide()
    assert len(g.rights) >= 10
    for right in g.rights:
        assert right.basis, right.id
        assert all(b.grade in {"V", "S", "R"} and b.law for b in right.basis), right.id
        assert right.title.zh and right.title.en and right.body.zh and right.body.en


def test_the_laws_the_issue_names_are_cited():
    laws = " ".join(b.law for r in guide().rights for b in r.basis)
    for law in ("民法典", "个人信息保护法", "征信业管理条例", "银行业保险业消费投诉处理管理办法"):
        assert law in laws


def test_cited_rule_ids_exist():
    known = {row["id"] for row in rule_rows("cn")} | DOCUMENTED
    cited = {rule for r in guide().rights for rule in r.rules}
    assert cited and cited <= known, cited - known


def test_complaint_channels_and_the_lenders_deadline():
    g = guide()
    assert g.channel("lender").deadline_days == 15
    assert {c.number for c in g.channels} >= {"12378", "12363", "110"}


def test_honesty_in_the_guide():
    g = guide()
    not_rights = {r.id: r for r in g.not_rights}
    assert "可以" in not_rights["plan_not_a_right"].body.zh  # the lender MAY agree
    assert "MAY" in not_rights["plan_not_a_right"].body.en
    assert "不违法" in not_rights["visit_not_illegal"].title.zh
    visit = next(r for r in g.rights if r.id == "lawful_visit")
    assert "不得进入" in visit.body.zh and "CN-VIS-02" in visit.rules
    credit = next(r for r in g.rights if r.id == "credit_report")
    assert "5 年" in credit.body.zh and "诈骗" in credit.body.zh
    for right in g.rights:  # no instalment plan, deferral or discount among the rights
        assert "分期" not in right.title.zh and "减免" not in right.title.zh
    crime = " ".join(r.body.zh for r in g.rights)
    assert "欠债本身不是犯罪" in crime
