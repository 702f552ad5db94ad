"""Maps: the boundaries shipped with the package cover the reference, a map draws (with a
named warning) when the data and the map file disagree or nothing was sent, a unit's colour is
its figure's class in the legend, and the SVG keeps the names as text."""

from __future__ import annotations

import copy
import dataclasses
import warnings

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgba

from mchch_lib import config
from mchch_lib.data import boundaries
from mchch_lib.data.reference import national_districts, provinces
from mchch_lib.documents import display, maps, report

#: Rows of the old district table that are municipalities, not districts (no boundary); the
#: DOPA 928 reference and the map file have neither.
MUNICIPALITIES = {7074, 9077}


@pytest.fixture(scope="module")
def ctx():
    return report.province_context(config.PARAMS_DIR / "2561.yaml")


def _variant(ctx, **cached):
    """A copy of the context with some of its tables replaced (the hostile input)."""
    c = copy.copy(ctx)
    c.__dict__.update(cached)
    return c


def _patch_colours(fig) -> dict[int, tuple]:
    ax = fig.axes[0]
    return {
        int(p.get_gid().split("-")[1]): p.get_facecolor()
        for p in ax.patches
        if (p.get_gid() or "").startswith("unit-")
    }


def _legend_colours(fig) -> dict[str, tuple]:
    leg = fig.legends[0]
    return {t.get_text(): h.get_facecolor() for t, h in zip(leg.texts, leg.legend_handles,
                                                              strict=True)}  # fmt: skip


# ---------------------------------------------------------------- the boundaries
def test_every_district_and_province_of_the_reference_has_a_shape():
    districts = boundaries.shapes("district")
    assert len(districts) == 928
    # the DOPA 928: every code has a shape, and no shape is without a code (5025
    # กัลยาณิวัฒนา, a district since 2009, in both; the municipalities 7074/9077 in neither)
    assert set(districts) == set(national_districts())
    assert 5025 in districts and not MUNICIPALITIES & set(districts)
    for code, d in national_districts().items():  # a real shape, found by its province
        assert code in boundaries.district_shapes(d.province_code), code
        assert max(abs(boundaries._area(p[0])) for p in districts[code].polygons) > 0, code
    assert set(boundaries.shapes("province")) == set(provinces())
    assert len(boundaries.shapes("province")) == 77
    assert sorted(boundaries.district_shapes(60)) == list(range(6001, 6016))
    north = boundaries.province_shapes(region_en="Northern")
    assert north and all(provinces()[c].region_en == "Northern" for c in north)


def test_boundaries_are_read_once_and_names_come_from_the_reference():
    assert boundaries.shapes("district") is boundaries.shapes("district")
    gj = boundaries.geojson("district", [8001])  # the map file cuts this name short
    (feature,) = gj["features"]
    assert feature["properties"]["name_th"] == national_districts()[8001].name_th
    s = boundaries.shapes("district")[6007]
    assert boundaries.contains(max(s.rings, key=len), s.label_point)


