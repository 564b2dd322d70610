"""The volume's articles as the world outside reads them: citable records with their real pages.

One set of facts (`records.py`: authors, affiliations, ORCID, abstracts, keywords, languages, page
ranges from the layout, ISBN, DOI) made into each format an index, a DOI agency or another
author's bibliography reads: CSL-JSON and BibTeX (`bibtex.py`), a Crossref deposit for an edited
book with its chapters (`crossref.py`), an ONIX 3.0 product record for the book trade and the
national ISBN agency (`onix.py`); the cite lines (`cite.py`) and what registration requires of an
article (`checks.py`). Nothing here knows of PDF or EPUB.
"""

from .checks import check_registration
from .cite import citations_of
from .records import CITABLE, ArticleRecord, article_records, csl_items
from .write import FOLDER, write_metadata

__all__ = ["CITABLE", "FOLDER", "ArticleRecord", "article_records", "check_registration", "citations_of", "csl_items",
           "write_metadata"]
