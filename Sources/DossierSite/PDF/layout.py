"""Lays out Dossier's PDF edition with WeasyPrint and writes it (PDFEdition.swift runs this
with the Python that WeasyPrint is installed for).

Usage: layout.py SOURCE.html OUTPUT.pdf BASE_URL IDENTIFIER [PARTS [LENGTH]]

A figure is kept whole (`break-inside: avoid`), so one that does not fit at the foot of a
page moves to the next and leaves a gap. WeasyPrint has no page floats to fill it, so this
does what a typesetter would: where a page opens with a figure and the page before ends
with more than GAP of its height free (a tenth), the text that follows the figure in its section
(paragraphs, lists, quotes; never past a heading or another figure) moves up before it,
as much as fits, and the document is laid out again. A figure taller than a page (a long
table) may split where it starts instead. At most PASSES layouts; each changes only text
order around a figure or where a long table starts, never the text.

With PARTS above one, a document of at least LENGTH characters of text is laid out in up to
that many processes at once (see `parallel`): WeasyPrint runs on one core, and a 400-page
briefing takes it most of a minute in one.
"""
import logging
import multiprocessing
import os
import re
import sys
import traceback
from types import SimpleNamespace

import cffi
import cssselect2
import pydyf
import weasyprint.document
import weasyprint.layout.inline
import weasyprint.pdf
import weasyprint.pdf.stream
from weasyprint import HTML
from weasyprint.css.targets import TargetLookupItem
from weasyprint.layout.background import layout_box_backgrounds
from weasyprint.layout.leader import handle_leader, leader_index
from weasyprint.layout.page import make_margin_boxes
from weasyprint.text.line_break import split_first_line

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


def leader_in_one_box(context, line, containing_block):
    """WeasyPrint 57 sets a leader (the dots before a page number in the contents) as one
    text box per repetition of its string: some forty a line, each laid out and painted on
    its own, which was most of what the contents cost (56,000 boxes on a 400-page
    briefing's). These are the same dots, where they were, in one box."""
    handle_leader(context, line, containing_block)
    _, leader_box = leader_index(line)
    if leader_box is None or len(leader_box.children) < 2:
        return
    copies = leader_box.children
    first = min(copies, key=lambda box: box.position_x)
    text = first.text * len(copies)
    layout, *_ = split_first_line(text, first.style, context, None, first.justification_spacing, is_line_start=False)
    box = first.copy()
    box.text, box.pango_layout, box.width = text, layout, first.width * len(copies)
    leader_box.children = (box,)


weasyprint.layout.inline.handle_leader = leader_in_one_box


HARFBUZZ_SUBSET = """
typedef struct hb_blob_t hb_blob_t;
typedef struct hb_face_t hb_face_t;
typedef struct hb_set_t hb_set_t;
typedef struct hb_subset_input_t hb_subset_input_t;
hb_blob_t *hb_blob_create(const char *data, unsigned int length, int mode, void *user_data, void *destroy);
void hb_blob_destroy(hb_blob_t *blob);
const char *hb_blob_get_data(hb_blob_t *blob, unsigned int *length);
hb_face_t *hb_face_create(hb_blob_t *blob, unsigned int index);
void hb_face_destroy(hb_face_t *face);
hb_blob_t *hb_face_reference_blob(hb_face_t *face);
void hb_set_add(hb_set_t *set, uint32_t codepoint);
hb_subset_input_t *hb_subset_input_create_or_fail(void);
void hb_subset_input_destroy(hb_subset_input_t *input);
hb_set_t *hb_subset_input_set(hb_subset_input_t *input, int set_type);
void hb_subset_input_set_flags(hb_subset_input_t *input, unsigned int value);
hb_face_t *hb_subset_or_fail(hb_face_t *source, const hb_subset_input_t *input);
"""
HB_MEMORY_MODE_READONLY = 1
HB_SUBSET_SETS_GLYPH_INDEX, HB_SUBSET_SETS_DROP_TABLE_TAG = 0, 3
# No hinting, glyph ids kept (the page content names glyphs by id), no subroutines, and the
# tables HarfBuzz does not know passed through: fontTools' options in WeasyPrint 57; and, as
# there, no shaping or SVG tables. Also dropped: the sources of a font's hinting that
# Microsoft's VTT leaves in it (half of each Nanum Gothic face, read by nothing but VTT).
HB_SUBSET_FLAGS = 0x01 | 0x02 | 0x04 | 0x20
DROPPED_TABLES = (b"GSUB", b"GPOS", b"SVG ") + tuple(b"TSI" + bytes([letter]) for letter in b"01235BCDJPSV")


