"""The body laid out on several processes: the same bytes as on one, and a worker that dies or a
Ctrl-C stops the build cleanly, leaving earlier outputs as they were."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import run_anthology, small_volume

PARAGRAPH = ("Бұл мақала кітаптың бөлек бөлігінде тұрады: оның беттері өз процесінде беттеледі, ал бет нөмірлері "
             "кейін, барлық бөліктің ұзындығы белгілі болғанда ғана қойылады. ")


@pytest.fixture(scope="module")
def chunked(tmp_path_factory) -> Path:
    """A volume of four titled chapters (four chunks of the body), of different lengths."""
    root = small_volume(tmp_path_factory.mktemp("parallel") / "vol")
    chapters = []
    for number in range(1, 5):
        article = root / "chapters" / f"chapter-{number}.md"
        body = "\n\n".join(PARAGRAPH * 3 for _ in range(number * 4))
        article.write_text(f"---\ntitle: Тарау {number}\nlang: kk\n---\n\n{body}\n", encoding="utf-8")
        chapters.append(f"  - title: Бөлім {number}\n    articles:\n      - chapters/chapter-{number}.md\n")
    manifest = root / "anthology.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text[:text.index("chapters:")] + "chapters:\n" + "".join(chapters), encoding="utf-8")
    return root


def _build(root: Path, out: Path, *options: str) -> subprocess.CompletedProcess:
    result = run_anthology("build", str(root), "--out", str(out), "--no-cache", *options)
    assert result.returncode == 0, result.stderr
    return result


def _digests(out: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in out.iterdir() if p.suffix in (".pdf", ".epub")}


@pytest.fixture(scope="module")
def built(chunked, tmp_path_factory) -> dict[int, Path]:
    outs = {}
    for jobs in (1, 2):
        outs[jobs] = tmp_path_factory.mktemp(f"jobs-{jobs}")
        _build(chunked, outs[jobs], "--jobs", str(jobs))
    return outs


def test_the_bytes_do_not_depend_on_the_number_of_jobs(built):
    assert _digests(built[1]) == _digests(built[2])
    assert len(_digests(built[1])) == 2


def test_every_body_page_carries_its_own_number(built):
    reader = PdfReader(next(built[2].glob("*.pdf")))
    report = json.loads((built[2] / "build-report.json").read_text(encoding="utf-8"))
    numbered = 0
    for number, page in enumerate(reader.pages, 1):
        lines = (page.extract_text() or "").strip().splitlines()
        if lines and lines[-1].strip().isdigit():
            assert int(lines[-1]) == number, f"page {number} is numbered {lines[-1]}"
            numbered += 1
    assert numbered > 8
    chunks = report["layout"]["chunks"]
    assert len(chunks) == 4 and all(chunk["seconds"] > 0 and chunk["pages"] > 0 for chunk in chunks)


def test_after_a_change_of_colours_the_front_and_back_are_laid_out_beside_the_chunks(chunked, tmp_path):
    """What the last build laid out after the body (the contents, the back matter) is laid out on
    the workers with the chunks when the lines fall as then; the bytes are a cold build's."""
    from anthology import build

    root = tmp_path / "vol"
    shutil.copytree(chunked, root, ignore=shutil.ignore_patterns("build"))
    sheet = root / "styles" / "look.css"
    sheet.parent.mkdir(exist_ok=True)
    manifest = root / "anthology.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "styles:\n  - styles/look.css\n"
                        "imprint:\n  format: 60x84/16\n", encoding="utf-8")  # a colophon: a run of its draft and itself
    out = tmp_path / "out"

    def tasks_of_a_build(colour: str, extra: str = "") -> int:
        sheet.write_text(f"h1, h2 {{ color: {colour}; }}\n{extra}", encoding="utf-8")
        seen = []
        build(root, out_dir=out, jobs=2, progress=lambda stage, done, total: seen.append((stage, total)))
        return max(total for stage, total in seen if stage == "layout")

    cold = tasks_of_a_build("#7a1f1f")
    assert tasks_of_a_build("#1f4f7a") == cold + 1  # the contents' run in place of its draft, and the colophon's
    build(root, out_dir=tmp_path / "cold", use_cache=False, jobs=2)
    assert _digests(out) == _digests(tmp_path / "cold")
    assert tasks_of_a_build("#1f4f7b", "p { width: 80%; }\n") == cold  # lines fall elsewhere: no forecast


