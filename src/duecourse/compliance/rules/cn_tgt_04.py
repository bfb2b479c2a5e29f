"""CN-TGT-04: a contact person who refused or asked not to be contacted is never contacted
again for this debtor."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ibis.expr.types as ir

from duecourse.compliance.batch import BatchFace, Hit
from duecourse.compliance.request import ContactRequest
from duecourse.compliance.rule import Rule
from duecourse.compliance.verdict import Finding, Verdict


def check(request: ContactRequest, params: Mapping[str, Any]) -> list[Finding]:
    contact = request.contact
    if contact.to != "third_party":
        return []
    known = {t.id: t for t in request.third_parties}
    person = known.get(contact.third_party_id or "")
    if person is not None and person.opted_out:
        return [
            Finding(
                RULE.id,
                Verdict.BLOCK,
                "该联系人已拒绝联系 · this contact person asked not to be contacted",
            )
        ]
    if person is None:
        return [
            Finding(
                RULE.id,
                Verdict.REVIEW,
                "未知的联系人，无法确认其是否拒绝联系 · unknown contact person: whether "
                "they opted out cannot be checked",
            )
        ]
    return []


def batch(t: ir.Table, params: Mapping[str, Any]) -> list[Hit]:
    third = t.to == "third_party"
    return [
        Hit(
            third & t.third_party_known & t.third_party_opted_out,
            Verdict.BLOCK,
            "该联系人已拒绝联系 · this contact person opted out",
        ),
        Hit(third & ~t.third_party_known, Verdict.REVIEW, "未知的联系人 · unknown contact person"),
    ]


RULE = Rule(
    "CN-TGT-04",
    "Opted-out contact persons are never contacted",
    "GB/T 45251-2025",
    "S",
    {},
    check,
    BatchFace(batch),
)