def harfbuzz_subsetter():
    """HarfBuzz's subsetter (libharfbuzz-subset), or None where it is not installed."""
    try:
        ffi = cffi.FFI()
        ffi.cdef(HARFBUZZ_SUBSET)
        return ffi, ffi.dlopen("libharfbuzz-subset.so.0")
    except (OSError, cffi.CDefError):
        return None


def subset_with_harfbuzz(data, index, glyphs, subsetter):
    """The face `index` of the font file `data` with the outlines of `glyphs` only (the
    others empty, the ids kept, the glyphs after the last one dropped), or None."""
    ffi, hb = subsetter
    buffer = ffi.from_buffer(data)  # HarfBuzz reads it in place: held until the blob is gone
    blob = hb.hb_blob_create(buffer, len(data), HB_MEMORY_MODE_READONLY, ffi.NULL, ffi.NULL)
    face = hb.hb_face_create(blob, index)
    request = hb.hb_subset_input_create_or_fail()
    try:
        if request == ffi.NULL:
            return None
        kept = hb.hb_subset_input_set(request, HB_SUBSET_SETS_GLYPH_INDEX)
        for glyph in sorted(glyphs):
            hb.hb_set_add(kept, glyph)
        dropped = hb.hb_subset_input_set(request, HB_SUBSET_SETS_DROP_TABLE_TAG)
        for table in DROPPED_TABLES:
            hb.hb_set_add(dropped, int.from_bytes(table, "big"))
        hb.hb_subset_input_set_flags(request, HB_SUBSET_FLAGS)
        subset = hb.hb_subset_or_fail(face, request)
        if subset == ffi.NULL:
            return None
        result = hb.hb_face_reference_blob(subset)
        size = ffi.new("unsigned int *")
        content = ffi.unpack(hb.hb_blob_get_data(result, size), size[0])
        hb.hb_blob_destroy(result)
        hb.hb_face_destroy(subset)
        return content or None
    finally:
        if request != ffi.NULL:
            hb.hb_subset_input_destroy(request)
        hb.hb_face_destroy(face)
        hb.hb_blob_destroy(blob)


def clean_font_quickly(subsetter):
    """WeasyPrint 57 subsets each embedded font with fontTools, in Python: a Hangul face of
    20,000 glyphs took it 0.4 s, and the Korean edition's five faces half of its 3 s.
    HarfBuzz's subsetter, which later WeasyPrint releases use, does it in milliseconds, with
    the same outlines and widths; fonts it is not for (variable, colour) and fonts it
    fails on keep WeasyPrint's way."""
    clean = weasyprint.pdf.stream.Font.clean

    def quick(font, cmap):
        ttfont = font.ttfont
        if cmap and ttfont is not None and "fvar" not in ttfont and not (font.png or font.svg):
            content = subset_with_harfbuzz(font.file_content, font.index, cmap, subsetter)
            if content is not None:
                font.file_content = content
                return
        clean(font, cmap)

    weasyprint.pdf.stream.Font.clean = quick


if (found := harfbuzz_subsetter()) is not None:
    clean_font_quickly(found)


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


