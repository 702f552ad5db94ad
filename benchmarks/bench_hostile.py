"""Figures for hostile input (issue 9): wall seconds and peak RSS of `mchch validate` on
6,000 pasted applicant rows and on a zip bomb whose sheet expands to 300 MB (and 1 GB), each
in a child process limited to 3 GB of address space. Exits 1 when a bound is missed:
pasted rows <= 5 s and <= 1 GB; zip bomb refused (exit 2) in <= 2 s.

    python benchmarks/bench_hostile.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.test_hostile import pasted, run_child, zip_bomb  # noqa: E402


def main() -> int:
    ok = True
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        f = pasted(tmp, 6000)
        code, _, wall, peak = run_child(["validate", str(f), "--no-cache"])
        print(f"pasted 6000 rows: exit {code}, {wall:.2f} s, peak RSS {peak:.0f} MB")
        ok &= code == 1 and wall <= 5 and peak <= 1024
        for mb in (300, 1000):
            (tmp / str(mb)).mkdir()
            bomb = zip_bomb(tmp / str(mb), mb)
            size = bomb.stat().st_size / 1e6
            code, err, wall, peak = run_child(["validate", str(bomb), "--no-cache"])
            print(f"zip bomb {size:.1f} MB -> {mb} MB sheet: exit {code}, {wall:.2f} s, "
                  f"peak RSS {peak:.0f} MB")  # fmt: skip
            ok &= code == 2 and wall <= 2
    print("bench-hostile:", "ok" if ok else "MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
