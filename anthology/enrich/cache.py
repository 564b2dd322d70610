"""The per-article cache of the enrich stage: an article's result is reused when nothing that can
change it has changed. Its key is everything the result depends on: the article file and its own
references, the registry, the volume's references, the options, and the code itself."""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from pathlib import Path

import lxml.etree
import lxml.html

from .. import names
from ..provenance import code_digest, read_sealed, write_sealed
from ..model import Article, ParsedArticle, Volume
from ..problems import Problem, writing_into

CACHE = "anthology article cache"  # what its entries are sealed for

# The trees are kept as XML, which says where every element ends: HTML leaves out the end of an
# empty `li`, and the white space after it would come back as its text.
_PARSER = lxml.etree.XMLParser(resolve_entities=False, no_network=True)
_PARSER.set_element_class_lookup(lxml.html.HtmlElementClassLookup())


def digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8") if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()


@dataclass
class ArticleResult:
    """One article enriched: what the stage gives for it, and what the cache keeps."""

    parsed: ParsedArticle
    bibliography: lxml.html.HtmlElement | None
    mentions: list[names.Mention]
    problems: list[Problem]


def inputs_key(volume: Volume, strict: bool) -> str:
    """What every article's result depends on besides its own file."""
    files = [volume.people, *volume.references]
    contents = [path.read_bytes() if path and path.is_file() else b"" for path in files]
    return digest(code_digest(), str(strict), volume.lang, volume.citation_style or "", *contents)


def article_key(article: Article, inputs: str) -> str:
    own = [path.read_bytes() for path in article.references if path.is_file()]
    return digest(inputs, str(article.path), article.role, article.path.read_bytes(), *own)


def check_writable(folder: Path) -> None:
    """A cache folder (and so an output folder) that cannot be written stops the run now, with an
    error naming it, before the articles are enriched and the book laid out into it."""
    with writing_into(folder):
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass


def load(folder: Path, key: str, article: Article) -> ArticleResult | None:
    """A cached result, if there is one, it is sealed as `store` sealed it, and the images it used
    are unchanged. An entry edited (or written by other code) counts as absent: what the cache
    holds goes into the book unchecked, so it must be what this code stored."""
    data = read_sealed(folder / f"{key}.json", CACHE, key)
    try:
        return _result(data, article) if data is not None else None
    except (OSError, ValueError, KeyError, TypeError):
        return None

def _result(data: dict, article: Article) -> ArticleResult | None:
    images = {src: Path(path) for src, path in data["images"].items()}
    if any(not path.is_file() or path.stat().st_mtime_ns != data["image_times"][src] for src, path in images.items()):
        return None
    body = _tree(data["body"])
    bibliography = _tree(data["bibliography"]) if data["bibliography"] else None
    mentions = [names.Mention(**{**m, "ambiguous_with": tuple(m["ambiguous_with"])}) for m in data["mentions"]]
    problems = [Problem(**p) for p in data["problems"]]
    return ArticleResult(ParsedArticle(article, body, images), bibliography, mentions, problems)


def store(folder: Path, key: str, result: ArticleResult) -> None:
    data = {
        "body": _text(result.parsed.body),
        "bibliography": _text(result.bibliography) if result.bibliography is not None else None,
        "images": {src: str(path) for src, path in result.parsed.images.items()},
        "image_times": {src: path.stat().st_mtime_ns for src, path in result.parsed.images.items()},
        "mentions": [vars(m) for m in result.mentions],
        "problems": [vars(p) for p in result.problems],
    }
    with writing_into(folder):
        folder.mkdir(parents=True, exist_ok=True)
        write_sealed(folder / f"{key}.json", CACHE, key, data)


def _text(tree) -> str:
    return lxml.etree.tostring(tree, encoding="unicode", method="xml", with_tail=False)


def _tree(text: str):
    """The tree read back, in the body of an HTML document as a fresh one is (an HTML document
    takes attribute names such as `epub:type`, which XML refuses)."""
    tree = lxml.etree.fromstring(text, _PARSER)
    lxml.html.document_fromstring("<html><body></body></html>").find("body").append(tree)
    return tree
