"""What a build leaves beside its artifacts for CI: SHA256SUMS and a JSON build report."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from .atomic import atomic_output

WORD = re.compile(r"\w+(?:[-’']\w+)*")


def count_words(texts) -> int:
    return sum(len(WORD.findall(text)) for text in texts)


def write_checksums(out_dir: Path, outputs: list[Path]) -> Path:
    """`SHA256SUMS` in the format `sha256sum -c` reads; a file in a folder of outputs by its path
    from `out_dir` (`offprints/visit-2024.pdf`)."""
    names = {path.relative_to(out_dir).as_posix() if path.is_relative_to(out_dir) else path.name: path for path in outputs}
    lines = [f"{hashlib.sha256(names[name].read_bytes()).hexdigest()}  {name}\n" for name in sorted(names)]
    target = out_dir / "SHA256SUMS"
    with atomic_output(target) as temporary:
        temporary.write_text("".join(lines), encoding="utf-8")
    return target


def write_report(out_dir: Path, report: dict) -> Path:
    """`build-report.json`: figures about the build, stable keys for CI to read."""
    target = out_dir / "build-report.json"
    with atomic_output(target) as temporary:
        temporary.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return target


