"""Thai in the charts of a PDF: the text of an SVG drawn as one shaped run.

WeasyPrint (up to 70 at least) lays out and draws the text of an SVG ``<text>`` code point by
code point (Kozea/WeasyPrint#2249, open; a fix was proposed and not merged). Each Thai
combining mark is then shaped alone: a tone mark over an upper vowel is lost or drawn over it
("เฉลี่ย" prints as "เฉลีย", "ที่นี่" as "ทีนี"), in every chart label of every report. The
issue's own suggestion is what this does: when a text node places no glyph of its own (no
``dx``/``dy``/``rotate`` lists, at most one ``x`` and one ``y``, no ``letter-spacing`` or
``textLength`` — every text matplotlib writes), WeasyPrint is handed the text as one run, so
Pango shapes it whole, as it shapes HTML text. Text that does place its glyphs is drawn as
before. One layout per text instead of one per code point is also faster (a heatmap has
hundreds of labels).

``install()`` is called by the renderer before any PDF is made; it is idempotent.
"""

from __future__ import annotations

_ORIGINAL = None  # WeasyPrint's own text drawing, once replaced
_GLYPH_LISTS = ("dx", "dy", "rotate", "textLength")


class _Run(str):
    """A text WeasyPrint iterates as one item: the whole string (it draws each item it
    iterates as a separately shaped run)."""

    def __iter__(self):
        yield str(self)


def places_no_glyph(attrib) -> bool:
    """Whether an SVG text element leaves glyph placement to the text layout."""
    if any(k in attrib for k in _GLYPH_LISTS):
        return False
    if any(len(str(attrib[k]).replace(",", " ").split()) > 1 for k in ("x", "y") if k in attrib):
        return False
    return str(attrib.get("letter-spacing", "normal")).strip() in ("", "normal", "0", "0px")


def _text(svg, node, font_size):
    element = node._etree_node
    text = element.text
    if not text or not places_no_glyph(node.attrib):
        return _ORIGINAL(svg, node, font_size)
    element.text = _Run(text)
    try:
        return _ORIGINAL(svg, node, font_size)
    finally:
        element.text = text


def install() -> None:
    """Draw SVG text as shaped runs in every PDF WeasyPrint makes in this process."""
    global _ORIGINAL
    if _ORIGINAL is not None:
        return
    import weasyprint.svg as wsvg

    _ORIGINAL = wsvg.text  # the function: the package's name, not the submodule
    for tag, draw in list(wsvg.TAGS.items()):
        if draw is _ORIGINAL:
            wsvg.TAGS[tag] = _text
    wsvg.text = _text  # draw_node tells text nodes by comparing TAGS entries with this name


__all__ = ["install", "places_no_glyph"]
