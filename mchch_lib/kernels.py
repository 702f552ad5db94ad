"""Warm Jupyter kernels for the batch.

Starting a kernel and importing pandas/matplotlib in it dominates the cost of a small report, so
each batch worker starts one kernel and reuses it for every notebook it runs, clearing the user
namespace in between. Kernels talk over the IPC transport (Unix sockets in a private folder), so
parallel kernels cannot race for TCP ports, a known papermill failure.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

from jupyter_core.utils import run_sync

from . import config

#: First cell of every notebook run on a warm kernel (removed from the saved notebook).
RESET_CODE = (
    "get_ipython().run_line_magic('reset', '-f')\n"
    "import matplotlib.pyplot as _plt; _plt.close('all'); del _plt"
)
RESET_TAG = "mchch-reset"
_WARMUP_CODE = (
    "import mchch_lib.config; mchch_lib.config.decline_slow_optional_imports()\n"
    "import mchch_lib.report, mchch_lib.charts, pandas, matplotlib.pyplot, scipy.stats\n"
    "mchch_lib.fonts.register_fonts()\n"
    "import gc; gc.freeze()\n"
)

_ENGINE_NAME = "mchch-warm"
#: Kernel folders (connection file, IPC sockets) are named after the worker's process id, so
#: the folders of a killed run can be told from those of a running one and removed.
_DIR_PREFIX = "mchch-kernel-"


def remove_dead_kernel_dirs() -> int:
    """Remove the kernel folders of worker processes that no longer run; how many."""
    n = 0
    for d in Path(tempfile.gettempdir()).glob(f"{_DIR_PREFIX}*"):
        pid = d.name[len(_DIR_PREFIX) :].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(d, ignore_errors=True)
            n += 1
    return n


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


@lru_cache(maxsize=1)
def _register_engine() -> None:
    """A papermill engine that runs a notebook through an already connected kernel client."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.log import logger

    class WarmClientEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man,
            kernel_name,
            log_output=False,
            stdout_file=None,
            stderr_file=None,
            start_timeout=60,
            execution_timeout=None,
            km=None,
            warm_kc=None,
            **kwargs,
        ):
            kwargs.pop("input_path", None)
            client = PapermillNotebookClient(
                nb_man,
                km=km,
                kernel_name=kernel_name,
                log=logger,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
                startup_timeout=start_timeout,
                timeout=execution_timeout,
                **kwargs,
            )
            client.kc = warm_kc  # nbclient connects a client only when it has none
            return client.execute()

    papermill_engines.register(_ENGINE_NAME, WarmClientEngine)


class WarmKernel:
    """One kernel process reused for several notebooks."""

    def __init__(self, cwd: Path | None = None):
        from jupyter_client import KernelManager

        self._dir = Path(tempfile.mkdtemp(prefix=f"{_DIR_PREFIX}{os.getpid()}-"))
        self.km = KernelManager(
            kernel_name="python3",
            transport="ipc",
            ip=str(self._dir / "k"),
            connection_file=str(self._dir / "kernel.json"),
        )
        env = dict(os.environ)
        env.setdefault("MCHCH_ROOT", str(config.PROJECT_ROOT))
        env["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
        env.pop("JPY_PARENT_PID", None)
        # The kernel runs the same Python as the batch (the project's virtualenv).
        self.km.kernel_spec.argv[0] = sys.executable
        self.km.start_kernel(cwd=str(cwd or config.NOTEBOOKS_DIR), env=env)
        _register_engine()
        # An asynchronous client, as nbclient expects: with a blocking one, its wait for output
        # blocks the event loop, so a cell timeout or a dead kernel would never be noticed.
        from jupyter_client.asynchronous import AsyncKernelClient

        self.kc = AsyncKernelClient(
            **self.km.get_connection_info(session=True),
            connection_file=self.km.connection_file,
            parent=self.km,
        )
        self.kc.start_channels()
        # run_sync: on the thread's persistent event loop, the one nbclient uses too
        run_sync(self.kc.wait_for_ready)(timeout=60)
        self.run(_WARMUP_CODE)

    def run(self, code: str) -> None:
        """Run code in the kernel; raise if it fails (a reset must not fail quietly)."""
        reply = run_sync(self.kc.execute_interactive)(
            code, timeout=120, store_history=False, output_hook=lambda msg: None
        )
        if reply["content"]["status"] != "ok":
            c = reply["content"]
            raise RuntimeError(f"kernel code failed: {c.get('ename')}: {c.get('evalue')}")

    def execute_notebook(
        self, notebook, output_path: str | Path, parameters: dict, cell_timeout_s: int | None = None
    ):
        """Run a notebook with papermill on this kernel, through its connected client.

        papermill would otherwise connect a new client per notebook and wait for its IOPub
        channel to settle (about 0.2 s each); one client serves every notebook instead.
        """
        import papermill as pm

        return pm.execute_notebook(
            notebook,
            str(output_path),
            parameters=parameters,
            engine_name=_ENGINE_NAME,
            kernel_name="python3",
            progress_bar=False,
            request_save_on_cell_execute=False,
            execution_timeout=cell_timeout_s,
            km=self.km,
            warm_kc=self.kc,
            cwd=None,
        )

    def alive(self) -> bool:
        return self.km.is_alive()

    def shutdown(self) -> None:
        try:
            self.kc.stop_channels()
            self.km.shutdown_kernel(now=True)
        finally:
            shutil.rmtree(self._dir, ignore_errors=True)