def test_the_notice_ships_with_the_boundaries():
    notice = (boundaries.MAPS_DIR / "NOTICE").read_text(encoding="utf-8")
    assert "CC BY 3.0 IGO" in notice and "mapthai" in notice and "MIT" in notice
    readme = (config.PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert "th_adm2.geojson" in readme.split("## Reference data attribution")[1]


# ---------------------------------------------------------------- classes and colours
def test_classes_are_half_open_with_the_last_closed():
    k = maps.classify([0, 49.99, 50, 59.99, 60, 89.99, 90, 100, np.nan], "post_pct")
    assert k.tolist() == [0, 0, 1, 1, 2, 4, 5, 5, -1]
    f = maps.FIGURES["post_pct"]
    assert f.labels[0] == "< 50" and f.labels[1] == "50–<60" and f.labels[-1] == "90–100"
    assert len(set(f.colours)) == len(f.labels)  # every class its own colour
    r = maps.classify([99.9, 100], "reporting_pct")
    assert [maps.FIGURES["reporting_pct"].labels[i] for i in r] == ["75–<100", "100"]


def test_the_colour_of_a_district_is_its_class_in_the_legend(ctx):
    # a value in every class, one district with data but no value, one that sent nothing
    t = ctx.by_district.copy()
    t["mean_post_pct"] = np.r_[[10, 55, 65, 75, 85, 95, 50, 60, 70, 80, 90, 100, np.nan],
                               [72.0] * (len(t) - 13)]  # fmt: skip
    done = ctx.completeness.copy()
    done.loc[done["district_code"] == 6015, "has_data"] = False
    c = _variant(ctx, by_district=t, completeness=done)
    table = maps.values(c, "post_pct")
    fig = maps.choropleth(c, "post_pct")
    patches, legend = _patch_colours(fig), _legend_colours(fig)
    assert set(patches) == set(range(6001, 6016))
    for row in table.itertuples():
        if row.class_index >= 0:
            assert patches[row.code] == legend[row.class_label], row
            assert patches[row.code] == to_rgba(row.colour)
    assert table.set_index("code").loc[6015, "sent"] == False  # noqa: E712
    assert patches[6015] == legend[maps.NOT_SENT_TH] == to_rgba("white")
    assert maps.NO_VALUE_TH in legend  # 6013 sent data with no post score


# ---------------------------------------------------------------- the data and the map disagree
def test_a_district_with_data_but_no_shape_draws_with_a_warning(ctx):
    t = pd.concat([ctx.by_district, ctx.by_district.iloc[[0]].assign(district_code=6099)])
    done = pd.concat([ctx.completeness, ctx.completeness.iloc[[0]].assign(district_code=6099)])
    c = _variant(ctx, by_district=t, completeness=done)
    with pytest.warns(maps.MapWarning, match=r"6099 ไม่มีขอบเขต.*no boundary for 6099"):
        fig = maps.choropleth(c, "post_pct")
    assert 6099 in set(maps.values(c)["code"]) and 6099 not in _patch_colours(fig)
    assert "6099" in display._svg(fig, "none")  # the caption names it


def test_a_shape_with_no_district_of_the_reference_is_drawn_missing_with_a_warning(ctx):
    prov = dataclasses.replace(ctx.province, districts={
        c: d for c, d in ctx.province.districts.items() if c != 6015})  # fmt: skip
    c = _variant(ctx, by_district=ctx.by_district[ctx.by_district["district_code"] != 6015],
                 completeness=ctx.completeness[ctx.completeness["district_code"] != 6015])  # fmt: skip
    c.province = prov
    with pytest.warns(maps.MapWarning, match=r"ขอบเขต 6015 ไม่มีในตารางอ้างอิง.*6015 is not in"):
        fig = maps.choropleth(c, "post_pct")
    assert _patch_colours(fig)[6015] == to_rgba("white")


def test_a_province_where_nothing_was_sent_draws_with_a_warning(ctx):
    c = _variant(ctx, by_district=ctx.by_district.iloc[:0],
                 completeness=ctx.completeness.assign(has_data=False, applicants=0))  # fmt: skip
    with pytest.warns(maps.MapWarning, match=r"ไม่มีอำเภอใดส่งข้อมูล.*no unit sent data"):
        fig = maps.choropleth(c, "ready_pct")
    assert set(_patch_colours(fig).values()) == {to_rgba("white")}
    assert maps.values(c, "ready_pct")["colour"].isna().all()


def test_a_province_of_one_district_draws(ctx):
    table = maps.values(ctx, "post_pct").head(1)
    shape = boundaries.shapes("district")[6001]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing to warn of
        fig = maps.draw(table, {6001: shape}, "post_pct", "หนึ่งอำเภอ")
    assert list(_patch_colours(fig)) == [6001]
    assert "เมืองนครสวรรค์" in display._svg(fig, "none")


# ---------------------------------------------------------------- the output
def test_the_svg_keeps_the_names_as_text_and_is_small(ctx):
    fig = maps.choropleth(ctx, "post_pct")
    svg = display._svg(fig, "none")
    assert svg.count("<text") > 15
    names = [d.name_th for d in ctx.province.districts.values()]
    assert all(n in svg for n in names)  # written on the map or in the key
    assert "ไม่ส่งข้อมูล" in svg and "ครีเอทีฟคอมมอนส์ แสดงที่มา 3.0" in svg
    assert len(svg.encode()) < 300_000
    assert 'id="unit-6007"' in svg


def test_national_maps_shade_the_provinces_and_outline_the_regions(tmp_path):
    from tests.analysis.test_national import national_params, write_district

    for code in (1501, 1502, 1701):
        write_district(tmp_path / "in", code, n=3)
    nation = report.national_context(national_params(tmp_path, tmp_path / "in", [15, 17, 60]))
    for figure in ("post_pct", "reporting_pct"):
        with warnings.catch_warnings():
            warnings.simplefilter("error", maps.MapWarning)  # the map file has all 77
            fig = maps.choropleth(nation, figure)
        table = maps.values(nation, figure).set_index("code")
        patches, legend = _patch_colours(fig), _legend_colours(fig)
        assert len(patches) == 77 and fig.axes[0].collections  # the regions' outline
        assert patches[60] == patches[10] == legend[maps.NOT_SENT_TH]  # sent nothing
        for code in (15, 17):
            assert patches[code] == legend[table.loc[code, "class_label"]]
        # 60 in the run sent nothing; the 74 out of the run are drawn as not sent, not blank
        hatched = {int(p.get_gid()[5:]) for p in fig.axes[0].patches if p.get_hatch()}
        assert hatched == set(provinces()) - {15, 17}
        assert not table.loc[list(hatched), "sent"].any() and table.loc[[15, 17], "sent"].all()
        assert "รอบนี้ประมวลผล 3 จาก 77 จังหวัด จังหวัดอื่นแสดงเป็นไม่ส่งข้อมูล" in fig.texts[-1].get_text()
    assert table.loc[15, "value"] == pytest.approx(100 * 2 / provinces()[15].n_districts)


def test_a_province_held_back_is_drawn_not_sent_and_named(tmp_path, monkeypatch):
    from mchch_lib.data import national_inputs
    from tests.analysis.test_national import national_params, write_district

    for code in (1501, 1701):
        write_district(tmp_path / "in", code, n=3)
    load = national_inputs.load_national

    def held_back_17(params):
        nd = load(params)
        nd.hold_back(17, 4)  # as a national run does with a province whose data has errors
        return nd

    monkeypatch.setattr(national_inputs, "load_national", held_back_17)
    nation = report.national_context(national_params(tmp_path, tmp_path / "in"))
    with warnings.catch_warnings():
        warnings.simplefilter("error", maps.MapWarning)
        fig = maps.choropleth(nation, "post_pct")
    table = maps.values(nation, "post_pct").set_index("code")
    assert table["sent"].sum() == 1 and table.loc[15, "sent"]  # all 77 in the run; 17 held
    hatch = {int(p.get_gid()[5:]): p.get_hatch() for p in fig.axes[0].patches}
    assert hatch[17] == maps.MISSING_HATCH and hatch[15] is None
    caption = fig.texts[-1].get_text()
    assert "ยังไม่รวมในแผนที่ (แสดงเป็นไม่ส่งข้อมูล): สิงห์บุรี" in caption
    assert "รอบนี้ประมวลผล" not in caption  # the run covered the country
