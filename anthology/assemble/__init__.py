"""Assemble stage: enriched articles → the book as HTML for print (render units: front matter, body
chunks, back matter); the EPUB's documents are made from the same articles in `anthology.epub`.

`contents.py` is the hierarchy both list, `back_matter.py` what is listed after the body,
`templates.py` the Jinja2 environment over anthology/templates/.
"""

from .back_matter import back_matter, contributors, is_english
from .cite import cite_lines
from .contents import back_matter_entries, bibliography_entry, toc_entries
from .print_html import print_back, print_blank, print_colophon, print_body, print_body_chunks, print_front, print_fragment, print_offprint

__all__ = ["back_matter", "cite_lines", "back_matter_entries", "bibliography_entry", "contributors", "is_english", "print_back", "print_blank", "print_body", "print_colophon",
           "print_body_chunks", "print_fragment", "print_front", "print_offprint", "toc_entries"]
