"""The national scope: params ``provinces``, each workbook placed in its province, completeness
(reporting rate), the one roll-up at every level, the national sample."""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd
import pytest
import yaml

from mchch_lib import config, sample
from mchch_lib.analysis import completeness, scoring
from mchch_lib.analysis import rollup as levels
from mchch_lib.common.atomic import write_bytes
from mchch_lib.data import national_inputs as national
from mchch_lib.data.catalog import load_catalog
from mchch_lib.data.ingest import DEFAULT_LIMITS, discover
from mchch_lib.data.params import load_params, province_params
from mchch_lib.errors import ParamsError


def write_district(folder: Path, code: int, n: int = 3, written: str | None = None,
                   name: str | None = None) -> Path:  # fmt: skip
    """A district workbook of the national sample's kind (``n`` applicants); ``written``: the
    district as the clerk wrote it on every row; ``name``: the file name."""
    catalog = load_catalog(year=2561)
    data = sample.district_data(code, catalog, random.Random(f"test-{code}"), n)
    if written is not None:
        for sheet in data.values():
            for row in sheet[1:]:
                row[0] = written
    path = folder / (name or f"{code}_d.xlsx")
    write_bytes(path, sample.workbook_bytes(data, f"อำเภอ {code}"))
    return path


def national_params(tmp: Path, inputs: Path, provinces="all", **output) -> Path:
    raw = yaml.safe_load((config.PARAMS_DIR / "national-2561.yaml").read_text(encoding="utf-8"))
    raw |= {"provinces": provinces, "inputs": [str(inputs)],
            "catalog": str(config.catalog_path(2561)),
            "output": {**raw["output"], "dir": str(tmp / "reports"), **output}}  # fmt: skip
    path = tmp / "national.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


# ---------------------------------------------------------------- params
def test_province_code_is_as_before_and_provinces_is_the_national_scope(tmp_path):
    one = load_params(config.PARAMS_DIR / "2561.yaml")
    assert (one.province_code, one.provinces, one.is_national) == (60, (), False)
    p = load_params(national_params(tmp_path, tmp_path))
    assert p.is_national and p.province_code is None and len(p.provinces) == 77
    p = load_params(national_params(tmp_path, tmp_path, provinces=[60, 30]))
    assert p.provinces == (30, 60)


@pytest.mark.parametrize(
    "change, match",
    [
        ({"province_code": 60}, "exactly one of province_code"),
        ({"provinces": [60, 99]}, r"no province has code \[99\]"),
        ({"provinces": "some"}, "invalid parameters"),
        ({"compare_with": ["params/2561.yaml"]}, "compare_with is for one province"),
    ],
)
def test_a_wrong_scope_stops_before_any_work(tmp_path, change, match):
    raw = yaml.safe_load(national_params(tmp_path, tmp_path).read_text(encoding="utf-8"))
    (tmp_path / "p.yaml").write_text(yaml.safe_dump(raw | change, allow_unicode=True))
    with pytest.raises(ParamsError, match=match):
        load_params(tmp_path / "p.yaml")


