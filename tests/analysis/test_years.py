"""Comparing years: exact figures on the tiny two-year fixture computed by hand
(tests/years_fixture.py), the catalogs' mapping of renamed and renumbered indicators, the tidy
table of ``mchch compare``, the units file (IDs masked), and what a comparison depends on."""

from __future__ import annotations

import dataclasses
import math
import shutil

import pandas as pd
import pytest
import yaml

from mchch_lib import cli, config
from mchch_lib.analysis import matching, years
from mchch_lib.batch.context import RunContext
from mchch_lib.batch.plan import plan_jobs, run_fingerprint
from mchch_lib.data.catalog import load_catalog
from mchch_lib.data.params import comparison_digest, earlier_params, load_params
from mchch_lib.errors import CatalogError, MchchError
from tests.documents.test_sections import tiny_context
from tests.years_fixture import year_2561, year_2562

PLACE = {6007: "ตาคลี", 60: "นครสวรรค์"}


@pytest.fixture(scope="module")
def comp() -> years.Comparison:
    return years.compare(year_2562(), [year_2561(tiny_context())], PLACE, 60)


def _row(table: pd.DataFrame, **keys) -> pd.Series:
    m = pd.Series(True, index=table.index)
    for k, v in keys.items():
        m &= table[k] == v
    assert m.sum() == 1, keys
    return table[m].iloc[0]


def test_figures_by_year_computed_by_hand(comp):
    """2561: 2 applicants, both pre (56, 32), one post (78), ready. 2562: 3 applicants, pre
    62, 40, 90, post 85 and 72, both ready."""
    t = comp.total.set_index("year")
    assert list(t["registered"]) == [2, 3]
    assert list(t["post_assessed"]) == [1, 2]
    assert list(t["ready"]) == [1, 2]
    assert t.loc[2561, "mean_pre_pct"] == 44.0  # (56 + 32) / 2
    assert t.loc[2562, "mean_pre_pct"] == pytest.approx(64.0)  # (62 + 40 + 90) / 3
    assert t.loc[2561, "mean_post_pct"] == 78.0
    assert t.loc[2562, "mean_post_pct"] == 78.5  # (85 + 72) / 2
    assert list(t["share_ready_pct"]) == [100.0, 100.0]
    ch = comp.change(comp.total, ["standard"]).iloc[0]
    assert (ch["registered_change"], ch["ready_change"]) == (1, 1)
    assert ch["mean_post_pct_change"] == 0.5
    s = comp.by_standard
    assert _row(s, year=2561, standard="leader")["mean_post_pct"] == 78.0
    assert _row(s, year=2562, standard="leader")["mean_post_pct"] == 85.0
    assert _row(s, year=2561, standard="group")["mean_pre_pct"] == 32.0
    assert math.isnan(_row(s, year=2561, standard="group")["mean_post_pct"])  # no post round
    assert _row(s, year=2562, standard="group")["mean_post_pct"] == 72.0
    # a standard with nobody in a year: zeros and no means, never a missing row
    none = _row(s, year=2561, standard="community")
    assert (none["registered"], none["ready"]) == (0, 0) and math.isnan(none["mean_pre_pct"])
    assert _row(s, year=2562, standard="network")["registered"] == 0
    assert _row(s, year=2562, standard="community")["mean_pre_pct"] == 90.0


def test_renamed_and_renumbered_indicators_compare_correctly(comp):
    """2562's L9 is 2561's L8 (catalog mapping): 8/10 then 9/10. G5 is renamed: same id."""
    i = comp.by_indicator
    assert _row(i, year=2561, indicator="L9")["mean_post_pct"] == 80.0
    assert _row(i, year=2562, indicator="L9")["mean_post_pct"] == 90.0
    assert not (i["indicator"] == "L8").any()  # only this year's ids
    ch = comp.indicator_change.set_index("indicator")
    assert ch.loc["L9", "mean_post_pct_change"] == 10.0
    assert ch.loc["L9", "label"] == "L9 (ปี 2561: L8)"
    assert ch.loc["L4", "mean_post_pct_change"] == pytest.approx(100 * (13 - 12) / 15)
    assert ch.loc["G5", "name_th"] == (
        "การพัฒนาศักยภาพและทักษะดิจิทัลของสมาชิก (ปี 2561: การพัฒนาศักยภาพสมาชิก)"
    )
    assert math.isnan(ch.loc["G5", "mean_post_pct_last"])  # 2561's group had no post round
    assert ch.loc["G5", "mean_post_pct_now"] == 50.0
    assert ch.loc["L1", "label"] == "L1" and "C1" not in ch.index  # C: post in neither year


