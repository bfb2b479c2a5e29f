"""The guard over many contacts at once: each rule's batch face, combined as one ibis expression.

A rule module that can run in the daily batch gives its :class:`Rule` a :class:`BatchFace`
next to its ``check``: the same rule, the same parameters, written over a table of requests.
``tests/integration/test_guard_agreement.py`` holds the two faces to the same answers.

The requests table has one row per contact to check (:data:`REQUEST_COLUMNS`); the history
table one row per earlier contact (:data:`HISTORY_COLUMNS`), joined to requests on
``debtor_id``. A batch request carries one time zone and no personal time windows; requests
with more go through the single path.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import ibis
import ibis.expr.types as ir

from duecourse.compliance.batch_clock import UTC
from duecourse.compliance.verdict import Verdict

#: Columns of the requests table and what each means (the single path's field in brackets).
REQUEST_COLUMNS: dict[str, str] = {
    "request_id": "key of the row",
    "debtor_id": "whose history applies",
    "at": "UTC instant of the contact [at]",
    "zone": "the debtor's time zone [debtor.timezones, one]",
    "channel": "call, sms, email, im, visit or letter [contact.channel]",
    "to": "debtor, guarantor, third_party or attorney [contact.to]",
    "purpose": "collect, locate, relay, termination or remedy_notice [contact.purpose]",
    "by": "inhouse, agency or ai [contact.by]",
    "number": "number dialled, or NULL [contact.number]",
    "debt": "the debt concerned, '*' for none [contact.debts, at most one]",
    "consented": "made with the person's direct prior consent [contact.consented]",
    "discloses_debt": "[contact.discloses_debt]",
    "collectors": "[contact.collectors]",
    "third_party_id": "[contact.third_party_id]",
    "third_party_known": "the third party is among the debtor's contact persons",
    "third_party_opted_out": "that person asked not to be contacted",
    "number_invalid": "[debtor.number_invalid]",
    "consecutive_failed_calls": "[debtor.consecutive_failed_calls]",
    "days_unreachable": "[debtor.days_unreachable]",
    "deceased": "[debtor.deceased]",
    "attorney_on_file": "[debtor.attorney_on_file]",
    "cease_requested": "[debtor.cease_requested]",
    "dispute_open": "[debtor.dispute_open]",
    "channel_opted_out": "the channel is among [debtor.opted_out_channels]",
    "visit_given": "visit preconditions were given [contact.visit is not None]",
    "address_verified": "[contact.visit.address_verified], NULL when not recorded",
    "notice_sent_at": "[contact.visit.notice_sent_at], UTC, NULL when not recorded",
    "id_and_authorisation": "[contact.visit.id_and_authorisation], NULL when not recorded",
    "enters_premises": "[contact.visit.enters_premises]",
    "consent_to_enter": "[contact.visit.consent_to_enter]",
    "text_rules": "',CN-BAN-1,CN-BAN-3,': rules the message checker found in [contact.text]",
    "text_codes": "',THREAT_VIOLENCE,LEGAL_ACTION_MENTION,': every code found in the text",
    "text_opt_out": "the text says how to opt out, or there is no text",
    "recipients": "[contact.recipients]",
    "legal_action": "[contact.legal_action]",
    "limitation_from": "[debtor.limitation_from], NULL when unknown",
    "annual_cost_rate": "[debtor.annual_cost_rate], NULL when unknown",
    "days_past_due": "[debtor.days_past_due], NULL when unknown",
    "balance_overdue": "[debtor.balance_overdue], NULL when unknown",
}

#: Columns of the history table (one row per earlier contact with the debtor's case).
HISTORY_COLUMNS: dict[str, str] = {
    "debtor_id": "whose history",
    "at": "UTC instant",
    "channel": "call, sms, email, im, visit or letter",
    "to": "debtor, guarantor, third_party or attorney",
    "number": "number used, or NULL",
    "debts": "',L1,L2,': the debts it concerned",
    "outcome": "conversation, unanswered, voicemail, busy, not_connected, delivered, ...",
    "consented": "made with direct prior consent",
    "third_party_id": "the contact person reached, or NULL",
}


@dataclass(frozen=True, slots=True)
class Hit:
    """One finding a rule may make on each row: when it applies, with what verdict and lift."""

    when: ir.BooleanValue
    verdict: Verdict
    reason: str
    lift: ir.TimestampValue | None = None
    rule: str | None = None  # a finer id than the rule's own (CN-BAN-3 under CN-BAN)


Findings = Callable[[ir.Table, Mapping[str, Any]], list[Hit]]
Aggregates = Callable[[ir.Table, Mapping[str, Any]], dict[str, ir.Scalar]]


@dataclass(frozen=True, slots=True)
class BatchFace:
    """A rule over the requests table.

    Attributes:
        findings: the rule's possible findings, given the requests with every aggregate.
        aggregates: named reductions over requests joined to history (columns ``h_*``),
            per request; names are prefixed by the rule's module to stay unique.
        lookback: given the parameters, the days of history before a request the aggregates
            read (``None``: all of it).
        zoned: the rule converts times in the debtor's own zone (the ``zone`` column); the
            guard then builds it per zone so every conversion has a constant zone.
    """

    findings: Findings
    aggregates: Aggregates | None = None
    lookback: Callable[[Mapping[str, Any]], int | None] = lambda params: 0
    zoned: bool = False


@dataclass(frozen=True, slots=True)
class BatchRule:
    """A rule id with its parameters and batch face (what :func:`guard_step` needs)."""

    id: str
    params: Mapping[str, Any]
    face: BatchFace = field(repr=False)


def lookback(rules: Sequence[BatchRule]) -> int | None:
    """Days of history the rules need before a request's instant; ``None`` for all of it."""
    days = [r.face.lookback(r.params) for r in rules if r.face.aggregates is not None]
    if any(d is None for d in days):
        return None
    return max((d for d in days if d is not None), default=0)


