"""The ``mchch`` command: a thin layer over library functions (imports are lazy so that
``mchch --help`` and an incremental ``mchch run`` with nothing to do start fast)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from mchch_lib import config
from mchch_lib.errors import InputReadError, MchchError, ParamsError, RunTerminated

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2


def _print_table(rows: list[dict], cols: list[tuple[str, str]], out=None) -> None:
    from mchch_lib.batch.console import print_table

    print_table(rows, cols, out)


def cmd_validate(args) -> int:
    from mchch_lib.batch.console import print_validation
    from mchch_lib.data import dataset, validate
    from mchch_lib.data.reference import load_province

    params = _maybe_params(args)
    if params is not None and params.is_national and not args.province:
        return _validate_national(args, params)
    catalog, province = _catalog_and_province(args, params)
    deadline = params.deadline_41 if params else None
    ds = dataset.load(
        args.paths,
        catalog,
        province,
        deadline,
        use_cache=not args.no_cache,
        limits=params.limits if params else validate.DEFAULT_LIMITS,
        deadline_42=params.deadline_42 if params else None,
    )
    n_err = print_validation(
        ds, load_province(province), with_params=params is not None, paths=args.paths
    )
    if args.json:
        from mchch_lib.common.atomic import write_text

        write_text(
            args.json, json.dumps(validate.problems_json(ds.problems), ensure_ascii=False, indent=1)
        )
        print(f"ปัญหาเป็น JSON (json): {args.json}")
    if args.report:
        validate.write_problems_xlsx(ds.problems, args.report, load_province(province))
        print(f"รายการปัญหาเป็น Excel (report): {args.report}")
    unreadable = validate.unreadable(ds.problems)
    for p in unreadable.itertuples():
        print(f"mchch: อ่านไฟล์ไม่ได้ (cannot read) {p.file}: {p.message_th} / {p.message_en}",
              file=sys.stderr)  # fmt: skip
    if len(unreadable):
        return EXIT_UNREADABLE
    return EXIT_ERRORS if n_err else EXIT_OK


def _validate_national(args, params) -> int:
    """``mchch validate PATH... --params national.yaml``: every workbook placed in its
    province and validated as that province's run does; one line per province with its
    completeness (districts reporting out of those expected)."""
    from dataclasses import replace

    from mchch_lib.batch.console import national_summary, problems_line
    from mchch_lib.data import national_inputs as national
    from mchch_lib.data import validate

    params = replace(params, inputs=tuple(args.paths))
    nd = national.load_national(params, processes=os.cpu_count() or 1)
    rows = national_summary(nd)
    print(f"mchch validate: ตรวจ {len(nd.file_digests)} ไฟล์ ใน {len(nd.keys)} จังหวัด "
          f"(files, provinces)")  # fmt: skip
    _print_table(rows, [("province_code", "รหัส (code)"), ("province_th", "จังหวัด (province)"),
                        ("files", "ไฟล์ (files)"), ("applicants", "ผู้สมัคร (applicants)"),
                        ("errors", "ข้อผิดพลาด (errors)"), ("warnings", "คำเตือน (warnings)"),
                        ("reporting", "อำเภอที่ส่ง (reporting)"), ("rate_pct", "%")])  # fmt: skip
    n_err = sum(r["errors"] for r in rows)
    n_warn = sum(r["warnings"] for r in rows)
    unread = []
    for code in nd.codes:
        unread += list(validate.unreadable(nd.dataset(code).problems).itertuples())
    if nd.unplaced is not None:
        p = nd.unplaced.problems
        n_err += int((p["severity"] == "error").sum())
        print(f"ระบุจังหวัดไม่ได้ (ไม่พบอำเภอที่รู้จัก, not placed): {len(nd.unplaced.files)} ไฟล์")
        unread += list(validate.unreadable(p).itertuples())
    if nd.placement.outside:
        n = sum(len(v) for v in nd.placement.outside.values())
        print(f"ไม่นำมาใช้ (left out): {n} ไฟล์ของจังหวัดที่ไม่อยู่ในพารามิเตอร์ (params)")
    print("\n" + problems_line(n_err, n_warn))
    for p in unread:
        print(f"mchch: อ่านไฟล์ไม่ได้ (cannot read) {p.file}: {p.message_th} / {p.message_en}",
              file=sys.stderr)  # fmt: skip
    if unread:
        return EXIT_UNREADABLE
    return EXIT_ERRORS if n_err else EXIT_OK


def cmd_scores(args) -> int:
    from mchch_lib.analysis import scoring
    from mchch_lib.data import dataset

    params = _maybe_params(args)
    catalog, province = _catalog_and_province(args, params)
    ds = dataset.load(args.paths, catalog, province, params.deadline_41 if params else None)
    table = scoring.export_table(scoring.applicant_scores(ds, catalog))
    if args.csv:
        from mchch_lib.common.atomic import atomic_path
        from mchch_lib.common.sanitize import neutralize_frame

        with atomic_path(args.csv) as tmp:
            neutralize_frame(table).to_csv(tmp, index=False, encoding="utf-8-sig")
        print(f"ผู้สมัคร {len(table)} ราย (applicants) -> {args.csv}")
    else:
        print(table.to_string(index=False))
    return EXIT_OK


def _stop_on_sigterm() -> None:
    """SIGTERM ends the run as Ctrl-C does (``RunTerminated``: workers stopped, exit 143).
    A process forked from this one (a worker, a validation process) dies of it as usual."""
    import signal

    from mchch_lib.errors import RunTerminated

    me = os.getpid()

    def on_term(signum, frame):
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a second one ends at once
        if os.getpid() != me:
            os.kill(os.getpid(), signal.SIGTERM)
            return
        raise RunTerminated()

    signal.signal(signal.SIGTERM, on_term)


def cmd_run(args) -> int:
    from mchch_lib.batch.run import run

    _stop_on_sigterm()
    result = run(
        args.params,
        jobs=args.jobs,
        districts=args.district,
        force=args.force,
        allow_errors=args.allow_errors,
        progress=not args.quiet,
        strict=args.strict,
        allow_year_mismatch=args.allow_year_mismatch,
        executor=args.executor,
        scheduler=args.scheduler,
        wait=args.wait,
    )
    return result.exit_code


def cmd_compare(args) -> int:
    """This year beside earlier years: a tidy CSV for analysts, the matched units."""
    from mchch_lib.analysis import years
    from mchch_lib.common.atomic import atomic_path
    from mchch_lib.common.sanitize import neutralize_frame
    from mchch_lib.data.params import load_params

    c = years.comparison_for_params(load_params(args.params), args.with_params)
    table = c.tidy()
    for path, df, what in ((args.csv, table, "rows"), (args.units, years.units_table(c), "units")):
        if path:
            with atomic_path(path) as tmp:
                neutralize_frame(df).to_csv(tmp, index=False, encoding="utf-8-sig")
            print(f"{len(df)} {what} -> {path}")
    t = c.change(c.total, ["standard"]).iloc[0]
    print(
        f"mchch compare {c.year} with {', '.join(map(str, c.years[:-1]))}: "
        f"{int(t['registered_now'])} applicants ({t['registered_change']:+.0f}), mean post "
        f"{t['mean_post_pct_now']:.1f}% ({t['mean_post_pct_change']:+.1f}), "
        f"{len(c.returning)} returning, {c.candidates['applicant_id'].nunique()} to confirm"
    )
    for p in c.decision_problems:  # matches.csv rows not applied
        print(f"{p.file} แถว/row {p.row} [{p.rule}]: {p.message_th} / {p.message_en}")
    return EXIT_OK


def cmd_template(args) -> int:
    from mchch_lib.data.blank_workbook import write_template

    path = write_template(
        args.output,
        year=args.year,
        province_code=args.province,
        district_code=args.district,
        provincial=args.final_round,
    )
    print(f"แบบฟอร์มเปล่า (template): {path}")
    return EXIT_OK


def cmd_sample(args) -> int:
    from mchch_lib.sample import main as sample_main

    return sample_main([] if args.out is None else ["--out", str(args.out)])


def cmd_notebook(args) -> int:
    from mchch_lib.documents.starter_notebook import write_starter

    path = write_starter(args.name, directory=args.dir, force=args.force)
    print(f"สมุดบันทึก (notebook): {path}")
    print(f"  JupyterLab: jupyter lab {path}")
    print(f"  PDF:        jupyter nbconvert --to mchch_pdf --execute {path}")
    return EXIT_OK


def _maybe_params(args):
    """--params, else (no --province) the params file whose inputs hold the paths: the
    sample's own params for the sample's folder."""
    from mchch_lib.data.params import load_params, params_for_inputs

    if getattr(args, "params", None):
        return load_params(args.params)
    if getattr(args, "paths", None) and not getattr(args, "province", None):
        return params_for_inputs(args.paths)
    return None


def _catalog_and_province(args, params):
    """--catalog and --province, else the params' (no province or year is assumed)."""
    from mchch_lib.data.catalog import load_catalog

    province = args.province or (params.province_code if params else None)
    if province is None:
        raise MchchError(
            "ไม่มีไฟล์พารามิเตอร์ของข้อมูลนี้ ระบุ --params (หรือ --province และ --catalog) / "
            "no params file names these inputs: give --params (or --province and --catalog)"
        )
    return load_catalog(args.catalog or (params.catalog if params else None)), province


