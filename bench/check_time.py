"""How long `pacer-verify check` takes for one attorney, against the mock, no court: the median of N runs.

    .venv/bin/python bench/check_time.py                          # this tree, 10 runs
    .venv/bin/python bench/check_time.py --before /tmp/base -n 10  # and an exported tree, runs interleaved

Each run is a whole process, started as `python -m verifier check` (the `pacer-verify` script's own
entry point) and timed from its start to its exit. With `--before`, a tree exported from another commit
(`git archive COMMIT | tar -x -C DIR`) runs with `PYTHONPATH=DIR`, one run of each in turn, so that both
see the same load. The mock runs in its own process, as a remote site would (bench/run.py). Also
times `pacer-verify --help`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from run import PASSWORD, PYTHON, REPO, bench_accounts, mock_site, write_scenario


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=tempfile.gettempdir())
    took = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"{command[3:5]} exited {done.returncode}: {done.stderr.strip()[-400:]}")
    return took


def line(name: str, times: list[float]) -> str:
    shown = " ".join(f"{t:.2f}" for t in sorted(times))
    return f"{name:>8}: median {statistics.median(times):.3f} s  (min {min(times):.3f}; {shown})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--runs", type=int, default=10)
    parser.add_argument("--before", type=Path, help="an exported tree to time in turn with this one")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}  # bytecode cached, as installed
    env["PACER_PASSWORD"] = PASSWORD
    trees = {"after": REPO, **({"before": args.before.resolve()} if args.before else {})}
    with tempfile.TemporaryDirectory() as folder:
        scenario = write_scenario(Path(folder) / "scenario.json", bench_accounts(2))
        with mock_site(scenario, env) as base_url:
            check = [PYTHON, "-m", "verifier", "check", "-u", "bench00001", "--base-url", base_url]
            times: dict[str, list[float]] = {name: [] for name in trees}
            helps: dict[str, list[float]] = {name: [] for name in trees}
            for _ in range(args.runs):
                for name, tree in trees.items():
                    tree_env = {**env, "PYTHONPATH": str(tree)}
                    times[name].append(timed(check, tree_env))
                    helps[name].append(timed([PYTHON, "-m", "verifier", "--help"], tree_env))
    for name in trees:
        print(line(name, times[name]), "check")
        print(line(name, helps[name]), "--help")


if __name__ == "__main__":
    main()
