"""What the console says (Thai first, the English word in brackets where a technical reader
needs it): the tables and summaries of ``mchch validate`` and ``mchch run``, aligned by display
width (a Thai vowel or tone mark stacks on its consonant and takes no column)."""

from __future__ import annotations

import sys
import unicodedata

from mchch_lib.data.contract import SHEETS, Dataset
from mchch_lib.data.reference import Province

#: The four standards as the console names them (Thai, then the code in the data).
STANDARD_HEADS = {
    "leader": "ผู้นำชุมชน (leader)",
    "group": "กลุ่ม (group)",
    "network": "เครือข่าย (network)",
    "community": "ชุมชน (community)",
}


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: combining marks (Thai above and below vowels and
    tone marks, category Mn/Me) and format characters (zero-width space, Cf) take none; wide
    East Asian characters take two."""
    width = 0
    for ch in text:
        if unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def pad(text: object, width: int, right: bool = False) -> str:
    """``text`` padded with spaces to ``width`` display columns (on the left when ``right``)."""
    s = str(text)
    fill = " " * max(0, width - display_width(s))
    return fill + s if right else s + fill


def format_table(rows: list[dict], cols: list[tuple[str, str]]) -> list[str]:
    """Lines of a table: a header then one line per row; numbers right-aligned; every column
    as wide as its widest cell by display width; no trailing spaces."""
    widths = [max([display_width(h)] + [display_width(str(r.get(k, ""))) for r in rows])
              for k, h in cols]  # fmt: skip
    numeric = [bool(rows) and not k.endswith("_code")
               and all(isinstance(r.get(k), int | float) for r in rows)
               for k, _ in cols]  # fmt: skip
    lines = ["  ".join(pad(h, w, n) for (_, h), w, n in zip(cols, widths, numeric, strict=True))]
    for r in rows:
        cells = (pad(r.get(k, ""), w, n) for (k, _), w, n in zip(cols, widths, numeric,
                                                                   strict=True))  # fmt: skip
        lines.append("  ".join(cells))
    return [line.rstrip() for line in lines]


def print_table(rows: list[dict], cols: list[tuple[str, str]], out=None) -> None:
    print("\n".join(format_table(rows, cols)), file=out or sys.stdout)


#: The columns of ``mchch validate``'s table.
VALIDATE_COLUMNS = [
    ("district_code", "รหัส (code)"),
    ("district_th", "อำเภอ (district)"),
    ("applicants", "ผู้สมัคร (applicants)"),
    ("errors", "ข้อผิดพลาด (errors)"),
    ("warnings", "คำเตือน (warnings)"),
]


def validation_summary(ds: Dataset, province: Province) -> list[dict]:
    """Per district: clean applicants, errors, warnings (districts with rows or problems)."""
    probs = ds.problems
    rows = []
    codes = sorted(
        set(ds.applicants["district_code"].dropna().astype(int))
        | set(probs["district_code"].dropna().astype(int))
        | set(province.districts)
    )
    for code in codes:
        p = probs[probs["district_code"] == code]
        rows.append(
            {
                "district_code": code,
                "district_th": province.districts[code].name_th
                if code in province.districts
                else "?",
                "applicants": int((ds.applicants["district_code"] == code).sum()),
                "errors": int((p["severity"] == "error").sum()),
                "warnings": int((p["severity"] == "warning").sum()),
            }
        )
    loose = probs[probs["district_code"].isna()]
    if len(loose):
        rows.append(
            {
                "district_code": "-",
                "district_th": "(ไม่ระบุอำเภอ/ทั้งไฟล์)",
                "applicants": 0,
                "errors": int((loose["severity"] == "error").sum()),
                "warnings": int((loose["severity"] == "warning").sum()),
            }
        )
    return rows


def applicant_counts(ds: Dataset, province: Province) -> list[dict]:
    """Per district of the province: clean applicants by standard and in all."""
    from mchch_lib.data.catalog import STANDARD_CODES

    a = ds.applicants
    rows = []
    for code, d in sorted(province.districts.items()):
        sub = a[a["district_code"] == code]
        rows.append(
            {
                "district_code": code,
                "district_th": d.name_th,
                **{s: int((sub["standard"] == s).sum()) for s in STANDARD_CODES},
                "total": len(sub),
            }
        )
    return rows


def print_applicant_counts(ds: Dataset, province: Province, out=None) -> None:
    """The table a run prints first: clean applicants, districts × standards, and the total."""
    rows = applicant_counts(ds, province)
    total = {"district_code": "", "district_th": "รวม"}
    for k in (*STANDARD_HEADS, "total"):
        total[k] = sum(r[k] for r in rows)
    cols = [("district_code", "รหัส (code)"), ("district_th", "อำเภอ (district)"),
            *STANDARD_HEADS.items(), ("total", "รวม (total)")]  # fmt: skip
    print_table([*rows, total], cols, out)


def districts_without_data(ds: Dataset, province: Province) -> list[str]:
    """Districts of the province from which no clean row came ("code name"): the ones that
    sent nothing, or whose workbook could not be read."""
    from mchch_lib.analysis.completeness import districts_with_data

    have = districts_with_data(ds)
    return [f"{c} {d.name_th}" for c, d in sorted(province.districts.items()) if c not in have]


def completeness_line(ds: Dataset, province: Province) -> str:
    """One line of completeness (ความครบถ้วน, reporting rate) for ``mchch validate`` and the
    batch: the districts that sent data out of those the reference table expects, who sent
    nothing, the standards no applicant is of."""
    from mchch_lib.analysis.completeness import province_table, rollup

    whole = rollup(province_table(ds, province.code)).iloc[0]
    line = (
        f"อำเภอที่ส่งข้อมูล (completeness): {whole['with_data']} จาก {whole['expected']} อำเภอ "
        f"({whole['reporting_rate_pct']:.1f} %)"
    )
    if whole["districts_without_data"]:
        line += f"\n  ยังไม่มีข้อมูลจาก (no data from): {whole['districts_without_data']}"
    if whole["standards_without_applicant"]:
        names = [STANDARD_HEADS.get(s, s).split(" ")[0]
                 for s in str(whole["standards_without_applicant"]).split()]  # fmt: skip
        line += f"\n  มาตรฐานที่ยังไม่มีผู้สมัคร (no applicant): {' '.join(names)}"
    return line


def national_summary(nd) -> list[dict]:
    """Per province of a national scope (``national.NationalData``): files, clean applicants,
    errors, warnings, and districts reporting out of those expected."""
    from mchch_lib.analysis.completeness import district_table, rollup
    from mchch_lib.data.reference import provinces

    rows = []
    for code in sorted(nd.scope):
        ds = nd.dataset(code) if code in nd.keys else None
        t = rollup(district_table({code: ds} if ds is not None else {}, [code])).iloc[0]
        p = ds.problems if ds is not None else None
        rows.append(
            {
                "province_code": code,
                "province_th": provinces()[code].name_th,
                "files": len(nd.placement.provinces.get(code, [])),
                "applicants": 0 if ds is None else len(ds.applicants),
                "errors": 0 if p is None else int((p["severity"] == "error").sum()),
                "warnings": 0 if p is None else int((p["severity"] == "warning").sum()),
                "reporting": f"{t['with_data']}/{t['expected']}",
                "rate_pct": f"{t['reporting_rate_pct']:.0f}",
            }
        )
    return rows


def problem_counts(problems) -> tuple[int, int]:
    """Errors and warnings of a problem list."""
    return int((problems["severity"] == "error").sum()), int(
        (problems["severity"] == "warning").sum()
    )


def problems_line(n_err: int, n_warn: int) -> str:
    """The last line of ``mchch validate``."""
    return f"ปัญหาที่พบ (problems): ข้อผิดพลาด {n_err} รายการ (error), คำเตือน {n_warn} รายการ (warning)"


def without_params(paths) -> str:
    """Said when ``mchch validate`` ran without the params: the deadlines (and the province)
    come from them, so some warnings of the report are not counted; names the params file
    under ``./params`` whose inputs are these paths, if there is one."""
    hint = _params_for(paths)
    return (
        "หมายเหตุ: ไม่ได้ระบุไฟล์พารามิเตอร์ (--params) จึงไม่ได้ตรวจกำหนดส่ง 4.2 และใช้กำหนดส่ง 4.1 "
        "ของ params/2561.yaml: คำเตือนเรื่องส่งช้าอาจไม่ครบ จำนวนจึงอาจไม่ตรงกับรายงาน "
        f"ให้สั่งใหม่พร้อม --params {hint or 'params/<ปี>.yaml'} "
        "(deadline warnings need --params; without it the count may differ from the report's)"
    )


def _params_for(paths) -> str | None:
    """The params file under ``./params`` whose inputs include one of ``paths`` (relative)."""
    from pathlib import Path

    from mchch_lib.data.params import load_params
    from mchch_lib.errors import MchchError

    wanted = {Path(p).resolve() for p in paths}
    for f in sorted(Path("params").glob("*.yaml")):
        try:
            inputs = {p.resolve() for p in load_params(f).inputs}
        except MchchError:
            continue
        if inputs & wanted:
            return str(f)
    return None


def print_validation(ds: Dataset, province: Province, with_params: bool, out=None,
                     paths=()) -> int:  # fmt: skip
    """What ``mchch validate`` prints for one province: files, a line per district,
    completeness, the reconciliation of rows, the problems; returns the number of errors."""
    out = out or sys.stdout
    cache = " (จากแคช, cache)" if ds.from_cache else ""
    print(f"mchch validate: ตรวจ {len(ds.files)} ไฟล์{cache} จังหวัด{province.name_th}", file=out)
    print_table(validation_summary(ds, province), VALIDATE_COLUMNS, out)
    print(completeness_line(ds, province), file=out)
    print("\nกระทบยอดแถว (reconciliation): แถวที่อ่าน = ใช้ได้ + ไม่ผ่าน + รวมกับแถวอื่น", file=out)
    cols = ["rows_read", "clean", "rejected", "merged"]
    rec = ds.reconciliation.reindex(columns=["table", *cols], fill_value=0)
    rows = []
    for table, r in rec.groupby("table", sort=False)[cols].sum().iterrows():
        ok = r.rows_read == r.clean + r.rejected + r.merged
        rows.append({"table": SHEETS[table].th if table in SHEETS else table,
                     **{c: int(r[c]) for c in cols}, "ok": "ตรง (ok)" if ok else
                     "ไม่ตรง (MISMATCH)"})  # fmt: skip
    heads = [("table", "ตาราง (sheet)"), ("rows_read", "อ่าน (read)"), ("clean", "ใช้ได้ (clean)"),
             ("rejected", "ไม่ผ่าน (rejected)"), ("merged", "รวม (merged)"), ("ok", "")]  # fmt: skip
    for line in format_table(rows, heads):
        print("  " + line, file=out)
    n_err, n_warn = problem_counts(ds.problems)
    print("\n" + problems_line(n_err, n_warn), file=out)
    if not with_params:
        print(without_params(paths), file=out)
    return n_err


def no_applicants(ds: Dataset, province: Province) -> str:
    """The statement a run ends with when no district has sent an applicant yet."""
    from mchch_lib.analysis.completeness import province_table, rollup

    whole = rollup(province_table(ds, province.code)).iloc[0]
    return (
        f"mchch run: ยังไม่มีอำเภอใดส่งรายชื่อผู้สมัคร จึงยังไม่จัดทำรายงาน "
        f"(ความครบถ้วน: ส่งข้อมูลแล้ว {whole['with_data']} จาก {whole['expected']} อำเภอ) / "
        "no district has sent applicants yet; nothing rendered. "
        "กรอกแบบฟอร์มของอำเภอ (sheet ผู้สมัคร) แล้วรัน mchch run อีกครั้ง"
    )


def run_header(year: int, n_reports: int, n_other: int, n_fresh: int, input_hash: str,
               n_applicants: int) -> str:  # fmt: skip
    """The line before the jobs of a run."""
    return (
        f"mchch run ปี {year}: จะจัดทำรายงาน {n_reports} ฉบับ และแบบฟอร์ม/สไลด์ {n_other} งาน "
        f"(jobs), เป็นปัจจุบันแล้ว {n_fresh} งาน (up to date), ผู้สมัคร {n_applicants} ราย, "
        f"input hash {input_hash[:12]}"
    )


def up_to_date(finished: object, n: int, folder: object) -> str:
    """A run with nothing to do."""
    return (f"mchch run: ไม่มีอะไรเปลี่ยนตั้งแต่ {finished}; รายงาน {n} รายการเป็นปัจจุบันแล้ว "
            f"(up to date) ใน {folder}")  # fmt: skip


#: Thai names of a job's status (the English word for the log reader).
STATUS_TH = {"ok": "เสร็จ (ok)", "failed": "ล้มเหลว (failed)", "skipped": "ข้าม (skipped)"}


def progress_line(job_id: str, title: str, status: str, seconds: float) -> str:
    """One finished job when the output is not a terminal, aligned by display width."""
    return (f"  {pad(job_id, 22, right=True)} {pad(title, 18)} "
            f"{pad(STATUS_TH.get(status, status), 17)} {seconds:6.1f} วินาที")  # fmt: skip


def print_run_summary(results, jobs, unreadable, missing, output_dir, run_json,
                      seconds: float) -> None:  # fmt: skip
    """The end of a run: made, up to date, failed (with the notebook kept), files not read,
    districts with no data, where the reports are."""
    ok = sum(r.status == "ok" for r in results)
    sk = sum(r.status == "skipped" for r in results)
    by_id = {r.id: r for r in results}
    failed = [j for j in jobs if by_id.get(j.id) and by_id[j.id].status == "failed"]
    print(f"\nmchch run: จัดทำแล้ว {ok} (made), เป็นปัจจุบัน {sk} (up to date), "
          f"ล้มเหลว {len(failed)} (failed) ใช้เวลา {seconds:.1f} วินาที")  # fmt: skip
    for j in failed:
        print(
            f"  ล้มเหลว (FAILED) {j.id} {j.title}: {((by_id[j.id].error or '').splitlines() or [''])[0]}"
        )
        print(f"         เก็บ notebook ที่รันไว้ให้ตรวจ (kept): {j.ipynb}")
    for p in unreadable:
        print(f"  อ่านไม่ได้ (NOT READ) {p.file}: {p.message_th} / {p.message_en}")
    if missing:
        print("  ยังไม่มีข้อมูลจาก (no data from): " + ", ".join(missing))
    print(f"รายงาน (reports): {output_dir}\nบันทึกการรัน (run record): {run_json}")
