"""Progress of a run: one bar per report on a terminal; one line per finished report otherwise."""

from __future__ import annotations

import sys

#: What a bar says of its job (Thai, the stage's English name in brackets).
STAGE_TH = {"queued": "รอคิว (queued)", "execute": "ประมวลผล (execute)", "render": "ทำ PDF (render)",
            "done": "เสร็จ (done)", "failed": "ล้มเหลว (failed)", "skipped": "ข้าม (skipped)"}  # fmt: skip
_STEPS = {"execute": 1, "render": 2, "done": 3, "failed": 3, "skipped": 3}


class Progress:
    """Bars (tqdm) keyed by job id, updated from the workers' events."""

    def __init__(self, jobs: list, enabled: bool):
        self.tty = enabled and sys.stderr.isatty()
        self.enabled = enabled
        self.bars = {}
        if self.tty:
            from tqdm import tqdm

            from mchch_lib.batch.console import pad

            tqdm.monitor_interval = 0  # no monitor thread: workers are forked after this

            for i, j in enumerate(jobs):
                self.bars[j.id] = tqdm(
                    total=3,
                    desc=pad(f"{pad(j.id, 22, right=True)} {j.title}", 42),
                    position=i,
                    leave=True,
                    bar_format="{desc} {bar:20} {postfix}",
                    file=sys.stderr,
                )
                self.bars[j.id].set_postfix_str(STAGE_TH["queued"])

    def update(self, job_id: str, stage: str) -> None:
        bar = self.bars.get(job_id)
        if bar is None:
            return
        bar.n = _STEPS.get(stage, bar.n)
        bar.set_postfix_str(STAGE_TH.get(stage, stage))
        bar.refresh()

    def finished(self, r, title: str) -> None:
        if self.tty:
            self.update(r.id, "done" if r.status == "ok" else r.status)
        elif self.enabled:
            from mchch_lib.batch.console import progress_line

            print(progress_line(r.id, title, r.status, r.seconds), flush=True)

    def close(self) -> None:
        for b in self.bars.values():
            b.close()