class _ThaiHelp(argparse.RawDescriptionHelpFormatter):
    """argparse's help with its headings in Thai (the English after them)."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "วิธีใช้ (usage): " if prefix is None else prefix)


class ThaiParser(argparse.ArgumentParser):
    """An argument parser whose help and errors speak Thai first (its sub-commands too)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _ThaiHelp)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "ค่าที่ต้องระบุ (positional arguments)"
        self._optionals.title = "ตัวเลือก (options)"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                          help="แสดงวิธีใช้นี้ / show this help")  # fmt: skip

    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: ข้อผิดพลาด (error): {message}\n"
                     f"ดูวิธีใช้: {self.prog} --help\n")  # fmt: skip


def _add_run(sub) -> None:
    """``mchch run``: the batch."""
    r = sub.add_parser("run", help="จัดทำรายงานอำเภอและจังหวัดทั้งหมด / the batch: every report",
                       description="จัดทำรายงาน PDF แบบรายงาน Excel สไลด์ และเกียรติบัตร จากแบบฟอร์ม"
                       "ของอำเภอ ตามไฟล์พารามิเตอร์ / make every report of a params file")  # fmt: skip
    r.add_argument("params", type=Path, help="ไฟล์พารามิเตอร์ เช่น params/2562.yaml / params file")
    r.add_argument("--jobs", type=int, default=None,
                   help="จำนวนงานที่ทำพร้อมกัน (ค่าเริ่มต้น: จำนวนแกน CPU) / parallel workers")  # fmt: skip
    r.add_argument("--district", type=int, action="append",
                   help="เฉพาะอำเภอนี้ (รหัส 4 หลัก ระบุซ้ำได้) / only this district (repeat)")  # fmt: skip
    r.add_argument("--force", action="store_true",
                   help="ทำใหม่ทั้งหมดแม้ข้อมูลไม่เปลี่ยน / redo even unchanged reports")  # fmt: skip
    r.add_argument("--allow-errors", action="store_true",
                   help="ทำรายงานแม้ข้อมูลมีข้อผิดพลาด (แถวที่ผิดถูกตัดออกและแสดงรายการ) / render "
                   "despite validation errors (rejected rows listed)")  # fmt: skip
    r.add_argument("--quiet", action="store_true", help="ไม่แสดงความคืบหน้า / no progress bars")
    r.add_argument("--strict", action="store_true",
                   help="หยุด (exit 2) เมื่ออ่านไฟล์ใดไม่ได้; การรันระดับประเทศ: หยุดทั้งหมดเมื่อจังหวัดใด"
                   "มีข้อผิดพลาด / stop when an input cannot be read; national: stop everything "
                   "when a province has data errors (default: that province is held back)")  # fmt: skip
    r.add_argument("--wait", action="store_true",
                   help="รอการรันอื่นที่ใช้โฟลเดอร์ผลลัพธ์เดียวกันให้เสร็จ / wait for another run "
                   "holding the output folder (default: exit 2 naming it)")  # fmt: skip
    r.add_argument("--allow-year-mismatch", action="store_true",
                   help="รันแม้ปีในพารามิเตอร์ไม่ตรงกับเกณฑ์หรือวันที่สมัคร / run although the "
                   "params year disagrees with the catalog or the application dates")  # fmt: skip
    r.add_argument("--executor", choices=("local", "dask"), default="local",
                   help="ประมวลผลที่ใด: local = เครื่องนี้ (ค่าเริ่มต้น), dask = คลัสเตอร์ "
                   "dask.distributed / local: worker processes here; dask: dask.distributed")  # fmt: skip
    r.add_argument("--scheduler",
                   help="ที่อยู่ scheduler ของ Dask (tcp://host:8786); ไม่ระบุ: สร้าง LocalCluster / "
                   "with --executor dask: the scheduler's address; none: a LocalCluster")  # fmt: skip
    r.set_defaults(func=cmd_run)


