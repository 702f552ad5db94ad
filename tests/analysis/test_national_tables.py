"""The national figures' per-province parts kept as one table per kind (issue 28): the same
tables as concatenating every part, and a rerun re-scores only the province whose data
changed."""

import pandas as pd
import pytest

from mchch_lib import config
from mchch_lib.analysis import national_tables

NAMES = ("applicants", "problems")


def _part(code: int, version: int) -> dict[str, pd.DataFrame]:
    n = 0 if code == 30 else 2  # province 30: no applicant at all
    apps = pd.DataFrame(
        {
            "applicant_id": pd.Series([f"{code}-{i}" for i in range(n)], dtype="string"),
            "post_pct": [code + i + version / 10 for i in range(n)],
        }
    )
    probs = pd.DataFrame({"rule": pd.Series([f"r{code}"], dtype="string")})
    return {"applicants": apps, "problems": probs}


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "PROCESSED_DIR", tmp_path)
    return tmp_path


def _expected(codes, versions):
    parts = [_part(c, versions[c]) for c in codes]
    out = {}
    for n in NAMES:
        frames = [p[n] for p in parts if len(p[n])]
        out[n] = pd.concat(frames, ignore_index=True)
    return out


def test_kept_tables_equal_the_parts_and_an_edit_rescores_one_province(cache):
    versions = {10: 0, 30: 0, 60: 0}
    calls = []

    def part_of(code):
        calls.append(code)
        return _part(code, versions[code])

    keys = {c: f"k{c}-{v}" for c, v in versions.items()}
    first = national_tables.gather(keys, NAMES, part_of, "scope")
    assert calls == [10, 30, 60]
    for n in NAMES:
        pd.testing.assert_frame_equal(first[n], _expected([10, 30, 60], versions)[n])
    calls.clear()
    again = national_tables.gather(keys, NAMES, part_of, "scope")
    assert calls == []  # every part held: nothing read one by one
    for n in NAMES:
        pd.testing.assert_frame_equal(again[n], first[n])
    versions[60] = 1  # one province edited: its data key changes
    keys = {c: f"k{c}-{v}" for c, v in versions.items()}
    edited = national_tables.gather(keys, NAMES, part_of, "scope")
    assert calls == [60]
    assert edited["applicants"]["post_pct"].tolist() == [10.0, 11.0, 60.1, 61.1]
    for n in NAMES:
        pd.testing.assert_frame_equal(edited[n], _expected([10, 30, 60], versions)[n])
    kept = sorted(p.name for p in (cache / "national_tables" / "scope").glob("*.parquet"))
    assert len(kept) == 2  # the older version removed


def test_a_damaged_version_falls_back_to_the_parts(cache):
    keys = {10: "a", 60: "b"}
    national_tables.gather(keys, NAMES, lambda c: _part(c, 0), "s")
    for p in (cache / "national_tables" / "s").glob("*.parquet"):
        p.unlink()  # removed by another worker meanwhile
    calls = []
    got = national_tables.gather(keys, NAMES, lambda c: calls.append(c) or _part(c, 0), "s")
    assert calls == [10, 60]
    assert got["problems"]["rule"].tolist() == ["r10", "r60"]
