"""Dates as people write them in ru, kk, az and en, read into ``datetime.date``.

``30 марта, 2024``, ``30 марта 2024 г.``, ``2024 жылғы 30 наурыз``, ``30 mart 2024``,
``March 30, 2024``, ``30 March 2024``, ``30.03.2024``, ``2024-03-30T10:00:00+05:00``.
"""

from __future__ import annotations

import datetime as dt
import re

_MONTH_LISTS = [
    # Russian: genitive, nominative, abbreviations
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
    "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь",
    "янв фев мар апр май июн июл авг сен окт ноя дек",
    "январе феврале марте апреле мае июне июле августе сентябре октябре ноябре декабре",
    # Kazakh
    "қаңтар ақпан наурыз сәуір мамыр маусым шілде тамыз қыркүйек қазан қараша желтоқсан",
    # Azerbaijani
    "yanvar fevral mart aprel may iyun iyul avqust sentyabr oktyabr noyabr dekabr",
    # English
    "january february march april may june july august september october november december",
    "jan feb mar apr may jun jul aug sep oct nov dec",
]
MONTHS: dict[str, int] = {}
for _line in _MONTH_LISTS:
    for _n, _word in enumerate(_line.split(), 1):
        MONTHS.setdefault(_word, _n)
MONTHS.update({"февр": 2, "сент": 9, "нояб": 11, "sept": 9})
# Kazakh and Azerbaijani months take case endings (наурызда, наурыздың, martın, martda).
_STEMMED = {word: n for word, n in MONTHS.items() if len(word) >= 4 and not word.isascii() or word in
            ("yanvar", "fevral", "mart", "aprel", "iyun", "iyul", "avqust", "sentyabr", "oktyabr", "noyabr", "dekabr")}

_WORD = r"([^\W\d_]{3,12})\.?"
_PATTERNS = [
    ("iso", re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?(?!\d)")),
    ("dmy-word", re.compile(r"(?<!\d)(\d{1,2})(?:-?(?:го|е))?\s+" + _WORD + r",?\s+(\d{4})(?!\d)")),
    ("mdy-word", re.compile(_WORD + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?!\d)")),
    ("ydm-word", re.compile(r"(?<!\d)(\d{4})\s*(?:-?(?:ci|cı|cu|cü))?\s*(?:жылғы|жылы|ж\.|ilin|il)\s+(\d{1,2})(?:-?(?:сі|ы|і))?\s+" + _WORD)),
    ("numeric", re.compile(r"(?<![\d.])(\d{1,2})([./])(\d{1,2})\2(\d{4})(?![\d])")),
]


def month(word: str) -> int | None:
    word = word.casefold().rstrip(".")
    if word in MONTHS:
        return MONTHS[word]
    for stem, n in _STEMMED.items():
        if word.startswith(stem) and len(word) - len(stem) <= 4:
            return n
    return None


class DateMatch:
    def __init__(self, date: dt.date, start: int, end: int, text: str, ambiguous: bool = False):
        self.date, self.start, self.end, self.text, self.ambiguous = date, start, end, text, ambiguous


def find_date(text: str) -> DateMatch | None:
    """The first date written in ``text``, or None."""
    found: list[DateMatch] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            result = _read(kind, m)
            if result:
                date, ambiguous = result
                found.append(DateMatch(date, m.start(), m.end(), m.group(0), ambiguous))
                break
    return min(found, key=lambda d: d.start) if found else None


def _read(kind: str, m: re.Match) -> tuple[dt.date, bool] | None:
    ambiguous = False
    try:
        if kind == "iso":
            y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        elif kind == "dmy-word":
            d, mo, y = int(m.group(1)), month(m.group(2)), int(m.group(3))
        elif kind == "mdy-word":
            mo, d, y = month(m.group(1)), int(m.group(2)), int(m.group(3))
        elif kind == "ydm-word":
            y, d, mo = int(m.group(1)), int(m.group(2)), month(m.group(3))
        else:
            a, sep, b, y = int(m.group(1)), m.group(2), int(m.group(3)), int(m.group(4))
            d, mo = a, b
            if sep == "/" and a <= 12 and b > 12:
                d, mo = b, a
            elif sep == "/" and a <= 12 and b <= 12 and a != b:
                ambiguous = True
        if not mo or not 1800 <= y <= 2200:
            return None
        return dt.date(y, mo, d), ambiguous
    except (ValueError, TypeError):
        return None


def parse_date(text: str) -> dt.date | None:
    """A date from a value such as a meta tag's content or a front matter field."""
    if isinstance(text, dt.datetime):
        return text.date()
    if isinstance(text, dt.date):
        return text
    found = find_date(str(text or ""))
    return found.date if found else None


_DATE_LABELS = re.compile(
    r"(?i)\b(опубликовано|опубликован[оа]?|обновлено|изменено|дата( публикации)?|размещено|"
    r"published( on)?|updated( on)?|posted( on)?|last modified|date|on|"
    r"жарияланды|жарияланған( уақыты)?|жаңартылды|күні|"
    r"dərc (olunub|edilib|olunma tarixi)|yeniləndi|tarix|"
    r"г|гг|года|год|жыл|жылы|жылғы|ж|il|ilin|в|at|saat|сағат|"
    r"понедельник|вторник|среда|четверг|пятница|суббота|воскресенье|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"дүйсенбі|сейсенбі|сәрсенбі|бейсенбі|жұма|сенбі|жексенбі|"
    r"bazar ertəsi|çərşənbə axşamı|çərşənbə|cümə axşamı|cümə|şənbə|bazar)\b\.?")


def date_line(line: str) -> DateMatch | None:
    """The date, when ``line`` is a date line: nothing but a date, a time, labels and punctuation."""
    found = find_date(line)
    if not found:
        return None
    rest = line[: found.start] + " " + line[found.end:]
    rest = re.sub(r"\d{1,2}[:.]\d{2}(?::\d{2})?", " ", rest)
    rest = _DATE_LABELS.sub(" ", rest)
    rest = re.sub(r"[\W\d_]+", " ", rest).strip()
    return found if not rest else None
