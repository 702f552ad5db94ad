"""A correct Thai text layer for WeasyPrint PDFs.

WeasyPrint maps embedded glyphs back to text through the font's cmap. Thai shaping (Pango +
HarfBuzz) replaces many characters with positional variants that have no cmap entry: tone marks
lowered or shifted left, ligatures of an upper vowel and a tone mark. Their text is then lost
(pdftotext gives "เก้าเลียว" for เก้าเลี้ยว, "ที" for ที่), so a PDF cannot be searched or copied.

This module rebuilds each embedded font's ToUnicode map from the font's own GSUB table: a glyph
reached from a character by single, alternate or ligature substitution maps back to that
character (or characters). Sara am is drawn as nikhahit + sara aa and so reads back as those two
code points (the same look; fold ``"\\u0e4d\\u0e32"`` to ``"\\u0e33"`` when searching).
"""

from __future__ import annotations

import hashlib
import io
from functools import lru_cache


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
            hex_text = t.encode("utf-16-be").hex()
            lines.append(f"<{g:04x}> <{hex_text}>".encode())
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines)


def fix_thai_text_layer(pdf: bytes) -> bytes:
    """The same PDF with ToUnicode maps that cover the fonts' Thai positional glyphs."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, StreamObject

    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    done: set[int] = set()
    for page in writer.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            if id(font) in done or "/DescendantFonts" not in font:
                continue
            done.add(id(font))
            desc = font["/DescendantFonts"][0].get_object()
            fd = desc.get("/FontDescriptor")
            ff = fd.get_object().get("/FontFile2") if fd is not None else None
            if ff is None or desc.get("/CIDToGIDMap", NameObject("/Identity")) != "/Identity":
                continue
            data = ff.get_object().get_data()
            mapping = _glyph_text(hashlib.sha256(data).hexdigest(), data)
            stream = StreamObject()
            stream.set_data(_cmap_stream(mapping))
            font[NameObject("/ToUnicode")] = writer._add_object(stream)
    writer.compress_identical_objects()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
