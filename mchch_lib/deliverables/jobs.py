"""What a run produces besides the PDF reports: forms 4.1 and 4.2 (Excel), the certificates of
the certified units with their announcement list, meeting decks (PowerPoint) and the submission
bundle; each switchable in params (``output.forms`` also switches the certificates ...)."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from mchch_lib.analysis import final_round, scoring, training_plan
from mchch_lib.common.atomic import sha256_file
from mchch_lib.common.keys import unit_stem
from mchch_lib.data import dataset, validate
from mchch_lib.data.catalog import load_catalog
from mchch_lib.data.contract import Dataset
from mchch_lib.data.reference import load_province
from mchch_lib.deliverables import annex, bundle, certificates, deck, forms
from mchch_lib.documents.sections import ANNEX_NAME

#: What each deliverable kind writes for a unit (file name after the unit's stem).
KINDS = {
    "forms": ("_แบบ4.1.xlsx", "_แบบ4.2.xlsx"),
    "deck": ("_ประชุม.pptx",),
    "annex": (ANNEX_NAME.removeprefix("province"),),  # the provincial report's long lists
    "district_annex": (annex.SUFFIX,),  # a district's sub-criteria by applicant
    "certificates": (),  # one file per certified unit: known when made
}
_FOLDERS = {"forms": "forms", "deck": "decks", "annex": ".", "certificates": "certificates",
            "district_annex": "districts"}  # fmt: skip

#: What a national run makes besides each province's folder and the national report (in the
#: run's output folder): the tidy workbook for analysts, the national forms, the problems.
NATIONAL_KINDS = {
    "national_tables": "national.xlsx",
    "national_forms": "national_แบบสรุป.xlsx",
    "national_validation": "national_validation.xlsx",
}


@dataclass
class RunData:
    """The run's clean data and scores, computed once per process (a forked worker inherits
    them from the batch process)."""

    ds: Dataset
    catalog: object
    province: object
    names: dict
    ind: object
    scored: object


_DATA: dataset.Memo = dataset.Memo(dataset.MEMO_SIZE)  # by (data key, params digest)


def run_data(
    params, data_key: str | None = None, ds: Dataset | None = None, catalog=None, province=None
) -> RunData:
    """The data of a run: from ``ds``, else the cache under ``data_key``, else the inputs (a
    national run's: its ``levels.NationalScores``, by its national data key). ``catalog``,
    ``province``: the run's (its context's), else read from the params."""
    key = (data_key or (ds.key if ds is not None else ""), params.digest)
    if key[0] and key in _DATA:
        return _DATA[key]
    if params.is_national:
        return _national_data(params, data_key)
    if ds is None:
        ds = (dataset.load_by_key(data_key) if data_key else None) or dataset.load_for_params(
            params
        )
    catalog = catalog or load_catalog(params.catalog)
    province = province or load_province(params.province_code)
    ind = scoring.indicator_scores(ds, catalog)
    data = RunData(ds, catalog, province, {c: d.name_th for c, d in province.districts.items()},
                   ind, scoring.applicant_scores(ds, catalog, ind))  # fmt: skip
    if key[0]:
        _DATA[key] = data
    return data


def _national_data(params, data_key: str | None):
    from mchch_lib.analysis import rollup as levels
    from mchch_lib.data import national_inputs as national

    nd = national.load_by_key(data_key) if data_key else national.load_national(params)
    catalog = load_catalog(params.catalog)
    return levels.national_scores(nd, catalog, params.deadline_41, params.deadline_42)


def national_paths(params, kind: str) -> tuple[Path, ...]:
    """The file a national deliverable kind writes (``NATIONAL_KINDS``)."""
    return (params.output_dir / NATIONAL_KINDS[kind],)


def _make_national(kind: str, params, scores, paths: tuple[Path, ...]) -> tuple[Path, ...]:
    """national.xlsx (one tidy sheet per level), the national forms, the national problems."""
    from mchch_lib.analysis import rollup as levels
    from mchch_lib.data.reference import Province, national_districts

    if kind == "national_tables":
        _write_tidy(paths[0], levels.tidy_tables(scores), params.year)
    elif kind == "national_forms":
        wb = forms.national_summary(scores.applicants, scores.districts, scores.catalog,
                                    params.office_th, params.year)  # fmt: skip
        if params.thai_digits:
            forms.use_thai_digits(wb)
        forms.save(wb, paths[0])
    else:
        country = Province(0, "ประเทศไทย", "Thailand", dict(national_districts()))
        validate.write_problems_xlsx(scores.problems, paths[0], country)
    return paths


#: What each column of national.xlsx holds (its first sheet).
TIDY_NOTES = [
    ("sheets", "nation, region, province, district: one sheet per level of the roll-up"),
    ("rows", "one row per unit and standard; standard = all: every standard of the unit"),
    ("region_code", "1 north to 6 south (reference/provinces.csv regions)"),
    ("registered .. share_ready_registered", "scoring.summarize: the figures of every report"),
    ("mean_*_pct, median_*_pct", "% of full marks over applicants with a complete round"),
    ("share_ready", "ready / post-assessed; share_ready_registered: ready / registered"),
    ("expected, with_data", "districts expected (reference table) and that sent data"),
    ("reporting_rate_pct", "with_data / expected x 100 (rows with standard = all)"),
]


def _write_tidy(path: Path, tables: dict, year: int) -> None:
    """A plain workbook for analysts: a notes sheet, then one tidy sheet per level (text
    cells neutralized against formulas, numbers as numbers)."""
    from openpyxl import Workbook

    from mchch_lib.common.atomic import atomic_path
    from mchch_lib.common.sanitize import neutralize

    wb = Workbook(write_only=True)
    notes = wb.create_sheet("notes")
    notes.append([f"mchch national tables, year {year}", ""])
    for row in TIDY_NOTES:
        notes.append(list(row))
    for name, t in tables.items():
        ws = wb.create_sheet(name)
        ws.append(list(t.columns))
        for rec in t.itertuples(index=False):
            ws.append([_cell(v, neutralize) for v in rec])
    with atomic_path(path) as tmp:
        wb.save(tmp)


def _cell(v, neutralize):
    import pandas as pd

    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return None
    if isinstance(v, str):
        return neutralize(v)
    return v.item() if hasattr(v, "item") else v


def unit_paths(params, kind: str, code: int | None, name_th: str = "") -> tuple[Path, ...]:
    """The files a deliverable kind writes for a district (``code``) or the province (None)."""
    stem = "province" if code is None else unit_stem(code, name_th)
    folder = params.output_dir / _FOLDERS[kind]
    return tuple(folder / f"{stem}{suffix}" for suffix in KINDS[kind])


def make(
    kind: str, params, data: RunData, code: int | None, paths: tuple[Path, ...]
) -> tuple[Path, ...]:
    """Write one deliverable of one unit (forms 4.1 and 4.2, the meeting deck, the provincial
    annex, or the certificates of the province; or a national kind, ``NATIONAL_KINDS``);
    returns the files written."""
    if kind in NATIONAL_KINDS:
        return _make_national(kind, params, data, paths)
    place = f"จังหวัด{data.province.name_th}" if code is None else f"อำเภอ{data.names[code]}"
    sel = data.scored if code is None else data.scored[data.scored["district_code"] == code]
    ind = data.ind if code is None else data.ind[data.ind["district_code"] == code]
    part = data.ds if code is None else data.ds.for_district(code)
    office, year = params.office_th, params.year
    if kind == "forms":
        apps = part.applicants.sort_values(["district_code", "applicant_id"])
        made = [
            forms.form_41(apps, data.catalog, office, year, place, data.names),
            forms.form_42(sel, ind, data.catalog, office, year, place, data.names),
        ]
        for wb, path in zip(made, paths, strict=True):
            if params.thai_digits:
                forms.use_thai_digits(wb)
            forms.save(wb, path)
    elif kind == "annex":
        wb = forms.province_annex(
            data.scored,
            data.catalog,
            office,
            year,
            place,
            data.names,
            plan=training_plan.sessions(data.ind, data.scored),
        )
        if params.thai_digits:
            forms.use_thai_digits(wb)
        forms.save(wb, paths[0])
    elif kind == "district_annex":
        annex.write(params, part, data.catalog, place, paths[0])
    elif kind == "deck":
        prs = deck.build_deck(deck_context(params, data, code))
        if params.thai_digits:
            deck.use_thai_digits(prs)
        deck.save(prs, paths[0])
    elif kind == "certificates":
        return tuple(certificates.write(params, data.ds, data.catalog, data.scored))
    else:
        raise ValueError(f"unknown deliverable kind {kind!r}")
    return paths


_EARLIER: dict = {}  # params digest -> the earlier years (compare_with), loaded once


def deck_context(params, data: RunData, code: int | None):
    """The report context of a district (``code``) or the province from the run's data: the
    figures of the PDF of the same run, and the comparison with ``compare_with``."""
    from mchch_lib.analysis import years
    from mchch_lib.documents import report

    if params.digest not in _EARLIER:
        _EARLIER[params.digest] = years.earlier_years(params) if params.compare_with else []
    return report.context_of(params, data.ds, code, data.catalog, data.province, data.ind,
                             data.scored, earlier=_EARLIER[params.digest])  # fmt: skip


def units(data: RunData) -> list[int | None]:
    """The units with deliverables: every district with applicants, then the province."""
    return [*sorted(set(data.scored["district_code"].dropna().astype(int))), None]


def finish(
    params, ds: Dataset, state: dict, written: dict[str, list[Path]], progress: bool = True
) -> dict:
    """The bundle (after the reports exist) and a summary of the deliverables. ``written``:
    every current form and deck of the run (made now or earlier and still up to date)."""
    t0 = time.perf_counter()
    out = params.output_dir
    province = load_province(params.province_code)
    names = {c: d.name_th for c, d in province.districts.items()}
    result = {k: [str(p) for p in v] for k, v in written.items()}
    if params.bundle:
        result["bundle"], result["validation_key"] = _bundle(
            params, ds, state, written, province, names
        )
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
            f"แบบรายงาน (forms): {len(written['forms'])}, สไลด์ (decks): {len(written['decks'])}, "
            f"เกียรติบัตร (certificates): {n_cert}"
            + (
                f", ชุดส่ง (bundle): {out / 'bundle'} ({result['bundle']['files']} ไฟล์, "
                f"{result['bundle']['bytes'] / 1e6:.1f} MB, "
                f"{'บรรจุแผ่น CD ได้' if result['bundle']['fits_cd'] else 'เกินแผ่น CD'})"
                if params.bundle
                else ""
            )
        )
    return result


def bundle_job(params, data: RunData, parameters: dict) -> tuple[tuple[Path, ...], dict]:
    """A province's bundle made by a worker (a national run makes the provinces' bundles in
    parallel): ``finish`` with the province's run state and current deliverables as the
    batch handed them; returns the files made and ``finish``'s summary for its run.json."""
    current = {k: [Path(p) for p in v] for k, v in parameters["current"].items()}
    info = finish(params, data.ds, parameters["state"], current, progress=False)
    out = params.output_dir
    made = tuple(p for p in (out / "bundle.zip", out / "validation.xlsx") if p.exists())
    return made, info