def test_indicators_weak_in_both_years(comp, monkeypatch):
    """Top 4 gaps. 2561: G8 80 (pre, nobody in post), G3 73.3, G6 73.3, G1 60 (first of five
    at 60). 2562: G5 50, G4 30, G7 30, G8 30. In both: G8."""
    monkeypatch.setattr(years, "WEAK_TOP", 4)
    w = dataclasses.replace(comp).weak_both_years  # a fresh object: not cached
    assert list(w["indicator_id"]) == ["G8"]
    r = w.iloc[0]
    assert (r["rank_last"], r["rank_now"]) == (1, 4)
    assert r["mean_gap_pct_last"] == pytest.approx(80.0) and r["round_used_last"] == "pre"
    assert r["mean_gap_pct_now"] == pytest.approx(30.0) and r["round_used_now"] == "post"


def test_returning_units_and_their_results(comp):
    u = comp.units.set_index("applicant_id")
    assert (u.loc["B-1", "method"], u.loc["B-1", "previous_applicant_id"]) == ("citizen_id", "A-1")
    assert (u.loc["B-2", "method"], u.loc["B-2", "previous_applicant_id"]) == ("name", "A-2")
    assert u.loc["B-3", "status"] == "new"
    assert u.loc["B-1", "previous_post_pct"] == 78.0 and u.loc["B-1", "post_pct"] == 85.0
    assert pd.isna(u.loc["B-2", "previous_post_pct"]) and u.loc["B-2", "post_pct"] == 72.0
    assert len(comp.returning) == 2 and comp.candidates.empty


def test_the_tidy_table(comp):
    t = comp.tidy()
    assert list(t.columns) == years.TIDY_COLUMNS
    assert set(t["level"]) == {"province", "district"} and set(t["year"]) == {2561, 2562}

    def value(level, code, standard, indicator, measure, year):
        return _row(t, level=level, code=code, standard=standard, indicator=indicator,
                    measure=measure, year=year)["value"]  # fmt: skip

    assert value("province", 60, "", "", "mean_post_pct", 2562) == 78.5
    assert value("district", 6007, "leader", "", "registered", 2561) == 1
    assert value("province", 60, "community", "", "registered", 2561) == 0
    assert pd.isna(value("province", 60, "community", "", "mean_post_pct", 2562))
    assert value("province", 60, "leader", "L9", "mean_post_pct", 2561) == 80.0
    assert value("province", 60, "", "", "returning", 2562) == 2
    assert value("district", 6007, "group", "", "returning", 2562) == 1
    assert set(t.loc[t["level"] == "province", "name"]) == {"นครสวรรค์"}


def test_certified_is_compared_where_the_final_round_exists():
    now, before = year_2562(), year_2561(tiny_context())
    now.applicants = now.applicants.assign(certified=[True, False, None])
    before.applicants = before.applicants.assign(certified=[False, None])
    c = years.compare(now, [before], PLACE, 60)
    assert "certified" in c.measures
    t = c.total.set_index("year")
    assert list(t["certified"]) == [0, 1]
    assert t.loc[2562, "share_certified_pct"] == 50.0  # 1 of 2 ready


def test_three_years_a_unit_found_two_years_back():
    y61 = year_2561(tiny_context())
    y60 = dataclasses.replace(y61, year=2560, catalog=dataclasses.replace(y61.catalog, year=2560))
    y61 = dataclasses.replace(y61, applicants=y61.applicants.iloc[:0])  # nobody in 2561
    c = years.compare(year_2562(), [y61, y60], PLACE, 60)
    assert c.years == [2560, 2561, 2562] and c.last_year == 2561
    u = c.units.set_index("applicant_id")
    assert (u.loc["B-1", "previous_year"], u.loc["B-1", "previous_applicant_id"]) == (2560, "A-1")
    assert c.id_maps[2560]["L8"] == "L9"  # 2562 -> 2561 (the mapping) -> 2560 (same ids)


# ---------------------------------------------------------------- catalog mapping (loader)
def _catalog(tmp_path, mutate):
    data = yaml.safe_load(config.catalog_path(2562).read_text(encoding="utf-8"))
    mutate(data)
    p = tmp_path / "c.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return p


def test_the_2562_catalog_maps_its_renumbered_indicator():
    cat = load_catalog(year=2562)
    assert (cat.previous_year, cat.previous_ids) == (2561, {"L9": "L8"})
    assert cat.earlier_id("L9") == "L8" and cat.earlier_id("G5") == "G5"
    m = years.indicator_map(cat, {2561: load_catalog(year=2561)})
    assert m[2561]["L8"] == "L9" and m[2561]["G5"] == "G5" and "L9" not in m[2561]


@pytest.mark.parametrize(
    "mutate,match",
    [
        (lambda d: d["previous"]["indicators"].update(X9="L1"), r"previous.indicators.X9: 'X9' is not"),
        (lambda d: d["previous"]["indicators"].update(L9="L7"),
         r"previous.indicators.L9: L7 and L9 would both be 2561's L7"),
        (lambda d: d["previous"].update(year=2562), r"previous.year: must be a year before 2562"),
        (lambda d: d["previous"].update(since=2561), r"previous: unknown key"),
    ],
)  # fmt: skip
def test_a_broken_mapping_names_the_file_and_entry(tmp_path, mutate, match):
    with pytest.raises(CatalogError, match=match):
        load_catalog(_catalog(tmp_path, mutate))


