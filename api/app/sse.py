"""Server-sent events framing (one JSON payload per event)."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel


def event(name: str, payload: BaseModel | dict[str, Any]) -> str:
    data = (
        payload.model_dump_json()
        if isinstance(payload, BaseModel)
        else json.dumps(payload, ensure_ascii=False)
    )
    return f"event: {name}\ndata: {data}\n\n"
