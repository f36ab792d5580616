#!/usr/bin/env python3
"""plenary sweep interrupted and resumed, on one process or (with --mpiexec) on MPI ranks.

Usage: sweep_kill_test.py PLENARY SOURCE_DIR [--mpiexec MPIEXEC]

Checks that the final CSV is byte-identical whatever runs it (threads, 1 or 2 ranks) and
after a run killed midway (the whole job, Ctrl-C, or one MPI rank) is resumed; that a killed
rank ends the job with an error instead of a hang; and that a journal cut in the middle of
a line is repaired. Standard library only.
"""
import os
import signal
import subprocess
import sys
import tempfile
import time

PLENARY, SOURCE = sys.argv[1], sys.argv[2]
MPIEXEC = sys.argv[sys.argv.index("--mpiexec") + 1] if "--mpiexec" in sys.argv else None
if os.geteuid() == 0:  # Open MPI refuses root unless told
    os.environ["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
    os.environ["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
os.environ["OMPI_MCA_rmaps_base_oversubscribe"] = "1"  # 2 ranks even on a 1-core runner

TMP = tempfile.mkdtemp(prefix="plenary-sweep-kill-")
SCENARIO = os.path.join(TMP, "assembly.yaml")
# 24 points of a few tens of milliseconds each.
SWEEP = ["sweep", SCENARIO, "--set", "theta_peer=1:4:1", "--set", "D0.closes=4:14:2",
         "-k", "1000", "-q"]
failures = []


def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what, flush=True)
    if not ok:
        failures.append(what)


def command(out, ranks=None, extra=()):
    cmd = [PLENARY] + SWEEP + ["--out", out] + list(extra)
    if ranks is not None:
        cmd = [MPIEXEC, "-np", str(ranks)] + cmd
    return cmd


def run(out, ranks=None, extra=()):
    p = subprocess.run(command(out, ranks, extra), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, timeout=300)
    return p.returncode, p.stderr


def read(path):
    with open(path, "rb") as f:
        return f.read()


def rows_in_journal(out):
    try:
        return max(0, read(out + ".journal").count(b"\n") - 1)
    except FileNotFoundError:
        return 0


def start_and_wait_for_rows(out, ranks, rows):
    p = subprocess.Popen(command(out, ranks), stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.time() + 120
    while rows_in_journal(out) < rows and p.poll() is None and time.time() < deadline:
        time.sleep(0.005)
    return p


def session(leader):
    """The pids of the processes in `leader`'s session (mpirun puts ranks in their own
    process groups, but they stay in its session)."""
    pids = []
    for pid in os.listdir("/proc"):
        try:
            fields = read(f"/proc/{pid}/stat").split(b")")[-1].split()
        except (OSError, ValueError):
            continue
        if pid.isdigit() and int(fields[3]) == leader.pid and fields[0] != b"Z":
            pids.append(int(pid))
    return pids


def wait_until_gone(leader, seconds=30):
    deadline = time.time() + seconds
    while session(leader) and time.time() < deadline:
        time.sleep(0.05)
    return not session(leader)


def rank_pid(launcher, rank):
    """The pid of MPI rank `rank` among the descendants of `launcher`."""
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            env = read(f"/proc/{pid}/environ").split(b"\0")
        except OSError:
            continue
        if f"OMPI_COMM_WORLD_RANK={rank}".encode() in env and int(pid) != launcher.pid:
            ppid = int(read(f"/proc/{pid}/stat").split(b")")[-1].split()[1])
            if ppid == launcher.pid:
                return int(pid)
    return None


def interrupted_then_resumed(name, ranks, how):
    out = os.path.join(TMP, name + ".csv")
    p = start_and_wait_for_rows(out, ranks, 3)
    check(p.poll() is None, f"{name}: the run was still going when interrupted")
    if how == "kill the job":  # a crash, a node lost, scancel
        for pid in session(p):
            os.kill(pid, signal.SIGKILL)
    elif how == "ctrl-c":  # a terminal signals the foreground process group
        os.killpg(p.pid, signal.SIGINT)
    elif how == "kill rank 1":
        pid = rank_pid(p, 1)
        check(pid is not None, f"{name}: found rank 1")
        if pid:
            os.kill(pid, signal.SIGKILL)
    try:
        p.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        check(False, f"{name}: the job ended after the interruption (it hung)")
        return
    check(wait_until_gone(p), f"{name}: no process of the job is left running")
    if how == "ctrl-c" and p.returncode != 0 and os.path.exists(out):
        # mpirun takes about a second to end the ranks; on a fast machine they can finish.
        print(f"skip  {name}: the sweep finished before the interrupt took effect")
        return
    check(p.returncode != 0, f"{name}: the interrupted job failed (status {p.returncode})")
    check(not os.path.exists(out), f"{name}: no output from the interrupted job")
    kept = rows_in_journal(out)
    check(kept >= 3, f"{name}: the journal kept {kept} finished points")
    status, err = run(out, ranks, ["--resume"])
    check(status == 0, f"{name}: --resume finished ({err.strip()})")
    check(os.path.exists(out) and read(out) == reference,
          f"{name}: the resumed output equals the uninterrupted one, byte for byte")
    check(not os.path.exists(out + ".journal"), f"{name}: the journal is gone")


subprocess.run([PLENARY, "generate", "--members", "60", "--rounds", "14", "--out", SCENARIO],
               check=True)
ref_out = os.path.join(TMP, "reference.csv")
status, err = run(ref_out, None, ["-j", "1", "--block", "400"])
check(status == 0, f"uninterrupted run on one thread ({err.strip()})")
reference = read(ref_out)
check(reference.count(b"\n") == 25, "24 rows and a header")

if not MPIEXEC:
    status, _ = run(os.path.join(TMP, "threads.csv"), None, ["-j", "2", "--block", "64"])
    check(status == 0 and read(os.path.join(TMP, "threads.csv")) == reference,
          "2 threads, other blocks: the same bytes")

    # A journal cut in the middle of a line (a crash during a write) is repaired.
    cut = os.path.join(TMP, "cut.csv")
    p = start_and_wait_for_rows(cut, None, 3)
    os.killpg(p.pid, signal.SIGKILL)
    p.wait()
    with open(cut + ".journal", "ab") as f:
        f.write(b"7,3,10,0.5,1.2")
    status, err = run(cut, None, ["--resume"])
    check(status == 0 and read(cut) == reference, f"a cut journal line is redone ({err.strip()})")

    interrupted_then_resumed("killed", None, "kill the job")
    interrupted_then_resumed("ctrl-c", None, "ctrl-c")
else:
    for ranks in (1, 2):
        out = os.path.join(TMP, f"np{ranks}.csv")
        status, err = run(out, ranks)
        check(status == 0 and read(out) == reference,
              f"mpirun -np {ranks}: the same bytes as one thread ({err.strip()})")
    interrupted_then_resumed("mpi-killed", 2, "kill the job")
    interrupted_then_resumed("mpi-ctrl-c", 2, "ctrl-c")
    interrupted_then_resumed("mpi-rank-killed", 2, "kill rank 1")
    status, err = run(os.path.join(TMP, "bad.csv"), 2, ["--set", "theta_0=0:1:0"])
    check(status == 2 and "the step must be positive" in err and err.count("plenary: error") == 1,
          "mpirun -np 2 with a bad --set: one message, status 2")

# --uncertainty: every point draws the members' positions (example.yaml carries their
# standard errors); the same bytes on threads, blocks and ranks, and a journal written with
# one --uncertainty refuses a resume with another.
UNC = [PLENARY, "sweep", os.path.join(SOURCE, "scenarios", "example.yaml"), "--set",
       "theta_peer=0:3:0.5", "--set", "GGE.closes=6:12:2", "-k", "2000", "-q",
       "--uncertainty", "positions"]


def run_unc(out, ranks=None, extra=(), base=None):
    cmd = (base or UNC) + ["--out", out] + list(extra)
    if ranks is not None:
        cmd = [MPIEXEC, "-np", str(ranks)] + cmd
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       timeout=300)
    return p.returncode, p.stderr


unc_ref = os.path.join(TMP, "unc-ref.csv")
status, err = run_unc(unc_ref, None, ["-j", "1"])
check(status == 0, f"--uncertainty positions on one thread ({err.strip()})")
unc_reference = read(unc_ref)
check(b"GGE.sponsors_var_positions" in unc_reference, "the split's columns are written")
if not MPIEXEC:
    out = os.path.join(TMP, "unc-threads.csv")
    status, err = run_unc(out, None, ["-j", "2", "--block", "8"])
    check(status == 0 and read(out) == unc_reference,
          f"--uncertainty: 2 threads, blocks of 8: the same bytes ({err.strip()})")
    cut = os.path.join(TMP, "unc-cut.csv")
    p = subprocess.Popen(UNC + ["--out", cut, "-j", "1"], stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.time() + 120
    while rows_in_journal(cut) < 2 and p.poll() is None and time.time() < deadline:
        time.sleep(0.005)
    os.killpg(p.pid, signal.SIGKILL)
    p.wait()
    plain = [a for a in UNC if a not in ("--uncertainty", "positions")]
    status, err = run_unc(cut, None, ["--resume"], plain)
    check(status == 2 and "it has uncertainty=positions where this sweep has uncertainty=none"
          in err and not os.path.exists(cut), f"a resume without --uncertainty is refused ({err.strip()})")
    status, err = run_unc(cut, None, ["--resume", "--uncertainty", "none"], plain)
    check(status == 2 and "it has uncertainty=positions where this sweep has uncertainty=none"
          in err, f"a resume with --uncertainty none is refused ({err.strip()})")
    status, err = run_unc(cut, None, ["--resume"])
    check(status == 0 and read(cut) == unc_reference,
          f"a resume with the same --uncertainty gives the same bytes ({err.strip()})")
else:
    for ranks in (1, 2):
        out = os.path.join(TMP, f"unc-np{ranks}.csv")
        status, err = run_unc(out, ranks)
        check(status == 0 and read(out) == unc_reference,
              f"--uncertainty, mpirun -np {ranks}: the same bytes as one thread ({err.strip()})")

if failures:
    print(f"{len(failures)} check(s) failed; files kept in {TMP}")
    sys.exit(1)
subprocess.run(["rm", "-rf", TMP])
