#!/usr/bin/env python3
"""The side-by-side benchmark: anthology against WeasyPrint alone and against pandoc, in one run.

    .venv/bin/python benchmarks/run.py            # full size: 40 chapters × 8 articles, ~1,000 A5 pages
    .venv/bin/python benchmarks/run.py --quick    # 8 × 8, ~200 pages, a few minutes

Generates the corpus into build/bench-volume (benchmarks/generate.py), then measures, each in a
child process whose whole process tree is sampled for RSS every 0.1 s (from /proc):

  (a) WeasyPrint alone rendering the book HTML that anthology assembles, in one process, with the
      same stylesheets (render + write timed inside the process): the single-process floor;
  (b) pandoc (the pypandoc-binary wheel): the same articles Markdown → HTML (--citeproc), that HTML
      → PDF with WeasyPrint and the same CSS, and Markdown → EPUB; the sum and each part;
  (c) `anthology build` (PDF + EPUB), cold: no cache of any kind left from an earlier run;
  (d) `anthology build` again after appending one sentence to one article;
  (c′) `anthology build`, cold, on a copy of the volume whose manifest turns the proof's settling
      off (`proof: {settle: false}`): what settling costs;
  (e) the peak RSS of each (the sum of VmRSS over the tree, which counts the pages forked workers
      share with the build once per process), and the peak sum of Pss, which counts them once.

Prints a table and writes build/benchmark.json with the keys pages, weasyprint_one_pass_s,
pandoc_s, cold_s, rebuild_one_article_s, peak_rss_mb (the peak of the anthology builds), peak_pss_mb, and
"detail" with everything else. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BUILD = REPO / "build"
VOLUME = BUILD / "bench-volume"
WORK = BUILD / "bench-work"          # (a) and (b): book HTML, pandoc inputs and outputs, logs
XDG_CACHE = BUILD / "bench-xdg-cache"  # the children's XDG_CACHE_HOME, so that a user-level cache is ours too
RESULT = BUILD / "benchmark.json"

SIZES = {"full": (40, 8), "quick": (8, 8)}
GOALS = {"cold_vs_weasyprint": 0.6, "cold_vs_pandoc": 0.6, "rebuild_vs_cold": 0.1, "peak_rss_mb": 600,
         "serial_share": 0.15}
SAMPLE_S = 0.1
EDIT = "Это предложение добавлено при замере пересборки после правки одной статьи."

sys.path.insert(0, str(HERE))
import generate  # noqa: E402  (benchmarks/generate.py)


# --------------------------------------------------------------------------------------------
# Measuring a child process tree
# --------------------------------------------------------------------------------------------

@dataclass
class Measurement:
    name: str
    command: list[str]
    seconds: float = 0.0            # wall time from start to exit
    cpu_s: float = 0.0              # user + system CPU time of the child and its reaped descendants
    peak_rss_mb: float = 0.0        # the largest sum of VmRSS over the process tree, sampled
    max_process_rss_mb: float = 0.0  # the largest single process (wait4's ru_maxrss, exact)
    peak_pss_mb: float = 0.0        # the largest sum of Pss: pages shared by forked workers counted once, in shares
    other_cpus: float | None = None  # CPUs busy with other processes meanwhile, on average (from /proc/stat)
    samples: int = 0
    processes_seen: int = 0
    returncode: int | None = None
    log: str = ""
    error: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def _parents() -> dict[int, int]:
    """pid → parent pid for every process (there is no /proc/PID/task/TID/children everywhere)."""
    parents = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        # the command name may hold spaces and parentheses: the fields start after the last ')'
        fields = stat[stat.rfind(b")") + 2:].split()
        parents[int(entry.name)] = int(fields[1])
    return parents


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for pid, ppid in _parents().items():
        children.setdefault(ppid, []).append(pid)
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, ()))
    return found


def _busy_cpu_s() -> float | None:
    """CPU seconds the whole machine has spent busy since boot (all CPUs), from /proc/stat."""
    try:
        with open("/proc/stat") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def _proc_kb(path: str, field: bytes) -> int:
    try:
        with open(path, "rb") as f:
            for line in f:
                if line.startswith(field):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _rss_kb(pid: int) -> int:
    return _proc_kb(f"/proc/{pid}/status", b"VmRSS:")


def _pss_kb(pid: int) -> int:
    """The process's proportional share of its resident pages: a page it shares with N others
    counts 1/N, so the tree's sum is the memory it really holds (VmRSS counts a worker's pages
    inherited from the build once per process)."""
    return _proc_kb(f"/proc/{pid}/smaps_rollup", b"Pss:")


def measure(name: str, command: list[str], log: Path, env: dict | None = None, cwd: Path | None = None) -> Measurement:
    """Run `command`, sampling the RSS of its whole process tree; stdout and stderr go to `log`."""
    m = Measurement(name, [str(c) for c in command], log=str(log))
    log.parent.mkdir(parents=True, exist_ok=True)
    seen: set[int] = set()
    busy_before = _busy_cpu_s()
    with open(log, "wb") as out:
        started = time.perf_counter()
        process = subprocess.Popen(m.command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=cwd)
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                m.seconds = time.perf_counter() - started
                break
            pids = _tree(process.pid)
            seen.update(pids)
            m.peak_rss_mb = max(m.peak_rss_mb, sum(_rss_kb(p) for p in pids) / 1024)
            m.peak_pss_mb = max(m.peak_pss_mb, sum(_pss_kb(p) for p in pids) / 1024)
            m.samples += 1
            time.sleep(SAMPLE_S)
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped by wait4: tell Popen
    m.returncode = process.returncode
    m.cpu_s = usage.ru_utime + usage.ru_stime
    busy_after = _busy_cpu_s()
    if busy_before is not None and busy_after is not None and m.seconds > 0:
        m.other_cpus = round(max(0.0, busy_after - busy_before - m.cpu_s) / m.seconds, 2)
    m.max_process_rss_mb = usage.ru_maxrss / 1024  # KiB on Linux: the child or its largest descendant
    m.peak_rss_mb = max(m.peak_rss_mb, m.max_process_rss_mb)
    m.processes_seen = len(seen)
    if not m.ok:
        m.error = _tail(log)
    return m


def _tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


# --------------------------------------------------------------------------------------------
# The steps
# --------------------------------------------------------------------------------------------

def _cache_dirs(volume: Path) -> list[Path]:
    """Every cache folder a build may have left: known names first, then any hidden folder."""
    candidates = [volume / "build" / ".cache", volume / ".anthology-cache", volume / ".cache", XDG_CACHE,
                  Path.home() / ".cache" / "anthology"]
    for folder in (volume, volume / "build"):
        if folder.is_dir():
            candidates += [p for p in folder.iterdir() if p.is_dir() and p.name.startswith(".")]
    return [p for p in dict.fromkeys(candidates) if p.exists()]


def _child_env() -> dict:
    env = dict(os.environ)
    env["XDG_CACHE_HOME"] = str(XDG_CACHE)
    env.pop("SOURCE_DATE_EPOCH", None)
    return env


def _anthology_exe() -> str:
    beside = Path(sys.executable).parent / "anthology"
    return str(beside) if beside.exists() else (shutil.which("anthology") or "anthology")


def _pandoc_exe() -> str:
    import pypandoc
    return pypandoc.get_pandoc_path()


def _pdf_pages(path: Path) -> int | None:
    try:
        import pikepdf
        with pikepdf.open(path) as pdf:
            return len(pdf.pages)
    except Exception:  # noqa: BLE001 - the page count is a detail; the table says when it is missing
        return None


def _stage_times(log: Path) -> dict[str, float]:
    """anthology build --verbose ends with `time: prepare 1.0 s, layout 2.0 s, …`."""
    text = _tail(log, 40)
    found = {}
    for line in text.splitlines():
        if line.startswith("time:"):
            for stage, seconds in re.findall(r"([\w-]+) ([\d.]+) s", line):
                found[stage] = float(seconds)
    return found


def _build_report(volume: Path) -> dict:
    """What anthology wrote to build/build-report.json ({} when it did not)."""
    try:
        return json.loads((volume / "build" / "build-report.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def parallel_limits(total_s: float | None, report: dict) -> dict:
    """The serial part of a build (all but the body's parallel layout) and its critical path: the
    serial part plus the longest chunk, i.e. the build's time with unlimited cores."""
    chunks = [chunk["seconds"] for chunk in report.get("layout", {}).get("chunks", [])]
    body = report.get("seconds", {}).get("layout.body")
    if total_s is None or body is None or not chunks:
        return {}
    serial = total_s - body
    return {"jobs": report["layout"].get("jobs"), "chunks": len(chunks), "body_s": round(body, 2),
            "chunk_cpu_s": round(sum(chunks), 2), "longest_chunk_s": round(max(chunks), 2),
            "serial_s": round(serial, 2), "serial_share": round(serial / total_s, 3),
            "critical_path_s": round(serial + max(chunks), 2)}


def edit_one_article(volume: Path) -> Path:
    """Append one sentence to the Russian article nearest the middle of the volume; return its path."""
    files = sorted((volume / "chapters").glob("[0-9]*.md"))
    middle = files[len(files) // 2:] + files[:len(files) // 2]
    target = next((f for f in middle if "\nlang:" not in f.read_text(encoding="utf-8").split("\n---", 1)[0]),
                  middle[0])
    text = target.read_text(encoding="utf-8")
    target.write_text(text.rstrip("\n") + "\n\n" + EDIT + "\n", encoding="utf-8")
    return target


def unsettled_copy(volume: Path, target: Path) -> Path:
    """A copy of the volume's sources whose manifest turns settling off (the generated manifest has
    no `proof:` of its own)."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(volume, target, ignore=shutil.ignore_patterns("build"))
    manifest = target / "anthology.yaml"
    text = manifest.read_text(encoding="utf-8")
    if re.search(r"^proof:", text, re.M):
        raise SystemExit(f"{manifest}: the generated manifest has a proof: mapping already")
    manifest.write_text(text.rstrip("\n") + "\nproof:\n  settle: false\n", encoding="utf-8")
    return target


def run(quick: bool, seed: int, skip: set[str], jobs: int | None = None) -> dict:
    size = "quick" if quick else "full"
    chapters, per_chapter = SIZES[size]
    env = _child_env()
    logs = WORK / "logs"
    if WORK.exists():
        shutil.rmtree(WORK)
    logs.mkdir(parents=True)
    if XDG_CACHE.exists():
        shutil.rmtree(XDG_CACHE)

    print(f"generating {chapters} × {per_chapter} articles into {VOLUME.relative_to(REPO)} …", flush=True)
    summary = generate.generate(VOLUME, chapters, per_chapter, seed)
    measurements: dict[str, Measurement] = {}

    load: list[float] = []

    def step(key: str, label: str, command: list, log_name: str) -> Measurement:
        print(f"{label} …", end=" ", flush=True)
        load.append(round(os.getloadavg()[0], 2))
        m = measure(key, command, logs / log_name, env=env, cwd=REPO)
        load.append(round(os.getloadavg()[0], 2))
        measurements[key] = m
        print(f"{m.seconds:.1f} s, {m.peak_rss_mb:.0f} MB" + ("" if m.ok else f"  FAILED (exit {m.returncode})"),
              flush=True)
        if not m.ok:
            print(_indent(m.error), flush=True)
        return m

    py = sys.executable
    prep = step("prepare", "preparing the book HTML and the pandoc inputs (not timed for the goals)",
                [py, HERE / "children.py", "prepare", VOLUME, WORK], "prepare.log")
    info = json.loads((WORK / "prepare.json").read_text(encoding="utf-8")) if prep.ok else {}
    if info.get("errors"):
        print(f"  anthology reports {info['errors']} error(s) in the generated volume:", flush=True)
        print(_indent("\n".join(info["first_problems"])), flush=True)

    # (a) WeasyPrint alone, one process, the assembled book HTML
    if info and "a" not in skip:
        css_args = [arg for path in info["print_css"] for arg in ("--css", path)]
        a = step("a", "(a) WeasyPrint alone, one pass",
                 [py, HERE / "children.py", "weasyprint", WORK / "book.html", WORK / "a-weasyprint.pdf",
                  WORK / "a.json", "--base-url", info["base_url"], "--page-css", info["page_css"], *css_args],
                 "a-weasyprint.log")
        if a.ok:
            a.extra = json.loads((WORK / "a.json").read_text(encoding="utf-8"))

    # (b) pandoc: Markdown → HTML → WeasyPrint, and Markdown → EPUB
    if info and "b" not in skip:
        pandoc = _pandoc_exe()
        common = ["--from", "markdown", "--file-scope", "--citeproc", "--csl", info["csl"],
                  *[arg for ref in info["references"] for arg in ("--bibliography", ref)],
                  "--metadata-file", info["pandoc_meta"], "--toc", "--toc-depth=1", "--standalone"]
        html_css = [arg for path in info["print_css"] for arg in ("--css", Path(path).as_uri())]
        pandoc_html = WORK / "pandoc" / "book.html"
        step("b_html", "(b) pandoc Markdown → HTML",
             [pandoc, *common, "--to", "html5", *html_css, "--output", pandoc_html, *info["pandoc_files"]],
             "b-pandoc-html.log")
        if measurements["b_html"].ok:
            b_pdf = step("b_pdf", "(b) WeasyPrint on pandoc's HTML",
                         [py, HERE / "children.py", "weasyprint", pandoc_html, WORK / "b-pandoc.pdf",
                          WORK / "b.json", "--base-url", pandoc_html.as_uri(), "--page-css", info["page_css"]],
                         "b-weasyprint.log")
            if b_pdf.ok:
                b_pdf.extra = json.loads((WORK / "b.json").read_text(encoding="utf-8"))
        fonts = sorted(p for p in Path(info["print_css"][0]).parent.glob("fonts/*") if p.suffix in (".ttf", ".otf"))
        epub_css = [arg for path in info["epub_css"] for arg in ("--css", path)]
        step("b_epub", "(b) pandoc Markdown → EPUB",
             [pandoc, *common, "--to", "epub3", *epub_css,
              *[arg for font in fonts for arg in ("--epub-embed-font", font)],
              "--output", WORK / "b-pandoc.epub", *info["pandoc_files"]], "b-pandoc-epub.log")

    # (c) anthology build, cold
    anthology = _anthology_exe()
    jobs_args = ["--jobs", str(jobs)] if jobs else []  # default: every core
    removed = [str(p) for p in _cache_dirs(VOLUME)]
    for path in _cache_dirs(VOLUME):
        shutil.rmtree(path)
    output_dir = VOLUME / "build"
    if output_dir.exists():
        shutil.rmtree(output_dir)
    if "c" not in skip:
        c = step("c", "(c) anthology build, cold", [anthology, "build", VOLUME, "--verbose", *jobs_args], "c-cold.log")
        c.extra = {"stages_s": _stage_times(logs / "c-cold.log"), "report_s": _build_report(VOLUME).get("seconds"),
                   "parallel": parallel_limits(c.seconds if c.ok else None, _build_report(VOLUME)),
                   "caches_removed_before": removed,
                   "caches_after": [str(p) for p in _cache_dirs(VOLUME)]}
        pdf = output_dir / f"{info.get('slug') or 'bench'}.pdf"
        if not pdf.exists():
            pdf = next(iter(output_dir.glob("*.pdf")), pdf)
        c.extra["pages"] = _pdf_pages(pdf) if c.ok else None
        c.extra["pdf_bytes"] = pdf.stat().st_size if c.ok and pdf.exists() else None
        epub = pdf.with_suffix(".epub")
        c.extra["epub_bytes"] = epub.stat().st_size if c.ok and epub.exists() else None

        # (d) one article edited, build again
        if "d" not in skip:
            edited = edit_one_article(VOLUME)
            d = step("d", "(d) anthology build after editing one article",
                     [anthology, "build", VOLUME, "--verbose", *jobs_args], "d-rebuild.log")
            d.extra = {"stages_s": _stage_times(logs / "d-rebuild.log"), "report_s": _build_report(VOLUME).get("seconds"),
                       "edited": str(edited.relative_to(VOLUME)),
                       "pages": _pdf_pages(pdf) if d.ok else None}

        # (c′) the same cold build without the proof's settling: what settling costs
        if "u" not in skip:
            unsettled = unsettled_copy(VOLUME, WORK / "volume-unsettled")
            if XDG_CACHE.exists():
                shutil.rmtree(XDG_CACHE)
            u = step("u", "(c′) anthology build, cold, proof: {settle: false}",
                     [anthology, "build", unsettled, "--verbose", *jobs_args], "u-unsettled.log")
            u.extra = {"report_s": _build_report(unsettled).get("seconds"),
                       "parallel": parallel_limits(u.seconds if u.ok else None, _build_report(unsettled))}

    return report(size, chapters, per_chapter, seed, summary, info, measurements, load)


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())


# --------------------------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------------------------

def _ok(measurements: dict, key: str) -> Measurement | None:
    m = measurements.get(key)
    return m if m is not None and m.ok else None


def _round(value, digits=2):
    return round(value, digits) if isinstance(value, (int, float)) else None


def report(size, chapters, per_chapter, seed, summary, info, measurements, load) -> dict:
    a, c, d, u = (_ok(measurements, k) for k in ("a", "c", "d", "u"))
    b_html, b_pdf, b_epub = b_parts = [_ok(measurements, k) for k in ("b_html", "b_pdf", "b_epub")]
    # (a) and the WeasyPrint part of (b): render + write, timed inside the process; the rest: the
    # whole child process, start to exit, as a user waits for it.
    a_s, a_cpu = (a.extra["seconds"], a.extra["cpu_s"]) if a else (None, None)
    parts_s = [b_html.seconds if b_html else None, b_pdf.extra["seconds"] if b_pdf else None,
               b_epub.seconds if b_epub else None]
    parts_cpu = [b_html.cpu_s if b_html else None, b_pdf.extra["cpu_s"] if b_pdf else None,
                 b_epub.cpu_s if b_epub else None]
    b_s = sum(parts_s) if all(b_parts) else None
    b_cpu = sum(parts_cpu) if all(b_parts) else None
    c_s, d_s = (c.seconds if c else None), (d.seconds if d else None)
    pages = c.extra.get("pages") if c else None
    anthology_peaks = [m.peak_rss_mb for m in (c, d) if m]
    peak = max(anthology_peaks) if anthology_peaks else None

    def ratio(x, y):
        return x / y if x is not None and y else None

    goals = {
        "cold_vs_weasyprint": {"ratio": _round(ratio(c_s, a_s), 3), "limit": GOALS["cold_vs_weasyprint"]},
        "cold_vs_pandoc": {"ratio": _round(ratio(c_s, b_s), 3), "limit": GOALS["cold_vs_pandoc"]},
        "rebuild_vs_cold": {"ratio": _round(ratio(d_s, c_s), 3), "limit": GOALS["rebuild_vs_cold"]},
        "serial_share": {"value": (c.extra.get("parallel") or {}).get("serial_share") if c else None,
                         "limit": GOALS["serial_share"]},
        "peak_rss_mb": {"value": _round(peak, 1), "limit": GOALS["peak_rss_mb"],
                        "note": "the goal is stated at 1,000 pages" + ("" if size == "full" else
                                                                       "; this is the quick size")},
    }
    for goal in goals.values():
        value = goal.get("ratio", goal.get("value"))
        goal["met"] = value <= goal["limit"] if value is not None else None

    def process(key: str) -> dict | None:
        m = measurements.get(key)
        if m is None:
            return None
        data = {k: v for k, v in asdict(m).items() if k != "name"}
        for k in ("seconds", "cpu_s", "peak_rss_mb", "max_process_rss_mb", "peak_pss_mb"):
            data[k] = _round(data[k], 3 if k.endswith("s") else 1)
        return data

    def peak_of(key: str):
        return _round(measurements[key].peak_rss_mb, 1) if key in measurements else None

    rows = [  # (key, label, seconds, cpu seconds, peak RSS MB, ratios shown, measurement keys)
        ("a", "(a) WeasyPrint alone, one pass (render+write)", a_s, a_cpu, peak_of("a"), True, ["a"]),
        ("b", "(b) pandoc, total", b_s, b_cpu,
         _round(max((m.peak_rss_mb for m in b_parts if m), default=0) or None, 1), True, ["b_html", "b_pdf", "b_epub"]),
        ("b_html", "      Markdown → HTML (--citeproc)", parts_s[0], parts_cpu[0], peak_of("b_html"), False, ["b_html"]),
        ("b_pdf", "      HTML → PDF (WeasyPrint render+write)", parts_s[1], parts_cpu[1], peak_of("b_pdf"), False, ["b_pdf"]),
        ("b_epub", "      Markdown → EPUB", parts_s[2], parts_cpu[2], peak_of("b_epub"), False, ["b_epub"]),
        ("c", "(c) anthology build, cold (PDF + EPUB)", c_s, c.cpu_s if c else None, peak_of("c"), True, ["c"]),
        ("d", "(d) anthology build, one article edited", d_s, d.cpu_s if d else None, peak_of("d"), True, ["d"]),
        ("u", "(c′) cold, proof: {settle: false}", u.seconds if u else None, u.cpu_s if u else None, peak_of("u"),
         True, ["u"]),
    ]
    result = {
        "pages": pages,
        "weasyprint_one_pass_s": _round(a_s),
        "pandoc_s": _round(b_s),
        "cold_s": _round(c_s),
        "rebuild_one_article_s": _round(d_s),
        "peak_rss_mb": _round(peak, 1),
        "peak_pss_mb": _round(max((m.peak_pss_mb for m in (c, d) if m), default=0) or None, 1),
        "detail": {
            "size": size,
            "corpus": {"chapters": chapters, "articles_per_chapter": per_chapter, "seed": seed, **summary,
                       "check_errors": info.get("errors"), "check_warnings": info.get("warnings"),
                       "book_html_bytes": info.get("html_bytes")},
            "table": {key: {"label": label.strip(), "seconds": _round(sec), "cpu_s": _round(cpu), "peak_rss_mb": rss,
                            "vs_weasyprint": _round(ratio(sec, a_s), 3) if shown else None,
                            "vs_pandoc": _round(ratio(sec, b_s), 3) if shown else None,
                            "failed": any(k in measurements and not measurements[k].ok for k in keys)}
                      for key, label, sec, cpu, rss, shown, keys in rows},
            "weasyprint_one_pass": {"render_s": _round(a.extra["render_s"]) if a else None,
                                    "write_s": _round(a.extra["write_s"]) if a else None,
                                    "pages": a.extra["pages"] if a else None},
            "pandoc_pdf_pages": b_pdf.extra["pages"] if b_pdf else None,
            "anthology_stages_s": {k: measurements[k].extra.get("stages_s") for k in ("c", "d") if k in measurements},
            "anthology_report_s": {k: measurements[k].extra.get("report_s") for k in ("c", "d", "u") if k in measurements},
            "anthology_outputs": {k: v for k, v in (c.extra.items() if c else ())
                                  if k not in ("stages_s", "report_s", "parallel")},
            "parallel": c.extra.get("parallel") if c else None,
            "parallel_unsettled": u.extra.get("parallel") if u else None,
            "edited_article": d.extra.get("edited") if d else None,
            "rebuild_pages": d.extra.get("pages") if d else None,
            "processes": {k: process(k) for k in measurements},
            "goals": goals,
            "failures": {k: m.error for k, m in measurements.items() if not m.ok},
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                        "platform": platform.platform(), "when": dt.datetime.now().isoformat(timespec="seconds"),
                        "load_average_1min": load},
            "method": {
                "seconds": "(a) and WeasyPrint in (b): render + write_pdf timed inside the process; "
                           "pandoc steps and (c), (d): wall time of the child process, start to exit",
                "cpu_s": "user + system CPU seconds of the same span (children included); "
                         "less sensitive to other load on the machine than wall time",
                "peak_rss_mb": f"largest sum of VmRSS over the child's process tree, sampled every {SAMPLE_S} s "
                               "from /proc, or wait4's ru_maxrss (largest single process) if larger",
                "pandoc_s": "sum of its three parts",
                "peak_rss_mb_top_level": "the larger of (c) and (d)",
                "peak_pss_mb": "largest sum of Pss (/proc/PID/smaps_rollup) over the tree, sampled likewise: "
                               "a page the workers share with the build counts once, not once per process",
            },
        },
    }
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print_table(result, rows, measurements)
    return result


def _fmt(value, spec: str) -> str:
    return format(value, spec) if isinstance(value, (int, float)) else "—"


def print_table(result: dict, rows: list, measurements: dict) -> None:
    det = result["detail"]
    a_s, b_s, c_s = result["weasyprint_one_pass_s"], result["pandoc_s"], result["cold_s"]

    def ratio(x, y):
        return _fmt(x / y, ".2f") if isinstance(x, (int, float)) and y else "—"

    corpus = det["corpus"]
    print()
    print(f"anthology benchmark ({det['size']}): {corpus['articles']} articles in {corpus['chapters']} chapters, "
          f"{_fmt(result['pages'], 'd')} pages A5; {det['machine']['cpus']} CPUs")
    head = f"{'':46} {'seconds':>8} {'CPU s':>7} {'peak RSS MB':>12} {'÷ (a)':>6} {'÷ (b)':>6}"
    print(head)
    print("-" * len(head))
    for key, label, seconds, cpu, peak, shown, keys in rows:
        failed = any(k in measurements and not measurements[k].ok for k in keys)
        line = (f"{label:46} {_fmt(seconds, '8.1f')} {_fmt(cpu, '7.1f')} {_fmt(peak, '12.0f')} "
                f"{ratio(seconds, a_s) if shown else '':>6} {ratio(seconds, b_s) if shown else '':>6}")
        if key in ("d", "u"):
            line += f"  ÷ (c) {ratio(seconds, c_s)}"
        print(line + ("  FAILED" if failed else ""))
    print()
    wp = det["weasyprint_one_pass"]
    if wp["render_s"] is not None:
        print(f"(a) {wp['pages']} pages: render {wp['render_s']:.1f} s + write {wp['write_s']:.1f} s; "
              f"the WeasyPrint step of (b) made {_fmt(det['pandoc_pdf_pages'], 'd')} pages")
    for key, stages in det["anthology_stages_s"].items():
        if stages:
            print(f"({key}) anthology's own stage times: " + ", ".join(f"{k} {v:.1f} s" for k, v in stages.items()))
    if det.get("parallel"):
        par = det["parallel"]
        print(f"(c) body: {par['chunks']} chunks on {par['jobs']} jobs, {par['body_s']:.1f} s wall for "
              f"{par['chunk_cpu_s']:.1f} s of chunk layout (longest {par['longest_chunk_s']:.1f} s); serial part "
              f"{par['serial_s']:.1f} s = {par['serial_share']:.0%} of the build; critical path (unlimited cores) "
              f"{par['critical_path_s']:.1f} s")
    if det.get("parallel_unsettled"):
        par = det["parallel_unsettled"]
        print(f"(c′) body: {par['body_s']:.1f} s wall for {par['chunk_cpu_s']:.1f} s of chunk layout; serial part "
              f"{par['serial_s']:.1f} s = {par['serial_share']:.0%} of the build")
    others = {k: m.other_cpus for k, m in measurements.items() if m.other_cpus is not None}
    if others and max(others.values()) > 0.25:
        busiest = max(others, key=others.get)
        print(f"note: other processes kept up to {others[busiest]:.1f} of {det['machine']['cpus']} CPUs busy "
              f"(during {busiest}): wall times are inflated; the CPU column is less affected")
    if result.get("peak_pss_mb"):
        print(f"(c), (d) peak memory with shared pages counted once (sum of Pss): {result['peak_pss_mb']:.0f} MB")
    print("goals:")
    labels = {"cold_vs_weasyprint": "cold ≤ 0.6 × (a)", "cold_vs_pandoc": "cold ≤ 0.6 × (b)",
              "rebuild_vs_cold": "rebuild ≤ 0.1 × cold", "serial_share": "serial part ≤ 15 % of cold",
              "peak_rss_mb": "peak RSS ≤ 600 MB (at 1,000 pages)"}
    for key, goal in det["goals"].items():
        value = goal.get("ratio", goal.get("value"))
        verdict = {True: "met", False: "NOT met", None: "not measured"}[goal["met"]]
        shown = _fmt(value, ".0f") + " MB" if key == "peak_rss_mb" else _fmt(value, ".2f")
        print(f"  {labels[key]:36} {shown:>9}   {verdict}")
    if det["failures"]:
        print("failures (full logs in build/bench-work/logs):")
        for key, error in det["failures"].items():
            print(f"  {key}:")
            print(_indent(error))
    print(f"\nwrote {RESULT.relative_to(REPO)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="8 × 8 articles (~200 pages) instead of 40 × 8")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip", default="", help="steps to leave out, e.g. --skip a,b (for trying things)")
    parser.add_argument("--jobs", type=int, help="layout processes for anthology's builds (default: every core)")
    args = parser.parse_args()
    result = run(args.quick, args.seed, {s.strip() for s in args.skip.split(",") if s.strip()}, args.jobs)
    sys.exit(1 if result["detail"]["failures"] else 0)


if __name__ == "__main__":
    main()