def test_neither_province_code_nor_provinces_is_an_error(tmp_path):
    raw = yaml.safe_load(national_params(tmp_path, tmp_path).read_text(encoding="utf-8"))
    del raw["provinces"]
    (tmp_path / "p.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True))
    with pytest.raises(ParamsError, match="exactly one of province_code"):
        load_params(tmp_path / "p.yaml")


def test_a_province_of_a_national_run_is_a_run_of_that_province_alone(tmp_path):
    p = load_params(national_params(tmp_path, tmp_path, provinces=[15, 17]))
    pp = province_params(p, 15, [tmp_path / "a.xlsx"])
    assert pp.province_code == 15 and not pp.is_national
    assert pp.output_dir == (tmp_path / "reports" / "provinces" / "15_อ่างทอง").resolve()
    assert pp.office_th == "สำนักงานพัฒนาชุมชนจังหวัดอ่างทอง"
    assert pp.inputs == ((tmp_path / "a.xlsx").resolve(),)


# ---------------------------------------------------------------- placing workbooks
def test_each_workbook_is_placed_by_the_districts_it_names(tmp_path):
    write_district(tmp_path / "all", 1501)  # its rows name อ่างทอง's districts
    write_district(tmp_path / "all", 1701, written="อ.เมือง", name="1701_mueang.xlsx")
    write_district(tmp_path / "all" / "15_ang-thong", 1502, written="อ.เมือง", name="x.xlsx")
    write_district(tmp_path / "all" / "misc", 1503, written="อ.เมือง", name="y.xlsx")
    write_district(tmp_path / "all", 6007)  # นครสวรรค์: not in the run
    sources = discover([tmp_path / "all"])
    placed = national.place(sources, (15, 17), DEFAULT_LIMITS)
    by_name = {Path(s.label).name: (c, placed.how[s.label])
               for c, v in placed.provinces.items() for s in v}  # fmt: skip
    assert by_name == {
        "1501_d.xlsx": (15, "rows"),
        "1701_mueang.xlsx": (17, "file name"),  # "อ.เมือง" is every province's capital
        "x.xlsx": (15, "folder"),
    }
    assert [Path(s.label).name for s in placed.unplaced] == ["y.xlsx"]
    assert [Path(s.label).name for s in placed.outside[60]] == ["6007_d.xlsx"]


def test_a_workbook_placed_before_is_not_read_again_until_it_changes(tmp_path, monkeypatch):
    from mchch_lib.data.ingest import source_digests

    monkeypatch.setattr(config, "PROCESSED_DIR", tmp_path / "cache")
    write_district(tmp_path / "all", 1501)
    write_district(tmp_path / "all" / "15_ang-thong", 1502, written="อ.เมือง", name="x.xlsx")
    sources = discover([tmp_path / "all"])

    def placed(read: list):
        real = national.province_of

        def spy(src, limits):
            read.append(Path(src.label).name)
            return real(src, limits)

        monkeypatch.setattr(national, "province_of", spy)
        digests = {s.label: source_digests([s]) for s in sources}
        return national.place(sources, (15,), DEFAULT_LIMITS, digests=digests)

    first, again = [], []
    a = placed(first)
    b = placed(again)
    assert sorted(first) == ["1501_d.xlsx", "x.xlsx"] and again == []
    assert a.how == b.how == {s.label: h for s, h in zip(sources, ("rows", "folder"), strict=True)}
    assert [s.label for s in b.provinces[15]] == [s.label for s in a.provinces[15]]
    write_district(tmp_path / "all", 1501, n=2)  # edited: read again, the other not
    changed = []
    placed(changed)
    assert changed == ["1501_d.xlsx"]
    (tmp_path / "cache" / national.PLACEMENT_CACHE).write_text("{not json", encoding="utf-8")
    broken = []
    assert placed(broken).how == a.how and sorted(broken) == ["1501_d.xlsx", "x.xlsx"]


def test_a_workbook_nothing_places_is_named_row_by_row(tmp_path):
    write_district(tmp_path / "in", 1501)
    write_district(tmp_path / "in" / "misc", 1503, written="อำเภอที่ไม่มี", name="y.xlsx")
    nd = national.load_national(load_params(national_params(tmp_path, tmp_path / "in", [15])))
    assert nd.codes == [15] and len(nd.dataset(15).applicants) == 3
    unplaced = nd.unplaced.problems
    assert set(unplaced["rule"]) >= {"unknown_district"} and unplaced["row"].notna().all()
    assert nd.unplaced.files == ["misc/y.xlsx"] or nd.unplaced.files[0].endswith("misc/y.xlsx")


def test_a_province_reads_as_its_own_run(tmp_path):
    """The national run's data of a province is what a run of that province alone reads:
    the same clean tables and the same cache key."""
    from mchch_lib.data import dataset

    write_district(tmp_path / "in", 1501)
    write_district(tmp_path / "in", 1701)
    params = load_params(national_params(tmp_path, tmp_path / "in", [15, 17]))
    nd = national.load_national(params)
    alone = dataset.load([tmp_path / "in" / "1501_d.xlsx"], params.catalog, 15,
                         params.deadline_41, deadline_42=params.deadline_42)  # fmt: skip
    assert nd.keys[15] == alone.key
    pd.testing.assert_frame_equal(nd.dataset(15).applicants, alone.applicants)


def test_reading_in_processes_places_and_loads_as_one_process(tmp_path, monkeypatch):
    """Placement and validation in a pool of processes give what one process gives: each
    input in its province, the same keys, the same clean tables."""
    from mchch_lib import config
    from mchch_lib.data import dataset

    for code in (1501, 1502, 1701):
        write_district(tmp_path / "in", code, n=4)
    write_district(tmp_path / "in" / "misc", 1503, written="อำเภอที่ไม่มี", name="y.xlsx")
    params = load_params(national_params(tmp_path, tmp_path / "in", [15, 17]))
    got = {}
    for n in (2, 1):  # each cold: a cache of its own, nothing in memory
        monkeypatch.setattr(config, "PROCESSED_DIR", tmp_path / f"cache{n}")
        monkeypatch.setattr(dataset, "_MEMO", dataset.Memo(8))
        got[n] = national.load_national(params, processes=n)
    two, one = got[2], got[1]
    assert two.keys == one.keys and two.placement.how == one.placement.how
    assert [s.label for s in two.placement.unplaced] == [s.label for s in one.placement.unplaced]
    for code in (15, 17):
        pd.testing.assert_frame_equal(two.dataset(code).applicants, one.dataset(code).applicants)
    assert set(two.datasets) == {15, 17}  # both validated in the pool, none from the cache


# ---------------------------------------------------------------- completeness and roll-ups
def test_completeness_counts_expected_districts_against_those_with_data(tmp_path):
    write_district(tmp_path / "in", 1501, n=3)  # three applicants: one standard missing
    write_district(tmp_path / "in", 1502, n=6)
    nd = national.load_national(load_params(national_params(tmp_path, tmp_path / "in", [15, 17])))
    t = completeness.district_table({c: nd.dataset(c) for c in nd.codes}, nd.scope)
    assert len(t) == 7 + 6  # every district of อ่างทอง and สิงห์บุรี, from the reference
    by = completeness.rollup(t, ["province_code"]).set_index("province_code")
    assert by.loc[15, ["expected", "with_data", "without_data"]].tolist() == [7, 2, 5]
    assert by.loc[17, ["expected", "with_data"]].tolist() == [6, 0]
    assert by.loc[15, "reporting_rate_pct"] == pytest.approx(100 * 2 / 7)
    assert by.loc[15, "districts_missing_a_standard"] == 1
    whole = completeness.rollup(t).iloc[0]
    assert (whole["expected"], whole["with_data"]) == (13, 2)
    assert "1503" in whole["districts_without_data"]


def test_every_level_is_the_one_roll_up(tmp_path):
    """levels.rollup at the province and region levels gives exactly scoring.summarize
    grouped by the level's column: no copy per level."""
    for code in (1501, 1502, 1701):
        write_district(tmp_path / "in", code, n=5)
    params = load_params(national_params(tmp_path, tmp_path / "in", [15, 17]))
    nd = national.load_national(params)
    s = levels.NationalScores(nd, load_catalog(params.catalog))
    a = s.applicants
    for name in ("province", "region"):
        lv = levels.LEVELS[name]
        got = levels.rollup(a, lv).drop(columns="name_th")
        want = scoring.summarize(a, by=[lv.key])
        want[lv.key] = want[lv.key].astype(int)
        pd.testing.assert_frame_equal(got, want)
    # a province's figures in the national tables are those of its own run
    own = scoring.summarize(scoring.applicant_scores(nd.dataset(15), s.catalog)).iloc[0]
    tidy = levels.tidy_tables(s)["province"]
    row = tidy[(tidy["province_code"] == 15) & (tidy["standard"] == "all")].iloc[0]
    assert row["registered"] == own["registered"] == 10
    assert row["mean_post_pct"] == pytest.approx(own["mean_post_pct"])
    assert set(levels.tidy_tables(s)) == {"nation", "region", "province", "district"}


# ---------------------------------------------------------------- the national sample
def test_the_national_sample_is_deterministic_and_has_its_gaps(tmp_path):
    layout = sample.national_layout()
    missing = sample.NATIONAL["missing_province"]
    assert missing not in layout and len(layout) == 76
    n = sum(len(v) for v in layout.values())
    assert 880 <= n < 928  # a few districts send nothing
    assert layout[60] == list(range(6001, 6016))  # Nakhon Sawan: the 2561 sample itself
    a = sample._national_district((3001, tmp_path, sample.SEED))
    b = sample._national_district((3001, tmp_path, sample.SEED))
    assert a == b and a[0].name == "3001_mueang-nakhon-ratchasima.xlsx"
    same = sample._national_district((6007, tmp_path, sample.SEED))[1]
    assert same == (config.sample_dir(2561) / "6007_takhli.xlsx").read_bytes()
