"""The slides that close a meeting deck: the training plan (province), the next steps per
district (who is late, which officers have no target, the three indicators to train) and the
deadlines ahead. Figures from the report's context, Thai speaker notes on every slide.
"""

from __future__ import annotations

import pandas as pd

from mchch_lib.analysis import compliance, training_plan
from mchch_lib.common import textfit, thai
from mchch_lib.deliverables.deck_layout import (
    INSET_PT,
    W_IN,
    columns,
    new_slide,
    notes,
    num,
    table,
    textbox,
    title,
)  # fmt: skip
from mchch_lib.deliverables.forms import PLAN_SHEET

#: Rows of a table slide (a district or a session each), so 16 pt rows fit under the title.
ROWS_PER_SLIDE = 8
#: Sessions shown in the deck (the whole plan is a sheet of the province annex workbook).
PLAN_SLIDES = 2


def late(ctx) -> pd.DataFrame:
    """The units that are late: not post-assessed yet, or behind their development
    timeframe as of the 4.2 deadline (``ctx.timeframe``)."""
    a = ctx.applicants
    behind = set(ctx.timeframe.loc[ctx.timeframe["behind"], "applicant_id"])
    return a[~a["post_complete"] | a["applicant_id"].isin(behind)]


def _idle(ctx, code: int) -> list[str]:
    off = ctx.data.officers
    return compliance.idle_officers(
        off[off["district_code"] == code], ctx.applicants[ctx.applicants["district_code"] == code]
    )


def _short(names: list[str], k: int = 2) -> str:
    return ", ".join(names[:k]) + (f" และอีก {len(names) - k} คน" if len(names) > k else "")


def next_steps(prs, ctx) -> None:
    """Per district: who is late, officers with no target, the three indicators to train."""
    pri = training_plan.district_priorities(ctx.indicators)
    lt = late(ctx)
    if not ctx.is_province:
        _district_steps(prs, ctx, pri, lt)
        return
    codes = sorted(set(ctx.by_district["district_code"]) | set(ctx.data.officers["district_code"]))
    rows, said = [], []
    for code in codes:
        n_late = int((lt["district_code"] == code).sum())
        idle = _idle(ctx, code)
        ids = list(pri.loc[pri["district_code"] == code, "indicator_id"])
        rows.append([ctx.district_names.get(code, str(code)),
                     f"{n_late} ราย" if n_late else "ไม่มี", _short(idle) or "ไม่มี",
                     ", ".join(ids) or "–"])  # fmt: skip
        if n_late or idle:
            said.append(f"{rows[-1][0]} ล่าช้า {n_late} ราย พัฒนากรไม่มีเป้าหมาย {len(idle)} คน")
    header = ["อำเภอ", "ล่าช้า / ยังไม่ประเมินหลัง", "พัฒนากรที่ยังไม่มีเป้าหมาย",
              "ตัวบ่งชี้ที่ควรอบรม"]  # fmt: skip
    pages = [rows[i : i + ROWS_PER_SLIDE] for i in range(0, len(rows), ROWS_PER_SLIDE)]
    for k, page in enumerate(pages, 1):
        sl = new_slide(prs)
        more = f" ({k}/{len(pages)})" if len(pages) > 1 else ""
        title(sl, f"ขั้นตอนต่อไป รายอำเภอ{more}")
        table(sl, header, page, [2.2, 3.0, 4.3, 2.8], size=18)
        n_idle = sum(len(_idle(ctx, c)) for c in codes)
        notes(
            sl,
            f"ทั้งจังหวัดมีหน่วยที่ล่าช้าหรือยังไม่ประเมินหลังพัฒนา {len(lt)} ราย และพัฒนากร"
            f"ที่ยังไม่มีเป้าหมาย {n_idle} คน "
            + ("; ".join(said[:4]) if said else "ทุกอำเภอไม่มีงานค้าง")
            + " ตัวบ่งชี้ที่ควรอบรมคือสามตัวที่มีหน่วยต่ำกว่าเกณฑ์มากที่สุดในแต่ละอำเภอ",
        )


def _district_steps(prs, ctx, pri, lt) -> None:
    idle = _idle(ctx, ctx.district_code)
    ind = pri[pri["district_code"] == ctx.district_code]
    sl = new_slide(prs)
    title(sl, "ขั้นตอนต่อไป")
    items = [f"• ล่าช้า / ยังไม่ประเมินหลังพัฒนา {len(lt)} ราย"
             + (": " + ", ".join(f"{n} ({o})" for n, o in zip(lt["name"], lt["officer"],
                                                              strict=True)) if len(lt) else ""),
             "• พัฒนากรที่ยังไม่มีเป้าหมาย: " + (", ".join(idle) or "ไม่มี"),
             "• ตัวบ่งชี้ที่ควรอบรม: " + ("; ".join(
                 f"{r.indicator_id} {r.name_th} ({r.n_units} หน่วย)" for r in ind.itertuples())
                 or "ไม่มีหน่วยที่ต่ำกว่าเกณฑ์")]  # fmt: skip
    columns(sl, items, size=20)
    notes(
        sl,
        f"{ctx.place_th} มีหน่วยที่ล่าช้าหรือยังไม่ประเมินหลังพัฒนา {len(lt)} ราย พัฒนากรที่"
        f"ยังไม่มีเป้าหมาย {len(idle)} คน ตัวบ่งชี้ที่ควรอบรม "
        f"{', '.join(ind['indicator_id']) or 'ไม่มี'} คือตัวที่มีหน่วยต่ำกว่าเกณฑ์มากที่สุด",
    )


