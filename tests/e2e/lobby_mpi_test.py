#!/usr/bin/env python3
"""plenary lobby under mpirun (docs/strategy.md, "Under MPI"): the same bytes on 1 and 2
threads and on 1, 2 and 3 ranks, on the fast path and with full reruns; bad input refused
once with status 2 and no output; a killed rank ends the job with no output file.

Usage: lobby_mpi_test.py PLENARY SOURCE_DIR MPIEXEC
"""
import os
import subprocess
import sys
import tempfile
import time

PLENARY, SOURCE, MPIEXEC = sys.argv[1], sys.argv[2], sys.argv[3]
if os.geteuid() == 0:  # Open MPI refuses root unless told
    os.environ["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
    os.environ["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
os.environ["OMPI_MCA_rmaps_base_oversubscribe"] = "1"  # 3 ranks even on a 2-core runner

TMP = tempfile.mkdtemp(prefix="plenary-lobby-mpi-")
SCENARIO = os.path.join(SOURCE, "scenarios", "cyber-2021-joint.yaml")
# 122 replicates: not a multiple of 4 nor of the ranks, so the blocks are uneven.
LOBBY = ["lobby", SCENARIO, "--draft", "JOINT", "-k", "122", "--seed", "5", "-q"]
failures = []


def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what, flush=True)
    if not ok:
        failures.append(what)


def run(args, ranks=None, timeout=300):
    cmd = [PLENARY] + args
    if ranks is not None:
        cmd = [MPIEXEC, "-np", str(ranks)] + cmd
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       timeout=timeout)
    return p.returncode, p.stderr


def read(path):
    with open(path, "rb") as f:
        return f.read()


def same_bytes(goal, extra, suffix):
    """The output on 1 thread against 2 threads and 1, 2, 3 ranks (and full reruns)."""
    args = LOBBY + ["--goal", goal] + extra
    reference = os.path.join(TMP, f"ref-{goal}{suffix}")
    status, err = run(args + ["-j", "1", "-o", reference])
    check(status == 0, f"{goal} {extra}: one thread runs ({err.strip()})")
    want = read(reference)
    runs = [("2 threads", None, ["-j", "2"]), ("1 rank", 1, []), ("2 ranks", 2, []),
            ("3 ranks", 3, []), ("2 ranks, 2 threads each", 2, ["-j", "2"]),
            ("2 ranks, full reruns", 2, ["--full-reruns"])]
    for name, ranks, more in runs:
        out = os.path.join(TMP, f"{goal}-{len(failures)}-{name.replace(' ', '_')}{suffix}")
        status, err = run(args + more + ["-o", out], ranks)
        check(status == 0 and os.path.exists(out) and read(out) == want,
              f"{goal} {extra} on {name}: the bytes of one thread ({err.strip()[-300:]})")


same_bytes("margin", ["--budget", "2"], ".json")
same_bytes("sponsors", ["--candidates", "members"], ".csv")
same_bytes("adopted", ["--candidates", "blocs", "--budget", "1"], ".json")
# --target-se: every rank runs the pilot alike and plans the same count.
same_bytes("sponsors", ["--candidates", "blocs", "--target-se", "0.5"], "-target.json")

# Bad input: one message, status 2, no output file.
out = os.path.join(TMP, "bad.json")
status, err = run(["lobby", SCENARIO, "--draft", "NOPE", "-k", "20", "-q", "-o", out], 2)
check(status == 2, f"an unknown draft under 2 ranks: status 2 (got {status})")
check(err.count("plenary: error:") == 1 and "NOPE" in err,
      f"an unknown draft under 2 ranks: one message naming it ({err.strip()})")
check(not os.path.exists(out), "an unknown draft under 2 ranks: no output file")
status, err = run(LOBBY + ["--budget", "500", "-o", out], 2)
check(status == 2 and err.count("plenary: error:") == 1 and "--budget" in err,
      f"a budget above the candidates under 2 ranks: one message, status 2 ({err.strip()})")
check(not os.path.exists(out), "a budget above the candidates under 2 ranks: no output file")
status, err = run(LOBBY + ["--target-se", "0.5", "--max-replicates", "2", "-o", out], 2)
check(status == 2 and err.count("plenary: error:") == 1 and "--max-replicates 2" in err,
      f"a cap below the pilot under 2 ranks: one message, status 2 ({err.strip()})")
check(not os.path.exists(out), "a cap below the pilot under 2 ranks: no output file")


def rank_pid(launcher, rank):
    """The pid of MPI rank `rank` among the children of `launcher`."""
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            env = read(f"/proc/{pid}/environ").split(b"\0")
            ppid = int(read(f"/proc/{pid}/stat").split(b")")[-1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if f"OMPI_COMM_WORLD_RANK={rank}".encode() in env and ppid == launcher.pid:
            return int(pid)
    return None


# A rank killed while it computes: the job ends (no rank left waiting) and writes nothing.
out = os.path.join(TMP, "killed.json")
slow = ["lobby", SCENARIO, "--draft", "JOINT", "-k", "40000", "--full-reruns", "-q", "-o", out]
launcher = subprocess.Popen([MPIEXEC, "-np", "2", PLENARY] + slow, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)
victim = None
deadline = time.time() + 60
while victim is None and launcher.poll() is None and time.time() < deadline:
    time.sleep(0.05)
    victim = rank_pid(launcher, 1)
time.sleep(1.0)  # into the runs
if victim is not None and launcher.poll() is None:
    os.kill(victim, 9)
try:
    status = launcher.wait(timeout=60)
except subprocess.TimeoutExpired:
    os.killpg(launcher.pid, 9)
    status = None
check(victim is not None, "a killed rank: rank 1 was found")
check(status not in (None, 0), f"a killed rank: the job ends with a failure (status {status})")
check(not os.path.exists(out), "a killed rank: no output file")

print(f"{len(failures)} failed" if failures else "all passed")
sys.exit(1 if failures else 0)
