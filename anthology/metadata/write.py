"""`build/metadata/`: the records of the volume's articles, written into a build's staging folder."""

from __future__ import annotations

import json
from pathlib import Path

from ..model import Volume
from ..space import write_bytes
from .bibtex import bibtex
from .crossref import deposit
from .onix import product_record
from .records import ArticleRecord, csl_items

FOLDER = "metadata"


def write_metadata(folder: Path, volume: Volume, records: list[ArticleRecord], pages: int) -> list[Path]:
    """The files of `folder` (created): CSL-JSON, BibTeX, the Crossref deposit, the ONIX record."""
    folder.mkdir(parents=True, exist_ok=True)
    items = json.dumps(csl_items(volume, records), ensure_ascii=False, indent=2) + "\n"
    files = {
        f"{volume.slug}.csl.json": items.encode("utf-8"),
        f"{volume.slug}.bib": bibtex(volume, records).encode("utf-8"),
        f"{volume.slug}.crossref.xml": deposit(volume, records),
        f"{volume.slug}.onix.xml": product_record(volume, records, pages),
    }
    for name, data in files.items():
        write_bytes(folder / name, data)
    return [folder / name for name in files]
