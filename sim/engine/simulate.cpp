#include "plenary/engine/simulate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <mutex>
#include <thread>

#include "engine/batch.hpp"
#include "plenary/util/assert.hpp"
#include "plenary/util/error.hpp"

namespace plenary {

void DraftCounts::add(const DraftCounts& other) {
  auto add_vec = [](std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b) {
    PLENARY_ASSERT(a.size() == b.size());
    for (std::size_t k = 0; k < a.size(); ++k) a[k] += b[k];
  };
  add_vec(sponsors_by_round, other.sponsors_by_round);
  add_vec(member_sponsor, other.member_sponsor);
  add_vec(member_votes, other.member_votes);
  add_vec(tally, other.tally);
  stood += other.stood;
  recorded += other.recorded;
  adopted += other.adopted;
  without_vote += other.without_vote;
  withdrawn += other.withdrawn;
}

namespace {

Results empty_results(const Model& model, const RunOptions& options) {
  Results results;
  results.replicates = options.replicates;
  results.seed = options.seed;
  results.members = model.members;
  results.rounds = model.rounds;
  const auto n1 = static_cast<std::size_t>(model.members) + 1;
  for (std::size_t r = 0; r < model.drafts.size(); ++r) {
    DraftCounts c;
    c.sponsors_by_round.assign((static_cast<std::size_t>(model.rounds) + 1) * n1, 0);
    c.member_sponsor.assign(n1 - 1, 0);
    c.member_votes.assign(kVotes * (n1 - 1), 0);
    c.tally.assign(kVotes * n1, 0);
    results.drafts.push_back(std::move(c));
  }
  return results;
}

// Refuses, before allocating, a run whose counts and lane state would not fit in memory:
// per thread, histograms of (T + 1) x (N + 1) sponsor counts per draft, and the lanes.
void check_memory(const Model& model, long threads, long batch) {
  constexpr double kLimitBytes = 8.0 * 1024 * 1024 * 1024;
  const double n = model.members;
  const double drafts = static_cast<double>(model.drafts.size());
  const double per_thread = drafts * ((model.rounds + 1.0) * (n + 1) * 8 + 6 * n * 8 +
                                      kLaneBytesPerMember * n * static_cast<double>(batch));
  const double total = per_thread * static_cast<double>(threads);
  if (total > kLimitBytes) {
    throw UsageError(fmt::format(
        "this run would need about {:.1f} GB of memory ({} members, {} drafts, {} rounds, {} "
        "threads); use fewer rounds, drafts or threads (--threads)",
        total / 1e9, model.members, model.drafts.size(), model.rounds, threads));
  }
}

}  // namespace

void check_uncertainty(const Model& model, UncertaintySource uncertainty) {
  if (draws_parameters(uncertainty) && !model.parameter_uncertainty) {
    throw UsageError(fmt::format(
        "--uncertainty {}: the scenario carries no fit covariance (a 'fit:' block, as `plenary "
        "fit --out` writes it; docs/fit.md); fit it with `plenary fit`, or run with "
        "--uncertainty none or positions",
        uncertainty_name(uncertainty)));
  }
  if (!draws_positions(uncertainty) || model.without_position_se.empty()) return;
  std::string codes;
  const std::size_t shown = std::min<std::size_t>(3, model.without_position_se.size());
  for (std::size_t k = 0; k < shown; ++k) {
    codes += fmt::format("{}'{}'", k ? ", " : "",
                         model.codes[static_cast<std::size_t>(model.without_position_se[k])]);
  }
  const std::size_t n = model.without_position_se.size();
  throw UsageError(fmt::format(
      "--uncertainty {}: {} member{} ha{} no position standard errors ({}{}); take "
      "positions from a file written by `plenary calibrate` (its data.se), give each member "
      "'position_se: [...]', or run with --uncertainty none",
      uncertainty_name(uncertainty), n, n == 1 ? "" : "s", n == 1 ? "s" : "ve", codes,
      n > shown ? ", ..." : ""));
}

Results simulate(const Model& model, const RunOptions& options) {
  if (options.replicates < 1) {
    throw UsageError(
        fmt::format("the number of replicates must be at least 1, got {}", options.replicates));
  }
  // Phase 2 keys each replicate's block with 32 bits (include/plenary/core/random.hpp);
  // the scenario file and the command line share this limit.
  constexpr long kMaxReplicates = 2'147'483'647L;
  if (options.replicates > kMaxReplicates) {
    throw UsageError(
        fmt::format("at most {} replicates per run, got {}", kMaxReplicates, options.replicates));
  }
  if (options.first_replicate < 0 || options.first_replicate % 4 != 0 ||
      options.first_replicate > kMaxReplicates - options.replicates) {
    throw UsageError(fmt::format("the first replicate must be a multiple of 4 in 0..{}, got {}",
                                 kMaxReplicates - options.replicates, options.first_replicate));
  }
  // The engine keeps each member's count of sponsored rivals in 16 bits (sim/engine/batch.hpp).
  {
    std::vector<long> listed(model.drafts.size());
    for (const ModelDraft& d : model.drafts) {
      for (int q : d.rivals) listed[static_cast<std::size_t>(q)] += 1;
    }
    for (std::size_t q = 0; q < listed.size(); ++q) {
      if (listed[q] > 65535) {
        throw UsageError(fmt::format(
            "draft {} is named as a rival {} times; at most 65,535 drafts may name one draft "
            "as a rival: split the scenario",
            model.drafts[q].id, listed[q]));
      }
    }
  }
  if (options.threads < 0) {
    throw UsageError(fmt::format("the number of threads must be 0 (all cores) or more, got {}",
                                 options.threads));
  }
  // Lane state costs at most kLaneBytesPerMember per member and draft (sponsorship 1, peer 8, rival
  // count 2, and the bloc terms: 8 per member when a batch fits the L2 cache, else 8 per
  // combination of blocs; sim/engine/batch.hpp); batches are capped at about 32 MB of it
  // per thread. Results do not depend on the batch size, so this changes only speed and
  // memory.
  constexpr double kLaneBudgetBytes = 32.0 * 1024 * 1024;
  const double lane_bytes = kLaneBytesPerMember * std::max(1, model.members) *
                            static_cast<double>(std::max<std::size_t>(1, model.drafts.size()));
  const long affordable = std::max(4L, static_cast<long>(kLaneBudgetBytes / lane_bytes));
  long batch = std::min<long>(std::max(options.batch, 1), affordable);
  batch = std::max<long>(4, (batch + 3) / 4 * 4);
  const long batches = (options.replicates + batch - 1) / batch;
  long threads = options.threads > 0 ? options.threads
                                     : static_cast<long>(std::thread::hardware_concurrency());
  threads = std::clamp<long>(threads, 1, batches);

  check_memory(model, threads, batch);
  check_uncertainty(model, options.uncertainty);
  if (options.log != nullptr) {
    ReplicateLog& log = *options.log;
    log.replicates = options.replicates;
    log.drafts = static_cast<int>(model.drafts.size());
    log.members = model.members;
    log.outcomes.assign(static_cast<std::size_t>(options.replicates) * model.drafts.size(), {});
    log.member_flags.assign(
        static_cast<std::size_t>(options.replicates) * static_cast<std::size_t>(model.members), 0);
  }
  std::vector<Results> partial(static_cast<std::size_t>(threads), empty_results(model, options));
  std::atomic<long> next{0};
  std::atomic<long> done{0};
  // A worker that fails (out of memory, a throwing progress callback) stops the others
  // and its exception is rethrown here, never from inside a std::thread.
  std::mutex failure_mutex;
  std::exception_ptr failure;
  auto work = [&](std::size_t worker) {
    try {
      Batch state(model, static_cast<int>(batch), options.uncertainty);
      for (long b = next++; b < batches; b = next++) {
        const long first = b * batch;
        const long lanes = std::min(batch, options.replicates - first);
        state.run(options.first_replicate + first, static_cast<int>(lanes), options.seed,
                  partial[worker].drafts, options.log, first);
        const long finished = done += lanes;
        if (options.progress) options.progress(finished);
      }
    } catch (...) {
      next = batches;
      const std::lock_guard<std::mutex> lock(failure_mutex);
      if (!failure) failure = std::current_exception();
    }
  };
  if (threads == 1) {
    work(0);
  } else {
    std::vector<std::thread> pool;
    for (long t = 0; t < threads; ++t) pool.emplace_back(work, static_cast<std::size_t>(t));
    for (auto& t : pool) t.join();
  }
  if (failure) std::rethrow_exception(failure);
  Results results = std::move(partial[0]);
  for (std::size_t t = 1; t < partial.size(); ++t) {
    for (std::size_t r = 0; r < results.drafts.size(); ++r) {
      results.drafts[r].add(partial[t].drafts[r]);
    }
  }
  return results;
}

}  // namespace plenary
