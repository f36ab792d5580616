// Scenarios run point by point on the task layer (include/plenary/scale/points.hpp): the
// points the root lacks broadcast to every process, each point's model compiled once per
// process while it runs.

#include "plenary/scale/points.hpp"

#include <cstring>
#include <map>
#include <memory>
#include <mutex>

#include "plenary/model/model.hpp"

namespace plenary::scale {

namespace {

// The models of the points being run: compiled on first use, a few kept.
class ModelCache {
 public:
  explicit ModelCache(const PointScenario& scenario_of) : scenario_of_(scenario_of) {}

  std::shared_ptr<const Model> get(std::size_t point) {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      const auto it = cache_.find(point);
      if (it != cache_.end()) return it->second;
    }
    auto model = std::make_shared<const Model>(compile(scenario_of_(point)));
    const std::lock_guard<std::mutex> lock(mutex_);
    if (cache_.size() >= kKept) cache_.erase(cache_.begin());  // points run roughly in order
    cache_.emplace(point, model);
    return model;
  }

 private:
  static constexpr std::size_t kKept = 64;
  const PointScenario& scenario_of_;
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

std::vector<std::size_t> missing_points(TaskRunner& runner, std::size_t count,
                                        const std::map<std::size_t, std::string>& rows) {
  std::string bytes;
  if (runner.is_root()) {
    std::vector<std::size_t> points;
    for (std::size_t p = 0; p < count; ++p) {
      if (!rows.contains(p)) points.push_back(p);
    }
    bytes = encode_points(points);
  }
  return decode_points(runner.broadcast(bytes));
}

void run_points(TaskRunner& runner, const PointScenario& scenario_of,
                const std::vector<std::size_t>& points, long replicates, std::uint64_t seed,
                const PointRunOptions& options, const PointDone& done) {
  const std::vector<Task> tasks = make_tasks(points, replicates, options.block);
  ModelCache models(scenario_of);
  long finished = 0;
  runner.run(
      tasks,
      [&](const Task& task, TaskContext& context) {
        const std::shared_ptr<const Model> model = models.get(task.point);
        if (!options.log_sums) {
          return simulate_task(*model, task, seed, context, options.task_threads,
                               options.uncertainty);
        }
        ReplicateLog log;
        Results r = simulate_task(*model, task, seed, context, options.task_threads,
                                  options.uncertainty, &log);
        r.log_sums = options.log_sums(*model, log);
        return r;
      },
      [&](std::size_t point, Results results) {
        done(point, *models.get(point), std::move(results));
        if (options.on_point) options.on_point(++finished);
      });
}

}  // namespace plenary::scale
