"""What each tab of the app shows for a selection, as tables with Thai headers (IDs masked):
the screen, the Excel export and the PDF export all read these."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from mchch_lib.analysis import scoring
from mchch_lib.common.sanitize import mask_frame

ALL = "ทั้งหมด"
TABS = (
    ("overview", "ภาพรวม"),
    ("districts", "อำเภอ"),
    ("units", "หน่วยที่สมัคร"),
    ("indicators", "ตัวบ่งชี้"),
    ("final", "รอบจังหวัด"),
    ("officers", "พัฒนากร"),
    ("deadlines", "กำหนดส่ง"),
    ("change", "เทียบปีที่แล้ว"),
)
SORTS = {
    "หลังพัฒนา (ต่ำก่อน)": ("post_pct", True),
    "หลังพัฒนา (สูงก่อน)": ("post_pct", False),
    "ก่อนพัฒนา (ต่ำก่อน)": ("pre_pct", True),
    "อำเภอ": ("district_code", True),
    "ชื่อ": ("name", True),
}


@dataclass
class Selection:
    district: int | str = ALL
    standard: str = ALL
    asof: dt.date = field(default_factory=dt.date.today)
    search: str = ""
    sort: str = "หลังพัฒนา (ต่ำก่อน)"


@dataclass
class Table:
    title: str
    frame: pd.DataFrame  # Thai headers, IDs masked

    def __post_init__(self):
        self.frame = mask_frame(self.frame)


def _pick(ctx, df: pd.DataFrame, sel: Selection) -> pd.DataFrame:
    if sel.district != ALL and "district_code" in df:
        df = df[df["district_code"] == sel.district]
    if sel.standard != ALL and "standard" in df:
        df = df[df["standard"] == sel.standard]
    return df


def district_label(ctx, code) -> str:
    return f"{code} {ctx.district_names.get(code, '')}".strip()


def place(ctx, sel: Selection) -> str:
    p = "ทั้งจังหวัด" if sel.district == ALL else f"อำเภอ{ctx.district_names[sel.district]}"
    s = "ทุกมาตรฐาน" if sel.standard == ALL else ctx.standard_th(sel.standard)
    return f"{p} · {s} · ปี {ctx.params.year}"


def _named(ctx, df: pd.DataFrame, cols: dict) -> pd.DataFrame:
    """The columns renamed to Thai, district and standard as words."""
    out = df.copy()
    if "district_code" in out:
        out["district_code"] = out["district_code"].map(lambda c: district_label(ctx, c))
    if "standard" in out:
        out["standard"] = out["standard"].map(ctx.standard_short_th)
    return out[list(cols)].rename(columns=cols).reset_index(drop=True)


def _r1(s):
    return s.astype(float).round(1)


def kpis(ctx, sel: Selection) -> list[tuple[str, str]]:
    """The selection's headline numbers (label, value)."""
    a = _pick(ctx, ctx.applicants, sel)
    both = a[a["pre_pct"].notna() & a["post_pct"].notna()]
    fr = _pick(ctx, ctx.final_results, sel)
    done = ctx.completeness
    mean = f"{both['pre_pct'].mean():.1f} → {both['post_pct'].mean():.1f}" if len(both) else "–"
    return [
        ("หน่วยที่สมัคร", str(len(a))),
        ("ประเมินก่อนพัฒนา", str(int(a["pre_pct"].notna().sum()))),
        ("ประเมินหลังพัฒนา", str(int(a["post_pct"].notna().sum()))),
        ("พร้อมรับการประเมินระดับจังหวัด", str(int((a["ready"] == True).sum()))),  # noqa: E712
        ("ได้รับการรับรอง", str(int((fr["certified"] == True).sum()))),  # noqa: E712
        (f"ร้อยละเฉลี่ยก่อน → หลัง ({len(both)} หน่วยที่ประเมินครบ)", mean),
        ("อำเภอที่ส่งข้อมูล", f"{int(done['has_data'].sum())} / {len(done)}"),
    ]


def overview(ctx, sel: Selection) -> list[Table]:
    from mchch_lib.documents import maps

    v = maps.values(ctx, "post_pct")
    v = v[v["sent"]] if sel.district == ALL else v[v["code"] == sel.district]
    t = pd.DataFrame({"อำเภอ": v["code"].map(lambda c: district_label(ctx, c)),
                      "ร้อยละเฉลี่ยหลังพัฒนา": _r1(v["value"])})  # fmt: skip
    k = pd.DataFrame(kpis(ctx, sel), columns=["รายการ", "จำนวน"])
    return [Table("ตัวเลขสำคัญ", k), Table("ร้อยละเฉลี่ยหลังพัฒนารายอำเภอ (สีบนแผนที่)", t)]


