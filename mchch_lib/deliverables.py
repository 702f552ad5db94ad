"""What a run produces besides the PDF reports: forms 4.1 and 4.2 (Excel), the certificates of
the certified units with their announcement list, meeting decks (PowerPoint) and the submission
bundle; each switchable in params (``output.forms`` also switches the certificates ...)."""

from __future__ import annotations

import html
import json
import time
from pathlib import Path

from . import bundle, certificates, deck, final_round, forms, scoring, validate
from .atomic import sha256_file
from .catalog import load_catalog
from .model import Dataset
from .outputs import unit_stem
from .reference import load_province


def produce(params, ds: Dataset, state: dict, progress: bool = True) -> dict:
    """Write the forms, decks and bundle of a run; returns what was written (for run.json)."""
    written = forms_and_decks(params, ds)
    return finish(params, ds, state, written, progress)


def forms_and_decks(params, ds: Dataset) -> dict[str, list[Path]]:
    """Forms 4.1/4.2 and a deck per district and for the province (as params switch on)."""
    catalog = load_catalog(params.catalog)
    province = load_province(params.province_code)
    names = {c: d.name_th for c, d in province.districts.items()}
    ind = scoring.indicator_scores(ds, catalog)
    scored = scoring.applicant_scores(ds, catalog, ind)
    out = params.output_dir
    office, year = params.office_th, params.year
    written: dict[str, list[Path]] = {"forms": [], "decks": [], "certificates": []}
    codes = sorted(set(scored["district_code"].dropna().astype(int)))
    units = [(c, f"อำเภอ{names[c]}", unit_stem(c, names[c])) for c in codes]
    units.append((None, f"จังหวัด{province.name_th}", "province"))
    for code, place, stem in units:
        sel = scored if code is None else scored[scored["district_code"] == code]
        sel_ind = ind if code is None else ind[ind["district_code"] == code]
        part = ds if code is None else ds.for_district(code)
        if params.forms:
            apps = part.applicants.sort_values(["district_code", "applicant_id"])
            for form, name in (
                (forms.form_41(apps, catalog, office, year, place, names), "แบบ4.1"),
                (forms.form_42(sel, sel_ind, catalog, office, year, place, names), "แบบ4.2"),
            ):
                if params.thai_digits:
                    forms.use_thai_digits(form)
                written["forms"].append(forms.save(form, out / "forms" / f"{stem}_{name}.xlsx"))
        if params.deck:
            prs = deck.build_deck(
                "ความก้าวหน้า มชช.", sel, sel_ind, part, catalog, place, year, code is None, names
            )
            if params.thai_digits:
                deck.use_thai_digits(prs)
            written["decks"].append(deck.save(prs, out / "decks" / f"{stem}_ประชุม.pptx"))
    if params.forms:
        written["certificates"] = certificates.write(params, ds, catalog, scored)
    return written


def certificate_files(params, ds: Dataset) -> list[Path]:
    """The certificates, their combined PDF and the announcement form alone (what
    ``forms_and_decks`` makes with the forms): ``reports/<year>/certificates/``."""
    return certificates.write(params, ds)


def finish(
    params, ds: Dataset, state: dict, written: dict[str, list[Path]], progress: bool = True
) -> dict:
    """The bundle (after the reports exist) and a summary of the deliverables."""
    t0 = time.perf_counter()
    out = params.output_dir
    province = load_province(params.province_code)
    names = {c: d.name_th for c, d in province.districts.items()}
    result = {k: [str(p) for p in v] for k, v in written.items()}
    if params.bundle:
        result["bundle"] = _bundle(params, ds, state, written, province, names)
    made = [*written["forms"], *written["decks"], *written.get("certificates", [])]
    if params.bundle:
        made += [out / "validation.xlsx", out / "bundle.zip"]
    # the sha256 of every deliverable: the next run stops at once only if all are unchanged
    result["files"] = {str(p): sha256_file(p) for p in made if p.exists()}
    result["seconds"] = round(time.perf_counter() - t0, 3)
    if progress:
        n_cert = sum(
            p.suffix == ".pdf" and p.name != certificates.COMBINED
            for p in written.get("certificates", [])
        )
        print(
            f"forms: {len(written['forms'])}, decks: {len(written['decks'])}, "
            f"certificates: {n_cert}"
            + (
                f", bundle: {out / 'bundle'} ({result['bundle']['files']} files, "
                f"{result['bundle']['bytes'] / 1e6:.1f} MB, fits CD: "
                f"{result['bundle']['fits_cd']})"
                if params.bundle
                else ""
            )
        )
    return result


