"""Reading monthly delinquency histories for calibration: the UCI Taiwan file and the long
``monthly-status`` CSV. Every problem is collected (file, data row, column, reason) and raised
together; nothing is half-read."""

from __future__ import annotations

import csv
import gzip
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from duecourse.lab.calibration import Account, state_of

# Newest first in the file: September (X6 / PAY_0) back to April (X11 / PAY_6).
UCI_COLUMNS = (
    ("X6", "X7", "X8", "X9", "X10", "X11"),
    ("PAY_0", "PAY_2", "PAY_3", "PAY_4", "PAY_5", "PAY_6"),
    ("PAY_1", "PAY_2", "PAY_3", "PAY_4", "PAY_5", "PAY_6"),
)
UCI_STATUSES = range(-2, 10)  # -2 no use, -1 paid in full, 0 revolving, 1..9 months late
MONTHLY_REQUIRED = ("account_id", "month", "months_late")
MONTHLY_OPTIONAL = ("segment",)
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
INTEGER = re.compile(r"^[+-]?\d+$")


@dataclass(frozen=True, slots=True)
class InputProblem:
    """One problem in a calibration file: where (data row, header not counted; 0 for the
    file) and why, the reason in Chinese and English."""

    file: str
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.file} 第 {self.row} 行 row {self.row}" if self.row else self.file
        column = f" 列 column {self.column!r}" if self.column else ""
        return f"{where}{column}: {self.reason}"


