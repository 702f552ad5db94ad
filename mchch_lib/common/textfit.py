"""How much room Thai text takes: its width measured with the bundled Sarabun's metrics
(fontTools), line breaks at word boundaries (pythainlp), and labels shortened at a word
boundary with "…". Used to size form rows and to fit deck labels.

Widths come from the font's advance widths (Thai marks have none, so they stack), cached per
character and per string: a form of a thousand cells loads the font once and measures each
distinct text once. Sarabun at a given size is about as wide as the fonts an office program
substitutes for TH Sarabun New (Laksaman, Tahoma) and wider than TH Sarabun New itself, so a
text that fits by these measures fits on a PC with or without the official font.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

ELLIPSIS = "…"


@lru_cache(maxsize=2)
def _advances(bold: bool) -> tuple[dict[int, float], float]:
    """Advance width (em) of every character of the bundled Sarabun, and a fallback width."""
    from fontTools.ttLib import TTFont

    from mchch_lib.common.fonts import font_path

    font = TTFont(str(font_path("Bold" if bold else "Regular")), lazy=True)
    upm = font["head"].unitsPerEm
    hmtx = font["hmtx"]
    adv = {cp: hmtx[glyph][0] / upm for cp, glyph in font.getBestCmap().items()}
    font.close()
    return adv, adv[ord("W")]  # a character the font lacks is counted as a wide one


@lru_cache(maxsize=65536)
def _width_em(text: str, bold: bool) -> float:
    adv, wide = _advances(bold)
    return sum(adv.get(ord(ch), wide) for ch in text)


def text_width(text: str, size_pt: float, bold: bool = False) -> float:
    """Width in points of ``text`` on one line in Sarabun at ``size_pt``."""
    return _width_em(text, bold) * size_pt


def _is_thai(ch: str) -> bool:
    return "\u0e00" <= ch <= "\u0e7f"


@lru_cache(maxsize=65536)
def chunks(text: str) -> tuple[str, ...]:
    """The unbreakable pieces of ``text``, in order: a line may break only between two.

    A break is allowed after a space and between two Thai words (pythainlp's ``newmm``
    dictionary). Never inside a run of Latin letters, digits and punctuation (an ID such as
    ``2561-6007-002``, ``G1,`` or ``58.5``), nor before punctuation that follows a Thai word
    (``ไม่ผ่าน:``): fewer break points than a word processor uses, so a line count made with
    them is never smaller than the one the office program shows.
    """
    if not text:
        return ()
    from pythainlp.tokenize import word_tokenize

    tokens = [t for t in word_tokenize(text, engine="newmm", keep_whitespace=True) if t]
    out: list[str] = [tokens[0]]
    for tok in tokens[1:]:
        prev = out[-1]
        if prev[-1].isspace() or (_is_thai(prev[-1]) and _is_thai(tok[0])):
            out.append(tok)
        else:
            out[-1] = prev + tok  # no break here: glue to the previous piece
    return tuple(out)


def _clusters(word: str) -> list[str]:
    """Characters with their stacked marks (a word too long for a line breaks between these)."""
    out: list[str] = []
    for ch in word:
        if out and unicodedata.category(ch) == "Mn":
            out[-1] += ch
        else:
            out.append(ch)
    return out


def _spaced(text: str) -> list[str]:
    """``text`` cut after each space (a name breaks only between its words)."""
    out: list[str] = []
    for part in text.split(" "):
        out.append(part + " ")
    out[-1] = out[-1][:-1]
    return [p for p in out if p]


def wrap(
    text: str, width_pt: float, size_pt: float, bold: bool = False, spaces_only: bool = False
) -> list[str]:
    """Lines of ``text`` broken at word boundaries to fit ``width_pt`` (greedy, as office
    programs do). Explicit newlines are kept. ``spaces_only``: break only at spaces (a
    person's or a place's name stays whole) unless a piece is wider than the line. A single
    word wider than the line is split between characters, the only case where a word is
    broken."""
    lines: list[str] = []
    for para in str(text).split("\n"):
        line = ""
        pieces = _spaced(para) if spaces_only else chunks(para)
        if spaces_only:  # a piece too wide for a line breaks at its Thai words after all
            pieces = [
                q
                for p in pieces
                for q in ((p,) if text_width(p.rstrip(), size_pt, bold) <= width_pt else chunks(p))
            ]
        for piece in pieces:
            if text_width((line + piece).rstrip(), size_pt, bold) <= width_pt:
                line += piece
                continue
            if line:
                lines.append(line.rstrip())
                line = ""
            if text_width(piece.rstrip(), size_pt, bold) <= width_pt:
                line = piece
                continue
            for cl in _clusters(piece):  # a word longer than the line
                if line and text_width(line + cl, size_pt, bold) > width_pt:
                    lines.append(line)
                    line = ""
                line += cl
        lines.append(line.rstrip())
    return lines


def widest_word(text: str, size_pt: float, bold: bool = False) -> float:
    """Width in points of the widest unbreakable piece of ``text`` (what a column must hold
    so that no word is ever split)."""
    return max(
        (
            text_width(p.rstrip(), size_pt, bold)
            for para in str(text).split("\n")
            for p in chunks(para)
        ),
        default=0.0,
    )


def shorten(text: str, width_pt: float, size_pt: float, bold: bool = False) -> str:
    """``text`` if it fits ``width_pt`` on one line, else its longest run of whole words
    that fits with "…" after it (at least the first word, cut between characters only if
    that word alone is too wide)."""
    if text_width(text, size_pt, bold) <= width_pt:
        return text
    room = width_pt - text_width(ELLIPSIS, size_pt, bold)
    out = ""
    for piece in chunks(text):
        if text_width((out + piece).rstrip(), size_pt, bold) > room:
            break
        out += piece
    if not out.strip():
        for cl in _clusters(text):
            if text_width(out + cl, size_pt, bold) > room:
                break
            out += cl
    return out.rstrip() + ELLIPSIS
