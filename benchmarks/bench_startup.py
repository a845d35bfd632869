"""Start-up times: `bounce-cleaner --version` and the window shown (offscreen), from source and
from the frozen app in dist/ when it has been built. Median of several runs, wall clock.

    python benchmarks/bench_startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FROZEN = (
    ROOT / "dist" / "BounceCleaner" / ("BounceCleaner.exe" if os.name == "nt" else "BounceCleaner")
)


def wall(command: list[str], runs: int, **env: str) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            command, check=True, capture_output=True, env={**os.environ, **env}, cwd=ROOT
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    window = {"QT_QPA_PLATFORM": "offscreen", "BOUNCE_CLEANER_QUIT_WHEN_SHOWN": "1"}
    source = [sys.executable, "-m", "app"]
    print(f"from source: --version {wall([*source, '--version'], args.runs):.2f} s, "
          f"window shown {wall(source, args.runs, **window):.2f} s")  # fmt: skip
    if FROZEN.exists():
        print(f"frozen app:  --version {wall([str(FROZEN), '--version'], args.runs):.2f} s, "
              f"window shown {wall([str(FROZEN)], args.runs, **window):.2f} s")  # fmt: skip
    else:
        print("frozen app: not built (python build_scripts/build.py)")


if __name__ == "__main__":
    main()
