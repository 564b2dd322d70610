"""The proof stage: each kind of fault planted in a fixture volume (tests/fixtures/proof) is found
with its page and its `path:line`, and the page is checked against the PDF the build wrote."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import lxml.html
import pytest
from PIL import Image
from pypdf import PdfReader

from anthology import Problems, build, proofread
from anthology.layout import settle
from anthology.assemble.bound import group_bound_inlines
from anthology.model import Line
from anthology.proof import KINDS, pairs

from conftest import ROOT, run_anthology

FIXTURE = Path(__file__).parent / "fixtures" / "proof"
FAULTS = FIXTURE / "chapters" / "faults.md"
ARTICLE = "chapters/faults.md"


def make_volume(folder: Path, proof_settings: str = "") -> Path:
    """The fixture volume: the skeleton's registry, references and first article, the fixture's
    manifest (its `proof:` settings replaced by `proof_settings`, when given), styles and faulty
    article, and two images drawn here."""
    shutil.copytree(ROOT / "anthology" / "skeleton", folder)
    shutil.copytree(FIXTURE, folder, dirs_exist_ok=True)
    (folder / "chapters" / "images").mkdir()
    Image.new("RGB", (40, 30), (200, 40, 40)).save(folder / "chapters" / "images" / "small.png")
    Image.new("RGB", (2400, 600), (40, 40, 200)).save(folder / "chapters" / "images" / "wide.png")
    if proof_settings:
        manifest = folder / "anthology.yaml"
        text = manifest.read_text(encoding="utf-8").replace("proof:\n  settle: false\n", "proof:\n" + proof_settings)
        manifest.write_text(text, encoding="utf-8")
    return folder


def source_line(snippet: str) -> int:
    """The line of faults.md that holds `snippet`."""
    for number, line in enumerate(FAULTS.read_text(encoding="utf-8").splitlines(), 1):
        if snippet in line:
            return number
    raise AssertionError(f"{snippet!r} is not in {FAULTS}")


def words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]{2,}|\d+", text.replace("\u00ad", ""))


@pytest.fixture(scope="module")
def volume(tmp_path_factory) -> Path:
    return make_volume(tmp_path_factory.mktemp("proof") / "vol")


@pytest.fixture(scope="module")
def screen(volume):
    """The build's findings and the text of each page of the PDF it wrote."""
    result = build(volume, ("pdf",), volume / "build")
    pages = [page.extract_text() or "" for page in PdfReader(result.outputs["pdf"]).pages]
    return result.findings, pages


@pytest.fixture(scope="module")
def press(volume):
    _, findings = proofread(volume, "press")
    return findings


# kind, and the text of faults.md (first and last line) its finding must point at.
PLANTED = [
    ("orphan", "Этот абзац начинается", None),
    ("widow", "четвёртая строка на новой странице", None),
    ("stranded-heading", "### Заголовок внизу страницы", None),
    ("parted-caption", "<caption>", None),
    ("short-page", "Страница, на которой текст обрывается", None),
    ("short-end-page", "Последняя строка статьи", None),
    ("loose-line", "[]{.gap} слово слово", None),
    ("tight-line", "Абзац с плотными пробелами", None),
    ("short-line", "Да [Достопримечательности", None),
    ("overfull-line", "Строка [Сверхдлинное", None),
    ("parted-pair", "272 млн", None),
    ("hyphenated-name", "Кунан&shy;баевым", None),
    ("hyphenated-capital", "Делегации Азербайджанской", "Кунан&shy;баевым"),
    ("hyphen-ladder", "Делегации Азербайджанской", "Кунан&shy;баевым"),
    ("hyphen-at-page-turn", "Высокопоставленные представители", None),
]


@pytest.mark.parametrize("kind, first, last", PLANTED, ids=[kind for kind, _, _ in PLANTED])
def test_a_planted_fault_is_found_with_its_page_and_source_line(screen, kind, first, last):
    findings, pages = screen
    lines = range(source_line(first), source_line(last or first) + 1)
    found = [f for f in findings if f.kind == kind and f.path == ARTICLE and f.source_line in lines]
    assert found, f"no {kind} at {ARTICLE}:{lines.start}; found: " + "\n".join(map(str, findings))
    for finding in found:
        page_words = set(words(pages[finding.page - 1]))
        assert set(words(finding.text)) & page_words, (finding, pages[finding.page - 1][:300])


def test_the_page_turn_is_a_right_hand_page(screen):
    findings, _ = screen
    assert all(f.page % 2 for f in findings if f.kind == "hyphen-at-page-turn")


