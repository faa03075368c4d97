"""Read and validate a policy file; every problem is a ``PolicyError`` (fail closed)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import ValidationError

if TYPE_CHECKING:
    from retrieval.policy.model import InformationSharingPolicy


class PolicyError(ValueError):
    """The policy file is missing or invalid; caselens refuses to run without a valid one."""


class _UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that rejects duplicate keys instead of silently keeping the last one."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node)
        if key in mapping:
            raise PolicyError(f"duplicate key {key!r} at line {key_node.start_mark.line + 1}")
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _describe(error: ValidationError) -> str:
    lines = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"]) or "(top level)"
        lines.append(f"  {where}: {item['msg']}")
    return "\n".join(lines)


def load_policy(path: str | Path) -> InformationSharingPolicy:
    """Load ``path``; raises ``PolicyError`` naming the file and every problem found."""
    from retrieval.policy.model import InformationSharingPolicy

    policy_path = Path(path)
    if not policy_path.is_file():
        raise PolicyError(f"information-sharing policy not found: {policy_path}")
    try:
        data = yaml.load(policy_path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    except yaml.YAMLError as exc:
        raise PolicyError(f"policy {policy_path} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not data:
        raise PolicyError(f"policy {policy_path} is empty or not a mapping")
    try:
        return InformationSharingPolicy.model_validate(data)
    except ValidationError as exc:
        raise PolicyError(f"policy {policy_path} is invalid:\n{_describe(exc)}") from exc
