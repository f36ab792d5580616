#!/usr/bin/env python3
"""Crash consistency of every command that writes a file (docs/reliability.md).

Usage: crash_test.py PLENARY SOURCE_DIR [--kills N] [--seed S] [--only NAME]

For each command (run, compare, lobby, sweep, sensitivity, fit, generate, draft, positions,
calibrate, forecast): one uninterrupted run gives the reference files; then N times
(seeded; 40% of N for calibrate and forecast, which read the whole vote data) the command
starts afresh, is killed with
SIGKILL at a random instant (half anywhere in its running time, half from 70% to 105% of
it, when it writes its files), and the test checks that no output exists under its final
name unless it is whole (byte-identical to the reference); then the command runs again (a
sweep or sensitivity study with --resume when its journal survived) and every output must
be byte-identical to the reference (a JSON file: apart from its wall-clock `*_seconds` fields), with the journal
gone. Last, a file-size limit (a full disk: `ulimit -f`, SIGXFSZ ignored) and an output
directory that cannot be written must give exit status 2, a message naming the file, and
no output or temporary file under its name.
Standard library only; prints one line per check and a summary.
"""
import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time

PLENARY, SOURCE = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
KILLS = int(sys.argv[sys.argv.index("--kills") + 1]) if "--kills" in sys.argv else 50
SEED = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 20261207
ONLY = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None
EXAMPLE = os.path.join(SOURCE, "scenarios", "example.yaml")
VOTES = os.path.join(SOURCE, "data", "unga")
BSV = os.path.join(SOURCE, "tests", "calibrate", "data", "bsv", "IdealpointestimatesAll_fixture.csv")
TMP = tempfile.mkdtemp(prefix="plenary-crash-")

# name: (arguments, output files relative to the working directory, resume argument).
COMMANDS = {
    "run": (["run", EXAMPLE, "-k", "4000", "--seed", "1", "-q", "--out", "run.json",
             "--csv", "csv", "--report", "run.html"],
            ["run.json", "run.html", "csv/drafts.csv", "csv/sponsors_by_round.csv",
             "csv/members.csv"], None),
    "compare": (["compare", EXAMPLE, EXAMPLE, "--set", "theta_peer=1", "-k", "2000",
                 "--seed", "1", "-q", "--out", "compare.json", "--report", "compare.html"],
                ["compare.json", "compare.html"], None),
    "lobby": (["lobby", EXAMPLE, "--draft", "GGE", "-k", "500", "--seed", "1", "-q",
               "--out", "lobby.json", "--report", "lobby.html"],
              ["lobby.json", "lobby.html"], None),
    "sweep": (["sweep", EXAMPLE, "--set", "theta_peer=1:4:1", "--set", "GGE.closes=4:10:2",
               "-k", "5000", "--seed", "1", "-j", "1", "-q", "--out", "sweep.csv"],
              ["sweep.csv"], "--resume"),
    "sensitivity": (["sensitivity", EXAMPLE, "--vary", "theta_peer=0:2", "--vary",
                     "GGE.lobbying=0:2", "--samples", "6", "-k", "8000", "--seed", "1", "-j",
                     "1", "-q", "--out", "sens.csv", "--json", "sens.json", "--report",
                     "sens.html"],
                    ["sens.csv", "sens.json", "sens.html"], "--resume"),
    "fit": (["fit", EXAMPLE, "--target", "GGE.sponsors=2", "--free", "theta_peer",
             "-k", "200", "--seed", "1", "--max-evals", "12", "-j", "1", "-q",
             "--out", "fit.yaml", "--json", "fit.json"],
            ["fit.yaml", "fit.json"], None),
    "generate": (["generate", "--members", "40", "--drafts", "3", "--seed", "1",
                  "--out", "generated.yaml"], ["generated.yaml"], None),
    "draft": (["draft", EXAMPLE, "--draft", "GGE", "-k", "200", "--seed", "1", "-q",
               "--out", "draft.json", "--report", "draft.html"],
              ["draft.json", "draft.html"], None),
    "positions": (["positions", "--bsv", BSV, "--year", "2018", "-q", "--out", "bsv.yaml"],
                  ["bsv.yaml"], None),
    "calibrate": (["calibrate", "--votes", VOTES, "--sessions", "72", "--model", "ordered",
                   "-q", "--out", "positions.yaml", "--report", "calibrate.json",
                   "--agreement", "agreement.csv"],
                  ["positions.yaml", "calibrate.json", "agreement.csv"], None),
    "forecast": (["forecast", "--votes", VOTES, "--session", "72", "--train", "71-71", "-q",
                  "--out", "forecast.csv", "--json", "forecast.json"],
                 ["forecast.csv", "forecast.json"], None),
}
# The commands that read the whole vote data take a second or more each: fewer kills.
KILL_SHARE = {"calibrate": 0.4, "forecast": 0.4}

failures = []
stats = {"kills": 0, "finished before the kill": 0, "resumed": 0, "reruns": 0}


def check(ok, what):
    if not ok:
        print("FAIL  " + what, flush=True)
        failures.append(what)
    return ok


def read(path):
    with open(path, "rb") as f:
        return f.read()


def run_whole(args, cwd, preexec=None):
    start = time.monotonic()
    p = subprocess.run([PLENARY] + args, cwd=cwd, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True, timeout=300, preexec_fn=preexec)
    return p.returncode, p.stderr, time.monotonic() - start


def without_timings(value):
    """A JSON value without its wall-clock fields (`search_seconds`, ...): the one part of an
    output that differs between runs by design."""
    if isinstance(value, dict):
        return {k: without_timings(v) for k, v in value.items()
                if k != "seconds" and not k.endswith("_seconds")}
    if isinstance(value, list):
        return [without_timings(v) for v in value]
    return value