def problems_key(problems) -> str:
    """Hash of a problem list: validation.xlsx is written again only when it changes (an
    unchanged file keeps the bundle unchanged)."""
    import hashlib

    import pandas as pd

    return hashlib.sha256(
        pd.util.hash_pandas_object(problems, index=False).values.tobytes()
    ).hexdigest()


def _write_validation(params, ds: Dataset, path: Path, province, state: dict) -> str:
    """validation.xlsx: the validation problems and the final round's, written only when they
    differ from the last run's (``state``); returns their key."""
    problems = _all_problems(params, ds)
    key = problems_key(problems)
    if not (path.exists() and state.get("deliverables", {}).get("validation_key") == key):
        validate.write_problems_xlsx(problems, path, province)
    return key


def _all_problems(params, ds: Dataset):
    """The validation problems and those of the final round that need the scores."""
    import pandas as pd

    if not len(ds.final_round):
        return ds.problems
    catalog = load_catalog(params.catalog)
    res = final_round.results(ds, catalog, scoring.applicant_scores(ds, catalog))
    more = final_round.problems(res)
    return pd.concat([ds.problems, more], ignore_index=True) if len(more) else ds.problems


def _bundle(params, ds, state, written, province, names) -> tuple[dict, str]:
    """The bundle and validation.xlsx; returns the bundle's report and the problems' key."""
    out = params.output_dir
    reports = []
    prov = out / "province.pdf"
    if prov.exists():
        reports.append((prov, f"รายงานระดับจังหวัด{province.name_th}"))
    for code in sorted(province.districts):
        for p in sorted((out / "districts").glob(f"{code}_*.pdf")):
            reports.append((p, f"รายงานอำเภอ{names[code]}"))
        for p in sorted((out / "districts").glob(f"{code}_*{KINDS['district_annex'][0]}")):
            reports.append((p, f"ภาคผนวกรายงานอำเภอ{names[code]} เกณฑ์ย่อย (Excel)"))
    annex = out / ANNEX_NAME
    if annex.exists():
        reports.append((annex, f"ภาคผนวกรายงานระดับจังหวัด{province.name_th} (Excel)"))
    groups = {
        "รายงาน (PDF และภาคผนวก)": reports,
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
    validation_key = _write_validation(params, ds, validation, province, state)
    groups["การตรวจสอบข้อมูล"] = [(validation, "รายการปัญหาข้อมูล (Excel)")]
    summary = bundle.summary_html(params.office_th, ds)
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
    info = bundle.build(
        out,
        f"ผลการพัฒนาตามระบบ มชช. ปี {params.year} จังหวัด{province.name_th}",
        groups,
        summary,
        {"run.json": run_record},
    )
    return info, validation_key