# Laying out in parts.
#
# The template marks the elements of <body> that start a page with `data-pdf-part` (each
# section). `parallel` cuts the body before such marks into PARTS runs of about equal
# length; what comes before the first mark (the cover, the contents) is the head. Each run
# is laid out in a process of its own (forked, so the parsed tree is shared), behind the
# head without what points into the runs (the contents), so that what the head sets (the
# running header's named strings) holds in it, and with the notes' counter going on from
# the runs before it; the head's pages are then dropped from it. A run's layout does not
# depend on where its pages fall, so they are numbered afterwards: each worker reports its
# page count and the page of each of its anchors and waits; the parent, which meanwhile
# laid the head out alone (for its length), numbers the runs from it, lays the head out
# again with the runs' page numbers given to its target-counter()s (the contents), and
# writes it, while each worker re-makes its margin boxes ("page N of M") with the
# document's numbers, keeps its links into other runs and writes its pages (numbered
# again, should the head's length have changed); pikepdf (qpdf) joins the parts: pages,
# structure tree (the PDF/UA tags), outline and named destinations. A run whose own text
# uses page-based counters (target-counter() or counter(page) outside the head) could not
# be numbered afterwards: then the document is laid out in one process, as without PARTS.
# Other CSS counters start again in each run (Dossier numbers figures and tables itself).

PART = "data-pdf-part"
# The layout context of the last render (for re-making margin boxes), and the page numbers
# to give target-counter() for anchors that are in other runs.
state = SimpleNamespace(context=None, foreign={})
build_layout_context = weasyprint.document.Document._build_layout_context.__func__


def capture_context(cls, *args, **kwargs):
    context = build_layout_context(cls, *args, **kwargs)
    state.context = context
    items = context.target_collector.target_lookup_items
    for name, number in state.foreign.items():
        # The page number as the target's own counter, so the engine does not wait for it
        # during pagination (which would lay each page of the contents out three times).
        item = TargetLookupItem("up-to-date")
        item.target_box = SimpleNamespace(cached_counter_values={"page": [number]})
        item.cached_page_counter_values = {"page": [number]}
        item.page_maker_index = -1
        items[name] = item
    return context


weasyprint.document.Document._build_layout_context = classmethod(capture_context)


def tag(element):
    return element.tag.removeprefix(XHTML) if isinstance(element.tag, str) else ""


def body_of(html):
    return next((element for element in html.etree_element if tag(element) == "body"), None)


def weight(element):
    """How long `element` is to lay out, roughly: its characters of text."""
    return sum(len(text) for text in element.itertext())


def cut(html, parts):
    """The head (the elements before the first mark) and up to `parts` runs of marked
    sections of about equal length, or None when there are fewer than two sections."""
    body = body_of(html)
    children = list(body) if body is not None else []
    marks = [index for index, child in enumerate(children) if child.get(PART) is not None]
    if len(marks) < 2:
        return None
    sections = [children[start:end] for start, end in zip(marks, marks[1:] + [len(children)])]
    weights = [sum(weight(element) for element in section) + 1 for section in sections]
    parts = min(parts, len(sections))
    runs, run, done, total = [], [], 0, sum(weights)
    for number, (section, length) in enumerate(zip(sections, weights)):
        # A new run when this one has its share of the text, or when no more sections are
        # left than runs still to start.
        if run and len(runs) < parts - 1 and (done >= total * (len(runs) + 1) / parts or len(sections) - number <= parts - 1 - len(runs)):
            runs.append(run)
            run = []
        run.extend(section)
        done += length
    runs.append(run)
    return children[:marks[0]], runs


def keep_only(html, elements):
    """Leaves `elements` of the body, in their order (all of them again: the whole body)."""
    body = body_of(html)
    for child in list(body):
        body.remove(child)
    body.extend(elements)
    html.wrapper_element = cssselect2.ElementWrapper.from_html_root(html.etree_element)


def keep_links(known):
    """Links to anchors in `known` (the whole document's) are kept, though the anchor is in
    another part; WeasyPrint drops links to anchors not in the document it writes."""
    def resolve(pages):
        seen, placed = set(), []
        for page in pages:
            placed.append([])
            for name, (x, y) in page.anchors.items():
                if name not in seen:
                    placed[-1].append((name, x, y))
                    seen.add(name)
        for page, anchors in zip(pages, placed):
            links = []
            for link in page.links:
                if link[0] == "internal" and link[1] not in seen and link[1] not in known:
                    logging.getLogger("weasyprint").error("No anchor #%s for internal URI reference", link[1])
                else:
                    links.append(link)
            yield links, anchors
    weasyprint.pdf.resolve_links = resolve


