"""Rules that are named functions, each with both faces (one request, a table of requests).

Only what the rule language cannot say lives here, and it stays small: ``message_content``
(CN-BAN-1..8) reports each forbidden pattern the message checker finds under the pattern's
own rule id, so one rule makes findings under ids the pack file cannot list.
"""

from __future__ import annotations

from collections.abc import Iterator

import ibis.expr.types as ir

from duecourse.compliance.facts import Facts
from duecourse.compliance.message.codes import SCAMS, VIOLATIONS
from duecourse.compliance.message.lexicon import lexicon
from duecourse.compliance.verdict import Finding, Verdict

#: Every id a forbidden message pattern may report.
TEXT_RULE_IDS = lexicon().rule_ids(VIOLATIONS | SCAMS)


def message_content(f: Facts) -> list[Finding]:
    """One request: a block per rule the checker found in the text, with its reason."""
    return [Finding(rule, Verdict.BLOCK, reason) for rule, reason in f["text"].items()]


def message_content_batch(
    t: ir.Table,
) -> Iterator[tuple[str, Verdict, ir.BooleanValue, ir.StringValue]]:
    """A table of requests: per rule id, where it fired and its reason (the ``text`` column
    holds ``\\x1eRULE\\x1fREASON`` per rule, see ``compliance/facts.text_column``)."""
    for rule in TEXT_RULE_IDS:
        fired = t.text.contains(f"\x1e{rule}\x1f")
        yield rule, Verdict.BLOCK, fired, t.text.re_extract(f"\x1e{rule}\x1f([^\x1e]*)", 1)
