"""Every chart renders on the sample data with warnings as errors (a missing Thai glyph fails),
and the tables feeding the charts hold the expected figures."""

import datetime as dt
import warnings

import pytest
from matplotlib.figure import Figure

from mchch_lib import config
from mchch_lib.analysis import final_round, scoring
from mchch_lib.common.fonts import FAMILY, register_fonts
from mchch_lib.data import dataset
from mchch_lib.data.catalog import load_catalog
from mchch_lib.data.reference import load_province
from mchch_lib.documents import charts


@pytest.fixture(scope="module")
def tables(catalog):
    ds = dataset.load([config.sample_dir(2561)], catalog, 60, dt.date(2018, 5, 18))
    ind = scoring.indicator_scores(ds, catalog)
    return ds, ind, scoring.applicant_scores(ds, catalog, ind)


def _render_all(ds, ind, a):
    names = {c: d.name_th for c, d in load_province(60).districts.items()}
    d = ds.for_district(6007)
    a7 = a[a["district_code"] == 6007]
    figs = [charts.pre_post_full(a7, std, 70) for std in sorted(set(a7["standard"]))]
    figs += [
        charts.pre_post_full(a7),
        charts.gap_by_indicator(scoring.indicator_gaps(ind[ind.district_code == 6007], by=())),
        charts.stage_progress(scoring.stage_counts(d, a7)),
        charts.gap_heatmap(scoring.indicator_gaps(ind), names),
        charts.district_comparison(scoring.summarize(a, by=["district_code"]), names),
        charts.rating_difference(
            final_round.rating_comparison(final_round.results(ds, load_catalog(year=2561), a)),
            names,
        ),
        charts.rating_difference(
            final_round.rating_comparison(a.iloc[0:0].assign(difference=[], rating=[])), names
        ),  # fmt: skip
    ]
    return figs


