"""Writing an imported article and its images: never over an existing file.

The article is written to a temporary file and then *linked* to its name, which fails if the
name is taken meanwhile; images go into a folder of their own that must not exist yet.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path

_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y",
    "ь": "", "э": "e", "ю": "iu", "я": "ia",
    "ә": "a", "ғ": "g", "қ": "q", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
    "ə": "a", "ğ": "g", "ı": "i", "ş": "sh", "ç": "ch", "ö": "o", "ü": "u",
}


class WriteError(Exception):
    """The article could not be written; the message names the file."""


def slug(text: str, limit: int = 48) -> str:
    """ASCII letters, digits and '-': a file name and an article id (``Визит 2024`` → ``vizit-2024``)."""
    out = []
    for ch in text.lower():
        if ch in _TRANSLIT:
            out.append(_TRANSLIT[ch])
        else:
            out.append(unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode())
    result = re.sub(r"[^a-z0-9]+", "-", "".join(out)).strip("-")
    if len(result) > limit:
        result = result[:limit].rsplit("-", 1)[0] or result[:limit]
    if not result or not result[0].isalpha():
        result = "article" + ("-" + result if result else "")
    return result


def choose_stem(into: Path, wanted: str, taken=lambda stem: False) -> str:
    """``wanted``, or ``wanted-2``, ``wanted-3`` …: a stem whose article file and image folder are
    free (and, by ``taken``, whose article id the volume does not use yet)."""
    candidate, n = wanted, 1
    while (into / f"{candidate}.md").exists() or (into / "images" / candidate).exists() or taken(candidate):
        n += 1
        candidate = f"{wanted}-{n}"
    return candidate


def write_article(into: Path, stem: str, text: str, images: dict[str, bytes]) -> Path:
    """Write ``into/stem.md`` and ``into/images/stem/*``; refuse (WriteError) rather than overwrite."""
    target = into / f"{stem}.md"
    try:
        into.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(f"{into}: cannot create the folder: {exc.strerror or exc}") from exc
    image_dir = into / "images" / stem
    if images:
        try:
            image_dir.mkdir(parents=True, exist_ok=False)
        except FileExistsError:
            raise WriteError(f"{image_dir}: already exists; nothing was written") from None
        except OSError as exc:
            raise WriteError(f"{image_dir}: cannot create the folder: {exc.strerror or exc}") from exc
    try:
        _write(into, stem, target, text, image_dir, images)
    except WriteError:
        if images:
            for file_name in images:
                (image_dir / file_name).unlink(missing_ok=True)
            try:
                image_dir.rmdir()
            except OSError:
                pass
        raise
    return target


def _write(into: Path, stem: str, target: Path, text: str, image_dir: Path, images: dict[str, bytes]) -> None:
    fd, name = tempfile.mkstemp(prefix=f".{stem}.", suffix=".part", dir=into)
    temporary = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        for file_name, data in images.items():
            (image_dir / file_name).write_bytes(data)
        os.chmod(temporary, 0o644)
        try:
            os.link(temporary, target)
        except FileExistsError:
            raise WriteError(f"{target}: already exists; it was left as it was") from None
        except OSError:  # a file system without hard links: exclusive create instead
            with open(target, "x", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
    except FileExistsError:
        raise WriteError(f"{target}: already exists; it was left as it was") from None
    except OSError as exc:
        raise WriteError(f"{target}: cannot write: {exc.strerror or exc}") from exc
    finally:
        temporary.unlink(missing_ok=True)