def _add_init(sub) -> None:
    """``mchch init``: a province's year prepared."""
    i = sub.add_parser("init", help="เตรียมงานของจังหวัด: พารามิเตอร์และแบบฟอร์มเปล่าทุกอำเภอ / "
                       "prepare a province's year", description=INIT_HELP)  # fmt: skip
    i.add_argument("province", help="รหัสจังหวัด (เช่น 30) หรือชื่อจังหวัด (เช่น นครราชสีมา) / "
                   "province code or name")  # fmt: skip
    i.add_argument("--year", type=int, required=True, help="ปี พ.ศ. เช่น 2562 / Buddhist-Era year")
    i.add_argument("--dir", type=Path, default=Path("."),
                   help="โฟลเดอร์ที่จะสร้าง (ค่าเริ่มต้น: โฟลเดอร์ปัจจุบัน) / folder (default: .)")  # fmt: skip
    i.add_argument("--force", action="store_true",
                   help="เขียนทับแม้โฟลเดอร์มีไฟล์อยู่แล้ว / write into a non-empty folder")  # fmt: skip
    i.set_defaults(func=cmd_init)


INIT_HELP = """\
เตรียมงานของจังหวัดสำหรับปีหนึ่ง: สร้าง
  params/ปี.yaml                 พารามิเตอร์ (จังหวัด ปี กำหนดส่ง 4.1/4.2 โฟลเดอร์ข้อมูลและผลลัพธ์)
  data/catalog/ปี.yaml           เกณฑ์มาตรฐาน (ตัวบ่งชี้ คะแนนเต็ม) ให้แก้ตามหนังสือสั่งการ
  data/ปี/รหัส_อำเภอ.xlsx          แบบฟอร์มเปล่า 1 ไฟล์ต่ออำเภอ (มีรายการให้เลือกและตรวจคะแนนเต็ม)
ไม่เขียนทับโฟลเดอร์ที่มีไฟล์อยู่แล้ว เว้นแต่ระบุ --force
Prepare a province's year: the params, the catalog, one blank workbook per district."""


