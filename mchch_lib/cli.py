"""The ``mchch`` command: a thin layer over library functions (imports are lazy so that
``mchch --help`` and an incremental ``mchch run`` with nothing to do start fast)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from mchch_lib import config
from mchch_lib.errors import InputReadError, MchchError, RunTerminated

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2


def _print_table(rows: list[dict], cols: list[tuple[str, str]], out=None) -> None:
    from mchch_lib.common.thai import display_width, ljust

    out = out or sys.stdout
    widths = [
        max(display_width(h), *(display_width(str(r.get(k, ""))) for r in rows))
        if rows
        else display_width(h)
        for k, h in cols
    ]
    print("  ".join(ljust(h, w) for (_, h), w in zip(cols, widths, strict=True)), file=out)
    for r in rows:
        print(
            "  ".join(ljust(str(r.get(k, "")), w) for (k, _), w in zip(cols, widths, strict=True)),
            file=out,
        )


def cmd_validate(args) -> int:
    from mchch_lib.batch.console import validation_summary
    from mchch_lib.data import dataset, validate
    from mchch_lib.data.catalog import load_catalog
    from mchch_lib.data.reference import load_province

    params = _maybe_params(args)
    if params is not None and params.is_national and not args.province:
        return _validate_national(args, params)
    catalog = load_catalog(args.catalog or (params.catalog if params else None))
    province = args.province or (params.province_code if params else 60)
    deadline = params.deadline_41 if params else _default_deadline()
    ds = dataset.load(
        args.paths,
        catalog,
        province,
        deadline,
        use_cache=not args.no_cache,
        limits=params.limits if params else validate.DEFAULT_LIMITS,
        deadline_42=params.deadline_42 if params else None,
    )
    rows = validation_summary(ds, load_province(province))
    print(f"mchch validate: {len(ds.files)} file(s){' (cache)' if ds.from_cache else ''}")
    _print_table(
        rows,
        [
            ("district_code", "code"),
            ("district_th", "district"),
            ("applicants", "applicants"),
            ("errors", "errors"),
            ("warnings", "warnings"),
        ],
    )
    from mchch_lib.batch.console import completeness_line

    print(completeness_line(ds, load_province(province)))
    print("\nreconciliation (rows read = clean + rejected + merged):")
    cols = ["rows_read", "clean", "rejected", "merged"]
    rec = ds.reconciliation.reindex(columns=["table", *cols], fill_value=0)
    for table, r in rec.groupby("table", sort=False)[cols].sum().iterrows():
        mark = "ok" if r.rows_read == r.clean + r.rejected + r.merged else "MISMATCH"
        print(f"  {table:<10} {r.rows_read:>5} = {r.clean:>5} + {r.rejected:>4} + {r.merged:>3}"
              f"  {mark}")  # fmt: skip
    n_err = int((ds.problems["severity"] == "error").sum())
    n_warn = int((ds.problems["severity"] == "warning").sum())
    print(f"\nproblems: {n_err} error(s), {n_warn} warning(s)")
    if args.json:
        from mchch_lib.common.atomic import write_text

        write_text(
            args.json, json.dumps(validate.problems_json(ds.problems), ensure_ascii=False, indent=1)
        )
        print(f"json: {args.json}")
    if args.report:
        validate.write_problems_xlsx(ds.problems, args.report, load_province(province))
        print(f"report: {args.report}")
    unreadable = validate.unreadable(ds.problems)
    for p in unreadable.itertuples():
        print(f"mchch: cannot read {p.file}: {p.message_th} / {p.message_en}", file=sys.stderr)
    if len(unreadable):
        return EXIT_UNREADABLE
    return EXIT_ERRORS if n_err else EXIT_OK


def _validate_national(args, params) -> int:
    """``mchch validate PATH... --params national.yaml``: every workbook placed in its
    province and validated as that province's run does; one line per province with its
    completeness (districts reporting out of those expected)."""
    from dataclasses import replace

    from mchch_lib.batch.console import national_summary
    from mchch_lib.data import national_inputs as national
    from mchch_lib.data import validate

    params = replace(params, inputs=tuple(args.paths))
    nd = national.load_national(params, processes=os.cpu_count() or 1)
    rows = national_summary(nd)
    print(f"mchch validate: {len(nd.file_digests)} file(s) in {len(nd.keys)} province(s)")
    _print_table(rows, [("province_code", "code"), ("province_th", "province"),
                        ("files", "files"), ("applicants", "applicants"), ("errors", "errors"),
                        ("warnings", "warnings"), ("reporting", "districts reporting"),
                        ("rate_pct", "%")])  # fmt: skip
    n_err = sum(r["errors"] for r in rows)
    n_warn = sum(r["warnings"] for r in rows)
    unread = []
    for code in nd.codes:
        unread += list(validate.unreadable(nd.dataset(code).problems).itertuples())
    if nd.unplaced is not None:
        p = nd.unplaced.problems
        n_err += int((p["severity"] == "error").sum())
        print(f"not placed in a province (no known district): {len(nd.unplaced.files)} file(s)")
        unread += list(validate.unreadable(p).itertuples())
    if nd.placement.outside:
        n = sum(len(v) for v in nd.placement.outside.values())
        print(f"left out: {n} file(s) of provinces outside the params' provinces")
    print(f"\nproblems: {n_err} error(s), {n_warn} warning(s)")
    for p in unread:
        print(f"mchch: cannot read {p.file}: {p.message_th} / {p.message_en}", file=sys.stderr)
    if unread:
        return EXIT_UNREADABLE
    return EXIT_ERRORS if n_err else EXIT_OK


def cmd_scores(args) -> int:
    from mchch_lib.analysis import scoring
    from mchch_lib.data import dataset
    from mchch_lib.data.catalog import load_catalog

    params = _maybe_params(args)
    catalog = load_catalog(args.catalog or (params.catalog if params else None))
    province = args.province or (params.province_code if params else 60)
    ds = dataset.load(
        args.paths, catalog, province, params.deadline_41 if params else _default_deadline()
    )
    table = scoring.export_table(scoring.applicant_scores(ds, catalog))
    if args.csv:
        from mchch_lib.common.atomic import atomic_path
        from mchch_lib.common.sanitize import neutralize_frame

        with atomic_path(args.csv) as tmp:
            neutralize_frame(table).to_csv(tmp, index=False, encoding="utf-8-sig")
        print(f"{len(table)} applicants -> {args.csv}")
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
    print(f"template: {path}")
    return EXIT_OK


def cmd_sample(args) -> int:
    from mchch_lib.sample import main as sample_main

    return sample_main([] if args.out is None else ["--out", str(args.out)])


def cmd_notebook(args) -> int:
    from mchch_lib.documents.starter_notebook import write_starter

    path = write_starter(args.name, directory=args.dir, force=args.force)
    print(f"notebook: {path}")
    print(f"  JupyterLab: jupyter lab {path}")
    print(f"  PDF:        jupyter nbconvert --to mchch_pdf --execute {path}")
    return EXIT_OK


def _maybe_params(args):
    if getattr(args, "params", None):
        from mchch_lib.data.params import load_params

        return load_params(args.params)
    return None


def _default_deadline():
    from mchch_lib.config import PARAMS_DIR
    from mchch_lib.data.params import load_params

    p = PARAMS_DIR / "2561.yaml"
    return load_params(p).deadline_41 if p.exists() else None


def _add_run(sub) -> None:
    """``mchch run``: the batch."""
    r = sub.add_parser("run", help="the batch: district and provincial reports")
    r.add_argument("params", type=Path, help="params file, e.g. params/2561.yaml")
    r.add_argument("--jobs", type=int, default=None, help="parallel workers (default: cores)")
    r.add_argument("--district", type=int, action="append", help="only this district (repeat)")
    r.add_argument("--force", action="store_true", help="redo even unchanged districts")
    r.add_argument(
        "--allow-errors",
        action="store_true",
        help="render despite validation errors (rejected rows listed)",
    )
    r.add_argument("--quiet", action="store_true", help="no progress bars")
    r.add_argument(
        "--strict",
        action="store_true",
        help="stop (exit 2) when any input file cannot be read, instead of going on without "
        "it; a national run: stop everything when a province has data errors (default: that "
        "province is held back, the others are made)",
    )
    r.add_argument(
        "--wait",
        action="store_true",
        help="another run holds the output folder: wait for it (default: exit 2 naming it)",
    )
    r.add_argument(
        "--allow-year-mismatch",
        action="store_true",
        help="run although the params year disagrees with the catalog or the application dates",
    )
    r.add_argument(
        "--executor",
        choices=("local", "dask"),
        default="local",
        help="local: worker processes on this machine (default); dask: dask.distributed",
    )
    r.add_argument(
        "--scheduler",
        help="with --executor dask: the scheduler's address (tcp://host:8786); none: a "
        "LocalCluster of --jobs workers",
    )
    r.set_defaults(func=cmd_run)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="mchch", description="มชช. analysis and reports")
    sub = p.add_subparsers(dest="command", required=True)

    v = sub.add_parser("validate", help="check district workbooks; list every problem")
    v.add_argument("paths", nargs="+", type=Path, help="workbooks, CSV folders or folders")
    v.add_argument("--json", type=Path, help="write the problems as JSON")
    v.add_argument("--report", type=Path, help="write the problems as an Excel sheet")
    v.add_argument("--params", type=Path, help="params file (catalog, province, deadlines)")
    v.add_argument("--catalog", type=Path)
    v.add_argument("--province", type=int)
    v.add_argument("--no-cache", action="store_true", help="do not read or write the cache")
    v.set_defaults(func=cmd_validate)

    s = sub.add_parser("scores", help="per-applicant scores (CSV for analysts)")
    s.add_argument("paths", nargs="+", type=Path)
    s.add_argument("--csv", type=Path, help="write UTF-8 CSV with BOM (opens right in Excel)")
    s.add_argument("--params", type=Path)
    s.add_argument("--catalog", type=Path)
    s.add_argument("--province", type=int)
    s.set_defaults(func=cmd_scores)

    _add_run(sub)

    c = sub.add_parser("compare", help="this year beside earlier years (CSV for analysts)")
    c.add_argument("params", type=Path, help="params file of this year, e.g. params/2562.yaml")
    c.add_argument(
        "--with",
        dest="with_params",
        type=Path,
        action="append",
        help="params file of an earlier year (repeat; default: the params' compare_with)",
    )
    c.add_argument("--csv", type=Path, help="tidy table: level, code, name, standard, "
                   "indicator, measure, year, value (UTF-8 with BOM)")  # fmt: skip
    c.add_argument("--units", type=Path, help="this year's units and their match (IDs masked)")
    c.set_defaults(func=cmd_compare)

    t = sub.add_parser("template", help="blank district workbook with drop-downs and limits")
    t.add_argument("output", type=Path)
    t.add_argument("--year", type=int, default=2561)
    t.add_argument("--province", type=int, default=60)
    t.add_argument("--district", type=int, help="pre-fill the district column")
    t.add_argument(
        "--final-round",
        action="store_true",
        help="the province's final-round workbook (committee results and members) instead",
    )
    t.set_defaults(func=cmd_template)

    g = sub.add_parser("sample", help="regenerate the bundled sample workbooks")
    g.add_argument("--out", type=Path)
    g.set_defaults(func=cmd_sample)

    n = sub.add_parser("notebook", help="a planner's starter notebook: notebooks/NAME.ipynb")
    n.add_argument("name", help="notebook name, e.g. my_analysis")
    n.add_argument("--dir", type=Path, help="folder (default: the project's notebooks/)")
    n.add_argument("--force", action="store_true", help="overwrite an existing notebook")
    n.set_defaults(func=cmd_notebook)

    a = sub.add_parser("app", help="เปิดหน้าสำรวจผล มชช. ในเว็บเบราว์เซอร์ (Voilà)")
    a.add_argument("params", type=Path, nargs="?", default=config.PARAMS_DIR / "2561.yaml",
                   help="ไฟล์ตั้งค่าของปี เช่น params/2561.yaml")  # fmt: skip
    a.add_argument("--port", type=int, default=8866, help="พอร์ต (ค่าเริ่มต้น 8866)")
    a.add_argument("--no-browser", action="store_true", help="ไม่เปิดเบราว์เซอร์ให้")
    a.set_defaults(func=cmd_app)
    return p


def cmd_app(args) -> int:
    from mchch_lib.app.serve import serve

    return serve(args.params, args.port, browser=not args.no_browser)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    config.decline_slow_optional_imports()
    try:
        return args.func(args)
    except InputReadError as e:
        print(f"mchch: cannot read input: {e}", file=sys.stderr)
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
