"""The story slides of a meeting deck: the year's three numbers, the stages, pre and post by
standard, who improved most, certification, the districts' map, the change since last year, the
weakest indicators and readiness. Every figure is read from the report's context
(``documents.report.ReportContext``), so a deck and the PDF of the same run agree; every slide
has Thai speaker notes saying what it shows with its figures.
"""

from __future__ import annotations

import pandas as pd

from mchch_lib.analysis import scoring
from mchch_lib.data.catalog import STANDARD_CODES
from mchch_lib.deliverables.deck_layout import (
    H_IN,
    LAST_YEAR,
    POST,
    PRE,
    W_IN,
    add_chart,
    bar_size,
    columns,
    full_marks_line,
    labels,
    new_slide,
    notes,
    num,
    number_labels,
    paint,
    paint_points,
    percent_axis,
    ranked_bar,
    signed,
    textbox,
    title,
)  # fmt: skip

#: Units named on the slide of who improved most.
TOP_UNITS = 10
SIGNED_FMT = "+0.0;-0.0;0.0"


def headline(prs, ctx, heading: str) -> None:
    """The year's three numbers: applicants, the mean rise in points, units certified."""
    s, sl = ctx.summary, new_slide(prs)
    textbox(sl, f"{heading} {ctx.place_th} ปี พ.ศ. {ctx.params.year}", 0.6, 0.4, W_IN - 1.2,
            1.0, size=36, bold=True)  # fmt: skip
    paired = int((ctx.applicants["pre_complete"] & ctx.applicants["post_complete"]).sum())
    has_final = len(ctx.final_results) > 0
    n_cert = len(ctx.certified)
    boxes = [
        (num(s["registered"], 0), "ผู้สมัครทั้งหมด (ราย)"),
        (signed(s["mean_gain_pct"]), "คะแนนเพิ่มขึ้นเฉลี่ย (จุดร้อยละ)"),
        (num(n_cert, 0) if has_final else "–",
         "ผ่านการรับรองระดับจังหวัด (ราย)" if has_final else "ยังไม่มีผลรับรองระดับจังหวัด"),
    ]  # fmt: skip
    w = (W_IN - 1.2) / 3
    for i, (big, caption) in enumerate(boxes):
        textbox(sl, big, 0.6 + i * w, 2.0, w - 0.2, 1.6, size=72, bold=True)
        textbox(sl, caption, 0.6 + i * w, 3.7, w - 0.2, 1.2, size=24)
    textbox(sl, "ความก้าวหน้าการพัฒนาตามระบบมาตรฐานการพัฒนาชุมชน (มชช.)", 0.6, 5.6,
            W_IN - 1.2, 0.8, size=24)  # fmt: skip
    cert = (f"ผ่านการรับรองระดับจังหวัด {num(n_cert, 0)} ราย จากที่พร้อม {num(s['ready'], 0)} ราย"
            if has_final else f"ยังไม่มีผลการประเมินระดับจังหวัด (พร้อมรับการประเมิน "
            f"{num(s['ready'], 0)} ราย)")  # fmt: skip
    notes(sl, f"ปี {ctx.params.year} {ctx.place_th} มีผู้สมัคร {num(s['registered'], 0)} ราย "
              f"คะแนนหลังพัฒนาเพิ่มขึ้นเฉลี่ย {signed(s['mean_gain_pct'])} จุดร้อยละ "
              f"(จาก {paired} รายที่ประเมินครบทั้งก่อนและหลังพัฒนา) {cert}")  # fmt: skip


def stages(prs, ctx) -> None:
    """Applicants reaching each stage (the PDF's funnel: ready in blue, the rest grey)."""
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE

    st = ctx.stages
    sl = new_slide(prs)
    title(sl, "ความก้าวหน้าตามขั้นตอน (ราย)")
    cd = CategoryChartData()
    cd.categories = list(st["stage_th"])
    cd.add_series("จำนวนผู้สมัคร", [int(v) for v in st["n"]])
    ch = add_chart(sl, XL_CHART_TYPE.BAR_CLUSTERED, cd, 20)
    ch.has_legend = False
    ch.value_axis.minimum_scale = 0
    ch.category_axis.reverse_order = True
    paint_points(ch, [POST if k == "ready" else PRE for k in st["stage"]])
    number_labels(ch, "0")
    n = dict(zip(st["stage"], st["n"], strict=True))
    notes(sl, f"ผู้สมัคร {n['registered']} ราย ประเมินก่อนพัฒนาแล้ว {n['pre_assessed']} ราย "
              f"มีแผนพัฒนาตนเอง {n['planned']} ราย ประเมินหลังพัฒนาแล้ว {n['post_assessed']} "
              f"ราย และพร้อมรับการประเมินระดับจังหวัด {n['ready']} ราย")  # fmt: skip