def districts(ctx, sel: Selection) -> list[Table]:
    from mchch_lib.documents.sections.overview import CHECK_TH

    a = _pick(ctx, ctx.applicants, sel.__class__(standard=sel.standard))
    s = scoring.summarize(a, by=["district_code"]).sort_values("mean_post_pct", ascending=False)
    cert = ctx.final_results.pipe(lambda f: _pick(ctx, f, Selection(standard=sel.standard)))
    n_cert = cert[cert["certified"] == True].groupby("district_code").size()  # noqa: E712
    s["certified"] = s["district_code"].map(n_cert).fillna(0).astype(int)
    s["rank"] = range(1, len(s) + 1)
    s["mean_pre_pct"], s["mean_post_pct"] = _r1(s["mean_pre_pct"]), _r1(s["mean_post_pct"])
    rank = _named(ctx, s, {"rank": "อันดับ", "district_code": "อำเภอ", "registered": "สมัคร",
                           "post_assessed": "ประเมินหลังแล้ว", "mean_pre_pct": "เฉลี่ยก่อน (%)",
                           "mean_post_pct": "เฉลี่ยหลัง (%)", "ready": "พร้อม",
                           "certified": "รับรอง"})  # fmt: skip
    f = _pick(ctx, ctx.findings, Selection(district=sel.district))
    mark = f["severity"].map({"ok": "✔", "warning": "!", "error": "✘"})
    grid = (
        f.assign(mark=mark, check=f["check"].map(lambda c: CHECK_TH.get(c, c)))
        .pivot_table(index="district_code", columns="check", values="mark", aggfunc="first")
        .reset_index()
    )
    grid["district_code"] = grid["district_code"].map(lambda c: district_label(ctx, c))
    grid = grid.rename(columns={"district_code": "อำเภอ"})
    grid.columns.name = None
    late = _pick(ctx, ctx.timeframe, sel)
    late = late[late["status"] != "on_time"]
    late = _named(ctx, late, {"district_code": "อำเภอ", "name": "หน่วย", "standard": "มาตรฐาน",
                              "dev_end": "สิ้นสุดพัฒนา", "post_on": "ประเมินหลัง",
                              "status_th": "สถานะ"})  # fmt: skip
    return [
        Table("อันดับอำเภอ (ร้อยละเฉลี่ยหลังพัฒนา)", rank),
        Table("การดำเนินงานตามแนวทาง (✔ เป็นไปตามแนวทาง, ! ควรตรวจ, ✘ ยังไม่เป็นไป)", grid),
        Table("หน่วยที่ล่าช้าหรือไม่เป็นไปตามกำหนด", late),
    ]


def units(ctx, sel: Selection) -> list[Table]:
    a = _pick(ctx, ctx.applicants, sel)
    q = sel.search.strip()
    if q:
        text = a[["name", "applicant_id", "tambon", "officer"]].astype(str).agg(" ".join, axis=1)
        text = text + " " + a["district_code"].map(lambda c: district_label(ctx, c))
        a = a[text.str.contains(q, regex=False)]
    col, asc = SORTS.get(sel.sort, SORTS["หลังพัฒนา (ต่ำก่อน)"])
    a = a.sort_values([col, "applicant_id"], ascending=[asc, True], na_position="last")
    a = a.assign(ready_th=a["ready"].map({True: "พร้อม", False: "ยังไม่พร้อม"}).fillna("–"))
    t = _named(ctx, a, {"district_code": "อำเภอ", "applicant_id": "รหัสหน่วย", "name": "ชื่อ",
                        "standard": "มาตรฐาน", "officer": "พัฒนากร", "pre_total": "ก่อน",
                        "post_total": "หลัง", "full_total": "เต็ม", "post_pct": "หลัง (%)",
                        "status_th": "สถานะ", "ready_th": "ความพร้อม"})  # fmt: skip
    return [Table(f"หน่วยที่สมัคร {len(t)} หน่วย (เรียงตาม{sel.sort})", t)]


