"""Salted password hashes and the verifier that remembers answers."""

from __future__ import annotations

import pytest

from domain import credentials
from domain.credentials import KeyVerifier, hash_key, password_hashes, verify_key


def test_each_hash_has_its_own_salt() -> None:
    first, second = hash_key(b"same", iterations=1000), hash_key(b"same", iterations=1000)
    assert first != second
    assert verify_key(b"same", first)
    assert verify_key(b"same", second)
    assert not verify_key(b"other", first)
    assert "same" not in first


def test_the_verifier_hashes_a_pair_once_whether_it_matches_or_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hashes = password_hashes("right", iterations=1000)
    calls: list[bytes] = []
    real = credentials.verify_key

    def counting(key: bytes, key_hash: str) -> bool:
        calls.append(key)
        return real(key, key_hash)

    monkeypatch.setattr(credentials, "verify_key", counting)
    verifier = KeyVerifier()
    assert verifier.known(b"right", hashes) is None
    assert verifier.known(b"wrong", hashes) is None
    for _ in range(3):
        assert verifier.verify(b"right", hashes)
        assert not verifier.verify(b"wrong", hashes)
    assert calls == [b"right", b"wrong"]
    assert verifier.known(b"right", hashes) is True
    assert verifier.known(b"wrong", hashes) is False
    # A new key has new hashes: the password that failed before is tried against them.
    renewed = password_hashes("wrong", iterations=1000)
    assert verifier.known(b"wrong", renewed) is None
    assert verifier.verify(b"wrong", renewed)
