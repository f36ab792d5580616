#!/usr/bin/env python3
"""Golden outputs: every command below, run with fixed seeds, must write the same bytes as
the files stored beside this script (tests/golden/). They pin what the program computes
(runs of every shipped scenario, what-ifs, compare, fit, sweep, generate, calibrate on the
real votes) so that a change meant to alter nothing (a refactoring, a faster kernel) can be
shown to alter nothing.

  goldens.py check  PLENARY SOURCE_DIR DATA_DIR   # ctest `golden.outputs` (label e2e)
  goldens.py update PLENARY SOURCE_DIR DATA_DIR   # tools/update-goldens

`update` is for changes meant to alter results, and the commit says so. Each command runs
in a fresh directory holding links to the repository's scenarios/ and to DATA_DIR as data/,
so every path in the outputs is relative and the same on any machine. Wall-clock figures
(fields and lines naming seconds) are blanked before comparing. Outputs above 16 kB are
stored gzipped (NAME.gz, without a time stamp); an empty standard output is not stored.
"""
import difflib
import gzip
import os
import re
import shutil
import subprocess
import sys
import tempfile

# (name, arguments, files written). A name's outputs are stored as NAME.stdout and
# NAME.FILE; arguments are shell words relative to the run directory.
SCENARIOS = ["example", "cyber-2018-competing", "cyber-2019-competing", "cyber-2020-competing",
             "cyber-2021-joint", "data-security-2021", "cyber-series-cosponsorship"]
FIT_SOURCES = ["cyber-2018-competing", "cyber-2021-joint", "data-security-2021",
               "cyber-2019-competing", "cyber-2020-competing"]
RUN = ["-k", "96", "--seed", "11", "--threads", "2", "-q"]
CASES = (
    [(f"run-{s}", ["run", f"scenarios/{s}.yaml", *RUN, "--out", "out.json"], ["out.json"])
     for s in SCENARIOS]
    + [(f"run-fit-{s}", ["run", f"scenarios/fit/{s}.yaml", *RUN, "--out", "out.json"],
        ["out.json"]) for s in FIT_SOURCES]
    + [
        # The text table and the CSV tables of one run.
        ("run-example-text", ["run", "scenarios/example.yaml", "-k", "200", "--seed", "3",
                              "--csv", "csv"],
         ["csv/drafts.csv", "csv/sponsors_by_round.csv", "csv/members.csv"]),
        # Every what-if, on a scenario with rivals and blocs.
        ("run-what-ifs", ["run", "scenarios/cyber-2018-competing.yaml", *RUN,
                          "--forbid", "EU:GGE", "--force", "CHN:GGE", "--absent", "AU",
                          "--shift", "USA=0.5,-0.25", "--out", "out.json"], ["out.json"]),
        # The synthetic workload of the benchmarks (few blocs: the one-pass bloc terms),
        # generated, then run, also with a barred member and at exp's clamps.
        ("generate", ["generate", "--members", "60", "--blocs", "5", "--drafts", "3",
                      "--seed", "5", "--out", "gen.yaml"], ["gen.yaml"]),
        ("run-generated", ["run", "gen.yaml", *RUN, "--forbid", "M3:D0", "--out", "out.json"],
         ["out.json"]),
        ("run-generated-clamp", ["run", "gen.yaml", *RUN, "--set", "theta_0=712",
                                 "--out", "out.json"], ["out.json"]),
        ("compare", ["compare", "scenarios/cyber-2018-competing.yaml",
                     "scenarios/cyber-2021-joint.yaml", "-k", "96", "--out", "compare.json"],
         ["compare.json"]),
        ("fit", ["fit", "scenarios/fit/data-security-2021.yaml", "--target", "DATA.p_withdrawn=1", "--target", "JOINT.sponsors=100",
                 "--free", "theta_0", "-k", "64", "--seed", "2", "--max-evals", "12",
                 "--out", "fitted.yaml", "--json", "fit.json"], ["fitted.yaml", "fit.json"]),
        ("sweep", ["sweep", "scenarios/example.yaml", "--set", "theta_peer=0:2:1",
                   "--set", "phi_bloc=0.5,1", "-k", "64", "--seed", "4", "--out", "sweep.csv"],
         ["sweep.csv"]),
        ("calibrate", ["calibrate", "--votes", "data/unga", "--sessions", "70-72", "--dims", "2",
                       "--out", "positions.yaml", "--report", "report.json"],
         ["positions.yaml", "report.json"]),
    ]
)
# "generate" must run before the runs of its output, in the same directory.
SHARED_DIR_CASES = {"generate", "run-generated", "run-generated-clamp"}

