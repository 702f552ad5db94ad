"""Planning a run: one job per report (each district with data, and the province), each with a
key that changes exactly when what the report shows could change (the district's clean data
and problems, the notebook, the params, the code version and, for a comparison with earlier
years, their data and the confirmed matches)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mchch_lib.common.atomic import sha256_file
from mchch_lib.common.keys import code_version, content_hash, unit_stem
from mchch_lib.data.params import Params, comparison_digest
from mchch_lib.errors import MchchError

if TYPE_CHECKING:
    from mchch_lib.batch.context import RunContext

DISTRICT_NOTEBOOK = "district_report.ipynb"
PROVINCE_NOTEBOOK = "province_report.ipynb"
NATIONAL_NOTEBOOK = "national_report.ipynb"
#: The kinds of job that run a report notebook (the others write a deliverable).
REPORT_KINDS = ("district", "province", "national")


@dataclass(kw_only=True)
class Job:
    """One thing a worker makes: a report (its notebook executed and rendered) or a
    deliverable (a unit's forms, deck, annex or certificates, a province's bundle, a national
    workbook). Built by keyword only."""

    id: str  # "6007", "province", "annex:province", "forms:6007", "deck:province" ...
    #: "district" | "province" | "national" (``REPORT_KINDS``: a notebook) or a deliverable:
    #: "annex" | "forms" | "deck" | "certificates" | "bundle" | ``jobs.NATIONAL_KINDS``
    kind: str
    stem: Path  # output path without suffix
    parameters: dict  # what the notebook or the deliverable reads (params file, data key...)
    key: str  # changes exactly when what the job shows could change
    title: str  # the unit's Thai name (progress, the run record)
    timeout_s: int | None  # per notebook cell (params output.cell_timeout_s)
    notebook: Path | None = None  # a report's notebook
    keep_html: bool = True  # params output.keep_html: write the HTML beside the PDF
    paths: tuple[Path, ...] = ()  # what a deliverable job writes (forms, deck, annex)
    unit: int | None = None  # the district of a deliverable job (None: the province)
    province: int | None = None  # the province the job belongs to (None: a national job)

    @property
    def outputs(self) -> list[Path]:
        """Every file the job writes."""
        if self.kind in REPORT_KINDS:
            return [self.pdf, self.html, self.ipynb]
        return list(self.paths)

    @property
    def pdf(self) -> Path:
        return self.stem.with_suffix(".pdf")

    @property
    def html(self) -> Path:
        return self.stem.with_suffix(".html")

    @property
    def ipynb(self) -> Path:
        return self.stem.with_suffix(".ipynb")


def run_fingerprint(
    digests: dict[str, str], params: Params, nb_dir: Path, districts: list[int] | None
) -> str:
    """Everything a whole run depends on, cheap to compute before validating anything."""
    import json

    return content_hash(
        json.dumps(digests, sort_keys=True),
        params.digest,
        comparison_digest(params),  # the earlier years' data and confirmed matches
        code_version(),
        sha256_file(nb_dir / DISTRICT_NOTEBOOK),
        sha256_file(nb_dir / PROVINCE_NOTEBOOK),
        json.dumps(sorted(districts or [])),
    )


def plan_jobs(ctx: RunContext, district_keys: dict[int, str], data_key: str = "") -> list[Job]:
    """The jobs of a run: a report per district with data (or the districts the run asks
    for, ``ctx.opts.districts``) and, unless districts were named, the province (first: it is
    the longest). Keys hash each district's data. ``data_key`` (the clean data's cache key)
    is handed to the notebooks, so they read the data the batch validated."""
    params, province, nb_dir = ctx.params, ctx.province, ctx.notebooks_dir
    districts = ctx.opts.districts
    keys = district_keys
    base = content_hash(
        code_version(),
        params.digest,
        str(params.path.resolve() if params.path else ""),
        comparison_digest(params),  # the earlier years' data and confirmed matches
    )
    if districts:
        unknown = sorted(set(districts) - set(province.districts))
        if unknown:
            raise MchchError(
                f"อำเภอ {unknown} ไม่อยู่ในจังหวัด {params.province_code} / "
                f"district(s) {unknown} are not in province {params.province_code}"
            )
        codes = sorted(districts)
    else:
        codes = sorted(c for c in keys if c in province.districts)
    dnb = nb_dir / DISTRICT_NOTEBOOK
    dnb_hash = sha256_file(dnb)
    params_file = str(params.path.resolve())
    jobs = []
    for code in codes:
        d = province.districts[code]
        jobs.append(
            Job(
                id=str(code),
                kind="district",
                notebook=dnb,
                stem=params.output_dir / "districts" / unit_stem(code, d.name_th),
                parameters={
                    "params_file": params_file,
                    "district_code": code,
                    "data_key": data_key,
                },  # fmt: skip
                key=content_hash(base, dnb_hash, keys.get(code, "")),
                title=d.name_th,
                timeout_s=params.cell_timeout_s,
                keep_html=params.keep_html,
                province=params.province_code,
            )
        )
    if not districts:
        jobs[:0] = _province_jobs(params, province.name_th, base, nb_dir, keys, jobs, data_key)
    return jobs


def _province_jobs(params, name_th, base, nb_dir, keys, district_jobs, data_key) -> list[Job]:
    """The provincial report (its key hashes every district's) and its annex workbook (the
    report's lists by applicant)."""
    from mchch_lib.deliverables.jobs import unit_paths

    pnb = nb_dir / PROVINCE_NOTEBOOK
    key = content_hash(base, sha256_file(pnb), *(j.key for j in district_jobs), keys.get(0, ""))
    annex = unit_paths(params, "annex", None)
    parameters = {"params_file": str(params.path.resolve()), "data_key": data_key}
    common = {"title": name_th, "timeout_s": params.cell_timeout_s,
              "province": params.province_code}  # fmt: skip
    report = Job(id="province", kind="province", notebook=pnb, stem=params.output_dir /
                 "province", parameters=dict(parameters), key=key,
                 keep_html=params.keep_html, **common)  # fmt: skip
    annex_job = Job(id="annex:province", kind="annex", stem=annex[0].with_suffix(""),
                    parameters=dict(parameters), paths=annex,
                    key=content_hash(base, "annex", *(keys[c] for c in sorted(keys))),
                    **common)  # fmt: skip
    return [report, annex_job]


def deliverable_jobs(
    ctx: RunContext,
    codes: list[int],
    district_keys: dict[int, str],
    data_key: str,
    certificates: str = "",
) -> list[Job]:
    """A job per unit (each district of ``codes``, then the province) for its forms 4.1/4.2 and
    its deck, as params switch them on, and the certificates (with the forms); a district's
    key hashes its data, the province's all, the certificates' what they show
    (``certificates_key``)."""
    from mchch_lib.deliverables.jobs import unit_paths

    params, province = ctx.params, ctx.province
    base = content_hash(code_version(), params.digest)
    every = content_hash(*(district_keys[c] for c in sorted(district_keys)))
    jobs = []
    for kind, on in (("forms", params.forms), ("deck", params.deck),
                     ("certificates", params.forms), ("district_annex", True)):  # fmt: skip
        if not on:
            continue
        of_kind = {"certificates": [None], "district_annex": codes}  # district annex: no province
        for code in of_kind.get(kind, [*codes, None]):
            name = province.name_th if code is None else province.districts[code].name_th
            of = certificates if kind == "certificates" else every
            key = content_hash(base, kind, of if code is None else district_keys.get(code, ""))
            paths = unit_paths(params, kind, code, name)
            jobs.append(
                Job(
                    id=f"{kind}:{'province' if code is None else code}",
                    kind=kind,
                    stem=paths[0].with_suffix("") if paths else params.output_dir / kind,
                    parameters={"params_file": str(params.path.resolve()), "data_key": data_key},
                    key=key,
                    title=name,
                    timeout_s=params.cell_timeout_s,
                    paths=paths,
                    unit=code,
                    province=params.province_code,
                )
            )
    return jobs


#: Seconds a job of each kind takes on the sample (2 cores), for the order of a first run.
TYPICAL_SECONDS = {"national": 8.0, "province": 3.5, "certificates": 3.0, "district": 1.0,
                   "annex": 0.8, "deck": 0.2, "forms": 0.1, "district_annex": 0.1}  # fmt: skip


def longest_first(jobs: list[Job], seconds_of) -> list[Job]:
    """The jobs in the order the workers should take them: longest first (what the previous
    run measured, ``seconds_of(job_id)``, else the kind's typical time; a province deck counts
    as a report), so a long job (the province report, the certificates) never starts last
    while the other workers sit idle. Ties keep the plan's order."""

    def cost(job: Job) -> float:
        known = seconds_of(job.id)
        if known is not None:
            return known
        if job.kind == "deck" and job.id.endswith(":province"):
            return 1.0
        return TYPICAL_SECONDS.get(job.kind, 0.5)

    return sorted(jobs, key=cost, reverse=True)


def certificates_key(ds) -> str:
    """What the certificates and the announcement list show: the final round (the verdicts,
    numbers, dates), the provincial committee (its chair signs), and the names, standards and
    places of the units the committee assessed. An edit elsewhere makes no certificate again."""
    import pandas as pd

    fr = ds.final_round
    units = ds.applicants[ds.applicants["applicant_id"].isin(set(fr["applicant_id"]))]
    units = units[["applicant_id", "district_code", "name", "standard", "tambon", "moo"]]
    h = hashlib.sha256()
    for df in (fr, ds.province_committee, units):
        h.update(pd.util.hash_pandas_object(df, index=False).values.tobytes())
    return h.hexdigest()


def district_data_keys(ds) -> dict[int, str]:
    """Hash of each district's clean rows (every table with a district) and row problems; key
    0 hashes what belongs to no one district: the problems of no district or of a whole file
    (an unreadable workbook gives its district no report: it is listed as sending nothing)
    and the province-level tables (the provincial committee)."""
    import pandas as pd

    from mchch_lib.data.contract import TABLE_DTYPES

    probs = ds.problems
    file_level = probs["district_code"].isna() | probs["row"].isna()
    tables = {n: ds.table(n) for n, cols in TABLE_DTYPES.items() if "district_code" in cols}
    tables["problems"] = probs[~file_level]
    codes = set()
    for df in tables.values():
        codes |= set(df["district_code"].dropna().astype(int))
    keys = {}
    for code in sorted(codes):
        h = hashlib.sha256()
        for df in tables.values():
            part = df[df["district_code"] == code]
            h.update(pd.util.hash_pandas_object(part, index=False).values.tobytes())
            h.update(",".join(part.columns).encode())
        keys[code] = h.hexdigest()
    loose = [probs[file_level]] + [
        ds.table(n) for n, cols in TABLE_DTYPES.items() if "district_code" not in cols
    ]
    h = hashlib.sha256()
    for df in loose:
        h.update(pd.util.hash_pandas_object(df, index=False).values.tobytes())
    keys[0] = h.hexdigest()
    return keys
