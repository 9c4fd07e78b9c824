"""Salted hashes for charge point passwords (HTTP Basic auth, OCPP security profile 1).

Only hashes are ever stored. A charge point may have more than one acceptable password: after an
AuthorizationKey change both the decoded key and its hex text are accepted, because some charge
points send the hex literally (OCPP16.md §3.1, T22). PBKDF2 keeps a stolen event log from
revealing keys; its cost is paid once per process and password, because verified pairs are
remembered.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

_ALGORITHM = "pbkdf2_sha256"
_ITERATIONS = 120_000


def hash_key(key: bytes, *, salt: str | None = None, iterations: int = _ITERATIONS) -> str:
    salt = salt or secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", key, salt.encode(), iterations)
    return f"{_ALGORITHM}${iterations}${salt}${digest.hex()}"


def verify_key(key: bytes, key_hash: str) -> bool:
    try:
        algorithm, iterations, salt, _ = key_hash.split("$")
    except ValueError:
        return False
    if algorithm != _ALGORITHM:
        return False
    candidate = hash_key(key, salt=salt, iterations=int(iterations))
    return hmac.compare_digest(candidate, key_hash)


def password_hashes(password: str, *, iterations: int = _ITERATIONS) -> tuple[str, ...]:
    """The hashes to store for a password an operator typed."""
    return (hash_key(password.encode(), iterations=iterations),)


def authorization_key_hashes(hex_key: str, *, iterations: int = _ITERATIONS) -> tuple[str, ...]:
    """The hashes to store for an OCPP AuthorizationKey (hex): the bytes it encodes, and the
    hex text itself.

    Raises:
        ValueError: the key is not hexadecimal.
    """
    raw = bytes.fromhex(hex_key)
    return (hash_key(raw, iterations=iterations), hash_key(hex_key.encode(), iterations=iterations))


class KeyVerifier:
    """Remembers which (hashes, password) pairs verified or failed, so that reconnect storms, and
    a charge point retrying a wrong password, cost no PBKDF2 after the first time.

    A failure is remembered per set of hashes: a new key gives new (salted) hashes, and the
    same password is tried afresh against them.
    """

    def __init__(self, capacity: int = 100_000) -> None:
        self._verified: dict[tuple[str, bytes], None] = {}
        self._refused: dict[tuple[tuple[str, ...], bytes], None] = {}
        self._capacity = capacity

    def known(self, password: bytes, key_hashes: tuple[str, ...]) -> bool | None:
        """The remembered answer for this pair, without hashing; None: not known yet."""
        fingerprint = hashlib.sha256(password).digest()
        for key_hash in key_hashes:
            if (key_hash, fingerprint) in self._verified:
                return True
        if (key_hashes, fingerprint) in self._refused:
            return False
        return None

    def verify(self, password: bytes, key_hashes: tuple[str, ...]) -> bool:
        """Whether `password` matches one of `key_hashes` (slow when not known: PBKDF2)."""
        known = self.known(password, key_hashes)
        if known is not None:
            return known
        fingerprint = hashlib.sha256(password).digest()
        for key_hash in key_hashes:
            if verify_key(password, key_hash):
                _remember(self._verified, (key_hash, fingerprint), self._capacity)
                return True
        _remember(self._refused, (key_hashes, fingerprint), self._capacity)
        return False


def _remember(memory: dict[object, None], key: object, capacity: int) -> None:
    if len(memory) >= capacity:
        memory.clear()
    memory[key] = None
