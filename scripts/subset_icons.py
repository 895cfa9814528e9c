#!/usr/bin/env python3
"""Cut Bootstrap Icons down to the icons the portal's templates use: static/vendor/bootstrap-icons/.

The full icon font is 130 KB of WOFF2 (2,000 icons) and 86 KB of CSS, most of a first visit; the portal uses a few
dozen. Source: the npm package `bootstrap-icons` (MIT), the version in static/vendor/README.md. Fetch and unpack it,
then run this script (fontTools and Brotli are dependencies):

    cd /tmp && npm pack bootstrap-icons@1.11.4 && tar xzf bootstrap-icons-1.11.4.tgz
    .venv/bin/python scripts/subset_icons.py /tmp/package

It writes `font/bootstrap-icons.min.css` (the upstream base rule and one rule per icon used) and
`font/fonts/bootstrap-icons.woff2` (those glyphs only). Run it again after a template starts using a new icon:
tests/test_icon_subset.py fails until the subset has it.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "static" / "vendor" / "bootstrap-icons" / "font"
SUBSET_CSS = OUT_DIR / "bootstrap-icons.min.css"
SUBSET_FONT = OUT_DIR / "fonts" / "bootstrap-icons.woff2"
SKIP_DIRS = {".git", ".venv", "var", "node_modules", "vendor", "test-artifacts", "__pycache__"}
CLASS_ATTRIBUTE = re.compile(r"""class\s*=\s*["']([^"']*)["']""")
ICON_CLASS = re.compile(r"(?<![\w-])bi-([a-z0-9]+(?:-[a-z0-9]+)*)(?![\w-])")
SUBSET_RULE = re.compile(r"\.bi-([a-z0-9-]+)::before\{content:\"\\([0-9a-f]+)\"\}")


def icon_sources(root: Path = ROOT) -> list[Path]:
    """Templates and the portal's own scripts: where an icon's class is written."""
    files = []
    for pattern in ("**/templates/**/*.html", "static/js/**/*.js"):
        files.extend(p for p in root.glob(pattern) if not SKIP_DIRS.intersection(p.relative_to(root).parts))
    return sorted(files)


def icons_used(files: list[Path]) -> set[str]:
    """The Bootstrap Icons names (`bi-<name>` classes) the files use, in class attributes or in scripts."""
    names: set[str] = set()
    for path in files:
        text = path.read_text(encoding="utf-8")
        chunks = CLASS_ATTRIBUTE.findall(text) if path.suffix == ".html" else [text]
        for chunk in chunks:
            names.update(ICON_CLASS.findall(chunk))
    return names


def subset_icons(css: str) -> dict[str, int]:
    """The icons a subset CSS defines, with their code points."""
    return {name: int(code, 16) for name, code in SUBSET_RULE.findall(css)}


def missing_from_subset(used: set[str], css: str, font_codepoints: set[int]) -> list[str]:
    """The icons used that the subset CSS lacks, or whose glyph the subset font lacks."""
    defined = subset_icons(css)
    return sorted(name for name in used if name not in defined or defined[name] not in font_codepoints)


def font_codepoints(path: Path = SUBSET_FONT) -> set[int]:
    from fontTools.ttLib import TTFont

    with TTFont(path) as font:
        return set(font.getBestCmap())


def build(package: Path) -> None:
    from fontTools import subset

    codepoints: dict[str, int] = json.loads((package / "font" / "bootstrap-icons.json").read_text())
    used = icons_used(icon_sources())
    unknown = sorted(used - codepoints.keys())
    if unknown:
        sys.exit(f"not Bootstrap Icons {package}: {', '.join(unknown)}")
    upstream = (package / "font" / "bootstrap-icons.min.css").read_text()
    header = upstream[: upstream.index("*/") + 2]
    # The rule every icon shares sits between the @font-face and the first icon's rule.
    base = re.search(r"\.bi::before,[^{]*\{[^}]*\}", upstream).group(0)

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = []
    options.name_IDs = ["*"]
    font = subset.load_font(str(package / "font" / "fonts" / "bootstrap-icons.woff2"), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[codepoints[name] for name in used])
    subsetter.subset(font)
    SUBSET_FONT.parent.mkdir(parents=True, exist_ok=True)
    subset.save_font(font, str(SUBSET_FONT), options)

    rules = "".join(f'.bi-{name}::before{{content:"\\{codepoints[name]:x}"}}' for name in sorted(used))
    SUBSET_CSS.write_text(
        f"{header}\n/* Subset by scripts/subset_icons.py: {len(used)} icons used by the templates. */\n"
        '@font-face{font-display:block;font-family:bootstrap-icons;src:url("fonts/bootstrap-icons.woff2") '
        f'format("woff2")}}{base}{rules}\n',
        encoding="utf-8",
    )
    print(f"{len(used)} icons: {SUBSET_FONT.stat().st_size} bytes of WOFF2, {SUBSET_CSS.stat().st_size} of CSS")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("package", type=Path, help="the unpacked bootstrap-icons npm package (its package/ folder)")
    build(parser.parse_args().package)


if __name__ == "__main__":
    main()
