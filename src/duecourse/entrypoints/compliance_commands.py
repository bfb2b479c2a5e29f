"""The compliance commands: ``check-contact``, ``check-message``, ``rules``, ``templates``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from duecourse.entrypoints.console import console, errors
from duecourse.entrypoints.labels import label

OVERRIDES = ("规则包覆盖文件", "overrides file")


def register(app: typer.Typer) -> None:
    """Add the compliance commands to ``app``."""
    app.command("check-contact")(check_contact)
    app.command("check-message")(check_message_command)
    app.command()(rules)
    templates = typer.Typer(help="Outbound message templates.", no_args_is_help=True)
    templates.command("check")(templates_check)
    app.add_typer(templates, name="templates")


def check_message_command(
    text: Annotated[str, typer.Argument(help="The message, or - to read it from standard input.")],
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON (the contract).")] = False,
) -> None:
    """Is this collection message lawful, pressure, a violation or a suspected scam?"""
    import json
    import sys

    from duecourse.adapters.message_json import message_json
    from duecourse.adapters.textfile import decode_text
    from duecourse.compliance.message.checker import check_message
    from duecourse.errors import BadData, BadUsage

    try:
        message = (
            decode_text(sys.stdin.buffer.read(), "(stdin)", "消息", "message")
            if text == "-"
            else text
        )
    except BadData as exc:  # not a message at all: refused as usage (exit 2), as check_message does
        raise BadUsage(exc.zh, exc.en, exc.subject) from None
    result = check_message(message)
    out = message_json(result)
    if json_output:
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    console.print(label(result.verdict.value), highlight=False)
    for f in result.findings:
        quoted = message[f.span[0] : f.span[1]]
        console.print(
            f"  {f.code.value} {f.rule or ''} 「{quoted}」 {f.explanation}",
            highlight=False,
            markup=False,
        )
    if result.omitted:
        console.print(
            f"  另有 {result.omitted:,} 处未列出 · {result.omitted:,} more findings not listed",
            highlight=False,
        )


def rules(
    pack: Annotated[str, typer.Option(help="Rule pack: cn, us or uk.")] = "cn",
) -> None:
    """List a pack's rules: id, source, evidence grade, parameters, and whether the daily run
    checks them."""
    from rich.table import Table

    from duecourse.compliance.catalogue import rule_rows
    from duecourse.compliance.packs import BUILT_IN

    if pack not in BUILT_IN:
        errors.print(f"未知规则包 unknown pack {pack!r}; known: {', '.join(BUILT_IN)}")
        raise typer.Exit(2)
    table = Table(title=f"规则包 Rule pack {pack}")
    for heading in (
        "规则 Rule",
        "名称 Title",
        "来源 Source",
        "等级 Grade",
        "参数 Parameters",
        "日批 Daily run",
    ):
        table.add_column(heading, no_wrap=heading.startswith(("规则", "日批")), overflow="fold")
    for r in rule_rows(pack):  # titles: Chinese first, English beside (from the pack file)
        title = f"{r['title_zh']} {r['title']}"
        table.add_row(
            r["id"], title, r["source"], r["grade"], r["params"].replace("`", ""), r["batch"]
        )
    console.print(table)


def templates_check(
    file: Annotated[Path, typer.Argument(help="Templates YAML.")],
    pack: Annotated[str, typer.Option(help="Rule pack: cn, us or uk.")] = "cn",
) -> None:
    """Check templates as loading does: every finding, exit 1 when the file is refused."""
    from duecourse.adapters.templates import TemplateRefused, load_templates

    try:
        found = load_templates(file, pack)
    except TemplateRefused as exc:
        errors.print("模板被拒绝 · templates refused:", markup=False)
        for problem in exc.problems:
            errors.print(f"  {problem}", markup=False)
        raise typer.Exit(1) from None
    console.print(f"{len(found)} 个模板通过 templates pass ({', '.join(sorted(found))})")


def check_contact(
    file: Annotated[str, typer.Argument(help="JSON request file, or - for standard input.")],
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON (the contract).")] = False,
    overrides: Annotated[
        Path | None, typer.Option(help="A lender's rule-pack overrides (YAML).")
    ] = None,
) -> None:
    """May we make this contact now? allow / block / warn / review, with rule ids and reasons."""
    import json
    import sys

    from duecourse.adapters.contact_json import BadRequest, load_request, outcome_json
    from duecourse.adapters.overrides import load_overrides
    from duecourse.adapters.textfile import decode_text, read_text
    from duecourse.compliance.packs import OverrideError, evaluate, load_pack

    what = ("请求文件", "request file")
    if file == "-":
        text = decode_text(sys.stdin.buffer.read(), "(stdin)", *what)
    else:
        text = read_text(Path(file), *what)
    try:
        request = load_request(text)
        pack = load_pack(request.pack, load_overrides(overrides, request.pack))
    except json.JSONDecodeError as exc:
        errors.print(
            f"请求不是有效的 JSON request is not valid JSON: {file} ({exc})",
            markup=False,
            soft_wrap=True,
        )
        raise typer.Exit(2) from None
    except (BadRequest, OverrideError) as exc:
        errors.print("请求有误 · bad request:", markup=False)
        for problem in exc.problems:
            errors.print(f"  {problem}", markup=False)
        raise typer.Exit(2) from None
    result = outcome_json(evaluate(request, pack), pack.name)
    if json_output:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    console.print(f"{result['verdict']}  {' '.join(result['rules'])}", highlight=False)
    for reason in result["reasons"]:
        console.print(f"  {reason}", highlight=False, markup=False)
    if result["next_allowed_at"]:
        console.print(f"  最早可联系 next allowed at {result['next_allowed_at']}", highlight=False)
