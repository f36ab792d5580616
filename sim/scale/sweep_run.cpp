// Running a sweep (include/plenary/scale/sweep.hpp, docs/sweep.md): the plan every process
// prepares, the points the journal lacks shared out over the task runner, the models of
// the points being run kept in a small cache, and the CSV written at the end.

#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <ostream>

#include "plenary/model/model.hpp"
#include "plenary/scale/sweep.hpp"
#include "plenary/util/atomic_file.hpp"

namespace plenary::scale {

namespace {

// The models of the points being run: compiled on first use, a few kept.
class ModelCache {
 public:
  ModelCache(const Scenario& base, const Grid& grid) : base_(base), grid_(grid) {}

  std::shared_ptr<const Model> get(std::size_t point) {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      const auto it = cache_.find(point);
      if (it != cache_.end()) return it->second;
    }
    auto model = std::make_shared<const Model>(compile(grid_.scenario(base_, point)));
    const std::lock_guard<std::mutex> lock(mutex_);
    if (cache_.size() >= kKept) cache_.erase(cache_.begin());  // points run roughly in order
    cache_.emplace(point, model);
    return model;
  }

 private:
  static constexpr std::size_t kKept = 64;
  const Scenario& base_;
  const Grid& grid_;
  std::mutex mutex_;
  std::map<std::size_t, std::shared_ptr<const Model>> cache_;
};

// The points as the root broadcasts them: 64-bit integers in this machine's byte order
// (every rank of a job runs the same build).
std::string encode_points(const std::vector<std::size_t>& points) {
  std::string bytes;
  for (const std::size_t p : points) {
    const auto n = static_cast<std::uint64_t>(p);
    bytes.append(reinterpret_cast<const char*>(&n), sizeof n);
  }
  return bytes;
}

std::vector<std::size_t> decode_points(const std::string& bytes) {
  std::vector<std::size_t> points(bytes.size() / sizeof(std::uint64_t));
  for (std::size_t k = 0; k < points.size(); ++k) {
    std::uint64_t n = 0;
    std::memcpy(&n, bytes.data() + k * sizeof n, sizeof n);
    points[k] = static_cast<std::size_t>(n);
  }
  return points;
}

}  // namespace

SweepPlan::SweepPlan(Scenario base, std::vector<std::string> axes, std::optional<long> replicates,
                     std::optional<std::uint64_t> seed)
    : base_(std::move(base)), axes_(std::move(axes)) {
  std::vector<Axis> parsed;
  for (const std::string& s : axes_) parsed.push_back(parse_axis(s));
  grid_ = std::make_unique<Grid>(std::move(parsed));
  // Every point is checked before the first is run, so that a bad combination (a draft
  // closing before it opens) is refused now, not hours into the sweep.
  for (std::size_t p = 0; p < grid_->size(); ++p) (void)grid_->scenario(base_, p);
  replicates_ = replicates.value_or(base_.run.replicates);
  seed_ = seed.value_or(base_.run.seed);
  header_ = sweep_header(base_, *grid_);
}

void SweepPlan::open_output(const std::filesystem::path& out, bool resume) {
  check_writable(out);
  const std::string identity = sweep_identity(base_, axes_, replicates_, seed_);
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
  std::string bytes;
  if (runner.is_root()) {
    std::vector<std::size_t> points;
    for (std::size_t p = 0; p < plan.grid().size(); ++p) {
      if (!plan.rows().contains(p)) points.push_back(p);
    }
    bytes = encode_points(points);
  }
  return decode_points(runner.broadcast(bytes));
}

void run_sweep(TaskRunner& runner, SweepPlan& plan, const std::vector<std::size_t>& points,
               const SweepRunOptions& options) {
  const std::vector<Task> tasks = make_tasks(points, plan.replicates(), options.block);
  ModelCache models(plan.base(), plan.grid());
  long finished = 0;
  runner.run(
      tasks,
      [&](const Task& task, TaskContext& context) {
        return simulate_task(*models.get(task.point), task, plan.seed(), context,
                             options.task_threads);
      },
      [&](std::size_t point, Results results) {
        const Summary summary = summarise(*models.get(point), results, plan.base().run.thresholds);
        plan.add_row(point, sweep_row(point, plan.grid(), summary));
        if (options.on_point) options.on_point(++finished);
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
