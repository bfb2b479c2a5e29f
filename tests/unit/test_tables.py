"""Decision tables: cell syntax, validation errors, and the reference evaluator."""

from __future__ import annotations

from decimal import Decimal

import pytest

from duecourse.strategy.cells import CellError, CellKind, cell_text, parse_cell
from duecourse.strategy.evaluate import evaluate
from duecourse.strategy.table import ColumnType, TableError, table_from_dict
from duecourse.strategy.validate import errors_only, validate_table

FACTS = {
    "days_past_due": ColumnType.INT,
    "amount_overdue": ColumnType.DECIMAL,
    "contact": ColumnType.STRING,
    "address_verified": ColumnType.BOOL,
}


def table(*rules, inputs=None, outputs=None, policy="first"):
    return table_from_dict(
        {
            "name": "t",
            "hit_policy": policy,
            "inputs": inputs or {"days_past_due": "int", "contact": "string"},
            "outputs": outputs or {"action": "string"},
            "rules": list(rules),
        }
    )


def row(rid, when, action="x"):
    return {"id": rid, "when": when, "then": {"action": action}}


CATCH_ALL = row("default", {}, "hold")


def messages(t, available=FACTS, **kw):
    return [f"{i.where}: {i.message}" for i in errors_only(validate_table(t, available, **kw))]


@pytest.mark.parametrize(
    ("text", "inside", "outside"),
    [
        ("> 10", [11, 10.5], [10, 9]),
        (">= 10", [10], [9.99]),
        ("< 3", [2], [3]),
        ("<= 3", [3], [3.01]),
        ("[1..30]", [1, 30], [0, 31]),
        ("(1..30]", [2, 30], [1]),
        ("[1..30)", [1], [30]),
        ('"lost", "unresponsive"', ["lost"], ["reachable"]),
        ('not("lost")', ["reachable"], ["lost"]),
        ("true", [True], [False]),
        ("5", [5], [6]),
    ],
)
def test_cells_match_what_they_say(text, inside, outside):
    cell = parse_cell(text)
    assert all(cell.matches(v) for v in inside)
    assert not any(cell.matches(v) for v in outside)


def test_a_missing_value_matches_only_the_empty_cell():
    assert parse_cell("").matches(None)
    for text in ("> 1", "[1..2]", '"a"', 'not("a")'):
        assert not parse_cell(text).matches(None)


@pytest.mark.parametrize("text", ["> ten", "[5..1]", '"open', "1 2"])
def test_unreadable_cells_are_errors(text):
    with pytest.raises(CellError):
        parse_cell(text)


def test_cells_round_trip_through_their_text():
    for text in ("> 10", "[1..30)", '"a", "b"', 'not("a")', "<= 2.5"):
        cell = parse_cell(text)
        assert parse_cell(cell_text(cell)) == parse_cell(cell_text(parse_cell(cell_text(cell))))
        assert parse_cell(cell_text(cell)).kind is cell.kind


def test_covers_and_overlaps():
    assert parse_cell("> 10").covers(parse_cell("[11..20]"))
    assert not parse_cell("> 10").covers(parse_cell("[10..20]"))
    assert parse_cell('not("a")').covers(parse_cell('"b", "c"'))
    assert parse_cell("[1..10]").overlaps(parse_cell("[10..20]"))
    assert not parse_cell("[1..10)").overlaps(parse_cell("[10..20]"))
    assert not parse_cell('"a"').overlaps(parse_cell('"b"'))


def test_first_hit_returns_the_first_matching_row():
    t = table(
        row("late", {"days_past_due": "> 30"}, "call"),
        row("later", {"days_past_due": "> 60"}, "visit"),
        CATCH_ALL,
    )
    decision = evaluate(t, {"days_past_due": 90})
    assert decision.outputs == {"action": "call"} and decision.matched == ("late",)


def test_collect_returns_every_matching_row_in_order():
    t = table(
        row("a", {"days_past_due": "> 30"}, "call"),
        row("b", {"days_past_due": "> 60"}, "visit"),
        CATCH_ALL,
        policy="collect",
    )
    decision = evaluate(t, {"days_past_due": 90})
    assert decision.outputs == {"action": ["call", "visit", "hold"]}
    assert decision.matched == ("a", "b", "default")


