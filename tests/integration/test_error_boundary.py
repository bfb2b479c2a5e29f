"""The error boundary itself: an unexpected exception becomes a short bilingual message and a
log file with the traceback; expected ones keep their exit codes; Typer's own errors pass."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from duecourse.entrypoints.boundary import LOG_DIR_VAR, UNEXPECTED, GuardedGroup
from duecourse.errors import BadData, BadUsage


def guarded_app() -> typer.Typer:
    app = typer.Typer(cls=GuardedGroup)

    @app.command()
    def divide(n: int) -> None:
        typer.echo(str(1 // n))

    @app.command()
    def usage() -> None:
        raise BadUsage("参数有误", "bad usage", "x.csv")

    @app.command()
    def data() -> None:
        raise BadData("数据有误", "bad data", "x.csv", ["  row 3: no"])

    @app.command()
    def missing() -> None:
        Path("/no/such/file.csv").read_text()

    return app


def invoke(*args: str, log_dir: Path):
    return CliRunner().invoke(guarded_app(), list(args), env={LOG_DIR_VAR: str(log_dir)})


def test_an_unexpected_error_is_logged_not_shown(tmp_path):
    result = invoke("divide", "0", log_dir=tmp_path)
    assert result.exit_code == UNEXPECTED
    assert "Traceback" not in result.output
    assert "意外错误，命令未完成 Unexpected error; the command did not finish" in result.output
    assert "ZeroDivisionError: integer division or modulo by zero" in result.output
    shown = re.search(r"Details are in the log: (\S+)", result.output)
    assert shown is not None
    log = Path(shown.group(1))
    assert log.parent == tmp_path.resolve()
    text = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text and "1 // n" in text


@pytest.mark.parametrize(
    ("command", "code", "lines"),
    [
        ("usage", 2, ["参数有误 bad usage: x.csv"]),
        ("data", 1, ["数据有误 bad data: x.csv", "  row 3: no"]),
        (
            "missing",
            2,
            ["无法打开文件 cannot open the file: /no/such/file.csv (No such file or directory)"],
        ),
    ],
)
def test_expected_errors_keep_their_message_and_code(tmp_path, command, code, lines):
    result = invoke(command, log_dir=tmp_path)
    assert result.exit_code == code
    assert result.output.splitlines()[: len(lines)] == lines
    assert not list(tmp_path.iterdir())  # nothing logged


def test_typer_usage_errors_pass_through(tmp_path):
    result = invoke("divide", "zero", log_dir=tmp_path)
    assert result.exit_code == 2
    assert "Invalid value" in result.output
    assert invoke("divide", "4", log_dir=tmp_path).output == "0\n"
