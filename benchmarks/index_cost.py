"""What the index of names costs: the body is laid out once; the index is laid out alone afterwards.

    .venv/bin/python benchmarks/index_cost.py [VOLUME_DIR]

Prints the seconds spent laying out the body, the front matter (twice: with placeholder and with
real page numbers) and the index (building it from the page map, laying it out), and the index's
share of the whole layout.
"""

from __future__ import annotations

import sys
from pathlib import Path

from anthology import Problems, enrich, layout, profiles


def main(root: Path) -> None:
    problems = Problems()
    prepared = enrich(root, problems)
    if prepared is None or problems.errors:
        sys.exit("\n".join(str(p) for p in problems.errors))
    volume = prepared.volume
    book = layout.lay_out(prepared, profiles.profile("screen", volume.bleed), problems)
    total = sum(book.seconds.values())
    entries = sum(len(group) for _, group in book.index)
    print(f"pages {book.page_count}, index entries {entries}, mentions {len(prepared.mentions)}")
    for unit, seconds in book.seconds.items():
        print(f"{unit:>6}: {seconds:6.2f} s  ({seconds / total:5.1%} of layout)")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "."))
