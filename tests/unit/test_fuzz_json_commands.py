"""Fuzz the JSON front doors in process: the ``check-contact`` request and the rule-pack
overrides file. Arbitrary JSON and YAML values, near-valid documents with one field replaced by
anything (wrong types, impossible dates, huge strings, unknown time zones, bad windows),
duplicate keys and raw text: each input gives an answer or a clear error (a bilingual problem
naming a field), never another exception."""

from __future__ import annotations

import copy
import json
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from duecourse.adapters.contact_json import BadRequest, load_request, outcome_json
from duecourse.adapters.overrides import parse_overrides
from duecourse.compliance.packs import BUILT_IN, OverrideError, evaluate, load_pack

TODAY = date(2026, 12, 1)
FUZZ = settings(
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
PACKS = {name: load_pack(name) for name in BUILT_IN}

BASE: dict[str, Any] = {
    "pack": "cn",
    "at": "2025-06-05T21:30:00+08:00",
    "contact": {
        "channel": "visit",
        "to": "debtor",
        "number": "13800000001",
        "debts": ["L1"],
        "collectors": 2,
        "text": "请今天还款",
        "visit": {"address_verified": True, "notice_sent_at": "2025-06-01T10:00:00+08:00"},
    },
    "debtor": {
        "timezones": ["Asia/Shanghai"],
        "consecutive_failed_calls": 1,
        "inconvenient_windows": [["00:00", "10:00"]],
        "agreed_windows": [["22:00", "23:00"]],
        "opted_out_channels": ["sms"],
        "limitation_from": "2024-01-01",
        "annual_cost_rate": "0.24",
    },
    "third_parties": [{"id": "c1", "opted_out": False}],
    "history": [
        {
            "at": "2025-06-05T09:00:00+08:00",
            "channel": "call",
            "to": "debtor",
            "number": "13800000001",
            "outcome": "unanswered",
        }
    ],
    "agencies": [{"id": "A1", "whitelisted": True, "last_evaluated_on": "2025-01-01"}],
}
PATHS = [
    "pack",
    "at",
    "contact",
    "contact.channel",
    "contact.to",
    "contact.number",
    "contact.collectors",
    "contact.recipients",
    "contact.text",
    "contact.debts",
    "contact.visit",
    "contact.visit.notice_sent_at",
    "contact.collector_trained_on",
    "debtor",
    "debtor.timezones",
    "debtor.timezones.0",
    "debtor.inconvenient_windows",
    "debtor.inconvenient_windows.0",
    "debtor.agreed_windows.0",
    "debtor.opted_out_channels",
    "debtor.consecutive_failed_calls",
    "debtor.days_unreachable",
    "debtor.days_past_due",
    "debtor.annual_cost_rate",
    "debtor.balance_overdue",
    "debtor.limitation_from",
    "debtor.first_communication_at",
    "debtor.debt_groups",
    "third_parties",
    "third_parties.0",
    "history",
    "history.0",
    "history.0.at",
    "history.0.number",
    "history.0.outcome",
    "agencies.0.last_evaluated_on",
    "agencies.0.contract_ends_on",
    "unknown_key",
]
SPECIAL = st.sampled_from(
    [
        "2025-02-30T10:00:00+08:00",
        "2025-13-01",
        "2025-06-05T25:00:00+08:00",
        "9999-12-31T23:59:59-12:00",
        "0001-01-01T00:00:00+14:00",
        "2126-06-05T10:00:00+08:00",
        "2025-06-05T10:00:00",
        "2025-06-05",
        "1900-01-01",
        "25:00",
        "24:00",
        ["25:00", "09:00"],
        ["24:00", "08:00"],
        ["10:00", "10:00"],
        ["09:00"],
        "Asia/Beijing",
        ["Asia/Beijing"],
        "../../etc/passwd",
        "",
        "not-a-number",
        "1,234.00",
        "１２３",
        "1e3",
        -1,
        -(10**30),
        10**30,
        1e308,
        float("nan"),
        float("inf"),
        True,
        None,
        [],
        {},
        "x" * 100_000,
        "9" * 5000,
        "\x00",
        "UTC",
        "America/New_York",
        ["Asia/Urumqi", "UTC"],
        ["21:00", "24:00"],
        [["23:00", "01:00"]],
        0,
        10**6,
        "+1 202 555 0143",
        "010-12345678",
        "0.36",
        3,
        "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
    ]
)
SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)

ANY_VALUE = SPECIAL | JSON_VALUES
MUTATIONS = st.sampled_from([0, 0, 1, 1, 1, 2, 3])
ONE_IN_FIVE = st.integers(0, 4).map(lambda n: n == 4)  # 0 is what Hypothesis tries most
TOP_KEYS = st.sampled_from(["at", "pack", "contact", "debtor", "history"])
PATH_CHOICES = st.sampled_from(PATHS)
PACK_NAMES = st.sampled_from(list(BUILT_IN))


