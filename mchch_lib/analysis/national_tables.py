"""Every province's share of the national figures kept as one table per kind, beside the
national data, so the national report reads a handful of files instead of every province's
part one by one (76 provinces × 6 Parquet files), and a rerun after one province's edit
re-scores that province only and replaces its rows.

Each row carries the data key of the province part it came from (``PART_KEY``); the set of
parts a version holds is named by a hash of their keys, written last (``parts.json``), so a
reader never mixes two versions (a version another worker removes meanwhile: the reader falls
back to the parts one by one). Written by whichever job of the national run gathers the
figures first (the national report), read by the others and by the next run.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd

#: The column of each kept row naming the province part (its data key) it came from.
PART_KEY = "_part_key"


def folder_for(tag: str) -> Path:
    """Where the tables of one national scope (``tag``: scope, catalog, deadlines) are kept."""
    from mchch_lib import config

    return config.PROCESSED_DIR / "national_tables" / tag


def _version(keys: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(sorted(keys)).encode()).hexdigest()[:16]


def _read(folder: Path, names: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    """The tables kept, each with its ``PART_KEY`` column; {} when none or a part is gone."""
    try:
        version = json.loads((folder / "parts.json").read_text(encoding="utf-8"))["version"]
        return {n: pd.read_parquet(folder / f"{n}-{version}.parquet") for n in names}
    except (FileNotFoundError, KeyError, ValueError, OSError):
        return {}


def _write(folder: Path, tables: dict[str, pd.DataFrame], keys: list[str]) -> None:
    """The tables of this version, then ``parts.json`` naming it; older versions removed."""
    from mchch_lib.common.atomic import atomic_path, write_text

    version = _version(keys)
    folder.mkdir(parents=True, exist_ok=True)
    for n, t in tables.items():
        with atomic_path(folder / f"{n}-{version}.parquet") as tmp:
            t.to_parquet(tmp, index=False)
    write_text(folder / "parts.json", json.dumps({"version": version, "keys": sorted(keys)}))
    for old in folder.glob("*.parquet"):
        if not old.name.endswith(f"-{version}.parquet"):
            old.unlink(missing_ok=True)


def gather(
    keys: dict[int, str],
    names: tuple[str, ...],
    part_of: Callable[[int], dict[str, pd.DataFrame]],
    tag: str,
) -> dict[str, pd.DataFrame]:
    """One table per name of every province (``keys``: province code -> its data key, in
    the order the rows go): the kept rows of the parts already held, ``part_of(code)`` for
    the others (then kept for next time). The same tables as concatenating every part."""
    folder = folder_for(tag)
    kept = _read(folder, names)
    held = set()
    if kept:
        held = set(json.loads((folder / "parts.json").read_text(encoding="utf-8"))["keys"])
        by_key = {n: dict(tuple(t.groupby(PART_KEY, sort=False))) for n, t in kept.items()}
    lists: dict[str, list] = {n: [] for n in names}
    fresh = False
    for code, key in keys.items():
        if key in held:
            part = {n: by_key[n].get(key, kept[n].iloc[:0]) for n in names}
        else:
            part = {n: t.assign(**{PART_KEY: key}) for n, t in part_of(code).items()}
            fresh = True
        for n in names:
            lists[n].append(part[n])
    tables = {}
    for n, frames in lists.items():
        non_empty = [f for f in frames if len(f)]
        tables[n] = (
            pd.concat(non_empty, ignore_index=True)
            if non_empty
            else frames[0]
            if frames
            else pd.DataFrame({PART_KEY: pd.Series(dtype="string")})
        )
    if fresh or set(keys.values()) != held:
        try:
            _write(folder, tables, list(keys.values()))
        except OSError:
            pass  # only a cache: the figures are right without it
    return {n: t.drop(columns=[PART_KEY]).reset_index(drop=True) for n, t in tables.items()}


__all__ = ["PART_KEY", "folder_for", "gather"]
