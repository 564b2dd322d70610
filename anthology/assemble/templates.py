"""The Jinja2 templates (anthology/templates/) and serialising fragments into them."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import lxml.etree
import lxml.html
from jinja2 import Environment, PackageLoader

from .. import __version__
from ..enrich import typography

TEMPLATES = Path(__file__).parent.parent / "templates"  # anthology/templates/


@lru_cache(maxsize=1)
def environment() -> Environment:
    """Templates escape what they print; `typeset(lang)` sets a metadata text's typography (no-break
    spaces, dashes, quotes) as the enrich stage sets the articles' bodies."""
    env = Environment(
        loader=PackageLoader("anthology", "templates"),
        autoescape=True,
        trim_blocks=False,
        keep_trailing_newline=True,
    )
    env.filters["typeset"] = typography.typeset
    return env


def render(template: str, **context) -> str:
    volume = context.get("volume")
    build_date = volume.built.strftime("%Y-%m-%dT%H:%M:%SZ") if volume is not None else None
    return environment().get_template(template).render(version=__version__, build_date=build_date, **context)


def html_of(element) -> str:
    return lxml.html.tostring(element, encoding="unicode")


def xhtml_of(element) -> str:
    """XHTML for an lxml.html element (attributes like epub:type keep their prefix)."""
    return lxml.etree.tostring(element, method="xml", encoding="unicode")
