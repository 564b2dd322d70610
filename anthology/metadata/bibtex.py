"""The volume's articles as BibTeX `@incollection` entries, for LaTeX users and reference managers."""

from __future__ import annotations

from ..model import Volume
from .records import ArticleRecord, container_title, year_of

SPECIAL = str.maketrans({"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%",
                         "$": r"\$", "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"})


def escaped(text: str) -> str:
    """Text as a BibTeX field value (UTF-8 kept: biber and bibtexparser read it)."""
    return " ".join(text.split()).translate(SPECIAL)


def names(people) -> str:
    """BibTeX's «Family, Given and Family, Given»."""
    parts = []
    for person in people:
        words = person.name.split()
        parts.append(f"{words[-1]}, {' '.join(words[:-1])}" if len(words) > 1 else person.name)
    return " and ".join(escaped(part) for part in parts)


def entry(volume: Volume, record: ArticleRecord) -> str:
    article = record.article
    fields = [("author", names(article.authors)), ("title", escaped(article.title)),
              ("booktitle", escaped(container_title(volume))), ("editor", names(volume.editors)),
              ("publisher", escaped(volume.publisher or "")), ("address", escaped(volume.place or "")),
              ("year", str(year_of(volume) or "")), ("pages", record.pages.replace("–", "--")),
              ("isbn", volume.identifiers.get("isbn_print", "")), ("doi", article.doi or ""),
              ("langid", article.lang), ("keywords", escaped(", ".join(article.keywords))),
              ("abstract", escaped(article.abstract or ""))]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@incollection{{{article.id},\n{body}\n}}\n"


def bibtex(volume: Volume, records: list[ArticleRecord]) -> str:
    return "\n".join(entry(volume, record) for record in records)
