"""Column types that behave the same on SQLite and PostgreSQL.

SQLite has no timezone-aware timestamp type: it stores what it is given and returns naive
values. ``UTCDateTime`` normalises every value to UTC on the way in and marks it UTC on the
way out, so callers always see aware UTC datetimes whichever database is behind the store.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


def to_utc(value: date | datetime) -> datetime:
    """An aware UTC datetime; naive values are taken to be UTC, dates mean midnight UTC."""
    if not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def utc_now() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored and returned as UTC on every backend."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        aware = to_utc(value)
        # SQLite would store the offset as text and compare strings; keep it uniform.
        return aware.replace(tzinfo=None) if dialect.name == "sqlite" else aware

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return to_utc(value)
