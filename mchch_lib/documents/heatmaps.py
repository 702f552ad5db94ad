"""A heatmap's cells, marks and ticks drawn with few SVG elements.

WeasyPrint's cost for a chart grows with the number of elements of its SVG (each ``<path>``
is parsed, styled and clipped on its own; ~0.2 ms each, a text ~0.3 ms). ``pcolormesh``
writes one styled path per cell (a districts × indicators heatmap: ~750, twice: the missing
cells' mesh covers every cell too), a scatter one ``<use>`` in its own clipped group per
dot, a tick axis a marker definition and a ``<use>`` per tick, and a colour bar one path per
entry of the colour map (256). Here the same picture is drawn as:

- one compound path per colour (cells of one colour look as before: the same colour from the
  same colour map and norm; the missing cells the same light grey), one white path for the
  grid lines that ``edgecolors="white"`` drew around each cell;
- the single-unit dots as one path per ink colour: each dot a stroke with round caps, of the
  scatter's visible diameter (marker plus its edge);
- the column tick marks as one path (:class:`TickMarks`: same length and width as
  matplotlib's, drawn where the layout put the axes);
- a colour bar from a colour map resampled to :data:`BAR_STEPS` entries (bands of ~4 pt, as
  smooth to the eye as 256 bands of 1 pt).
"""

from __future__ import annotations

import numpy as np
from matplotlib.artist import Artist
from matplotlib.collections import PathCollection
from matplotlib.colors import Normalize, to_hex
from matplotlib.patches import PathPatch
from matplotlib.path import Path
from matplotlib.transforms import IdentityTransform

#: A missing cell's fill: the light grey (Greys at 0.1) the heatmaps have always printed, and
#: the outline of its key in the legend ("ไม่มีข้อมูล"), which looks as the cells do.
MISSING_CELL = "#f3f3f3"
MISSING_EDGE = "#bbbbbb"
GRID_WIDTH = 0.3
#: Colour entries of a heatmap's colour bar.
BAR_STEPS = 64


def _rectangles(mask: np.ndarray) -> Path:
    """One compound path of the cells where ``mask`` is true (row 0 at the top), the cells of a
    row side by side joined into one rectangle (fewer points for WeasyPrint to parse; the grid
    lines drawn over them separate the cells as before)."""
    boxes = []
    for i, row in enumerate(np.asarray(mask, bool)):
        edges = np.flatnonzero(np.diff(np.concatenate([[0], row.astype(int), [0]])))
        boxes += [((x0, i), (x1, i), (x1, i + 1), (x0, i + 1), (x0, i))
                  for x0, x1 in zip(edges[::2], edges[1::2], strict=True)]  # fmt: skip
    if not boxes:
        return Path(np.zeros((0, 2)))
    return Path.make_compound_path_from_polys(np.array(boxes, dtype=float))


def cell_colours(vals: np.ndarray, cmap, limits) -> np.ndarray:
    """Each cell's colour (``#rrggbb``) as ``pcolormesh`` with this colour map and norm gives it;
    :data:`MISSING_CELL` for a missing cell."""
    from matplotlib import colormaps

    rgba = colormaps[cmap](Normalize(*limits)(np.nan_to_num(vals)))
    hexes = np.array([to_hex(c) for c in rgba.reshape(-1, 4)], dtype=object).reshape(vals.shape)
    hexes[np.isnan(vals)] = MISSING_CELL
    return hexes


def draw_cells(ax, vals: np.ndarray, cmap, limits) -> None:
    """The cells: one path per colour (the missing cells' grey one of them), white grid lines
    between all cells; the axes limits set to the grid (row 0 at the top)."""
    colours = cell_colours(vals, cmap, limits)
    rows, cols = vals.shape
    kinds = list(dict.fromkeys(colours.ravel()))
    paths = [_rectangles(colours == c) for c in kinds]
    # one collection: one group of one path per colour (a patch each would add a group each);
    # not clipped (the cells fill the axes exactly): no clip-path for WeasyPrint on each path
    cells = PathCollection(paths, facecolors=kinds, edgecolors="none", linewidths=0)
    ax.add_collection(cells, autolim=False)
    cells.set_clip_on(False)
    lines = [((0, i), (cols, i)) for i in range(rows + 1)]
    lines += [((j, 0), (j, rows)) for j in range(cols + 1)]
    ax.add_patch(
        PathPatch(segments_path(lines), fill=False, edgecolor="white", linewidth=GRID_WIDTH)
    )
    ax.set_xlim(0, cols)
    ax.set_ylim(rows, 0)


