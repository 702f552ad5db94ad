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
from functools import partial
from pathlib import Path

from mchch_lib.data import dataset
from mchch_lib.data.catalog import load_catalog
from mchch_lib.data.contract import Dataset
from mchch_lib.data.ingest import ReadLimits, Source, UnreadableInput, discover, district_cells
from mchch_lib.data.params import Params
from mchch_lib.data.reference import Province, national_districts, place_district, provinces
from mchch_lib.errors import MchchError

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


def place(
    sources: list[Source], scope: tuple[int, ...], limits: ReadLimits, map_=map,
    digests: dict[str, dict[str, str]] | None = None,
) -> Placement:  # fmt: skip
    """Place every input (see the module docstring); ``map_``: a map over the inputs (a
    process pool's: each input is read for its district cells). With ``digests`` (each
    input's files' sha256, by its label) an input placed before with the same files at the
    same path is not read again (``PLACEMENT_CACHE`` in the cache folder)."""
    keys = {s.label: _place_key(s, digests[s.label], limits) for s in sources} if digests else {}
    known = _known_places(keys)
    todo = [s for s in sources if s.label not in known]
    read = dict(zip((s.label for s in todo), map_(partial(province_of, limits=limits), todo),
                    strict=True))  # fmt: skip
    if keys and read:
        _remember_places({keys[label]: v for label, v in read.items()})
    out = Placement()
    for src in sources:
        code, how = read[src.label] if src.label in read else known[src.label]
        out.how[src.label] = how
        if code is None:
            out.unplaced.append(src)
        elif code in scope:
            out.provinces.setdefault(code, []).append(src)
        else:
            out.outside.setdefault(code, []).append(src)
    out.provinces = dict(sorted(out.provinces.items()))
    return out


#: Where each input was placed, by the sha256 of its files, its path and the read limits
#: (a file in the cache folder; another code version starts it afresh).
PLACEMENT_CACHE = "placement.json"


