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
from pathlib import Path

from . import config

#: First cell of every notebook run on a warm kernel (removed from the saved notebook).
RESET_CODE = (
    "get_ipython().run_line_magic('reset', '-f')\n"
    "import matplotlib.pyplot as _plt; _plt.close('all'); del _plt"
)
RESET_TAG = "mchch-reset"
_WARMUP_CODE = (
    "import mchch_lib.report, mchch_lib.charts, pandas, matplotlib.pyplot, scipy.stats\n"
    "mchch_lib.fonts.register_fonts()\n"
)


class WarmKernel:
    """One kernel process reused for several notebooks."""

    def __init__(self, cwd: Path | None = None):
        from jupyter_client import KernelManager

        self._dir = Path(tempfile.mkdtemp(prefix="mchch-kernel-"))
        self.km = KernelManager(kernel_name="python3", transport="ipc", ip=str(self._dir / "k"),
                                connection_file=str(self._dir / "kernel.json"))
        env = dict(os.environ)
        env.setdefault("MCHCH_ROOT", str(config.PROJECT_ROOT))
        env["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
        env.pop("JPY_PARENT_PID", None)
        # The kernel runs the same Python as the batch (the project's virtualenv).
        self.km.kernel_spec.argv[0] = sys.executable
        self.km.start_kernel(cwd=str(cwd or config.NOTEBOOKS_DIR), env=env)
        self.run(_WARMUP_CODE)

    def run(self, code: str) -> None:
        """Run code in the kernel; raise if it fails (a reset must not fail quietly).

        A fresh client each time: a client left connected while papermill's own client runs a
        notebook stops receiving its replies.
        """
        kc = self.km.client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=60)
            reply = kc.execute_interactive(code, timeout=120, store_history=False,
                                           output_hook=lambda msg: None)
        finally:
            kc.stop_channels()
        if reply["content"]["status"] != "ok":
            c = reply["content"]
            raise RuntimeError(f"kernel code failed: {c.get('ename')}: {c.get('evalue')}")

    def alive(self) -> bool:
        return self.km.is_alive()

    def shutdown(self) -> None:
        try:
            self.km.shutdown_kernel(now=True)
        finally:
            shutil.rmtree(self._dir, ignore_errors=True)
