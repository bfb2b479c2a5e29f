"""Reading a small text file named on the command line (a strategy, templates, overrides, a
request): a missing file is a usage error, bytes that are not UTF-8 are a data error, both
naming the file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from duecourse.errors import BadData, BadUsage, FileMissing


def read_text(path: Path, zh_what: str = "文件", en_what: str = "file") -> str:
    """The file's text (UTF-8, a BOM is dropped); :class:`FileMissing` when it is not there,
    :class:`BadData` naming the byte when it is not UTF-8 text."""
    try:
        data = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        raise FileMissing(path, zh_what, en_what) from None
    except IsADirectoryError:
        raise BadUsage(
            f"{zh_what}是目录，不是文件", f"{en_what} is a directory, not a file", str(path)
        ) from None
    except PermissionError:
        raise BadUsage(
            f"无权读取{zh_what}", f"{en_what} cannot be read (permission denied)", str(path)
        ) from None
    return decode_text(data, str(path), zh_what, en_what)


def decode_text(data: bytes, name: str, zh_what: str = "文件", en_what: str = "file") -> str:
    """``data`` as UTF-8 text; :class:`BadData` naming the first byte that is not."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        byte = data[exc.start]
        raise BadData(
            f"{zh_what}不是 UTF-8 文本（第 {line} 行，字节偏移 {exc.start}，字节 0x{byte:02x}）",
            f"{en_what} is not UTF-8 text (line {line}, byte offset {exc.start}, "
            f"byte 0x{byte:02x})",
            name,
        ) from None


def read_yaml_mapping(path: Path, zh_what: str, en_what: str) -> dict[str, Any]:
    """A YAML file whose top level is a mapping (an empty file is an empty mapping); a missing
    file, YAML that does not parse or a top level that is not a mapping is a usage error."""
    import yaml

    text = read_text(path, zh_what, en_what)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at_zh = f"（第 {mark.line + 1} 行，第 {mark.column + 1} 列）" if mark else ""
        at_en = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise BadUsage(
            f"{zh_what}不是有效的 YAML{at_zh}",
            f"{en_what} is not valid YAML{at_en}",
            str(path),
            [f"  {problem}"],
        ) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise BadUsage(
            f"{zh_what}的顶层必须是映射（键: 值）",
            f"{en_what} must be a mapping (key: value) at the top, not {type(data).__name__}",
            str(path),
        )
    return data
