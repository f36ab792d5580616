#!/usr/bin/env python3
"""plenary fit on one process and under mpirun: the same bytes.

Usage: fit_mpi_test.py PLENARY SOURCE_DIR MPIEXEC

Runs a small fit on one thread, on two threads, and under mpirun -np 1 and -np 2, and
compares the fitted scenario byte for byte, and the JSON byte for byte but for its two
wall-clock fields (cost.search_seconds, cost.uncertainty_seconds). Checks that only rank 0
prints the report, and that a bad --target under mpirun -np 2 gives one message and status
2. Standard library only.
"""
import os
import re
import subprocess
import sys
import tempfile

PLENARY, SOURCE, MPIEXEC = sys.argv[1], sys.argv[2], sys.argv[3]
if os.geteuid() == 0:  # Open MPI refuses root unless told
    os.environ["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
    os.environ["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
os.environ["OMPI_MCA_rmaps_base_oversubscribe"] = "1"  # 2 ranks even on a 1-core runner

TMP = tempfile.mkdtemp(prefix="plenary-fit-mpi-")
FIT = ["fit", os.path.join(SOURCE, "scenarios", "example.yaml"),
       "--target", "GGE.sponsors=1.9", "--target", "GGE.sponsors@3=1.5",
       "--free", "theta_0,theta_peer", "-k", "200", "--max-evals", "60"]
SECONDS = re.compile(rb'("(search|uncertainty)_seconds": )[-+0-9.eE]+')
failures = []


def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what, flush=True)
    if not ok:
        failures.append(what)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def run(name, ranks=None, extra=(), args=None):
    """Runs a fit; returns (status, stdout, stderr, yaml bytes, json bytes without times)."""
    out, js = os.path.join(TMP, name + ".yaml"), os.path.join(TMP, name + ".json")
    cmd = [PLENARY] + (args or FIT) + ["--out", out, "--json", js] + list(extra)
    if ranks is not None:
        cmd = [MPIEXEC, "-np", str(ranks)] + cmd
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300,
                       cwd=SOURCE)
    yaml = read(out) if os.path.exists(out) else None
    json = SECONDS.sub(rb"\g<1>0", read(js)) if os.path.exists(js) else None
    return p.returncode, p.stdout.decode(), p.stderr.decode(), yaml, json


status, out, err, ref_yaml, ref_json = run("reference", None, ["-j", "1", "-q"])
check(status == 0 and ref_yaml and ref_json, f"one thread ({err.strip()})")
check(ref_json is not None and ref_json.count(b'_seconds": 0') == 2, "the JSON's two times masked")

status, out, err, yaml, json = run("threads", None, ["-j", "2", "-q"])
check(status == 0 and yaml == ref_yaml and json == ref_json,
      f"two threads: the same bytes ({err.strip()})")

for ranks in (1, 2):
    status, out, err, yaml, json = run(f"np{ranks}", ranks)
    check(status == 0 and yaml == ref_yaml and json == ref_json,
          f"mpirun -np {ranks}: the same bytes as one thread ({err.strip()})")
    check(out.count("Free parameter") == 1, f"mpirun -np {ranks}: the report printed once")

bad = list(FIT)
bad[bad.index("GGE.sponsors=1.9")] = "GGX.sponsors=1.9"
status, out, err, yaml, json = run("bad", 2, args=bad)
check(status == 2 and "GGX" in err and err.count("plenary: error") == 1 and yaml is None,
      f"mpirun -np 2 with a bad --target: one message, status 2, no file ({err.strip()})")

if failures:
    print(f"{len(failures)} check(s) failed; files kept in {TMP}")
    sys.exit(1)
subprocess.run(["rm", "-rf", TMP])
