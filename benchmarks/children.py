#!/usr/bin/env python3
"""The child processes of the benchmark (`benchmarks/run.py` starts them; not meant to be run by hand).

    children.py prepare VOLUME WORK
        Load, parse and enrich VOLUME with anthology (`anthology.enrich`), write the book's
        assembled print HTML (`anthology.assemble.print_body`) to WORK/book.html, the same
        articles as plain pandoc Markdown to WORK/pandoc/*.md, and what the other steps need
        (stylesheets, page size, the CSL style, the files in reading order) to WORK/prepare.json.

    children.py weasyprint HTML PDF RESULT_JSON --base-url URL [--css FILE ...] [--page-css CSS]
        Render HTML with WeasyPrint in this one process and write the PDF; only the render and
        the write are timed. RESULT_JSON gets {"render_s", "write_s", "seconds", "cpu_s", "pages"}.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit


def prepare(volume_dir: Path, work: Path) -> None:

    from anthology import assemble, citations
    from anthology import Problems, enrich
    from anthology.load.styles import style_files

    work.mkdir(parents=True, exist_ok=True)
    problems = Problems()
    started = time.perf_counter()
    prepared = enrich(volume_dir, problems)
    prepare_s = time.perf_counter() - started
    if prepared is None:
        sys.exit("the volume could not be loaded:\n" + "\n".join(map(str, problems)))
    volume = prepared.volume
    started = time.perf_counter()
    html = assemble.print_body(volume, prepared.articles, prepared.bibliography)
    assemble_s = time.perf_counter() - started
    (work / "book.html").write_text(html, encoding="utf-8")

    # The same articles for pandoc: front matter turned into a heading, an author line and the
    # abstract; the body as written, in a div carrying the article's language (for hyphenation).
    pandoc_dir = work / "pandoc"
    pandoc_dir.mkdir(exist_ok=True)
    for old in pandoc_dir.glob("*.md"):
        old.unlink()
    files: list[str] = []

    def write(name: str, text: str) -> None:
        (pandoc_dir / name).write_text(text, encoding="utf-8")
        files.append(str(pandoc_dir / name))

    def article_md(article) -> str:
        authors = ", ".join(a.name for a in article.authors)
        lines = [f"# {article.title} {{#{article.id} lang={article.lang}}}", "", f"::: {{lang={article.lang}}}"]
        if authors:
            lines += [f"*{authors}*", ""]
        if article.abstract:
            lines += [f"**{article.abstract}**", ""]
        lines += [article.body.strip(), ":::", ""]
        return "\n".join(lines)

    for article in volume.front:
        write(f"{len(files):04d}-{article.id}.md", article_md(article))
    for part in volume.parts:
        if part.title:
            write(f"{len(files):04d}-part.md", f"# {part.title} {{.unnumbered}}\n")
        for chapter in part.chapters:
            if chapter.title:
                write(f"{len(files):04d}-chapter.md", f"# {chapter.title} {{.unnumbered}}\n")
            for article in chapter.articles:
                write(f"{len(files):04d}-{article.id}.md", article_md(article))
    for article in volume.back:
        write(f"{len(files):04d}-{article.id}.md", article_md(article))
    lang = {"ru": "ru-RU", "kk": "kk-KZ", "az": "az-Latn-AZ", "en": "en-US"}.get(volume.lang, volume.lang)
    meta = {"title": volume.title, "subtitle": volume.subtitle or "", "lang": lang,
            "author": [e.name for e in volume.editors], "date": volume.date or "",
            "reference-section-title": "Список литературы", "link-citations": True}
    (work / "pandoc-meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    info = {
        "prepare_s": prepare_s,
        "assemble_s": assemble_s,
        "errors": len(problems.errors),
        "warnings": len(problems.warnings),
        "first_problems": [str(p) for p in list(problems)[:10]],
        "articles": len(prepared.articles),
        "print_css": [str(p) for p in style_files(volume, "print").values()],
        "epub_css": [str(p) for p in style_files(volume, "epub").values()],
        "page_css": f"@page {{ size: {volume.page_size[0]} {volume.page_size[1]}; }}",
        "base_url": volume.root.as_uri() + "/",
        "csl": str(citations.resolve_style(volume.citation_style, volume.lang, volume.root, Problems())),
        "references": [str(p) for p in volume.references],
        "pandoc_files": files,
        "pandoc_meta": str(work / "pandoc-meta.json"),
        "slug": volume.slug,
        "html_bytes": len(html.encode("utf-8")),
    }
    (work / "prepare.json").write_text(json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8")


def weasyprint(html_path: Path, pdf_path: Path, result_path: Path, base_url: str, css: list[str],
               page_css: str | None) -> None:
    # The volume's own fonts alone, as anthology renders with them (and the font configuration that
    # makes @font-face take effect), and its Kazakh and Azerbaijani hyphenation dictionaries.
    from anthology.layout import fonts, hyphenation
    from weasyprint import CSS, HTML

    hyphenation.register()
    base = Path(unquote(urlsplit(base_url).path))  # the volume's folder, or pandoc's HTML file
    config = fonts.font_configuration(fonts.font_folders(base if base.is_dir() else base.parent))
    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # as anthology does: no warning floods
    html = html_path.read_text(encoding="utf-8")
    sheets = ([CSS(string=page_css, font_config=config)] if page_css else []) + [
        CSS(filename=path, font_config=config) for path in css]
    started, cpu_started = time.perf_counter(), time.process_time()
    document = HTML(string=html, base_url=base_url).render(stylesheets=sheets, font_config=config)
    rendered = time.perf_counter()
    document.write_pdf(pdf_path)
    written = time.perf_counter()
    result = {"render_s": rendered - started, "write_s": written - rendered, "seconds": written - started,
              "cpu_s": time.process_time() - cpu_started, "pages": len(document.pages)}
    result_path.write_text(json.dumps(result), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("volume", type=Path)
    p.add_argument("work", type=Path)
    w = sub.add_parser("weasyprint")
    w.add_argument("html", type=Path)
    w.add_argument("pdf", type=Path)
    w.add_argument("result", type=Path)
    w.add_argument("--base-url", required=True)
    w.add_argument("--css", action="append", default=[])
    w.add_argument("--page-css")
    args = parser.parse_args()
    if args.command == "prepare":
        prepare(args.volume, args.work)
    else:
        weasyprint(args.html, args.pdf, args.result, args.base_url, args.css, args.page_css)


if __name__ == "__main__":
    main()
