"""Start-up costs (issue 16): `kpibot --help`, `kpibot ask` on the small demo, and the first Slack answers.

Every command runs as its own process, the way users run it: RUNS times after one discarded run (which also
writes the bytecode cache), median wall time and CPU, peak memory. Then `kpibot serve --http` starts against
the fake Slack the tests use; once /healthz says ready, one signed /kpi goes in and the time until its answer
reaches the fake Slack's response_url is the first answer; LATER more questions follow, one at a time.
CPU and memory of serve are those of the server and its worker processes together.

    python benchmarks/startup.py [--runs 5] [--later 5] [--starts 1] [--database-url URL]
    (default database: the small `kpibot demo`, built in a temporary directory)

Targets: --help <= 0.3 s CPU; ask <= 0.6 s end to end; the first answer after serve is ready <= 1 s.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.bot.support.fake_slack import FakeSlack  # noqa: E402
from tests.bot.support.served_app import free_port  # noqa: E402
from tests.bot.support.slack_requests import SlackSender  # noqa: E402

SECRET = "benchmark-signing-secret"
QUESTION = "mrr by plan last quarter"
LATER_QUESTIONS = ("active users last week", "churn rate by month this year", "new trials by channel last month",
                   "mrr by plan last quarter", "nps last quarter", "arpa by segment this year")
TICKS = os.sysconf("SC_CLK_TCK")
TARGETS = {"kpibot --help": ("cpu", 0.3), f'kpibot ask "{QUESTION}"': ("wall", 0.6),
           "first answer after ready": ("wall", 1.0)}


@dataclass
class Row:
    operation: str
    wall: float  # seconds (median over the runs)
    cpu: float  # user + system seconds (median)
    memory_mib: float  # peak resident memory (the largest run)
    runs: int
    load: str


def load_average() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def child_env(database_url: str) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # users' installs keep their bytecode cache
    return env


# Runs the command from a small interpreter: a child forked from this (larger) process would count this
# process's memory as its own peak, since Linux carries the pre-exec high-water mark over.
LAUNCHER = """
import json, os, subprocess, sys, time
started = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
print(json.dumps([os.waitstatus_to_exitcode(status), time.perf_counter() - started,
                  usage.ru_utime + usage.ru_stime, usage.ru_maxrss]))
"""


def run_process(argv: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MiB) of one process run to its end."""
    done = subprocess.run([sys.executable, "-c", LAUNCHER, *argv], env=env, cwd=ROOT, capture_output=True,
                          text=True, check=False)
    code, wall, cpu, max_rss_kib = json.loads(done.stdout.strip().splitlines()[-1])
    if code != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {code}: {done.stderr[-2000:]}")
    return wall, cpu, max_rss_kib / 1024


def measure_command(name: str, argv: list[str], env: dict[str, str], runs: int) -> Row:
    run_process(argv, env)  # discarded: writes the bytecode cache, warms the OS file cache
    samples = [run_process(argv, env) for _ in range(runs)]
    return Row(name, statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples),
               max(s[2] for s in samples), runs, load_average())


def process_tree(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
    tree, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, parent in parents.items() if parent in frontier]
        tree += frontier
    return tree


def tree_usage(root: int) -> tuple[float, float]:
    """CPU seconds so far and resident MiB now, of `root` and every process under it."""
    cpu = rss = 0.0
    for pid in process_tree(root):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        cpu += (int(fields[11]) + int(fields[12])) / TICKS
        rss += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0) / 1024
    return cpu, rss


def start_serve(env: dict[str, str], fake: FakeSlack, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {**env, "SLACK_SIGNING_SECRET": SECRET, "SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_API_URL": fake.api_url}
    for name in ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "KPIBOT_ACCESS_FILE"):
        env.pop(name, None)
    return subprocess.Popen([sys.executable, "-m", "bot.cli.main", "serve", "--http", "--host", "127.0.0.1",
                             "--port", str(port)], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=log.open("wb"))


