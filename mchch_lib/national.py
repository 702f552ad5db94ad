"""The national scope of a run (params ``provinces``): every input placed in its province by the
districts its rows name, each province's inputs validated exactly as a run of that province
alone would validate them (the same checks, the same cache key), and the inputs nothing places.

How an input is placed, in order:
1. the district column (อำเภอ) of its first district sheet: each value that means one district
   of the country ("6007", "ตาคลี", "อ.ตาคลี") votes for that district's province, and the
   province with most votes takes the whole workbook (a row of another province in it is then
   an ``unknown_district`` problem, as in a run of that province alone);
2. when no value means one district ("อ.เมือง" is every province's capital, เฉลิมพระเกียรติ is
   five districts): the district code its file name starts with (``3001_mueang.xlsx``);
3. then a province code its folder name starts with (``30_nakhon-ratchasima/``).

An input placed in a province the run does not cover is left out and listed (a department may
drop every province's files into one tree and run some of them). An input nothing places is
validated against no district, so each of its rows is a located ``unknown_district`` problem.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import dataset
from .catalog import Catalog, load_catalog
from .errors import MchchError
from .ingest import ReadLimits, Source, UnreadableInput, discover, district_cells
from .model import Dataset
from .params import Params
from .reference import Province, national_districts, place_district, provinces

_FILE_CODE = re.compile(r"\s*(\d{4})(?!\d)")
_FOLDER_CODE = re.compile(r"\s*(\d{2})(?!\d)")


def province_of(src: Source, limits: ReadLimits) -> tuple[int | None, str]:
    """The province an input belongs to and what said so: "rows", "file name", "folder", or
    (None, "nothing")."""
    try:
        cells = district_cells(src, limits)
    except UnreadableInput:
        cells = []  # validation names it; its name may still place it
    votes = Counter(c // 100 for c in map(place_district, cells) if c is not None)
    if votes:
        return max(votes, key=lambda p: (votes[p], -p)), "rows"
    m = _FILE_CODE.match(src.path.name)
    if m and int(m[1]) in national_districts():
        return int(m[1]) // 100, "file name"
    for folder in [src.path, *src.path.parents][1 if src.kind == "workbook" else 0 :][:3]:
        m = _FOLDER_CODE.match(folder.name)
        if m and int(m[1]) in provinces():
            return int(m[1]), "folder"
    return None, "nothing"


@dataclass
class Placement:
    """Where each input of a national run goes."""

    provinces: dict[int, list[Source]] = field(default_factory=dict)  # in the run's scope
    outside: dict[int, list[Source]] = field(default_factory=dict)  # other provinces: left out
    unplaced: list[Source] = field(default_factory=list)  # nothing says where
    how: dict[str, str] = field(default_factory=dict)  # input label -> what placed it


def place(sources: list[Source], scope: tuple[int, ...], limits: ReadLimits) -> Placement:
    """Place every input (see the module docstring)."""
    out = Placement()
    for src in sources:
        code, how = province_of(src, limits)
        out.how[src.label] = how
        if code is None:
            out.unplaced.append(src)
        elif code in scope:
            out.provinces.setdefault(code, []).append(src)
        else:
            out.outside.setdefault(code, []).append(src)
    out.provinces = dict(sorted(out.provinces.items()))
    return out


@dataclass
class NationalData:
    """The clean data of a national run: a dataset per province with inputs (each exactly what
    a run of that province alone reads), and the problems of the inputs nothing placed."""

    scope: tuple[int, ...]
    placement: Placement
    datasets: dict[int, Dataset]
    unplaced: Dataset | None = None
    year: int = 0
    _merged: Dataset | None = field(default=None, repr=False)

    @property
    def problems(self) -> pd.DataFrame:
        """Every problem of the run, with the province it belongs to (none: not placed)."""
        parts = [ds.problems.assign(province_code=code) for code, ds in self.datasets.items()]
        if self.unplaced is not None:
            parts.append(self.unplaced.problems.assign(province_code=pd.NA))
        parts = [p for p in parts if len(p)]
        if not parts:
            cols = [*next(iter(self.datasets.values())).problems.columns, "province_code"]
            return pd.DataFrame(columns=cols)
        return pd.concat(parts, ignore_index=True)

    @property
    def input_hash(self) -> str:
        """One hash of every input's content (the national data version)."""
        digests = {k: v for ds in self._all() for k, v in ds.file_digests.items()}
        return dataset.input_hash(digests)

    @property
    def n_applicants(self) -> int:
        return sum(len(ds.applicants) for ds in self.datasets.values())

    def _all(self) -> list[Dataset]:
        return [*self.datasets.values(), *([self.unplaced] if self.unplaced is not None else [])]

    def merged(self) -> Dataset:
        """Every province's clean tables in one dataset (problems with their province: none
        for the inputs nothing placed), for the national report."""
        import dataclasses

        from .model import TABLES

        if self._merged is None:
            parts = list(self.datasets.values())
            tables = {n: pd.concat([getattr(d, n) for d in parts], ignore_index=True)
                      for n in (*TABLES, "reconciliation")}  # fmt: skip
            digests = {k: v for d in self._all() for k, v in d.file_digests.items()}
            self._merged = dataclasses.replace(
                parts[0], **tables, problems=self.problems, input_hash=self.input_hash,
                files=list(digests), file_digests=digests, province_code=0, key="",
            )  # fmt: skip
        return self._merged

    def table(self, name: str) -> pd.DataFrame:
        """One clean table of every province, with a ``province_code`` column."""
        parts = [ds.table(name).assign(province_code=c) for c, ds in self.datasets.items()]
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _load_province(args) -> Dataset:
    """A province's dataset, as ``dataset.load_for_params`` of that province would read it."""
    params, code, srcs = args
    return dataset.load(
        [s.path for s in srcs],
        params.catalog,
        code,
        params.deadline_41,
        limits=params.limits,
        deadline_42=params.deadline_42,
    )


