"""Lays out Dossier's PDF edition with WeasyPrint and writes it (PDFEdition.swift runs this
with the Python that WeasyPrint is installed for).

Usage: layout.py SOURCE.html OUTPUT.pdf BASE_URL IDENTIFIER

A figure is kept whole (`break-inside: avoid`), so one that does not fit at the foot of a
page moves to the next and leaves a gap. WeasyPrint has no page floats to fill it, so this
does what a typesetter would: where a page opens with a figure and the page before ends
with more than GAP of its height free (a tenth), the text that follows the figure in its section
(paragraphs, lists, quotes; never past a heading or another figure) moves up before it,
as much as fits, and the document is laid out again. A figure taller than a page (a long
table) may split where it starts instead. At most PASSES layouts; each changes only text
order around a figure or where a long table starts, never the text.
"""
import logging
import sys

import cssselect2
import pydyf
from weasyprint import HTML

GAP = 0.1
PASSES = 3
MOVABLE = {"p", "ul", "ol", "blockquote", "dl"}
XHTML = "{http://www.w3.org/1999/xhtml}"


def classes(element):
    return (element.get("class") or "").split() if element is not None else []


def in_flow(box):
    """The boxes of the page's text and drawings, in document order."""
    yield box
    for child in getattr(box, "children", ()):
        yield from in_flow(child)


def leaves(page):
    """The page's lines and block drawings (what takes up its height), and its first figure
    if the page opens with one."""
    root = page.children[0]
    opening, found = None, []
    for box in in_flow(root):
        kind = type(box).__name__
        if "dsr-figure" in classes(box.element) and box.element_tag == "figure":
            if not found and opening is None:
                opening = box.element
            found.append(box)
        elif kind in ("LineBox", "BlockReplacedBox"):
            found.append(box)
    return opening, found


def free_space(page, found):
    """How much of the page's height is free below its last line (above any notes)."""
    notes = next((box for box in page.children if type(box).__name__ == "FootnoteAreaBox"), None)
    bottom = notes.position_y if notes is not None else page.content_box_y() + page.height
    used = max((box.position_y + box.margin_height() for box in found), default=page.content_box_y())
    return max(0.0, bottom - used), page.height


def heights(document):
    """Each element's laid-out height, summed over the pages it spans."""
    total = {}
    for page in document.pages:
        for box in in_flow(page._page_box.children[0]):
            if box.element is not None and box.element_tag in MOVABLE and type(box).__name__ == "BlockBox":
                total[id(box.element)] = total.get(id(box.element), 0.0) + box.margin_height()
    return total


def fill_gaps(html, document):
    """Moves text up before figures that left a gap; whether anything moved."""
    parents = {child: parent for parent in html.etree_element.iter() for child in parent}
    sizes = heights(document)
    moved = False
    pages = [page._page_box for page in document.pages]
    for index in range(1, len(pages)):
        figure, _ = leaves(pages[index])
        if figure is None or figure not in parents:
            continue
        free, height = free_space(pages[index - 1], leaves(pages[index - 1])[1])
        if free < GAP * height:
            continue
        parent = parents[figure]
        siblings = list(parent)
        after = siblings[siblings.index(figure) + 1:]
        lift, room = [], free
        for element in after:
            if element.tag.removeprefix(XHTML) not in MOVABLE or "dsr-figure" in classes(element):
                break
            lift.append(element)
            room -= sizes.get(id(element), 0.0)
            if room <= 0:
                break
        if not lift:
            continue
        for element in lift:
            parent.remove(element)
        at = list(parent).index(figure)
        for offset, element in enumerate(lift):
            parent.insert(at + offset, element)
        moved = True
    return moved


def tag_pages_quickly(document):
    """WeasyPrint 57's PDF/UA step rebuilds the element tree of the whole document for every
    page it tags (quadratic: minutes for a 400-page briefing). What it reads of that tree
    is the parent of each element shown on the page, and of their ancestors; this gives it
    just those, page by page."""
    root = document._html.etree_element
    parents = {root: None}
    for parent in root.iter():
        for child in parent:
            parents[child] = parent
    pages = iter(document.pages)

    def build_element_structure(structure, etree_element=None):
        for box in next(pages)._page_box.descendants():
            element = box.element
            while element is not None and element not in structure:
                parent = parents.get(element)
                structure[element] = {"parent": parent}
                element = parent

    document.build_element_structure = build_element_structure


def cached_page_references(pdf):
    """pydyf lists every page's reference each time one is asked for, which the tagging
    step does for each structure element (quadratic); the list only grows, so it is kept
    until a page is added."""
    kids = pdf.pages["Kids"]
    cached = pdf.__dict__.get("_dossier_pages")
    if cached is None or cached[0] != len(kids):
        cached = (len(kids), tuple(f"{number} 0 R".encode("ascii") for number in kids[::3]))
        pdf.__dict__["_dossier_pages"] = cached
    return cached[1]


def split_tall(html, document):
    """A figure kept whole that is still taller than a page (a long table; charts are scaled
    to fit) would first be pushed to a fresh page, leaving a gap, and then split anyway:
    such figures may start where they are. Whether any was found."""
    pages = {}
    for number, page in enumerate(document.pages):
        for box in in_flow(page._page_box.children[0]):
            if box.element_tag == "figure" and "dsr-figure" in classes(box.element):
                pages.setdefault(box.element, set()).add(number)
    tall = [element for element, spanned in pages.items() if len(spanned) > 1 and "dsr-split" not in classes(element)]
    for element in tall:
        element.set("class", (element.get("class") or "") + " dsr-split")
    return bool(tall)


def main():
    source, output, base_url, identifier = sys.argv[1:5]
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("weasyprint").addHandler(logging.StreamHandler())
    html = HTML(filename=source, base_url=base_url)
    document = html.render()
    for _ in range(PASSES - 1):
        split = split_tall(html, document)
        if not fill_gaps(html, document) and not split:
            break
        html.wrapper_element = cssselect2.ElementWrapper.from_html_root(html.etree_element)
        document = html.render()
    tag_pages_quickly(document)
    pydyf.PDF.page_references = property(cached_page_references)
    document.write_pdf(output, identifier=identifier, variant="pdf/ua-1")


if __name__ == "__main__":
    main()