def pre_post(prs, ctx) -> None:
    """Mean pre and post % of full marks per standard (pre grey, post blue, full marks a
    line), a standard not yet post-assessed named under the chart."""
    sl = new_slide(prs)
    title(sl, "คะแนนเฉลี่ยก่อนและหลังพัฒนา (ร้อยละของคะแนนเต็ม)")
    stds = [x for x in STANDARD_CODES if x in set(ctx.applicants["standard"])]
    by = scoring.summarize(ctx.applicants, by=["standard"]).set_index("standard").loc[stds]
    missing = [ctx.standard_short_th(x) for x in stds if pd.isna(by.loc[x, "mean_post_pct"])]
    _percent_columns(sl, [ctx.standard_short_th(x) for x in stds],
                     {"ก่อนพัฒนา": by["mean_pre_pct"], "หลังพัฒนา": by["mean_post_pct"]},
                     [PRE, POST], "ยังไม่ประเมินหลังพัฒนา: ", missing)  # fmt: skip
    parts = [f"{ctx.standard_short_th(x)} {num(by.loc[x, 'mean_pre_pct'])} เป็น "
             f"{num(by.loc[x, 'mean_post_pct'])}" for x in stds]  # fmt: skip
    s = ctx.summary
    notes(sl, f"ทุกมาตรฐานรวมกัน คะแนนเฉลี่ยก่อนพัฒนาร้อยละ {num(s['mean_pre_pct'])} หลังพัฒนา"
              f"ร้อยละ {num(s['mean_post_pct'])} ของคะแนนเต็ม รายมาตรฐาน (ก่อนเป็นหลัง): "
              + "; ".join(parts) + (f" ยังไม่ประเมินหลังพัฒนา: {', '.join(missing)}"
                                    if missing else ""))  # fmt: skip


def _percent_columns(sl, categories: list[str], series: dict, colours: list[str],
                     missing_th: str, missing: list[str]) -> None:  # fmt: skip
    """Columns of % of full marks per category (a series per entry of ``series``, in
    ``colours``), full marks as a line, the categories without a value named under them."""
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION

    cd = CategoryChartData()
    cd.categories = labels(categories, 18)
    for name, vals in series.items():
        cd.add_series(name, [_r(v) for v in vals])
    ch = add_chart(sl, XL_CHART_TYPE.COLUMN_CLUSTERED, cd, 18)
    ch.legend.position = XL_LEGEND_POSITION.TOP
    percent_axis(ch)
    paint(ch, colours)
    number_labels(ch)
    full_marks_line(ch, len(categories))
    if missing:
        textbox(sl, missing_th + ", ".join(missing), 0.6, 6.9, W_IN - 1.2, 0.5, size=18)


def _r(v):
    from mchch_lib.common.thai import round_half_up

    return round_half_up(v, 1)


def improved_districts(prs, ctx) -> None:
    """Districts by their mean rise in points (paired units), largest first."""
    d = ctx.by_district.dropna(subset=["mean_gain_pct"])
    d = d.sort_values(["mean_gain_pct", "district_code"], ascending=[False, True])
    names = [ctx.district_names[int(c)] for c in d["district_code"]]
    sl = new_slide(prs)
    title(sl, "อำเภอที่คะแนนเพิ่มขึ้นมากที่สุด (จุดร้อยละ เฉลี่ย)")
    ranked_bar(sl, names, list(d["mean_gain_pct"]), "คะแนนเพิ่มขึ้นเฉลี่ย", POST, SIGNED_FMT,
               bar_size(len(d)))  # fmt: skip
    top = [f"{n} {signed(v)}" for n, v in zip(names[:3], d["mean_gain_pct"][:3], strict=True)]
    notes(sl, f"อำเภอที่คะแนนหลังพัฒนาเพิ่มขึ้นมากที่สุด 3 อันดับแรก: {', '.join(top)} จุดร้อยละ "
              "(เฉลี่ยจากหน่วยที่ประเมินครบทั้งก่อนและหลังพัฒนา) ทั้งจังหวัด"
              f"เพิ่มขึ้นเฉลี่ย {signed(ctx.summary['mean_gain_pct'])} จุด")  # fmt: skip