def test_a_build_with_nothing_changed_lays_nothing_out(chunked, tmp_path, monkeypatch):
    """Not even the drafts that settle the contents and the back matter: they stay in the store
    (a full disk, too, must leave a rebuild nothing to write but the book)."""
    from anthology import build
    from anthology.layout.render import Renderer

    root = tmp_path / "vol"
    shutil.copytree(chunked, root, ignore=shutil.ignore_patterns("build"))
    manifest = root / "anthology.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "imprint:\n  format: 60x84/16\n", encoding="utf-8")
    build(root, out_dir=tmp_path / "out", jobs=2)
    laid_out = tmp_path / "laid-out"  # a file: the forked workers append to it too

    def counted(render):
        def logged(self, html, *args, **keywords):
            with laid_out.open("a") as log:
                log.write(f"{render.__name__}: {html[-200:]}\n")
            return render(self, html, *args, **keywords)
        return logged

    for name in ("render", "render_page_independent"):
        monkeypatch.setattr(Renderer, name, counted(getattr(Renderer, name)))
    build(root, out_dir=tmp_path / "out", jobs=2)
    assert not laid_out.exists(), laid_out.read_text()


def test_the_workers_are_forked_before_the_volume_is_read(chunked, tmp_path, monkeypatch):
    """Forked later, each worker would start as large as the build has grown by then."""
    import multiprocessing
    from anthology import pipeline

    alive_at_enrich = []
    enrich = pipeline.enrich

    def watched(*args, **keywords):
        alive_at_enrich.append(len(multiprocessing.active_children()))
        return enrich(*args, **keywords)

    monkeypatch.setattr(pipeline, "enrich", watched)
    pipeline.build(chunked, out_dir=tmp_path / "out", jobs=2, use_cache=False)
    assert alive_at_enrich == [2]
    assert not multiprocessing.active_children(), "the workers outlived the build"


def test_a_renderer_sent_to_a_worker_is_made_there_once_with_the_same_look(chunked):
    import pickle
    from anthology import layout, pipeline, profiles
    from anthology.problems import Problems

    enriched = pipeline.enrich(chunked, Problems())
    renderer = layout.renderer_for(enriched, profiles.profile("screen", enriched.volume.bleed))
    first, second = pickle.loads(pickle.dumps(renderer)), pickle.loads(pickle.dumps(renderer))
    assert first is second and first is not renderer
    assert (first.key, first.geometry, first.policy.key) == (renderer.key, renderer.geometry, renderer.policy.key)
    assert first.fetcher.roots == renderer.fetcher.roots and first.fetcher is not renderer.fetcher


def _workers(build: subprocess.Popen) -> list[int]:
    """The build's forked layout workers: its children that run the same command line."""
    own = Path(f"/proc/{build.pid}/cmdline").read_bytes()
    children = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "stat").read_text().split()[3] == str(build.pid) \
                    and (entry / "cmdline").read_bytes() == own:
                children.append(int(entry.name))
        except OSError:
            continue
    return children


def _start_and_wait_for_workers(chunked: Path, out: Path, *options: str) -> tuple[subprocess.Popen, list[int]]:
    """A build started, once its workers (forked when it starts) are laying out: one has run for
    a moment."""
    build = subprocess.Popen([sys.executable, "-m", "anthology", "build", str(chunked), "--out", str(out),
                              *(options or ["--no-cache"]), "--jobs", "2"], stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and build.poll() is None:
        workers = _workers(build)
        if any(_cpu_seconds(pid) > 0.5 for pid in workers):
            return build, workers
        time.sleep(0.1)
    build.kill()
    pytest.fail("the build's layout workers never started laying out")


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


@pytest.mark.parametrize("stop", ["kill a worker", "ctrl-c"])
def test_a_stopped_layout_leaves_the_earlier_outputs(chunked, built, tmp_path, stop):
    out = tmp_path / "out"
    out.mkdir()
    for path in built[1].iterdir():
        if path.is_file():
            (out / path.name).write_bytes(path.read_bytes())
    before = _digests(out)
    build, workers = _start_and_wait_for_workers(chunked, out)
    if stop == "kill a worker":
        os.kill(workers[0], signal.SIGKILL)
    else:
        os.killpg(build.pid, signal.SIGINT)  # what a terminal sends to the whole group
    _, stderr = build.communicate(timeout=120)
    assert "Traceback" not in stderr
    if stop == "kill a worker":
        assert build.returncode == 1
        assert "a layout worker stopped before it finished" in stderr and "nothing was written" in stderr
    else:
        assert build.returncode == 130 and "interrupted" in stderr
    assert _digests(out) == before
    left = [path for folder in (out, chunked) for path in folder.rglob("*.part")
            if path.name.split(".")[-2] in {str(pid) for pid in workers}]
    assert not left, f"a stopped worker's half-written files are left: {left}"
    time.sleep(0.5)
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()
                and "Z" not in Path(f"/proc/{pid}/stat").read_text().split()[2]], "a worker outlived the build"


