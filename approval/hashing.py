"""Digests that name their algorithm: SM3 (GB/T 32905) where OpenSSL has it, else SHA-256."""
import hashlib
import json

PREFERRED = "sm3" if "sm3" in hashlib.algorithms_available else "sha256"


def digest(data: bytes, algorithm: str = PREFERRED) -> str:
    return hashlib.new(algorithm, data).hexdigest()


def canonical_json(value) -> str:
    """One text per value: sorted keys, no spaces, non-ASCII kept, so hashes are reproducible."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def tagged_digest(value) -> str:
    """``alg:hex`` of the canonical JSON of value."""
    return f"{PREFERRED}:{digest(canonical_json(value).encode())}"
