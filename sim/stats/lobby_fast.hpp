#pragma once
// The fast path of plenary lobby (docs/strategy.md, "The fast path"): many commitments to
// one draft evaluated on the baseline's random numbers by propagating, replicate by
// replicate, only the difference that each commitment makes to the baseline's trajectory.
// Every decision is first screened against the baseline's margin (how far the member's
// log-odds were from its uniform draw); a decision that the screen cannot settle is taken
// with the model's own test (rules::joins, rules::vote_decision); one that falls within a
// rounding band of its threshold, where arithmetic in another order could decide it the
// other way, sends that (commitment, replicate) to the engine itself. So the outcomes are
// the engine's, to the bit, for any number of threads.

#include <cstdint>
#include <vector>

#include "plenary/engine/simulate.hpp"
#include "plenary/model/model.hpp"
#include "plenary/scenario/scenario.hpp"

namespace plenary::lobby_fast {

struct Options {
  /// Replicates first .. first + replicates - 1 (`first` a multiple of 4: a process's
  /// block of an MPI job, docs/strategy.md "Under MPI"); outcomes are indexed from `first`.
  long first = 0;
  long replicates = 1000;
  std::uint64_t seed = 0;
  /// Worker threads; 0 means one per hardware thread. Outcomes do not depend on it.
  int threads = 0;
  /// Also decide withdrawal and the vote (goals yes, adopted, without-vote, margin).
  bool vote = false;
  /// A decision whose log-odds lie within `screen` of the draw's logit is decided by the
  /// model's own test; one whose test lies within `band` of 1 goes to the engine.
  double screen = 1e-3;
  double band = 1e-9;
};

struct Stats {
  /// (commitment, replicate) pairs run by the engine because a decision was too close to
  /// call in another order of arithmetic, or the replicate's baseline was.
  long fallbacks = 0;
  /// Replicates whose baseline, replayed here, disagreed with the engine's log (a bug if
  /// ever > 0; those replicates were run by the engine).
  long mismatches = 0;
  /// Times the windows of a draft were redrawn because its lobbying term moved beyond their
  /// slack (a count for the tests: the path is taken).
  long redraws = 0;
  /// (commitment, replicate) pairs settled as the baseline's when a round's changes brought
  /// every sponsorship back to the baseline's (a count for the tests: the path is taken).
  long reconverged = 0;
};

/// The scenario's model with these members committed to draft `draft` from round 0 (the
/// what-if --force of each, the draft's position kept where the scenario puts it).
Model forced_model(const Scenario& scenario, int draft, const std::vector<int>& forced);

/// True when the fast path's tables fit in memory for this model (W's columns with the bloc
/// shares, and each thread's margins of one replicate: rounds x drafts x members); else a
/// ranking runs the engine once per candidate.
bool fits(const Model& model, int threads);

/// The outcome of draft `draft` in every replicate with each set of members committed to it
/// from round 0 (what-if --force), [set][replicate - options.first]; `baseline` the engine's
/// log of the scenario as it is, with the same seed, of the same replicates. Original sponsors in a
/// set change nothing.
std::vector<std::vector<DraftOutcome>> outcomes(const Scenario& scenario, const Model& model,
                                                int draft,
                                                const std::vector<std::vector<int>>& forced,
                                                const ReplicateLog& baseline,
                                                const Options& options, Stats* stats = nullptr);

}  // namespace plenary::lobby_fast