def test_the_workers_of_a_build_killed_outright_end_themselves(chunked, tmp_path):
    """SIGKILL gives the build no chance to stop its workers: they see it gone and end, closing
    the output pipes its caller reads to the end."""
    build, workers = _start_and_wait_for_workers(chunked, tmp_path / "out")
    build.kill()
    build.communicate(timeout=30)  # returns only once no worker holds the build's stderr
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in workers):
        time.sleep(0.1)
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()], "a worker outlived the killed build"


CTRL_C_WHILE_FORKING = """
import multiprocessing, os, signal, sys
import concurrent.futures.process as futures
from anthology import stopping
from anthology.layout.parallel import Workers
from anthology.problems import Interrupted

launch = futures.ProcessPoolExecutor._launch_processes

def launch_then_ctrl_c(self):
    launch(self)
    os.kill(os.getpid(), signal.SIGINT)  # after the forks, before the pool has started managing them

futures.ProcessPoolExecutor._launch_processes = launch_then_ctrl_c
stopping.install()
try:
    with Workers(2):
        print("not interrupted")
except Interrupted:
    print("interrupted; workers left:", len(multiprocessing.active_children()), flush=True)
sys.exit(130)
"""


def test_a_ctrl_c_while_the_workers_are_forked_ends_them_and_the_command():
    """A Ctrl-C that lands while the workers are being forked (under load, the moment the build
    starts) once left them waiting for tasks, and the command waiting for them at exit, for ever."""
    done = subprocess.run([sys.executable, "-c", CTRL_C_WHILE_FORKING], capture_output=True, text=True, timeout=60)
    assert done.returncode == 130 and "Traceback" not in done.stderr, done.stderr
    assert done.stdout.strip() == "interrupted; workers left: 0"


CTRL_C_AS_A_WORKER_IS_FORKED = """
import os, signal
from anthology import stopping
from anthology.layout.parallel import Workers

# the terminal's Ctrl-C reaching each worker the moment it is forked, before any of its Python code
os.register_at_fork(after_in_child=lambda: os.kill(os.getpid(), signal.SIGINT))
stopping.install()
with Workers(2) as workers:
    print(workers.pool.submit(signal.getsignal, signal.SIGINT).result() == signal.SIG_IGN, flush=True)
"""


def test_a_ctrl_c_as_a_worker_is_forked_is_the_builds_to_answer():
    done = subprocess.run([sys.executable, "-c", CTRL_C_AS_A_WORKER_IS_FORKED], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert done.stdout.strip() == "True"


def test_a_stopped_layout_removes_what_stopped_processes_half_wrote_in_the_cache(chunked, tmp_path):
    """A worker stopped while it writes a unit leaves `NAME.PID.part`; the build removes such files
    of processes no longer running (here one planted for a PID that cannot be running), and keeps
    those of a process still writing (here this test's own)."""
    out = tmp_path / "out"
    units = out / ".cache" / "units" / "screen"
    units.mkdir(parents=True)
    abandoned, in_flight = units / f"{'0' * 64}.pdf.{2 ** 22 + 1}.part", units / f"{'1' * 64}.pdf.{os.getpid()}.part"
    for path in (abandoned, in_flight):
        path.write_bytes(b"%PDF-1.7 half written")
    build, _ = _start_and_wait_for_workers(chunked, out, "--strict")  # with the cache
    os.killpg(build.pid, signal.SIGINT)
    _, stderr = build.communicate(timeout=120)
    assert build.returncode == 130 and "Traceback" not in stderr
    assert not abandoned.exists() and in_flight.exists()
