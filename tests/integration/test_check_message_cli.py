"""``duecourse check-message`` as a user runs it: the JSON contract, and a clear refusal (exit
2, Chinese and English, no traceback) for input that is not a message."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def run(args: list[str], stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    exe = Path(sys.executable).with_name("duecourse")
    return subprocess.run(
        [str(exe), "check-message", *args],
        input=stdin,
        capture_output=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "100"},
    )


def test_the_json_contract():
    done = run(["再不还钱，我们就去你家，让你全家好看", "--json"])
    assert done.returncode == 0, done.stderr.decode()
    out = json.loads(done.stdout)
    assert out["verdict"] == "violation" and out["mentions_door_visit"] is True
    codes = {f["code"] for f in out["findings"]}
    assert {"THREAT_VIOLENCE", "DOOR_VISIT_MENTION"} <= codes
    for f in out["findings"]:
        assert set(f) >= {"code", "rule", "span", "explanation"}


@pytest.mark.parametrize(
    ("stdin", "says"),
    [
        (b"", "信息为空"),
        (b"  \n ", "信息为空"),
        (b"\x00\x01\x02 123 !!", "没有文字"),
        (b"\xff\xfe\x00\x81garbage", "UTF-8"),
    ],
    ids=["empty", "blank", "no-words", "undecodable"],
)
def test_input_that_is_not_a_message_is_refused_with_exit_2(stdin, says):
    done = run(["-", "--json"], stdin=stdin)
    err = done.stderr.decode("utf-8")
    assert done.returncode == 2
    assert says in err and "Traceback" not in err + done.stdout.decode("utf-8", "replace")
    assert done.stdout == b""


def test_a_huge_text_from_standard_input_is_judged_with_the_rest_counted():
    text = ("不还钱就打断你的腿！" * 20000).encode("utf-8")  # 600 KB
    done = run(["-", "--json"], stdin=text)
    assert done.returncode == 0, done.stderr.decode()
    out = json.loads(done.stdout)
    assert out["verdict"] == "violation"
    assert len(out["findings"]) == 50 and out["findings_omitted"] > 19000
