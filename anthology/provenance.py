"""What a cached result depends on besides its own inputs: the toolchain itself."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from functools import lru_cache
from pathlib import Path

from . import __version__

CODE_SUFFIXES = (".py", ".lua", ".csl", ".dic", ".tex", ".html", ".xhtml")


@lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of the toolchain's modules, templates and data: a result made by other code is made
    again, even where the version number did not change."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(p for p in package.rglob("*") if p.is_file() and p.suffix in CODE_SUFFIXES):
        digest.update(f"{path.relative_to(package)}\0".encode() + path.read_bytes())
    return digest.hexdigest()


def seal(purpose: str, key: str, entry: str) -> str:
    """A cache entry's digest, keyed by its purpose, its own key and the code: it tells an entry this
    code stored from one edited afterwards. A check of integrity, not a secret: whoever runs this
    code on the same sources can seal an entry."""
    secret = hashlib.sha256(f"{purpose}\0{code_digest()}\0{key}\0".encode()).hexdigest()
    return hmac.new(secret.encode(), entry.encode(), hashlib.sha256).hexdigest()


def write_sealed(path: Path, purpose: str, key: str, data: dict) -> None:
    """`data` as a sealed cache entry at `path`, put in place whole (a temporary name per process)."""
    entry = json.dumps(data, ensure_ascii=False)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.part")
    try:
        temporary.write_text(json.dumps({"digest": seal(purpose, key, entry), "entry": entry}), encoding="utf-8")
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)


def read_sealed(path: Path, purpose: str, key: str) -> dict | None:
    """The entry `write_sealed` stored at `path` for `purpose` and `key`; None when there is none,
    or it was edited or written by other code."""
    try:
        sealed = json.loads(path.read_text(encoding="utf-8"))
        if hmac.compare_digest(seal(purpose, key, sealed["entry"]), sealed["digest"]):
            return json.loads(sealed["entry"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return None


def file_digest(path: Path) -> str:
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()
