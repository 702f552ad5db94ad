"""A correct Thai text layer for WeasyPrint PDFs.

WeasyPrint maps embedded glyphs back to text through the font's cmap. Thai shaping (Pango +
HarfBuzz) replaces many characters with positional variants that have no cmap entry: tone marks
lowered or shifted left, ligatures of an upper vowel and a tone mark. Their text is then lost
(pdftotext gives "เก้าเลียว" for เก้าเลี้ยว, "ที" for ที่), so a PDF cannot be searched or copied.

This module rebuilds each embedded font's ToUnicode map from the font's own GSUB table: a glyph
reached from a character by single, alternate or ligature substitution maps back to that
character (or characters).

Sara am (ำ) needs one more step. HarfBuzz always draws it as two glyphs, nikhahit (ํ, moved
before any tone mark and, in Sarabun, fused with it: น้ำ is drawn น [ํ้] า) and sara aa (า);
one glyph has one ToUnicode entry, so a per-glyph map reads ำ back as ํ + า and a search for
"อำเภอ" finds nothing. Each such pair in the content streams is therefore drawn with codes of
its own: the nikhahit's code reads as nothing (or as its fused tone mark) and the sara aa's as
ำ, so the text reads น ้ ำ. The new codes are extra CIDs past the font's last glyph; a
``CIDToGIDMap`` stream sends them to the original glyphs and the ``/W`` array gives them the
original widths, so the pages look exactly as before (same pixels) and the embedded font is
untouched. (ActualText spans alone would not do: the text extraction of pypdf and PDF.js ignores
them.)

Poppler (pdftotext, Evince, Okular, desktop search) needs one thing more. Its default (reading
order) mode places each glyph by its box: a zero-width mark drawn a little right of its base (the
bold face's raised tone marks) or left of it ends a word, and the piece lands on another line
("เปรียบเทียบกับปีทผ" for เปรียบเทียบกับปีที่ผ่านมา). Each cluster that carries a mark (a base
glyph and the zero-width glyphs after it) is therefore also wrapped in a marked-content span with
its text as ``/ActualText``: poppler reads the cluster's text whole over the cluster's box, while
pypdf and PDF.js, which ignore the span, read the glyphs as before. The pixels do not change:
splitting a ``TJ`` array into several ``TJ`` operators keeps every glyph and position.

Two ways in: :func:`weasyprint_finisher` works on WeasyPrint's objects before they are written
(a few ms a report); :func:`fix_thai_text_layer` rewrites a finished PDF's bytes (pypdf: parse,
clone and write the whole file, tens of ms).
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

NIKHAHIT = "\u0e4d"
SARA_AA = "\u0e32"
SARA_AM = "\u0e33"
# marks HarfBuzz may leave between the nikhahit of a split sara am and its sara aa
_ABOVE_MARKS = frozenset("\u0e31\u0e34\u0e35\u0e36\u0e37\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4e")


@lru_cache(maxsize=16)
def _glyph_text(font_sha: str, font_bytes: bytes) -> dict[int, str]:
    """Glyph id -> text for every glyph reachable from the cmap through GSUB."""
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(font_bytes), lazy=True)
    order = font.getGlyphOrder()
    gid = {name: i for i, name in enumerate(order)}
    text: dict[str, str] = {}
    for code, name in sorted(font.getBestCmap().items()):
        text.setdefault(name, chr(code))
    singles: list[tuple[str, str]] = []
    ligatures: list[tuple[tuple[str, ...], str]] = []
    if "GSUB" in font and font["GSUB"].table.LookupList is not None:
        for lookup in font["GSUB"].table.LookupList.Lookup:
            for sub in lookup.SubTable:
                if lookup.LookupType == 7:  # extension: the real subtable inside
                    sub = sub.ExtSubTable
                kind = sub.LookupType if hasattr(sub, "LookupType") else lookup.LookupType
                if kind == 1:
                    singles += list(sub.mapping.items())
                elif kind == 3:
                    singles += [(a, b) for a, alts in sub.alternates.items() for b in alts]
                elif kind == 4:
                    for first, ligs in sub.ligatures.items():
                        ligatures += [((first, *lig.Component), lig.LigGlyph) for lig in ligs]
    changed = True
    while changed:  # to a fixed point: a variant of a variant maps to the same text
        changed = False
        for a, b in singles:
            if b not in text and a in text:
                text[b] = text[a]
                changed = True
        for comps, lig in ligatures:
            if lig not in text and all(c in text for c in comps):
                text[lig] = "".join(text[c] for c in comps)
                changed = True
    return {gid[name]: t for name, t in text.items() if name in gid}


# Codes for a nikhahit that reads as nothing. An empty ToUnicode entry is right for poppler and
# pypdf, but PDF.js reads an empty entry as the code itself taken as a character; these codes are
# Unicode format characters (zero width space, joiners, invisible operators), which PDF.js drops.
_SILENT_CODES = (0x200B, 0x200C, 0x200D, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064)


@dataclass(frozen=True)
class _FontPlan:
    """What one embedded font needs: its ToUnicode text and the extra codes for sara am."""

    text: dict[int, str]  # code -> text, the extra codes included
    n_glyphs: int
    nikhahit: dict[int, int]  # glyph carrying a nikhahit -> its sara-am code
    sara_aa: dict[int, int]  # sara aa glyph -> its sara-am code
    above: frozenset[int]  # mark glyphs that may stand between the two
    extra: dict[int, int]  # extra code -> the glyph it draws
    to_unicode: bytes  # the ToUnicode CMap stream
    gid_map: bytes  # the CIDToGIDMap stream: identity, then the extra codes' glyphs
    probe: re.Pattern  # finds a nikhahit glyph code (or a false alarm) in a content stream
    marks: frozenset[int]  # codes of zero-width marks (a silent nikhahit included)


@lru_cache(maxsize=16)
def _font_plan(font_sha: str, font_bytes: bytes) -> _FontPlan:
    from fontTools.ttLib import TTFont

    n_glyphs = TTFont(io.BytesIO(font_bytes), lazy=True)["maxp"].numGlyphs
    text = dict(_glyph_text(font_sha, font_bytes))
    marks = _ABOVE_MARKS | {NIKHAHIT}
    alone = sorted(g for g, t in text.items() if t == NIKHAHIT)[: len(_SILENT_CODES)]
    fused = sorted(
        g for g, t in text.items() if NIKHAHIT in t and t != NIKHAHIT and set(t) <= marks
    )
    aa = sorted(g for g, t in text.items() if t == SARA_AA)
    above = frozenset(g for g, t in text.items() if t and set(t) <= _ABOVE_MARKS)
    if not aa or not (alone or fused) or n_glyphs + len(fused) + len(aa) > _SILENT_CODES[0]:
        alone, fused, aa = [], [], []  # nothing to pair, or no room for the extra codes
    codes = dict(zip(alone, _SILENT_CODES, strict=False))
    codes |= {g: n_glyphs + i for i, g in enumerate(fused + aa)}
    for g in alone + fused:
        text[codes[g]] = text[g].replace(NIKHAHIT, "", 1)  # the pair's ำ is on the sara aa
    for g in aa:
        text[codes[g]] = SARA_AM
    extra = {c: g for g, c in codes.items()}
    gids = list(range(n_glyphs)) + [0] * (max(extra, default=n_glyphs - 1) + 1 - n_glyphs)
    for c, g in extra.items():
        gids[c] = g
    probe = "|".join(f"{g:04x}" for g in alone + fused) or "(?!)"
    return _FontPlan(
        text=text,
        n_glyphs=n_glyphs,
        nikhahit={g: codes[g] for g in alone + fused},
        sara_aa={g: codes[g] for g in aa},
        above=above,
        extra=extra,
        to_unicode=_cmap_stream(text),
        gid_map=b"".join(g.to_bytes(2, "big") for g in gids),
        probe=re.compile(probe.encode(), re.IGNORECASE),
        marks=frozenset(c for c, t in text.items() if _is_mark_text(t)),
    )


def _is_mark_text(text: str) -> bool:
    """A glyph whose text is nothing but combining marks (or nothing: a silent nikhahit)."""
    return all(unicodedata.category(c) == "Mn" for c in text)


def _cmap_stream(mapping: dict[int, str]) -> bytes:
    lines = [
        b"/CIDInit /ProcSet findresource begin",
        b"12 dict begin",
        b"begincmap",
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        b"/CMapName /Adobe-Identity-UCS def",
        b"/CMapType 2 def",
        b"1 begincodespacerange",
        b"<0000> <ffff>",
        b"endcodespacerange",
    ]
    items = sorted(mapping.items())
    for i in range(0, len(items), 100):
        batch = items[i : i + 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        for g, t in batch:
            hex_text = t.encode("utf-16-be").hex()  # "" for a nikhahit whose ำ is elsewhere
            lines.append(f"<{g:04x}> <{hex_text}>".encode())
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines)


def _widths_of(w_array) -> dict[int, float]:
    """CID -> width of a CIDFont ``/W`` array (``c [w ...]`` and ``c_first c_last w`` forms)."""
    widths: dict[int, float] = {}
    items = [x.get_object() if hasattr(x, "get_object") else x for x in w_array]
    i = 0
    while i + 1 < len(items):
        if isinstance(items[i + 1], list):
            widths.update((int(items[i]) + k, float(w)) for k, w in enumerate(items[i + 1]))
            i += 2
        else:
            first, last = int(items[i]), int(items[i + 1])
            widths.update((c, float(items[i + 2])) for c in range(first, last + 1))
            i += 3
    return widths


def _extra_widths(plan: _FontPlan, w_array) -> list:
    """``/W`` entries for the extra codes: each the width of the glyph it draws."""
    widths = _widths_of(w_array)
    out: list = []
    for code, gid in sorted(plan.extra.items()):
        out += [code, [widths.get(gid, 0.0)]]
    return out


# a font selection (name, size, Tf) or a hex string: the only tokens the pass needs. WeasyPrint
# writes glyphs as 4-digit hex codes (Identity-H) and no literal strings in page content.
_TOKENS = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s+[-+.\d]+\s+Tf\b|<([0-9A-Fa-f]*)>")


def _pair_sara_am(content: bytes, plans: dict[bytes, _FontPlan]) -> bytes | None:
    """The content with each split sara am (nikhahit … sara aa) drawn with its own codes, or
    None when there is none. The pair may span TJ elements (kerning) and TJ operators (rise)."""
    if not any(p.probe.search(content) for p in plans.values()):
        return None
    plan: _FontPlan | None = None
    pending: tuple[int, int, int] | None = None  # hex token index, glyph index, glyph
    tokens: list[re.Match] = []
    rewritten: dict[int, list[int]] = {}  # hex token index -> its new glyph codes
    for m in _TOKENS.finditer(content):
        if m.group(1) is not None:
            plan, pending = plans.get(m.group(1)), None
            continue
        if plan is None or not m.group(2) or len(m.group(2)) % 4:
            continue
        if pending is None and not plan.probe.search(m.group(2)):
            continue  # no nikhahit here and none before: nothing to pair
        t = len(tokens)
        tokens.append(m)
        glyphs = _glyphs_of(m)
        for j, g in enumerate(glyphs):
            if g in plan.nikhahit:
                pending = (t, j, g)
            elif pending is not None and g in plan.sara_aa:
                pt, pj, pg = pending
                first = glyphs if pt == t else rewritten.setdefault(pt, _glyphs_of(tokens[pt]))
                first[pj] = plan.nikhahit[pg]
                glyphs[j] = plan.sara_aa[g]
                rewritten[pt] = first
                rewritten[t] = glyphs
                pending = None
            elif g not in plan.above:
                pending = None
    if not rewritten:
        return None
    out, pos = [], 0
    for t, glyphs in sorted(rewritten.items()):
        m = tokens[t]
        out += [content[pos : m.start(2)], "".join(f"{g:04x}" for g in glyphs).encode()]
        pos = m.end(2)
    out.append(content[pos:])
    return b"".join(out)


# a font selection or a TJ array: WeasyPrint writes its glyphs in TJ arrays of hex strings and
# kerning numbers, no literal strings (a dash array has no TJ after it)
_TJ = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s+[-+.\d]+\s+Tf\b|\[([^\]]*)\]\s*TJ")
_TJ_ITEM = re.compile(rb"<([0-9A-Fa-f]*)>|([-+.\dEe]+)")


def _mark_clusters(content: bytes, plans: dict[bytes, _FontPlan]) -> bytes | None:
    """The content with every cluster that carries a mark in its own ``TJ`` inside a
    ``/Span <</ActualText …>> BDC … EMC`` span (see the module docstring), or None when no
    text drawn in a planned font has a mark."""
    plan: _FontPlan | None = None
    out, pos = [], 0
    for m in _TJ.finditer(content):
        if m.group(1) is not None:
            plan = plans.get(m.group(1))
            continue
        if plan is None or not plan.marks:
            continue
        new = _split_tj(m.group(2), plan)
        if new is not None:
            out += [content[pos : m.start()], new]
            pos = m.end()
    if not out:
        return None
    out.append(content[pos:])
    return b"".join(out)


def _split_tj(array: bytes, plan: _FontPlan) -> bytes | None:
    """One TJ array as TJ operators, the clusters with a mark each in an ActualText span."""
    clusters: list[list[bytes]] = [[]]  # each: TJ items, a base glyph first (but the first)
    texts: list[str | None] = [None]  # the cluster's text when it has a mark
    for item in _TJ_ITEM.finditer(array):
        hexs = item.group(1)
        if hexs is None:
            clusters[-1].append(item.group(2))
            continue
        for i in range(0, len(hexs) - 3, 4):
            code = int(hexs[i : i + 4], 16)
            text = plan.text.get(code, "")
            if code in plan.marks:  # the first mark: the text of the cluster so far, then it
                before = texts[-1] if texts[-1] is not None else _cluster_text(clusters[-1], plan)
                texts[-1] = before + text
            elif clusters[-1]:
                clusters.append([])
                texts.append(None)
            clusters[-1].append(b"<" + hexs[i : i + 4] + b">")
    if all(t is None for t in texts):
        return None
    ops, plain = [], []
    for items, text in zip(clusters, texts, strict=True):
        if text is None:
            plain += items
            continue
        if plain:
            ops.append(b"[" + b" ".join(plain) + b"] TJ")
            plain = []
        actual = ("\ufeff" + text).encode("utf-16-be").hex().encode()
        tj = b"[" + b" ".join(items) + b"] TJ"
        ops.append(b"/Span <</ActualText <" + actual + b">>> BDC " + tj + b" EMC")
    if plain:
        ops.append(b"[" + b" ".join(plain) + b"] TJ")
    return b"\n".join(ops)


def _cluster_text(items: list[bytes], plan: _FontPlan) -> str:
    return "".join(plan.text.get(int(x[1:-1], 16), "") for x in items if x.startswith(b"<"))


def _rewrite(content: bytes, plans: dict[bytes, _FontPlan]) -> bytes | None:
    """The content with sara am paired and mark clusters spanned, or None if unchanged."""
    paired = _pair_sara_am(content, plans)
    spanned = _mark_clusters(paired if paired is not None else content, plans)
    return spanned if spanned is not None else paired


def _glyphs_of(m: re.Match) -> list[int]:
    hexs = m.group(2)
    return [int(hexs[i : i + 4], 16) for i in range(0, len(hexs), 4)]


# ---------------------------------------------------------------- a PDF file (pypdf)
def _fix_font(writer, font) -> _FontPlan | None:
    """Give one Type0 font the rebuilt ToUnicode and codes for sara am; None if not ours."""
    from pypdf.generic import ArrayObject, FloatObject, NameObject, NumberObject, StreamObject

    if "/DescendantFonts" not in font:
        return None
    desc = font["/DescendantFonts"][0].get_object()
    fd = desc.get("/FontDescriptor")
    ff = fd.get_object().get("/FontFile2") if fd is not None else None
    if ff is None or desc.get("/CIDToGIDMap", NameObject("/Identity")) != "/Identity":
        return None
    data = ff.get_object().get_data()
    plan = _font_plan(hashlib.sha256(data).hexdigest(), data)
    stream = StreamObject()
    stream.set_data(plan.to_unicode)
    font[NameObject("/ToUnicode")] = writer._add_object(stream)
    if plan.extra:
        gid_map = StreamObject()
        gid_map.set_data(plan.gid_map)
        desc[NameObject("/CIDToGIDMap")] = writer._add_object(gid_map.flate_encode())
        extra = _extra_widths(plan, desc.get("/W", []))
        extra = [
            NumberObject(x) if isinstance(x, int) else ArrayObject(map(FloatObject, x))
            for x in extra
        ]
        desc[NameObject("/W")] = ArrayObject([*desc.get("/W", []), *extra])
    return plan


def _streams(obj) -> list:
    """The content streams of a page (``/Contents`` may be one stream or an array)."""
    contents = obj.get("/Contents")
    if contents is None:
        return []
    contents = contents.get_object()
    return [c.get_object() for c in contents] if isinstance(contents, list) else [contents]


def fix_thai_text_layer(pdf: bytes) -> bytes:
    """The same PDF with ToUnicode maps that cover the fonts' Thai positional glyphs, and sara
    am (ำ) that reads back as one character (see the module docstring). For a PDF made
    elsewhere; WeasyPrint can do the same on its way out with :func:`weasyprint_finisher`."""
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    fonts: dict[int, _FontPlan | None] = {}

    def plans_of(obj, inherited: dict[bytes, _FontPlan]) -> dict[bytes, _FontPlan]:
        res = obj.get("/Resources")
        if res is None:
            return inherited
        plans = {}
        for name, ref in res.get_object().get("/Font", {}).items():
            key = ref.idnum if hasattr(ref, "idnum") else id(ref)
            if key not in fonts:
                fonts[key] = _fix_font(writer, ref.get_object())
            if fonts[key] is not None:
                plans[name[1:].encode()] = fonts[key]
        return plans

    def rewrite(stream, plans) -> None:
        new = _rewrite(stream.get_data(), plans) if plans else None
        if new is not None:
            stream.set_data(new)

    seen: set[int] = set()
    for page in writer.pages:
        todo = [(page, plans_of(page, {}))]
        for stream in _streams(page):
            rewrite(stream, todo[0][1])
        while todo:  # the form XObjects (SVG charts, opacity groups) the page draws
            obj, plans = todo.pop()
            res = obj.get("/Resources")
            for ref in (res.get_object().get("/XObject", {}) if res is not None else {}).values():
                if not hasattr(ref, "idnum") or ref.idnum in seen:
                    continue
                seen.add(ref.idnum)
                xo = ref.get_object()
                if xo.get("/Subtype") == "/Form":
                    xo_plans = plans_of(xo, plans)
                    rewrite(xo, xo_plans)
                    todo.append((xo, xo_plans))
    writer.compress_identical_objects()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# ---------------------------------------------------------------- inside WeasyPrint (pydyf)
def weasyprint_finisher(document, pdf) -> None:
    """The same fix as :func:`fix_thai_text_layer`, done on WeasyPrint's PDF objects before
    they are written (``write_pdf(..., finisher=weasyprint_finisher)``): no second parse and
    write of the whole file. Needs ``full_fonts=True`` (a subset font has no GSUB to read)."""
    import pydyf

    objects = pdf.objects

    def deref(x):
        if isinstance(x, bytes) and x.endswith(b" 0 R"):
            return objects[int(x.split()[0])]
        return x

    names: dict[bytes, _FontPlan] = {}
    for obj in list(objects):  # a copy: CIDToGIDMap streams are added on the way
        if not (isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Font"):
            continue
        if "DescendantFonts" not in obj or obj.get("Encoding") != "/Identity-H":
            continue
        desc = deref(obj["DescendantFonts"][0])
        ff = deref(deref(desc["FontDescriptor"]).get("FontFile2"))
        if ff is None or desc.get("CIDToGIDMap") != "/Identity" or len(ff.stream) != 1:
            continue
        data = ff.stream[0]
        plan = _font_plan(hashlib.sha256(data).hexdigest(), data)
        deref(obj["ToUnicode"]).stream = [plan.to_unicode]
        if plan.extra:
            gid_map = pydyf.Stream([plan.gid_map], compress=True)
            pdf.add_object(gid_map)
            desc["CIDToGIDMap"] = gid_map.reference
            extra = _extra_widths(plan, desc["W"])
            desc["W"].extend(pydyf.Array(x) if isinstance(x, list) else x for x in extra)
        base = obj["BaseFont"]  # b"/PTKMSO+Sarabun": the resource name is the tag before "+"
        base = base if isinstance(base, bytes) else str(base).encode()
        names[base.lstrip(b"/").split(b"+")[0]] = plan
    if not any(p.extra or p.marks for p in names.values()):
        return
    from weasyprint.pdf.stream import Stream as ContentStream

    for obj in objects:
        if isinstance(obj, ContentStream):
            content = b"\n".join(pydyf._to_bytes(item) for item in obj.stream)
            new = _rewrite(content, names)
            if new is not None:
                obj.stream = [new]
