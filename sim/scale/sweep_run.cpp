// Running a sweep (include/plenary/scale/sweep.hpp, docs/sweep.md): the plan every process
// prepares, the points the journal lacks shared out over the task runner, the models of
// the points being run (include/plenary/scale/points.hpp), and the CSV written at the end.

#include <fmt/format.h>

#include <ostream>

#include "plenary/scale/points.hpp"
#include "plenary/scale/sweep.hpp"
#include "plenary/util/atomic_file.hpp"
#include "plenary/util/error.hpp"

namespace plenary::scale {

SweepPlan::SweepPlan(Scenario base, std::vector<std::string> axes, std::optional<long> replicates,
                     std::optional<std::uint64_t> seed, UncertaintySource uncertainty)
    : base_(std::move(base)), axes_(std::move(axes)), uncertainty_(uncertainty) {
  std::vector<Axis> parsed;
  for (const std::string& s : axes_) parsed.push_back(parse_axis(s));
  grid_ = std::make_unique<Grid>(std::move(parsed));
  // Every point is checked before the first is run, so that a bad combination (a draft
  // closing before it opens) is refused now, not hours into the sweep.
  for (std::size_t p = 0; p < grid_->size(); ++p) (void)grid_->scenario(base_, p);
  replicates_ = replicates.value_or(base_.run.replicates);
  seed_ = seed.value_or(base_.run.seed);
  if (uncertainty_ != UncertaintySource::kNone) {
    // The axes change parameters and draft fields, not who has standard errors or a fit:
    // the base answers for every point.
    check_uncertainty(compile(base_), uncertainty_);
    const long least = 2L * share_draws(uncertainty_);
    if (replicates_ < least) {
      throw UsageError(fmt::format(
          "--replicates {}: --uncertainty {} splits the variance over groups of {} replicates "
          "that share a draw and needs at least two of them per point; give --replicates {} or "
          "more",
          replicates_, uncertainty_name(uncertainty_), share_draws(uncertainty_), least));
    }
  }
  header_ = sweep_header(base_, *grid_, uncertainty_);
}

void SweepPlan::open_output(const std::filesystem::path& out, bool resume) {
  check_writable(out);
  const std::string identity = sweep_identity(base_, axes_, replicates_, seed_, uncertainty_);
  const std::filesystem::path journal = Journal::path_for(out);
  if (resume) {
    journal_.emplace(Journal::resume(journal, identity, grid_->size()));
  } else {
    journal_.emplace(Journal::create(journal, identity));
    fresh_journal_ = true;
  }
  out_ = out;
  rows_ = journal_->rows();
}

void SweepPlan::abandon() {
  if (fresh_journal_) journal_->remove();
  journal_.reset();
  fresh_journal_ = false;
}

std::vector<std::size_t> points_to_run(TaskRunner& runner, const SweepPlan& plan) {
  return missing_points(runner, plan.grid().size(), plan.rows());
}

void run_sweep(TaskRunner& runner, SweepPlan& plan, const std::vector<std::size_t>& points,
               const SweepRunOptions& options) {
  SweepRunOptions o = options;
  o.uncertainty = plan.uncertainty();
  const std::vector<int>& thresholds = plan.base().run.thresholds;
  if (o.uncertainty != UncertaintySource::kNone) {
    o.log_sums = [&thresholds, u = o.uncertainty](const Model&, const ReplicateLog& log) {
      return sweep_log_sums(log, thresholds, u);
    };
  }
  run_points(
      runner, [&](std::size_t point) { return plan.grid().scenario(plan.base(), point); }, points,
      plan.replicates(), plan.seed(), o,
      [&](std::size_t point, const Model& model, Results results) {
        const Summary summary = summarise(model, results, thresholds);
        plan.add_row(point,
                     sweep_row(point, plan.grid(), summary, results.log_sums, plan.uncertainty()));
      });
}

void SweepPlan::add_row(std::size_t point, std::string row) {
  if (journal_) journal_->append(row);
  rows_.emplace(point, std::move(row));
}

void SweepPlan::write_output() {
  write_file_atomically(out_, [&](std::ostream& out) {
    out << header_ << '\n';
    for (const auto& [point, row] : rows_) out << row << '\n';
  });
  if (journal_) journal_->remove();
  journal_.reset();
  fresh_journal_ = false;
}

}  // namespace plenary::scale