def renumber(context, page_box, index, number, total):
    """Re-makes the margin boxes of the part's page `index` (from 1) as page `number` of `total`."""
    page_state = context.page_maker[index][3]
    page_state[1]["page"] = [number]
    page_state[1]["pages"] = [total]
    context.current_page = index
    flow = tuple(child for child in page_box.children if type(child).__name__ != "MarginBox")
    margins = tuple(make_margin_boxes(context, page_box, page_state))
    for box in margins:
        layout_box_backgrounds(page_box, box, context.get_image_from_uri)
    page_box.children = flow + margins


def first_page_of(document, element):
    for index, page in enumerate(document.pages):
        if any(box.element is element for box in page._page_box.descendants()):
            return index
    return len(document.pages)


def work(html, head, run, notes_before, connection, output, identifier):
    """A worker: lays out `run` behind the head, reports, numbers its pages and writes them."""
    try:
        keep_only(html, head + run)
        if notes_before:
            run[0].set("style", f"counter-reset: footnote {notes_before}; " + (run[0].get("style") or ""))
        document = render(html)
        context = state.context
        inside = {id(element) for top in run for element in top.iter()}
        if any(id(box.element) in inside for box, _ in context.target_collector.counter_lookup_items):
            connection.send(("whole",))
            return
        start = first_page_of(document, run[0])
        pages = document.pages[start:]
        anchors = {}
        for offset, page in enumerate(pages):
            for name in page.anchors:
                anchors.setdefault(name, offset)  # the first of a name, as WeasyPrint links to it
        connection.send(("laid out", start, len(pages), anchors))
        document.pages = pages
        # Numbered and written; numbered again should the head turn out longer or shorter.
        while (message := connection.recv())[0] == "number":
            _, first, total, known = message
            for offset, page in enumerate(pages):
                renumber(context, page._page_box, start + offset + 1, first + offset, total)
            keep_links(known)
            write(document, output, identifier)
            connection.send(("written",))
    except BaseException:
        connection.send(("error", traceback.format_exc()))
    finally:
        connection.close()


def receive(connection):
    message = connection.recv()
    if message[0] == "error":
        raise RuntimeError("a part of the PDF failed to lay out:\n" + message[1])
    return message


def threads():
    """How many threads this process runs (Linux's count; 1 where it cannot be read)."""
    try:
        with open("/proc/self/status") as status:
            return next((int(line.split()[1]) for line in status if line.startswith("Threads:")), 1)
    except OSError:
        return 1


