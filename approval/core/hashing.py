"""Digests that name their algorithm: SM3 (GB/T 32905) where OpenSSL has it, else SHA-256."""

import hashlib
import json

PREFERRED = "sm3" if "sm3" in hashlib.algorithms_available else "sha256"


def digest(data: bytes, algorithm: str = PREFERRED) -> str:
    return hashlib.new(algorithm, data).hexdigest()


def canonical_json(value) -> str:
    """One text per value: sorted keys, no spaces, non-ASCII kept, so hashes are reproducible."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def tagged_digest(value, algorithm: str = PREFERRED) -> str:
    """``alg:hex`` of the canonical JSON of value."""
    return f"{algorithm}:{digest(canonical_json(value).encode(), algorithm)}"


def matches(tagged: str, value) -> bool:
    """Whether ``value`` still has the tagged hash, recomputed in the algorithm it names (a host
    without SM3 can still check what a host with SM3 sealed, and the other way round)."""
    algorithm, _, _ = tagged.partition(":")
    return tagged_digest(value, algorithm) == tagged
