"""The agency making a contact, as the request describes it (CN-OUT-01..03)."""

from __future__ import annotations

from dateutil.relativedelta import relativedelta

from duecourse.compliance.request import Agency, ContactRequest
from duecourse.compliance.verdict import Finding, Verdict


def agency_of(request: ContactRequest, rule: str) -> tuple[Agency | None, list[Finding]]:
    """The agency behind an agency contact; a review finding when it cannot be looked up."""
    contact = request.contact
    if contact.by != "agency" or contact.agency_id is None:
        return None, []
    found = {a.id: a for a in request.agencies}.get(contact.agency_id)
    if found is None:
        reason = (
            f"未知的委外机构 {contact.agency_id} · unknown agency: its standing cannot be checked"
        )
        return None, [Finding(rule, Verdict.REVIEW, reason)]
    return found, []


def months(n: int) -> relativedelta:
    return relativedelta(months=n)