def indicators(ctx, sel: Selection) -> list[Table]:
    ind = _pick(ctx, ctx.indicators, sel)
    cols = {"standard": "มาตรฐาน", "indicator_id": "ตัวบ่งชี้", "name_th": "ชื่อตัวบ่งชี้",
            "n": "หน่วย", "mean_gap_pct": "ห่างจากเต็ม (%)",
            "share_below_pass_pct": "ต่ำกว่าเกณฑ์ (%)"}  # fmt: skip
    g = scoring.indicator_gaps(ind, by=())
    g["mean_gap_pct"], g["share_below_pass_pct"] = (
        _r1(g["mean_gap_pct"]),
        _r1(g["share_below_pass_pct"]),
    )
    top = _named(ctx, g.head(10), cols)
    by = scoring.indicator_gaps(ind, by=("district_code",))
    by = by.sort_values(["district_code", "mean_gap_pct"], ascending=[True, False])
    by = by.groupby("district_code").head(3)
    by["mean_gap_pct"], by["share_below_pass_pct"] = (
        _r1(by["mean_gap_pct"]),
        _r1(by["share_below_pass_pct"]),
    )
    per = _named(ctx, by, {"district_code": "อำเภอ", **cols})
    where = "ทั้งจังหวัด" if sel.district == ALL else "ของอำเภอ"
    return [Table(f"10 ตัวบ่งชี้ที่อ่อนที่สุด{where}", top),
            Table("3 ตัวบ่งชี้ที่อ่อนที่สุดของแต่ละอำเภอ", per)]  # fmt: skip


def _final_reason(r) -> str:
    if r["certified"] is True:
        return "ได้รับการรับรอง"
    if isinstance(r["note"], str) and r["note"]:
        return r["note"]
    if r["verdict"] is True:
        return "คณะกรรมการเห็นควรรับรอง แต่ยังไม่มีเลขที่ประกาศ"
    return "คณะกรรมการไม่รับรอง"


def final_round(ctx, sel: Selection) -> list[Table]:
    fr = _pick(ctx, ctx.final_results, sel).copy()
    fr["result_th"] = fr["certified"].map({True: "รับรอง"}).fillna("ไม่รับรอง")
    fr["reason"] = [_final_reason(r) for r in fr.to_dict("records")]
    fr["post_pct"], fr["committee_pct"] = _r1(fr["post_pct"]), _r1(fr["committee_pct"])
    t = _named(ctx, fr, {"district_code": "อำเภอ", "name": "หน่วย", "standard": "มาตรฐาน",
                         "post_pct": "อำเภอประเมิน (%)", "committee_pct": "คณะกรรมการ (%)",
                         "result_th": "ผล", "certificate_no": "เลขที่",
                         "reason": "เหตุผล"})  # fmt: skip
    a = _pick(ctx, ctx.applicants, sel)
    out = a[a["ready"] != True]  # noqa: E712
    out = _named(ctx, out, {"district_code": "อำเภอ", "name": "หน่วย", "standard": "มาตรฐาน",
                            "ready_reason_th": "เหตุที่ไม่ได้เสนอเข้ารอบจังหวัด"})  # fmt: skip
    n = int((fr["certified"] == True).sum())  # noqa: E712
    return [Table(f"ผลการรับรองระดับจังหวัด: รับรอง {n} จาก {len(fr)} หน่วยที่เสนอ", t),
            Table(f"หน่วยที่ไม่ได้เสนอเข้ารอบจังหวัด {len(out)} หน่วย", out)]  # fmt: skip


def officers(ctx, sel: Selection) -> list[Table]:
    a = _pick(ctx, ctx.applicants, sel)
    rows = []
    for (d, o), g in a.groupby(["district_code", "officer"]):
        units_ = "; ".join(f"{n} ({s})" for n, s in zip(g["name"], g["status_th"], strict=True))
        rows.append({"district_code": d, "officer": o, "n": len(g),
                     "post": int(g["post_pct"].notna().sum()),
                     "ready": int((g["ready"] == True).sum()), "units": units_})  # noqa: E712  # fmt: skip
    t = pd.DataFrame(rows, columns=["district_code", "officer", "n", "post", "ready", "units"])
    t = _named(ctx, t, {"district_code": "อำเภอ", "officer": "พัฒนากร", "n": "หน่วย",
                        "post": "ประเมินหลังแล้ว", "ready": "พร้อม",
                        "units": "หน่วยและสถานะ"})  # fmt: skip
    off = _pick(ctx, ctx.data.officers, Selection(district=sel.district))
    have = set(zip(ctx.applicants["district_code"], ctx.applicants["officer"], strict=True))
    none = off[[(d, n) not in have for d, n in zip(off["district_code"], off["name"], strict=True)]]
    none = _named(ctx, none, {"district_code": "อำเภอ", "name": "พัฒนากร", "position": "ตำแหน่ง"})
    return [Table("หน่วยของพัฒนากรแต่ละคน", t), Table("พัฒนากรที่ยังไม่มีเป้าหมาย", none)]


def days_left(deadline: dt.date | None, asof: dt.date) -> str:
    if deadline is None:
        return "ไม่ได้กำหนด"
    n = (deadline - asof).days
    if n > 0:
        return f"อีก {n:,} วัน"
    return "ครบกำหนดวันนี้" if n == 0 else f"เลยกำหนดมาแล้ว {-n:,} วัน"


