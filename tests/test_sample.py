"""The bundled sample is what the generator makes, byte for byte, and it is realistic."""

import datetime as dt
from pathlib import Path

import pytest

from mchch_lib import config, dataset
from mchch_lib.catalog import load_catalog
from mchch_lib.sample import NON_COMPLIANT, write_sample

SAMPLE = config.sample_dir(2561)


def test_generator_is_byte_identical_and_matches_committed_files(tmp_path):
    a = write_sample(tmp_path / "a")
    b = write_sample(tmp_path / "b")
    assert len(a) == 15
    for pa, pb in zip(a, b, strict=True):
        assert pa.read_bytes() == pb.read_bytes(), pa.name
        committed = SAMPLE / pa.name
        assert committed.read_bytes() == pa.read_bytes(), f"{pa.name}: rerun make sample"
    assert sorted(p.name for p in SAMPLE.glob("*.xlsx")) == sorted(p.name for p in a)


@pytest.fixture(scope="module")
def ds():
    return dataset.load([SAMPLE], deadline_41=dt.date(2018, 5, 18), use_cache=False)


def test_sample_is_clean_and_realistic(ds):
    assert not ds.has_errors
    assert set(ds.problems["rule"]) <= {"missing_round", "evidence_not_checked"}
    a = ds.applicants
    counts = a.groupby("district_code").size()
    assert len(counts) == 15 and counts.between(4, 12).all()
    stds = a.groupby("district_code")["standard"].nunique()
    missing = set(stds[stds < 4].index)
    assert missing == set(NON_COMPLIANT["missing_standard"]) and len(missing) >= 2
    committee = ds.committee.groupby("district_code").size()
    assert set(committee[~committee.between(5, 9)].index) == {6013}
    off = ds.officers.groupby("district_code").size()
    assert off.between(3, 6).all()
    no_target = [
        c
        for c in off.index
        if set(ds.officers.loc[ds.officers.district_code == c, "name"])
        - set(a.loc[a.district_code == c, "officer"])
    ]
    assert len(no_target) >= 12
    assert a["applicant_id"].is_unique
    cat = load_catalog()
    full = ds.scores["indicator_id"].map(lambda i: cat.indicators[i].full_marks)
    assert (ds.scores["score"] <= full).all() and (ds.scores["score"] >= 0).all()
    rounds = ds.scores.groupby("applicant_id")["round"].nunique()
    assert (rounds == 1).sum() >= 5  # some applicants have no post round yet
    pre = ds.scores[ds.scores["round"] == "pre"]
    share = pre["score"].sum() / full[pre.index].sum()
    assert 0.4 <= share <= 0.7
    assert Path(SAMPLE).stat().st_size < 1_000_000
    assert sum(p.stat().st_size for p in SAMPLE.glob("*")) < 1_000_000
