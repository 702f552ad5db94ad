"""The planners' explorer, driven in-process: widget values, chart size, table alignment, names.
(tests/end_to_end/test_notebooks.py drives the same widgets in a real kernel.)"""

import re

import pandas as pd
import pytest

from mchch_lib import config
from mchch_lib.documents import charts, explore, report
from mchch_lib.documents.explore import ALL, TOP_N


@pytest.fixture(scope="module")
def ctx():
    return report.province_context(config.PARAMS_DIR / "2561.yaml")


@pytest.fixture
def controls(ctx, capsys):
    c = explore.explorer(ctx, static=False)  # no kernel: widgets work, display() prints
    yield c
    capsys.readouterr()


def _shown(c) -> tuple:
    return tuple(
        (c[k].value, c[k].index, c[k].label) for k in ("district", "standard", "indicator")
    )


def test_dropdowns_start_at_all_and_choosing_all_again_keeps_it(ctx, controls):
    c = controls
    assert _shown(c) == ((ALL, 0, "ทั้งหมด"),) * 3  # a real choice, never a blank drop-down
    c["district"].value = 6007
    assert c["district"].label == "6007 ตาคลี"
    c["district"].index = 0  # what choosing "ทั้งหมด" in the browser sends
    assert _shown(c)[0] == (ALL, 0, "ทั้งหมด")
    c["standard"].value = "group"
    assert c["indicator"].value == ALL
    assert [v for _, v in c["indicator"].options[1:]] == [
        i.id for i in ctx.catalog.indicators.values() if i.standard == "group"
    ]
    assert all(lbl.startswith(f"{v} ") for lbl, v in c["indicator"].options[1:])  # "G1 name"
    c["indicator"].value = "G2"
    c["standard"].index = 0
    assert _shown(c)[1:] == ((ALL, 0, "ทั้งหมด"), (ALL, 0, "ทั้งหมด"))
    assert c["round"].value == "post" and c["show_all"].value is False


def test_controls_are_laid_out_in_aligned_rows(controls):
    """อำเภอ | มาตรฐาน, then ตัวบ่งชี้ as wide as both, then ครั้งที่ with its buttons and the
    show-all box on one row; every description the same width, so the boxes line up."""
    rows = controls["panel"].children[0].children
    assert list(rows[0].children) == [controls["district"], controls["standard"]]
    assert rows[1] is controls["indicator"]
    label, buttons, more = rows[2].children
    assert (buttons, more) == (controls["round"], controls["show_all"])
    assert label.description == "ครั้งที่" and buttons.description == ""  # no label over buttons
    widths = {w.style.description_width for w in (*rows[0].children, rows[1], label)}
    assert widths == {"5em"}
    assert controls["district"].layout.width == controls["standard"].layout.width
    assert "2 *" in controls["indicator"].layout.width


def _figures(v):
    return [p for p in v.parts if not isinstance(p, str)]


def _svg_height_pt(fig) -> float:
    return float(re.search(r'height="([\d.]+)pt"', charts.figure_to_svg(fig)).group(1))


def test_the_applicant_chart_has_a_bounded_height_and_a_show_all_choice(ctx):
    a = ctx.applicants
    assert len(a) > 3 * TOP_N  # a province: far more applicants than a chart can show
    chart = _figures(explore.build_view(ctx))[0]
    labels = chart.axes[0].get_yticklabels()
    assert len(labels) == TOP_N
    assert _svg_height_pt(chart) <= 450  # about 600 px on screen (was 3,155 px)
    # the ones shown are the lowest after development
    shown = {t.get_text().rsplit("(", 1)[1].rstrip(")") for t in labels}
    lowest = a.dropna(subset=["post_pct"]).nsmallest(TOP_N, "post_pct")["applicant_id"]
    assert shown == {i[-3:] for i in lowest}
    everyone = _figures(explore.build_view(ctx, show_all=True))[0]
    assert len(everyone.axes[0].get_yticklabels()) == len(a)
    note = next(p for p in explore.build_view(ctx).parts if isinstance(p, str) and "<p>" in p)
    assert f"{TOP_N} ราย" in note and f"{len(a)} ราย" in note and "แสดงผู้สมัครทุกราย" in note
    # a district fits without cutting
    small = explore.build_view(ctx, 6007)
    n = int((a["district_code"] == 6007).sum())
    assert len(_figures(small)[0].axes[0].get_yticklabels()) == n <= TOP_N


def _cells(html: str) -> list[tuple[str, str, str]]:
    """(tag, style, text) of every cell of an HTML table."""
    return re.findall(r'<(td|th) class="[^"]*" style="([^"]*)">(.*?)</\1>', html)


def test_text_columns_are_left_and_numbers_right(ctx):
    table = explore.build_view(ctx, 6007).parts[-1]
    cells = _cells(table)
    assert len(cells) == len(re.findall(r"<t[dh][ >]", table))  # every cell is aligned
    header = [text for tag, _, text in cells if tag == "th"]
    assert header == ["รหัส", "ชื่อ", "% ก่อน", "% หลัง", "สถานะ"]
    for i, (tag, style, text) in enumerate(cells):
        numeric = i % 5 in (2, 3)
        assert ("text-align:right" if numeric else "text-align:left") in style, (tag, text)


