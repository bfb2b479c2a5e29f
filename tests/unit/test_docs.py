"""Docs are tested: every table, column and command is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from duecourse.adapters.schema import TABLES
from duecourse.domain.facts import FLAG_COLUMNS, AccountFacts
from duecourse.entrypoints.cli import app

ROOT = Path(__file__).resolve().parents[2]
DATA_MODEL = (ROOT / "docs" / "data-model.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_every_table_and_column_is_in_the_data_model(table):
    section = DATA_MODEL.split(f"## `{table.name}`", 1)
    assert len(section) == 2, f"no section for {table.name}"
    body = section[1].split("\n## ", 1)[0]
    for column in table.columns:
        assert f"| `{column.name}` |" in body, f"{table.name}.{column.name} undocumented"


def test_every_fact_is_in_the_data_model():
    facts_section = DATA_MODEL.split("## Facts", 1)[1]
    names = [f for f in AccountFacts.__dataclass_fields__ if f != "flags"]
    for name in names:
        assert f"`{name}`" in facts_section, f"fact {name} undocumented"
    assert f"`{FLAG_COLUMNS[0]}`" in facts_section and f"`{FLAG_COLUMNS[-1]}`" in facts_section


def test_every_command_has_help():
    runner = CliRunner()
    top = runner.invoke(app, ["--help"])
    assert top.exit_code == 0
    commands = [c.name or c.callback.__name__ for c in app.registered_commands]
    assert commands
    for name in commands:
        assert re.search(rf"\b{name}\b", top.output), f"{name} not listed in --help"
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0
        assert "Usage" in result.output and len(result.output.splitlines()) > 4


def test_the_readme_shows_the_two_setup_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme


def test_every_registered_rule_is_documented():
    from duecourse.compliance.packs import BUILT_IN

    text = (ROOT / "docs" / "compliance.md").read_text(encoding="utf-8")
    for rules in BUILT_IN.values():
        for rule in rules:
            assert f"`{rule.id}`" in text, f"{rule.id} undocumented"


def test_every_pack_file_is_a_known_pack():
    from duecourse.compliance.packs import PACK_NAMES

    folder = ROOT / "src" / "duecourse" / "compliance" / "rulepacks"
    assert sorted(p.stem for p in folder.glob("*.yaml")) == sorted(PACK_NAMES)


def test_the_rule_tables_in_the_compliance_doc_are_the_registered_rules():
    from duecourse.compliance.catalogue import markdown_table

    text = (ROOT / "docs" / "compliance.md").read_text(encoding="utf-8")
    for pack in ("cn", "us", "uk"):
        assert markdown_table(pack) in text, f"regenerate the {pack} table (duecourse rules)"