def test_a_contents_number_that_is_not_the_page_of_its_heading(screen):
    """The designer's CSS puts a «1» before every article's number: the contents now lie."""
    findings, pages = screen
    found = [f for f in findings if f.kind == "contents-page" and f.path == ARTICLE]
    assert len(found) == 1 and found[0].source_line == 1
    assert "Содержание" in pages[found[0].page - 1]
    number = int(re.search(r"(\d+)$", found[0].text).group(1))
    assert number > 10 and f"{number - 10}" in found[0].message


@pytest.mark.parametrize("kind, snippet", [("low-resolution", "small.png"), ("rgb-image", "small.png"),
                                           ("rgb-image", "wide.png"), ("image-outside", "wide.png")])
def test_press_finds_what_a_printer_refuses_in_images(press, kind, snippet):
    found = [f for f in press if f.kind == kind and f.text == snippet]
    assert found and found[0].path == ARTICLE and found[0].source_line == source_line(f"images/{snippet}")


def test_press_finds_a_page_count_off_the_signature(press, screen):
    found = [f for f in press if f.kind == "page-count"]
    assert len(found) == 1 and found[0].path == "anthology.yaml"
    assert not [f for f in screen[0] if f.kind == "page-count"]  # a screen PDF has no signatures


def test_every_kind_is_planted():
    planted = {kind for kind, _, _ in PLANTED} | {"contents-page", "low-resolution", "rgb-image", "image-outside",
                                                 "page-count"}
    assert planted == set(KINDS)


def test_the_command_line_text_json_and_strict(volume):
    text = run_anthology("proof", str(volume))
    assert text.returncode == 0, text.stderr
    assert re.search(rf"^{re.escape(ARTICLE)}:\d+: orphan: .*\(page \d+, line \d+: «", text.stdout, re.M)
    assert re.search(r"\d+ faults on \d+ pages", text.stderr)
    strict = run_anthology("proof", str(volume), "--format", "json", "--strict")
    assert strict.returncode == 1
    found = json.loads(strict.stdout)
    assert {"kind", "page", "line", "text", "path", "source_line", "message", "accepted"} <= set(found[0])
    assert {f["kind"] for f in found} >= {"orphan", "widow", "loose-line"}


