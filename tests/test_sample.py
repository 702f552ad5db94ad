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


# ---------------------------------------------------------------- the second year
def test_2562_is_byte_identical_and_matches_committed_files(tmp_path):
    from mchch_lib.sample import write_sample_2562

    a, b = write_sample_2562(tmp_path / "a"), write_sample_2562(tmp_path / "b")
    committed = config.sample_dir(2562)
    assert len(a) == 15
    for pa, pb in zip(a, b, strict=True):
        assert pa.read_bytes() == pb.read_bytes() == (committed / pa.name).read_bytes(), pa.name
    assert sorted(p.name for p in committed.glob("*.xlsx")) == sorted(p.name for p in a)


def test_2562_brings_units_back_with_their_names_spelt_otherwise():
    from mchch_lib import matching
    from mchch_lib.params import load_params
    from mchch_lib.sample import YEAR_2562

    p61, p62 = load_params("params/2561.yaml"), load_params("params/2562.yaml")
    before = dataset.load_for_params(p61)
    now = dataset.load_for_params(p62)
    assert not now.has_errors
    assert set(now.problems["rule"]) <= {"missing_round"}
    a = now.applicants
    assert (
        a["applied_on"].dt.year.eq(2019).all() and a["applicant_id"].str.startswith("2562-").all()
    )
    # one district without a standard it had in 2561
    ((code, std),) = YEAR_2562["missing_standard"].items()
    assert std in set(before.applicants.loc[before.applicants.district_code == code, "standard"])
    assert std not in set(a.loc[a.district_code == code, "standard"])
    # the renumbered indicator: L9 scored, L8 gone
    assert "L9" in set(now.scores["indicator_id"]) and "L8" not in set(now.scores["indicator_id"])
    units, cands = matching.match_units(a, before.applicants, 2562, 2561, matching.load_decisions())
    got = units.merge(a[["applicant_id", "name"]], on="applicant_id")
    got = got.merge(before.applicants[["applicant_id", "name"]], left_on="previous_applicant_id",
                    right_on="applicant_id", suffixes=("", "_2561"))  # fmt: skip
    assert len(got) >= 20 and set(got["method"]) >= {"citizen_id", "name", "confirmed"}
    drifted = got[(got["method"] == "name") & (got["name"] != got["name_2561"])]
    assert len(drifted) >= 10  # a prefix, spaces, an abbreviation, a slip
    assert (units["status"] == "new").sum() >= 30 and len(cands) > 0  # new units; some to confirm
