"""The national sample: a workbook for every district of the country, a few missing, problems planted."""

from __future__ import annotations

import random
from pathlib import Path

from mchch_lib import config
from mchch_lib.common.atomic import write_bytes
from mchch_lib.data.catalog import load_catalog
from mchch_lib.data.reference import load_province
from mchch_lib.sample.final_round import district_data, workbook_bytes, write_sample
from mchch_lib.sample.province import SEED, _slug

# ---------------------------------------------------------------- the whole country
#: What the national sample (``--national``) holds beside clean data, for completeness and
#: validation to find (tests/analysis/test_national.py checks each).
NATIONAL = {
    "folder": "national",  # data/national/<year>/<province>_<name>/<district>_<name>.xlsx
    "applicants": (3, 25),  # per district
    "same_as_sample": 60,  # Nakhon Sawan: the 2561 sample itself, its final round included
    "missing_province": 58,  # แม่ฮ่องสอน sent nothing at all
    "missing_share": 0.02,  # of the other districts, about this share sent nothing
    # a clerk writes "อ.เมือง": ambiguous country-wide, so the file's name places it
    "written_mueang": 3001,
    # planted errors, one row each: a score above full marks, a district nobody knows, a
    # citizen ID with a wrong check digit
    "score_out_of_range": 1001,
    "unknown_district": 5001,
    "invalid_citizen_id": 9001,
}


def national_layout(seed: int = SEED) -> dict[int, list[int]]:
    """The districts of the national sample by province (the missing ones left out)."""
    from mchch_lib.data.reference import national_districts

    rng = random.Random(f"{seed}-national-missing")
    out: dict[int, list[int]] = {}
    for code in sorted(national_districts()):
        pcode = code // 100
        if pcode == NATIONAL["missing_province"]:
            continue
        if pcode != NATIONAL["same_as_sample"] and rng.random() < NATIONAL["missing_share"]:
            continue
        out.setdefault(pcode, []).append(code)
    return out


def _plant(code: int, data: dict[str, list[list]]) -> None:
    """The planted problem of a district of the national sample, if it has one."""
    apps, scores = data["ผู้สมัคร"], data["คะแนน"]
    if code == NATIONAL["written_mueang"]:
        for sheet in data.values():
            for row in sheet[1:]:
                row[0] = "อ.เมือง"
    if code == NATIONAL["score_out_of_range"]:
        j = next(k for k, v in enumerate(scores[1], start=0) if k >= 4 and v is not None)
        scores[1][j] = scores[1][j] + 50
    if code == NATIONAL["unknown_district"]:
        apps[-1][0] = "อำเภอบ้านไม่มีจริง"
    if code == NATIONAL["invalid_citizen_id"]:
        row = next((r for r in apps[1:] if r[4]), None)
        if row is not None:
            row[4] = row[4][:-1] + str((int(row[4][-1]) + 1) % 10)


def _national_district(args: tuple) -> tuple[Path, bytes]:
    """One workbook of the national sample (a process of the pool makes it)."""
    code, out_dir, seed = args
    from mchch_lib.data.reference import provinces

    catalog = load_catalog(year=2561)
    d = load_province(code // 100).districts[code]
    info = provinces()[code // 100]
    if code // 100 == NATIONAL["same_as_sample"]:
        data = district_data(code, catalog, random.Random(f"{seed}-{code}"))
    else:
        rng = random.Random(f"{seed}-national-{code}")
        data = district_data(code, catalog, rng, rng.randint(*NATIONAL["applicants"]))
        _plant(code, data)
    folder = Path(out_dir) / f"{info.code}_{_slug(info.name_en)}"
    title = f"อำเภอ{d.name_th} {info.place_th}"
    return folder / f"{code}_{_slug(d.name_en)}.xlsx", workbook_bytes(
        data, title, wide=("เกณฑ์ย่อย",)
    )


def write_national(out_dir: Path | None = None, seed: int = SEED, processes: int = 2) -> list[Path]:
    """Write the national sample of 2561 (see ``NATIONAL``): a workbook per district of every
    province but the missing ones, by province folder; Nakhon Sawan's folder is the 2561
    sample with its final round. Deterministic (same bytes); ``processes`` make it."""
    import multiprocessing as mp

    out_dir = Path(out_dir) if out_dir is not None else config.DATA_DIR / "national" / "2561"
    codes = [c for cs in national_layout(seed).values() for c in cs]
    with mp.get_context("fork").Pool(processes) as pool:
        made = pool.map(_national_district, [(c, out_dir, seed) for c in codes], chunksize=16)
    paths = []
    for path, data in made:
        write_bytes(path, data)
        paths.append(path)
    same = NATIONAL["same_as_sample"]
    final = [p for p in write_sample(Path(out_dir) / ".final", seed=seed) if "final" in p.name]
    target = paths[[p.parent.name.startswith(f"{same}_") for p in paths].index(True)].parent
    write_bytes(target / final[0].name, final[0].read_bytes())
    import shutil

    shutil.rmtree(Path(out_dir) / ".final")
    return [*paths, target / final[0].name]
