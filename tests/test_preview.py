"""`anthology preview`: a real server on 127.0.0.1, real builds, read back with a real HTTP client.

Run as a script (`python tests/test_preview.py --measure`) it measures the time from saving a CSS
file to the refreshed preview of one 20-page article: a timing, so it is no test.
"""

from __future__ import annotations

import io
import json
import random
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from pypdf import PdfReader

from anthology.preview import HOST, serve, stop
from anthology.preview.session import chunk_on
from anthology.specimen import write_specimen

from conftest import run_anthology

TIMEOUT = 120
needs_pdftoppm = pytest.mark.skipif(shutil.which("pdftoppm") is None,
                                    reason="page images need poppler's pdftoppm (apt-get install poppler-utils)")


def get(url: str, timeout: float = 60) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


def status(base: str, since: int | None = None) -> dict:
    query = f"?since={since}" if since is not None else ""
    return json.loads(get(f"{base}status{query}")[2])


def wait_for_build(base: str, after_generation: int, changed: str | None = None, timeout: float = TIMEOUT) -> dict:
    """Follow the status as the page does (long polls) until a build newer than `after_generation`
    finishes; with `changed`, one that was started by a change to that file (the templates are
    watched too, and may be edited by someone else while the tests run)."""
    deadline = time.monotonic() + timeout
    current = status(base)
    while not (current["generation"] > after_generation and current["state"] != "building"
               and (changed is None or changed in current["changed"])):
        assert time.monotonic() < deadline, f"no new build: {current}"
        current = status(base, current["version"])
    return current


def quiet(base: str, seconds: float = 0.6) -> dict:
    """Wait until no build has started for `seconds` (files written just before the server started
    are built once more, as they may have been read before they were complete)."""
    current = status(base)
    while True:
        time.sleep(seconds)
        later = status(base)
        if later["version"] == current["version"] and later["state"] != "building":
            return later
        current = later


def pdf_text(base: str) -> str:
    code, kind, body = get(f"{base}preview.pdf")
    assert code == 200 and kind == "application/pdf"
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(body)).pages)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture()
def volume(tmp_path) -> Path:
    """The specimen volume with its own copy of the styles, free to edit."""
    root = tmp_path / "specimen"
    write_specimen(root, copy_styles=True)
    return root


@pytest.fixture()
def preview(volume):
    """An in-process preview server of `volume`; yields (server, base URL)."""
    servers = []

    def start(**options):
        server = serve(volume, 0, **options)
        servers.append(server)
        base = server.url
        wait_for_build(base, 0)
        return server, base

    yield start
    for server in servers:
        stop(server)


