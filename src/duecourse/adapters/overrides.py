"""A lender's rule-pack overrides file (YAML), checked against a schema built from the pack.

``{"params": {RULE: {name: value}}, "disabled": [RULE, ...]}``. The schema (pydantic) is made
from the pack's own parameters, so every rule and parameter is known: each parameter is checked
by what it means: a time zone is an IANA zone, ``quiet`` a valid window, a cap or count a whole
number from 0 up to a bound set by its unit, a purpose or channel one of the known names. Every
problem is listed at once, by field path, Chinese first with English beside it; duplicate keys
are refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationError,
    create_model,
)

from duecourse.adapters.fields import amount_units, field_path, known_zone, time_window
from duecourse.compliance.packs import BUILT_IN, OverrideError
from duecourse.compliance.request import ChannelName, Purpose
from duecourse.compliance.rulefile import RuleFileError, read_rules

_STRICT = ConfigDict(extra="forbid", strict=True)
_WINDOWS = {"quiet", "inconvenient", "unsocial"}
_NAMES: dict[str, Any] = {
    "purposes": Purpose,
    "third_party_purposes": Purpose,
    "allowed": Purpose,
    "electronic": ChannelName,
    "channels": ChannelName,
}
_ZH = {
    "int_type": "应为整数",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文本",
    "greater_than_equal": "不能为负",
    "less_than_equal": "超出合理范围",
    "literal_error": "不是允许的取值",
    "tuple_type": "应为列表",
    "list_type": "应为列表",
    "model_type": "应为映射",
    "dict_type": "应为映射",
}


def _rate(value: Any) -> str:
    """A rate written as text (``"0.36"``) or a YAML number, in the one accepted form."""
    text = repr(value) if isinstance(value, int | float) and not isinstance(value, bool) else value
    if not isinstance(text, str):
        return text  # type: ignore[no-any-return]  # the str type check reports it
    amount_units(text, 6, "the rate")
    return text


def _int_max(name: str) -> int:
    """The largest sensible value of a whole-number parameter, by its unit."""
    unit = name.rsplit("_", 1)[-1]
    return {"years": 100, "months": 1200, "days": 36_500, "minutes": 525_600}.get(unit, 10**6)


def _field_type(name: str, default: Any) -> Any:
    """The schema type of one parameter, from its name and default."""
    if name == "zone":
        return Annotated[StrictStr, AfterValidator(known_zone)]
    if name in _WINDOWS:
        return Annotated[tuple[str, str], BeforeValidator(time_window)]
    if isinstance(default, bool):
        return StrictBool
    if isinstance(default, int):
        return Annotated[StrictInt, Field(ge=0, le=_int_max(name))]
    if isinstance(default, tuple):
        item = _NAMES.get(name, StrictStr)
        return list[item]  # type: ignore[valid-type]  # load_pack makes it a tuple
    if isinstance(default, str):
        return Annotated[str, BeforeValidator(_rate)]
    return type(default)


def _schema(pack: str) -> type[BaseModel]:
    rules = BUILT_IN[pack]
    params = create_model(  # type: ignore[call-overload]
        "params",
        __config__=_STRICT,
        **{
            r.id: (
                create_model(  # type: ignore[call-overload]
                    r.id,
                    __config__=_STRICT,
                    **{k: (_field_type(k, v) | None, None) for k, v in r.params.items()},
                )
                | None,
                None,
            )
            for r in rules
        },
    )
    ids: Any = Literal[tuple(r.id for r in rules)]
    disabled: Any = list[ids] | None
    model: type[BaseModel] = create_model(
        "overrides",
        __config__=_STRICT,
        params=(params | None, None),
        disabled=(disabled, None),
        rules=(list[Any] | None, None),  # a lender's own rules: checked by read_rules
    )
    return model


_SCHEMAS = {pack: _schema(pack) for pack in BUILT_IN}


def check_overrides(data: Any, pack: str, source: str = "overrides") -> dict[str, Any]:
    """``data`` checked against ``pack``'s schema, as :func:`load_pack` takes it; raises
    :class:`OverrideError` listing every problem (``source: path: reason``)."""
    if pack not in _SCHEMAS:
        raise OverrideError([f"未知规则包 · unknown pack {pack!r}; known: {', '.join(BUILT_IN)}"])
    if data is None:
        return {}
    try:
        checked = _SCHEMAS[pack].model_validate(data)
    except ValidationError as exc:
        raise OverrideError([f"{source}: {_problem(e, pack)}" for e in exc.errors()]) from None
    out: dict[str, Any] = checked.model_dump(exclude_none=True)
    if out.get("rules") is not None:
        try:
            read_rules(out["rules"], "rules")
        except RuleFileError as exc:
            raise OverrideError([f"{source}: {p}" for p in exc.problems]) from None
    for rule_id, values in list(out.get("params", {}).items()):
        out["params"][rule_id] = {k: v for k, v in values.items() if v is not None}
    return out


def _problem(error: Any, pack: str) -> str:
    loc = [str(p) for p in error["loc"]]
    path = field_path(loc)
    if error["type"] == "extra_forbidden":
        what = ("section", "节"), ("rule", "规则"), ("parameter", "参数")
        en, zh = what[min(len(loc), 3) - 1] if loc else what[0]
        known = _known(loc, pack)
        return f"{path}: 未知{zh} · unknown {en} (known: {known})"
    if error["type"] == "value_error":  # our own checks: the message is bilingual already
        return f"{path}: {str(error['msg']).removeprefix('Value error, ')}"
    got = repr(error["input"])
    got = got if len(got) <= 40 else got[:35] + "…"
    return f"{path}: {_ZH.get(str(error['type']), '取值无效')} · {error['msg']}, got {got}"


def _known(loc: list[str], pack: str) -> str:
    rules = {r.id: r for r in BUILT_IN[pack]}
    if len(loc) <= 1:
        return "params, disabled, rules"
    if len(loc) == 2:
        return ", ".join(rules)
    rule = rules.get(loc[1])
    return ", ".join(rule.params) if rule else "-"


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing a key given twice in one mapping. Pure Python on purpose:
    libyaml's parser (``CSafeLoader``) overflows the C stack on deeply nested input."""


