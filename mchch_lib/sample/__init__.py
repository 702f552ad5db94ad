"""The sample workbooks (deterministic, byte-identical): one province's first year
(``province``, ``final_round``), its second year (``next_year``) and the whole country
(``national``). ``python -m mchch_lib.sample`` regenerates them (``main``)."""

from __future__ import annotations

import argparse
from pathlib import Path

from mchch_lib.sample.final_round import (  # noqa: F401 - the sample's API
    district_data,
    final_round_data,
    meets_rule,
    workbook_bytes,
    write_sample,
)
from mchch_lib.sample.national import (  # noqa: F401 - the sample's API
    NATIONAL,
    _national_district,
    national_layout,
    write_national,
)
from mchch_lib.sample.next_year import (  # noqa: F401 - the sample's API
    YEAR_2562,
    district_data_2562,
    write_sample_2562,
)
from mchch_lib.sample.province import (  # noqa: F401 - the sample's API
    FINAL_ROUND,
    NON_COMPLIANT,
    SEED,
    SUBCRITERIA_SHARE,
    tambons,
)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m mchch_lib.sample", description=__doc__)
    ap.add_argument(
        "--year",
        type=int,
        action="append",
        choices=(2561, 2562),
        help="only this year (repeat); default: 2561 and 2562",
    )
    ap.add_argument(
        "--out",
        type=Path,
        default=None,
        help="folder for one year's workbooks (default data/sample/<year>); without --year: 2561",
    )
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument(
        "--national",
        action="store_true",
        help="the national sample of 2561 instead: every district of the country (a few "
        "missing), in data/national/2561 (or --out)",
    )
    args = ap.parse_args(argv)
    if args.national:
        paths = write_national(args.out, seed=args.seed)
        n_prov = len({p.parent for p in paths})
        print(f"{len(paths)} workbooks of {n_prov} provinces in {paths[0].parent.parent}")
        return 0
    years = args.year or ([2561] if args.out else [2561, 2562])
    if args.out and len(years) > 1:
        ap.error("--out is one year's folder: name that --year")
    for year in years:
        if year == 2561:
            paths = write_sample(args.out, seed=args.seed)
            last = " (the last: the province's final round)"
        else:
            paths = write_sample_2562(args.out)
            last = ""
        print(f"{len(paths)} workbooks in {paths[0].parent}{last}")
    return 0
