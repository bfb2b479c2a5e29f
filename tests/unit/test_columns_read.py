"""Tracing an expression's column references back to the store tables it reads."""

from __future__ import annotations

from datetime import date

import ibis

from duecourse.adapters.strategy_files import reference_strategies
from duecourse.batch.columns import columns_read, placeholders, wanted_columns
from duecourse.domain.facts import FactsConfig
from duecourse.service.plan import ArmSpec, RunSpec, run_columns
from duecourse.strategy.experiment import Arm


def test_references_are_followed_through_filters_joins_unions_and_aggregates():
    t = placeholders(["loans", "payments", "borrowers", "contacts"])
    loans, payments = t["loans"], t["payments"]
    paid = (
        payments.filter(payments.paid_at.notnull())
        .group_by("loan_id")
        .aggregate(total=ibis._.amount_cents.sum())
    )
    joined = loans.filter(loans.lender_type == "bank").left_join(paid, "loan_id")
    people = (
        t["borrowers"]
        .select(who=t["borrowers"].borrower_id)
        .union(t["contacts"].select(who=t["contacts"].borrower_id))
    )
    picked = joined.select("loan_id", "total").order_by("loan_id")
    expr = picked.join(people, picked.loan_id == people.who)
    assert columns_read([expr]) == {
        "loans": {"loan_id", "lender_type"},
        "payments": {"loan_id", "paid_at", "amount_cents"},
        "borrowers": {"borrower_id"},
        "contacts": {"borrower_id"},
    }


def test_wanted_columns_keep_table_order_and_a_column_for_an_unread_table():
    t = placeholders(["loans", "flags"])
    expr = t["loans"].select("product", "loan_id")
    wanted = wanted_columns([expr], ["loans", "flags"])
    assert wanted["loans"] == ["loan_id", "product"]
    assert wanted["flags"] == ["loan_id"]  # not read: its first column only


def test_a_run_reads_only_the_history_columns_of_past_plans():
    # Past plans are a million rows a day with ~360 characters of reasons each: a run needs
    # only what cadence and catch-up rules look back on.
    spec = RunSpec(date(2026, 11, 1), [ArmSpec(Arm("champion", 100), reference_strategies())])
    wanted = run_columns(spec, FactsConfig())
    assert wanted["plans"] == ["as_of", "account_id", "bucket", "action", "status"]
    assert "name" not in wanted["borrowers"] and "id_number" not in wanted["borrowers"]
