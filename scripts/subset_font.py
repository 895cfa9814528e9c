#!/usr/bin/env python3
"""Rebuild the CJK font the PDF reports embed: targets/reporting/fonts/NotoSansSC-Regular.ttf.

Source: Noto Sans SC (SIL Open Font License 1.1, Copyright 2014-2021 Adobe) as static TrueType files from the npm
package `@expo-google-fonts/noto-sans-sc`, version 0.4.3 (file 400Regular/NotoSansSC_400Regular.ttf, 10.5 MB; the
subset is ~2.5 MB). Only the regular weight is shipped: a bold subset would add another 2.5 MB, so headings are set
larger instead. Fetch and unpack it, then run this script (fontTools is a dev
dependency):

    cd /tmp && npm pack @expo-google-fonts/noto-sans-sc@0.4.3 && tar xzf expo-google-fonts-noto-sans-sc-0.4.3.tgz
    .venv/bin/python scripts/subset_font.py /tmp/package

The subset keeps, so that the portal's text never falls back to missing glyphs ("tofu"):
- ASCII, Latin-1 and the punctuation and symbols reports use (general punctuation, ×, ≤, ≥, №, arrows, ①…);
- every character of GB 2312 (its 6,763 hanzi and its symbol rows), CJK symbols and punctuation, fullwidth forms;
- every non-ASCII character found in the repository's own text: the Chinese catalogue
  (locale/zh_Hans/LC_MESSAGES/django.po), NEW_TRANSLATIONS.json, Python sources (seed data and migrations),
  templates, Markdown and JSON files;
- the characters of Faker's zh_CN person and company providers when Faker is installed (test factories use them).
Run it again after adding text outside GB 2312 (a rare 姓 or 字 in seed data) to keep every glyph present;
targets/tests/test_render_pdf.py checks that the committed font covers the catalogue and NEW_TRANSLATIONS.json.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "targets" / "reporting" / "fonts"
SOURCE_PACKAGE = "@expo-google-fonts/noto-sans-sc@0.4.3"
SOURCES = {
    "NotoSansSC-Regular.ttf": "400Regular/NotoSansSC_400Regular.ttf",
}
# Directories never scanned for repository text.
SKIP_DIRS = {".git", ".venv", "var", "node_modules", "static", "test-artifacts", "__pycache__", "bench"}
SCANNED_SUFFIXES = {".py", ".po", ".html", ".txt", ".md", ".json", ".yml", ".yaml", ".csv"}

RANGES = [
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 supplement (·, ×, ÷, ±, °, ¥ …)
    (0x2000, 0x206F),  # general punctuation (— – ‘ ’ “ ” … ‰ ※)
    (0x2100, 0x214F),  # letterlike symbols (℃ №)
    (0x2150, 0x218F),  # number forms (Ⅰ Ⅱ …)
    (0x2190, 0x21FF),  # arrows (→)
    (0x2200, 0x22FF),  # mathematical operators (≤ ≥ ≠ ∑)
    (0x2460, 0x24FF),  # enclosed alphanumerics (① ②)
    (0x2500, 0x257F),  # box drawing
    (0x25A0, 0x25FF),  # geometric shapes (■ ● ▲)
    (0x2600, 0x26FF),  # miscellaneous symbols (★ ☆)
    (0x3000, 0x303F),  # CJK symbols and punctuation (、。《》【】〔〕)
    (0x3200, 0x32FF),  # enclosed CJK letters (㈠)
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # half- and fullwidth forms (（），：；？！)
]


def gb2312_characters() -> set[str]:
    """Every character GB 2312 encodes: rows 0xA1-0xF7, cells 0xA1-0xFE."""
    chars = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def repository_characters() -> set[str]:
    chars: set[str] = set()
    for path in sorted(ROOT.rglob("*")):
        if not path.is_file() or path.suffix not in SCANNED_SUFFIXES:
            continue
        if SKIP_DIRS.intersection(path.relative_to(ROOT).parts):
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        chars.update(ch for ch in text if ord(ch) > 0x7E and ch.isprintable())
    return chars


def faker_characters() -> set[str]:
    try:
        from faker.providers.company import zh_CN as company
        from faker.providers.person import zh_CN as person
    except ImportError:
        return set()
    chars: set[str] = set()
    for module in (person, company):
        for value in vars(module.Provider).values():
            items = value.keys() if isinstance(value, dict) else value if isinstance(value, tuple | list) else ()
            for item in items:
                if isinstance(item, str):
                    chars.update(ch for ch in item if ord(ch) > 0x7E)
    return chars


def wanted_characters() -> set[str]:
    chars = {chr(code) for start, end in RANGES for code in range(start, end + 1)}
    chars |= gb2312_characters() | repository_characters() | faker_characters()
    return chars


def subset(source: Path, target: Path, text: str) -> list[str]:
    from fontTools import subset as ft_subset
    from fontTools.ttLib import TTFont

    options = ft_subset.Options()
    options.layout_features = ["*"]  # keep vertical/locl features; cheap next to the outlines
    options.name_IDs = ["*"]  # keep copyright, licence and licence URL records (OFL)
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False  # reportlab ignores hints; dropping them saves ~20%
    options.desubroutinize = True
    font = TTFont(source, recalcTimestamp=False)  # same input, same bytes
    cmap = font.getBestCmap()
    missing = sorted(ch for ch in text if ord(ch) not in cmap and ch.isprintable() and not ch.isspace())
    subsetter = ft_subset.Subsetter(options=options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    font.save(target)
    return missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("package", type=Path, help=f"the unpacked npm package {SOURCE_PACKAGE} (its package/ dir)")
    args = parser.parse_args(argv)
    text = "".join(sorted(wanted_characters()))
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for name, relative in SOURCES.items():
        source = args.package / relative
        if not source.exists():
            parser.error(f"{source} not found: unpack {SOURCE_PACKAGE} first")
        target = OUT_DIR / name
        missing = subset(source, target, text)
        digest = hashlib.sha256(target.read_bytes()).hexdigest()[:16]
        print(f"{name}: {target.stat().st_size / 1024:.0f} KiB, sha256 {digest}…, {len(text)} characters wanted")
        relevant = [ch for ch in missing if 0x3400 <= ord(ch) <= 0x9FFF or ord(ch) >= 0x20000]
        if relevant:
            print(f"  not in the source font: {''.join(relevant)}", file=sys.stderr)
    licence = args.package / "LICENSE_FONT"
    (OUT_DIR / "OFL.txt").write_text(licence.read_text(encoding="utf-8"), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