def test_one_indicator_shows_its_name_and_the_applicants_names(ctx):
    v = explore.build_view(ctx, ALL, "group", "G1", "pre")
    name = ctx.catalog.indicators["G1"].name_th
    assert f"G1 {name}" in v.parts[0] and "ก่อนพัฒนา" in v.parts[0]
    table = v.parts[-1]
    rows = ctx.indicators[ctx.indicators["indicator_id"] == "G1"]
    names = ctx.applicants.set_index("applicant_id")["name"]
    for aid in rows["applicant_id"]:
        assert re.search(rf">{aid}</td><td [^>]*>{re.escape(names[aid])}</td>", table), aid
    header = [text for tag, _, text in _cells(table) if tag == "th"]
    assert header == ["รหัส", "ชื่อ", "คะแนน", "เต็ม"]


def test_none_from_code_still_means_everything(ctx):
    a = explore.selection(ctx, None, None, None, "post")["applicants"]
    b = explore.selection(ctx, ALL, ALL, ALL, "post")["applicants"]
    assert len(a) == len(b) == len(ctx.applicants)


# ---------------------------------------------------------------- years
@pytest.fixture(scope="module")
def ctx62():
    return report.province_context(config.PARAMS_DIR / "2562.yaml")


def test_the_year_comes_first_and_switches_the_data_and_catalog(ctx62, capsys):
    c = explore.explorer(ctx62, static=False)
    rows = c["panel"].children[0].children
    assert list(rows[0].children) == [c["year"], c["since_last"]]  # the year first
    assert c["year"].options == (("2562", 2562), ("2561", 2561))
    assert c["year"].value == 2562 and c["since_last"].value is False
    c["district"].value = 6007
    c["standard"].value = "leader"
    assert "L9" in [v for _, v in c["indicator"].options]
    c["year"].value = 2561
    ids = [v for _, v in c["indicator"].options]
    assert "L8" in ids and "L9" not in ids  # 2561's catalog
    assert c["district"].value == 6007  # kept: Takhli has data in 2561 too
    c["year"].value = 2562
    assert "L9" in [v for _, v in c["indicator"].options]
    c["since_last"].value = True  # redraws with the change view
    capsys.readouterr()


def test_the_change_view_shows_the_comparisons_figures(ctx62):
    cmp = ctx62.comparison.for_district(6007)
    v = explore.change_view(ctx62, 6007, "group")
    assert "อำเภอตาคลี · มาตรฐานกลุ่มองค์กรชุมชน · ปี 2562 เทียบกับปี 2561" in v.parts[0]
    table = v.parts[1]
    g = cmp.by_standard[cmp.by_standard["standard"] == "group"].set_index("year")
    for year in (2561, 2562):
        r = g.loc[year]
        cells = f">{year}</td>.*?>{r['registered']}</td>.*?>{r['mean_post_pct']:.1f}</td>"
        assert re.search(cells, table), year
    chart = v.parts[2]
    assert [t.get_text() for t in chart.axes[0].get_yticklabels()] == ["กลุ่มองค์กรชุมชน"]
    ind = v.parts[3]
    assert "G5" in ind and "(ปี 2561: การพัฒนาศักยภาพสมาชิก)" in ind  # renamed, said so
    # a year with nothing before it says so
    old = explore.change_view(report.province_context(config.PARAMS_DIR / "2561.yaml"))
    assert "ไม่มีปีก่อนหน้าให้เทียบ" in old.parts[0]


# ---------------------------------------------------------------- IDs where planners look
def _full_ids(frame) -> list[str]:
    """The full 13-digit IDs in a table (any column, as text)."""
    from mchch_lib.common.sanitize import find_ids

    return [i for v in frame.astype(str).to_numpy().ravel() for i in find_ids(v)]


def test_no_table_a_planner_reaches_holds_a_full_id(ctx):
    """ctx.applicants and what the explorer shows are masked where they are made; the
    dataset (internal: validation, matching) keeps the full IDs."""
    ids = ctx.data.applicants["citizen_id"].dropna()
    assert len(ids) >= 10 and len(_full_ids(ids.to_frame())) == len(ids)  # the data has them
    assert ctx.applicants["citizen_id"].dropna().str.fullmatch(r"\d-\d{4}-xxxxx-xx-\d").all()
    for frame in (ctx.applicants, ctx.final_results, ctx.certified,
                  *explore.selection(ctx, ALL, ALL, ALL, "post").values()):  # fmt: skip
        assert _full_ids(frame) == []
    html = "".join(p for p in explore.build_view(ctx).parts if isinstance(p, str))
    assert not re.search(r"(?<!\d)\d{13}(?!\d)", html)
    district = report.district_context(config.PARAMS_DIR / "2561.yaml", 6007)
    assert _full_ids(district.applicants) == [] and "xxxxx-xx" in str(report.applicant_table(
        district))  # fmt: skip


def test_matching_across_years_still_uses_the_full_ids():
    """The comparison matches leaders by their full ID (from the dataset) and shows them
    masked: the same matches as matching the unmasked scores directly."""
    from mchch_lib.analysis import matching, scoring, years

    ctx = report.province_context(config.PARAMS_DIR / "2562.yaml")
    c = ctx.comparison
    by_id = c.units[c.units["method"] == "citizen_id"]
    assert len(by_id) >= 5
    for frame in (c.units, c.candidates, c.applicants, years.units_table(c)):
        assert _full_ids(frame) == []
    full = scoring.applicant_scores(ctx.data, ctx.catalog, ctx.indicators)
    now = years.YearData(ctx.params.year, ctx.catalog, ctx.data, full, ctx.indicators)
    place = ctx.district_names | {ctx.province.code: ctx.province.name_th}
    direct = years.compare(now, years.earlier_years(ctx.params), place, ctx.province.code,
                           matching.load_decisions())  # fmt: skip
    cols = ["applicant_id", "status", "method", "previous_applicant_id"]
    pd.testing.assert_frame_equal(c.units[cols], direct.units[cols])
