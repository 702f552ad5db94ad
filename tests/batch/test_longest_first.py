"""The order the workers take a province run's jobs: longest first, so the province report and
the certificates never start last while the other worker sits idle."""

from __future__ import annotations

from types import SimpleNamespace

from mchch_lib.batch.plan import longest_first


def _jobs(*ids_kinds):
    return [SimpleNamespace(id=i, kind=k) for i, k in ids_kinds]


PLAN = _jobs(("6001", "district"), ("6002", "district"), ("province", "province"),
             ("annex:province", "annex"), ("forms:6001", "forms"), ("deck:6001", "deck"),
             ("deck:province", "deck"), ("certificates:province", "certificates"),
             ("district_annex:6001", "district_annex"))  # fmt: skip


def test_a_first_run_orders_by_the_kinds_typical_time_ties_in_plan_order():
    order = [j.id for j in longest_first(PLAN, lambda job_id: None)]
    assert order == ["province", "certificates:province", "6001", "6002", "deck:province",
                     "annex:province", "deck:6001", "forms:6001", "district_annex:6001"]  # fmt: skip


def test_a_rerun_orders_by_what_the_previous_run_measured():
    measured = {"6002": 5.0, "province": 3.0, "certificates:province": 0.01}
    order = [j.id for j in longest_first(PLAN, measured.get)]
    assert order[:3] == ["6002", "province", "6001"]
    assert order[-1] == "certificates:province"
    assert sorted(order) == sorted(j.id for j in PLAN)  # every job once
