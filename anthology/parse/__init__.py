"""Parse stage: an article's Markdown → an HTML fragment (markdown-it-py with mdit-py-plugins and
our own rules; the citation syntax is a plugin of `citations`). `fragment.py` states the
fragment's conventions that later stages rely on; `sanitize.py` keeps raw HTML to an allow-list."""

from .markdown import parse_article, parser

__all__ = ["parse_article", "parser"]
