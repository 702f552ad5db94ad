"""Progress of a run: one bar per report on a terminal; one line per finished report otherwise."""

from __future__ import annotations

import sys

_STEPS = {"execute": 1, "render": 2, "done": 3, "failed": 3, "skipped": 3}


class Progress:
    """Bars (tqdm) keyed by job id, updated from the workers' events."""

    def __init__(self, jobs: list, enabled: bool):
        self.tty = enabled and sys.stderr.isatty()
        self.enabled = enabled
        self.bars = {}
        if self.tty:
            from tqdm import tqdm

            tqdm.monitor_interval = 0  # no monitor thread: workers are forked after this

            for i, j in enumerate(jobs):
                self.bars[j.id] = tqdm(
                    total=3,
                    desc=f"{j.id:>8} {j.title}",
                    position=i,
                    leave=True,
                    bar_format="{desc:<28} {bar:20} {postfix}",
                    file=sys.stderr,
                )
                self.bars[j.id].set_postfix_str("queued")

    def update(self, job_id: str, stage: str) -> None:
        bar = self.bars.get(job_id)
        if bar is None:
            return
        bar.n = _STEPS.get(stage, bar.n)
        bar.set_postfix_str(stage)
        bar.refresh()

    def finished(self, r, title: str) -> None:
        if self.tty:
            self.update(r.id, "done" if r.status == "ok" else r.status)
        elif self.enabled:
            print(f"  {r.id:>8} {title:<18} {r.status:<7} {r.seconds:6.1f} s", flush=True)

    def close(self) -> None:
        for b in self.bars.values():
            b.close()
