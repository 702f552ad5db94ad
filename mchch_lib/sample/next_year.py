"""The second sample year (2562): returning units with their names spelt otherwise, new units, scores after a year."""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path

from mchch_lib import config
from mchch_lib.common.atomic import write_bytes
from mchch_lib.common.thai import make_citizen_id, to_be_date_str, to_thai_digits
from mchch_lib.data.catalog import STANDARD_CODES, Catalog, Standard, load_catalog
from mchch_lib.data.reference import load_province
from mchch_lib.sample.final_round import district_data, workbook_bytes
from mchch_lib.sample.province import (
    _EVIDENCE,
    _EXPERTS,
    _GROUPS,
    _LAST,
    _METHODS,
    _POSITIONS,
    _VILLAGES,
    SEED,
    _person,
    _round_half,
    _slug,
    tambons,
)

# ---------------------------------------------------------------- the second year: 2562
SEED_2562 = 2562
#: What the 2562 sample shows beside 2561 (tests/sample/test_sample.py checks each).
YEAR_2562 = {
    # 6007 had networks in 2561 and has none in 2562 (a district missing a standard this year)
    "missing_standard": {6007: "network"},
    # units of 2561 that were not ready apply again (about this share of them)
    "return_share": 0.6,
    # a group of 2561 that split in two in 2562: both halves look like it (ambiguous), and
    # data/reference/matches.csv confirms which one it is
    "split_group_district": 6007,
}


def _spelling_drift(name: str, standard: str, rng: random.Random) -> str:
    """The same unit's name as another clerk types it a year later: a prefix added or dropped,
    other spacing, an abbreviation, Thai digits."""
    k = rng.randrange(3)
    if standard == "group":  # and now and then a slip: a thanthakhat (์) left out
        rest = name.removeprefix("กลุ่ม")
        slip = name.replace("\u0e4c", "", 1) if rng.random() < 0.3 else name
        return [rest, f"กลุ่ม {rest}", slip.replace("บ้าน", " บ้าน", 1)][k]
    if standard == "network":
        return [
            name.replace("ตำบล", " ต.", 1),
            name.replace("ตำบล", "ตำบล ", 1),
            name.replace("เครือข่าย", "เครือข่าย ", 1),
        ][k]
    if standard == "community":
        m = re.fullmatch(r"บ้าน(\S+) หมู่ที่ (\d+)", name)
        if m:
            v, moo = m.groups()
            return [f"{v} หมู่ {moo}", f"บ้าน{v} ม.{moo}", f"บ้าน {v} หมู่ที่ {to_thai_digits(moo)}"][k]
    return name


def _leader_drift(name: str, rng: random.Random) -> str:
    """A leader a year later: sometimes another title (นางสาว -> นาง) or a new surname."""
    if name.startswith("นางสาว") and rng.random() < 0.5:
        return "นาง" + name.removeprefix("นางสาว")
    if name.startswith("นาง") and rng.random() < 0.3:
        return f"{name.rsplit(' ', 1)[0]} {rng.choice(_LAST)}"
    return name


def _not_ready_2561(last: dict[str, list[list]], catalog: Catalog) -> list[dict]:
    """The 2561 applicants of a district (as dicts of the applicant sheet) that were not ready:
    no post round, or a post total below the standard's share (an approximation of the rule,
    enough to pick who applies again)."""
    head = last["ผู้สมัคร"][0]
    apps = [dict(zip(head, r, strict=True)) for r in last["ผู้สมัคร"][1:]]
    ids = last["คะแนน"][0][4:]
    post = {
        r[1]: dict(zip(ids, r[4:], strict=True)) for r in last["คะแนน"][1:] if r[2] == "หลังพัฒนา"
    }
    out = []
    for a in apps:
        std = catalog.standards[catalog.resolve_standard(a["มาตรฐาน"])]
        vals = post.get(a["รหัสผู้สมัคร"])
        share = 100 * sum(vals[i.id] for i in std.indicators) / std.full_total if vals else 0
        if share < std.rule.min_share_pct:
            out.append({**a, "standard": std.code})
    return out


def _units_2562(code: int, last: dict, cat61: Catalog, rng: random.Random) -> list[dict]:
    """The 2562 applicants of a district: 2561 units that were not ready and apply again (names
    drifted), then new units; none of the standard this district skips in 2562."""
    skip = YEAR_2562["missing_standard"].get(code)
    units = []
    for a in _not_ready_2561(last, cat61):
        if a["standard"] == skip or rng.random() > YEAR_2562["return_share"]:
            continue
        std, name, cid = a["standard"], a["ชื่อ"], a["เลขประจำตัวประชาชน"]
        if std == "leader":
            name = _leader_drift(name, rng)
            if cid is None:  # registered without an ID in 2561, with one now
                cid = make_citizen_id(f"3{code}{rng.randint(0, 9999999):07d}")
        else:
            name = _spelling_drift(name, std, rng)
        tambon = a["ตำบล"] if rng.random() < 0.8 else f"ต.{a['ตำบล']}"
        units.append(
            {
                "standard": std,
                "name": name,
                "cid": cid,
                "tambon": tambon,
                "moo": a["หมู่ที่"],
                "level": (0.50, 0.75),
            }
        )
    if code == YEAR_2562["split_group_district"]:
        first = next((u for u in units if u["standard"] == "group"), None)
        if first is not None:
            half = {**first, "name": first["name"].replace("บ้าน", "บ้าน ", 1), "moo": 1}
            units.append({**half, "level": (0.40, 0.70)})
    stds = [s for s in STANDARD_CODES if s != skip]
    missing = [s for s in stds if s not in {u["standard"] for u in units}]
    n_new = max(len(missing), rng.randint(2, 6))
    tbs = tambons(code)
    for std in missing + [rng.choice(stds) for _ in range(n_new - len(missing))]:
        tb, moo, village = rng.choice(tbs), rng.randint(1, 15), rng.choice(_VILLAGES)
        name, cid = {
            "leader": (_person(rng), make_citizen_id(f"1{code}{rng.randint(0, 9999999):07d}")),
            "group": (rng.choice(_GROUPS).format(v=village), None),
            "network": (f"เครือข่ายองค์กรชุมชนตำบล{tb}", None),
            "community": (f"บ้าน{village} หมู่ที่ {moo}", None),
        }[std]
        units.append(
            {
                "standard": std,
                "name": name,
                "cid": cid,
                "tambon": tb,
                "moo": moo,
                "level": (0.40, 0.70),
            }
        )
    return units


