// plenary draft's summary, CSV and JSON (include/plenary/report/draft_report.hpp).

#include "plenary/report/draft_report.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "plenary/report/report.hpp"
#include "plenary/util/text.hpp"
#include "report/strategy_json.hpp"

namespace plenary {

namespace {

using nlohmann::ordered_json;

ordered_json opt(const std::optional<double>& v) {
  return v ? ordered_json(*v) : ordered_json(nullptr);
}

std::string num(const std::optional<double>& v, int digits, bool sign = false) {
  if (!v) return "-";
  return sign ? fmt::format("{:+.{}f}", *v, digits) : fmt::format("{:.{}f}", *v, digits);
}

std::string csv_num(const std::optional<double>& v) {
  return v ? fmt::format("{}", *v) : std::string();
}

std::string vec(const Eigen::VectorXd& v) {
  std::string out = "[";
  for (Eigen::Index k = 0; k < v.size(); ++k) out += fmt::format("{}{:.3f}", k ? ", " : "", v[k]);
  return out + "]";
}

std::optional<double> goal_low(const PairedFigure& f) {
  if (!f.b || !f.b_se) return std::nullopt;
  return *f.b - kZ95 * *f.b_se;
}

std::optional<double> goal_high(const PairedFigure& f) {
  if (!f.b || !f.b_se) return std::nullopt;
  return *f.b + kZ95 * *f.b_se;
}

std::string codes(const Scenario& s, const std::vector<int>& members) {
  std::string out;
  for (std::size_t k = 0; k < members.size(); ++k) {
    if (k == 10) return out + fmt::format(" and {} more", members.size() - k);
    out += (k ? "," : "") + s.members[static_cast<std::size_t>(members[k])].code;
  }
  return out;
}

// "P(on board) >= 0.5" or "within 1.5 of their ideal points".
std::string constraint(const DraftSearchResult& r) {
  if (r.radius) return fmt::format("within {} of their ideal points", *r.radius);
  return fmt::format("on board with probability >= {}", r.keep_probability);
}

std::string point_line(const Scenario& s, const DraftSearchResult& r, const DraftPoint& p,
                       int digits) {
  const std::string& main = s.members[static_cast<std::size_t>(r.main_sponsor)].code;
  std::string out = fmt::format("text {}", vec(p.position));
  if (r.status_quo_searched) out += fmt::format(", status quo {}", vec(p.status_quo));
  out += fmt::format(": {} ± {} [{}, {}]; {:.3f} from {}", num(p.figure.b, digits),
                     num(p.figure.b_se, digits), num(goal_low(p.figure), digits),
                     num(goal_high(p.figure), digits), p.distance, main);
  if (p.keep_member >= 0) {
    out += fmt::format("; P(on board) {:.3f} ({})", p.keep_min,
                       s.members[static_cast<std::size_t>(p.keep_member)].code);
  }
  return out + "\n";
}

}  // namespace

std::string draft_text(const Scenario& s, const DraftSearchResult& r) {
  const int digits = r.goal.probability ? 3 : 2;
  const std::string& main = s.members[static_cast<std::size_t>(r.main_sponsor)].code;
  std::string out = fmt::format("plenary draft: {}, draft {}, goal {} ({})\n", s.name, r.draft,
                                r.goal.name, r.goal.label);
  std::string box;
  for (int k = 0; k < r.dims; ++k) {
    box += fmt::format("{}[{:.2f}, {:.2f}]", k ? " x " : "", r.lower[k], r.upper[k]);
  }
  out += fmt::format(
      "  {}, seed {} for every position (common random numbers); {} runs\n  grid of {} per "
      "dimension over {}, then {} finer grids of {} per dimension\n",
      count_noun(static_cast<long long>(r.replicates), "replicate"), r.seed, r.runs, r.grid, box,
      kRefineLevels, kRefinePoints);
  out +=
      fmt::format("Kept: {} ({}), {}\n", codes(s, r.keep),
                  r.keep.size() == 1 ? "one member"
                                     : count_noun(static_cast<long long>(r.keep.size()), "member"),
                  constraint(r));
  out += "Current " + point_line(s, r, r.current, digits);
  if (!r.best) {
    out += fmt::format(
        "No position searched keeps every listed member {}; loosen --keep, --keep-p or "
        "--radius.\n",
        constraint(r));
    return out;
  }
  const DraftPoint& b = r.points[*r.best];
  out += "Best    " + point_line(s, r, b, digits);
  out += fmt::format("  gain over the current text {} [{}, {}] (paired, same draws)\n",
                     num(b.figure.diff, digits, true), num(b.figure.low, digits, true),
                     num(b.figure.high, digits, true));
  out +=
      "  (the best of many estimates on the same draws is biased upward; check it on another "
      "--seed)\n";
  out += fmt::format("\nFrontier: the best {} within each distance from {}\n", r.goal.name, main);
  out += fmt::format("{:>9}  {:>10}  {:<22}{:>10}  {}\n", "distance", "goal", "[95% interval]",
                     "gain", "text");
  for (std::size_t j : r.frontier) {
    const DraftPoint& p = r.points[j];
    out += fmt::format(
        "{:>9.3f}  {:>10}  {:<22}{:>10}  {}\n", p.distance, num(p.figure.b, digits),
        fmt::format("[{}, {}]", num(goal_low(p.figure), digits), num(goal_high(p.figure), digits)),
        num(p.figure.diff, digits, true), vec(p.position));
  }
  return out;
}

std::string draft_csv(const DraftSearchResult& r) {
  std::string out = "distance,goal,lo,hi,se,gain,gain_lo,gain_hi,keep_min";
  for (int k = 0; k < r.dims; ++k) out += fmt::format(",x{}", k + 1);
  out += "\n";
  for (std::size_t j : r.frontier) {
    const DraftPoint& p = r.points[j];
    const PairedFigure& f = p.figure;
    out += fmt::format("{},{},{},{},{},{},{},{},{}", p.distance, csv_num(f.b), csv_num(goal_low(f)),
                       csv_num(goal_high(f)), csv_num(f.b_se), csv_num(f.diff), csv_num(f.low),
                       csv_num(f.high), p.keep_min);
    for (int k = 0; k < r.dims; ++k) out += fmt::format(",{}", p.position[k]);
    out += "\n";
  }
  return out;
}

std::string draft_json(const Scenario& s, const DraftSearchResult& r) {
  auto vector = [](const Eigen::VectorXd& v) {
    ordered_json a = ordered_json::array();
    for (Eigen::Index k = 0; k < v.size(); ++k) a.push_back(v[k]);
    return a;
  };
  auto point = [&](const DraftPoint& p) {
    const PairedFigure& f = p.figure;
    return ordered_json{
        {"position", vector(p.position)},
        {"status_quo", vector(p.status_quo)},
        {"distance", p.distance},
        {"goal", opt(f.b)},
        {"goal_se", opt(f.b_se)},
        {"lo", opt(goal_low(f))},
        {"hi", opt(goal_high(f))},
        {"gain", opt(f.diff)},
        {"gain_se", opt(f.diff_se)},
        {"gain_lo", opt(f.low)},
        {"gain_hi", opt(f.high)},
        {"keep_min", p.keep_min},
        {"keep_member", p.keep_member >= 0
                            ? ordered_json(s.members[static_cast<std::size_t>(p.keep_member)].code)
                            : ordered_json(nullptr)},
        {"keep_distance", p.keep_distance},
        {"feasible", p.feasible},
        {"stage", p.stage}};
  };
  ordered_json keep = ordered_json::array();
  for (int i : r.keep) keep.push_back(s.members[static_cast<std::size_t>(i)].code);
  ordered_json points = ordered_json::array();
  for (const DraftPoint& p : r.points) points.push_back(point(p));
  ordered_json frontier = ordered_json::array();
  for (std::size_t j : r.frontier) frontier.push_back(point(r.points[j]));
  ordered_json doc = strategy_header("plenary-draft/1", s, r);
  doc.update(ordered_json{
      {"main_sponsor", s.members[static_cast<std::size_t>(r.main_sponsor)].code},
      {"keep", std::move(keep)},
      {"radius", r.radius ? ordered_json(*r.radius) : ordered_json(nullptr)},
      {"keep_probability", r.radius ? ordered_json(nullptr) : ordered_json(r.keep_probability)},
      {"status_quo_searched", r.status_quo_searched},
      {"grid", r.grid},
      {"refinements", {{"levels", kRefineLevels}, {"points", kRefinePoints}}},
      {"lower", vector(r.lower)},
      {"upper", vector(r.upper)},
      {"current", point(r.current)},
      {"best", r.best ? point(r.points[*r.best]) : ordered_json(nullptr)},
      {"frontier", std::move(frontier)},
      {"points", std::move(points)}});
  return doc.dump(1) + "\n";
}

}  // namespace plenary
