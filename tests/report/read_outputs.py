#!/usr/bin/env python3
"""Reads `plenary run --out FILE --csv DIR` back as pandas and R would, with Python's own
csv and json modules only, and checks every field against docs/output.md and against each
other: the CSV tables hold the same numbers as the JSON document, a missing value is an
empty field where the JSON has null, and every column and key is documented.

Usage: read_outputs.py PLENARY SOURCE_DIR
"""
import csv
import json
import os
import re
import subprocess
import sys
import tempfile

TOP = ["schema", "plenary", "scenario", "scenario_file", "scenario_sha256", "replicates",
       "seed", "members", "rounds", "overrides", "what_ifs", "parameters", "drafts"]
DRAFT = ["id", "parameters", "sponsors", "p_reach", "tally", "p_adopted", "p_without_vote",
         "p_withdrawn", "most_uncertain", "members"]
MEMBER = ["code", "p_sponsor", "p_sponsor_se", "p_yes", "p_yes_se", "p_no", "p_no_se",
          "p_abstain", "p_abstain_se", "p_absent", "p_absent_se"]
DISTRIBUTION = ["mean", "se", "p5", "p50", "p95"]
DRAFTS_CSV = ["draft", "sponsors_mean", "sponsors_se", "sponsors_p5", "sponsors_p50",
              "sponsors_p95", "tally_replicates", "yes_mean", "no_mean", "abstain_mean",
              "absent_mean", "p_adopted", "p_adopted_se", "p_without_vote", "p_without_vote_se",
              "p_withdrawn", "p_withdrawn_se"]
ROUNDS_CSV = ["draft", "round", "mean", "se", "p5", "p50", "p95"]
MEMBERS_CSV = ["draft", "code", "p_sponsor", "p_sponsor_se", "p_yes", "p_yes_se", "p_no",
               "p_no_se", "p_abstain", "p_abstain_se", "p_absent", "p_absent_se"]

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


def same(cell, value, where):
    """A CSV cell equals a JSON value: numbers exactly (both are shortest round-trip text),
    an empty cell where the JSON has null."""
    if value is None:
        check(cell == "", f"{where}: expected an empty cell for null, got {cell!r}")
    else:
        check(cell != "" and float(cell) == float(value),
              f"{where}: CSV {cell!r} != JSON {value!r}")


def read_csv(path, header):
    with open(path, newline="", encoding="utf-8") as f:
        raw = f.read()
    check("\r" not in raw, f"{path}: CR in a file documented as LF")
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        check(reader.fieldnames == header, f"{path}: header {reader.fieldnames} != {header}")
        return list(reader)


def check_json(doc, documentation):
    check(list(doc) == TOP, f"JSON keys {list(doc)} != {TOP}")
    for key in TOP + DRAFT + MEMBER + ["by_round", "final", "replicates"]:
        check(re.search(rf"`[^`]*\b{key}\b[^`]*`", documentation) is not None,
              f"JSON field {key} is not in docs/output.md")
    check(doc["schema"] == 1, "schema is not 1")
    for d in doc["drafts"]:
        check(list(d) == DRAFT, f"draft keys {list(d)}")
        check(len(d["sponsors"]["by_round"]) == doc["rounds"] + 1, "by_round length")
        check(list(d["sponsors"]["final"]) == DISTRIBUTION, "distribution keys")
        check(len(d["members"]) == doc["members"], "one entry per member")
        for m in d["members"]:
            check(list(m) == MEMBER, f"member keys {list(m)}")
            ps = [m[k] for k in ("p_yes", "p_no", "p_abstain", "p_absent")]
            if None not in ps:
                check(abs(sum(ps) - 1) < 1e-9,
                      f"{d['id']}/{m['code']}: vote probabilities sum to {sum(ps)}")


