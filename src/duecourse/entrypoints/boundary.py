"""The error boundary every command passes: no traceback ever reaches a user.

``GuardedGroup`` is the command line's top-level Click group; every command (and the options
callback) runs inside its ``invoke``. There:

- a :class:`~duecourse.errors.DuecourseError` prints its bilingual message and exits with its
  code (1 bad data, 2 bad usage);
- an ``OSError`` about a named file (missing, a directory, no permission) is a usage error;
- anything else is unexpected: the traceback goes to a log file and the user reads one short
  bilingual line with the log's path, exit :data:`UNEXPECTED`.

Click's own exits, usage errors and aborts (Ctrl-C) pass through unchanged.
"""

from __future__ import annotations

import errno
import os
import platform
import sys
import tempfile
import traceback
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperGroup
from typer.exceptions import TyperException

from duecourse.entrypoints.console import errors
from duecourse.errors import BAD_USAGE, DuecourseError

if TYPE_CHECKING:
    from duecourse.adapters.validate import RowError

#: Exit code of an unexpected error (a bug: the log file holds the traceback).
UNEXPECTED = 3
LOG_DIR_VAR = "DUECOURSE_LOG_DIR"
# Typer's own: usage errors, exits, aborts (Ctrl-D is an EOFError it turns into an abort).
_PASS_THROUGH = (TyperException, typer.Exit, typer.Abort, EOFError)
_FILE_ERRORS = (
    FileNotFoundError,
    FileExistsError,
    IsADirectoryError,
    NotADirectoryError,
    PermissionError,
)


def show(lines: list[str]) -> None:
    """Print lines to standard error as they are (no markup, no wrapping inside a path)."""
    for line in lines:
        errors.print(line, markup=False, highlight=False, soft_wrap=True)


def log_dir() -> Path:
    """``$DUECOURSE_LOG_DIR``, else ``.duecourse/logs`` here, else the system temp folder."""
    chosen = os.environ.get(LOG_DIR_VAR)
    candidates = [Path(chosen)] if chosen else []
    candidates += [Path(".duecourse") / "logs", Path(tempfile.gettempdir()) / "duecourse-logs"]
    for candidate in candidates:
        try:
            candidate.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(candidate, os.W_OK):
            return candidate.resolve()
    return Path(tempfile.gettempdir())


def write_log(exc: BaseException) -> Path:
    """Write the command line and the traceback of ``exc`` to a new log file; its path."""
    now = datetime.now(UTC)
    path = log_dir() / f"error-{now:%Y%m%d-%H%M%S}-{os.getpid()}.log"
    body = [
        f"time: {now.isoformat()}",
        f"command: {' '.join(sys.argv)}",
        f"python: {platform.python_version()} on {platform.platform()}",
        "",
        *traceback.format_exception(exc),
    ]
    path.write_text("\n".join(body) + "\n", encoding="utf-8")
    return path


def _unexpected(exc: Exception) -> None:
    summary = " ".join(str(exc).split())[:200]
    what = f"{type(exc).__name__}: {summary}" if summary else type(exc).__name__
    try:
        where = str(write_log(exc))
    except OSError as failed:
        where = f"无法写入日志 the log could not be written ({failed})"
    show(
        [
            f"意外错误，命令未完成 Unexpected error; the command did not finish ({what}).",
            f"详情见日志 Details are in the log: {where}",
        ]
    )


class GuardedGroup(TyperGroup):
    """The top-level group: runs every command inside the error boundary."""

    def invoke(self, ctx: Any) -> Any:  # a Typer context
        try:
            return super().invoke(ctx)
        except DuecourseError as exc:
            show(exc.lines())
            raise typer.Exit(exc.exit_code) from None
        except _PASS_THROUGH:
            raise
        except _FILE_ERRORS as exc:
            if exc.filename is None:
                _unexpected(exc)
                raise typer.Exit(UNEXPECTED) from None
            show([f"无法打开文件 cannot open the file: {exc.filename} ({exc.strerror})"])
            raise typer.Exit(BAD_USAGE) from None
        except OSError as exc:
            if exc.errno == errno.EPIPE:  # the reader of a pipe went away: Click handles it
                raise
            _unexpected(exc)
            raise typer.Exit(UNEXPECTED) from None
        except Exception as exc:
            _unexpected(exc)
            raise typer.Exit(UNEXPECTED) from None


def row_error_line(error: RowError) -> str:
    """One import problem, its place in Chinese and English: ``file 第 3 行 row 3, 列 column
    'amount': reason``."""
    where = error.file
    if error.row:
        where += f" 第 {error.row} 行 row {error.row}"
    if error.column != "-":
        where += f", 列 column {error.column!r}"
    return f"{where}: {error.reason}"
