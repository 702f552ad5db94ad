"""The sections of the reports (ส่วนของรายงาน), one module per part of a report: each section
is a template under ``templates/sections/`` fed by a small typed view of the report context's
figures, and returns safe HTML (``Markup``) through the one escape gate in ``templating``."""

from mchch_lib.documents.sections.final_round import (  # noqa: F401
    certified_list_section,
    final_round_section,
    rating_section,
    rating_table_section,
)
from mchch_lib.documents.sections.outcome import (  # noqa: F401
    SummaryView,
    plain_test,
    provenance_html,
    short_hash,
    summary_sentences,
)
from mchch_lib.documents.sections.overview import (  # noqa: F401
    ANNEX_NAME,
    CHECK_TH,
    MAX_PROBLEM_ROWS,
    READY_TH,
    SEVERITY_TH,
    CoverView,
    applicant_table,
    by_standard_intro,
    completeness_section,
    compliance_by_district,
    compliance_section,
    cover,
    gaps_by_district_intro,
    gaps_section,
    not_assessed_section,
    problems_by_district,
    problems_section,
    ranking_section,
    readiness_by_district,
    readiness_section,
    render_section,
    results_intro,
    standard_section,
)
from mchch_lib.documents.sections.self_development import (  # noqa: F401
    SubcriteriaBlock,
    plan_quality_section,
    subcriteria_annex,
    subcriteria_summary,
    timeframe_section,
)
from mchch_lib.documents.sections.years import (  # noqa: F401
    comparison_districts_section,
    comparison_indicators_section,
    comparison_section,
    comparison_units_section,
)