def _scores_2562(std: Standard, level: tuple[float, float], rng: random.Random):
    """Pre and post scores of one applicant (post None: not assessed after development)."""
    lv = rng.uniform(*level)
    pre = {
        i.id: min(i.full_marks, max(0.0, _round_half(i.full_marks * rng.gauss(lv, 0.08))))
        for i in std.indicators
    }
    trend = rng.uniform(-0.05, 0.30) if rng.random() < 0.85 else rng.uniform(-0.10, 0.0)
    post = {
        i.id: min(
            i.full_marks, max(0.0, _round_half(pre[i.id] + i.full_marks * rng.gauss(trend, 0.06)))
        )
        for i in std.indicators
    }
    return pre, (post if rng.random() > 0.13 else None)


def district_data_2562(
    code: int, catalog: Catalog, last: dict[str, list[list]], cat61: Catalog, rng: random.Random
) -> dict[str, list[list]]:
    """The rows (header first) of every sheet of one district in 2562, given its 2561 sheets."""
    d = load_province(60).districts[code]
    written = d.name_th if rng.random() < 0.7 else f"อำเภอ{d.name_th}"
    officers = [r[1] for r in last["พัฒนากร"][1:]]
    officers[-1] = _person(rng)  # one officer moved; the newcomer has no target yet
    workers = officers[:-1]
    units = _units_2562(code, last, cat61, rng)
    apps, scores, plans = [], [], []
    for i, u in enumerate(units, start=1):
        aid, std = f"2562-{code}-{i:03d}", catalog.standards[u["standard"]]
        applied = dt.date(2019, 5, rng.randint(2, 17))
        apps.append([written, aid, std.name_th, u["name"], u["cid"], u["tambon"], u["moo"],
                     workers[(i - 1) % len(workers)], to_be_date_str(applied), "ใช่"])  # fmt: skip
        pre, post = _scores_2562(std, u["level"], rng)
        scores.append(("ก่อนพัฒนา", aid, dt.datetime(2019, 6, rng.randint(4, 15)), pre))
        if post is not None:
            scores.append(("หลังพัฒนา", aid, dt.datetime(2019, 7, rng.randint(16, 31)), post))
        plans += [
            [written, aid, ind.id, f"พัฒนา{ind.name_th}", rng.choice(_METHODS), "มิ.ย.-ก.ค. 2562",
             rng.choice(_EXPERTS), rng.choice(_EVIDENCE)]
            for ind in std.indicators if pre[ind.id] < 0.6 * ind.full_marks
        ]  # fmt: skip
    ids = list(catalog.indicators)
    committee = [last["คณะอนุกรรมการ"][0], *([written, *r[1:]] for r in last["คณะอนุกรรมการ"][1:])]
    return {
        "ผู้สมัคร": [last["ผู้สมัคร"][0], *apps],
        "คะแนน": [
            last["คะแนน"][0][:4] + ids,
            *([written, aid, rnd, on, *[v.get(k) for k in ids]] for rnd, aid, on, v in scores),
        ],
        "พัฒนากร": [last["พัฒนากร"][0], *[[written, o, rng.choice(_POSITIONS)] for o in officers]],
        "คณะอนุกรรมการ": committee,
        "แผนพัฒนาตนเอง": [last["แผนพัฒนาตนเอง"][0], *plans],
    }


def write_sample_2562(out_dir: Path | None = None) -> list[Path]:
    """Write the 2562 sample workbooks: the same province a year later, with units returning
    from 2561 (the 2561 data is regenerated in memory from its own seed)."""
    out_dir = Path(out_dir) if out_dir is not None else config.sample_dir(2562)
    cat61, cat62 = load_catalog(year=2561), load_catalog(year=2562)
    province = load_province(60)
    paths = []
    for code in sorted(province.districts):
        last = district_data(code, cat61, random.Random(f"{SEED}-{code}"))
        rng = random.Random(f"{SEED_2562}-{code}")
        d = province.districts[code]
        data = district_data_2562(code, cat62, last, cat61, rng)
        p = out_dir / f"{code}_{_slug(d.name_en)}.xlsx"
        write_bytes(p, workbook_bytes(data, f"อำเภอ{d.name_th} จังหวัด{province.name_th}", year=2562))
        paths.append(p)
    return paths
