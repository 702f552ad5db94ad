"""Loading the dataset: discover inputs, read, validate, and cache the clean tables as Parquet
under ``data/processed/<key>/``, keyed by the input files' content, the catalog and the code
version, so a second load of unchanged inputs reads the cache."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections import OrderedDict
from pathlib import Path

from mchch_lib import config
from mchch_lib.common.keys import code_version
from mchch_lib.data.catalog import Catalog, load_catalog
from mchch_lib.data.contract import TABLE_DTYPES, Dataset
from mchch_lib.data.ingest import DEFAULT_LIMITS, ReadLimits, discover, source_digests
from mchch_lib.data.reference import load_province
from mchch_lib.errors import InputReadError

_TABLES = (*TABLE_DTYPES, "problems", "reconciliation")


def input_hash(digests: dict[str, str]) -> str:
    """Data version: one hash of the content of every input file (names not included)."""
    h = hashlib.sha256()
    for d in sorted(digests.values()):
        h.update(d.encode())
    return h.hexdigest()


def cache_key(
    digests: dict[str, str],
    catalog: Catalog,
    province_code: int,
    deadline_41: dt.date | None,
    limits: ReadLimits = DEFAULT_LIMITS,
    deadline_42: dt.date | None = None,
) -> str:
    payload = json.dumps(
        {
            "inputs": digests,
            "catalog": hashlib.sha256(catalog.digest_source).hexdigest(),
            "province": province_code,
            "deadline_41": str(deadline_41),
            "deadline_42": str(deadline_42),
            "code": code_version(),
            "limits": dataclasses.asdict(limits),
        },
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:24]


class Memo(OrderedDict):
    """The last ``size`` entries used (a worker of a national run serves province after
    province: it keeps the few it is working on, not the whole country)."""

    def __init__(self, size: int):
        super().__init__()
        self.size = size

    def __getitem__(self, key):
        value = super().__getitem__(key)
        self.move_to_end(key)
        return value

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        self.move_to_end(key)
        while len(self) > self.size:
            self.popitem(last=False)


#: How many provinces' data a process keeps in memory (a national run's worker peaked at 554 MB
#: keeping 8: each large province's tables and scores are tens of MB).
MEMO_SIZE = 4

#: Datasets already read in this process, by cache key (the key covers every input byte).
_MEMO: Memo = Memo(MEMO_SIZE)


def load(
    paths,
    catalog: Catalog | str | Path,
    province_code: int,
    deadline_41: dt.date | None = None,
    use_cache: bool = True,
    cache_dir: Path | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
    *,
    deadline_42: dt.date | None = None,
) -> Dataset:
    """Clean dataset of the workbooks under ``paths`` (files or folders), from cache if fresh.
    ``deadline_42``: post-development assessments after it are named (a warning each).

    Raises ``InputReadError`` when the paths hold no workbook or CSV sheet at all."""
    from mchch_lib.data.validate import validate_sources

    if not isinstance(catalog, Catalog):
        catalog = load_catalog(catalog)
    paths = list(paths) if isinstance(paths, list | tuple) else [paths]
    sources = discover(paths)
    if not sources:
        shown = ", ".join(str(p) for p in paths)
        raise InputReadError(
            f"{shown}: ไม่พบไฟล์ข้อมูล (.xlsx, .xls หรือ CSV) / no workbook or CSV sheet found"
        )
    digests = source_digests(sources)
    key = cache_key(digests, catalog, province_code, deadline_41, limits, deadline_42)
    cdir = (cache_dir or config.PROCESSED_DIR) / key
    if use_cache and key in _MEMO:
        ds = _MEMO[key].copy()  # a worker reuses what the previous report read
        ds.from_cache = True
        return ds
    if use_cache and (cdir / "meta.json").exists():
        ds = _read_cache(cdir)
        ds.from_cache, ds.key = True, key
        _MEMO[key] = ds
        return ds.copy()
    t0 = time.perf_counter()
    ds = validate_sources(
        sources, catalog, load_province(province_code), deadline_41, limits, deadline_42
    )
    ds.input_hash = input_hash(digests)
    ds.files = list(digests)
    ds.file_digests = digests
    ds.load_seconds = time.perf_counter() - t0
    ds.key = key
    if use_cache:
        _write_cache(cdir, ds)
        _MEMO[key] = ds.copy()
    return ds


def load_by_key(key: str, cache_dir: Path | None = None) -> Dataset | None:
    """The clean dataset cached under ``key`` (the batch hands this key to its reports, so a
    report reads what the batch validated without hashing the inputs again); None when that
    cache is not there (then load from the inputs)."""
    if key in _MEMO:
        return _MEMO[key].copy()
    cdir = (cache_dir or config.PROCESSED_DIR) / key
    if not (cdir / "meta.json").exists():
        return None
    ds = _read_cache(cdir)
    ds.from_cache, ds.key = True, key
    _MEMO[key] = ds
    return ds.copy()


def is_cached(key: str, cache_dir: Path | None = None) -> bool:
    """The clean data of this cache key is in memory or in the cache folder."""
    return key in _MEMO or ((cache_dir or config.PROCESSED_DIR) / key / "meta.json").exists()


def derived_dir(key: str, cache_dir: Path | None = None) -> Path:
    """Where figures computed from the clean data of ``key`` are kept (they depend on nothing
    else: the key covers the inputs, the catalog, the deadlines and the code)."""
    return (cache_dir or config.PROCESSED_DIR) / key / "derived"


def store(ds: Dataset, key: str, cache_dir: Path | None = None) -> None:
    """Cache a dataset under ``key`` (unless there already) and keep it in memory."""
    cdir = (cache_dir or config.PROCESSED_DIR) / key
    if not (cdir / "meta.json").exists():
        _write_cache(cdir, ds)
    ds.key = key
    remember(ds)


def remember(ds: Dataset) -> None:
    """Keep a dataset read in another process (a national run validates provinces in
    parallel) as if this process had read it: ``load_by_key`` finds it without the cache."""
    if ds.key:
        _MEMO[ds.key] = ds.copy()


def load_for_params(params, use_cache: bool = True) -> Dataset:
    """The dataset a params file describes."""
    return load(
        list(params.inputs),
        params.catalog,
        params.province_code,
        params.deadline_41,
        use_cache=use_cache,
        limits=params.limits,
        deadline_42=params.deadline_42,
    )


def _write_cache(cdir: Path, ds: Dataset) -> None:
    cdir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=cdir.parent))
    try:
        for name in _TABLES:
            getattr(ds, name).to_parquet(tmp / f"{name}.parquet", index=False)
        meta = {
            "input_hash": ds.input_hash,
            "files": ds.file_digests,
            "province_code": ds.province_code,
            "year": ds.year,
            "code": code_version(),
        }
        (tmp / "meta.json").write_text(
            json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        try:
            os.rename(tmp, cdir)
        except OSError:
            if not (cdir / "meta.json").exists():  # not a concurrent writer of the same key
                raise
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)


def _read_cache(cdir: Path) -> Dataset:
    import pandas as pd

    from mchch_lib.data.contract import typed

    meta = json.loads((cdir / "meta.json").read_text(encoding="utf-8"))
    t = {}
    for name in _TABLES:
        df = pd.read_parquet(cdir / f"{name}.parquet")
        t[name] = typed(df, name) if name in TABLE_DTYPES else df
    return Dataset(
        **{name: t[name] for name in _TABLES},
        input_hash=meta["input_hash"],
        files=list(meta["files"]),
        province_code=meta["province_code"],
        year=meta["year"],
        file_digests=meta["files"],
    )
