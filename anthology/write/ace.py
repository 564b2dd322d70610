"""Ace by DAISY, the accessibility checker that shops and libraries run on EPUBs, when installed.

`make ace` installs it into tools/ace/ (npm, with Debian's chromium instead of the browser it
would download); `ANTHOLOGY_ACE` may name another `ace-puppeteer`. It runs on local files only."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

TOOLS = Path(__file__).resolve().parent.parent.parent / "tools" / "ace"
CHROMIUM = "/usr/bin/chromium"


def ace_command() -> list[str] | None:
    """How to run Ace here, or None when it (or the browser it needs) is not installed."""
    ace = os.environ.get("ANTHOLOGY_ACE") or str(TOOLS / "node_modules" / ".bin" / "ace-puppeteer")
    browser = os.environ.get("ANTHOLOGY_CHROMIUM", CHROMIUM)
    if not (Path(ace).is_file() and Path(browser).is_file() and shutil.which("node")):
        return None
    return [ace]


# Ace's browser sometimes fails to start or to load its scripts in time on a loaded machine (it
# gives them 5 s and 6 s); that says nothing of the EPUB, so it is tried again before it counts.
ACE_ATTEMPTS = 3


def ace_violations(epub: Path) -> list[str] | None:
    """Each violation Ace finds in `epub` ("impact rule: where"), or None when Ace is not installed."""
    command = ace_command()
    if command is None:
        return None
    failure = ""
    for _attempt in range(ACE_ATTEMPTS):
        report, failure = _run_ace(command, epub)
        if report is not None:
            return violations(report)
    return [f"Ace did not run: {failure}"]


def _run_ace(command: list[str], epub: Path) -> tuple[dict | None, str]:
    """Ace's report on `epub`, or None and the start of what Ace printed when it made none."""
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": str(TOOLS / "chromium"), "PUPPETEER_SKIP_DOWNLOAD": "1",
           "ACE_TIMEOUT_INITIAL": os.environ.get("ACE_TIMEOUT_INITIAL", "30000")}
    with tempfile.TemporaryDirectory(prefix="anthology-ace-") as folder:
        result = subprocess.run([*command, "--force", "--outdir", folder, "--tempdir", f"{folder}/work", str(epub)],
                                capture_output=True, text=True, env=env, timeout=600)
        report = Path(folder) / "report.json"
        if not report.is_file():
            return None, _first_error(result.stdout + result.stderr)
        return json.loads(report.read_text(encoding="utf-8")), ""


def _first_error(printed: str) -> str:
    """The first error line Ace logged (its log is coloured), else the end of what it printed."""
    lines = [re.sub(r"\x1b\[[0-9;]*m", "", line).strip() for line in printed.splitlines()]
    errors = [line for line in lines if line.startswith("error:")]
    return (errors[0].removeprefix("error:").strip() if errors else "\n".join(lines).strip())[-500:]


def violations(report: dict) -> list[str]:
    """The violations of an Ace report.json, one line each."""
    found = []
    for document in report.get("assertions", []):
        for test in document.get("assertions", []):
            rule, impact = test["earl:test"]["dct:title"], test["earl:test"].get("earl:impact", "")
            where = document["earl:testSubject"]["url"]
            pointer = ", ".join(test["earl:result"].get("earl:pointer", {}).get("css", []))
            description = test["earl:result"].get("dct:description", "")
            found.append(f"{impact} {rule}: {where}{' ' + pointer if pointer else ''}: {description}".strip())
    return found