def deadlines(ctx, sel: Selection) -> list[Table]:
    from mchch_lib.common.thai import format_date_th

    p = ctx.params
    head = pd.DataFrame({
        "รายงาน": ["แบบ 4.1 (ผลการประเมินก่อนพัฒนา)", "แบบ 4.2 (ผลการประเมินหลังพัฒนา)"],
        "กำหนดส่ง": [format_date_th(p.deadline_41), format_date_th(p.deadline_42)],
        f"ณ วันที่ {format_date_th(sel.asof)}": [days_left(p.deadline_41, sel.asof),
                                                days_left(p.deadline_42, sel.asof)],
    })  # fmt: skip
    f = ctx.findings.set_index(["district_code", "check"])["message_th"]
    c = _pick(ctx, ctx.completeness, sel)
    sent = pd.DataFrame({
        "district_code": c["district_code"],
        "sent": c["has_data"].map({True: "ส่งแล้ว", False: "ยังไม่ส่ง"}),
        "n": c["applicants"],
        "r41": [f.get((d, "deadline_41"), "–") for d in c["district_code"]],
        "r42": [f.get((d, "deadline_42"), "–") for d in c["district_code"]],
    })  # fmt: skip
    sent = _named(ctx, sent, {"district_code": "อำเภอ", "sent": "ข้อมูล", "n": "หน่วย",
                              "r41": "แบบ 4.1", "r42": "แบบ 4.2"})  # fmt: skip
    tf = _pick(ctx, ctx.timeframe, sel)
    end = pd.to_datetime(tf["dev_end"])
    past = tf[end.notna() & (end < pd.Timestamp(sel.asof)) & tf["post_on"].isna()]
    past = past.assign(days=(pd.Timestamp(sel.asof) - pd.to_datetime(past["dev_end"])).dt.days)
    past = _named(ctx, past, {"district_code": "อำเภอ", "name": "หน่วย", "standard": "มาตรฐาน",
                              "dev_end": "สิ้นสุดพัฒนา", "days": "เลยมาแล้ว (วัน)"})  # fmt: skip
    return [Table("วันที่เหลือถึงกำหนดส่ง", head), Table("อำเภอที่ส่งข้อมูลแล้ว", sent),
            Table(f"หน่วยที่พ้นวันสิ้นสุดการพัฒนาแต่ยังไม่ประเมินหลังพัฒนา {len(past)} หน่วย",
                  past)]  # fmt: skip


def change(ctx, sel: Selection) -> list[Table]:
    c = ctx.comparison
    if c is None:
        msg = f"ปี {ctx.params.year} ยังไม่ได้กำหนดปีก่อนหน้าให้เทียบ (compare_with ในไฟล์ตั้งค่า)"
        return [Table(msg, pd.DataFrame())]
    if sel.district != ALL:
        c = c.for_district(sel.district)
    by = (
        c.total if sel.standard == ALL else c.by_standard[c.by_standard["standard"] == sel.standard]
    )
    by = by.assign(mean_pre_pct=_r1(by["mean_pre_pct"]), mean_post_pct=_r1(by["mean_post_pct"]))
    t = by[["year", "registered", "post_assessed", "mean_pre_pct", "mean_post_pct", "ready"]]
    t = t.rename(columns={"year": "ปี", "registered": "สมัคร", "post_assessed": "ประเมินหลังแล้ว",
                          "mean_pre_pct": "เฉลี่ยก่อน (%)", "mean_post_pct": "เฉลี่ยหลัง (%)",
                          "ready": "พร้อม"})  # fmt: skip
    ind = c.indicator_change
    ind = ind if sel.standard == ALL else ind[ind["standard"] == sel.standard]
    ind = ind.sort_values("mean_post_pct_change")
    it = pd.DataFrame({"ตัวบ่งชี้": ind["label"], "ชื่อตัวบ่งชี้": ind["name_th"],
                       f"ปี {c.last_year} (%)": _r1(ind["mean_post_pct_last"]),
                       f"ปี {c.year} (%)": _r1(ind["mean_post_pct_now"]),
                       "เพิ่ม/ลด (จุด)": _r1(ind["mean_post_pct_change"])})  # fmt: skip
    return [Table(f"ปี {c.year} เทียบกับปี {c.last_year}", t.reset_index(drop=True)),
            Table("ตัวบ่งชี้ เพิ่มขึ้นหรือลดลง (ลดลงมากที่สุดก่อน)", it.reset_index(drop=True))]  # fmt: skip


VIEWS = {"overview": overview, "districts": districts, "units": units,
         "indicators": indicators, "final": final_round, "officers": officers,
         "deadlines": deadlines, "change": change}  # fmt: skip


def standards(ctx) -> list[str]:
    from mchch_lib.data.catalog import STANDARD_CODES

    return [s for s in STANDARD_CODES if s in ctx.catalog.standards]
