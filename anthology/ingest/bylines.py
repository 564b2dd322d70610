"""Bylines — ``Автор: Иван Петров``, ``By Jane Doe and John Roe``, ``Müəllif: Əli Həsənov`` —
read into a list of authors, in ru, kk, az and en."""

from __future__ import annotations

import re

from .dates import date_line, find_date

PREFIX = re.compile(
    r"^\s*(?:"
    r"авторы?|автор материала|текст|подготовил[аи]?|записал[аи]?|беседовал[аи]?|фото и текст|"
    r"дайындаған|дайындағандар|мәтін|жазған|"
    r"müəllif(?:lər)?|hazırladı|hazırlayan|mətn|"
    r"authors?|written by|text|by"
    r")\s*(?:[:—–-]\s*|\s+)", re.I)
_SPLIT = re.compile(r"\s*(?:,|;|&)\s*")
_AND = re.compile(r"\s+(?:и|және|мен|və|and)\s+")
_INITIAL = r"[A-ZА-ЯЁӘҒҚҢӨҰҮҺІƏÇĞİÖŞÜ][a-zа-яёәғқңөұүһіəçğıöşü]?\."
_WORD = r"[A-ZА-ЯЁӘҒҚҢӨҰҮҺІƏÇĞİÖŞÜ][a-zа-яёәғқңөұүһіəçğıöşü'’]+(?:-[A-ZА-ЯЁӘҒҚҢӨҰҮҺІƏÇĞİÖŞÜa-zа-яёәғқңөұүһіəçğıöşü][a-zа-яёәғқңөұүһіəçğıöşü'’]+)?"
_PARTICLE = r"(?:оглы|кызы|қызы|ұлы|улы|oğlu|qızı|uly|kyzy|van|von|de|der|ibn|ибн|бин|bin)"
NAME = re.compile(rf"^(?:(?:{_INITIAL}\s*)+(?:{_WORD})|(?:{_WORD})(?:\s+(?:{_WORD}|{_INITIAL}|{_PARTICLE})){{1,3}}|(?:{_WORD})\s+(?:{_INITIAL}\s*)+)$")


def looks_like_name(text: str) -> bool:
    """Two to four capitalised words or initials with a surname: ``Иван Петров``, ``И. И. Петров``."""
    text = re.sub(r"\s+", " ", text.strip())
    return bool(NAME.match(text)) and len(text) <= 60


def _name_words(text: str) -> bool:
    """Every full Cyrillic word of ``text`` is a name to pymorphy3, or unknown to it (not ``Новости``)."""
    from ..names import looks_like_name as _looks_like_name

    words = [w for w in re.findall(r"[^\W\d_]{2,}", text)]
    return all(_looks_like_name(w) for w in words if w[:1].isupper())


def _uncapitalised(piece: str) -> str:
    """``Асель НУРЛАНОВА`` → ``Асель Нурланова``: a surname in capitals, as many sites print it
    (a word of two or more capitals; initials and short pieces such as ``КазНУ`` stay)."""
    words = piece.split()
    if len(words) < 2 or len(words) > 4:
        return piece
    return " ".join(w.capitalize() if len(w) > 2 and w.isupper() and w.isalpha() else w for w in words)


def _pieces(text: str) -> list[str]:
    """The byline's pieces: at commas, and at «и», «and», «və»… only between names
    (``Иван Петров и Анна Смирнова``, not ``Институт экономики и политики``)."""
    pieces = []
    for piece in _SPLIT.split(text):
        parts = _AND.split(piece)
        pieces.extend(parts if len(parts) > 1 and all(looks_like_name(_uncapitalised(p.strip(" ."))) for p in parts)
                      else [piece])
    return pieces


def parse_byline(line: str, *, need_prefix: bool = True) -> list[dict] | None:
    """The authors named in a byline, as ``[{"name": …, "affiliation": …}]``; None if it is not one.

    Without a prefix (``Автор:``, ``By``) a line counts only if ``need_prefix`` is False and every
    piece of it is a name. A piece after a name that is not a name (``Иван Петров, профессор
    КазНУ``) is taken as that author's affiliation.
    """
    text = line.strip().strip("|•·").strip()
    pieces = re.split(r"\s+[|•·]\s+", text)
    if len(pieces) > 1:  # "Дата: 05.04.2024 | Автор: …": the date piece, labels and all, is not a name
        text = " | ".join(p for p in pieces if not date_line(p))
    date = find_date(text)
    if date:
        text = (text[: date.start] + text[date.end:]).strip(" ,|•·—–-")
    match = PREFIX.match(text)
    if match:
        text = text[match.end():]
    elif need_prefix:
        return None
    text = text.strip(" ,:;")
    if not text or len(text) > 200:
        return None
    authors: list[dict] = []
    for piece in _pieces(text):
        piece = piece.strip(" .") if not re.search(r"\b\w\.$", piece.strip()) else piece.strip()
        if not piece:
            continue
        piece = _uncapitalised(piece)
        if looks_like_name(piece) and (match or _name_words(piece)):
            authors.append({"name": piece})
        elif authors:
            previous = authors[-1].get("affiliation")
            authors[-1]["affiliation"] = f"{previous}, {piece}" if previous else piece
        else:
            return None
    return authors or None


_ABSTRACT = re.compile(r"(?i)^\s*(?:аннотация|резюме|аңдатпа|түйіндеме|xülasə|annotasiya|abstract|summary)\s*[.:—–-]\s*(.+)$", re.S)
_KEYWORDS = re.compile(r"(?i)^\s*(?:ключевые\s+слова|түйін(?:ді)?\s+сөздер|кілт\s+сөздер|açar\s+sözlər|keywords|key\s+words)\s*[.:—–-]\s*(.+)$", re.S)


def parse_labelled(text: str) -> tuple[str, object] | None:
    """``Аннотация. …`` → ("abstract", text); ``Ключевые слова: a, b`` → ("keywords", [a, b])."""
    match = _KEYWORDS.match(text)
    if match:
        words = [w.strip(" .;") for w in re.split(r"[;,]", match.group(1)) if w.strip(" .;")]
        return ("keywords", words) if words else None
    match = _ABSTRACT.match(text)
    if match and match.group(1).strip():
        return "abstract", match.group(1).strip()
    return None