def wait_ready(server: subprocess.Popen[bytes], port: int, log: Path, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"kpibot serve exited: {log.read_text()[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.02)
    raise RuntimeError("kpibot serve did not become ready")


def ask_slack(sender: SlackSender, fake: FakeSlack, question: str, name: str) -> float:
    """Seconds from sending /kpi to its answer at the response_url."""
    started = time.monotonic()
    response = sender.slash_command(question, user_id="U0BENCH", response_url=fake.response_url(name))
    assert response.status_code == 200, response.text
    answer = fake.wait_for("response_url", timeout=60, where=lambda call: call.path.endswith(f"/{name}"))
    return answer[0].at - started


Sample = tuple[float, float, float]  # wall s, CPU s, MiB


def serve_once(env: dict[str, str], later: int) -> tuple[Sample, Sample, list[Sample]]:
    """One `kpibot serve`: start until ready, the first answer, the later ones."""
    fake = FakeSlack().start()
    fake.add_user("U0BENCH")
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "serve.log"
        started = time.monotonic()
        server = start_serve(env, fake, port, log)
        try:
            wait_ready(server, port, log)
            ready = time.monotonic() - started
            cpu_ready, rss_ready = tree_usage(server.pid)
            sender = SlackSender(f"http://127.0.0.1:{port}", SECRET)
            first = ask_slack(sender, fake, QUESTION, "first")
            cpu_before, rss = tree_usage(server.pid)
            first_sample = (first, cpu_before - cpu_ready, rss)
            later_samples = []
            for i in range(later):
                wall = ask_slack(sender, fake, LATER_QUESTIONS[i % len(LATER_QUESTIONS)], f"later{i}")
                cpu_now, rss = tree_usage(server.pid)
                later_samples.append((wall, cpu_now - cpu_before, rss))
                cpu_before = cpu_now
            sender.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
            fake.stop()
    return (ready, cpu_ready, rss_ready), first_sample, later_samples


def summary(operation: str, samples: list[Sample]) -> Row:
    return Row(operation, statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples),
               max(s[2] for s in samples), len(samples), load_average())


def measure_serve(env: dict[str, str], later: int, starts: int) -> list[Row]:
    runs = [serve_once(env, later) for _ in range(starts)]
    rows = [summary("serve start until /healthz ready", [r[0] for r in runs]),
            summary("first answer after ready", [r[1] for r in runs])]
    if later:
        rows.append(summary("later answers", [sample for r in runs for sample in r[2]]))
    return rows


def build_demo(env: dict[str, str]) -> None:
    print("building the small demo (kpibot demo) ...", flush=True)
    run_process([sys.executable, "-m", "bot.cli.main", "demo"], env)


def verdict(row: Row) -> str:
    if row.operation not in TARGETS:
        return ""
    kind, limit = TARGETS[row.operation]
    value = row.cpu if kind == "cpu" else row.wall
    return f"{'PASS' if value <= limit else 'FAIL'} ({kind} <= {limit:g} s)"


def report(rows: list[Row]) -> None:
    print(f"{'operation':40}{'wall s':>9}{'CPU s':>9}{'MiB':>8}{'runs':>6}  {'load (1/5/15 min)':19} target")
    for row in rows:
        print(f"{row.operation:40}{row.wall:9.3f}{row.cpu:9.3f}{row.memory_mib:8.0f}{row.runs:6d}  {row.load:19} "
              f"{verdict(row)}")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs of each command (median)")
    parser.add_argument("--later", type=int, default=5, help="answers after the first one")
    parser.add_argument("--starts", type=int, default=1, help="starts of kpibot serve (median)")
    parser.add_argument("--database-url", default=None, help="a database with the small demo (default: build one)")
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/demo.sqlite3"
        env = child_env(url)
        if args.database_url is None:
            build_demo(env)
        kpibot = [sys.executable, "-m", "bot.cli.main"]
        rows = [measure_command("kpibot --help", [*kpibot, "--help"], env, args.runs),
                measure_command(f'kpibot ask "{QUESTION}"', [*kpibot, "ask", QUESTION], env, args.runs)]
        rows += measure_serve(env, args.later, args.starts)
    report(rows)
    return 0 if all(verdict(row).startswith("PASS") for row in rows if row.operation in TARGETS) else 1


if __name__ == "__main__":
    sys.exit(main())