class CalibrationInputError(Exception):
    """The file was refused; ``problems`` lists every problem found."""

    def __init__(self, problems: list[InputProblem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def read_uci(path: Path) -> list[Account]:
    """The UCI accounts, each one chain of six months, April to September 2005 (oldest first)."""
    name = str(path)
    with _open(path) as handle:
        reader = csv.reader(handle)
        header = _header(reader, name)
        columns = next((c for c in UCI_COLUMNS if set(c) <= set(header)), None)
        if columns is None:
            wanted = " or ".join(", ".join(c) for c in UCI_COLUMNS[:2])
            raise CalibrationInputError(
                [InputProblem(name, 0, "", f"缺少还款状态列 missing status columns ({wanted})")]
            )
        positions = [header.index(c) for c in reversed(columns)]  # oldest first
        id_at = header.index("ID") if "ID" in header else None
        accounts: list[Account] = []
        problems: list[InputProblem] = []
        seen: dict[str, int] = {}
        for number, row in _rows(reader, name):
            if number == 1 and row[positions[-1] : positions[-1] + 1] == ["PAY_0"]:
                continue  # the original file's second (descriptive) header row
            key = row[id_at].strip() if id_at is not None and id_at < len(row) else str(number)
            if key in seen:
                problems.append(
                    InputProblem(name, number, "ID", f"重复账户 duplicate ID (row {seen[key]})")
                )
            seen.setdefault(key, number)
            chain = []
            for at in positions:
                cell = row[at].strip() if at < len(row) else ""
                if not INTEGER.match(cell) or int(cell) not in UCI_STATUSES:
                    problems.append(
                        InputProblem(
                            name,
                            number,
                            header[at],
                            f"还款状态应为 -2 到 9 的整数 status must be an integer -2..9, "
                            f"got {cell!r}",
                        )
                    )
                    continue
                chain.append(state_of(int(cell)))
            accounts.append(Account((tuple(chain),)))
    _raise_if(problems, accounts, name)
    return accounts


def read_monthly_status(path: Path) -> list[Account]:
    """Accounts from a long CSV (``account_id, month, months_late[, segment]``); each account's
    months are sorted, and a missing month starts a new chain."""
    name = str(path)
    with _open(path) as handle:
        reader = csv.reader(handle)
        header = _header(reader, name)
        _check_header(header, name)
        at = [header.index(c) for c in (*MONTHLY_REQUIRED, "segment") if c in header]
        width = max(at) + 1
        months: dict[str, list[tuple[int, int, int]]] = {}
        segments: dict[str, tuple[str, int]] = {}
        problems: list[InputProblem] = []
        month_index: dict[str, int | None] = {}  # a file names few distinct months and counts
        state: dict[str, int | None] = {}
        for number, row in _rows(reader, name):
            if len(row) < width:
                row = row + [""] * (width - len(row))
            account, month, late = (row[i].strip() for i in at[:3])
            found = len(problems)
            if not account:
                problems.append(InputProblem(name, number, "account_id", "不能为空 is empty"))
            if month not in month_index:
                month_index[month] = _month(month)
            index = month_index[month]
            if index is None:
                problems.append(
                    InputProblem(
                        name,
                        number,
                        "month",
                        f"月份应为 YYYY-MM 格式 month must be YYYY-MM, got {month!r}",
                    )
                )
            if late not in state:
                state[late] = (
                    state_of(int(late)) if INTEGER.match(late) and int(late) >= 0 else None
                )
            late_state = state[late]
            if late_state is None:
                problems.append(
                    InputProblem(
                        name,
                        number,
                        "months_late",
                        f"逾期月数应为非负整数 must be a whole number >= 0, got {late!r}",
                    )
                )
            if len(at) == 4:
                problems.extend(
                    _segment_problems(row[at[3]].strip(), account, number, segments, name)
                )
            if len(problems) > found or index is None or late_state is None:
                continue
            months.setdefault(account, []).append((index, late_state, number))
    accounts = _chains(months, segments, problems, name)
    _raise_if(problems, accounts, name)
    return accounts


def _month(text: str) -> int | None:
    """Months since year 0 of ``YYYY-MM``; None when it is not that."""
    matched = MONTH.match(text)
    return None if matched is None else int(matched.group(1)) * 12 + int(matched.group(2)) - 1


def _check_header(header: list[str], name: str) -> None:
    problems = [
        InputProblem(name, 0, c, "缺少必需列 required column missing")
        for c in MONTHLY_REQUIRED
        if c not in header
    ]
    known = MONTHLY_REQUIRED + MONTHLY_OPTIONAL
    unknown = [c for c in header if c not in known]
    if unknown:
        shown = ", ".join(unknown[:8]) + (", …" if len(unknown) > 8 else "")
        problems.append(
            InputProblem(
                name,
                0,
                "",
                f"未知列 unknown columns {shown} (expected {', '.join(known)}; "
                "UCI files take --format uci-taiwan)",
            )
        )
    problems += [
        InputProblem(name, 0, c, "列名重复 column appears twice")
        for c in sorted({c for c in header if header.count(c) > 1})
    ]
    if problems:
        raise CalibrationInputError(problems)


def _segment_problems(
    segment: str, account: str, number: int, segments: dict[str, tuple[str, int]], name: str
) -> list[InputProblem]:
    if not segment:
        return [InputProblem(name, number, "segment", "不能为空 is empty")]
    first = segments.setdefault(account, (segment, number))
    if first[0] != segment:
        return [
            InputProblem(
                name,
                number,
                "segment",
                f"同一账户的分段须一致 an account keeps one segment: {segment!r} here, "
                f"{first[0]!r} in row {first[1]}",
            )
        ]
    return []


def _chains(
    months: dict[str, list[tuple[int, int, int]]],
    segments: dict[str, tuple[str, int]],
    problems: list[InputProblem],
    name: str,
) -> list[Account]:
    accounts = []
    for account, observed in months.items():
        observed.sort()
        chains: list[list[int]] = []
        previous: tuple[int, int, int] | None = None
        for index, state, number in observed:
            if previous is not None and index == previous[0]:
                problems.append(
                    InputProblem(
                        name,
                        number,
                        "month",
                        f"账户月份重复 month repeated for account {account!r} (row {previous[2]})",
                    )
                )
                continue
            if previous is None or index != previous[0] + 1:
                chains.append([])
            chains[-1].append(state)
            previous = (index, state, number)
        segment = segments[account][0] if account in segments else None
        accounts.append(Account(tuple(tuple(c) for c in chains), segment))
    return accounts


def _raise_if(problems: list[InputProblem], accounts: list[Account], name: str) -> None:
    if problems:
        raise CalibrationInputError(sorted(problems, key=lambda p: (p.row, p.column)))
    if not accounts:
        raise CalibrationInputError([InputProblem(name, 0, "", "没有数据行 no data rows")])


def _open(path: Path) -> IO[str]:
    """The file as text (``.gz`` decompressed); a missing or unreadable file is refused."""
    if not path.is_file():
        raise CalibrationInputError([InputProblem(str(path), 0, "", "文件不存在 File not found")])
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    return path.open(encoding="utf-8-sig", newline="")


def _header(reader: Iterator[list[str]], name: str) -> list[str]:
    """The header row, names stripped."""
    try:
        return [h.strip() for h in next(reader, [])]
    except (UnicodeDecodeError, OSError, EOFError, csv.Error) as exc:
        raise CalibrationInputError(
            [InputProblem(name, 0, "", f"无法读取文件 cannot read the file: {exc}")]
        ) from None


def _rows(reader: Iterator[list[str]], name: str) -> Iterator[tuple[int, list[str]]]:
    """The data rows with their numbers (1-based, the header not counted; blank rows are
    counted and skipped); undecodable bytes or a broken archive become one problem."""
    try:
        for number, row in enumerate(reader, start=1):
            if any(cell.strip() for cell in row):
                yield number, row
    except (UnicodeDecodeError, OSError, EOFError, csv.Error) as exc:
        raise CalibrationInputError(
            [InputProblem(name, 0, "", f"无法读取文件 cannot read the file: {exc}")]
        ) from None
