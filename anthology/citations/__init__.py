"""Citations and bibliographies: load references, format citations with pandoc's citeproc.

The enrich stage for citations. `markdown.py` (with `citations_plugin`) leaves every citation as

    <span class="citation" data-cites='[{"id", "prefix", "suffix", "locator", "label", "mode"}]'>

and the stage formats all of an article's citations and its reference list with the pandoc binary
bundled in pypandoc-binary (`--citeproc`, never the network). See docs/citations.md.

- `syntax.py`: the Markdown syntax (a markdown-it plugin) and `parse_locator`;
- `references.py`: `Reference`, `load_references` (CSL-JSON, CSL-YAML, BibTeX), `unused_references`;
- `styles.py`: `resolve_style`, what a CSL style does (`style_info`), the CSL locales;
- `engine.py`: `process_article`, `process_articles`, `process_volume`: the citeproc runs;
- `format.py`: the citation spans read from the HTML and filled back, the reference list;
- `sorting.py`: alphabetical lists re-sorted on the style's own sort keys (`collation.py`);
- `pandoc.py`: running the bundled pandoc (`TIMINGS`) and the pieces of its JSON AST.
"""

from .engine import CitationJob, CitationTarget, process_article, process_articles, process_volume
from .format import cited_keys
from .pandoc import TIMINGS
from .references import Reference, load_references, unused_references
from .styles import STYLE_DIR, resolve_style
from .syntax import citations_plugin, parse_locator

__all__ = [
    "Reference",
    "CitationTarget",
    "CitationJob",
    "load_references",
    "resolve_style",
    "process_article",
    "process_articles",
    "process_volume",
    "unused_references",
    "cited_keys",
    "citations_plugin",
    "parse_locator",
    "STYLE_DIR",
    "TIMINGS",
]
