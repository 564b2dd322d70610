"""Hardening, second round (issue #18): nothing outside the project is ever read, and every refusal
is a located error (`path:line: error: …`), exit 1, no traceback, earlier outputs untouched.

Volumes are made with `anthology init` and run through the command line, as a user would.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
import zlib
from pathlib import Path

import lxml.html
import pytest
from PIL import Image
from pypdf import PdfReader

from anthology.layout.fetcher import LocalFetcher
from anthology.parse import sanitize
from anthology.preview import serve, stop
from anthology.problems import Problems

from conftest import ROOT, run_anthology

OLD = b"an earlier good build"
FIGURE = ROOT / "chapters" / "images" / "middle-corridor.png"


@pytest.fixture
def volume(tmp_path) -> Path:
    root = tmp_path / "vol"
    assert run_anthology("init", str(root)).returncode == 0
    return root


@pytest.fixture
def outside(tmp_path) -> Path:
    """A folder beside the project, holding what a hostile volume would like the build to read."""
    folder = tmp_path / "outside"
    folder.mkdir()
    return folder


def second(root: Path) -> Path:
    return root / "chapters" / "02-second.md"


def write_article(root: Path, body: str) -> None:
    """The second article with `body`, which begins on line 6."""
    second(root).write_text("---\ntitle: A second article\nlang: en\n---\n\n" + body, encoding="utf-8")


def earlier_outputs(root: Path) -> None:
    (root / "build").mkdir(exist_ok=True)
    for name in ("new-volume.pdf", "new-volume.epub"):
        (root / "build" / name).write_bytes(OLD)


def assert_refused(result, *messages: str) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    for message in messages:
        assert message in result.stderr, result.stderr


def assert_earlier_outputs_kept(root: Path) -> None:
    for name in ("new-volume.pdf", "new-volume.epub"):
        assert (root / "build" / name).read_bytes() == OLD


# --- 2. one confinement check for every file the build reads --------------------------------------

@pytest.mark.parametrize("name", ["styles/epub.css", "styles/print.css", "styles/themes/classic.css",
                                  "styles/fonts/NotoSans-Bold.ttf", "styles/fonts/OFL.txt", "styles/fonts"])
def test_a_style_or_font_linked_out_of_the_project_is_a_located_error(volume, outside, name):
    own = volume / name
    away = outside / own.name
    shutil.move(own, away)
    own.symlink_to(away)
    earlier_outputs(volume)
    message = f"{name}: error: it links to {away}, which leaves the project folder"
    assert_refused(run_anthology("check", str(volume)), message)
    assert_refused(run_anthology("build", str(volume)), message, "nothing was written")
    assert_earlier_outputs_kept(volume)


def test_the_fetcher_never_follows_a_link_out(tmp_path, outside):
    (outside / "secret.css").write_text("p { color: red }", encoding="utf-8")
    project = tmp_path / "project"
    project.mkdir()
    (project / "linked.css").symlink_to(outside / "secret.css")
    fetcher = LocalFetcher([project])
    assert fetcher.local_path((project / "linked.css").as_uri()) is None
    with pytest.raises(ValueError):
        fetcher.url_of(project / "linked.css")


# --- 3. CSS read as CSS ----------------------------------------------------------------------------

def test_remote_references_in_a_stylesheet_are_found_as_css_reads_them(volume):
    sheet = volume / "styles" / "epub.css"
    first = len(sheet.read_text(encoding="utf-8").splitlines()) + 1
    sheet.write_text(sheet.read_text(encoding="utf-8") + (
        "@namespace url(http://www.w3.org/1999/xhtml);\n"             # names a namespace: loads nothing
        "@import\n"
        '  "https://evil.example/a.css";\n'                            # an @import over two lines
        "p { background: u\\72l(https://evil.example/b.png) }\n"      # an escaped url(
        '.a { background: image-set("http://evil.example/c.png" 1x) }\n'
        ".b { background: url(data:image/png;base64,AAAA) }\n"), encoding="utf-8")
    result = run_anthology("check", str(volume))
    assert_refused(result, *(f"styles/epub.css:{first + offset}: error: '{url}' is not a file in the project"
                             for offset, url in ((2, "https://evil.example/a.css"), (3, "https://evil.example/b.png"),
                                                 (4, "http://evil.example/c.png"))))
    assert "w3.org" not in result.stderr and "data:" not in result.stderr


@pytest.mark.parametrize("style, removed", [
    ("color: red; font-weight: bold", False),
    ("width: calc(100% - 2em); background: linear-gradient(red, blue)", False),
    ("background: u\\72l(https://evil.example/t.png)", True),
    ("background-image: image-set('http://evil.example/t.png' 1x)", True),
    ("background: cross-fade(url(a.png), url(b.png))", True),
    ("b\\65havior: url(x.htc)", True),
    ("width: expression(alert(1))", True),
    ("@import 'x.css'", True),
])
def test_the_sanitizer_reads_a_style_attribute_as_css(style, removed):
    body = lxml.html.fragment_fromstring(f'<p data-line="3"><span style="{style}">text</span></p>', create_parent="div")
    problems = Problems()
    sanitize.clean(body, Path("a.md"), problems)
    assert (body.find(".//span").get("style") is None) is removed
    assert [str(p) for p in problems] == (
        [f'a.md:3: warning: removed style="{style[:60]}" (it would load or run something)'] if removed else [])


def test_an_escaped_url_in_a_style_attribute_never_reaches_the_book(volume):
    write_article(volume, '<span style="background: u\\72l(https://evil.example/t.png)">x</span>\n')
    result = run_anthology("build", str(volume), "--format", "epub")
    assert result.returncode == 0, result.stderr
    assert re.search(r"chapters/02-second\.md:6: warning: removed style=", result.stderr), result.stderr
    with zipfile.ZipFile(volume / "build" / "new-volume.epub") as book:
        assert "evil.example" not in book.read("EPUB/text/a02-second.xhtml").decode()


# --- 4. images decoded whole, in formats both outputs carry ------------------------------------------

def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims `width`×`height` pixels, with a few bytes of data: what a
    decompression bomb looks like before it is decoded."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def saved(format: str) -> bytes:
    data = io.BytesIO()
    Image.open(FIGURE).convert("RGB").save(data, format)
    return data.getvalue()


def test_images_the_outputs_cannot_carry_are_located_errors(volume):
    chapters = volume / "chapters"
    figure = FIGURE.read_bytes()
    files = {
        "half.png": (figure[: len(figure) // 2], "cannot be read as an image (OSError: image file is truncated)"),
        "scan.tiff": (saved("TIFF"), "is a .tiff file: the book takes PNG, JPEG, GIF or SVG images"),
        "scan.bmp": (saved("BMP"), "is a .bmp file: the book takes PNG, JPEG, GIF or SVG images"),
        "photo.webp": (saved("WEBP"), "is a .webp file: the book takes PNG, JPEG, GIF or SVG images"),
        "photo.jpg": (figure, "is a PNG image, not what its name says"),
        "bomb.png": (png_header_only(8000, 8000), "is 8000×8000 pixels; an image may have at most 50 megapixels"),
        "linked.svg": ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
                       '<image xlink:href="file:///etc/hostname"/></svg>'.encode(), "refers to 'file:///etc/hostname'"),
    }
    for name, (data, _) in files.items():
        (chapters / name).write_bytes(data)
    write_article(volume, "".join(f"![{name}]({name})\n\n" for name in files))
    result = run_anthology("check", str(volume))
    assert_refused(result, *(f"chapters/02-second.md:{6 + 2 * n}: error: image '{name}' {message}"
                             for n, (name, (_, message)) in enumerate(files.items())))


def test_image_names_with_cyrillic_letters_spaces_and_percent_build_and_validate(volume):
    names = ["карта.png", "the map.png", "50%.png", "схема.svg"]
    for name in names[:3]:
        shutil.copy(FIGURE, volume / "chapters" / name)
    (volume / "chapters" / names[3]).write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="teal"/></svg>',
        encoding="utf-8")
    write_article(volume, "".join(f"![Figure {n}](<{name}>)\n\n" for n, name in enumerate(names, 1)))
    result = run_anthology("build", str(volume), "--validate")
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(volume / "build" / "new-volume.epub") as book:
        assert len([name for name in book.namelist() if name.startswith("EPUB/images/") and name != "EPUB/images/cover.png"]) == 4
    pdf = PdfReader(volume / "build" / "new-volume.pdf")
    assert sum(len(page.images) for page in pdf.pages) >= 3  # the SVG is drawn as vectors


# --- 1. import reads the imported file's own folder, nothing else ------------------------------------

ARTICLE_MD = "---\ntitle: Статья\n---\n\nТекст статьи о визите.\n\n![Рисунок]({src})\n"
PAGE = ("<html><body><article><h1>Заголовок</h1><p>Текст статьи о визите в Баку и о переговорах.</p>\n"
        '<img src="{src}" alt="Рисунок"></article></body></html>')


def imported_files(root: Path) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in (root / "chapters").rglob("*"))


@pytest.mark.parametrize("kind, src", [("md", "../secret.png"), ("md", "{outside}/secret.png"),
                                       ("md", "pics/linked.png"), ("html", "../secret.png"),
                                       ("html", "pics/linked.png")])
def test_import_refuses_an_image_outside_the_imported_files_folder(volume, outside, tmp_path, kind, src):
    (outside / "secret.png").write_bytes(FIGURE.read_bytes())
    folder = tmp_path / "sources"
    (folder / "pics").mkdir(parents=True)
    (folder / "pics" / "linked.png").symlink_to(outside / "secret.png")
    shutil.copy(FIGURE, tmp_path / "secret.png")
    src = src.format(outside=outside)
    source = folder / f"article.{kind}"
    source.write_text((ARTICLE_MD if kind == "md" else PAGE).format(src=src), encoding="utf-8")
    before = imported_files(volume)
    result = run_anthology("import", "--project", str(volume), str(source))
    assert_refused(result, f"{source}:{7 if kind == 'md' else 2}: error: the image '{src}' lies outside "
                           f"the folder of article.{kind}; it was not read")
    assert imported_files(volume) == before


def test_a_saved_pages_root_relative_image_is_on_the_web_and_never_read(volume, tmp_path):
    source = tmp_path / "page.html"
    source.write_text(PAGE.format(src="/etc/hostname"), encoding="utf-8")
    result = run_anthology("import", "--project", str(volume), str(source))
    assert result.returncode == 0, result.stderr
    assert "was not saved with the page" in result.stdout
    assert not (volume / "chapters" / "images").exists()


def test_import_never_writes_through_an_images_link_out_of_the_project(volume, outside, tmp_path):
    (tmp_path / "pics").mkdir()
    shutil.copy(FIGURE, tmp_path / "pics" / "map.png")
    source = tmp_path / "page.html"
    source.write_text(PAGE.format(src="pics/map.png"), encoding="utf-8")
    (volume / "chapters" / "images").symlink_to(outside)
    before = imported_files(volume)
    result = run_anthology("import", "--project", str(volume), str(source))
    assert_refused(result, f"{source}: error: {volume / 'chapters' / 'images'} is a link to {outside}, outside "
                           f"the project: nothing was written")
    assert imported_files(volume) == before and not any(outside.iterdir())


def test_a_huge_image_in_a_word_document_is_refused_before_it_is_read(volume, tmp_path):
    import docx
    from docx.shared import Cm

    small = tmp_path / "small.docx"
    document = docx.Document()
    document.add_heading("Большой рисунок", 0)
    document.add_paragraph("Текст статьи о визите в Баку.")
    document.add_picture(str(FIGURE), width=Cm(5))
    document.save(small)
    source = tmp_path / "huge.docx"
    with zipfile.ZipFile(small) as package, zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as huge:
        for info in package.infolist():
            if not info.filename.startswith("word/media/"):
                huge.writestr(info, package.read(info))
                continue
            with huge.open(info.filename, "w", force_zip64=True) as member:  # 1 GiB once inflated
                for _ in range(1024):
                    member.write(bytes(1 << 20))
    before = imported_files(volume)
    result = run_anthology("import", "--project", str(volume), str(source))
    assert_refused(result, f"{source}: error: 'word/media/image1.png' in the document is 1074 MB; an image "
                           f"(or any part of a .docx) may be at most 20 MB")
    assert imported_files(volume) == before


# --- 5. the preview answers this machine only, and serves only confined files -------------------------

def http_get(url: str, host: str | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def built_after(base: str, generation: int) -> dict:
    deadline = time.monotonic() + 180
    while True:
        status = json.loads(http_get(f"{base}status")[1])
        if status["generation"] > generation and status["state"] != "building":
            return status
        assert time.monotonic() < deadline, status
        time.sleep(0.2)


@pytest.fixture
def preview(volume):
    server = serve(volume, 0, images=False)
    built_after(server.url, 0)
    yield server
    stop(server)


def test_the_preview_answers_only_requests_that_name_this_machine(preview):
    base, port = preview.url, preview.server_address[1]
    for host in (f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}", f"LOCALHOST:{port}"):
        assert http_get(base, host)[0] == 200, host
    for host in (f"evil.example:{port}", "localhost", f"localhost:{port + 1}", f"127.0.0.1.evil.example:{port}"):
        assert http_get(base, host) == (403, b"the preview answers only http://localhost\n"), host
        assert http_get(f"{base}epub/styles/epub.css", host)[0] == 403, host


@pytest.mark.parametrize("since", ["%C2%B2", "abc", "1.5", "9" * 40])
def test_a_status_query_that_is_no_version_is_a_bad_request(preview, since):
    assert http_get(f"{preview.url}status?since={since}") == (400, b"since must be a version number\n")


def test_the_preview_never_serves_a_file_linked_out_of_the_project(preview, volume, outside):
    base = preview.url
    generation = json.loads(http_get(f"{base}status")[1])["generation"]
    assert http_get(f"{base}epub/styles/epub.css")[0] == 200
    sheet = volume / "styles" / "epub.css"
    (outside / "epub.css").write_text("/* SECRET */", encoding="utf-8")
    sheet.unlink()
    sheet.symlink_to(outside / "epub.css")
    status = built_after(base, generation)
    assert any("styles/epub.css: error: it links to" in problem for problem in status["problems"]), status
    code, body = http_get(f"{base}epub/styles/epub.css")
    assert code == 404 and b"SECRET" not in body


# --- 6. an output folder that cannot be written ------------------------------------------------------

@pytest.mark.parametrize("cache", [True, False])
def test_a_read_only_output_folder_is_a_clear_error(volume, mounted, cache):
    out = mounted("out", "ro")
    result = run_anthology("build", str(volume), "--out", str(out), *([] if cache else ["--no-cache"]))
    assert_refused(result, f"{out}: error: cannot write into this folder: Read-only file system", "nothing was written")


def test_an_output_folder_made_read_only_after_a_build_keeps_that_build(volume, mounted):
    out = mounted("out")
    assert run_anthology("build", str(volume), "--out", str(out)).returncode == 0
    before = {path.name: path.read_bytes() for path in out.iterdir() if path.is_file()}
    subprocess.run(["mount", "-o", "remount,ro", str(out)], check=True)
    with (volume / "styles" / "print.css").open("a", encoding="utf-8") as sheet:
        sheet.write("p { color: #111; }\n")  # the articles come from the cache; the pages must be laid out again
    result = run_anthology("build", str(volume), "--out", str(out))
    assert_refused(result, f"{out / '.cache' / 'articles'}: error: cannot write into this folder: Read-only file system")
    assert {path.name: path.read_bytes() for path in out.iterdir() if path.is_file()} == before


# --- 7. the article cache holds only what this code stored -------------------------------------------

@pytest.fixture(scope="module")
def cached_build(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("cached") / "vol"
    assert run_anthology("init", str(root)).returncode == 0
    result = run_anthology("build", str(root), "--format", "epub")
    assert result.returncode == 0, result.stderr
    return root


def tamper(entry: Path, how: str) -> None:
    sealed = json.loads(entry.read_text(encoding="utf-8"))
    data = json.loads(sealed["entry"])
    data["body"] = data["body"].replace("</div>", '<p>TAMPERED<img src="/etc/hostname"></p></div>')
    changed = {
        "edited": {**sealed, "entry": json.dumps(data, ensure_ascii=False)},  # the digest no longer fits
        "unsealed": data,                                                     # as entries were stored before
        "no digest": {"entry": sealed["entry"]},
    }.get(how)
    entry.write_text("{ not json" if changed is None else json.dumps(changed, ensure_ascii=False), encoding="utf-8")


@pytest.mark.parametrize("how", ["edited", "unsealed", "no digest", "garbage"])
def test_an_edited_cache_entry_is_treated_as_absent(cached_build, how):
    root = cached_build  # in place: an entry's key holds the article's path; each rebuild stores it anew
    entries = sorted((root / "build" / ".cache" / "articles").glob("*.json"))
    assert entries
    for entry in entries:
        tamper(entry, how)
    result = run_anthology("build", str(root), "--format", "epub")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    with zipfile.ZipFile(root / "build" / "new-volume.epub") as book:
        texts = [book.read(name).decode() for name in book.namelist() if name.endswith(".xhtml")]
    assert not any("TAMPERED" in text or "hostname" in text for text in texts)
    assert all("TAMPERED" not in entry.read_text(encoding="utf-8") for entry in entries)  # stored anew


def test_a_killed_build_leaves_temporary_folders_that_the_next_run_removes(tmp_path):
    """A SIGKILL runs no clean-up, so the font configuration's folder of a killed build stays in
    the temporary directory; the next run removes it (its process is gone), never a live one's."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = {**os.environ, "TMPDIR": str(temporary)}
    root = tmp_path / "vol"
    assert run_anthology("init", str(root)).returncode == 0
    killed = subprocess.Popen([sys.executable, "-m", "anthology", "build", str(root)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not list(temporary.glob("anthology-fonts-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    killed.kill()
    killed.wait()
    left = list(temporary.glob(f"anthology-fonts-*-{killed.pid}-*"))
    assert left, "the killed build made its font folder and left it"
    live = temporary / f"{left[0].name.split(f'-{killed.pid}-')[0]}-{os.getpid()}-live"
    live.mkdir()  # this test's own process is running: its folder stays
    result = subprocess.run([sys.executable, "-m", "anthology", "build", str(root)], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert not left[0].exists()
    assert sorted(path.name for path in temporary.iterdir()) == [live.name]  # and the run removed its own