def test_every_chart_renders_without_warnings(tables, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font(s)" becomes an error
        figs = _render_all(*tables)
        for i, fig in enumerate(figs):
            assert isinstance(fig, Figure)
            svg = charts.figure_to_svg(fig)
            assert "<svg" in svg and "font-family" in svg and "Sarabun" in svg
            assert "<image" not in svg  # vectors only, no embedded bitmap
            png = charts.save_figure(fig, tmp_path / f"c{i}.png")
            assert png.stat().st_size > 5000


def test_missing_glyph_fails_loudly():
    register_fonts()
    fig = charts._figure(3, 2)
    fig.add_subplot().set_title("\u0f00 Tibetan is not in Sarabun")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(UserWarning, match="missing from font"):
            charts.figure_to_svg(fig)


def test_png_below_150_dpi_is_refused(tmp_path):
    with pytest.raises(ValueError, match="150 dpi"):
        charts.save_figure(Figure(), tmp_path / "x.png", dpi=72)


def test_house_font_is_the_bundled_sarabun():
    import matplotlib as mpl
    from matplotlib import font_manager

    register_fonts()
    assert mpl.rcParams["font.family"] == [FAMILY]
    path = font_manager.findfont(FAMILY, fallback_to_default=False)
    assert path.startswith(str(config.FONTS_DIR))


def test_tables_feeding_the_charts(tables):
    ds, ind, a = tables
    st = scoring.stage_counts(ds, a).set_index("stage")["n"]
    assert st["registered"] == len(ds.applicants) == 112
    assert st["registered"] >= st["pre_assessed"] >= st["post_assessed"] >= st["ready"]
    heat = scoring.indicator_gaps(ind)
    assert heat["mean_gap_pct"].between(0, 100).all()
    missing = heat[(heat["district_code"] == 6004) & (heat["standard"] == "network")]
    assert missing.empty  # 6004 has no network applicant: a blank cell, not a zero
    comp = scoring.summarize(a, by=["district_code"])
    assert len(comp) == 15 and comp["mean_post_pct"].between(0, 100).all()


def test_short_labels_never_cut_a_thai_cluster():
    s = charts._short("กลุ่มออมทรัพย์เพื่อการผลิตบ้านหนองโพ", 12)
    assert s.endswith("…") and len(s) <= 12
    import unicodedata

    # the character after the cut is never a combining mark left behind
    full = "กลุ่มออมทรัพย์เพื่อการผลิตบ้านหนองโพ"
    assert unicodedata.category(full[len(s) - 1]) != "Mn"


def test_thai_digits_setting_reaches_the_charts(tables):
    ds, ind, a = tables
    a7 = a[a["district_code"] == 6007]
    charts.use_thai_digits(True)
    try:
        svg = charts.figure_to_svg(charts.stage_progress(scoring.stage_counts(ds, a7)))
    finally:
        charts.use_thai_digits(False)
    assert "๗ (๑๐๐%)" in svg  # bar labels
    assert ">๐<" in svg or "๐</text>" in svg  # axis ticks
    plain = charts.figure_to_svg(charts.stage_progress(scoring.stage_counts(ds, a7)))
    assert "7 (100%)" in plain and "๐" not in plain


def test_year_over_year_charts_draw_the_comparisons_rows():
    from mchch_lib.documents import report

    ctx = report.province_context(config.PARAMS_DIR / "2562.yaml")
    c = ctx.comparison
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        counts = charts.year_counts(ctx.year_counts, c.years)
        post = charts.year_post(ctx.year_post, c.last_year, c.year)
        dist = charts.year_districts(ctx.year_districts, c.last_year, c.year)
        for fig in (counts, post, dist):
            svg = charts.figure_to_svg(fig)
            assert "<image" not in svg and "ปี 2561" in svg and "ปี 2562" in svg
    # bars: one per standard and year, the labels the comparison's counts
    bars = [int(t.get_text()) for t in counts.axes[0].texts]
    s = c.by_standard
    assert sorted(bars) == sorted(s["registered"])
    # dumbbells: this year's value and the change written beside each standard, all first
    labels = [t.get_text() for t in post.axes[0].get_yticklabels()][::-1]
    assert labels == ["ทุกมาตรฐาน", "ผู้นำชุมชน", "กลุ่มองค์กรชุมชน", "เครือข่ายองค์กรชุมชน", "ชุมชน"]
    t = c.change(c.total, ["standard"]).iloc[0]
    first = f"{t['mean_post_pct_now']:.0f} ({t['mean_post_pct_change']:+.1f})"
    assert first in [x.get_text() for x in post.axes[0].texts]
    # districts in the order of the ranking by change
    ranked = [x.get_text() for x in dist.axes[0].get_yticklabels()][::-1]
    assert ranked == list(c.districts_by_change["district_th"])


def test_rating_chart_reads_the_comparison_table(tables):
    ds, _ind, a = tables
    cmp = final_round.rating_comparison(final_round.results(ds, load_catalog(year=2561), a))
    fig = charts.rating_difference(cmp, {6005: "บรรพตพิสัย"})
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[-1] == "บรรพตพิสัย (3)"  # the largest difference is drawn last (top)
    texts = {t.get_text() for t in ax.texts}
    assert f"{cmp['mean_difference'].max():+.1f}" in texts


def test_a_long_title_is_broken_between_phrases_and_fits_the_figure():
    from mchch_lib.documents import charts

    fig = charts._figure(charts.A4_WIDTH_IN, 3)
    charts._title(fig, "คะแนนเฉลี่ยหลังพัฒนา (ร้อยละของคะแนนเต็ม) รายจังหวัด × มาตรฐาน "
                       "(ภาคตะวันออกเฉียงเหนือ)")  # fmt: skip
    title = fig._suptitle
    first, second = title.get_text().split("\n")
    assert second == "(ภาคตะวันออกเฉียงเหนือ)" and first.endswith("มาตรฐาน")
    assert title.get_window_extent().width <= fig.get_figwidth() * fig.dpi
    short = charts._figure(charts.A4_WIDTH_IN, 3)
    charts._title(short, "ความก้าวหน้าตามขั้นตอน")
    assert short._suptitle.get_text() == "ความก้าวหน้าตามขั้นตอน"
