"""The rights guide's data file (``borrower/rights.yaml``) ⇄ ``borrower.rights`` records."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from duecourse.borrower.rights import Basis, Bilingual, Channel, Guide, Right

GUIDE = Path(__file__).parent.parent / "borrower" / "rights.yaml"


def _bilingual(data: dict[str, str]) -> Bilingual:
    return Bilingual(str(data["zh"]), str(data["en"]))


def _right(data: dict[str, Any]) -> Right:
    return Right(
        id=str(data["id"]),
        title=_bilingual(data["title"]),
        body=_bilingual(data["body"]),
        basis=tuple(
            Basis(str(b["law"]), str(b["article"]), str(b["grade"])) for b in data["basis"]
        ),
        rules=tuple(str(r) for r in data.get("rules", ())),
    )


def parse_guide(data: dict[str, Any]) -> Guide:
    """The guide from its decoded YAML."""
    return Guide(
        rights=tuple(_right(r) for r in data["rights"]),
        not_rights=tuple(_right(r) for r in data["not_rights"]),
        channels=tuple(
            Channel(
                id=str(c["id"]),
                name=_bilingual(c["name"]),
                number=str(c["number"]),
                when=_bilingual(c["when"]),
                deadline_days=c["deadline_days"],
            )
            for c in data["channels"]
        ),
    )


@cache
def guide() -> Guide:
    """The bundled guide (read once per process)."""
    return parse_guide(yaml.safe_load(GUIDE.read_text(encoding="utf-8")))
