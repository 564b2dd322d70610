"""anthology: compile a multilingual edited volume into a print PDF and an EPUB 3.

The public API, which the command line, the tests and the benchmarks use:

    problems = anthology.check(root)           # every problem, located (`Problems`)
    result = anthology.build(root)             # the PDF, the EPUB, SHA256SUMS, build-report.json
    problems, findings = anthology.proofread(root)   # the faults on the laid-out pages
    volume = anthology.load_volume(root, problems)
    enriched = anthology.enrich(root, problems)

A run stopped by the user's files raises `VolumeError` (an `AnthologyError`), which carries every
problem; docs/architecture.md shows the stages behind these calls.
"""

__version__ = "0.1.0"

from . import stopping  # noqa: E402

if stopping.started_as_the_command_line():  # before the stages' libraries load
    stopping.hold_start_up()

from .load import load_volume  # noqa: E402  (after __version__, which the stages read)
from .model import Enriched, Volume  # noqa: E402
from .pipeline import FORMATS, BuildResult, build, check, enrich, proofread  # noqa: E402
from .problems import AnthologyError, Interrupted, Problem, Problems, VolumeError  # noqa: E402
from .profiles import DEFAULT_PROFILE, PROFILES  # noqa: E402

__all__ = ["DEFAULT_PROFILE", "FORMATS", "PROFILES", "AnthologyError", "BuildResult", "Enriched", "Interrupted",
           "Problem", "Problems", "Volume", "VolumeError", "__version__", "build", "check", "enrich", "load_volume",
           "proofread"]
