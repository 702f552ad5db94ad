"""The bundled Sarabun font (SIL OFL 1.1, Cadson Demak 2018; licence in fonts/OFL.txt),
registered with matplotlib so Thai is right on a machine with no Thai font.

Once ``mchch_lib`` is imported, Sarabun is matplotlib's default font (pandas ``.plot()``,
seaborn and plain ``plt`` included): :func:`use_thai` runs as soon as matplotlib is imported,
or at once if it already is. ``mchch_lib.use_thai()`` does the same explicitly.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

from mchch_lib import config

FAMILY = "Sarabun"
WEIGHTS = ("Regular", "Bold", "Italic", "BoldItalic", "SemiBold")


def font_path(weight: str = "Regular") -> Path:
    """Path of a bundled Sarabun TTF; raises if it is missing (never a silent fallback)."""
    p = config.FONTS_DIR / f"Sarabun-{weight}.ttf"
    if not p.exists():
        raise FileNotFoundError(f"bundled font missing: {p}")
    return p


@lru_cache(maxsize=1)
def _add_fonts() -> None:
    from matplotlib import font_manager

    for w in WEIGHTS:
        font_manager.fontManager.addfont(str(font_path(w)))


def use_thai() -> str:
    """Make the bundled Sarabun matplotlib's default font (ใช้ฟอนต์ไทยในกราฟ), so Thai titles,
    labels and legends of any chart (pandas ``.plot()``, seaborn, ``plt``) show without boxes
    or "Glyph ... missing" warnings, on a machine with no Thai font. Sarabun also heads the
    generic ``sans-serif`` list, so styles that ask for "sans-serif" (seaborn's themes) keep it.
    Returns the family name. Importing ``mchch_lib`` already does this; calling it again after
    ``plt.style.use(...)`` or ``sns.set_theme(...)`` restores Sarabun."""
    import matplotlib as mpl

    _add_fonts()
    mpl.rcParams["font.family"] = [FAMILY]
    sans = [f for f in mpl.rcParams["font.sans-serif"] if f != FAMILY]
    mpl.rcParams["font.sans-serif"] = [FAMILY, *sans]
    return FAMILY


@lru_cache(maxsize=1)
def register_fonts() -> str:
    """Add Sarabun to matplotlib (once) and set the house style of mchch's own charts; returns
    the family name."""
    import matplotlib as mpl

    use_thai()
    mpl.rcParams.update(
        {
            "font.size": 10,
            "axes.titlesize": 12,
            "axes.titleweight": "bold",
            "axes.labelsize": 10,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.color": "#dddddd",
            "grid.linewidth": 0.6,
            "legend.frameon": False,
            # Text stays text: WeasyPrint shapes it with the embedded Sarabun (Pango), the PDF keeps
            # it searchable, and a page renders ~5x faster than with every glyph as a path.
            # (On screen, report.show_figure adds a copy with glyphs as paths.)
            "svg.fonttype": "none",
            "pdf.fonttype": 42,
            "figure.dpi": 100,
            # no tick marks on category axes: fewer SVG nodes for WeasyPrint to draw
            "ytick.left": False,
            "ytick.major.size": 0,
            "savefig.bbox": None,  # constrained layout already fits; "tight" would draw twice
        }
    )
    return FAMILY


# ---------------------------------------------------------------- Sarabun by default
class _AfterMatplotlib:
    """Runs :func:`use_thai` right after ``import matplotlib`` completes, so importing
    mchch_lib does not import matplotlib itself (the ``mchch`` command starts fast). A meta
    path finder and loader by protocol (``importlib.abc`` alone costs ~9 ms to import)."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname != "matplotlib":
            return None
        spec = None
        for finder in sys.meta_path:
            if finder is not self and hasattr(finder, "find_spec"):
                spec = finder.find_spec(fullname, path, target)
                if spec is not None:
                    break
        if spec is None or spec.loader is None:
            return None
        self._loader = spec.loader
        spec.loader = self
        return spec

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        self._loader.exec_module(module)
        remove_matplotlib_hook()
        use_thai()


_HOOK = _AfterMatplotlib()


def default_to_sarabun() -> None:
    """Sarabun as matplotlib's default font from now on: at once if matplotlib is imported,
    else as soon as it is (called when ``mchch_lib`` is imported)."""
    if "matplotlib" in sys.modules:
        use_thai()
    elif _HOOK not in sys.meta_path:
        sys.meta_path.insert(0, _HOOK)


def remove_matplotlib_hook() -> None:
    """Take the import hook of :func:`default_to_sarabun` away (it fires once)."""
    while _HOOK in sys.meta_path:
        sys.meta_path.remove(_HOOK)