def _mapping(loader: _Loader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            duplicate = key in seen
            seen.add(key)
        except TypeError:  # an unhashable key; construct_mapping reports it
            continue
        if duplicate:
            raise yaml.constructor.ConstructorError(
                None, None, f"键重复 · duplicate key {key!r}", key_node.start_mark
            )
    return loader.construct_mapping(node, deep=True)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def parse_overrides(text: str, pack: str, source: str = "overrides") -> dict[str, Any]:
    """Overrides YAML text, read and checked (:func:`check_overrides`)."""
    try:
        data = yaml.load(text, Loader=_Loader)  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        at = (
            f"第 {where.line + 1} 行 line {where.line + 1}, column {where.column + 1}: "
            if where
            else ""
        )
        reason = getattr(exc, "problem", None) or str(exc)
        raise OverrideError([f"{source}: {at}不是有效的 YAML · not valid YAML: {reason}"]) from None
    except RecursionError:
        raise OverrideError([f"{source}: 嵌套过深 · nested too deeply"]) from None
    except (ValueError, OverflowError) as exc:  # a scalar PyYAML cannot build: 2025-02-30, 1e5000
        raise OverrideError([f"{source}: 值无法读取 · a value cannot be read: {exc}"]) from None
    return check_overrides(data, pack, source)


def load_overrides(path: Path | None, pack: str) -> dict[str, Any] | None:
    """The overrides file at ``path`` (``None``: no overrides), read and checked."""
    if path is None:
        return None
    from duecourse.adapters.textfile import read_text

    # a missing file is a usage error, bytes that are not UTF-8 a data error (both name it)
    return parse_overrides(read_text(path, "规则包覆盖文件", "overrides file"), pack, path.name)


__all__ = ["OverrideError", "check_overrides", "load_overrides", "parse_overrides"]