def test_a_new_indicator_and_an_unknown_earlier_id(tmp_path):
    new = load_catalog(_catalog(tmp_path, lambda d: d["previous"]["indicators"].update(G5=None)))
    m = years.indicator_map(new, {2561: load_catalog(year=2561)})
    assert "G5" not in m[2561]  # a new indicator: nothing to compare with
    bad = load_catalog(_catalog(tmp_path, lambda d: d["previous"]["indicators"].update(L9="Q8")))
    with pytest.raises(MchchError, match=r"\['Q8'\]"):
        years.indicator_map(bad, {2561: load_catalog(year=2561)})


# ---------------------------------------------------------------- params, keys, the command
def test_compare_with_is_checked_before_any_work(tmp_path):
    p = load_params("params/2562.yaml")
    assert [e.year for e in earlier_params(p)] == [2561]
    later = dataclasses.replace(p, year=2560)
    with pytest.raises(MchchError, match="ไม่ใช่ปีก่อน 2560"):
        earlier_params(later)
    elsewhere = dataclasses.replace(p, province_code=64)
    with pytest.raises(MchchError, match="province 60 is not 64"):
        earlier_params(elsewhere)
    assert comparison_digest(load_params("params/2561.yaml")) == ""


def test_the_comparison_key_follows_the_earlier_data_and_the_decisions(tmp_path, monkeypatch):
    data = tmp_path / "2561"
    shutil.copytree(config.sample_dir(2561), data)
    before = tmp_path / "2561.yaml"
    raw = yaml.safe_load((config.PARAMS_DIR / "2561.yaml").read_text(encoding="utf-8"))
    raw.update(inputs=[str(data)], catalog=str(config.catalog_path(2561)))
    before.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(config, "MATCHES_CSV", tmp_path / "matches.csv")
    p = dataclasses.replace(load_params("params/2562.yaml"), compare_with=(before,))
    k0 = comparison_digest(p)

    def report_keys():
        jobs = plan_jobs(RunContext(p), {6007: "its data"})
        return {j.id: j.key for j in jobs}, run_fingerprint({}, p, config.NOTEBOOKS_DIR, None)

    keys0 = report_keys()
    (data / "6007_takhli.xlsx").touch()
    assert comparison_digest(p) == k0 and report_keys() == keys0  # touched, not changed
    (data / "6001_mueang-nakhon-sawan.xlsx").unlink()
    k1 = comparison_digest(p)
    assert k1 != k0
    keys1 = report_keys()  # 2561 changed: every 2562 report is made again
    assert keys1[1] != keys0[1] and all(keys1[0][j] != keys0[0][j] for j in keys0[0])
    (tmp_path / "matches.csv").write_text(",".join(matching.DECISION_COLUMNS) + "\n", "utf-8")
    assert comparison_digest(p) != k1


def test_mchch_compare_writes_the_tidy_csv_and_the_units_masked(tmp_path, capsys):
    csv, units = tmp_path / "compare.csv", tmp_path / "units.csv"
    code = cli.main(["compare", "params/2562.yaml", "--with", "params/2561.yaml",
                     "--csv", str(csv), "--units", str(units)])  # fmt: skip
    assert code == 0
    out = capsys.readouterr().out
    assert "mchch compare 2562 with 2561" in out
    assert csv.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: opens right in Excel
    t = pd.read_csv(csv, encoding="utf-8-sig", keep_default_na=False)
    assert list(t.columns) == years.TIDY_COLUMNS
    c = years.comparison_for_params(load_params("params/2562.yaml"))
    prov = _row(t, level="province", standard="", indicator="", measure="registered", year=2562)
    assert float(prov["value"]) == len(c.applicants[c.applicants["year"] == 2562])
    u = pd.read_csv(units, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(u.columns) == years.UNIT_EXPORT_COLUMNS
    text = units.read_text(encoding="utf-8-sig")
    ids = [v for v in c.applicants["citizen_id"].dropna()]
    assert ids and not any(i in text for i in ids)  # no ID in full
    assert u["citizen_id"].str.fullmatch(r"(\d-\d{4}-xxxxx-xx-\d)?").all()
    split = u[u["applicant_id"] == "2562-6007-001"].iloc[0]
    assert (split["status"], split["method"]) == ("matched", "confirmed")  # matches.csv
    confirm = u[u["status"] == "to_confirm"]
    assert len(confirm) > confirm["applicant_id"].nunique()  # a row per candidate
    assert (confirm["decision"] == "").all()
