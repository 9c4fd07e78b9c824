"""Salted hashes for charge point passwords (HTTP Basic auth, OCPP security profile 1).

Only the hash is ever stored. PBKDF2 keeps a stolen event log from revealing keys; its cost is
paid once per process and key, because verified pairs are remembered.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

_ALGORITHM = "pbkdf2_sha256"
_ITERATIONS = 120_000


def hash_key(key: str, *, salt: str | None = None, iterations: int = _ITERATIONS) -> str:
    salt = salt or secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", key.encode(), salt.encode(), iterations)
    return f"{_ALGORITHM}${iterations}${salt}${digest.hex()}"


def verify_key(key: str, key_hash: str) -> bool:
    try:
        algorithm, iterations, salt, _ = key_hash.split("$")
    except ValueError:
        return False
    if algorithm != _ALGORITHM:
        return False
    candidate = hash_key(key, salt=salt, iterations=int(iterations))
    return hmac.compare_digest(candidate, key_hash)


class KeyVerifier:
    """Remembers which (hash, key) pairs verified, so reconnect storms cost no PBKDF2 each."""

    def __init__(self, capacity: int = 100_000) -> None:
        self._verified: dict[tuple[str, bytes], None] = {}
        self._capacity = capacity

    def verify(self, key: str, key_hash: str) -> bool:
        memo = (key_hash, hashlib.sha256(key.encode()).digest())
        if memo in self._verified:
            return True
        if not verify_key(key, key_hash):
            return False
        if len(self._verified) >= self._capacity:
            self._verified.clear()
        self._verified[memo] = None
        return True
