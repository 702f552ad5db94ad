"""The boundaries of Thailand's 928 districts and 77 provinces, shipped with the package
(``resources/maps``, see its NOTICE: Royal Thai Survey Department via UN OCHA, CC BY 3.0 IGO;
simplified in piyayut-ch/mapthai, MIT), read once and kept.

Shapes are keyed by the DOPA code (the file's ``ADM2_PCODE``/``ADM1_PCODE`` is "TH" + the code);
names never come from the map file (four are cut short there) but from the reference tables
(:mod:`mchch_lib.data.reference`). Pure Python and numpy: no GDAL or other system library; the
drawing is matplotlib's (:mod:`mchch_lib.documents.maps`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np

from mchch_lib import config

MAPS_DIR = config.RESOURCES_DIR / "maps"
FILES = {"district": MAPS_DIR / "th_adm2.geojson", "province": MAPS_DIR / "th_adm1.geojson"}
_CODE_FIELD = {"district": "ADM2_PCODE", "province": "ADM1_PCODE"}


@dataclass(frozen=True, eq=False)
class Shape:
    """One unit's boundary: its polygons, each an exterior ring then its holes, as (n, 2)
    arrays of longitude, latitude (closed rings, exterior counter-clockwise, holes clockwise)."""

    code: int
    polygons: tuple[tuple[np.ndarray, ...], ...]

    @cached_property
    def bbox(self) -> tuple[float, float, float, float]:
        """(west, south, east, north) in degrees."""
        pts = np.vstack([p[0] for p in self.polygons])
        return (*pts.min(axis=0), *pts.max(axis=0))

    @property
    def rings(self) -> list[np.ndarray]:
        return [r for p in self.polygons for r in p]

    @cached_property
    def label_points(self) -> tuple[tuple[float, float], ...]:
        """Points inside the largest polygon where a name may be written, best first: far
        from the edge and near the middle (the first is the one to try; the others are for a
        name that does not fit there)."""
        outer = max((p[0] for p in self.polygons), key=lambda r: abs(_area(r)))
        cx, cy = _centroid(outer)
        candidates = [(cx, cy)]
        (x0, y0), (x1, y1) = outer.min(axis=0), outer.max(axis=0)
        gx, gy = np.meshgrid(np.linspace(x0, x1, 11)[1:-1], np.linspace(y0, y1, 11)[1:-1])
        candidates += list(zip(gx.ravel(), gy.ravel(), strict=True))
        inside = [c for c in candidates if contains(outer, c)]
        if not inside:
            return ((float(cx), float(cy)),)
        ranked = sorted(
            inside, key=lambda c: -(_edge_distance(outer, c) - 0.2 * np.hypot(c[0] - cx, c[1] - cy))
        )
        return tuple((float(x), float(y)) for x, y in ranked[:6])

    @property
    def label_point(self) -> tuple[float, float]:
        """The best point inside the unit to write its name."""
        return self.label_points[0]


def _area(ring: np.ndarray) -> float:
    """Signed area (positive: counter-clockwise)."""
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1]))


def contains(ring: np.ndarray, p) -> bool:
    """Whether a point lies inside a closed ring (even-odd ray casting)."""
    x, y = ring[:, 0], ring[:, 1]
    x0, y0, x1, y1 = x[:-1], y[:-1], x[1:], y[1:]
    crosses = (y0 > p[1]) != (y1 > p[1])
    with np.errstate(divide="ignore", invalid="ignore"):
        xs = x0 + (p[1] - y0) * (x1 - x0) / (y1 - y0)
    return bool(np.count_nonzero(crosses & (p[0] < xs)) % 2)


def _centroid(ring: np.ndarray) -> tuple[float, float]:
    x, y = ring[:, 0], ring[:, 1]
    cross = x[:-1] * y[1:] - x[1:] * y[:-1]
    a = cross.sum() / 2
    if abs(a) < 1e-12:
        return float(x.mean()), float(y.mean())
    return (
        float(((x[:-1] + x[1:]) * cross).sum() / (6 * a)),
        float(((y[:-1] + y[1:]) * cross).sum() / (6 * a)),
    )


def _edge_distance(ring: np.ndarray, p) -> float:
    """Distance from a point to the nearest edge of a ring."""
    a, b = ring[:-1], ring[1:]
    ab = b - a
    t = np.clip(((p - a) * ab).sum(axis=1) / np.maximum((ab * ab).sum(axis=1), 1e-18), 0, 1)
    nearest = a + t[:, None] * ab
    return float(np.hypot(*(nearest - p).T).min())


def _oriented(ring, outer: bool) -> np.ndarray:
    r = np.asarray(ring, dtype=float)
    if len(r) and not np.array_equal(r[0], r[-1]):
        r = np.vstack([r, r[:1]])
    return r if (_area(r) > 0) == outer else r[::-1]


def _polygons(geometry: dict) -> tuple[tuple[np.ndarray, ...], ...]:
    parts = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        parts = [parts]
    return tuple(
        tuple(_oriented(r, i == 0) for i, r in enumerate(rings)) for rings in parts if rings
    )


@lru_cache(maxsize=2)
def shapes(level: str = "district") -> dict[int, Shape]:
    """Every shape of a level (``"district"``: 928, ``"province"``: 77) by DOPA code; the
    file is read once per process."""
    with FILES[level].open(encoding="utf-8") as f:
        features = json.load(f)["features"]
    out = {}
    for feat in features:
        code = int(str(feat["properties"][_CODE_FIELD[level]]).removeprefix("TH"))
        out[code] = Shape(code, _polygons(feat["geometry"]))
    return out


def district_shapes(province_code: int) -> dict[int, Shape]:
    """The districts of a province (the first two digits of a district code are its
    province's), by code."""
    return {c: s for c, s in shapes("district").items() if c // 100 == int(province_code)}


def province_shapes(codes=None, region_en: str | None = None) -> dict[int, Shape]:
    """The provinces of the country, of a region (``region_en`` as in ``provinces.csv``,
    e.g. "Northern") or of the given codes, by code."""
    from mchch_lib.data.reference import provinces

    out = shapes("province")
    if region_en is not None:
        out = {
            c: s
            for c, s in out.items()
            if c in provinces() and provinces()[c].region_en == region_en
        }
    if codes is not None:
        wanted = {int(c) for c in codes}
        out = {c: s for c, s in out.items() if c in wanted}
    return out


def outline(shape_groups: dict[int, int], level: str = "province") -> list[np.ndarray]:
    """The outline of groups of units (e.g. the regions: ``{province_code: region_code}``):
    the edges of their shapes that no two units of the same group share, as (2, 2) segments.
    The simplified map keeps shared borders vertex for vertex, so shared edges match."""
    seen: dict[tuple, set] = {}
    count: dict[tuple, int] = {}
    all_shapes = shapes(level)
    for code, group in shape_groups.items():
        if code not in all_shapes:
            continue
        for ring in all_shapes[code].rings:
            r = np.round(ring, 6)
            for a, b in zip(map(tuple, r[:-1]), map(tuple, r[1:]), strict=True):
                key = (a, b) if a <= b else (b, a)
                seen.setdefault(key, set()).add(group)
                count[key] = count.get(key, 0) + 1
    return [np.array(k) for k, groups in seen.items() if count[k] == 1 or len(groups) > 1]


def geojson(level: str, codes=None) -> dict:
    """A GeoJSON FeatureCollection of the units of a level (all, or ``codes``), each feature
    with ``code`` and ``name_th`` (from the reference tables, never the map file's names):
    what an interactive map (ipyleaflet ``GeoJSON``) draws."""
    from mchch_lib.data.reference import national_districts, provinces

    names = (
        {c: d.name_th for c, d in national_districts().items()}
        if level == "district"
        else {c: p.name_th for c, p in provinces().items()}
    )
    wanted = None if codes is None else {int(c) for c in codes}
    features = []
    for code, s in shapes(level).items():
        if wanted is not None and code not in wanted:
            continue
        coords = [[r.round(6).tolist() for r in p] for p in s.polygons]
        features.append(
            {
                "type": "Feature",
                "id": code,
                "properties": {"code": code, "name_th": names.get(code, str(code))},
                "geometry": {"type": "MultiPolygon", "coordinates": coords},
            }
        )
    return {"type": "FeatureCollection", "features": features}