def put(data: Any, path: str, value: Any) -> Any:
    """``data`` with the value at ``path`` replaced (missing objects made; a path that runs
    into another kind of value is left alone)."""
    *parents, last = path.split(".")
    node = data
    for part in parents:
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict):
            if not isinstance(node.get(part), dict | list):
                node[part] = {}
            node = node[part]
        else:
            return data
    if isinstance(node, list) and last.isdigit() and int(last) < len(node):
        node[int(last)] = value
    elif isinstance(node, dict):
        node[last] = value
    return data


@st.composite
def near_valid_requests(draw: st.DrawFn) -> str:
    data = json.loads(json.dumps(BASE))
    data["pack"] = draw(PACK_NAMES)
    for _ in range(draw(MUTATIONS)):
        value = copy.deepcopy(draw(ANY_VALUE))  # SPECIAL holds shared lists
        data = put(data, draw(PATH_CHOICES), value)
    text = json.dumps(data, ensure_ascii=draw(st.booleans()))
    if draw(ONE_IN_FIVE) and text.startswith("{") and len(text) > 2:
        key = draw(TOP_KEYS)
        duplicate = json.dumps(draw(ANY_VALUE))
        text = "{" + json.dumps(key) + ": " + duplicate + ", " + text[1:]
    return text


def check_contact(text: str) -> str:
    """What the command does with ``text``: an answer, or a clear refusal."""
    try:
        request = load_request(text, TODAY)
    except json.JSONDecodeError:
        return "not json"
    except BadRequest as refused:
        assert refused.problems
        for problem in refused.problems:
            path, sep, reason = problem.partition(": ")
            assert sep and path and reason, problem
            assert any("\u4e00" <= ch <= "\u9fff" for ch in reason), problem  # Chinese first
        return "refused"
    outcome = outcome_json(evaluate(request, PACKS[request.pack]), request.pack)
    json.dumps(outcome)
    assert outcome["verdict"] in {"allow", "block", "warn", "review"}
    return "answered"


def test_the_near_valid_base_is_answered():
    assert check_contact(json.dumps(BASE)) == "answered"
    assert check_contact(json.dumps({**BASE, "pack": "us"})) == "answered"


@FUZZ
@given(text=near_valid_requests())
def test_fuzz_check_contact_near_valid_requests(text):
    event(check_contact(text))


@FUZZ
@given(
    text=JSON_VALUES.map(json.dumps)
    | st.text(max_size=200)
    | st.binary(max_size=200).map(lambda b: b.decode("utf-8", "replace"))
)
def test_fuzz_check_contact_arbitrary_json_and_text(text):
    event(check_contact(text))


HHMM = st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.integers(0, 59))
WINDOWS = st.tuples(HHMM, HHMM | st.just("24:00")).filter(
    lambda w: w[0] != ("00:00" if w[1] == "24:00" else w[1])
)
ZONES = st.sampled_from(["Asia/Shanghai", "Asia/Urumqi", "UTC", "America/New_York", "Etc/GMT-14"])
NUMBERS = st.sampled_from(["13800000001", "+86 138 0000 0001", "010-12345678", "+12025550143"])
INSTANTS = st.datetimes(
    min_value=datetime(1980, 1, 1),
    max_value=datetime(2070, 12, 31),
    timezones=st.sampled_from([timezone(timedelta(hours=h)) for h in (-12, -5, 0, 8, 14)]),
).map(datetime.isoformat)


@st.composite
def valid_requests(draw: st.DrawFn) -> str:
    """Requests valid by construction, with unusual but lawful values."""
    at = draw(INSTANTS)
    contact = {
        "channel": draw(st.sampled_from(["call", "sms", "email", "im", "visit", "letter"])),
        "to": draw(st.sampled_from(["debtor", "guarantor", "third_party", "attorney"])),
        "third_party_id": draw(st.sampled_from([None, "c1"])),
        "number": draw(st.none() | NUMBERS),
        "purpose": draw(st.sampled_from(["collect", "locate", "relay", "termination"])),
        "collectors": draw(st.integers(0, 10**6)),
        "recipients": draw(st.integers(0, 50)),
        "text": draw(st.none() | st.text(max_size=200)),
        "by": draw(st.sampled_from(["inhouse", "agency", "ai"])),
    }
    debtor = {
        "timezones": draw(st.lists(ZONES, min_size=1, max_size=3)),
        "consecutive_failed_calls": draw(st.integers(0, 10**6)),
        "days_unreachable": draw(st.integers(0, 10**6)),
        "inconvenient_windows": draw(st.lists(WINDOWS, max_size=3)),
        "agreed_windows": draw(st.lists(WINDOWS, max_size=2)),
        "days_past_due": draw(st.none() | st.integers(0, 10**5)),
        "balance_overdue": draw(st.none() | st.decimals(0, 10**9, places=2).map(str)),
    }
    history = [
        {
            "at": draw(INSTANTS),
            "channel": draw(st.sampled_from(["call", "sms", "visit"])),
            "to": "debtor",
            "number": draw(st.none() | NUMBERS),
            "outcome": draw(st.sampled_from(["conversation", "unanswered", "busy", "delivered"])),
        }
        for _ in range(draw(st.integers(0, 6)))
    ]
    history = [h for h in history if abs(int(h["at"][:4]) - int(at[:4])) < 50]
    pack = draw(PACK_NAMES)
    data = {"pack": pack, "at": at, "contact": contact, "debtor": debtor, "history": history}
    return json.dumps(data)