def test_unknown_input_column_is_an_error():
    t = table(
        row("r", {"days_past_due": "> 1"}),
        CATCH_ALL,
        inputs={"days_past_due": "int", "mood": "string"},
    )
    assert messages(t) == ["inputs.mood: unknown column (not in the facts or earlier outputs)"]


def test_a_missing_catch_all_is_an_error():
    t = table(row("r", {"days_past_due": "> 1"}))
    assert "the last row must be a catch-all" in " ".join(messages(t))


def test_type_mismatches_are_errors():
    t = table(row("r1", {"contact": "> 3"}), row("r2", {"days_past_due": '"ten"'}), CATCH_ALL)
    got = messages(t)
    assert any("r1" in m and "needs a number column" in m for m in got)
    assert any("r2" in m and "is not a number" in m for m in got)
    declared = table(row("r", {}), inputs={"contact": "int"})
    assert any("declared int, but the column is string" in m for m in messages(declared))


def test_an_output_of_the_wrong_type_is_rejected_when_read():
    with pytest.raises(TableError, match="type mismatch"):
        table_from_dict(
            {
                "name": "t",
                "inputs": {"days_past_due": "int"},
                "outputs": {"priority": "int"},
                "rules": [{"id": "r", "when": {}, "then": {"priority": "high"}}],
            }
        )


def test_a_row_covered_by_an_earlier_row_is_unreachable():
    t = table(
        row("wide", {"days_past_due": "> 30"}), row("narrow", {"days_past_due": "> 60"}), CATCH_ALL
    )
    assert messages(t) == [
        "row 2 (narrow): unreachable: row 1 (wide) matches everything it matches"
    ]


def test_a_catch_all_before_the_end_is_an_error():
    t = table(row("early", {}), row("r", {"days_past_due": "> 1"}), CATCH_ALL)
    assert any("makes the rows after it unreachable" in m for m in messages(t))


def test_overlaps_are_warnings_only_when_asked():
    t = table(row("a", {"days_past_due": "> 30"}), row("b", {"contact": '"lost"'}), CATCH_ALL)
    assert validate_table(t, FACTS) == []
    warnings = validate_table(t, FACTS, overlaps=True)
    assert [w.severity for w in warnings] == ["warning"]


def test_missing_outputs_and_duplicate_ids_are_errors():
    t = table_from_dict(
        {
            "name": "t",
            "inputs": {"days_past_due": "int"},
            "outputs": {"action": "string", "priority": "int"},
            "rules": [
                {"id": "r", "when": {"days_past_due": "> 1"}, "then": {"action": "x"}},
                {"id": "r", "when": {}, "then": {"action": "y", "priority": 1}},
            ],
        }
    )
    got = messages(t)
    assert any("no value for output(s) priority" in m for m in got)
    assert any("row ids must be unique" in m for m in got)


def test_reading_a_table_lists_every_problem_at_once():
    with pytest.raises(TableError) as failed:
        table_from_dict(
            {
                "name": "t",
                "hit_policy": "any",
                "inputs": {"x": "money"},
                "outputs": {"a": "string"},
                "rules": [{"id": "r", "when": {"x": "[9..1]"}, "then": {"b": 1}}],
            }
        )
    wheres = [i.where for i in failed.value.issues]
    assert wheres == ["hit_policy", "inputs.x", "row 1 (r), column 'x'", "row 1 (r), output 'b'"]


def test_decimal_outputs_are_exact():
    t = table_from_dict(
        {
            "name": "t",
            "inputs": {"days_past_due": "int"},
            "outputs": {"rate": "decimal"},
            "rules": [{"id": "r", "when": {}, "then": {"rate": "0.1"}}],
        }
    )
    assert evaluate(t, {"days_past_due": 1}).outputs["rate"] == Decimal("0.1")
    assert parse_cell("0.1").kind is CellKind.IN
