"""The executor interface (issue 22): the run code depends on ``batch.executor`` only, and both
executors implement it."""

import ast
from pathlib import Path

import pytest

from mchch_lib.batch import executor
from mchch_lib.batch.dask_pool import DaskPool
from mchch_lib.batch.pool import LocalPool

BATCH = Path(executor.__file__).parent


def test_both_executors_implement_the_interface():
    local = executor.make_executor("local", 2, max_jobs=5)
    assert isinstance(local, LocalPool) and isinstance(local, executor.Executor)
    assert (local.n, local.max_jobs) == (2, 5)
    dask = executor.make_executor("dask", 3, "tcp://127.0.0.1:1")
    assert isinstance(dask, DaskPool) and isinstance(dask, executor.Executor)
    assert (dask.n, dask.scheduler, dask.client) == (3, "tcp://127.0.0.1:1", None)  # no connect


def test_an_unknown_executor_is_refused():
    with pytest.raises(ValueError, match="local or dask"):
        executor.make_executor("threads", 2)


def _imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
    return names


@pytest.mark.parametrize("module", ["run.py", "national_run.py"])
def test_the_runs_know_only_the_interface(module):
    imported = _imported(BATCH / module)
    assert "mchch_lib.batch.executor" in imported
    assert not imported & {"mchch_lib.batch.pool", "mchch_lib.batch.dask_pool"}


def test_the_executors_do_not_import_the_interface_back():
    for module in ("pool.py", "dask_pool.py"):
        assert "mchch_lib.batch.executor" not in _imported(BATCH / module)


def test_after_a_job_the_cycles_it_left_are_collected_at_the_workers_threshold():
    """Workers collect the young generation only every 50,000 objects (``pool``), so the cycles
    a report leaves (figures, layout boxes) would wait for a full collection; ``after_job``
    frees them before the next job."""
    import gc
    import weakref

    from mchch_lib.batch.worker import after_job

    class Node:
        pass

    previous = gc.get_threshold()
    gc.set_threshold(50_000, 20, 20)
    try:
        gc.collect()
        a, b = Node(), Node()
        a.other, b.other = b, a  # a cycle: reference counting alone never frees it
        gone = weakref.ref(a)
        del a, b
        assert gone() is not None
        after_job()
        assert gone() is None
    finally:
        gc.set_threshold(*previous)
