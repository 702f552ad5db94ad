"""Running a report notebook inside the worker process, without a kernel.

A kernel per worker cost a process, a ZeroMQ round trip per cell and its own copy of every
library; the batch now runs the notebook's cells in the worker itself, in an IPython shell (as
ploomber-engine's embedded engine does), so a report starts with everything already imported
and the run's data already loaded (the workers are forked after validation). The notebooks are
unchanged: they still run in JupyterLab and by the ``papermill`` CLI.

What a kernel gave for free is kept:
- outputs as in a kernel: ``display`` data, the value of a cell's last expression
  (``execute_result``), stdout and stderr (warnings), errors with their traceback;
- parameters injected as papermill does (a cell tagged ``injected-parameters`` after the one
  tagged ``parameters``, and ``metadata.papermill.parameters``);
- a cell running longer than the cell timeout is interrupted (``SIGALRM``), the report fails;
- a cell that kills its process (``os._exit``) kills only the worker: the pool notices, fails
  that report and starts a new worker (``batch.pool``).
"""

from __future__ import annotations

import contextlib
import io
import signal
import traceback

import nbformat
from nbformat.v4 import new_code_cell, new_output

from mchch_lib.errors import MchchError


class CellTimeout(Exception):
    """A cell ran longer than the cell timeout (params ``output.cell_timeout_s``)."""


class NotebookError(MchchError):
    """A cell of the notebook raised: what papermill's PapermillExecutionError tells."""

    def __init__(self, cell_index: int, exec_count: int, ename: str, evalue: str, tb: list[str]):
        self.cell_index, self.exec_count = cell_index, exec_count
        self.ename, self.evalue, self.traceback = ename, evalue, tb
        super().__init__(f"{ename}: {evalue} (notebook cell {exec_count})")


_SHELL = None


def _shell():
    """The worker's IPython shell (one per process), its outputs captured, not printed."""
    global _SHELL
    if _SHELL is None:
        from IPython.core.displayhook import DisplayHook
        from IPython.core.displaypub import DisplayPublisher
        from IPython.core.interactiveshell import InteractiveShell

        class Publisher(DisplayPublisher):
            def publish(self, data, metadata=None, source=None, *, transient=None, update=False):
                _SINK.append(new_output("display_data", data=data, metadata=metadata or {}))

            def clear_output(self, wait=False):
                _SINK.clear()

        class Hook(DisplayHook):
            def write_output_prompt(self):
                pass

            def write_format_data(self, format_dict, md_dict=None):
                _SINK.append(
                    new_output(
                        "execute_result",
                        data=format_dict,
                        metadata=md_dict or {},
                        execution_count=self.shell.execution_count,
                    )
                )

        from traitlets.config import Config

        cfg = Config()
        cfg.HistoryManager.hist_file = ":memory:"  # no sqlite shared by the workers
        cfg.HistoryManager.enabled = False
        shell = InteractiveShell.instance(config=cfg, cache_size=0)
        shell.display_pub = Publisher(shell=shell, parent=shell)
        shell.displayhook = Hook(shell=shell, cache_size=0)
        shell.showtraceback = lambda *a, **k: None  # errors become outputs, not prints
        _SHELL = shell
    return _SHELL


_SINK: list = []  # the outputs of the cell being run


def inject_parameters(nb, parameters: dict):
    """The notebook with a cell setting ``parameters`` after its ``parameters`` cell."""
    src = "# Parameters\n" + "".join(f"{k} = {v!r}\n" for k, v in parameters.items())
    cell = new_code_cell(src)
    cell.metadata["tags"] = ["injected-parameters", "remove-cell"]
    cell["id"] = "injected-parameters"
    at = next(
        (i + 1 for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])), 0
    )
    nb.cells.insert(at, cell)
    nb.metadata.setdefault("papermill", {})["parameters"] = dict(parameters)
    return nb


def _on_alarm(signum, frame):
    raise CellTimeout("cell timed out")


def _run_cell(shell, cell, timeout_s: int | None) -> BaseException | None:
    _SINK.clear()
    out, err = io.StringIO(), io.StringIO()
    previous = signal.signal(signal.SIGALRM, _on_alarm) if timeout_s else None
    if timeout_s:
        signal.setitimer(signal.ITIMER_REAL, timeout_s)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            result = shell.run_cell(cell.source, store_history=False, silent=False)
    finally:
        if timeout_s:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    outputs = []
    for name, buf in (("stdout", out), ("stderr", err)):
        if buf.getvalue():
            outputs.append(new_output("stream", name=name, text=buf.getvalue()))
    outputs += list(_SINK)
    error = result.error_before_exec or result.error_in_exec
    if error is not None:
        tb = traceback.format_exception(type(error), error, error.__traceback__)
        outputs.append(
            new_output("error", ename=type(error).__name__, evalue=str(error), traceback=tb[-8:])
        )
    cell.outputs = outputs
    return error


def execute(nb, timeout_s: int | None = None, on_cell=None):
    """Run every code cell of a notebook node in this process, in a fresh namespace, filling
    its outputs; raise ``NotebookError`` at the first failing cell (the notebook keeps the
    outputs so far, as papermill's does)."""
    shell = _shell()
    shell.reset(new_session=False)
    import sys

    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None:
        plt.close("all")
    count = 0
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        count += 1
        if on_cell is not None:
            on_cell()  # a sign of life for the pool's watchdog
        shell.execution_count = count
        cell.execution_count = count
        error = _run_cell(shell, cell, timeout_s)
        if error is not None:
            evalue = "timed out" if isinstance(error, CellTimeout) else str(error)
            raise NotebookError(i, count, type(error).__name__, evalue, cell.outputs[-1].traceback)
    return nb


def run_notebook(path, parameters: dict, timeout_s: int | None = None, on_cell=None):
    """Read a notebook, inject its parameters, run it; returns the executed node (or raises
    ``NotebookError`` with ``.notebook`` holding what ran)."""
    nb = inject_parameters(nbformat.read(path, as_version=4), parameters)
    try:
        return execute(nb, timeout_s, on_cell)
    except NotebookError as e:
        e.notebook = nb
        raise