def cmd_init(args) -> int:
    from mchch_lib.data.setup_year import prepare_year

    r = prepare_year(args.province, args.year, args.dir, force=args.force)
    print(f"mchch init: จังหวัด{r.province_th} (รหัส {r.province_code}) ปี {r.year}")
    print(f"  พารามิเตอร์ (params):        {r.params}  <- แก้กำหนดส่ง 4.1/4.2 ตามหนังสือของท่าน")
    print(f"  เกณฑ์มาตรฐาน (catalog):      {r.catalog}")
    print(f"  แบบฟอร์มอำเภอ (workbooks):   {len(r.workbooks)} ไฟล์ ใน {r.workbooks[0].parent}")
    print("ขั้นต่อไป: ส่งแบบฟอร์มให้อำเภอกรอก วางไฟล์ที่ได้รับคืนไว้ที่เดิม แล้วสั่ง")
    print(f"  mchch validate {r.workbooks[0].parent} --params {r.params}")
    print(f"  mchch run {r.params}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    p = ThaiParser(prog="mchch", description="มชช. (มาตรฐานการพัฒนาชุมชน): ตรวจแบบฟอร์มของอำเภอ "
                   "และจัดทำรายงาน / มชช. analysis and reports", epilog="ดูวิธีใช้ของแต่ละคำสั่ง: "
                   "mchch คำสั่ง --help (e.g. mchch run --help)")  # fmt: skip
    sub = p.add_subparsers(dest="command", required=True, title="คำสั่ง (commands)",
                           metavar="<คำสั่ง>")  # fmt: skip
    _add_init(sub)

    v = sub.add_parser("validate", help="ตรวจแบบฟอร์มของอำเภอ แสดงปัญหาทุกข้อ / check workbooks")
    v.add_argument("paths", nargs="+", type=Path,
                   help="ไฟล์ .xlsx หรือโฟลเดอร์ / workbooks, CSV folders or folders")  # fmt: skip
    v.add_argument("--json", type=Path, help="เขียนรายการปัญหาเป็น JSON / problems as JSON")
    v.add_argument("--report", type=Path, help="เขียนรายการปัญหาเป็น Excel / problems as Excel")
    v.add_argument("--params", type=Path, help="ไฟล์พารามิเตอร์ (จังหวัด เกณฑ์ กำหนดส่ง): ให้จำนวน"
                   "คำเตือนตรงกับรายงาน / params file (catalog, province, deadlines)")  # fmt: skip
    v.add_argument("--catalog", type=Path, help="ไฟล์เกณฑ์มาตรฐาน / catalog file")
    v.add_argument("--province", type=int, help="รหัสจังหวัด / province code")
    v.add_argument("--no-cache", action="store_true", help="ไม่ใช้แคช / do not use the cache")
    v.set_defaults(func=cmd_validate)

    s = sub.add_parser("scores", help="คะแนนรายผู้สมัคร (CSV) / per-applicant scores (CSV)")
    s.add_argument("paths", nargs="+", type=Path, help="ไฟล์หรือโฟลเดอร์ / workbooks or folders")
    s.add_argument("--csv", type=Path, help="เขียน CSV (UTF-8 BOM เปิดใน Excel ได้) / write CSV")
    s.add_argument("--params", type=Path, help="ไฟล์พารามิเตอร์ / params file")
    s.add_argument("--catalog", type=Path, help="ไฟล์เกณฑ์มาตรฐาน / catalog file")
    s.add_argument("--province", type=int, help="รหัสจังหวัด / province code")
    s.set_defaults(func=cmd_scores)

    _add_run(sub)

    c = sub.add_parser("compare", help="เทียบกับปีที่ผ่านมา (CSV) / this year beside earlier years")
    c.add_argument("params", type=Path, help="พารามิเตอร์ของปีนี้ เช่น params/2562.yaml")
    c.add_argument("--with", dest="with_params", type=Path, action="append",
                   help="พารามิเตอร์ของปีก่อน (ระบุซ้ำได้; ค่าเริ่มต้น: compare_with) / params of an "
                   "earlier year (repeat; default: the params' compare_with)")  # fmt: skip
    c.add_argument("--csv", type=Path, help="ตารางยาว (tidy): level, code, name, standard, "
                   "indicator, measure, year, value (UTF-8 BOM)")  # fmt: skip
    c.add_argument("--units", type=Path, help="หน่วยนับปีนี้และการจับคู่ (ปิดเลขบัตร) / units")
    c.set_defaults(func=cmd_compare)

    _add_template(sub)

    g = sub.add_parser("sample", help="สร้างข้อมูลตัวอย่างใหม่ / regenerate the sample workbooks")
    g.add_argument("--out", type=Path, help="โฟลเดอร์ / folder")
    g.set_defaults(func=cmd_sample)

    n = sub.add_parser("notebook", help="สมุดบันทึกสำหรับนักวิเคราะห์ / a starter notebook")
    n.add_argument("name", help="ชื่อสมุดบันทึก เช่น my_analysis / notebook name")
    n.add_argument("--dir", type=Path, help="โฟลเดอร์ (ค่าเริ่มต้น: notebooks/) / folder")
    n.add_argument("--force", action="store_true", help="เขียนทับ / overwrite")
    n.set_defaults(func=cmd_notebook)

    a = sub.add_parser("app", help="เปิดหน้าสำรวจผล มชช. ในเว็บเบราว์เซอร์ (Voilà)")
    a.add_argument("params", type=Path, nargs="?",
                   help="ไฟล์ตั้งค่าของปี เช่น params/2562.yaml (ไม่ระบุ: ปีล่าสุดในโฟลเดอร์ params/) "
                   "/ params file (default: the latest year in params/)")  # fmt: skip
    a.add_argument("--port", type=int, default=8866, help="พอร์ต (ค่าเริ่มต้น 8866)")
    a.add_argument("--no-browser", action="store_true", help="ไม่เปิดเบราว์เซอร์ให้")
    a.set_defaults(func=cmd_app)
    return p


