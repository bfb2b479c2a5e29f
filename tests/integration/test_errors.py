"""Every listed failure of issue 15 is one clear bilingual message with the right exit code,
no traceback, and the store left exactly as it was (compared by a dump checksum)."""

from __future__ import annotations

import csv
import json
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from duecourse.adapters.store import open_store
from duecourse.entrypoints.boundary import LOG_DIR_VAR, UNEXPECTED
from duecourse.entrypoints.cli import app
from duecourse.service.importer import import_paths
from duecourse.service.sample import write_sample
from tests.integration.test_check_contact_cli import REQUEST
from tests.store_checksum import store_checksum

AS_OF = date(2025, 6, 30)
SEGMENT = Path(__file__).parents[2] / "src/duecourse/strategies/segment.yaml"


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    write_sample(out, accounts=40, seed=5, as_of=AS_OF)
    return out


@pytest.fixture
def store(tmp_path, sample) -> Path:
    """A store holding the 40-account sample."""
    path = tmp_path / "store.db"
    import_paths(open_store(f"sqlite:///{path}"), [sample])
    return path


@pytest.fixture
def empty_store(tmp_path) -> Path:
    path = tmp_path / "empty.db"
    open_store(f"sqlite:///{path}").dispose()
    return path


def cli(store: Path, *args: str, stdin: bytes | None = None):
    """Run the command line on ``store``; assert it changed nothing and printed no traceback."""
    before = store_checksum(store)
    result = CliRunner().invoke(app, ["--db", f"sqlite:///{store}", *args], input=stdin)
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.exception
    assert store_checksum(store) == before
    return result


def said(result, *parts: str) -> None:
    for part in parts:
        assert part in result.output, (part, result.output)


# --- import ---------------------------------------------------------------------------------


def test_a_gbk_export_is_detected_and_imported_as_the_utf8_one(store, sample, tmp_path):
    gbk = tmp_path / "gbk"
    gbk.mkdir()
    text = (sample / "borrowers.csv").read_text(encoding="utf-8")
    (gbk / "borrowers.csv").write_bytes(text.encode("gbk"))
    before = store_checksum(store)
    result = CliRunner().invoke(app, ["--db", f"sqlite:///{store}", "import", str(gbk)])
    assert result.exit_code == 0, result.output
    said(result, "borrowers.csv · 编码 encoding gbk")
    assert store_checksum(store) == before  # the same rows: nothing to change


@pytest.mark.parametrize(
    ("encoding", "shown"),
    [("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030"), ("utf-16", "utf-16")],
)
def test_bom_and_gb18030_files_say_which_encoding_was_used(tmp_path, encoding, shown):
    # 䶮 (U+4DAE) is outside GBK: only GB18030 encodes it, so detection must go past GBK.
    rows = [
        ["borrower_id", "name", "id_number", "phones", "region"],
        ["B1", "王䶮", "420102199001011236", "13800000001", "湖北"],
    ]
    data = tmp_path / "data"
    data.mkdir()
    text = "".join(",".join(r) + "\r\n" for r in rows)
    (data / "borrowers.csv").write_bytes(text.encode(encoding))
    url = f"sqlite:///{tmp_path / 's.db'}"
    result = CliRunner().invoke(app, ["--db", url, "import", str(data)])
    assert result.exit_code == 0, result.output
    said(result, f"borrowers.csv · 编码 encoding {shown}")
    names = sqlite3.connect(tmp_path / "s.db").execute("select name from borrowers").fetchall()
    assert names == [("王䶮",)]


