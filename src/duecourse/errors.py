"""The expected failures of duecourse: one family, each with a bilingual message and an exit code.

Any layer may raise them (the module does no I/O and imports nothing of duecourse); the command
line's error boundary (``entrypoints/boundary.py``) prints the message, Chinese first with
English beside it, and exits with ``exit_code``: 1 for bad data, 2 for bad usage.
"""

from __future__ import annotations

from collections.abc import Sequence

BAD_DATA = 1
BAD_USAGE = 2


class DuecourseError(Exception):
    """An expected failure: ``zh`` and ``en`` say what went wrong, ``subject`` names the file,
    row or field it concerns, ``details`` lists the individual problems (one per line)."""

    exit_code = BAD_DATA

    def __init__(
        self, zh: str, en: str, subject: str | None = None, details: Sequence[str] = ()
    ) -> None:
        self.zh = zh
        self.en = en
        self.subject = subject
        self.details = list(details)
        super().__init__(self.headline)

    @property
    def headline(self) -> str:
        """The first line shown: ``<zh> <en>: <subject>``."""
        text = f"{self.zh} {self.en}"
        return f"{text}: {self.subject}" if self.subject else text

    def lines(self) -> list[str]:
        """The headline, then each detail."""
        return [self.headline, *self.details]


class BadData(DuecourseError):
    """The input is wrong: a file that cannot be read, a value that does not fit (exit 1)."""

    exit_code = BAD_DATA


class BadUsage(DuecourseError):
    """The command was called wrongly: a missing file, an unknown option value (exit 2)."""

    exit_code = BAD_USAGE


class FileMissing(BadUsage):
    """A file named on the command line does not exist or is not a regular file."""

    def __init__(self, path: object, zh_what: str = "文件", en_what: str = "file") -> None:
        super().__init__(f"{zh_what}不存在", f"{en_what} not found", str(path))