def segments_path(lines) -> Path:
    """One path of the ((x0, y0), (x1, y1)) line segments."""
    verts = [p for line in lines for p in line]
    codes = [Path.MOVETO, Path.LINETO] * len(lines)
    return Path(verts, codes) if lines else Path(np.zeros((0, 2)))


def draw_dots(ax, cells, colours, diameter_pt: float) -> None:
    """Dots at the centres of the (row, column) cells, one path per colour: each dot a very
    short stroke with round caps, which draws a disc of the stroke's width in any renderer."""
    by_colour: dict[str, list] = {}
    for (i, j), colour in zip(cells, colours, strict=True):
        by_colour.setdefault(colour, []).append(((j + 0.5, i + 0.5), (j + 0.5001, i + 0.5)))
    for colour, lines in by_colour.items():
        ax.add_patch(PathPatch(segments_path(lines), fill=False, edgecolor=colour,
                               linewidth=diameter_pt, capstyle="round"))  # fmt: skip


class TickMarks(Artist):
    """The tick marks above the axes at the data x positions, as one path: each mark
    ``length`` points up from the top edge, ``width`` points wide (matplotlib's own top ticks
    are a marker definition and a ``<use>`` each)."""

    def __init__(self, ax, xs, length: float, width: float, color: str = "black"):
        super().__init__()
        self._ax, self._xs = ax, np.asarray(xs, dtype=float)
        self._length, self._width, self._color = length, width, color
        self.set_figure(ax.get_figure())

    def draw(self, renderer) -> None:
        if not self.get_visible() or not len(self._xs):
            return
        top = self._ax.bbox.y1
        xs = self._ax.transData.transform(np.stack([self._xs, np.zeros(len(self._xs))], 1))[:, 0]
        up = renderer.points_to_pixels(self._length)
        path = segments_path([((x, top), (x, top + up)) for x in xs])
        gc = renderer.new_gc()
        gc.set_foreground(self._color)
        gc.set_linewidth(self._width)
        gc.set_capstyle("butt")
        renderer.open_group("tickmarks", self.get_gid())
        renderer.draw_path(gc, path, IdentityTransform())
        renderer.close_group("tickmarks")
        gc.restore()


def top_ticks(ax, labels, fontsize: float, rotation: float) -> None:
    """Column labels above the cells; their tick marks drawn as one path (:class:`TickMarks`)
    of matplotlib's size and width for top ticks."""
    import matplotlib as mpl

    xs = np.arange(len(labels)) + 0.5
    ax.set_xticks(xs, labels, fontsize=fontsize, rotation=rotation)
    ax.tick_params(axis="x", top=False, labeltop=True, bottom=False, labelbottom=False)
    marks = TickMarks(ax, xs, mpl.rcParams["xtick.major.size"], mpl.rcParams["xtick.major.width"],
                      mpl.rcParams["xtick.color"])  # fmt: skip
    ax.add_artist(marks)


def colour_bar(fig, ax, cmap, limits, label: str):
    """The colour bar of a heatmap whose cells are drawn by :func:`draw_cells`."""
    from matplotlib import colormaps
    from matplotlib.cm import ScalarMappable

    bar = ScalarMappable(Normalize(*limits), colormaps[cmap].resampled(BAR_STEPS))
    cb = fig.colorbar(bar, ax=ax, shrink=0.8, pad=0.01, aspect=30, label=label)
    cb.solids.set_rasterized(False)  # matplotlib rasterizes long colorbars; keep it vector
    cb.solids.set_clip_on(False)  # the bands fill the bar's axes: no clip-path on each
    return cb


__all__ = [
    "cell_colours",
    "colour_bar",
    "draw_cells",
    "draw_dots",
    "segments_path",
    "top_ticks",
    "TickMarks",
]