def test_a_clean_volume_passes_strict(tmp_path):
    result = run_anthology("init", str(tmp_path / "new"))
    assert result.returncode == 0
    result = run_anthology("proof", str(tmp_path / "new"), "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no faults on the pages" in result.stderr


def test_accepted_faults_and_ignored_kinds(tmp_path, screen):
    orphan = next(f for f in screen[0] if f.kind == "orphan")
    extra = (f"  settle: false\n  ignore: [loose-line]\n  accept:\n    - \"{orphan.path}:{orphan.source_line} orphan\"\n"
             f"    - \"{ARTICLE}:2 widow\"\n")
    problems, findings = proofread(make_volume(tmp_path / "vol", extra))
    assert not [f for f in findings if f.kind == "loose-line"]
    accepted = [f for f in findings if f.accepted]
    assert [(f.kind, f.source_line) for f in accepted] == [("orphan", orphan.source_line)]
    stale = [str(p) for p in problems.warnings if "is not on the pages any more" in p.message]
    assert len(stale) == 1 and f"{ARTICLE}:2 widow" in stale[0]


def test_settling_mends_what_it_can(tmp_path, screen):
    """The same volume, its paragraphs at fault laid out again: fewer gaping and laddered lines."""
    _, settled = proofread(make_volume(tmp_path / "vol", "  settle: true\n"))

    def count(findings):
        return sum(f.kind in ("loose-line", "hyphen-ladder", "short-line") for f in findings)
    assert count(settled) < count(screen[0])


@pytest.mark.parametrize("setting, problem", [("loose_space: wide", "must be a number"),
                                              ("ladder: 2.5", "must be a whole number"),
                                              ("settle: 3", "must be true or false"),
                                              ("tight_space: 0", "must be at least")])
def test_a_wrong_proof_setting_is_an_error_on_its_line(tmp_path, setting, problem):
    root = make_volume(tmp_path / "vol", f"  {setting}\n")
    result = run_anthology("check", str(root))
    assert result.returncode != 0 and "Traceback" not in result.stderr
    line = next(n for n, text in enumerate((root / "anthology.yaml").read_text().splitlines(), 1) if setting in text)
    assert f"anthology.yaml:{line}:" in result.stderr + result.stdout and problem in result.stderr + result.stdout


def test_an_unknown_proof_setting_is_a_warning_on_its_line(tmp_path):
    result = run_anthology("check", str(make_volume(tmp_path / "vol", "  settle: false\n  bogus: 1\n")))
    assert result.returncode == 0 and re.search(r"anthology\.yaml:\d+: warning: unknown key 'bogus' in proof", result.stderr)


def line(text: str, block: str = "p-1", hyphenated: bool = False) -> Line:
    return Line(page=1, number=1, area="body", text=text, width=100, available=100, spaces=1, extra=0, space=2.6,
                hyphenated=hyphenated, justified=True, block=block, tag="p", classes="", anchor="a")


@pytest.mark.parametrize("before, after, what", [
    ("тираж 272", "с. и далее", "unit"), ("см. №", "2 и далее", "sign"), ("см. С.", "34–52", "sign"),
    ("P.", "15–38", "sign"), ("встреча с А.", "Байелем", "initial"), ("index 39–", "40", "range"),
    ("источник [10,", "с. 7]", "citation")])
def test_each_pair_a_break_must_not_part(before, after, what):
    assert what in pairs.parted(line(before), line(after))


def test_pairs_of_different_blocks_or_a_hyphenated_word_are_not_parted():
    assert pairs.parted(line("тираж 272"), line("с.", block="p-2")) is None
    assert pairs.parted(line("272-", hyphenated=True), line("с.")) is None


def test_bound_text_and_its_inline_element_are_one_box():
    root = lxml.html.fragment_fromstring('<p>встреча с\u00a0<span class="mention">Калиевым</span>, потом</p>')
    group_bound_inlines(root)
    bound = root.find("span")
    assert bound.get("class") == "bound" and bound.text == "с\u00a0" and bound.find("span").tail == ","
    assert lxml.html.tostring(root, encoding="unicode", method="text") == "встреча с\u00a0Калиевым, потом"


def test_the_sample_proofs_clean(tmp_path):
    problems, findings = proofread(ROOT, out_dir=tmp_path)
    faults = [str(f) for f in findings if not f.accepted]
    assert not faults, "\n".join(faults)
    assert isinstance(problems, Problems)


def test_the_trial_lays_out_variants_alone_without_their_notes():
    """No copy of a paragraph as it is (the first layout scored it), and its footnotes emptied —
    the call stays, the note's text is not laid out again for each variant."""
    html = ('<html><body><div class="article"><p>Перед.</p><p id="p1">Абзац с примечанием'
            '<span class="footnote" id="fn1">Текст <em>примечания</em>.</span> и дальше.</p></div></body></html>')
    options = {"p1": [settle.Treatment("tight"), settle.Treatment("tighter")]}
    trial = lxml.html.document_fromstring(settle.trial_document(html, options))
    copies = trial.xpath("//p[starts-with(@id, 'p1')]")
    assert [p.get("id") for p in copies] == ["p1--settle-0", "p1--settle-1"]
    assert [p.get("data-settle") for p in copies] == ["tight", "tighter"]
    notes = trial.find_class("footnote")
    assert len(notes) == 2 and not any(note.text_content() for note in notes)
    assert "примечания" not in trial.text_content() and trial.text_content().count("и дальше") == 2


def test_a_paragraph_stays_as_it_is_unless_a_variant_is_better():
    variants = [settle.Treatment("tight"), settle.Treatment("tighter")]
    assert settle.choose(variants, [3.0, 2.0], as_it_is=1.5) == settle.Treatment()
    assert settle.choose(variants, [3.0, 1.0], as_it_is=1.5) == settle.Treatment("tighter")
    assert settle.choose(variants, [0.0, 0.0], as_it_is=1.5) == settle.Treatment("tight")  # of equals, the lightest


def test_after_a_change_of_colours_alone_the_settled_treatments_are_reused_with_the_same_result(tmp_path):
    """Settling's choices are kept by what decides where lines fall, colours left out: the warm
    build lays each unit out once with them, and gives the bytes a build from nothing gives."""
    root = make_volume(tmp_path / "vol", "  settle: true\n")
    manifest = root / "anthology.yaml"  # a build date of its own: the imprint's date is not "now"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "date: 2025-01-01\n", encoding="utf-8")
    sheet = root / "styles" / "faults.css"
    sheet.write_text(sheet.read_text(encoding="utf-8") + "p { color: #1a1a1a; }\n", encoding="utf-8")
    out = tmp_path / "out"
    build(root, out_dir=out)
    settled = out / ".cache" / "units" / "screen" / "settled"
    kept = {path.name: path.read_bytes() for path in settled.glob("*.json")}
    assert kept, "the fixture volume has paragraphs to settle"
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("#1a1a1a", "rgb(10, 60, 120)"), encoding="utf-8")
    build(root, out_dir=out)
    assert {path.name: path.read_bytes() for path in settled.glob("*.json")} == kept  # recalled, none settled again
    build(root, out_dir=tmp_path / "cold", use_cache=False)
    for name in ("faults.pdf", "faults.epub"):
        assert (out / name).read_bytes() == (tmp_path / "cold" / name).read_bytes(), name
    sheet.write_text(sheet.read_text(encoding="utf-8") + ".narrow { width: 36mm; }\n", encoding="utf-8")
    build(root, out_dir=out)
    assert set(path.name for path in settled.glob("*.json")) != set(kept)  # lines fall elsewhere: settled again