def _add_template(sub) -> None:
    t = sub.add_parser("template", help="แบบฟอร์มเปล่าของอำเภอ 1 ไฟล์ / one blank workbook")
    t.add_argument("output", type=Path, help="ไฟล์ที่จะสร้าง (.xlsx) / the workbook to write")
    t.add_argument("--year", type=int, required=True, help="ปี พ.ศ. เช่น 2561 / Buddhist-Era year")
    t.add_argument("--province", type=int, required=True, help="รหัสจังหวัด เช่น 60 / province code")
    t.add_argument("--district", type=int, help="รหัสอำเภอที่จะระบุในไฟล์ / the district")
    t.add_argument("--final-round", action="store_true",
                   help="แบบฟอร์มผลการรับรองระดับจังหวัดแทน / the province's final-round "
                   "workbook (committee results and members) instead")  # fmt: skip
    t.set_defaults(func=cmd_template)


def cmd_app(args) -> int:
    from mchch_lib.app.serve import serve
    from mchch_lib.data.params import newest_params

    params = args.params or newest_params(Path.cwd() / "params", config.PARAMS_DIR)
    if params is None:
        raise ParamsError(
            "ไม่พบไฟล์ตั้งค่า (params/<ปี>.yaml) โปรดระบุ เช่น mchch app params/2562.yaml "
            "/ no params file found: name one"
        )
    return serve(params, args.port, browser=not args.no_browser)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    config.decline_slow_optional_imports()
    try:
        return args.func(args)
    except InputReadError as e:
        print(f"mchch: อ่านข้อมูลเข้าไม่ได้ (cannot read input): {e}", file=sys.stderr)
        return EXIT_UNREADABLE
    except MchchError as e:
        print(f"mchch: {e}", file=sys.stderr)
        return EXIT_UNREADABLE
    except KeyboardInterrupt:
        return 130
    except RunTerminated:
        print("mchch: หยุดตามสัญญาณ SIGTERM / stopped by SIGTERM", file=sys.stderr)
        return 143
    except Exception as e:  # noqa: BLE001 - the last resort: a line and a log, not a traceback
        from mchch_lib.common.sanitize import mask_ids

        log = _write_crash_log(argv)
        print(
            f"mchch: เกิดข้อผิดพลาดที่ไม่คาดคิด / unexpected error: {type(e).__name__}: "
            f"{mask_ids(str(e).splitlines()[0]) if str(e) else ''}\n"
            f"       รายละเอียดอยู่ใน / the traceback is in: {log}",
            file=sys.stderr,
        )
        return EXIT_UNREADABLE


def _write_crash_log(argv: list[str] | None) -> Path:
    """Write the current exception's traceback to a log file; return its path."""
    import datetime as dt
    import tempfile
    import traceback

    from mchch_lib.common.sanitize import mask_ids

    folder = Path(tempfile.gettempdir()) / "mchch-logs"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    log = folder / f"mchch-{stamp}-{os.getpid()}.log"
    text = (
        f"mchch {' '.join(argv if argv is not None else sys.argv[1:])}\n" + traceback.format_exc()
    )
    log.write_text(mask_ids(text), encoding="utf-8")
    return log


def entry() -> None:
    """The ``mchch`` command (the console script): ``main``, then the exit handlers (logging,
    multiprocessing, Dask, temporary folders), then leave without the interpreter's teardown,
    which frees every object of pandas, matplotlib, WeasyPrint… one by one: 0.4 s of a
    one-district edit run, spent on memory the system takes back at once. Every output is
    written and closed by then (atomically); the streams are flushed here."""
    import atexit

    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    atexit._run_exitfuncs()  # what a normal exit runs first; os._exit skips only the teardown
    os._exit(code or 0)


if __name__ == "__main__":
    entry()
