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

from ..confine import inside
from ..problems import Problems

_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y",
    "ь": "", "э": "e", "ю": "iu", "я": "ia",
    "ә": "a", "ғ": "g", "қ": "q", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
    "ə": "a", "ğ": "g", "ı": "i", "ş": "sh", "ç": "ch", "ö": "o", "ü": "u",
}


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


def write_article(into: Path, stem: str, text: str, images: dict[str, bytes], problems: Problems,
                  source: Path, root: Path | None = None) -> Path | None:
    """Write ``into/stem.md`` and ``into/images/stem/*``, never over an existing file, and never
    through a link that leads out of ``into`` or the project folder ``root``.

    None when it cannot, with the reason reported at ``source`` (the file being imported).
    """
    target = into / f"{stem}.md"
    image_dir = into / "images" / stem
    reason = _make_folders(into, image_dir if images else None, [into, root or into])
    if reason is None:
        reason = _write(into, stem, target, text, image_dir, images)
        if reason is not None and images:
            _remove_images(image_dir, images)
    if reason is not None:
        problems.error(source, None, reason, code="write")
        return None
    return target


def _make_folders(into: Path, image_dir: Path | None, roots: list[Path]) -> str | None:
    """Make the article's folder, and its own image folder (which must not exist yet); why not, if not."""
    try:
        into.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return f"cannot create the folder {into}: {exc.strerror or exc}"
    if image_dir is None:
        return None
    if inside(image_dir.parent, roots) is None:
        return (f"{image_dir.parent} is a link to {image_dir.parent.resolve()}, outside the project: "
                f"nothing was written")
    try:
        image_dir.mkdir(parents=True, exist_ok=False)
    except FileExistsError:
        return f"{image_dir} already exists; nothing was written"
    except OSError as exc:
        return f"cannot create the folder {image_dir}: {exc.strerror or exc}"
    return None


def _remove_images(image_dir: Path, images: dict[str, bytes]) -> None:
    for file_name in images:
        (image_dir / file_name).unlink(missing_ok=True)
    try:
        image_dir.rmdir()
    except OSError:
        pass


def _write(into: Path, stem: str, target: Path, text: str, image_dir: Path, images: dict[str, bytes]) -> str | None:
    """Write the images, then link the article into place only if its name is still free; why not, if not."""
    fd, name = tempfile.mkstemp(prefix=f".{stem}.", suffix=".part", dir=into)
    temporary = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        for file_name, data in images.items():
            (image_dir / file_name).write_bytes(data)
        os.chmod(temporary, 0o644)
        _link(temporary, target, text)
    except FileExistsError:
        return f"{target} already exists; it was left as it was"
    except OSError as exc:
        return f"cannot write {target}: {exc.strerror or exc}"
    finally:
        temporary.unlink(missing_ok=True)
    return None


def _link(temporary: Path, target: Path, text: str) -> None:
    """Give the written file its name; FileExistsError if the name is taken (meanwhile)."""
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: exclusive create instead
        with open(target, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
