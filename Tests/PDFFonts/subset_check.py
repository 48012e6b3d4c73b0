"""Checks the fonts embedded in a PDF against the font files they were cut from.

Usage: subset_check.py FILE.pdf FONT_FILE...

Each embedded TrueType face is matched, by its PostScript name, to one of FONT_FILE; then
every glyph the PDF shows (those its widths array lists) must keep its outline, every glyph
it keeps an outline for must have the source's outline and advance, under its own id (the
page content names glyphs by id); it must keep fewer glyphs than the source has (it is a
subset), and carry no hinting program or VTT source tables. Prints one
line per face and exits 1 if one fails, 2 if none was found.
"""
import io
import sys

import pikepdf
from fontTools.ttLib import TTFont

UNWANTED = {"fpgm", "prep", "cvt ", "GSUB", "GPOS"} | {"TSI" + c for c in "01235BCDJPSV"}


def postscript_name(font):
    return font["name"].getDebugName(6)


def outline(font, name):
    glyf = font["glyf"]
    glyph = glyf[name]
    if glyph.numberOfContours == 0:
        return None
    if glyph.isComposite():
        return ("composite", [(c.glyphName, c.x, c.y, getattr(c, "transform", None)) for c in glyph.components])
    coordinates, ends, flags = glyph.getCoordinates(glyf)
    return (list(coordinates), list(ends), [flag & 1 for flag in flags])


def shown(widths):
    """The glyph ids of a CID font's /W array: `first [w1 w2 ...]` or `first last w`."""
    ids, items, at = set(), list(widths), 0
    while at < len(items):
        first = int(items[at])
        if isinstance(items[at + 1], pikepdf.Array):
            ids.update(range(first, first + len(items[at + 1])))
            at += 2
        else:
            ids.update(range(first, int(items[at + 1]) + 1))
            at += 3
    return ids


def main():
    pdf_path, sources = sys.argv[1], sys.argv[2:]
    by_name = {}
    for path in sources:
        source = TTFont(path, lazy=True)
        by_name.setdefault(postscript_name(source), source)
    failed, checked = False, 0
    with pikepdf.open(pdf_path) as pdf:
        for font in pdf.objects:
            if not isinstance(font, pikepdf.Dictionary) or font.get("/Subtype") != "/CIDFontType2":
                continue
            obj = font.FontDescriptor
            if "/FontFile2" not in obj:
                continue
            embedded = TTFont(io.BytesIO(obj.FontFile2.read_bytes()))
            name = postscript_name(embedded)
            source = by_name.get(name)
            if source is None:
                print(f"skip {obj.FontName}: no source named {name!r}")
                continue
            checked += 1
            problems = []
            mine, theirs = embedded.getGlyphOrder(), source.getGlyphOrder()
            if len(mine) > len(theirs):
                problems.append(f"{len(mine)} glyphs, the source has {len(theirs)}")
            for gid in sorted(shown(font.get("/W", []))):
                if gid < len(theirs) and outline(source, theirs[gid]) is not None and (gid >= len(mine) or outline(embedded, mine[gid]) is None):
                    problems.append(f"glyph {gid} is shown but has lost its outline")
                    break
            kept = 0
            for gid, glyph in enumerate(mine[:len(theirs)]):
                shape = outline(embedded, glyph)
                if shape is None:
                    continue
                kept += 1
                if shape != outline(source, theirs[gid]):
                    problems.append(f"glyph {gid} differs from the source's")
                elif embedded["hmtx"][glyph][0] != source["hmtx"][theirs[gid]][0]:
                    problems.append(f"glyph {gid}'s advance differs from the source's")
                if len(problems) > 5:
                    break
            if not 0 < kept < len(theirs) // 2:
                problems.append(f"{kept} of {len(theirs)} glyphs kept: not a subset")
            unwanted = sorted(UNWANTED & set(embedded.keys()))
            if unwanted:
                problems.append("tables not needed in a PDF: " + ", ".join(unwanted))
            failed = failed or bool(problems)
            print(("FAIL " if problems else "ok ") + f"{obj.FontName} ({kept} of {len(theirs)} glyphs)" + "".join("\n  " + p for p in problems))
    sys.exit(1 if failed else 0 if checked else 2)


if __name__ == "__main__":
    main()