SECONDS_FIELD = re.compile(rb'("[a-z_]*seconds": )[-+0-9.eE]+')
SECONDS_TEXT = re.compile(rb'[0-9.]+ ?(s|ms|seconds)\b')


def normalise(data):
    data = SECONDS_FIELD.sub(rb"\g<1>0", data)
    lines = data.split(b"\n")
    return b"\n".join(SECONDS_TEXT.sub(b"<time>", l) if b" s" in l or b"seconds" in l
                      or b"ms" in l else l for l in lines)


GZIP_ABOVE = 16 * 1024


def stored_name(name, f):
    return f"{name}.{f.replace('/', '-')}"


def encode(data):
    """The stored bytes of an output: gzipped (deterministically) when large."""
    return gzip.compress(data, compresslevel=9, mtime=0) if len(data) > GZIP_ABOVE else data


def stored_file(name, data):
    return name + ".gz" if len(data) > GZIP_ABOVE else name


def read_stored(here, name):
    for f, decode in ((name, lambda b: b), (name + ".gz", gzip.decompress)):
        path = os.path.join(here, f)
        if os.path.exists(path):
            with open(path, "rb") as fh:
                return decode(fh.read())
    return None


def run_all(plenary, source, data):
    """Runs every case; returns {stored name: bytes}."""
    outputs = {}
    shared = tempfile.mkdtemp(prefix="plenary-golden-")
    try:
        for name, args, files in CASES:
            work = shared if name in SHARED_DIR_CASES else tempfile.mkdtemp(prefix="plenary-golden-")
            for link, target in (("scenarios", os.path.join(source, "scenarios")), ("data", data)):
                if not os.path.exists(os.path.join(work, link)):
                    os.symlink(target, os.path.join(work, link))
            p = subprocess.run([plenary, *args], cwd=work, capture_output=True)
            if p.returncode != 0:
                sys.exit(f"golden: '{name}' failed with status {p.returncode}: plenary "
                         f"{' '.join(args)}\n{p.stderr.decode(errors='replace')}")
            if p.stdout:
                outputs[f"{name}.stdout"] = normalise(p.stdout)
            for f in files:
                with open(os.path.join(work, f), "rb") as fh:
                    outputs[stored_name(name, f)] = normalise(fh.read())
            if work != shared:
                shutil.rmtree(work)
    finally:
        shutil.rmtree(shared)
    return outputs


def main():
    if len(sys.argv) != 5 or sys.argv[1] not in ("check", "update"):
        sys.exit(__doc__)
    mode, plenary, source, data = sys.argv[1:]
    plenary = os.path.abspath(plenary)
    here = os.path.join(source, "tests", "golden")
    outputs = run_all(plenary, os.path.abspath(source), os.path.abspath(data))
    files = {stored_file(n, b): encode(b) for n, b in outputs.items()}
    this = os.path.basename(__file__)
    if mode == "update":
        for old in os.listdir(here):
            if old not in files and old != this:
                os.remove(os.path.join(here, old))
        for f, b in files.items():
            with open(os.path.join(here, f), "wb") as fh:
                fh.write(b)
        print(f"golden: wrote {len(files)} files to {here}")
        return
    failed = [f for f in sorted(os.listdir(here)) if f != this and f not in files]
    for f in failed:
        print(f"golden: {f} is stored but was not produced")
    for n, b in sorted(outputs.items()):
        stored = read_stored(here, n)
        if stored == b:
            continue
        failed.append(n)
        if stored is None:
            print(f"golden: {n} is not stored (tools/update-goldens)")
            continue
        diff = difflib.unified_diff(stored.decode(errors="replace").splitlines(),
                                    b.decode(errors="replace").splitlines(),
                                    f"stored/{n}", f"now/{n}", lineterm="", n=1)
        print("\n".join(list(diff)[:40]))
    if failed:
        sys.exit(f"golden: {len(failed)} of {len(outputs)} outputs differ: {', '.join(failed)}")
    print(f"golden: all {len(outputs)} outputs are byte-identical")


if __name__ == "__main__":
    main()
