"""The index of names: the registry of people, their mentions in articles, and the index itself.

Three steps, each a plain function:

1. ``load_registry`` reads ``people.yaml``, reports every problem with its line, and compiles
   every form of every name into one lookup table of token sequences, once per volume;
2. ``annotate`` finds the mentions in one article body and wraps each in
   ``<span class="mention" id="ARTICLE-mN" data-person="ID">``, honouring ``.person`` and
   ``.noindex`` marks;
3. ``build_index`` turns the mentions (and, for print, the page map) into letter groups of entries
   with locators and cross-references.

The modules, each with one job:

- ``registry``: Person, Registry, ``load_registry`` and the checks of ``people.yaml``;
- ``forms``: which token sequences mention a name (surname alone, with given names or initials);
- ``russian`` and ``suffixes``: the case forms. They are apart because they work differently:
  Russian declension changes the word's ending, depends on gender and asks pymorphy3 about given
  names, while Kazakh, Azerbaijani and English forms only append a suffix chosen by the word's
  last sound and vowels;
- ``words``: what one word is (Cyrillic, a particle), and the pymorphy3 analyser;
- ``matcher``: tokens of a text and the registered forms among them;
- ``mentions``: Mention, ``annotate`` and ``ambiguity_message``;
- ``namelike``: name-like text the registry does not cover (``candidates``, ``looks_like_name``);
- ``index``: ``build_index`` with IndexEntry and Locator;
- ``report``: what ``anthology names`` prints.
"""

from .index import IndexEntry, Locator, build_index
from .mentions import WOMAN, Mention, ambiguity_message, annotate
from .namelike import candidates, is_surely_a_name, looks_like_name
from .registry import Registry, load_registry
from .report import mention_rows, registry_stubs, unregistered

__all__ = [
    "WOMAN", "IndexEntry", "Locator", "Mention", "Registry", "ambiguity_message", "annotate", "build_index",
    "candidates", "is_surely_a_name", "load_registry", "looks_like_name", "mention_rows", "registry_stubs", "unregistered",
]