def _place_key(src: Source, files: dict[str, str], limits: ReadLimits) -> str:
    """An input's place depends on its files, its path (file and folder names) and limits."""
    import hashlib
    import json

    where = [str(src.path.resolve()), src.kind, sorted(files.items()), repr(limits)]
    text = json.dumps(where, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _cached_places() -> dict:
    import json

    from mchch_lib import config
    from mchch_lib.common.keys import code_version

    try:
        data = json.loads((config.PROCESSED_DIR / PLACEMENT_CACHE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # none yet, or unreadable: every input is read
    ok = isinstance(data, dict) and data.get("code_version") == code_version()
    return data.get("places", {}) if ok and isinstance(data.get("places"), dict) else {}


def _known_places(keys: dict[str, str]) -> dict:
    """Label -> (province or None, how) of each input placed before, unchanged (``keys``:
    each input's ``_place_key`` by its label)."""
    places = _cached_places() if keys else {}
    out = {}
    for label, key in keys.items():
        hit = places.get(key)
        if isinstance(hit, list) and len(hit) == 2:
            out[label] = (hit[0], hit[1])
    return out


def _remember_places(placed: dict) -> None:
    """Add the inputs just read to ``PLACEMENT_CACHE`` (written whole, atomically; a cache
    that cannot be written only means reading them again next time)."""
    import json

    from mchch_lib import config
    from mchch_lib.common.atomic import write_text
    from mchch_lib.common.keys import code_version

    places = _cached_places()
    if len(places) > 50_000:  # years of inputs: keep what this run knows
        places = {}
    places |= {key: list(v) for key, v in placed.items()}
    text = json.dumps({"code_version": code_version(), "places": places}, ensure_ascii=False)
    try:
        write_text(config.PROCESSED_DIR / PLACEMENT_CACHE, text)
    except OSError:
        pass


@dataclass
class NationalData:
    """The clean data of a national run: each province's cache key (its data exactly what a
    run of that province alone reads), read when asked for (a worker serving the country
    holds a few provinces at a time, not all), and the problems of the inputs nothing
    placed."""

    scope: tuple[int, ...]
    placement: Placement
    keys: dict[int, str]  # each province with inputs -> its data's cache key
    datasets: dict[int, Dataset] = field(default_factory=dict)  # those already in memory
    unplaced: Dataset | None = None
    year: int = 0
    file_digests: dict[str, str] = field(default_factory=dict)  # every input read
    #: provinces held back by their data errors (a national run without --allow-errors):
    #: code -> number of errors; in no national figure, named in the national report
    held: dict[int, int] = field(default_factory=dict)

    def hold_back(self, code: int, n_errors: int) -> None:
        """Leave a province out of the national figures (its data has errors)."""
        self.held[code] = n_errors
        self.keys.pop(code, None)
        self.datasets.pop(code, None)

    @property
    def codes(self) -> list[int]:
        """The provinces with inputs, in code order."""
        return sorted(self.keys)

    def dataset(self, code: int) -> Dataset:
        """A province's clean data (from memory, else from the cache by its key)."""
        ds = self.datasets.get(code) or dataset.load_by_key(self.keys[code])
        if ds is None:
            raise MchchError(
                f"{self.keys[code]}: ไม่พบข้อมูลจังหวัด {code} ในแคช / province {code} not cached"
            )
        return ds

    @property
    def input_hash(self) -> str:
        """One hash of every input's content (the national data version)."""
        return dataset.input_hash(self.file_digests)

    @property
    def n_applicants(self) -> int:
        return sum(len(self.dataset(c).applicants) for c in self.codes)


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
    """Place every input, then validate the inputs of each province not in the cache (an
    edit validates its province again, nothing else), in ``processes`` parallel processes.
    A province already cached is not read here (``NationalData.dataset`` reads it)."""
    sources = discover(list(params.inputs))
    if not sources:
        raise MchchError(
            f"{', '.join(map(str, params.inputs))}: ไม่พบไฟล์ข้อมูลใน inputs ของ params / "
            "the params inputs hold no workbook or CSV sheet"
        )
    with _Readers(processes) as map_:
        return _load_national(params, sources, map_)


class _Readers:
    """A map over inputs in ``processes`` forked processes, forked on the first map of more
    than one input (a rerun that reads one changed workbook forks none), closed on exit."""

    def __init__(self, processes: int):
        self.processes, self.pool = processes, None

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.__exit__(*exc)

    def __call__(self, f, items, chunksize: int = 16):  # the pool's map keeps the order
        if self.processes <= 1 or len(items) <= 1:
            return map(f, items)
        if self.pool is None:
            import multiprocessing as mp

            self.pool = mp.get_context("fork").Pool(self.processes).__enter__()
        return self.pool.map(f, items, chunksize=chunksize)


def _load_national(params: Params, sources: list[Source], map_) -> NationalData:
    from mchch_lib.data.ingest import source_digests

    each = {s.label: source_digests([s]) for s in sources}
    placement = place(sources, params.provinces, params.limits, map_, each)
    catalog = load_catalog(params.catalog)
    keys, cold, digests = {}, [], {}
    for code, srcs in placement.provinces.items():
        d = dict(sorted(kv for s in srcs for kv in each[s.label].items()))
        digests |= d
        keys[code] = dataset.cache_key(
            d, catalog, code, params.deadline_41, params.limits, params.deadline_42
        )
        if not dataset.is_cached(keys[code]):
            cold.append((params, code, srcs))
    loaded = {t[1]: ds for t, ds in zip(cold, map_(_load_province, cold, 1), strict=True)}
    unplaced = None
    if placement.unplaced:
        from mchch_lib.data.validate import validate_sources

        nowhere = Province(0, "", "", {})  # no district: every row is named as unknown
        unplaced = validate_sources(
            placement.unplaced,
            catalog,
            nowhere,
            params.deadline_41,
            params.limits,
            params.deadline_42,
        )
        unplaced.file_digests = dict(
            sorted(kv for s in placement.unplaced for kv in each[s.label].items())
        )
        unplaced.files = list(unplaced.file_digests)
        unplaced.input_hash = dataset.input_hash(unplaced.file_digests)
        digests |= unplaced.file_digests
    return NationalData(
        params.provinces,
        placement,
        keys,
        loaded,
        unplaced,
        catalog.year,
        dict(sorted(digests.items())),
    )


def input_files(srcs: list[Source]) -> list[Path]:
    """The paths a province's params list as its inputs (files, or folders of CSV sheets)."""
    return [s.path for s in srcs]


# ---------------------------------------------------------------- handing the data to jobs
def save(nd: NationalData) -> str:
    """Write what a national job needs to find this data (each province's cache key, the
    problems of the inputs nothing placed, where each input went) under the cache folder;
    returns its key (the ``data_key`` of the national report and workbooks)."""
    import json

    from mchch_lib import config
    from mchch_lib.common.atomic import write_text
    from mchch_lib.common.keys import content_hash

    ukey = ""
    if nd.unplaced is not None:
        ukey = content_hash("unplaced", nd.unplaced.input_hash, *sorted(nd.unplaced.files))[:24]
        dataset.store(nd.unplaced, ukey)
    keys = {str(c): k for c, k in sorted(nd.keys.items())}
    held = json.dumps({str(c): n for c, n in sorted(nd.held.items())}) if nd.held else ""
    key = "national-" + content_hash(json.dumps(keys, sort_keys=True), ukey, held)[:24]
    manifest = {
        "year": nd.year,
        "scope": list(nd.scope),
        "provinces": keys,
        "unplaced": ukey,
        "outside": {str(c): [s.label for s in v] for c, v in nd.placement.outside.items()},
        "how": nd.placement.how,
        "files": nd.file_digests,
        "held": {str(c): n for c, n in sorted(nd.held.items())},
    }
    path = config.PROCESSED_DIR / f"{key}.json"
    if not path.exists():
        write_text(path, json.dumps(manifest, ensure_ascii=False, indent=1))
    return key


def load_by_key(key: str) -> NationalData:
    """The national data ``save`` described (provinces read from the cache when asked for)."""
    import json

    from mchch_lib import config

    path = config.PROCESSED_DIR / f"{key}.json"
    if not path.exists():
        raise MchchError(f"{path}: ไม่พบข้อมูลระดับประเทศในแคช / national data not in the cache")
    m = json.loads(path.read_text(encoding="utf-8"))
    unplaced = dataset.load_by_key(m["unplaced"]) if m["unplaced"] else None
    placement = Placement(
        outside={
            int(c): [Source(Path(x), "workbook", x) for x in v] for c, v in m["outside"].items()
        },
        how=m["how"],
    )
    keys = {int(c): k for c, k in m["provinces"].items()}
    held = {int(c): n for c, n in m.get("held", {}).items()}
    return NationalData(
        tuple(m["scope"]), placement, keys, {}, unplaced, m["year"], m["files"], held
    )


def held_back_note(data_key: str | None) -> str:
    """The national report's line on the provinces held back by their data errors (Thai;
    empty when none): they are in no figure of the report until their data is fixed."""
    import html

    if not data_key:
        return ""
    held = load_by_key(data_key).held
    if not held:
        return ""
    names = ", ".join(
        f"{c} {provinces()[c].name_th} (ข้อผิดพลาด {n} รายการ)" for c, n in sorted(held.items())
    )
    return (
        f"<p><b>จังหวัดที่ยังไม่รวมในรายงานนี้:</b> {html.escape(names)} เพราะข้อมูลที่ส่งมามีข้อผิดพลาด "
        "จึงยังไม่ได้จัดทำรายงานของจังหวัดและไม่นับรวมในตัวเลขระดับประเทศ "
        "ดูรายการปัญหาได้ที่ validation.xlsx ในโฟลเดอร์ของจังหวัด</p>"
    )
