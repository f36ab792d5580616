#!/usr/bin/env python3
"""plenary sensitivity gives the same bytes on 1 and 2 threads and, with --mpiexec, under
mpirun -np 1 and -np 2; a bad --vary under mpirun -np 2 gives one message and status 2.

Usage: sensitivity_ranks_test.py PLENARY SOURCE_DIR [--mpiexec MPIEXEC]
Standard library only; prints one line per check.
"""
import os
import subprocess
import sys
import tempfile

PLENARY, SOURCE = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
MPIEXEC = sys.argv[sys.argv.index("--mpiexec") + 1] if "--mpiexec" in sys.argv else None
if os.geteuid() == 0:  # Open MPI refuses root unless told
    os.environ["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
    os.environ["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
os.environ["OMPI_MCA_rmaps_base_oversubscribe"] = "1"  # 2 ranks even on a 1-core runner
STUDY = ["sensitivity", os.path.join(SOURCE, "scenarios", "cyber-2021-joint.yaml"),
         "--vary", "theta_fit=2:4", "--vary", "theta_peer=0:2", "--vary", "tau_yes=0:2",
         "--samples", "4", "-k", "300", "--seed", "5", "--block", "64", "-q"]
TMP = tempfile.mkdtemp(prefix="plenary-sensitivity-ranks-")
failures = []


def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what, flush=True)
    if not ok:
        failures.append(what)


def run(name, ranks=None, threads=1, extra=()):
    base = os.path.join(TMP, name)
    cmd = [PLENARY] + STUDY + ["-j", str(threads), "--out", base + ".csv", "--json",
                               base + ".json", "--report", base + ".html"] + list(extra)
    if ranks is not None:
        cmd = [MPIEXEC, "-np", str(ranks)] + cmd
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       timeout=300)
    files = []
    for ext in (".csv", ".json", ".html"):
        try:
            with open(base + ext, "rb") as f:
                files.append(f.read())
        except FileNotFoundError:
            files.append(None)
    return p.returncode, p.stderr, files


status, err, reference = run("one-thread")
check(status == 0 and None not in reference, f"one thread ({err.strip()})")
status, err, files = run("two-threads", threads=2)
check(status == 0 and files == reference, f"two threads: the same bytes ({err.strip()})")
if MPIEXEC:
    for ranks in (1, 2):
        status, err, files = run(f"np{ranks}", ranks=ranks)
        check(status == 0 and files == reference,
              f"mpirun -np {ranks}: the same bytes as one thread ({err.strip()})")
    status, err, files = run("bad", ranks=2, extra=["--vary", "theta_peer=3:1"])
    check(status == 2 and "LO (3) must be below HI (1)" in err
          and err.count("plenary: error") == 1 and files == [None, None, None],
          "mpirun -np 2 with LO >= HI: one message, status 2, no file")

if failures:
    print(f"{len(failures)} check(s) failed; files kept in {TMP}")
    sys.exit(1)
subprocess.run(["rm", "-rf", TMP])
