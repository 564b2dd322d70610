"""Load stage: `anthology.yaml` and the article files → a validated `model.Volume`.

Every problem is collected with its `path:line`, so `anthology check` can list them all at once.
`yaml.py` is the one YAML reader for every user file; `fields.py` reads single values; the
manifest and the articles each have their module; `styles.py` finds the stylesheets and checks
what they load.
"""

from .articles import FRONT_MATTER, derive_id, load_article, split_front_matter
from .manifest import MANIFEST, PAGE_SIZES, load_volume

__all__ = ["FRONT_MATTER", "MANIFEST", "PAGE_SIZES", "derive_id", "load_article", "load_volume", "split_front_matter"]
