"""`bounce-cleaner clean` end to end on 1,000,000 contacts (7 columns) and 1,000,000 bounce rows.

Prints wall time and peak memory of the command, and the time of `../shared/tools/io_floor.py
clean` (a bare read, join and write with no classification or validation) on the same files in the
same run, so the ratio is fair on any machine.

    python benchmarks/bench_clean.py [--contacts 1000000] [--bounces 1000000]
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_classify import DOMAINS, NAMES, make_rows  # noqa: E402

CITIES = ["Paris", "Lyon", "Berlin", "Madrid", "Milano", "Lisboa", "London", "Bruxelles"]


def write_inputs(workdir: Path, contacts: int, bounces: int) -> tuple[Path, Path]:
    rnd = random.Random(7)
    addresses = [f"{rnd.choice(NAMES)}.{n}@{rnd.choice(DOMAINS)}" for n in range(contacts)]
    contact_file, bounce_file = workdir / "contacts.csv", workdir / "bounces.csv"
    with open(contact_file, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["email", "first_name", "last_name", "city", "phone", "signup", "tags"])
        for n, address in enumerate(addresses):
            phone = f"+33 6 {n % 100:02d} {n % 89:02d} {n % 71:02d} {n % 53:02d}"
            signup = f"2025-{n % 12 + 1:02d}-{n % 28 + 1:02d}"
            name = rnd.choice(NAMES).title()
            writer.writerow(
                [address, name, f"N{n % 997}", rnd.choice(CITIES), phone, signup, "news"]
            )
    rows = make_rows(bounces, seed=3)
    with open(bounce_file, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["email", "smtp_code", "enhanced_status", "diagnostic", "date"])
        for n, (_email, code, status, text) in enumerate(rows):
            # half of the bounces hit listed contacts, the rest are orphans
            address = addresses[rnd.randrange(contacts)] if n % 2 else f"gone{n}@example.org"
            writer.writerow([address, code, status, text, f"2026-11-{n % 3 * 7 + 2:02d}"])
    return contact_file, bounce_file


def timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MB) of a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--bounces", type=int, default=1_000_000)
    parser.add_argument("--skip-report", action="store_true", help="don't time the XLSX report")
    args = parser.parse_args()
    workdir = ROOT / "benchmarks" / "data"
    (workdir / "clean-out").mkdir(parents=True, exist_ok=True)
    (workdir / "floor-out").mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    contacts, bounces = write_inputs(workdir, args.contacts, args.bounces)
    print(f"inputs: {args.contacts:,} contacts, {args.bounces:,} bounces "
          f"(written in {time.perf_counter() - start:.1f} s)")  # fmt: skip
    out = workdir / "clean-out"
    command = [sys.executable, "-m", "app", "clean", "--contacts", str(contacts),
               "--bounces", str(bounces), "--out-dir", str(out), "--format", "csv"]  # fmt: skip
    ours, peak = timed([*command, "--no-report"])
    print(f"bounce-cleaner clean (CSV outputs): {ours:.2f} s, peak memory {peak:,.0f} MB")
    if not args.skip_report:
        full, full_peak = timed(command)
        print(f"bounce-cleaner clean + XLSX report: {full:.2f} s, peak memory {full_peak:,.0f} MB "
              f"(report alone ≈ {full - ours:.1f} s)")  # fmt: skip
    floor = ROOT.parent / "shared" / "tools" / "io_floor.py"
    if floor.exists():
        bare, _ = timed([sys.executable, str(floor), "clean", str(contacts), str(bounces),
                         str(workdir / "floor-out")])  # fmt: skip
        print(f"io_floor clean: {bare:.2f} s")
        print(f"clean / io floor: {ours / bare:.2f}x (target <= 2x, aim 1.5x)")


if __name__ == "__main__":
    main()