def _all_problems(params, ds: Dataset):
    """The validation problems and those of the final round that need the scores."""
    import pandas as pd

    if not len(ds.final_round):
        return ds.problems
    catalog = load_catalog(params.catalog)
    res = final_round.results(ds, catalog, scoring.applicant_scores(ds, catalog))
    more = final_round.problems(res)
    return pd.concat([ds.problems, more], ignore_index=True) if len(more) else ds.problems


def _bundle(params, ds, state, written, province, names) -> dict:
    out = params.output_dir
    reports = []
    prov = out / "province.pdf"
    if prov.exists():
        reports.append((prov, f"รายงานระดับจังหวัด{province.name_th}"))
    for code in sorted(province.districts):
        for p in sorted((out / "districts").glob(f"{code}_*.pdf")):
            reports.append((p, f"รายงานอำเภอ{names[code]}"))
    groups = {
        "รายงาน (PDF)": reports,
        "แบบรายงาน 4.1 และ 4.2 (Excel)": [(p, p.stem.replace("_", " ")) for p in written["forms"]],
        "สไลด์สำหรับการประชุม (PowerPoint)": [(p, p.stem.replace("_", " ")) for p in written["decks"]],
    }
    made = written.get("certificates", [])
    if made:
        firsts = [p for p in made if p.name in (certificates.COMBINED, certificates.ANNOUNCEMENT)]
        groups["ใบรับรองและประกาศรายชื่อผู้ผ่านการรับรอง"] = [
            (p, p.stem.replace("_", " ")) for p in [*firsts, *(p for p in made if p not in firsts)]
        ]
    validation = out / "validation.xlsx"
    validate.write_problems_xlsx(_all_problems(params, ds), validation, province)
    groups["การตรวจสอบข้อมูล"] = [(validation, "รายการปัญหาข้อมูล (Excel)")]
    n_err = int((ds.problems["severity"] == "error").sum())
    n_warn = int((ds.problems["severity"] == "warning").sum())
    rec = ds.reconciliation.groupby("table")[["rows_read", "clean", "rejected"]].sum()
    rows = "".join(
        f"<tr><td>{html.escape(t)}</td><td>{r.rows_read}</td><td>{r.clean}</td>"
        f"<td>{r.rejected}</td></tr>"
        for t, r in rec.iterrows()
    )
    summary = (
        f"<p>{html.escape(params.office_th)} · ข้อมูลนำเข้า {len(ds.files)} ไฟล์ · "
        f"ผู้สมัคร {len(ds.applicants)} ราย · ข้อผิดพลาด {n_err} รายการ · "
        f"คำเตือน {n_warn} รายการ · input hash {ds.input_hash[:16]}</p>"
        "<h2>สรุปการตรวจสอบข้อมูล</h2><table><tr><th>ตาราง</th><th>อ่านได้</th>"
        f"<th>ใช้ได้</th><th>ไม่ผ่าน</th></tr>{rows}</table>"
    )
    # what the bundle's reports were made from: stable fields only, so an unchanged run makes
    # an identical bundle (no time stamps)
    stable = ("year", "params_hash", "input_hash", "code_version")
    run_record = json.dumps(
        {
            **{k: state.get(k) for k in stable},
            "outputs": {
                k: {"key": v["key"], "files": {Path(p).name: d for p, d in v["files"].items()}}
                for k, v in sorted(state.get("outputs", {}).items())
                if v.get("status") == "ok"
            },
        },
        ensure_ascii=False,
        indent=1,
    ).encode("utf-8")
    return bundle.build(
        out,
        f"ผลการพัฒนาตามระบบ มชช. ปี {params.year} จังหวัด{province.name_th}",
        groups,
        summary,
        {"run.json": run_record},
    )
