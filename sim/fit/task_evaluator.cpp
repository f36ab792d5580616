// The fit's candidates on the task layer (include/plenary/fit/task_evaluator.hpp).

#include "plenary/fit/task_evaluator.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <stdexcept>

#include "plenary/model/model.hpp"

namespace plenary {

namespace {

void put_word(std::string& out, std::uint64_t w) {
  out.append(reinterpret_cast<const char*>(&w), sizeof w);
}

void put_double(std::string& out, double d) {
  std::uint64_t w = 0;
  std::memcpy(&w, &d, sizeof w);
  put_word(out, w);
}

class ByteReader {
 public:
  explicit ByteReader(const std::string& bytes) : bytes_(bytes) {}
  std::uint64_t word() {
    if (bytes_.size() - at_ < sizeof(std::uint64_t)) {
      throw std::runtime_error("truncated Achieved message");
    }
    std::uint64_t w = 0;
    std::memcpy(&w, bytes_.data() + at_, sizeof w);
    at_ += sizeof w;
    return w;
  }
  double real() {
    const std::uint64_t w = word();
    double d = 0;
    std::memcpy(&d, &w, sizeof d);
    return d;
  }
  // A count of items, each at least one word: no more than the words left.
  std::size_t count() {
    const std::uint64_t n = word();
    if (n > (bytes_.size() - at_) / sizeof(std::uint64_t)) {
      throw std::runtime_error("malformed Achieved message");
    }
    return static_cast<std::size_t>(n);
  }
  bool done() const { return at_ == bytes_.size(); }

 private:
  const std::string& bytes_;
  std::size_t at_ = 0;
};

}  // namespace

std::string encode_achieved(const std::vector<Achieved>& batch) {
  std::string out;
  put_word(out, batch.size());
  for (const Achieved& a : batch) {
    put_word(out, a.value.size());
    for (std::size_t j = 0; j < a.value.size(); ++j) {
      put_double(out, a.value[j]);
      put_double(out, a.se[j]);
      put_word(out, a.fallback[j] ? 1 : 0);
    }
  }
  return out;
}

std::vector<Achieved> decode_achieved(const std::string& bytes) {
  ByteReader in(bytes);
  std::vector<Achieved> batch(in.count());
  for (Achieved& a : batch) {
    const std::size_t n = in.count();
    for (std::size_t j = 0; j < n; ++j) {
      a.value.push_back(in.real());
      a.se.push_back(in.real());
      a.fallback.push_back(in.word() != 0);
    }
  }
  if (!in.done()) throw std::runtime_error("malformed Achieved message (trailing bytes)");
  return batch;
}

Evaluator task_evaluator(const FitProblem& problem, scale::TaskRunner& runner,
                         const TaskEvaluatorOptions& options) {
  return [&problem, &runner, options](const std::vector<Candidate>& xs) {
    if (xs.empty()) return std::vector<Achieved>{};
    // Every process compiles the batch's models: candidates are inside the bounds, whose
    // corners FitProblem checked, so this cannot fail on one process only.
    std::vector<Model> models;
    models.reserve(xs.size());
    for (const Candidate& x : xs) models.push_back(compile(problem.scenario_at(x)));

    // Blocks small enough that every worker gets a few tasks of the batch (results do not
    // depend on the block).
    const long replicates = problem.settings().replicates;
    const long workers = std::max(1, options.workers);
    const long total = replicates * static_cast<long>(xs.size());
    const long block = std::clamp((total + 4 * workers - 1) / (4 * workers), options.min_block,
                                  std::max(options.min_block, options.max_block));
    std::vector<std::size_t> points(xs.size());
    for (std::size_t c = 0; c < points.size(); ++c) points[c] = c;
    const std::vector<scale::Task> tasks = scale::make_tasks(points, replicates, block);

    std::vector<std::optional<Achieved>> done(xs.size());
    runner.run(
        tasks,
        [&](const scale::Task& task, scale::TaskContext& context) {
          return scale::simulate_task(models[task.point], task, problem.settings().seed, context,
                                      options.task_threads);
        },
        [&](std::size_t point, Results results) {
          done[point] = problem.achieved(models[point], results);
        });

    std::vector<Achieved> out;
    if (runner.is_root()) {
      out.reserve(xs.size());
      for (std::optional<Achieved>& a : done) {
        if (!a) throw std::runtime_error("a candidate's results never arrived");
        out.push_back(std::move(*a));
      }
    }
    if (runner.ranks() > 1) {
      out = decode_achieved(runner.broadcast(runner.is_root() ? encode_achieved(out) : ""));
    }
    return out;
  };
}

}  // namespace plenary
