"""Encryption of sensitive fields at rest, and blind indexes for looking them up.

Values are stored as ``v1:<algorithm>:<base64(nonce + ciphertext + tag)>``. AES-256-GCM is the
default; SM4-GCM (GB/T 32907) is used when FIELD_ENCRYPTION_ALGORITHM is "SM4-GCM" and the
OpenSSL build supports it. A blind index (HMAC-SHA256 under a key derived separately) lets the
database enforce uniqueness of, and look up by, an ID-card number without storing it in clear.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import cache

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "v1"


@cache
def _master_key() -> bytes:
    configured = settings.FIELD_ENCRYPTION_KEY
    if configured:
        try:
            key = base64.b64decode(configured, validate=True)
        except ValueError as exc:
            raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY must be base64.") from exc
        if len(key) != 32:
            raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY must decode to 32 bytes.")
        return key
    # Development and tests only (production requires the setting).
    return hashlib.sha256(b"hongfan-field-key:" + settings.SECRET_KEY.encode()).digest()


def _subkey(purpose: bytes) -> bytes:
    return hmac.new(_master_key(), purpose, hashlib.sha256).digest()


def _sm4_gcm(key: bytes, nonce: bytes, data: bytes, *, encrypt: bool, tag: bytes = b"") -> bytes:
    if encrypt:
        enc = Cipher(algorithms.SM4(key[:16]), modes.GCM(nonce)).encryptor()
        return enc.update(data) + enc.finalize() + enc.tag
    dec = Cipher(algorithms.SM4(key[:16]), modes.GCM(nonce, tag)).decryptor()
    return dec.update(data) + dec.finalize()


def encrypt(plaintext: str) -> str:
    """Return the stored form of ``plaintext``."""
    algorithm = settings.FIELD_ENCRYPTION_ALGORITHM
    nonce = os.urandom(12)
    data = plaintext.encode()
    key = _subkey(b"field-encryption")
    if algorithm == "AES-GCM":
        blob = AESGCM(key).encrypt(nonce, data, None)
        tag = "A"
    elif algorithm == "SM4-GCM":
        blob = _sm4_gcm(key, nonce, data, encrypt=True)
        tag = "S"
    else:
        raise ImproperlyConfigured(f"Unknown FIELD_ENCRYPTION_ALGORITHM {algorithm!r}.")
    return f"{PREFIX}:{tag}:{base64.b64encode(nonce + blob).decode()}"


def decrypt(stored: str) -> str:
    """Return the plaintext of a value produced by :func:`encrypt`."""
    try:
        prefix, tag, payload = stored.split(":", 2)
    except ValueError as exc:
        raise ValueError("Not an encrypted value.") from exc
    if prefix != PREFIX:
        raise ValueError("Unknown encryption version.")
    raw = base64.b64decode(payload)
    nonce, blob = raw[:12], raw[12:]
    key = _subkey(b"field-encryption")
    if tag == "A":
        return AESGCM(key).decrypt(nonce, blob, None).decode()
    if tag == "S":
        return _sm4_gcm(key, nonce, blob[:-16], encrypt=False, tag=blob[-16:]).decode()
    raise ValueError("Unknown algorithm tag.")


def blind_index(value: str, *, purpose: str = "default") -> str:
    """Return a keyed digest of ``value`` for equality look-ups and unique constraints."""
    normalised = value.strip().upper()
    key = _subkey(b"blind-index:" + purpose.encode())
    return hmac.new(key, normalised.encode(), hashlib.sha256).hexdigest()