def parallel(html, output, identifier, parts, length):
    """Lays the document out in `parts` processes and writes it; False when it is shorter
    than `length` characters, cannot be cut (fewer than two sections; no pikepdf) or a run
    needs the whole document."""
    try:
        import pikepdf  # noqa: F401
    except ImportError:
        return False
    # Forking is safe while this process runs one thread (before anything is laid out: the
    # libraries WeasyPrint draws with may start threads of their own, and a fork then can
    # leave a lock held for good).
    if threads() != 1:
        return False
    division = cut(html, parts)
    if division is None:
        return False
    head, runs = division
    text = sum(weight(top) for run in runs for top in run)
    if text < length:
        return False
    # The workers' copy of the head leaves out what points into the runs (the contents):
    # it could not be laid out there, and only what the head sets for the pages after it
    # (the running header's named strings) is wanted of it.
    targets = {element.get("id") for run in runs for top in run for element in top.iter() if element.get("id")}
    carried = [top for top in head
               if not any((element.get("href") or "").startswith("#") and element.get("href")[1:] in targets for element in top.iter())]
    notes = [sum(1 for top in run for element in top.iter() if tag(element) == "span" and "footnote" in classes(element)) for run in runs]
    fork = multiprocessing.get_context("fork")
    workers, files = [], [f"{output}.part{index}" for index in range(len(runs) + 1)]
    try:
        for index, run in enumerate(runs):
            mine, theirs = fork.Pipe()
            process = fork.Process(target=work, args=(html, carried, run, sum(notes[:index]), theirs, files[index + 1], identifier))
            process.start()
            theirs.close()
            workers.append((process, mine))
        # While they work, the head alone, for its length: its contents' page numbers are
        # not known yet, so each is a number as long as the last page's is likely to be
        # (about 2,000 characters of text a page).
        keep_only(html, head)
        likely = 10 ** (len(str(text // 2000 + 1)) - 1)
        state.foreign = dict.fromkeys(targets, likely)
        document = render(html)
        state.foreign = {}
        reports = [receive(connection) for _, connection in workers]
        if any(report[0] == "whole" for report in reports):
            for _, connection in workers:
                try:
                    connection.send(("stop",))
                except OSError:
                    pass
            keep_only(html, head + [top for run in runs for top in run])
            return False
        counts = [report[2] for report in reports]
        known = {name for page in document.pages for name in page.anchors}
        for report in reports:
            known.update(report[3])
        # The runs are numbered from the head's length as first laid out, and the head is
        # laid out again with their pages while they write; should its length change
        # (a page number one digit longer moving a line), they are numbered again.
        head_pages, pending = None, 0
        for _ in range(3):
            if len(document.pages) == head_pages:
                break
            head_pages = len(document.pages)
            total = head_pages + sum(counts)
            firsts = [head_pages + sum(counts[:index]) + 1 for index in range(len(runs))]
            for (_, connection), first in zip(workers, firsts):
                connection.send(("number", first, total, known))
            pending += 1
            state.foreign = {name: firsts[index] + offset for index, report in enumerate(reports) for name, offset in report[3].items()}
            document = render(html)
            state.foreign = {}
        else:
            raise RuntimeError("the contents of the PDF did not settle on a length")
        for index, page in enumerate(document.pages):
            renumber(state.context, page._page_box, index + 1, index + 1, total)
        keep_links(known)
        write(document, files[0], identifier)
        for _, connection in workers:
            for _ in range(pending):
                receive(connection)
            connection.send(("done",))
        join(files, output, identifier)
        return True
    finally:
        for process, connection in workers:
            connection.close()
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
        for path in files:
            if os.path.exists(path):
                os.unlink(path)


def copy_all(pdf, part, objects):
    """`objects` of `part`, copied into `pdf` (the references in them to what is copied
    already, such as pages, lead to those copies). qpdf copies only indirect objects, and
    making one takes it a walk over the whole file: they travel in the part's structure
    root element (indirect already, and dropped after), cut off from the tree above it."""
    import pikepdf
    holder = part.Root.StructTreeRoot.K[0]
    del holder["/P"]
    holder.K = pikepdf.Array(objects)
    return list(pdf.copy_foreign(holder).K)


def join(files, output, identifier):
    """The parts' PDFs as one: the first part's catalogue (metadata, language, viewer
    preferences), every part's pages, structure elements (renumbered in the parent tree),
    outline entries and named destinations."""
    import pikepdf
    from pikepdf import Array, Dictionary, Name

    pdf = pikepdf.open(files[0])
    parts = [pikepdf.open(path) for path in files[1:]]
    try:
        tree = pdf.Root.StructTreeRoot
        document = tree.K[0]
        numbers = tree.ParentTree.Nums
        last = max((int(numbers[index]) for index in range(0, len(numbers), 2)), default=-1)
        names = []
        if "/Names" in pdf.Root and "/Dests" in pdf.Root.Names:
            found = pdf.Root.Names.Dests.Names
            names = [(bytes(found[index]), found[index + 1]) for index in range(0, len(found), 2)]
        if "/Outlines" not in pdf.Root:
            pdf.Root.Outlines = pdf.make_indirect(Dictionary(Type=Name.Outlines, Count=0))
        outline = pdf.Root.Outlines
        for part in parts:
            offset = last + 1
            part_tree = part.Root.StructTreeRoot
            kids = list(part_tree.K[0].K)
            for kid in kids:
                del kid["/P"]
            part_numbers = part_tree.ParentTree.Nums
            keys = [int(part_numbers[index]) for index in range(0, len(part_numbers), 2)]
            values = [part_numbers[index + 1] for index in range(0, len(part_numbers), 2)]
            found = part.Root.Names.Dests.Names if "/Names" in part.Root and "/Dests" in part.Root.Names else Array()
            destinations = [found[index + 1] for index in range(0, len(found), 2)]
            items = []
            if "/Outlines" in part.Root and "/First" in part.Root.Outlines:
                item = part.Root.Outlines.First
                while True:
                    items.append(item)
                    if "/Next" not in item:
                        break
                    item = item.Next
                for item in items:
                    del item["/Parent"]
            start = len(pdf.pages)
            pdf.pages.extend(part.pages)
            for page in pdf.pages[start:]:
                if "/StructParents" in page.obj:
                    page.obj.StructParents = int(page.obj.StructParents) + offset
                for annotation in page.obj.get("/Annots", Array()):
                    if "/StructParent" in annotation:
                        annotation.StructParent = int(annotation.StructParent) + offset
            # The rest in one holder, after the pages (so that what points at a page points at
            # its copy): qpdf copies only indirect objects, and making one is slow.
            copied = copy_all(pdf, part, kids + values + destinations + items)
            copied_kids, copied = copied[:len(kids)], copied[len(kids):]
            copied_values, copied = copied[:len(values)], copied[len(values):]
            copied_destinations, copied_items = copied[:len(destinations)], copied[len(destinations):]
            for kid in copied_kids:
                kid.P = document
                document.K.append(kid)
            for key, value in zip(keys, copied_values):
                numbers.append(key + offset)
                numbers.append(value)
            last = max(keys, default=-1) + offset
            names += [(bytes(found[index]), destination) for index, destination in zip(range(0, len(found), 2), copied_destinations)]
            if copied_items:
                for item in copied_items:
                    item.Parent = outline
                if "/Last" in outline:
                    outline.Last.Next = copied_items[0]
                    copied_items[0].Prev = outline.Last
                else:
                    outline.First = copied_items[0]
                outline.Last = copied_items[-1]
                outline.Count = int(outline.get("/Count", 0)) + int(part.Root.Outlines.get("/Count", len(items)))
        if names:
            unique = {}
            for name, value in names:
                unique.setdefault(name, value)
            flat = Array()
            for name in sorted(unique):
                flat.append(pikepdf.String(name))
                flat.append(unique[name])
            if "/Names" not in pdf.Root:
                pdf.Root.Names = Dictionary()
            pdf.Root.Names.Dests = Dictionary(Names=flat)
        pdf.save(output + ".joined", static_id=True)
    finally:
        for part in parts:
            part.close()
        pdf.close()
    # qpdf keeps the first part's identifier as the first half of /ID and makes the second a
    # fixed one: both become the briefing's identifier, as in a PDF made in one piece (the
    # trailer follows the cross-reference table, so no offset moves).
    try:
        with open(output + ".joined", "rb") as joined:
            data = joined.read()
    finally:
        os.unlink(output + ".joined")
    mine = b"(" + identifier.encode("ascii") + b")"
    tail, found = re.subn(rb"/ID \[<[0-9a-fA-F]*><31415926535897932384626433832795>\]", b"/ID [" + mine + mine + b"]", data[-4096:])
    if found != 1:
        raise RuntimeError("the joined PDF has no identifier to set")
    with open(output, "wb") as out:
        out.write(data[:-4096] + tail if len(data) > 4096 else tail)


def render(html):
    """Lays `html` out, moving text up into gaps and letting tall figures split; the document."""
    document = html.render()
    for _ in range(PASSES - 1):
        split = split_tall(html, document)
        if not fill_gaps(html, document) and not split:
            break
        html.wrapper_element = cssselect2.ElementWrapper.from_html_root(html.etree_element)
        document = html.render()
    return document


def write(document, output, identifier):
    tag_pages_quickly(document)
    pydyf.PDF.page_references = property(cached_page_references)
    document.write_pdf(output, identifier=identifier, variant="pdf/ua-1")


def main():
    source, output, base_url, identifier = sys.argv[1:5]
    parts = int(sys.argv[5]) if len(sys.argv) > 5 else 1
    length = int(sys.argv[6]) if len(sys.argv) > 6 else 0
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("weasyprint").addHandler(logging.StreamHandler())
    html = HTML(filename=source, base_url=base_url)
    if parts > 1 and parallel(html, output, identifier, parts, length):
        return
    write(render(html), output, identifier)


if __name__ == "__main__":
    main()
