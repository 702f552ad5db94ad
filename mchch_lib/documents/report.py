"""What the report notebooks call: one context per report (params, data, scores, findings,
and each figure computed once), the sections shown in the PDF (``sections``, re-exported here),
and display helpers. Notebooks stay thin: parameters and a few calls.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from mchch_lib.analysis import compliance, final_round, matching, scoring, years
from mchch_lib.analysis import rollup as levels
from mchch_lib.analysis import self_development as development
from mchch_lib.common.sanitize import mask_frame
from mchch_lib.config import PROVENANCE_MIME
from mchch_lib.data import dataset
from mchch_lib.data.catalog import STANDARD_CODES, Catalog, load_catalog
from mchch_lib.data.contract import Dataset
from mchch_lib.data.params import Params, load_params
from mchch_lib.data.reference import Province, load_province
from mchch_lib.documents import charts
from mchch_lib.documents.sections import (  # noqa: F401 - the sections, as the notebooks call them
    applicant_table,
    by_standard_intro,
    certified_list_section,
    comparison_districts_section,
    comparison_indicators_section,
    comparison_section,
    comparison_units_section,
    completeness_section,
    compliance_by_district,
    compliance_section,
    cover,
    final_round_section,
    gaps_by_district_intro,
    gaps_section,
    not_assessed_section,
    plan_quality_section,
    problems_by_district,
    problems_section,
    ranking_section,
    rating_section,
    rating_table_section,
    readiness_by_district,
    readiness_section,
    results_intro,
    standard_section,
    subcriteria_annex,
    subcriteria_summary,
    summary_sentences,
    timeframe_section,
)
from mchch_lib.errors import MchchError

#: Indicators listed in the gap table and drawn in the gap chart beside it.
TOP_GAPS = scoring.TOP_GAPS


@dataclass
class ReportContext:
    """Everything one report shows, computed once by the library. Each figure has one home
    here; sections, charts and tables read it from the context."""

    params: Params
    catalog: Catalog
    province: Province
    data: Dataset  # restricted to the district for a district report (full IDs: internal)
    district_code: int | None
    applicants: pd.DataFrame  # scoring.applicant_scores, IDs masked (safety.mask_frame)
    indicators: pd.DataFrame  # scoring.indicator_scores
    findings: pd.DataFrame  # compliance.check_all (this district only for a district report)
    created: dt.datetime = field(default_factory=dt.datetime.now)
    #: The earlier years to compare with (years.YearData, whole province); None: the years of
    #: the params' ``compare_with``, loaded when the comparison is first asked for.
    earlier: list | None = None
    #: "nation" for the national report (``national_context``), else "" (province, district)
    level: str = ""
    national: levels.NationalScores | None = None  # the national report's scores
    #: The software version printed on the cover ("" : this package's, ``code_version``)
    software: str = ""

    @property
    def is_province(self) -> bool:
        """A report of a place with children (a province, or the nation), not a district."""
        return self.district_code is None

    @property
    def is_nation(self) -> bool:
        return self.level == "nation"

    @property
    def place_th(self) -> str:
        if self.is_nation:
            return "ทั้งประเทศ"
        if self.is_province:
            return f"จังหวัด{self.province.name_th}"
        return f"อำเภอ{self.province.districts[self.district_code].name_th}"

    # ---- the one roll-up at every level (levels.py): a report shows its children
    @property
    def children(self) -> levels.Level:
        """The level of the units this report compares: the districts of a province, the
        provinces of the nation."""
        return levels.LEVELS["province" if self.is_nation else "district"]

    def level_of(self, name: str | None) -> levels.Level:
        return self.children if name is None else levels.LEVELS[name]

    def names_of(self, name: str) -> dict:
        """Thai names of the units of a level (a province's report: its own districts)."""
        if name == "district" and not self.is_nation:
            return self.district_names
        return levels.LEVELS[name].names()

    @property
    def child_names(self) -> dict:
        return self.names_of(self.children.name)

    def by_level(self, name: str) -> pd.DataFrame:
        """The roll-up (``scoring.summarize``) per unit of a level, with its completeness for
        the regions and provinces of the nation."""
        if name == "district" and not self.is_nation:
            return self.by_district
        if name not in self._rollups:
            lv = levels.LEVELS[name]
            self._rollups[name] = levels.rollup(self.applicants, lv, districts=self.completeness)
        return self._rollups[name]

    @cached_property
    def _rollups(self) -> dict:
        return {}

    @property
    def by_child(self) -> pd.DataFrame:
        """The roll-up per child: per district of a province, per province of the nation."""
        return self.by_level(self.children.name)

    @cached_property
    def by_child_standard(self) -> pd.DataFrame:
        """The roll-up per child and standard (the heatmap children × standards)."""
        if not self.is_nation:
            return self.by_district_standard
        return levels.rollup(self.applicants, self.children, by_standard=True)

    def heatmaps(self) -> list[tuple[str, pd.DataFrame]]:
        """The national heatmap provinces × standards, one per region (name, its rows)."""
        t = self.by_child_standard
        region = t["province_code"].map(self.region_code_of_province)
        return [
            (th, t[region == i]) for i, th in levels.LEVELS["region"].names().items()
            if (region == i).any()
        ]  # fmt: skip

    def region_of_province(self, code: int) -> str:
        from mchch_lib.data.reference import provinces

        return provinces()[int(code)].region_th

    def region_code_of_province(self, code: int) -> int:
        from mchch_lib.analysis.completeness import region_code
        from mchch_lib.data.reference import provinces

        return region_code(provinces()[int(code)].region_en)

    @cached_property
    def completeness(self) -> pd.DataFrame:
        """A row per district expected (``completeness.district_table``): of the province, or
        of every province of the national run."""
        if self.is_nation:
            return self.national.districts
        from mchch_lib.analysis.completeness import province_table

        return province_table(self.data, self.province.code)

    @property
    def district_names(self) -> dict[int, str]:
        """Thai district names by code, for chart labels."""
        return {c: d.name_th for c, d in self.province.districts.items()}

    @property
    def title(self) -> str:
        place = "ระดับประเทศ" if self.is_nation else self.place_th
        return f"รายงานผลการพัฒนาตามระบบมาตรฐานการพัฒนาชุมชน (มชช.) ปี {self.params.year} {place}"

    @cached_property
    def summary(self) -> dict:
        """The roll-up of every applicant of the report (scoring.summarize), as one record."""
        return scoring.summarize(self.applicants).iloc[0].to_dict()

    @cached_property
    def by_district(self) -> pd.DataFrame:
        """The roll-up per district (scoring.summarize by district)."""
        return scoring.summarize(self.applicants, by=["district_code"])

    @cached_property
    def by_district_standard(self) -> pd.DataFrame:
        """The roll-up per district and standard (the provincial heatmap)."""
        return scoring.summarize(self.applicants, by=["district_code", "standard"])

    @property
    def standard_names(self) -> dict[str, str]:
        """Short Thai names of the standards, from the catalog (chart labels)."""
        return {c: s.short_th for c, s in self.catalog.standards.items()}

    @cached_property
    def stages(self) -> pd.DataFrame:
        """Applicants reaching each stage (scoring.stage_counts)."""
        return scoring.stage_counts(self.data, self.applicants)

    @cached_property
    def gaps(self) -> pd.DataFrame:
        """Remaining gap to full marks per indicator, largest first (scoring.indicator_gaps)."""
        return scoring.indicator_gaps(self.indicators, by=())

    @property
    def top_gaps(self) -> pd.DataFrame:
        """The ``TOP_GAPS`` largest gaps: the rows of the gap table and of its chart."""
        return self.gaps.head(TOP_GAPS)

    @cached_property
    def gaps_by_district(self) -> pd.DataFrame:
        """The gaps per district and indicator (the heatmap of the provincial report)."""
        return scoring.indicator_gaps(self.indicators, by=("district_code",))

    @cached_property
    def comparison(self) -> years.Comparison | None:
        """This year beside the earlier years (params ``compare_with``), restricted to the
        district of a district report; None when there is nothing to compare with."""
        earlier = self.earlier if self.earlier is not None else years.earlier_years(self.params)
        if not earlier:
            return None
        if not self.is_province:
            earlier = [y.for_district(self.district_code) for y in earlier]
        now = years.YearData(
            self.params.year, self.catalog, self.data, self._with_ids(), self.indicators
        )
        place = self.district_names | {self.province.code: self.province.name_th}
        c = years.compare(
            now,
            earlier,
            place,
            self.province.code,
            matching.load_decisions(),
            complete=self.is_province,
        )
        return dataclasses.replace(  # matched by the full IDs, shown masked
            c, applicants=mask_frame(c.applicants), units=mask_frame(c.units),
            candidates=mask_frame(c.candidates),
        )  # fmt: skip

    def _with_ids(self) -> pd.DataFrame:
        """``applicants`` with the full citizen IDs of the dataset, for the matching that
        needs them (a leader across years, one unit once); never shown, never kept."""
        a = self.data.applicants.drop_duplicates("applicant_id")
        ids = a.set_index("applicant_id")["citizen_id"]
        return self.applicants.assign(citizen_id=self.applicants["applicant_id"].map(ids))

    @cached_property
    def year_counts(self) -> pd.DataFrame:
        """Applicants per standard and year (label = the standard's short Thai name): the
        rows of the comparison table's counts and of its bar chart."""
        c = self.comparison
        t = c.by_standard.assign(label=c.by_standard["standard"].map(self.standard_short_th))
        return t[["label", "year", "registered"]]

    @cached_property
    def year_post(self) -> pd.DataFrame:
        """Mean post-development % last year and this year, all standards then each one."""
        c = self.comparison
        rows = c.change(c.total, ["standard"]).assign(label="ทุกมาตรฐาน")
        by = c.change(c.by_standard, ["standard"])
        rows = pd.concat([rows, by.assign(label=by["standard"].map(self.standard_short_th))])
        cols = {"mean_post_pct_last": "last", "mean_post_pct_now": "now"}
        return rows.rename(columns=cols)[["label", "last", "now"]].reset_index(drop=True)

    @cached_property
    def year_districts(self) -> pd.DataFrame:
        """Districts by the change of their mean post-development %, largest rise first
        (the rows of the provincial ranking by change and of its chart)."""
        d = self.comparison.districts_by_change
        cols = {"district_th": "label", "mean_post_pct_last": "last", "mean_post_pct_now": "now"}
        return d.rename(columns=cols)

    def standard_short_th(self, code: str) -> str:
        """Short Thai name of a standard (ผู้นำชุมชน), from the catalog."""
        return self.catalog.standards[code].short_th

    # ---- stage 3 (sub-criteria, timeframe, plan items) and the provincial final round
    @cached_property
    def subcriteria(self) -> pd.DataFrame:
        """Each applicant's agreed sub-criteria with pre/post (development.subcriteria_progress)."""
        return development.subcriteria_progress(self.data, self.catalog)

    @cached_property
    def timeframe(self) -> pd.DataFrame:
        """Each applicant's timeframe status as of the 4.2 deadline (development)."""
        return development.timeframe_status(self.data, self.params.deadline_42)

    @cached_property
    def plan_gaps(self) -> pd.DataFrame:
        """Plan items missing when, who or evidence (development.plan_gaps)."""
        return development.plan_gaps(self.data)

    @cached_property
    def final_results(self) -> pd.DataFrame:
        """The committee's results, unit by unit, beside the district's (final_round.results)."""
        return mask_frame(final_round.results(self.data, self.catalog, self._with_ids()))

    @property
    def certified(self) -> pd.DataFrame:
        """The certified units: the list the section shows and the certificates are made for."""
        return final_round.certified(self.final_results)

    @cached_property
    def certified_by_district(self) -> pd.DataFrame:
        """Ready, assessed and certified units per district and standard."""
        return final_round.by_district_standard(self.final_results, self.applicants)

    @cached_property
    def rating_comparison(self) -> pd.DataFrame:
        """Per district: the district's ratings against the committee's (the table and chart)."""
        return final_round.rating_comparison(self.final_results)

    @cached_property
    def final_round_problems(self) -> pd.DataFrame:
        """Located problems of the round that need the scores (certified but not ready)."""
        return final_round.problems(self.final_results)

    @cached_property
    def province_findings(self) -> pd.DataFrame:
        """The checks of the province as a whole (compliance.check_province)."""
        from dataclasses import asdict

        rows = [asdict(f) for f in compliance.check_province(self.data)]
        cols = ["district_code", "check", "ok", "severity", "message_th", "message_en"]
        return pd.DataFrame(rows, columns=cols)

    def standard_th(self, code: str) -> str:
        """Thai name of a standard, from the catalog."""
        return self.catalog.standards[code].name_th


def district_context(
    params_file: str | Path, district_code: int, data_key: str | None = None
) -> ReportContext:
    """Context of a district report (รายงานระดับอำเภอ). ``data_key``: the batch's clean data
    by its cache key (read as it is, inputs not hashed again); None reads the inputs."""
    return _context(params_file, int(district_code), data_key)


def province_context(params_file: str | Path, data_key: str | None = None) -> ReportContext:
    """Context of the provincial report (รายงานระดับจังหวัด)."""
    return _context(params_file, None, data_key)


def national_context(params_file: str | Path, data_key: str | None = None) -> ReportContext:
    """Context of the national report (รายงานระดับประเทศ): every province of a national run
    (params ``provinces``); ``data_key``: the batch's national data (``national.save``)."""
    from mchch_lib.data import national_inputs as national
    from mchch_lib.data.reference import national_districts

    params = load_params(params_file)
    charts.use_thai_digits(params.thai_digits)
    catalog = load_catalog(params.catalog)
    nd = national.load_by_key(data_key) if data_key else national.load_national(params)
    scores = levels.national_scores(nd, catalog, params.deadline_41, params.deadline_42)
    country = Province(0, "ประเทศไทย", "Thailand", dict(national_districts()))
    return ReportContext(params, catalog, country, scores.dataset(), None,
                         mask_frame(scores.applicants),
                         scores.indicators, scores.findings, level="nation",
                         national=scores)  # fmt: skip


def _context(params_file, code, data_key=None) -> ReportContext:
    params = load_params(params_file)
    charts.use_thai_digits(params.thai_digits)
    catalog = load_catalog(params.catalog)
    province = load_province(params.province_code)
    if code is not None and code not in province.districts:
        raise MchchError(
            f"อำเภอ {code} ไม่อยู่ในจังหวัด {params.province_code} / "
            f"district {code} is not in province {params.province_code}"
        )
    full = dataset.load_by_key(data_key) if data_key else None
    if full is None:
        full = dataset.load_for_params(params)
    return context_of(params, full, code, catalog, province)


def context_of(
    params: Params,
    full: Dataset,
    code: int | None,
    catalog: Catalog,
    province: Province,
    indicators: pd.DataFrame | None = None,
    applicants: pd.DataFrame | None = None,
    earlier: list | None = None,
) -> ReportContext:
    """The context of a province (``code`` None) or one of its districts from the province's
    clean data, as the reports make it; ``indicators`` and ``applicants``: the province's
    scores when already computed (a district's rows are taken from them), so a deck shows the
    figures of the report without scoring again."""
    ds = full if code is None else full.for_district(code)
    findings = compliance.check_all(full, catalog, params.deadline_41, params.deadline_42,
                                    districts=None if code is None else [code])  # fmt: skip
    if indicators is None or applicants is None:
        indicators = scoring.indicator_scores(ds, catalog)
        applicants = scoring.applicant_scores(ds, catalog, indicators)
    elif code is not None:
        indicators = indicators[indicators["district_code"] == code].reset_index(drop=True)
        applicants = applicants[applicants["district_code"] == code].reset_index(drop=True)
    applicants = mask_frame(applicants)  # planners see these
    return ReportContext(params, catalog, province, ds, code, applicants, indicators, findings,
                         earlier=earlier)  # fmt: skip


# ---------------------------------------------------------------- display helpers
def show(content) -> None:
    """Display an HTML fragment in the notebook (and so in the PDF); a DataFrame or Series is
    shown as a table: interactive in JupyterLab, house style in the PDF."""
    from IPython.display import HTML, display

    if not isinstance(content, str):
        from mchch_lib.documents.display import show_table

        show_table(content)
        return
    display(HTML(content))


def show_figure(fig) -> None:
    """Display a chart: vector SVG with its Thai as real text in the PDF and, when a front end
    such as JupyterLab is there, a copy with the glyphs as paths for the screen (an SVG shown as
    an image cannot use the page's fonts). See :mod:`mchch_lib.documents.display`."""
    import sys

    from IPython.display import display

    from mchch_lib.documents.display import figure_bundle

    display(figure_bundle(fig), raw=True)
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None and getattr(fig, "number", None) in plt.get_fignums():
        plt.close(fig)  # a pyplot figure: not drawn a second time at the end of the cell


def provenance(ctx: ReportContext) -> None:
    """Hand the provenance (input hash, parameters, code version, files) to the renderer, which
    writes it into the PDF metadata; the page shows its short Thai form on the cover."""
    from IPython.display import display

    from mchch_lib.common.keys import code_version, portable

    # the params file by its name, the paths in it relative to its folder: no output names a
    # folder of the machine that made it
    here = ctx.params.path.parent
    rec = {
        "title": ctx.title,
        "running_title": ctx.title,
        "header_right": f"มชช. {ctx.params.year}",
        "office_th": ctx.params.office_th,
        "input_hash": ctx.data.input_hash,
        "params_hash": ctx.params.digest,
        "parameters": {"params_file": ctx.params.path.name, "district_code": ctx.district_code},
        "params": portable(ctx.params.raw, here),
        "code_version": code_version(),
        "created": ctx.created.isoformat(timespec="seconds"),
        "files": ctx.data.file_digests,
    }
    # the reader's short note (data version, date, software) is on the cover; this output
    # carries the record to the PDF's metadata and prints nothing
    html_text = ""
    display(
        {"text/html": html_text, PROVENANCE_MIME: json.loads(json.dumps(rec, default=str))},
        raw=True,
    )


#: A standard with at most this many units gets its table only: a chart would repeat it.
MIN_UNITS_FOR_CHART = 4


def worth_a_chart(ctx: ReportContext, standard: str) -> bool:
    """Whether a standard's pre/post chart shows more than its table (4 units or more)."""
    return int((ctx.applicants["standard"] == standard).sum()) >= MIN_UNITS_FOR_CHART


def standards_present(ctx: ReportContext) -> list[str]:
    """The standards with at least one applicant, in report order."""
    present = set(ctx.applicants["standard"])
    return [s for s in STANDARD_CODES if s in present]
