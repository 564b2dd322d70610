"""What a registration requires of an article (Crossref, the citation indexes): a `check` warning
at the front-matter line that lacks it."""

from __future__ import annotations

from ..model import Volume
from ..problems import Problems
from .records import CITABLE


def check_registration(volume: Volume, problems: Problems) -> None:
    """For a volume that is registered (it has `registration:` or a DOI): every author of a citable
    article has an affiliation; with `registration: english_abstract`, every article has an
    abstract in English (its own, or `abstract_en`)."""
    if not (volume.registration or volume.identifiers.get("doi")):
        return
    english = volume.registration.get("english_abstract") is True
    for article in volume.articles():
        if article.role not in CITABLE:
            continue
        for author in article.authors:
            if not author.affiliation:
                problems.warning(article.path, author.line or article.lines.get("authors"),
                                 f"author '{author.name}' has no affiliation, which registration (Crossref, "
                                 f"the citation indexes) requires", code="registration")
        if english and not (article.abstract_en or (article.lang.startswith("en") and article.abstract)):
            problems.warning(article.path, article.lines.get("abstract") or article.lines.get("title"),
                             "the article has no English abstract ('abstract_en'), which the volume's "
                             "registration asks for", code="registration")