def same(name, a, b):
    """Byte-identical, except for the timings of a JSON file (which must still parse)."""
    if a == b:
        return True
    if a is None or b is None or not name.endswith(".json"):
        return False
    try:
        return without_timings(json.loads(a)) == without_timings(json.loads(b))
    except ValueError:
        return False


def final_files(cwd, outputs):
    return {o: read(os.path.join(cwd, o)) for o in outputs if os.path.exists(os.path.join(cwd, o))}


def kill_and_rerun(name, rng):
    args, outputs, resume = COMMANDS[name]
    ref_dir = os.path.join(TMP, name, "reference")
    os.makedirs(os.path.join(ref_dir, "csv"))
    status, err, seconds = run_whole(args, ref_dir)
    if not check(status == 0, f"{name}: the uninterrupted run succeeds ({err.strip()})"):
        return
    reference = final_files(ref_dir, outputs)
    # The running time the kills are spread over: the median of three runs (one is noisy on
    # a loaded machine).
    times = [seconds] + [run_whole(args, ref_dir)[2] for _ in range(2)]
    seconds = sorted(times)[1]
    if not check(len(reference) == len(outputs), f"{name}: the reference run wrote every file"):
        return
    kills = early = resumed = 0
    failed_before = len(failures)
    count = max(10, round(KILLS * KILL_SHARE.get(name, 1)))
    for k in range(count):
        cwd = os.path.join(TMP, name, str(k))
        os.makedirs(os.path.join(cwd, "csv"))
        p = subprocess.Popen([PLENARY] + args, cwd=cwd, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        # Half the kills anywhere in the run, half near its end, where the files are written.
        time.sleep(rng.uniform(0, seconds) if k % 2 == 0 else rng.uniform(0.7, 1.05) * seconds)
        if p.poll() is None:
            p.send_signal(signal.SIGKILL)
            kills += 1
        else:
            early += 1
        p.wait()
        for out, data in final_files(cwd, outputs).items():
            check(same(out, data, reference[out]),
                  f"{name} kill {k}: '{out}' exists under its final name but is not whole")
        again = list(args)
        journal = [o for o in outputs if os.path.exists(os.path.join(cwd, o + ".journal"))]
        if resume and journal:
            again.append(resume)
            resumed += 1
        status, err, _ = run_whole(again, cwd)
        if not check(status == 0, f"{name} kill {k}: the rerun succeeds ({err.strip()})"):
            continue
        after = final_files(cwd, outputs)
        for out in outputs:
            check(same(out, after.get(out), reference[out]),
                  f"{name} kill {k}: '{out}' after the rerun is byte-identical to the reference")
            check(not os.path.exists(os.path.join(cwd, out + ".journal")),
                  f"{name} kill {k}: no journal is left beside '{out}'")
        shutil.rmtree(cwd)
    stats["kills"] += kills
    stats["finished before the kill"] += early
    stats["resumed"] += resumed
    stats["reruns"] += count
    print(f"{'ok  ' if len(failures) == failed_before else 'FAIL'}  {name}: {kills} SIGKILLs at random instants in {seconds:.2f} s runs "
          f"({early} runs finished first), {resumed} resumed from the journal; every "
          f"output whole or absent, every rerun byte-identical", flush=True)


def limit_file_size(size):
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    return apply


def full_disk_and_unwritable(name):
    args, outputs, _ = COMMANDS[name]
    cwd = os.path.join(TMP, name, "full")
    os.makedirs(os.path.join(cwd, "csv"))
    status, err, _ = run_whole(args, cwd, limit_file_size(1000))
    check(status == 2, f"{name}: a full disk gives exit status 2 (got {status}: {err.strip()})")
    check(any(o in err for o in outputs) or ".journal" in err,
          f"{name}: the full-disk message names the file ({err.strip()})")
    check(not final_files(cwd, outputs), f"{name}: nothing is left under a final name "
          "after a full disk")
    check(not [f for f in os.listdir(cwd) if ".tmp." in f],
          f"{name}: no temporary file is left after a full disk ({os.listdir(cwd)})")
    # A directory that cannot be written: read-only for a normal user; as root (who may
    # write anywhere) a directory of /proc, where no file can be created.
    ro = os.path.join(TMP, name, "readonly")
    os.makedirs(os.path.join(ro, "csv"))
    if os.geteuid() == 0:
        target = "/proc/self"
    else:
        os.chmod(os.path.join(ro, "csv"), 0o555)
        os.chmod(ro, 0o555)
        target = ro
    bad = [a if a not in outputs and a != "csv" else os.path.join(target, a) for a in args]
    status, err, _ = run_whole(bad, ro)
    check(status == 2, f"{name}: an unwritable directory gives exit status 2 "
          f"(got {status}: {err.strip()})")
    check(target in err, f"{name}: the message names the unwritable file ({err.strip()})")
    if os.geteuid() != 0:
        check(not final_files(ro, outputs), f"{name}: nothing written to the unwritable directory")
        os.chmod(os.path.join(ro, "csv"), 0o755)
        os.chmod(ro, 0o755)


def main():
    rng = random.Random(SEED)
    start = time.monotonic()
    for name in COMMANDS:
        if ONLY and name != ONLY:
            continue
        kill_and_rerun(name, rng)
        full_disk_and_unwritable(name)
    shutil.rmtree(TMP, ignore_errors=True)
    print(f"{stats['kills']} SIGKILLs survived over {stats['reruns']} interrupted runs of "
          f"{len(COMMANDS) if not ONLY else 1} commands ({stats['finished before the kill']} "
          f"finished before their kill, {stats['resumed']} resumed from a journal), seed "
          f"{SEED}, {time.monotonic() - start:.0f} s; {len(failures)} failures")
    sys.exit(1 if failures else 0)


main()