@settings(FUZZ, max_examples=500)  # each one runs the whole pack; the door has 4,000 more
@given(text=valid_requests())
def test_fuzz_check_contact_valid_but_unusual_requests_are_answered(text):
    assert check_contact(text) == "answered"


@pytest.mark.parametrize(
    "text",
    ["a: 2025-02-30", "a: 2025-02-28 25:00:00", "a: " + "1" * 5000, "params: {CN-VIS-01: 1e99999}"],
)
def test_yaml_scalars_that_cannot_be_built_are_refused(text):
    assert overrides(text, "cn") == "refused"


def test_a_number_too_long_for_python_is_refused():
    assert check_contact('{"at": ' + "1" * 5000 + "}") == "refused"


def test_deep_nesting_is_refused_clearly():
    assert check_contact("[" * 100_000 + "]" * 100_000) == "refused"
    assert overrides("a: " + "[" * 100_000 + "]" * 100_000, "cn") == "refused"


# --- overrides -------------------------------------------------------------------------------

AT_NIGHT = load_request(json.dumps({**BASE, "contact": {"channel": "call", "to": "debtor"}}), TODAY)


def overrides(text: str, pack: str) -> str:
    try:
        checked = parse_overrides(text, pack, "lender.yaml")
    except OverrideError as refused:
        assert refused.problems
        for problem in refused.problems:
            assert problem.startswith("lender.yaml: "), problem
            assert any("\u4e00" <= ch <= "\u9fff" for ch in problem), problem
        return "refused"
    rules = load_pack(pack, checked)  # the schema lets through only what the pack takes
    evaluate(AT_NIGHT, rules)
    return "loaded"


# Strategies are built once: a new one-of over a recursive strategy costs more to set up than
# to draw from.
RULE_IDS = {pack: st.sampled_from([r.id for r in rules]) for pack, rules in BUILT_IN.items()}
ANY_RULE = {pack: RULE_IDS[pack] | st.text(max_size=10) for pack in BUILT_IN}
PARAM_NAMES = {
    pack: st.sampled_from(sorted({k for r in rules for k in r.params} | {"x"}))
    for pack, rules in BUILT_IN.items()
}
OWN_NAMES = {
    r.id: st.sampled_from(sorted(r.params))
    for rules in BUILT_IN.values()
    for r in rules
    if r.params
}
PARAM_VALUES = (
    SPECIAL
    | JSON_VALUES
    | st.integers(-5, 10**7)
    | st.lists(st.sampled_from(["locate", "relay", "sms", "call", "x"]), max_size=3)
    | st.lists(st.sampled_from(["00:00", "08:00", "21:00", "24:00", "25:00"]), max_size=3)
)
RULES = {r.id: r for rules in BUILT_IN.values() for r in rules}


@st.composite
def near_valid_overrides(draw: st.DrawFn) -> tuple[str, str]:
    pack = draw(PACK_NAMES)
    params: dict[Any, Any] = {}
    for _ in range(draw(MUTATIONS)):
        rule = draw(ANY_RULE[pack])
        own = rule in OWN_NAMES and draw(st.booleans())
        name = draw(OWN_NAMES[rule] if own else PARAM_NAMES[pack])
        default = RULES[rule].params.get(name) if rule in RULES else None
        if default is not None and draw(st.booleans()):
            value = list(default) if isinstance(default, tuple) else default
        else:
            value = copy.deepcopy(draw(PARAM_VALUES))
        params.setdefault(rule, {})[name] = value
    data: dict[str, Any] = {"params": params}
    if draw(st.booleans()):
        data["disabled"] = draw(st.lists(ANY_RULE[pack], max_size=3))
    if draw(ONE_IN_FIVE):
        data[draw(st.text(max_size=8))] = draw(JSON_VALUES)
    text = yaml.dump(data, Dumper=DUMPER, allow_unicode=draw(st.booleans()))
    if draw(ONE_IN_FIVE):
        # a duplicate key, or a scalar PyYAML cannot build
        text += draw(st.sampled_from(["params: {}\n", "disabled: []\n", "when: 2025-02-30\n"]))
    return pack, text


@FUZZ
@given(case=near_valid_overrides())
def test_fuzz_overrides_near_valid_files(case):
    pack, text = case
    event(overrides(text, pack))


@FUZZ
@given(
    text=JSON_VALUES.map(lambda v: yaml.dump(v, Dumper=DUMPER)) | st.text(max_size=200),
    pack=st.sampled_from(list(BUILT_IN)),
)
def test_fuzz_overrides_arbitrary_yaml_and_text(text, pack):
    event(overrides(text, pack))


@pytest.mark.parametrize(
    "text",
    ["params:\n  CN-TIME-01: {quiet: ['21:00', '07:00']}\n", "disabled: [CN-BAN]\n", "", "{}"],
)
def test_valid_overrides_load(text):
    assert overrides(text, "cn") == "loaded"
