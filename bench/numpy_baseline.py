#!/usr/bin/env python3
"""What a NumPy user would write for bench-193: MODEL.md vectorised over replicates.

The issue's "what users run instead" row: NumPy (with Debian's BLAS), every replicate a
column, the peer term a matrix product W S per round and draft, the bloc term two more
products. It reads the members, positions and blocs of `plenary generate`'s scenario (the
benchmark workload bench-193: two rival drafts sponsored by M0 and M1 at their own
positions, status quo at the origin, 20 rounds, absence 0.05, MODEL.md's defaults) and
runs both phases, timing them apart from loading. Its random numbers are NumPy's, so its
results match plenary's in distribution only; it is a speed baseline, not a reference.

    build/release/sim/plenary generate > bench-193.yaml
    python3 bench/numpy_baseline.py bench-193.yaml --replicates 10000
"""
import argparse
import re
import resource
import sys
import time

import numpy as np

THETA = dict(t0=-4.0, fit=1.0, peer=3.0, bloc=2.0, lobby=1.0, rival=4.0)
PHI = dict(fit=2.0, peer=1.0, bloc=1.0, rival=2.0)
TAU_YES = TAU_NO = 1.0
RHO = 1.0
ROUNDS = 20
ABSENCE = 0.05


def load(path):
    """Members (positions, bloc lists) of a scenario written by `plenary generate`."""
    positions, blocs = [], []
    member = re.compile(r'^\s*- \{code: "M\d+".*position: \[([^\]]*)\].*blocs: \[([^\]]*)\]')
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = member.match(line)
            if m:
                positions.append([float(v) for v in m.group(1).split(",")])
                blocs.append([int(b.strip().strip('"')[1:]) for b in m.group(2).split(",") if b.strip()])
    if not positions:
        sys.exit(f"{path}: no members found; write it with `plenary generate`")
    return np.array(positions), blocs


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("scenario")
    parser.add_argument("--replicates", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    x, member_blocs = load(args.scenario)
    n, k = len(x), args.replicates
    g = 1 + max(b for bl in member_blocs for b in bl)
    # Bloc membership G (g x n); ties = co-membership counts, diagonal 0, rows normalised.
    G = np.zeros((g, n))
    for i, bl in enumerate(member_blocs):
        G[bl, i] = 1
    W = G.T @ G
    np.fill_diagonal(W, 0)
    rows = W.sum(axis=1, keepdims=True)
    W = np.divide(W, rows, out=np.zeros_like(W), where=rows > 0)
    share_of_bloc = G / G.sum(axis=1, keepdims=True)            # (sponsors in g) / |g|
    mean_over_blocs = G.T / np.maximum(G.sum(axis=0), 1)[:, None]  # mean over i's blocs
    drafts = 2
    p = x[:drafts]                      # positions of M0 and M1
    d2 = ((x[None, :, :] - p[:, None, :]) ** 2).sum(axis=2)  # (drafts, n)
    q2 = (x ** 2).sum(axis=1)                                 # status quo at the origin
    rng = np.random.default_rng(args.seed)

    start = time.process_time()
    wall = time.perf_counter()
    S = np.zeros((drafts, n, k))
    for r in range(drafts):
        S[r, r, :] = 1
    for t in range(ROUNDS):
        new = S.copy()
        for r in range(drafts):
            peer = W @ S[r]
            bloc = mean_over_blocs @ (share_of_bloc @ S[r])
            lobby = S[r].sum(axis=0) / n
            rival = S[1 - r]
            z = (THETA["t0"] - THETA["fit"] * d2[r][:, None] + THETA["peer"] * peer
                 + THETA["bloc"] * bloc + THETA["lobby"] * lobby[None, :] - THETA["rival"] * rival)
            joins = rng.random((n, k)) < 1 / (1 + np.exp(-z))
            new[r] = np.maximum(S[r], joins)
        S = new
    tallies = []
    for r in range(drafts):
        m = (PHI["fit"] * (q2 - d2[r])[:, None] + PHI["peer"] * (W @ S[r])
             + PHI["bloc"] * (mean_over_blocs @ (share_of_bloc @ S[r])) - PHI["rival"] * S[1 - r])
        u = rng.random((n, k))
        v = m + np.log(u / (1 - u))
        present = rng.random((n, k)) >= ABSENCE
        yes = present & ((S[r] == 1) | (v > TAU_YES))
        no = present & (S[r] == 0) & (v < -TAU_NO)
        asked = (no & (rng.random((n, k)) < RHO)).any(axis=0)
        tallies.append((yes.sum(axis=0), no.sum(axis=0), asked))
    cpu = time.process_time() - start
    wall = time.perf_counter() - wall
    updates = n * drafts * ROUNDS * k
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"numpy {np.__version__}: N={n} R={drafts} T={ROUNDS} K={k}: {wall:.2f} s wall, "
          f"{cpu:.2f} s CPU, {updates / wall / 1e6:.1f} M member-updates/s (wall), "
          f"{updates / cpu / 1e6:.1f} M per CPU s, peak RSS {peak_mb:.0f} MB; "
          f"mean sponsors {S.sum(axis=1).mean(axis=1).round(1).tolist()}, "
          f"mean Yes {[float(y.mean().round(1)) for y, _, _ in tallies]}")


if __name__ == "__main__":
    main()