def pairs(requests: ir.Table, history: ir.Table) -> ir.Table:
    """Each request with each earlier contact of its debtor; history columns prefixed ``h_``."""
    h = history.rename({f"h_{c}": c for c in history.columns})
    return requests.inner_join(h, requests.debtor_id == h.h_debtor_id)


@dataclass(frozen=True, slots=True)
class HitColumn:
    """Where one hit landed in the hits table: ``hit_N`` (fired) and, if it lifts, ``lift_N``."""

    n: int
    rule: str
    verdict: Verdict
    reason: str
    lifts: bool


def guard_hits(
    requests: ir.Table, history: ir.Table, rules: Sequence[BatchRule], first: int = 0
) -> tuple[ir.Table, list[HitColumn]]:
    """Every rule's findings on every request at its ``at``, one column per possible finding,
    numbered from ``first`` (materialise this before :func:`combine_hits`: the backend then
    evaluates each once)."""
    joined = pairs(requests, history)
    reductions: dict[str, ir.Scalar] = {}
    for rule in rules:
        if rule.face.aggregates is not None:
            reductions |= rule.face.aggregates(joined, rule.params)
    table = requests
    if reductions:
        per_request = joined.group_by("request_id").aggregate(**reductions)
        table = table.left_join(per_request, "request_id").drop("request_id_right")
    columns: dict[str, ir.Value] = {}
    layout: list[HitColumn] = []
    for rule in rules:
        for hit in rule.face.findings(table, rule.params):
            n = first + len(layout)
            columns[f"hit_{n}"] = hit.when.fill_null(False)
            if hit.lift is not None:
                columns[f"lift_{n}"] = hit.lift
            layout.append(
                HitColumn(n, hit.rule or rule.id, hit.verdict, hit.reason, hit.lift is not None)
            )
    return table.select("request_id", "at", **columns), layout


def guard_step(requests: ir.Table, history: ir.Table, rules: Sequence[BatchRule]) -> ir.Table:
    """One evaluation of the rules, as one expression (see :func:`combine_hits`)."""
    hits, layout = guard_hits(requests, history, rules)
    return combine_hits(hits, layout)


def combine_hits(t: ir.Table, layout: Sequence[HitColumn]) -> ir.Table:
    """As :func:`duecourse.compliance.verdict.combine`, column-wise: ``request_id``, ``at``,
    ``verdict``, ``rules`` ('A,B', strictest first), ``reasons`` and ``lift`` (when every block
    lifts by itself, the latest lift; else NULL)."""
    fired = [(h, t[f"hit_{h.n}"]) for h in layout]
    severity = ibis.greatest(
        ibis.literal(0), *(ibis.ifelse(f, h.verdict.severity, 0) for h, f in fired)
    )
    by_rule: dict[str, list[ir.IntegerValue]] = {}
    for h, f in fired:
        by_rule.setdefault(h.rule, []).append(ibis.ifelse(f, h.verdict.severity, 0))
    rule_severity = {
        rule: ibis.greatest(ibis.literal(0), *levels) for rule, levels in sorted(by_rule.items())
    }
    levels = (Verdict.BLOCK, Verdict.REVIEW, Verdict.WARN)
    rules_text = (
        ibis.literal("")
        .concat(
            *(
                ibis.ifelse(s == level.severity, f"{rule},", "")
                for level in levels
                for rule, s in rule_severity.items()
            )
        )
        .re_replace(",$", "")
    )
    ordered = sorted(fired, key=lambda item: item[0].rule)
    reasons = ibis.literal("").concat(
        *(
            ibis.ifelse(f, f"{h.rule}: {h.reason}\n", "")
            for level in levels
            for h, f in ordered
            if h.verdict is level
        )
    )
    stuck = ibis.literal(False)
    lifts = [ibis.null(UTC)]
    for h, f in fired:
        if h.verdict is not Verdict.BLOCK:
            continue
        if not h.lifts:
            stuck |= f
        else:
            lift = t[f"lift_{h.n}"]
            stuck |= f & lift.isnull()
            lifts.append(ibis.ifelse(f, lift, ibis.null(UTC)))
    verdict = ibis.cases(*((severity == v.severity, v.value) for v in Verdict), else_="allow")
    lift = ibis.ifelse((severity == Verdict.BLOCK.severity) & ~stuck, ibis.greatest(*lifts), None)
    return t.select(
        "request_id", "at", verdict=verdict, rules=rules_text, reasons=reasons, lift=lift
    )
