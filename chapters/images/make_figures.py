"""Regenerate the sample volume's figures.

    .venv/bin/python chapters/images/make_figures.py

Writes `middle-corridor.png` (a schematic of the Trans-Caspian International Transport Route)
next to this script. Needs Pillow; the output is deterministic, so a rerun gives the same bytes.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
WIDTH, HEIGHT = 1200, 700

# Colours: a small flat palette keeps the PNG small and prints well in greyscale.
PAPER = (255, 255, 255)
SEA = (214, 230, 242)
SEA_EDGE = (150, 185, 210)
LAND = (244, 241, 232)
INK = (34, 34, 34)
GREY = (120, 120, 120)
RAIL = (176, 40, 40)
FERRY = (30, 90, 150)

FONTS = ROOT / "styles" / "fonts"  # the book's own fonts, never the machine's


def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONTS / ("NotoSans-Bold.ttf" if bold else "NotoSans-Regular.ttf")), size)


# The route, drawn east (right) to west (left): (label, x, y, country, kind).
# Coordinates are schematic, not geographic.
NODES = [
    ("Синьцзян", 1110, 250, "Китай", "hub"),
    ("Достык / Хоргос", 1010, 250, "", "border"),
    ("Алматы", 950, 345, "", "city"),
    ("Актау", 800, 315, "Казахстан", "port"),
    ("Курык", 800, 410, "", "port"),
    ("Алят (Баку)", 585, 375, "Азербайджан", "port"),
    ("Тбилиси", 400, 335, "Грузия", "city"),
    ("Поти / Батуми", 325, 255, "", "port"),
    ("Карс", 245, 430, "Турция", "city"),
    ("Стамбул", 90, 395, "", "hub"),
]

RAIL_LINES = [
    ["Синьцзян", "Достык / Хоргос", "Алматы", "Актау"],
    ["Алматы", "Курык"],
    ["Алят (Баку)", "Тбилиси", "Карс", "Стамбул"],
    ["Тбилиси", "Поти / Батуми"],
]
FERRY_LINES = [["Актау", "Алят (Баку)"], ["Курык", "Алят (Баку)"]]


def dashed(draw: ImageDraw.ImageDraw, a, b, fill, width: int, dash: int = 16, gap: int = 10) -> None:
    (x1, y1), (x2, y2) = a, b
    length = ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5
    steps = int(length // (dash + gap)) + 1
    for i in range(steps):
        s = i * (dash + gap) / length
        e = min(1.0, (i * (dash + gap) + dash) / length)
        if s >= 1:
            break
        draw.line([(x1 + (x2 - x1) * s, y1 + (y2 - y1) * s), (x1 + (x2 - x1) * e, y1 + (y2 - y1) * e)], fill=fill, width=width)


def draw_route() -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    title, label, small, country = font(30, bold=True), font(20), font(17), font(22, bold=True)

    # Land band and the Caspian Sea as a schematic shape.
    draw.rectangle([40, 140, WIDTH - 40, 560], fill=LAND)
    caspian = [(675, 165), (735, 175), (760, 250), (740, 330), (765, 420), (740, 500), (690, 545),
               (655, 500), (670, 420), (650, 340), (665, 250)]
    draw.polygon(caspian, fill=SEA, outline=SEA_EDGE)
    draw.text((663, 190), "Каспийское\nморе", font=small, fill=FERRY, spacing=2)
    black_sea = [(150, 170), (250, 160), (312, 205), (300, 262), (210, 280), (140, 240)]
    draw.polygon(black_sea, fill=SEA, outline=SEA_EDGE)
    draw.text((172, 195), "Чёрное\nморе", font=small, fill=FERRY, spacing=2)

    # Country bands (schematic): a thin grey divider between neighbouring countries.
    for x in (1050, 480, 300):
        dashed(draw, (x, 150), (x, 550), GREY, 1, dash=6, gap=6)

    pos = {n[0]: (n[1], n[2]) for n in NODES}
    for line in RAIL_LINES:
        for a, b in zip(line, line[1:]):
            draw.line([pos[a], pos[b]], fill=RAIL, width=6)
    for line in FERRY_LINES:
        for a, b in zip(line, line[1:]):
            dashed(draw, pos[a], pos[b], FERRY, 5)

    for name, x, y, ctry, kind in NODES:
        r = 11 if kind in ("hub", "port") else 8
        fill = FERRY if kind == "port" else (INK if kind == "hub" else PAPER)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=fill, outline=INK, width=3)
        w = draw.textlength(name, font=label)
        ty = y - 42 if name in ("Достык / Хоргос", "Поти / Батуми", "Тбилиси", "Актау") else y + 16
        tx = max(45, min(WIDTH - 45 - w, x - w / 2))
        draw.text((tx, ty), name, font=label, fill=INK)
        if ctry:
            cw = draw.textlength(ctry.upper(), font=country)
            cy = 505
            cx = {"Казахстан": 905, "Азербайджан": 570, "Грузия": 390, "Турция": 165, "Китай": 1105}[ctry]
            draw.text((cx - cw / 2, cy), ctry.upper(), font=country, fill=GREY)

    draw.text((40, 40), "Транскаспийский международный транспортный маршрут", font=title, fill=INK)
    draw.text((40, 85), "Схема, без соблюдения масштаба", font=small, fill=GREY)

    # Legend.
    ly = 605
    draw.line([(40, ly), (110, ly)], fill=RAIL, width=6)
    draw.text((122, ly - 13), "железная дорога", font=label, fill=INK)
    dashed(draw, (340, ly), (410, ly), FERRY, 5)
    draw.text((422, ly - 13), "паромная и морская линия", font=label, fill=INK)
    draw.ellipse([720 - 11, ly - 11, 720 + 11, ly + 11], fill=FERRY, outline=INK, width=3)
    draw.text((742, ly - 13), "морской порт", font=label, fill=INK)
    draw.ellipse([920 - 8, ly - 8, 920 + 8, ly + 8], fill=PAPER, outline=INK, width=3)
    draw.text((940, ly - 13), "узел, город", font=label, fill=INK)
    draw.text((40, 650), "Направление грузов: Китай — Казахстан — Каспий — Азербайджан — Грузия — Турция — Европа",
              font=small, fill=GREY)
    return image


def main() -> None:
    image = draw_route().quantize(colors=32, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = HERE / "middle-corridor.png"
    image.save(out, format="PNG", optimize=True)
    print(f"{out.relative_to(ROOT)}: {out.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