def check_csv(directory, doc, documentation):
    for name in DRAFTS_CSV + ROUNDS_CSV + MEMBERS_CSV:
        check(re.search(rf"\b{name}\b", documentation) is not None,
              f"CSV column {name} undocumented")
    drafts = read_csv(os.path.join(directory, "drafts.csv"), DRAFTS_CSV)
    check(len(drafts) == len(doc["drafts"]), "drafts.csv: one row per draft")
    for row, d in zip(drafts, doc["drafts"]):
        check(row["draft"] == d["id"], "drafts.csv: draft order")
        final, tally = d["sponsors"]["final"], d["tally"]
        for stat in DISTRIBUTION:
            same(row[f"sponsors_{stat}"], final[stat], f"drafts.csv {d['id']} sponsors_{stat}")
        same(row["tally_replicates"], tally["replicates"], f"drafts.csv {d['id']} tally_replicates")
        for vote in ("yes", "no", "abstain", "absent"):
            same(row[f"{vote}_mean"], tally[vote] and tally[vote]["mean"],
                 f"drafts.csv {d['id']} {vote}_mean")
        for p in ("p_adopted", "p_without_vote", "p_withdrawn"):
            same(row[p], d[p]["p"], f"drafts.csv {d['id']} {p}")
            same(row[f"{p}_se"], d[p]["se"], f"drafts.csv {d['id']} {p}_se")
    rounds = read_csv(os.path.join(directory, "sponsors_by_round.csv"), ROUNDS_CSV)
    expected = [(d["id"], r) for d in doc["drafts"] for r in d["sponsors"]["by_round"]]
    check(len(rounds) == len(expected), "sponsors_by_round.csv: one row per draft and round")
    for row, (draft, r) in zip(rounds, expected):
        check(row["draft"] == draft and int(row["round"]) == r["round"], "rounds order")
        for stat in DISTRIBUTION:
            same(row[stat], r[stat], f"sponsors_by_round.csv {draft} round {r['round']} {stat}")
    members = read_csv(os.path.join(directory, "members.csv"), MEMBERS_CSV)
    expected = [(d["id"], m) for d in doc["drafts"] for m in d["members"]]
    check(len(members) == len(expected), "members.csv: one row per draft and member")
    for row, (draft, m) in zip(members, expected):
        check(row["draft"] == draft and row["code"] == m["code"], "members.csv order")
        for key in MEMBER[1:]:
            same(row[key], m[key], f"members.csv {draft} {m['code']} {key}")


def check_report_path(plenary, source, tmp):
    """--report to a directory that does not exist: exit status 2, a message, no file."""
    target = os.path.join(tmp, "missing", "report.html")
    run = subprocess.run([plenary, "run", "scenarios/example.yaml", "--quiet", "--report", target],
                         cwd=source, capture_output=True, text=True)
    check(run.returncode == 2, f"--report to a missing directory: exit status {run.returncode}")
    check(f"cannot write '{target}': directory" in run.stderr,
          f"--report to a missing directory: {run.stderr!r}")
    check(not os.path.exists(os.path.dirname(target)), "--report created something")


def main():
    plenary, source = sys.argv[1], sys.argv[2]
    with open(os.path.join(source, "docs", "output.md"), encoding="utf-8") as f:
        documentation = f.read()
    with open(os.path.join(source, "scenarios", "example.yaml"), encoding="utf-8") as f:
        scenario = f.read()
    # Brazil in arrears (Article 19): its vote probabilities are null in JSON, empty in CSV.
    scenario = scenario.replace("absence: 0.05,", "absence: 0.05, votes: false,")
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "arrears.yaml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(scenario)
        for file in (os.path.join(source, "scenarios", "example.yaml"), path):
            out, directory = os.path.join(tmp, "r.json"), os.path.join(tmp, "csv")
            subprocess.run([plenary, "run", file, "--replicates", "500", "--quiet", "--out", out,
                            "--csv", directory], check=True)
            with open(out, encoding="utf-8") as f:
                doc = json.load(f)
            check_json(doc, documentation)
            check_csv(directory, doc, documentation)
        check_report_path(plenary, source, tmp)
        check(any(m["p_yes"] is None for d in doc["drafts"] for m in d["members"]),
              "the arrears scenario has no null vote probability")
    for message in failures[:40]:
        print("FAIL:", message)
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
