"""Which encoding an import file is read in: detected by strict decoding, across chunk
boundaries, and refused at the exact byte when nothing decodes it."""

from __future__ import annotations

import pytest

from duecourse.adapters.encodings import CHUNK, UTF8_EVIDENCE, Undecodable, detect

HEADER = "borrower_id,name,region\n"


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        (HEADER + "B1,Zhang Wei,Hubei\n", "utf-8", "utf-8"),
        (HEADER + "B1,张伟,湖北\n", "utf-8", "utf-8"),
        (HEADER + "B1,张伟,湖北\n", "utf-8-sig", "utf-8-sig"),
        (HEADER + "B1,张伟,湖北\n", "gbk", "gbk"),
        (HEADER + "B1,王䶮,湖北\n", "gb18030", "gb18030"),  # 䶮 is not in GBK
        (HEADER + "B1,张伟,湖北\n", "utf-16", "utf-16"),
    ],
)
def test_each_encoding_is_detected(tmp_path, text, encoding, expected):
    path = tmp_path / "borrowers.csv"
    path.write_bytes(text.encode(encoding))
    assert detect(path) == expected


def test_a_character_cut_by_the_chunk_boundary_still_decodes(tmp_path):
    for shift in range(3):  # the boundary falls on each byte of a three-byte character
        path = tmp_path / f"long{shift}.csv"
        filler = "x" * (CHUNK - shift - 1)
        path.write_bytes((filler + "张伟" * 10).encode("utf-8"))
        assert detect(path) == "utf-8"
        gbk = tmp_path / f"gbk{shift}.csv"
        gbk.write_bytes(("y" * (CHUNK - shift % 2 - 1) + "张伟" * 10).encode("gbk"))
        assert detect(gbk) == "gbk"


def test_the_bad_byte_is_found_past_the_first_chunk(tmp_path):
    path = tmp_path / "late.csv"
    lines = ["B1,Zhang,Hubei\n"] * (CHUNK // 10)
    data = "".join(lines).encode("ascii")
    path.write_bytes(data + b"B2,\xff,x\n")
    with pytest.raises(Undecodable) as found:
        detect(path)
    assert (found.value.offset, found.value.line, found.value.byte) == (
        len(data) + 3,
        len(lines) + 1,
        0xFF,
    )


def test_utf8_with_a_stray_byte_is_not_reread_as_gb18030(tmp_path):
    """Cut in the middle of a character after plenty of UTF-8, GB18030 would decode the file as
    mojibake; it is refused at the broken character instead."""
    good = (HEADER + "B1,张伟湖北省武汉市江汉\n").encode("utf-8")
    assert len(good) - len(good.decode("utf-8").encode("ascii", "ignore")) >= UTF8_EVIDENCE
    broken = good + "B2,李".encode()[:-1] + b",x\n"
    (tmp_path / "broken.csv").write_bytes(broken)
    assert "张伟" not in broken.decode("gb18030")  # the mojibake it would have become
    with pytest.raises(Undecodable) as found:
        detect(tmp_path / "broken.csv")
    assert found.value.encoding == "utf-8"
    assert found.value.offset == len(good) + 3
    assert found.value.line == 3


def test_a_chosen_encoding_is_checked_and_utf8_drops_a_bom(tmp_path):
    path = tmp_path / "b.csv"
    path.write_bytes((HEADER + "B1,张伟,湖北\n").encode("utf-8-sig"))
    assert detect(path, "UTF8") == "utf-8-sig"
    path.write_bytes((HEADER + "B1,张伟,湖北\n").encode("utf-16"))
    with pytest.raises(Undecodable) as found:
        detect(path, "gbk")
    assert (found.value.encoding, found.value.offset, found.value.byte) == ("gbk", 0, 0xFF)
