"""Which text encoding an import file is in: UTF-8 (with or without BOM), GBK or GB18030.

Chinese lenders' exports come in UTF-8 or in GBK/GB18030 (Excel's default on a Chinese
Windows). Detection is strict decoding, not guessing: a file is read in the first of these
that decodes every byte of it —

1. a byte-order mark decides: ``utf-8-sig`` (EF BB BF) or ``utf-16`` (FF FE / FE FF);
2. ``utf-8``: Chinese text in GBK is almost never valid UTF-8, so a file that decodes is UTF-8;
3. ``gbk``, then ``gb18030`` (a superset of GBK that also decodes every Unicode character).

A file that is UTF-8 up to a stray byte is not silently re-read as GB18030 (which would turn
its Chinese into mojibake): when at least :data:`UTF8_EVIDENCE` bytes of multi-byte UTF-8 come
before the first bad byte, the file is taken as broken UTF-8 and refused at that byte.
``--encoding`` skips detection; the named encoding must then decode the whole file.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

AUTO = "auto"
DETECTED = ("utf-8", "gbk", "gb18030")
#: Multi-byte UTF-8 bytes (>= 0x80) before a bad byte that make a file "UTF-8 with an error".
UTF8_EVIDENCE = 24
CHUNK = 1 << 20
_HIGH = bytes(range(0x80, 0x100))


@dataclass(frozen=True, slots=True)
class Undecodable(Exception):
    """The file has a byte sequence the encoding cannot decode, at ``offset`` (0-based) on
    ``line`` (1-based, the header is line 1)."""

    encoding: str
    offset: int
    line: int
    byte: int

    def reason(self, tried: str) -> str:
        """Bilingual reason naming the byte, its offset and its line."""
        return (
            f"无法按 {tried} 解码：第 {self.line} 行（含表头），字节偏移 {self.offset}，"
            f"字节 0x{self.byte:02x} · cannot be decoded as {tried}: byte 0x{self.byte:02x} "
            f"at offset {self.offset}, line {self.line} (counting the header); "
            "choose the encoding with --encoding"
        )


def canonical(name: str) -> str:
    """The codec's canonical name (``GBK`` → ``gbk``, ``utf8`` → ``utf-8``); ``LookupError``
    for an encoding Python does not know."""
    return AUTO if name.lower() == AUTO else codecs.lookup(name).name


@dataclass(frozen=True, slots=True)
class _Scan:
    error: Undecodable | None
    high_bytes_before: int  # bytes >= 0x80 decoded before the first error (or in the file)


def _scan(path: Path, encoding: str) -> _Scan:
    """Decode the whole file strictly, chunk by chunk; where the first bad byte is."""
    base = 0  # absolute offset of data[0]
    lines = 1
    high = 0
    carry = b""
    with path.open("rb") as handle:
        while True:
            chunk = handle.read(CHUNK)
            data = carry + chunk
            if not data:
                return _Scan(None, high)
            try:
                data.decode(encoding)
                good, carry = data, b""
            except UnicodeDecodeError as exc:
                # A sequence cut by the chunk boundary is carried to the next chunk.
                if chunk and exc.start >= len(data) - 4:
                    good, carry = data[: exc.start], data[exc.start :]
                else:
                    before = data[: exc.start]
                    where = lines + before.count(b"\n")
                    bad = Undecodable(encoding, base + exc.start, where, data[exc.start])
                    return _Scan(bad, high + len(before) - len(before.translate(None, _HIGH)))
            lines += good.count(b"\n")
            high += len(good) - len(good.translate(None, _HIGH))
            base += len(good)
            if not chunk:
                return _Scan(None, high)


def _bom(path: Path) -> str | None:
    with path.open("rb") as handle:
        start = handle.read(4)
    if start.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def detect(path: Path, chosen: str = AUTO) -> str:
    """The encoding to read ``path`` with; raises :class:`Undecodable` (of the last encoding
    tried) when none decodes it. ``chosen`` other than ``auto`` is checked, not trusted."""
    bom = _bom(path)
    if chosen != AUTO:
        name = canonical(chosen)
        if name == "utf-8" and bom == "utf-8-sig":
            name = "utf-8-sig"
        scan = _scan(path, name)
        if scan.error is not None:
            raise scan.error
        return name
    if bom is not None:
        scan = _scan(path, bom)
        if scan.error is not None:
            raise scan.error
        return bom
    first = _scan(path, "utf-8")
    if first.error is None:
        return "utf-8"
    if first.high_bytes_before >= UTF8_EVIDENCE:
        raise first.error
    last = first.error
    for name in DETECTED[1:]:
        scan = _scan(path, name)
        if scan.error is None:
            return name
        last = scan.error
    raise last