def improved_units(prs, ctx) -> None:
    """The units that gained most points (pre and post complete), with their names."""
    a = ctx.applicants[ctx.applicants["pre_complete"] & ctx.applicants["post_complete"]]
    a = a.sort_values(["gain_pct", "district_code", "applicant_id"],
                      ascending=[False, True, True]).head(TOP_UNITS)  # fmt: skip
    sl = new_slide(prs)
    title(sl, f"หน่วยที่คะแนนเพิ่มขึ้นมากที่สุด {len(a)} อันดับแรก (จุดร้อยละ)")
    items = []
    for i, r in enumerate(a.itertuples(), 1):
        where = f" อ.{ctx.district_names[int(r.district_code)]}" if ctx.is_province else ""
        items.append(f"{i}. {r.name} ({ctx.standard_short_th(r.standard)}{where}) "
                     f"{signed(r.gain_pct)}")  # fmt: skip
    columns(sl, items or ["— ยังไม่มีหน่วยที่ประเมินครบทั้งก่อนและหลังพัฒนา —"], size=20)
    if len(a):
        r = a.iloc[0]
        notes(
            sl,
            f"หน่วยที่พัฒนาขึ้นมากที่สุดคือ {r['name']} คะแนนเพิ่มจากร้อยละ "
            f"{num(r['pre_pct'])} เป็น {num(r['post_pct'])} ({signed(r['gain_pct'])} จุด) "
            f"รายชื่อนี้เรียงตามคะแนนที่เพิ่มขึ้น ใช้เป็นตัวอย่างการพัฒนาที่ดีในที่ประชุมได้",
        )
    else:
        notes(sl, "ยังไม่มีหน่วยที่ประเมินครบทั้งก่อนและหลังพัฒนา จึงยังไม่สามารถบอกได้ว่าใคร"
                  "พัฒนาขึ้นมากที่สุด")  # fmt: skip


def certification(prs, ctx) -> None:
    """The provincial committee's result: ready and certified per standard (grey, blue),
    and certified per district (province) or by name (district)."""
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION

    s, cert = ctx.summary, ctx.certified
    sl = new_slide(prs)
    if not len(ctx.final_results):
        title(sl, "ผลการรับรองระดับจังหวัด: ยังไม่มีผล")
        columns(sl, [f"พร้อมรับการประเมินระดับจังหวัด {num(s['ready'], 0)} ราย",
                     "ยังไม่มีผลการประเมินของคณะอนุกรรมการระดับจังหวัดในข้อมูลปีนี้"])  # fmt: skip
        notes(
            sl,
            f"ข้อมูลปี {ctx.params.year} ยังไม่มีผลการประเมินระดับจังหวัด จึงยังไม่มีหน่วย"
            f"ที่ผ่านการรับรอง มีหน่วยที่พร้อมรับการประเมิน {num(s['ready'], 0)} ราย",
        )
        return
    title(sl, f"ผ่านการรับรองระดับจังหวัด {len(cert)} ราย จากที่พร้อม {num(s['ready'], 0)} ราย")
    stds = [x for x in STANDARD_CODES if x in set(ctx.applicants["standard"])]
    ready = ctx.applicants[ctx.applicants["ready"].fillna(False).astype(bool)]
    n_ready = [int((ready["standard"] == x).sum()) for x in stds]
    n_cert = [int((cert["standard"] == x).sum()) for x in stds]
    cd = CategoryChartData()
    cd.categories = [ctx.standard_short_th(x) for x in stds]
    cd.add_series("พร้อมรับการประเมิน", n_ready)
    cd.add_series("ผ่านการรับรอง", n_cert)
    ch = add_chart(sl, XL_CHART_TYPE.COLUMN_CLUSTERED, cd, 18)
    ch.legend.position = XL_LEGEND_POSITION.TOP
    ch.value_axis.minimum_scale = 0
    paint(ch, [PRE, POST])
    number_labels(ch, "0")
    parts = [f"{ctx.standard_short_th(x)} {c} จาก {r}" for x, r, c in
             zip(stds, n_ready, n_cert, strict=True)]  # fmt: skip
    notes(
        sl,
        f"คณะอนุกรรมการระดับจังหวัดประเมิน {len(ctx.final_results)} ราย ผ่านการรับรอง "
        f"{len(cert)} ราย รายมาตรฐาน (ผ่านจากที่พร้อม): {'; '.join(parts)}",
    )
    _certified_where(prs, ctx)


