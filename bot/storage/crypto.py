"""Free text encrypted at rest, with a key id on every value so keys can be rotated.

A stored value looks like ``k1a2b3c4d:<Fernet token>``. The key id is derived from the key, so
a value names the key it needs; a missing or wrong key is a clear error, never garbage.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken


class KeyError_(Exception):
    """A secret key is missing, malformed, or does not open the stored data."""


def generate_key() -> str:
    return Fernet.generate_key().decode("ascii")


def key_id(key: str) -> str:
    return "k" + hashlib.sha256(key.encode("ascii")).hexdigest()[:8]


def validate_key(key: str) -> str:
    """The key if it is urlsafe base64 of 32 bytes; raises ValueError otherwise."""
    try:
        raw = base64.urlsafe_b64decode(key.encode("ascii"))
    except (binascii.Error, UnicodeEncodeError, ValueError) as error:
        raise ValueError("not urlsafe base64") from error
    if len(raw) != 32:
        raise ValueError("not 32 bytes")
    return key


class Cipher:
    """Encrypts with the first key; decrypts with whichever key a value names."""

    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise KeyError_("no secret key given")
        self._primary = key_id(keys[0])
        self._fernets = {key_id(k): Fernet(validate_key(k).encode("ascii")) for k in keys}

    @property
    def primary_key_id(self) -> str:
        return self._primary

    def encrypt(self, text: str) -> str:
        token = self._fernets[self._primary].encrypt(text.encode("utf-8")).decode("ascii")
        return f"{self._primary}:{token}"

    def decrypt(self, stored: str) -> str:
        kid, _, token = stored.partition(":")
        fernet = self._fernets.get(kid)
        if fernet is None:
            raise KeyError_(
                f"stored data needs key id {kid}, but MOTEKLAR_SECRET_KEY has key id "
                f"{self._primary}: is this the right key for this database?"
            )
        try:
            return fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except InvalidToken as error:
            raise KeyError_(f"stored data for key id {kid} could not be decrypted") from error
