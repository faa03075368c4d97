"""Token vault: round trip, refusal without the right key, key rotation."""

from __future__ import annotations

import pytest

from redaction.vault import TokenVault, VaultKeyError, VaultLockedError, generate_vault_key

MAPPING = {"[Mother]": "Synthetic Name", "[Phone 1]": "07700 900123"}


def test_round_trip_restores_the_mapping() -> None:
    vault = TokenVault(generate_vault_key())
    sealed = vault.seal(MAPPING)
    assert b"Synthetic" not in sealed and b"07700" not in sealed
    assert vault.open(sealed) == MAPPING


def test_another_key_cannot_open_it() -> None:
    sealed = TokenVault(generate_vault_key()).seal(MAPPING)
    with pytest.raises(VaultLockedError):
        TokenVault(generate_vault_key()).open(sealed)


def test_tampering_is_detected() -> None:
    vault = TokenVault(generate_vault_key())
    sealed = bytearray(vault.seal(MAPPING))
    sealed[20] = ord("A") if sealed[20] != ord("A") else ord("B")
    with pytest.raises(VaultLockedError):
        vault.open(bytes(sealed))


@pytest.mark.parametrize("key", [None, "", "   ", "not-a-key", "a" * 44])
def test_missing_or_bad_key_refuses_to_start(key: str | None) -> None:
    with pytest.raises(VaultKeyError):
        TokenVault(key)


def test_rotation_keeps_old_entries_readable() -> None:
    old, new = generate_vault_key(), generate_vault_key()
    sealed_old = TokenVault(old).seal(MAPPING)
    both = TokenVault([new, old])
    rotated = both.rotate(sealed_old)
    assert TokenVault(new).open(rotated) == MAPPING
    with pytest.raises(VaultLockedError):
        TokenVault(old).open(rotated)
