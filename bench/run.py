"""Benchmark: `pacer-verify bulk` against the mock, and the baseline designs, in one run.

    .venv/bin/python bench/run.py                     # 200 accounts; baselines on 30 each
    .venv/bin/python bench/run.py --accounts 100 --baseline-accounts 20

Each design runs as its own process; the script samples the memory of that whole process tree
(Python + Playwright's driver + every browser process; PSS where the OS gives it, else RSS) and
prints accounts/s, peak memory, and pacer-verify's speed as a ratio of each baseline. The mock
site runs in a separate process for all of them (rate limit off), as a remote site would.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PASSWORD = "Bench-Passw0rd!"


@dataclass
class Measure:
    design: str
    accounts: int
    seconds: float
    peak_mb: float
    exit_code: int
    cpu_s: float = 0.0
    """User + system CPU-seconds of the whole finished process tree (the kernel's accounting)."""

    @property
    def rate(self) -> float:
        return self.accounts / self.seconds if self.seconds else 0.0

    @property
    def cpu_per_account(self) -> float:
        return self.cpu_s / self.accounts if self.accounts else 0.0


def tree_cpu_sample(root: psutil.Process, seen: dict[tuple[int, float], float]) -> None:
    """Record each live process's CPU-seconds so far, keyed by (pid, start time)."""
    try:
        processes = [root, *root.children(recursive=True)]
    except psutil.Error:
        return
    for process in processes:
        try:
            times = process.cpu_times()
            seen[(process.pid, process.create_time())] = times.user + times.system
        except psutil.Error:
            continue


def tree_memory_mb(root: psutil.Process) -> float:
    total = 0
    try:
        processes = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0.0
    for process in processes:
        try:
            info = process.memory_full_info()
            total += getattr(info, "pss", 0) or info.rss
        except psutil.Error:
            continue
    return total / 2**20


def children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(design: str, accounts: int, command: list[str], env: dict[str, str]) -> Measure:
    # Reaped descendants add their CPU to their parent's children-usage, up to this process: the
    # difference is the whole tree's (the mock, still running, is not in it).
    cpu_before = children_cpu_s()
    started = time.monotonic()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    root = psutil.Process(process.pid)
    peak = 0.0
    stop = threading.Event()
    sampled: dict[tuple[int, float], float] = {}

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, tree_memory_mb(root))
            tree_cpu_sample(root, sampled)
            stop.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    seconds = time.monotonic() - started
    stop.set()
    sampler.join()
    if process.returncode not in (0, 1):
        print(f"{design} failed (exit {process.returncode}):\n{stderr[-2000:]}", file=sys.stderr)
    # The kernel's figure misses processes whose parent never reaped them; sampling misses each
    # process's last 0.2 s. Take the larger.
    cpu = max(children_cpu_s() - cpu_before, sum(sampled.values()))
    return Measure(design, accounts, seconds, peak, process.returncode, cpu)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def bench_accounts(count: int) -> list[dict[str, str]]:
    """Signed-in accounts, a mix of upgraded and legacy, like a firm's roster."""
    return [
        {
            "username": f"bench{i:05d}",
            "password": PASSWORD,
            "name": f"Bench Attorney {i}",
            "account_number": f"{7000000 + i}",
            "account_type": "legacy" if i % 4 == 0 else "upgraded",
        }
        for i in range(count)
    ]


def write_scenario(path: Path, accounts: list[dict[str, str]]) -> Path:
    path.write_text(json.dumps({"accounts": accounts, "courts": []}))
    return path


def write_roster(path: Path, accounts: list[dict[str, str]]) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "username", "password"])
        for account in accounts:
            writer.writerow([account["name"], account["username"], account["password"]])
    path.chmod(0o600)
    return path


@contextlib.contextmanager
def mock_site(scenario: Path, env: dict[str, str]) -> Iterator[str]:
    """`pacer-verify mock` in its own process, as a remote site would be; yields its base URL."""
    port = free_port()
    mock = subprocess.Popen(
        [PYTHON, "-m", "verifier", "mock", "--port", str(port), "--scenario", str(scenario), "--quiet"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=REPO,
    )
    try:
        wait_for_port(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        mock.terminate()
        mock.wait(10)


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit("the mock did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--accounts", type=int, default=200, help="accounts for pacer-verify bulk")
    parser.add_argument("--baseline-accounts", type=int, default=30, help="accounts for each baseline")
    parser.add_argument("--concurrency", type=int, default=None, help="bulk --concurrency (default: its own)")
    parser.add_argument(
        "--sign-in",
        choices=["api", "browser"],
        default="api",
        help="how every design signs in (bulk's --sign-in; the baselines run the same flows)",
    )
    parser.add_argument("--skip-baselines", action="store_true")
    parser.add_argument("--json", type=Path, default=None, help="also write the numbers to this file")
    args = parser.parse_args()

    env = {k: v for k, v in os.environ.items() if not k.startswith("PACER_")}
    with tempfile.TemporaryDirectory(prefix="pacer-bench-") as scratch:
        folder = Path(scratch)
        accounts = bench_accounts(max(args.accounts, args.baseline_accounts))
        scenario = write_scenario(folder / "scenario.json", accounts)
        roster = write_roster(folder / "roster.csv", accounts[: args.accounts])
        baseline_roster = write_roster(folder / "baseline.csv", accounts[: args.baseline_accounts])
        with mock_site(scenario, env) as base_url:
            results: list[Measure] = []
            bulk = [
                PYTHON,
                "-m",
                "verifier",
                "bulk",
                str(roster),
                "--base-url",
                base_url,
                "--rate",
                "0",
                "--out",
                str(folder / "out"),
                "--quiet",
                "--no-court-checks",
                "--sign-in",
                args.sign_in,
            ]
            if args.concurrency:
                bulk += ["--concurrency", str(args.concurrency)]
            results.append(measure("pacer-verify bulk", args.accounts, bulk, env))
            if not args.skip_baselines:
                for design in ("context", "naive"):
                    command = [
                        PYTHON,
                        str(REPO / "bench" / "baseline.py"),
                        design,
                        "--roster",
                        str(baseline_roster),
                        "--base-url",
                        base_url,
                        "--accounts",
                        str(args.baseline_accounts),
                        "--sign-in",
                        args.sign_in,
                    ]
                    label = {"naive": "naive: browser per account", "context": "sequential: context per account"}
                    results.append(measure(label[design], args.baseline_accounts, command, env))

    print(f"\n{'design':<36}{'accounts':>9}{'seconds':>9}{'acct/s':>9}{'CPU-s/acct':>11}{'peak MB':>9}")
    for m in results:
        print(
            f"{m.design:<36}{m.accounts:>9}{m.seconds:>9.1f}{m.rate:>9.2f}{m.cpu_per_account:>11.3f}{m.peak_mb:>9.0f}"
        )
    ours = results[0]
    for other in results[1:]:
        print(f"speed ratio vs {other.design}: {ours.rate / other.rate:.1f}x" if other.rate else "")
    if args.json:
        args.json.write_text(json.dumps([m.__dict__ | {"rate": m.rate} for m in results], indent=2))
    if any(m.exit_code not in (0, 1) for m in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