def trial_entries(folder: Path) -> dict[str, tuple[int, bytes]]:
    """The paragraph trial scores kept in a unit store's `settled/` (store.Remembered): each
    file's inode (a file written again has a new one) and bytes."""
    return {path.name: (path.stat().st_ino, path.read_bytes()) for path in folder.glob("*.json")
            if "scores" in json.loads(json.loads(path.read_text(encoding="utf-8"))["entry"])}


def test_after_an_edit_only_the_paragraph_edited_is_tried_again_with_the_same_result(tmp_path):
    """Each paragraph's trial scores are kept by its copy in the trial: a unit settled again after
    one paragraph changed tries that paragraph alone, and gives the bytes a build from nothing gives."""
    root = make_volume(tmp_path / "vol", "  settle: true\n")
    manifest = root / "anthology.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "date: 2025-01-01\n", encoding="utf-8")
    out = tmp_path / "out"
    build(root, out_dir=out)
    settled = out / ".cache" / "units" / "screen" / "settled"
    before = trial_entries(settled)
    assert len(before) >= 3, "the fixture volume has paragraphs to settle"
    article = root / ARTICLE
    text = article.read_text(encoding="utf-8")
    edited = "Республики Казахстан обсуждали взаимодействие"  # a narrow paragraph, at fault
    assert text.count(edited) == 1
    article.write_text(text.replace(edited, "Республики Казахстан обсудили взаимодействие"), encoding="utf-8")
    build(root, out_dir=out)
    after = trial_entries(settled)
    assert len(set(after) - set(before)) == 1  # the paragraph edited, tried alone
    assert len(set(before) - set(after)) == 1  # as it was, no longer used
    assert all(after[name] == before[name] for name in after.keys() & before.keys())  # read, not written again
    build(root, out_dir=tmp_path / "cold", use_cache=False)
    for name in ("faults.pdf", "faults.epub"):
        assert (out / name).read_bytes() == (tmp_path / "cold" / name).read_bytes(), name


def test_a_paragraphs_trial_scores_do_not_depend_on_the_paragraphs_tried_beside_it(tmp_path):
    """Laid out alone, among all, or in the reverse order, each variant scores the same: a kept
    score is the one a trial from nothing would give."""
    from anthology import assemble, layout, pipeline, profiles
    enriched = pipeline.enrich(make_volume(tmp_path / "vol", "  settle: true\n"), Problems())
    renderer = layout.renderer_for(enriched, profiles.profile(profiles.DEFAULT_PROFILE, enriched.volume.bleed))
    html = assemble.print_body_chunks(enriched.volume, enriched.articles, enriched.bibliography)[0]
    lines = renderer._lay_out(html, 1, typefaces=False).lines
    options = {block: settle.variants(block, lines, renderer.settings) for block in settle.faults(lines, renderer.settings)}
    assert len(options) >= 3

    def scores(tried):
        trial = renderer._lay_out(settle.trial_document(html, tried), 1, layout.render.TRIAL_CSS, typefaces=False)
        found = settle.trial_scores(trial.lines, renderer.settings)
        return {(block, n): found.get(f"{block}{settle.VARIANT}{n}") for block, ts in tried.items() for n in range(len(ts))}
    together = scores(options)
    assert together == scores(dict(reversed(options.items())))
    for block, treatments in list(options.items())[:3]:
        assert scores({block: treatments}) == {key: score for key, score in together.items() if key[0] == block}