def _certified_where(prs, ctx) -> None:
    cert = ctx.certified
    sl = new_slide(prs)
    if ctx.is_province:
        c = ctx.certified_by_district
        c = c.sort_values(["certified", "district_code"], ascending=[False, True])
        title(sl, "ผ่านการรับรองระดับจังหวัด รายอำเภอ (ราย)")
        names = [f"{ctx.district_names[int(d)]} ({k}/{r})" for d, k, r in
                 zip(c["district_code"], c["certified"], c["ready"], strict=True)]  # fmt: skip
        ranked_bar(sl, names, list(c["certified"]), "ผ่านการรับรอง", POST, "0",
                   bar_size(len(c)))  # fmt: skip
        top = c.iloc[0]
        notes(sl, f"แต่ละแท่งคือจำนวนหน่วยที่ผ่านการรับรอง ในวงเล็บคือผ่านต่อที่พร้อม อำเภอที่ผ่าน"
                  f"มากที่สุดคือ {ctx.district_names[int(top['district_code'])]} "
                  f"{int(top['certified'])} ราย รวมทั้งจังหวัด {len(cert)} ราย")  # fmt: skip
        return
    title(sl, f"หน่วยที่ผ่านการรับรอง {len(cert)} ราย")
    items = [f"• {n} ({ctx.standard_short_th(x)})"
             for n, x in zip(cert["name"], cert["standard"], strict=True)]  # fmt: skip
    columns(sl, items or ["— ยังไม่มี —"])
    notes(
        sl,
        f"{ctx.place_th} มีหน่วยที่ผ่านการรับรองระดับจังหวัด {len(cert)} ราย "
        f"จากที่พร้อมรับการประเมิน {num(ctx.summary['ready'], 0)} ราย",
    )


#: The map on its slide: its box under the title (left, top, width, height in inches), its
#: text twice the report's (names at 14 pt, the numbers of the key bold), its resolution.
MAP_BOX = (0.6, 1.3, W_IN - 1.2, H_IN - 1.45)
MAP_TEXT_SCALE, MAP_DPI = 2.0, 200


def district_map(prs, ctx) -> None:
    """The districts shaded by their mean post-development % (``documents.maps``: fixed
    classes, the districts that sent nothing hatched and labelled, names or numbers with a
    key, the legend with its unit, the sources) as a picture under a Thai title; the notes
    name the districts of each class."""
    import io

    from pptx.util import Inches

    from mchch_lib.documents import maps

    left, top, width, height = MAP_BOX
    fig = maps.choropleth(ctx, "post_pct", width=width, text_scale=MAP_TEXT_SCALE,
                          map_height=height - 1.5, titled=False)  # fmt: skip
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=MAP_DPI)
    w, h = fig.get_size_inches()
    k = min(1.0, width / w, height / h)  # never larger than drawn: the text stays its size
    sl = new_slide(prs)
    title(sl, f"คะแนนเฉลี่ยหลังพัฒนารายอำเภอ ปี {ctx.params.year} (ร้อยละของคะแนนเต็ม)")
    pic = sl.shapes.add_picture(buf, Inches(left), Inches(top), Inches(w * k), Inches(h * k))
    pic.name = "แผนที่อำเภอ"
    text = map_notes(maps.values(ctx, "post_pct"))
    pic._element.nvPicPr.cNvPr.set("descr", text)  # the picture's alternative text
    notes(sl, text)