def plan_slides(prs, ctx, plan: pd.DataFrame) -> None:
    """The training plan's largest sessions (one table slide per ``ROWS_PER_SLIDE``, at most
    ``PLAN_SLIDES``); the whole plan is the annex workbook's sheet ``PLAN_SHEET``."""
    shown = plan.head(ROWS_PER_SLIDE * PLAN_SLIDES)
    widths = [0.9, 5.4, 1.1, 1.1, 2.2, 1.6]
    room = widths[1] * 72 - INSET_PT
    rows = [[str(s.session), textfit.shorten(f"{s.indicator_id} {s.name_th}", room, 18),
             str(s.n_units), str(s.n_districts),
             f"{ctx.district_names.get(s.host_district, s.host_district)} ({s.host_units})",
             str(len(s.officers))] for s in shown.itertuples()]  # fmt: skip
    header = ["ครั้งที่", "ตัวบ่งชี้", "หน่วย", "อำเภอ", "เจ้าภาพ (หน่วย)", "พัฒนากร"]
    pages = [rows[i : i + ROWS_PER_SLIDE] for i in range(0, len(rows), ROWS_PER_SLIDE)] or [[]]
    units = sum(plan["n_units"]) if len(plan) else 0
    for k, page in enumerate(pages, 1):
        sl = new_slide(prs)
        more = f" ({k}/{len(pages)})" if len(pages) > 1 else ""
        title(sl, f"แผนการอบรมที่เสนอ {len(plan)} หัวข้อ{more}")
        if page:
            table(sl, header, page, widths, size=18)
        else:
            columns(sl, ["— ไม่มีหน่วยที่ต่ำกว่าเกณฑ์ผ่านของตัวบ่งชี้ใด —"])
        if len(plan) > len(shown) and k == len(pages):
            textbox(
                sl,
                f'และอีก {len(plan) - len(shown)} หัวข้อ ดูแผ่นงาน "{PLAN_SHEET}" ในแฟ้มภาคผนวกของจังหวัด',
                0.5,
                6.85,
                W_IN - 1,
                0.5,
                size=16,
            )
        first = plan.iloc[0] if len(plan) else None
        notes(sl, "แต่ละหัวข้อรวมหน่วยจากทุกอำเภอที่ยังต่ำกว่าเกณฑ์ผ่านของตัวบ่งชี้นั้น "
                  f"รวม {len(plan)} หัวข้อ {units} หน่วย-หัวข้อ เจ้าภาพคืออำเภอที่มีหน่วยมากที่สุด"
                  + (f" หัวข้อใหญ่ที่สุดคือ {first['indicator_id']} {first['name_th']} "
                     f"{first['n_units']} หน่วยจาก {first['n_districts']} อำเภอ"
                     if first is not None else ""))  # fmt: skip


def closing(prs, ctx) -> None:
    """The deadlines ahead (params) with what is still to do for each."""
    p, s = ctx.params, ctx.summary
    sl = new_slide(prs)
    title(sl, "กำหนดส่งที่ต้องติดตาม")
    d41 = thai.format_date_th(p.deadline_41)
    d42 = thai.format_date_th(p.deadline_42)
    items = [
        f"• รายงาน 4.1 รายชื่อผู้สมัคร: ภายใน {d41} (ผู้สมัคร {num(s['registered'], 0)} ราย)",
        f"• รายงาน 4.2 ผลการพัฒนาตนเอง: ภายใน {d42} "
        f"(ยังไม่ประเมินหลังพัฒนา {num(s['not_yet_post'], 0)} ราย)",
        f"• การประเมินระดับจังหวัด: หน่วยที่พร้อม {num(s['ready'], 0)} ราย",
    ]
    columns(sl, items, size=26)
    notes(
        sl,
        f"กำหนดส่งรายงาน 4.1 คือ {d41} และรายงาน 4.2 คือ {d42} ตอนนี้ยังมีหน่วยที่ยังไม่"
        f"ประเมินหลังพัฒนา {num(s['not_yet_post'], 0)} ราย ขอให้พัฒนากรติดตามให้ทันกำหนด",
    )