def test_undecodable_bytes_name_the_file_line_and_offset(store, sample, tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    data = (sample / "borrowers.csv").read_bytes()
    third_line = data.index(b"\n", data.index(b"\n") + 1) + 1
    (bad / "borrowers.csv").write_bytes(data[:third_line] + b"\xff" + data[third_line:])
    result = cli(store, "import", str(bad))
    assert result.exit_code == 1
    said(
        result,
        "borrowers.csv",
        f"字节偏移 {third_line}",
        "第 3 行",
        f"byte 0xff at offset {third_line}, line 3",
        "nothing was written",
    )


def test_a_chosen_encoding_that_does_not_fit_is_an_error(store, sample, tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    text = (sample / "borrowers.csv").read_text(encoding="utf-8")
    (bad / "borrowers.csv").write_bytes(text.encode("utf-16"))
    result = cli(store, "import", "--encoding", "GBK", str(bad))
    assert result.exit_code == 1
    said(result, "borrowers.csv", "无法按 gbk 解码", "cannot be decoded as gbk: byte 0xff")
    unknown = cli(store, "import", "--encoding", "klingon", str(bad))
    assert unknown.exit_code == 2
    said(unknown, "未知编码 unknown encoding: 'klingon'")


def test_a_one_megabyte_field_names_file_row_and_column(store, sample, tmp_path):
    big = tmp_path / "big"
    big.mkdir()
    with (sample / "borrowers.csv").open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    rows[3][rows[0].index("region")] = "x" * 1_000_000
    with (big / "borrowers.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    result = cli(store, "import", str(big))
    assert result.exit_code == 1
    said(
        result,
        "borrowers.csv 第 3 行 row 3, 列 column 'region'",
        "字段过长（1,000,000 字符，上限 10,000）",
        "field too long (1,000,000 characters; the maximum is 10,000)",
    )


def test_a_truncated_parquet_file_is_refused_before_anything_is_read(store, sample, tmp_path):
    folder = tmp_path / "pq"
    folder.mkdir()
    table = pacsv.read_csv(sample / "payments.csv")
    whole = folder / "whole.parquet"
    pq.write_table(table, whole)
    data = whole.read_bytes()
    whole.unlink()
    (folder / "payments.parquet").write_bytes(data[: len(data) // 2])
    result = cli(store, "import", str(folder))
    assert result.exit_code == 1
    said(
        result,
        "payments.parquet",
        "不是可读的 Parquet 文件（截断或损坏）",
        "not a readable Parquet file (truncated or corrupt)",
    )


# --- run, check-contact, strategy, templates, decide, --db, overrides -------------------------


def test_run_on_an_empty_store_says_to_import_first(empty_store):
    result = cli(empty_store, "run", "--as-of", "2025-06-30")
    assert result.exit_code == 1
    said(
        result,
        "库中没有任何贷款，请先导入",
        "the store holds no loans; import a portfolio first",
    )


def test_an_unknown_time_zone_in_a_request_names_the_field(store, tmp_path):
    request = tmp_path / "req.json"
    debtor = {**REQUEST["debtor"], "timezones": ["Asia/Beijing"]}
    request.write_text(json.dumps({**REQUEST, "debtor": debtor}), encoding="utf-8")
    result = cli(store, "check-contact", str(request))
    assert result.exit_code == 2
    said(result, "debtor.timezones.0", "'Asia/Beijing' 不是 IANA 时区", "is not an IANA time zone")


def test_a_missing_or_binary_request_file(store, tmp_path):
    missing = cli(store, "check-contact", str(tmp_path / "nope.json"))
    assert missing.exit_code == 2
    said(missing, "请求文件不存在 request file not found", "nope.json")
    binary = tmp_path / "binary.json"
    binary.write_bytes(b'{"pack": "cn"\x00\x9f\xff\x10}')
    shown = cli(store, "check-contact", str(binary))
    assert shown.exit_code == 1
    said(
        shown,
        "请求文件不是 UTF-8 文本（第 1 行，字节偏移 14，字节 0x9f）",
        "request file is not UTF-8 text (line 1, byte offset 14, byte 0x9f)",
        "binary.json",
    )
    piped = cli(store, "check-contact", "-", stdin=b"\xff\xfe{}")
    assert piped.exit_code == 1
    said(piped, "(stdin)", "not UTF-8 text")


@pytest.mark.parametrize("command", [["strategy", "check"], ["templates", "check"]])
def test_checking_a_missing_file(store, tmp_path, command):
    result = cli(store, *command, str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2
    said(result, "不存在", "not found", "nope.yaml")


def test_decide_on_a_missing_or_broken_input(store, tmp_path):
    out = str(tmp_path / "out.parquet")
    args = ["decide", "--table", str(SEGMENT), "--output", out, "--input"]
    missing = cli(store, *args, str(tmp_path / "nope.parquet"))
    assert missing.exit_code == 2
    said(missing, "输入文件不存在 input file not found", "nope.parquet")
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1 not really")
    shown = cli(store, *args, str(broken))
    assert shown.exit_code == 1
    said(shown, "输入文件不是可读的 Parquet 文件", "input file is not a readable Parquet file")
    assert not (tmp_path / "out.parquet").exists()


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("notaurl", "数据库地址无效 not a usable store URL"),
        ("nosuchdialect://x", "数据库地址无效 not a usable store URL"),
        ("sqlite:////no/such/folder/x.db", "无法打开数据库 cannot open the store"),
    ],
)
def test_a_store_url_that_does_not_work(url, reason):
    result = CliRunner().invoke(app, ["--db", url, "run"])
    assert result.exit_code == 2
    said(result, reason, url)
    assert "Traceback" not in result.output


def test_overrides_that_are_missing_or_not_yaml(store, tmp_path):
    missing = cli(store, "run", "--overrides", str(tmp_path / "nope.yaml"))
    assert missing.exit_code == 2
    said(missing, "规则包覆盖文件不存在 overrides file not found", "nope.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("params: [CN-TIME-01\n", encoding="utf-8")
    shown = cli(store, "run", "--overrides", str(broken))
    assert shown.exit_code == 2
    said(shown, "broken.yaml: 第 2 行 line 2, column 1: 不是有效的", "not valid YAML")
    listed = tmp_path / "listed.yaml"
    listed.write_text("- CN-TIME-01\n", encoding="utf-8")
    not_mapping = cli(store, "strategy", "lint", str(SEGMENT), "--overrides", str(listed))
    assert not_mapping.exit_code == 2
    said(not_mapping, "listed.yaml: (top): 应为映射", "Input should be a valid dictionary")


def test_invalid_values_in_an_overrides_file_never_show_a_traceback(store, tmp_path, monkeypatch):
    monkeypatch.setenv(LOG_DIR_VAR, str(tmp_path / "logs"))
    quiet = tmp_path / "quiet.yaml"
    quiet.write_text('params:\n  CN-TIME-01:\n    quiet: ["25:00", "09:00"]\n', encoding="utf-8")
    result = cli(store, "run", "--as-of", "2025-06-30", "--overrides", str(quiet))
    # Until the pack's overrides are validated (issue 15, item 3) this one is caught by the
    # error boundary as unexpected: a short message and the log file.
    assert result.exit_code in (2, UNEXPECTED)
    said(result, "25:00")
    if result.exit_code == UNEXPECTED:
        said(result, "Details are in the log: " + str((tmp_path / "logs").resolve()))


def test_the_installed_command_shows_no_traceback(tmp_path):
    """Through the console script itself, in a fresh process."""
    done = subprocess.run(
        [Path(sys.executable).parent / "duecourse", "--db", "notaurl", "run"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stdout + done.stderr
    assert "数据库地址无效 not a usable store URL" in done.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["run", "--as-of", "2025-06-30"],
        ["facts", "--as-of", "2025-06-30"],
        ["decide", "--table", str(SEGMENT), "--input", "x.parquet"],
    ],
    ids=["run", "facts", "decide"],
)
def test_an_output_in_a_missing_folder_is_refused_before_any_work(store, tmp_path, command):
    target = str(tmp_path / "no" / "such" / "out.parquet")
    result = cli(store, *command, "--output", target)
    assert result.exit_code == 2
    said(result, "输出文件夹不存在 the output file's folder does not exist", target)


def test_a_date_that_is_not_one(store):
    result = cli(store, "facts", "--as-of", "2025-02-30")
    assert result.exit_code == 2
    said(result, "--as-of 不是日期 is not a date (YYYY-MM-DD): '2025-02-30'")


def test_a_sample_over_an_existing_file(store, tmp_path):
    existing = tmp_path / "taken"
    existing.write_text("x", encoding="utf-8")
    result = cli(store, "sample", "--accounts", "3", str(existing))
    assert result.exit_code == 2
    said(result, "无法打开文件 cannot open the file", str(existing))