def map_notes(table: pd.DataFrame) -> str:
    """What the map shows, in Thai: the districts of each class, highest first, those that
    sent nothing and those with no post score yet, the highest and the lowest."""
    parts = ["แผนที่แสดงคะแนนเฉลี่ยหลังพัฒนาของแต่ละอำเภอ (ร้อยละของคะแนนเต็ม) สีเข้มคือคะแนนสูง"]
    shaded = table[table["class_index"] >= 0]
    for k in sorted(set(shaded["class_index"]), reverse=True):
        names = shaded.loc[shaded["class_index"] == k, "name_th"]
        parts.append(f"ช่วง {shaded.loc[names.index[0], 'class_label']}: {', '.join(names)}")
    for mask, what in ((~table["sent"], "ไม่ส่งข้อมูล (ลายเส้น)"),
                       (table["sent"] & (table["class_index"] < 0),
                        "ส่งข้อมูลแต่ยังไม่มีคะแนนหลังพัฒนา")):  # fmt: skip
        if mask.any():
            parts.append(f"{what}: {', '.join(table.loc[mask, 'name_th'])}")
    if len(shaded):
        hi = shaded.loc[shaded["value"].idxmax()]
        lo = shaded.loc[shaded["value"].idxmin()]
        parts.append(f"สูงสุดคือ {hi['name_th']} ร้อยละ {num(hi['value'])} ต่ำสุดคือ "
                     f"{lo['name_th']} ร้อยละ {num(lo['value'])}")  # fmt: skip
    return "; ".join(parts)


def readiness(prs, ctx) -> None:
    """Ready of those post-assessed (the PDF's denominator): per district, best first; a
    district deck names the ready units."""
    s = ctx.summary
    sl = new_slide(prs)
    title(sl, f"พร้อมรับการประเมินระดับจังหวัด {num(s['ready'], 0)} จาก "
              f"{num(s['post_assessed'], 0)} รายที่ประเมินหลังพัฒนาแล้ว")  # fmt: skip
    text = (f"ประเมินหลังพัฒนาแล้ว {num(s['post_assessed'], 0)} ราย พร้อมรับการประเมินระดับจังหวัด "
            f"{num(s['ready'], 0)} ราย (ร้อยละ {num(100 * s['share_ready'])}) ยังไม่ประเมินหลัง"
            f"พัฒนา {num(s['not_yet_post'], 0)} ราย")  # fmt: skip
    if not ctx.is_province:
        a = ctx.applicants
        ready = a[a["ready"].fillna(False).astype(bool)]
        columns(
            sl,
            [
                f"• {n} ({ctx.standard_short_th(x)})"
                for n, x in zip(ready["name"], ready["standard"], strict=True)
            ]
            or ["— ยังไม่มี —"],
        )
        notes(sl, text)
        return
    d = ctx.by_district[ctx.by_district["post_assessed"] > 0].copy()
    d["pct"] = 100 * d["share_ready"]
    d = d.sort_values(["pct", "ready", "district_code"], ascending=[False, False, True])
    names = [f"{ctx.district_names[int(c)]} ({r}/{n})" for c, r, n in
             zip(d["district_code"], d["ready"], d["post_assessed"], strict=True)]  # fmt: skip
    ranked_bar(sl, names, list(d["pct"]), "ร้อยละที่พร้อม", POST, "0.0", bar_size(len(d)),
               percent=True)  # fmt: skip
    notes(sl, text + " ในวงเล็บคือพร้อมต่อที่ประเมินหลังพัฒนาแล้วของแต่ละอำเภอ")


def gaps(prs, ctx) -> None:
    """The weakest indicators (largest gap to full marks, the PDF's top ``TOP_GAPS``)."""
    g = ctx.top_gaps
    sl = new_slide(prs)
    where = "ทั้งจังหวัด" if ctx.is_province else ctx.place_th
    title(sl, f"ตัวบ่งชี้ที่ควรพัฒนาต่อ {where} (ช่องว่างถึงคะแนนเต็ม %)")
    names = [f"{i} {n}" for i, n in zip(g["indicator_id"], g["name_th"], strict=True)]
    ranked_bar(sl, names, list(g["mean_gap_pct"]), "ช่องว่างเฉลี่ย (%)", POST, "0.0", 16,
               percent=True)  # fmt: skip
    top = [f"{i} ({num(v)})" for i, v in zip(g["indicator_id"][:3], g["mean_gap_pct"][:3],
                                             strict=True)]  # fmt: skip
    notes(sl, f"ตัวบ่งชี้ที่ยังห่างจากคะแนนเต็มมากที่สุด {where} คือ {', '.join(top)} ร้อยละของ"
              "คะแนนเต็ม คิดจากคะแนนหลังพัฒนา (หรือก่อนพัฒนาถ้ายังไม่มีใครประเมินหลังพัฒนา) "
              "ตัวบ่งชี้เหล่านี้ควรเป็นหัวข้ออบรมก่อน")  # fmt: skip