def load_national(params: Params, processes: int = 1) -> NationalData:
    """Place every input, then validate each province's inputs (cached per province: an edit
    validates its province again, nothing else), in ``processes`` parallel processes."""
    import multiprocessing as mp

    sources = discover(list(params.inputs))
    if not sources:
        raise MchchError(
            f"{', '.join(map(str, params.inputs))}: ไม่พบไฟล์ข้อมูลใน inputs ของ params / "
            "the params inputs hold no workbook or CSV sheet"
        )
    placement = place(sources, params.provinces, params.limits)
    catalog = load_catalog(params.catalog)
    todo = [(params, code, srcs) for code, srcs in placement.provinces.items()]
    cold = [t for t in todo if not _cached(params, catalog, t[1], t[2])]
    loaded: dict[int, Dataset] = {}
    if processes > 1 and len(cold) > 1:
        with mp.get_context("fork").Pool(min(processes, len(cold))) as pool:
            for (_, code, _), ds in zip(cold, pool.map(_load_province, cold, chunksize=1),
                                        strict=True):  # fmt: skip
                dataset.remember(ds)
                loaded[code] = ds
    for t in todo:
        if t[1] not in loaded:
            loaded[t[1]] = _load_province(t)
    unplaced = None
    if placement.unplaced:
        from .validate import validate_sources

        nowhere = Province(0, "", "", {})  # no district: every row is named as unknown
        unplaced = validate_sources(placement.unplaced, catalog, nowhere, params.deadline_41,
                                    params.limits, params.deadline_42)  # fmt: skip
    datasets = {code: loaded[code] for code in placement.provinces}
    return NationalData(params.provinces, placement, datasets, unplaced, catalog.year)


def _cached(params: Params, catalog: Catalog, code: int, srcs: list[Source]) -> bool:
    from .ingest import source_digests

    key = dataset.cache_key(source_digests(srcs), catalog, code, params.deadline_41,
                            params.limits, params.deadline_42)  # fmt: skip
    return dataset.is_cached(key)


def input_files(srcs: list[Source]) -> list[Path]:
    """The paths a province's params list as its inputs (files, or folders of CSV sheets)."""
    return [s.path for s in srcs]


# ---------------------------------------------------------------- handing the data to jobs
_LOADED: dict[str, NationalData] = {}


def save(nd: NationalData) -> str:
    """Write what a national job needs to find this data (each province's cache key, the
    problems of the inputs nothing placed, where each input went) under the cache folder;
    returns its key (the ``data_key`` of the national report and workbooks)."""
    import json

    from . import config
    from .atomic import write_text
    from .outputs import content_hash

    ukey = ""
    if nd.unplaced is not None:
        ukey = content_hash("unplaced", nd.unplaced.input_hash, *sorted(nd.unplaced.files))[:24]
        dataset.store(nd.unplaced, ukey)
    keys = {str(c): ds.key for c, ds in nd.datasets.items()}
    key = "national-" + content_hash(json.dumps(keys, sort_keys=True), ukey)[:24]
    manifest = {
        "year": nd.year,
        "scope": list(nd.scope),
        "provinces": keys,
        "unplaced": ukey,
        "outside": {str(c): [s.label for s in v] for c, v in nd.placement.outside.items()},
        "how": nd.placement.how,
    }
    path = config.PROCESSED_DIR / f"{key}.json"
    if not path.exists():
        write_text(path, json.dumps(manifest, ensure_ascii=False, indent=1))
    _LOADED[key] = nd
    return key


def load_by_key(key: str) -> NationalData:
    """The national data ``save`` described (from memory in a forked worker, else from the
    cache folder)."""
    import json

    from . import config

    if key in _LOADED:
        return _LOADED[key]
    path = config.PROCESSED_DIR / f"{key}.json"
    if not path.exists():
        raise MchchError(f"{path}: ไม่พบข้อมูลระดับประเทศในแคช / national data not in the cache")
    m = json.loads(path.read_text(encoding="utf-8"))
    datasets = {}
    for code, k in m["provinces"].items():
        ds = dataset.load_by_key(k)
        if ds is None:
            raise MchchError(f"{k}: ไม่พบข้อมูลจังหวัด {code} ในแคช / province {code} not cached")
        datasets[int(code)] = ds
    unplaced = dataset.load_by_key(m["unplaced"]) if m["unplaced"] else None
    placement = Placement(
        outside={int(c): [Source(Path(x), "workbook", x) for x in v] for c, v in
                 m["outside"].items()},
        how=m["how"],
    )  # fmt: skip
    nd = NationalData(tuple(m["scope"]), placement, datasets, unplaced, m["year"])
    _LOADED[key] = nd
    return nd
