"""Reading one value of a user's YAML (the manifest or an article's front matter), checked, with
its place: the readers the manifest and the articles share."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path

from ..confine import confined
from ..model import Contributor
from ..problems import Problems
from .languages import language_problem
from .yaml import Mapping, Sequence

AUTHOR_KEYS = {"name", "affiliation", "email", "orcid"}
URL_LIKE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")  # YYYY-MM-DD, YYYY-MM or YYYY


def check_keys(data: Mapping, known: set[str], path: Path, problems: Problems, what: str) -> None:
    """Warn about each unknown key, with a did-you-mean when a known key is close."""
    for key in data:
        if key in known:
            continue
        close = difflib.get_close_matches(str(key), sorted(known), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        problems.warning(path, data.line_of(key), f"unknown key '{key}' in {what}{hint}", code="unknown-key")


def as_text(value) -> str | None:
    """A scalar as text (YAML gives dates and numbers their own types)."""
    if value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value).strip() if not isinstance(value, (Mapping, Sequence)) else None


def date(data: Mapping, key: str, path: Path, problems: Problems) -> str | None:
    """An ISO 8601 date, YYYY-MM-DD (or YYYY-MM, or YYYY), that is a day of the calendar: the EPUB
    declares it, and EPUBCheck refuses anything else. YAML has already read an unquoted date."""
    value = data.get(key)
    text = as_text(value)
    if value is None or isinstance(value, (dt.date, dt.datetime)) or _is_calendar_date(text):
        return text
    problems.error(path, data.line_of(key), f"'{key}' must be a date of the calendar such as 2024-06-01 (or 2024-06, "
                                            f"or 2024), not '{text}'", code="bad-date")
    return None


def _is_calendar_date(text: str | None) -> bool:
    match = DATE.fullmatch(text or "")
    if not match:
        return False
    try:
        dt.date(*(int(part) if part else 1 for part in match.groups()))
    except ValueError:
        return False
    return True


def language(data: Mapping, key: str, path: Path, problems: Problems) -> str | None:
    """A language tag (languages.py), or None, with a located error, when it is not one."""
    value = data.get(key)
    text = as_text(value)
    if value is not None and text is None:
        problems.error(path, data.line_of(key), f"'{key}' must be text")
        return None
    problem = language_problem(text) if text is not None else None
    if problem:
        problems.error(path, data.line_of(key), f"'{key}': {problem}", code="bad-language")
        return None
    return text


def resolve_inside(root: Path, base: Path, value, path: Path, line: int, problems: Problems, what: str) -> Path | None:
    """Resolve a user path relative to `base`, refusing anything outside the project folder."""
    if not isinstance(value, str) or not value.strip():
        problems.error(path, line, f"{what} must be a path")
        return None
    if Path(value).is_absolute() or URL_LIKE.match(value):
        problems.error(path, line, f"{what} '{value}' must be a path relative to the project folder", code="path-outside")
        return None
    return confined(base / value, [root], problems, path, line, f"{what} '{value}'")


def words(data: Mapping, key: str, path: Path, problems: Problems) -> list[str]:
    """A list of words, given as a YAML list or as one comma-separated string."""
    value = data.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        return [w.strip() for w in value.split(",") if w.strip()]
    if isinstance(value, Sequence) and all(not isinstance(v, (Mapping, Sequence)) for v in value):
        return [as_text(v) for v in value]
    problems.error(path, data.line_of(key), f"'{key}' must be a list of words")
    return []


def files(data: Mapping, key: str, root: Path, base: Path, path: Path, problems: Problems) -> list[Path]:
    """Paths listed under `key` (one or a list), relative to `base`, each an existing file inside `root`."""
    value = data.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        value = Sequence([value])
        value.item_lines = [data.line_of(key)]
    if not isinstance(value, Sequence):
        problems.error(path, data.line_of(key), f"'{key}' must be a list of paths")
        return []
    found = []
    for item, line in zip(value, value.item_lines):
        resolved = resolve_inside(root, base, item, path, line, problems, f"'{key}'")
        if resolved and not resolved.is_file():
            problems.error(path, line, f"'{key}': file '{item}' does not exist", code="missing-file")
        elif resolved:
            found.append(resolved)
    return found


def read_person(value, line: int, path: Path, problems: Problems, roles: set[str] | None = None) -> Contributor | None:
    """A person given as a name or as a mapping (name, affiliation, email, orcid, role)."""
    if isinstance(value, str):
        return Contributor(name=value.strip(), line=line)
    if not isinstance(value, Mapping) or not as_text(value.get("name")):
        problems.error(path, line, "each person needs a 'name'")
        return None
    known = AUTHOR_KEYS | ({"role"} if roles else set())
    check_keys(value, known, path, problems, "a person")
    role = as_text(value.get("role"))
    if roles and role and role not in roles:
        problems.error(path, value.line_of("role"), f"role '{role}' is not one of: {', '.join(sorted(roles))}")
    orcid = as_text(value.get("orcid"))
    if orcid and not re.fullmatch(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]", orcid):
        problems.warning(path, value.line_of("orcid"), f"ORCID '{orcid}' does not look like 0000-0000-0000-0000")
    return Contributor(
        name=as_text(value["name"]),
        affiliation=as_text(value.get("affiliation")),
        email=as_text(value.get("email")),
        orcid=orcid,
        role=role,
        line=line,
    )