def comparison(prs, ctx) -> None:
    """Since last year (params ``compare_with``): mean post % both years per standard, the
    districts that moved most (province) or the returning units (district)."""
    c = ctx.comparison
    if c is None:
        return
    yp = ctx.year_post
    sl = new_slide(prs)
    title(sl, f"เทียบกับปี {c.last_year}: คะแนนเฉลี่ยหลังพัฒนา (ร้อยละของคะแนนเต็ม)")
    none = [x for x, v in zip(yp["label"], yp["now"], strict=True) if pd.isna(v)]
    _percent_columns(sl, list(yp["label"]), {f"ปี {c.last_year}": yp["last"],
                                             f"ปี {c.year}": yp["now"]},
                     [LAST_YEAR, POST], f"ยังไม่มีคะแนนหลังพัฒนาปี {c.year}: ", none)  # fmt: skip
    t = c.change(c.total, ["standard"]).iloc[0]
    notes(sl, f"เทียบกับปี {c.last_year} ผู้สมัคร {num(t['registered_last'], 0)} เป็น "
              f"{num(t['registered_now'], 0)} ราย คะแนนเฉลี่ยหลังพัฒนาร้อยละ "
              f"{num(t['mean_post_pct_last'])} เป็น {num(t['mean_post_pct_now'])} "
              f"({signed(t['mean_post_pct_change'])} จุด) มีหน่วยเดิมกลับมาสมัคร "
              f"{len(c.returning)} ราย")  # fmt: skip
    if ctx.is_province:
        _moved(prs, ctx)
    else:
        _returning(prs, ctx)


def _moved(prs, ctx) -> None:
    c = ctx.comparison
    d = ctx.year_districts.dropna(subset=["mean_post_pct_change"])
    sl = new_slide(prs)
    title(sl, f"อำเภอที่เปลี่ยนไปมากที่สุดจากปี {c.last_year} (จุดร้อยละ หลังพัฒนา)")
    ranked_bar(sl, list(d["label"]), list(d["mean_post_pct_change"]), "เปลี่ยนแปลง", POST,
               SIGNED_FMT, bar_size(len(d)))  # fmt: skip
    up, down = d.iloc[0], d.iloc[-1]
    notes(sl, f"คะแนนเฉลี่ยหลังพัฒนาของ{up['label']} เพิ่มขึ้นมากที่สุด "
              f"{signed(up['mean_post_pct_change'])} จุด (ร้อยละ {num(up['last'])} เป็น "
              f"{num(up['now'])}) ส่วน{down['label']} เปลี่ยน {signed(down['mean_post_pct_change'])}"
              f" จุด หน่วยเดิมที่กลับมาสมัครทั้งจังหวัด {len(c.returning)} ราย")  # fmt: skip


def _returning(prs, ctx) -> None:
    r = ctx.comparison.returning
    sl = new_slide(prs)
    c = ctx.comparison
    title(sl, f"หน่วยเดิมที่กลับมาสมัคร {len(r)} ราย")
    items = [f"ร้อยละหลังพัฒนา ปี {c.last_year} → ปี {c.year}:"]
    items += [f"• {n}: {num(p)} → {num(q)}" for n, p, q in
              zip(r["name"], r["previous_post_pct"], r["post_pct"], strict=True)]  # fmt: skip
    columns(sl, items if len(r) else ["— ไม่มี —"], size=20)
    notes(
        sl,
        f"{ctx.place_th} มีหน่วยเดิมกลับมาสมัคร {len(r)} ราย แต่ละบรรทัดคือคะแนนหลังพัฒนา"
        "ของปีที่แล้วและของปีนี้ (– คือยังไม่ประเมินหลังพัฒนา)",
    )