def test_the_command_serves_on_localhost_and_reloads_after_a_css_change(volume):
    process = subprocess.Popen([sys.executable, "-m", "anthology", "preview", str(volume), "--port", "0",
                                "--only", "specimen-ru"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        match = re.search(r"at (http://([\d.]+):(\d+)/)", line)
        assert match, f"no URL in {line!r}"

        base, host = match.group(1), match.group(2)
        assert host == "127.0.0.1"
        wait_for_build(base, 0)
        first = quiet(base)
        assert first["state"] == "ok", first["problems"]
        assert first["pages"] >= 2

        code, kind, page = get(base)
        assert code == 200 and kind.startswith("text/html")
        page = page.decode()
        assert 'data-generation="%d"' % first["generation"] in page
        assert "Образец оформления" in page
        if first["images"]:
            assert f'/pages/1.jpg?g={first["generation"]}' in page
            code, kind, image = get(f"{base}pages/1.jpg")
            assert code == 200 and kind == "image/jpeg" and image[:3] == b"\xff\xd8\xff"
        else:
            assert "/preview.pdf" in page
        assert "Русская статья" in pdf_text(base)

        # A designer saves a stylesheet: the preview is laid out again from the cached HTML.
        edit(volume / "styles" / "base.css", "--size-text: 10pt;", "--size-text: 14pt;")
        second = wait_for_build(base, first["generation"], "styles/base.css")
        assert second["state"] == "ok", second["problems"]
        assert second["kind"] == "style" and "prepare" not in second["seconds"]
        assert "styles/base.css" in second["changed"]
        assert second["pages"] > first["pages"]  # bigger type, more pages

        page = get(base)[2].decode()  # what the page's reload fetches
        assert 'data-generation="%d"' % second["generation"] in page
        code, _, css = get(f"{base}epub/styles/base.css")
        assert code == 200 and b"--size-text: 14pt;" in css
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            out, err = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    assert process.returncode == 0, err
    assert "preview stopped" in out


@needs_pdftoppm
def test_the_pages_on_view_are_shown_first_as_the_finished_build_shows_them(preview, volume):
    server, base = preview()
    current = quiet(base)
    book = server.preview._book  # the last good layout: where its chunks fall
    longest = max(range(len(book.chunks)), key=lambda number: book.chunks[number][0])
    page = next(p for p in book.body_pages if (chunk_on(book, p) or (None,))[0] == longest) + 1
    assert get(f"{base}view?page={page}")[0] == 204 and get(f"{base}view?page=%C2%B2")[0] == 400
    # every page's box has its size before its image comes, so the browser can tell the page on view
    assert re.search(r'<img src="/pages/1\.jpg\?g=\d+" width="\d+" height="\d+"', get(base)[2].decode())
    before = get(f"{base}pages/{page}.jpg")[2]
    edit(volume / "styles" / "base.css", "--colour-text: #1a1a1a;", "--colour-text: #1a1a7a;")
    generation, early = current["generation"], None
    while not (current["generation"] > generation and current["state"] != "building"):
        current = status(base, current["version"])
        if current["state"] == "building" and current["early"] and early is None:
            assert page in current["early"]
            early = get(f"{base}pages/{page}.jpg")[2]
    assert current["state"] == "ok" and current["early"] == []
    assert early is not None and early != before  # shown new before the book was finished…
    assert early == get(f"{base}pages/{page}.jpg")[2]  # …as the finished book shows it


@needs_pdftoppm
def test_every_page_image_is_its_page_of_the_pdf_made_when_asked_or_in_the_background(preview, tmp_path):
    server, base = preview()
    current = quiet(base)
    (tmp_path / "preview.pdf").write_bytes(get(f"{base}preview.pdf")[2])
    served = {number: get(f"{base}pages/{number}.jpg") for number in range(current["pages"], 0, -1)}
    assert all(code == 200 and kind == "image/jpeg" for code, kind, _ in served.values())
    subprocess.run(["pdftoppm", "-r", "110", "-jpeg", "-jpegopt", "quality=90", "-forcenum", str(tmp_path / "preview.pdf"),
                    str(tmp_path / "page")], check=True)
    made = {int(path.stem.rsplit("-", 1)[1]): path.read_bytes() for path in tmp_path.glob("page-*.jpg")}
    assert {number: image for number, (_, _, image) in served.items()} == made
    assert get(f"{base}pages/{current['pages'] + 1}.jpg")[0] == 404 and get(f"{base}pages/0.jpg")[0] == 404


def test_a_build_error_shows_on_the_page_and_the_next_save_recovers(preview, volume):
    server, base = preview()
    assert server.server_address[0] == HOST == "127.0.0.1"
    good = status(base)
    assert good["state"] == "ok", good["problems"]
    article = volume / "chapters" / "04-en.md"
    text = article.read_text(encoding="utf-8")

    article.write_text(text.replace("title: An English Article\n", "title: [An English Article\n"), encoding="utf-8")
    broken = wait_for_build(base, good["generation"], "chapters/04-en.md")
    assert broken["state"] == "error" and broken["kind"] == "content"
    assert any(re.match(r"chapters/04-en\.md:\d+: error: ", line) for line in broken["problems"]), broken["problems"]
    code, _, page = get(base)
    assert code == 200
    assert "chapters/04-en.md:" in page.decode()
    assert get(f"{base}preview.pdf")[0] == 200  # the last good preview stays

    article.write_text(text.replace("## A second-level heading", "## A heading that is new"), encoding="utf-8")
    fixed = wait_for_build(base, broken["generation"], "chapters/04-en.md")
    assert fixed["state"] == "ok" and fixed["problems"] == []
    assert "A heading that is new" in pdf_text(base)


def test_a_missing_manifest_is_reported_and_its_return_rebuilds(preview, volume):
    server, base = preview(only="specimen-az")
    before = status(base)
    (volume / "anthology.yaml").rename(volume / "anthology.moved")
    gone = wait_for_build(base, before["generation"], "anthology.yaml")
    assert gone["state"] == "error"
    assert any("anthology.yaml" in line for line in gone["problems"]), gone["problems"]
    (volume / "anthology.moved").rename(volume / "anthology.yaml")
    back = wait_for_build(base, gone["generation"], "anthology.yaml")
    assert back["state"] == "ok", back["problems"]


def test_only_one_article_is_rendered_and_shown(preview):
    server, base = preview(only="specimen-kk")
    text = pdf_text(base)
    assert "Қазақ тіліндегі мақала" in text
    assert "Русская статья" not in text and "An English Article" not in text
    page = get(base)[2].decode()
    assert re.findall(r'<option value="([^"]+)"', page) == ["text/specimen-kk.xhtml"]
    code, kind, xhtml = get(f"{base}epub/text/specimen-kk.xhtml")
    assert code == 200 and kind.startswith("application/xhtml+xml")
    links = re.findall(r'href="\.\./(styles/[^"]+)"', xhtml.decode())
    assert links and all(get(f"{base}epub/{link}")[0] == 200 for link in links)


def test_without_page_images_the_page_shows_the_pdf(preview):
    server, base = preview(only="specimen-en", images=False)
    current = status(base)
    assert current["state"] == "ok" and not current["images"]
    page = get(base)[2].decode()
    assert f'src="/preview.pdf?g={current["generation"]}' in page and '<img src="/pages/' not in page
    assert get(f"{base}pages/1.jpg")[0] == 404


def test_only_a_chapter_by_part_of_its_title(preview):
    server, base = preview(only="Азербайджанский и английский")
    text = pdf_text(base)
    assert "Azərbaycan dilində məqalə" in text and "An English Article" in text
    assert "Русская статья" not in text


def test_an_unknown_only_is_a_problem_on_the_page(preview):
    server, base = preview(only="no-such-article")
    current = status(base)
    assert current["state"] == "error"
    assert "--only 'no-such-article'" in current["problems"][0] and "specimen-ru" in current["problems"][0]


def test_a_content_change_reloads_the_volume(preview, volume):
    server, base = preview(only="specimen-en")
    before = status(base)
    edit(volume / "chapters" / "04-en.md", "## A second-level heading", "## Freshly written heading")
    after = wait_for_build(base, before["generation"], "chapters/04-en.md")
    assert after["state"] == "ok" and after["kind"] == "content" and "prepare" in after["seconds"]
    assert "Freshly written heading" in pdf_text(base)


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node to run the page's script")
def test_the_page_reloads_itself_when_a_build_finishes(preview, volume, tmp_path):
    """The page's own script, run by node against the live server, reloads after a CSS change."""
    server, base = preview(only="specimen-en")
    quiet(base)
    page = get(base)[2].decode()
    script = re.search(r"<script>(.*)</script>", page, re.S).group(1)
    harness = tmp_path / "page.js"
    harness.write_text(PAGE_HARNESS.replace("BASE", json.dumps(base.rstrip("/"))) + script, encoding="utf-8")
    process = subprocess.Popen(["node", str(harness)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(1)  # the script is now waiting on /status
        assert process.poll() is None, process.stderr.read()
        edit(volume / "styles" / "print.css", "--margin-top: 18mm;", "--margin-top: 30mm;")
        out, err = process.communicate(timeout=TIMEOUT)
    finally:
        if process.poll() is None:
            process.kill()
    assert "reloaded" in out, out + err


PAGE_HARNESS = """
// The browser objects the page's script uses, in the least that node needs; fetch is node's own.
const base = BASE;
const realFetch = fetch;
globalThis.fetch = (url, options) => realFetch(base + url, options);
const element = () => ({ className: "", textContent: "", scrollTop: 0, value: "", options: [],
                         addEventListener() {}, contentWindow: { scrollY: 0, scrollTo() {} },
                         getBoundingClientRect: () => ({ top: 0, bottom: 0 }), querySelectorAll: () => [] });
const elements = {};
globalThis.document = { getElementById: id => (elements[id] = elements[id] || element()), querySelector: () => null };
globalThis.sessionStorage = { getItem: () => null, setItem() {} };
globalThis.location = { reload() { console.log("reloaded"); process.exit(0); } };
setTimeout(() => { console.log("no reload"); process.exit(1); }, 100000);
"""


# --- the measurement (not a test) -------------------------------------------------------------


def long_article_volume(root: Path, paragraphs: int = 47) -> Path:
    """A volume of one article of about 20 A5 pages, with headings and footnotes, and its own styles."""
    rng = random.Random(1)
    words = ("государственный визит Казахстан Азербайджан сотрудничество транспорт маршрут энергетика "
             "инвестиции экспертный совет развитие регион Каспий связь культура наука молодёжь").split()
    (root / "chapters").mkdir(parents=True)
    (root / "anthology.yaml").write_text("title: Timing\nlang: ru\nslug: timing\ndate: 2025-01-01\n"
                                         "chapters:\n  - title: Глава 1\n    articles: [chapters/long.md]\n",
                                         encoding="utf-8")
    text = ["---\ntitle: Длинная статья\nauthors:\n  - name: Анна Иванова\nid: long\n---\n"]
    for number in range(paragraphs):
        if number % 8 == 0:
            text.append(f"\n## Раздел {number // 8 + 1}\n")
        sentence = " ".join(rng.choice(words) for _ in range(70)).capitalize()
        text.append(f"\n{sentence}{f'[^{number}]' if number % 3 == 0 else ''}.\n")
    for number in range(0, paragraphs, 3):
        text.append(f"\n[^{number}]: Примечание: {' '.join(rng.choice(words) for _ in range(15))}.\n")
    (root / "chapters" / "long.md").write_text("".join(text), encoding="utf-8")
    shutil.copytree(Path(__file__).resolve().parent.parent / "styles", root / "styles")
    return root


def measure(runs: int = 5) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        root = long_article_volume(Path(folder) / "timing")
        server = serve(root, 0, only="long")
        base = server.url
        try:
            wait_for_build(base, 0)
            current = quiet(base)
            print(f"{current['pages']} pages, page images: {current['images']}")
            css = root / "styles" / "base.css"
            for run in range(runs):
                old, new = ("10pt", "10.2pt") if run % 2 == 0 else ("10.2pt", "10pt")
                started = time.perf_counter()
                edit(css, f"--size-text: {old};", f"--size-text: {new};")
                current = wait_for_build(base, current["generation"], "styles/base.css")
                get(base)  # the page reloads…
                for number in range(1, current["pages"] + 1 if current["images"] else 0):
                    get(f"{base}pages/{number}.jpg")  # …and shows every page again
                elapsed = time.perf_counter() - started
                stages = ", ".join(f"{k} {v:.2f}" for k, v in current["seconds"].items())
                print(f"save → refreshed preview: {elapsed:.2f} s ({current['kind']} change; {stages})")
        finally:
            stop(server)


if __name__ == "__main__":
    if "--measure" in sys.argv:
        measure()
    else:
        sys.exit(pytest.main([__file__, *sys.argv[1:]]))


@pytest.mark.parametrize("only", [None, "specimen-ru"])
def test_a_style_change_gets_the_problems_check_and_build_give(preview, volume, only):
    """A stylesheet that points at the network in a rule nothing uses: WeasyPrint never fetches it,
    so only the load stage's check finds it. The preview runs that check on a style change too."""
    server, base = preview(only=only)
    before = quiet(base)
    assert before["state"] == "ok", before
    edit(volume / "styles" / "base.css", "body { margin: 0; }",
         "body { margin: 0; }\n.never-used { background: url(https://example.com/x.png); }")
    after = wait_for_build(base, before["generation"], "styles/base.css")
    assert after["kind"] == "style" and after["state"] == "error", after
    checked = run_anthology("check", str(volume))
    built = run_anthology("build", str(volume))
    assert checked.returncode == built.returncode == 1
    expected = [line for line in checked.stderr.splitlines() if ": error: " in line]
    assert expected and after["problems"] == expected, (after["problems"], expected)
    assert all(line in built.stderr for line in expected)
