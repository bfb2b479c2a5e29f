"""US-3P-02: a location contact with a third party at most once."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ibis
import ibis.expr.types as ir

from duecourse.compliance.batch import BatchFace, Hit
from duecourse.compliance.request import ContactRequest
from duecourse.compliance.rule import Rule
from duecourse.compliance.verdict import Finding, Verdict


def check(request: ContactRequest, params: Mapping[str, Any]) -> list[Finding]:
    contact = request.contact
    if contact.to != "third_party":
        return []
    earlier = sum(
        1
        for p in request.history
        if p.to == "third_party"
        and (
            (contact.third_party_id and p.third_party_id == contact.third_party_id)
            or (contact.number and p.number == contact.number)
        )
    )
    if earlier < params["max_location_contacts"]:
        return []
    return [
        Finding(
            RULE.id,
            Verdict.BLOCK,
            f"this third party was already contacted {earlier} time(s) for location",
        )
    ]


def _earlier(p: ir.Table, params: Mapping[str, Any]) -> dict[str, ir.Scalar]:
    same_person = p.third_party_id.notnull() & (p.h_third_party_id == p.third_party_id)
    same_number = p.number.notnull() & (p.h_number == p.number)
    counted = (p.h_to == "third_party") & (
        same_person.fill_null(False) | same_number.fill_null(False)
    )
    return {"us_3p_02_earlier": ibis.ifelse(counted, 1, 0).sum()}


def batch(t: ir.Table, params: Mapping[str, Any]) -> list[Hit]:
    cap = params["max_location_contacts"]
    return [
        Hit(
            (t.to == "third_party") & (t.us_3p_02_earlier.fill_null(0) >= cap),
            Verdict.BLOCK,
            "this third party was already contacted for location",
        )
    ]


RULE = Rule(
    "US-3P-02",
    "Location contacts at most once per third party",
    "15 USC 1692b; 12 CFR 1006.10",
    "R",
    {"max_location_contacts": 1},
    check,
    BatchFace(batch, _earlier, lambda params: None),
)
