"""The one settings object: profiles, env precedence, fail-closed validation."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from api.settings import Settings, load_settings


def test_test_profile_is_loaded_from_its_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASELENS_PROFILE", "test")
    settings = load_settings()
    assert settings.progress is False
    assert settings.ingest_batch_size == 50


def test_a_profile_named_in_code_reads_that_profiles_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASELENS_PROFILE", "local")
    settings = Settings(profile="test")
    assert settings.profile == "test"
    assert (settings.progress, settings.ingest_batch_size) == (False, 50)
    monkeypatch.delenv("CASELENS_PROFILE")
    assert load_settings(profile="test").ingest_batch_size == 50
    with pytest.raises(ValueError, match="unknown profile"):
        Settings(profile="production-typo")


def test_environment_beats_profile_and_overrides_beat_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CASELENS_PROFILE", "test")
    monkeypatch.setenv("CASELENS_INGEST_BATCH_SIZE", "7")
    assert load_settings().ingest_batch_size == 7
    assert load_settings(ingest_batch_size=9).ingest_batch_size == 9


def test_unknown_profile_fails_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASELENS_PROFILE", "production-typo")
    with pytest.raises(ValueError, match="unknown profile"):
        Settings()


@pytest.mark.parametrize(
    ("field", "value"),
    [("generator", "gpt"), ("link_threshold", "1.5"), ("ingest_batch_size", "0")],
)
def test_bad_values_are_rejected(monkeypatch: pytest.MonkeyPatch, field: str, value: str) -> None:
    monkeypatch.setenv(f"CASELENS_{field.upper()}", value)
    with pytest.raises(ValidationError):
        Settings()


def test_sqlite_is_the_embedded_default(tmp_path) -> None:
    settings = load_settings(data_dir=tmp_path)
    assert settings.resolved_database_url.startswith("sqlite:///")
    assert str(tmp_path) in settings.resolved_database_url
    url = "postgresql+psycopg://caselens@127.0.0.1/caselens"
    assert load_settings(database_url=url).resolved_database_url == url


def test_offline_switches_are_set_by_the_project() -> None:
    import os

    import retrieval  # noqa: F401

    assert os.environ["HF_HUB_OFFLINE"] == "1"
    assert os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] == ""
