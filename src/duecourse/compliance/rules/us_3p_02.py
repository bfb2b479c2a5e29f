"""US-3P-02: a location contact with a third party at most once."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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


RULE = Rule(
    "US-3P-02",
    "Location contacts at most once per third party",
    "15 USC 1692b; 12 CFR 1006.10",
    "R",
    {"max_location_contacts": 1},
    check,
)
