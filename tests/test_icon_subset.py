"""The icon font is a subset (scripts/subset_icons.py): every icon a template uses is in it, and it stays small."""

from pathlib import Path

from scripts.subset_icons import (
    SUBSET_CSS,
    SUBSET_FONT,
    font_codepoints,
    icon_sources,
    icons_used,
    missing_from_subset,
    subset_icons,
)


def test_every_icon_the_templates_use_is_in_the_subset_css_and_font():
    used = icons_used(icon_sources())
    assert {"bell", "plus-lg", "buildings"} <= used  # the scan finds the navbar's and the lists' icons
    missing = missing_from_subset(used, SUBSET_CSS.read_text(encoding="utf-8"), font_codepoints())
    assert missing == [], f"icons missing from the subset, run scripts/subset_icons.py: {missing}"


def test_an_icon_missing_from_the_subset_is_reported(tmp_path: Path):
    template = tmp_path / "templates" / "page.html"
    template.parent.mkdir()
    template.write_text('<i class="bi bi-bell me-1"></i><span class="{% if x %}bi-rocket-takeoff{% endif %}"></span>')
    used = icons_used([template])
    assert used == {"bell", "rocket-takeoff"}
    css = SUBSET_CSS.read_text(encoding="utf-8")
    assert missing_from_subset(used, css, font_codepoints()) == ["rocket-takeoff"]
    # A rule without its glyph in the font is missing too.
    assert missing_from_subset({"bell"}, css, set()) == ["bell"]


def test_the_subset_is_a_small_part_of_the_full_font():
    assert SUBSET_FONT.stat().st_size < 15_000  # the full WOFF2 is 130 KB
    assert SUBSET_CSS.stat().st_size < 10_000  # the full CSS is 86 KB
    assert len(subset_icons(SUBSET_CSS.read_text(encoding="utf-8"))) == len(icons_used(icon_sources()))
