"""``duecourse assess``: will collectors come to my door? (the borrower's question)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from duecourse.entrypoints.console import console


def register(app: typer.Typer) -> None:
    """Add ``assess`` to ``app``."""
    app.command("assess")(assess_command)


def assess_command(
    file: Annotated[str, typer.Argument(help="JSON case file, or - for standard input.")],
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON (the contract).")] = False,
) -> None:
    """Will collectors come to my door? The probability of a visit, why, your rights, advice."""
    import json
    import sys

    from duecourse.adapters.assess_json import load_case
    from duecourse.adapters.textfile import decode_text, read_text
    from duecourse.service.assess import assess_case

    what = ("评估请求文件", "assess request file")
    if file == "-":
        text = decode_text(sys.stdin.buffer.read(), "(stdin)", *what)
    else:
        text = read_text(Path(file), *what)
    result = assess_case(load_case(text, file))
    if json_output:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    summary(result)


def summary(result: dict[str, Any]) -> None:
    """The answer for a person: the probability, what happens first, why, rights, advice."""
    visit = result["door_visit"]
    console.print(
        f"上门概率 Door-visit probability ({visit['horizon_days']} 天 days): "
        f"{visit['probability']:.0%} — {visit['label']}",
        highlight=False,
    )
    console.print("\n出借人可能的行动 What the lender is likely to do:", highlight=False)
    for action in result["next_actions"]:
        console.print(
            f"  第 {action['first_day_median']} 天起 from day {action['first_day_median']}: "
            f"{action['label']} ({action['probability']:.0%})",
            highlight=False,
            markup=False,
        )
    for heading, key in (
        ("原因 Why (每次只改变一个事实 one fact changed at a time)", "reasons"),
        ("您的权利 Your rights", "rights"),
        ("建议 Advice", "advice"),
    ):
        console.print(f"\n{heading}:", highlight=False, markup=False)
        for line in result[key]:
            console.print(f"  - {line}", highlight=False, markup=False, soft_wrap=True)
