// plenary sensitivity's tables, CSV, JSON, tornado chart and HTML report
// (include/plenary/report/sensitivity_report.hpp).

#include "plenary/report/sensitivity_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "plenary/report/report.hpp"
#include "plenary/util/text.hpp"
#include "report/html_page.hpp"
#include "report/sensitivity_svg.hpp"
#include "report/svg_base.hpp"

namespace plenary {

namespace {

using nlohmann::ordered_json;
using svg::escape;
using svg::num;

bool morris(const SensitivityResult& r) { return r.design.method == SensitivityMethod::kMorris; }

ordered_json jnum(double v) { return std::isnan(v) ? ordered_json(nullptr) : ordered_json(v); }

std::string csv_num(double v) { return std::isnan(v) ? std::string() : fmt::format("{}", v); }

std::string fixed(double v, int digits) {
  return std::isnan(v) ? "-" : fmt::format("{:.{}f}", v, digits);
}

// Digits for a goal: probabilities and indices with 3, counts with 2.
int goal_digits(const LobbyGoal& g) { return g.probability ? 3 : 2; }

std::string method_sentence(const SensitivityResult& r) {
  if (morris(r)) {
    return fmt::format(
        "Morris elementary effects: {} trajectories of {} points, {} levels (step {:.4g} of "
        "each range); mu* is the mean |effect| of moving a factor across its whole range",
        r.design.samples, r.factors.size() + 1, r.design.levels,
        r.design.levels / (2.0 * (r.design.levels - 1)));
  }
  return fmt::format(
      "Sobol indices, Saltelli sampling: {} base samples, {} points (A, B and one AB_i per "
      "factor); S1 by Saltelli et al. (2010), ST by Jansen (1999)",
      r.design.samples, r.design.points());
}

// Every design point: its unit coordinates, values, Morris move and goal values.
ordered_json points_json(const SensitivityResult& r) {
  ordered_json points = ordered_json::array();
  for (std::size_t p = 0; p < r.design.points(); ++p) {
    ordered_json values = ordered_json::array(), unit = ordered_json::array();
    for (std::size_t i = 0; i < r.factors.size(); ++i) {
      const double u = r.design.at(p, static_cast<int>(i));
      unit.push_back(u);
      values.push_back(r.factors[i].value(u));
    }
    ordered_json goal_values = ordered_json::object();
    for (std::size_t g = 0; g < r.goals.size(); ++g) {
      goal_values[r.goals[g].name] = jnum(r.values[g][p]);
    }
    ordered_json point = {{"point", p}, {"unit", unit}, {"values", values}};
    if (morris(r)) {
      const int moved = r.design.moved[p];
      point["moved"] = moved < 0 ? ordered_json(nullptr)
                                 : ordered_json(r.factors[static_cast<std::size_t>(moved)].name);
      point["direction"] = r.design.direction[p];
    }
    point["goals"] = goal_values;
    points.push_back(point);
  }
  return points;
}

// Goal g's parameters ranked, as an HTML table.
std::string html_table(const SensitivityResult& r, std::size_t g) {
  const int d = goal_digits(r.goals[g]);
  std::string out = morris(r)
                        ? "<table><thead><tr><th>parameter</th><th>mu*</th><th>95% interval</th>"
                          "<th>mu</th><th>sigma</th></tr></thead><tbody>\n"
                        : "<table><thead><tr><th>parameter</th><th>ST</th><th>95% interval</th>"
                          "<th>S1</th><th>95% interval</th></tr></thead><tbody>\n";
  for (const std::size_t i : ranked_factors(r, g)) {
    if (morris(r)) {
      const MorrisIndex& m = r.morris[g][i];
      out += fmt::format(
          "<tr><td><code>{}</code></td><td>{}</td><td>[{}, {}]</td><td>{}</td><td>{}</td></tr>\n",
          escape(r.factors[i].name), fixed(m.mu_star, d), fixed(m.mu_star_lo, d),
          fixed(m.mu_star_hi, d), fixed(m.mu, d), fixed(m.sigma, d));
    } else {
      const SobolIndex& x = r.sobol[g][i];
      out += fmt::format(
          "<tr><td><code>{}</code></td><td>{}</td><td>[{}, {}]</td><td>{}</td><td>[{}, "
          "{}]</td></tr>\n",
          escape(r.factors[i].name), fixed(x.st, 3), fixed(x.st_lo, 3), fixed(x.st_hi, 3),
          fixed(x.s1, 3), fixed(x.s1_lo, 3), fixed(x.s1_hi, 3));
    }
  }
  out += "</tbody></table>\n";
  return out;
}

}  // namespace

std::string sensitivity_text(const Scenario& s, const SensitivityResult& r) {
  std::string out = fmt::format(
      "Sensitivity of {} in {}\n{}.\n{} points x {} each, seed {} (the same replicates at "
      "every point: common random numbers); 95% intervals from {} bootstrap resamples.\n",
      r.draft, s.name.empty() ? "the scenario" : s.name, method_sentence(r), r.design.points(),
      count_noun(r.replicates, "replicate"), r.seed, r.bootstrap);
  std::size_t width = 9;
  for (const SensitivityFactor& f : r.factors) width = std::max(width, f.name.size());
  for (std::size_t g = 0; g < r.goals.size(); ++g) {
    const int d = goal_digits(r.goals[g]);
    out += fmt::format("\nGoal {} ({}):\n", r.goals[g].name, r.goals[g].label);
    if (morris(r)) {
      out += fmt::format("  {:<{}}  {:>10}  {:>21}  {:>10}  {:>10}\n", "parameter", width, "mu*",
                         "95% interval", "mu", "sigma");
    } else {
      out += fmt::format("  {:<{}}  {:>7}  {:>17}  {:>7}  {:>17}\n", "parameter", width, "ST",
                         "95% interval", "S1", "95% interval");
    }
    for (const std::size_t i : ranked_factors(r, g)) {
      if (morris(r)) {
        const MorrisIndex& m = r.morris[g][i];
        out += fmt::format("  {:<{}}  {:>10}  {:>21}  {:>10}  {:>10}\n", r.factors[i].name, width,
                           fixed(m.mu_star, d),
                           "[" + fixed(m.mu_star_lo, d) + ", " + fixed(m.mu_star_hi, d) + "]",
                           fixed(m.mu, d), fixed(m.sigma, d));
      } else {
        const SobolIndex& x = r.sobol[g][i];
        out +=
            fmt::format("  {:<{}}  {:>7}  {:>17}  {:>7}  {:>17}\n", r.factors[i].name, width,
                        fixed(x.st, 3), "[" + fixed(x.st_lo, 3) + ", " + fixed(x.st_hi, 3) + "]",
                        fixed(x.s1, 3), "[" + fixed(x.s1_lo, 3) + ", " + fixed(x.s1_hi, 3) + "]");
      }
    }
  }
  return out;
}

std::string sensitivity_csv(const SensitivityResult& r) {
  std::string out = morris(r) ? "parameter,goal,mu_star,mu_star_lo,mu_star_hi,mu,sigma,lo,hi\n"
                              : "parameter,goal,S1,S1_lo,S1_hi,ST,ST_lo,ST_hi,S1_se,ST_se,lo,hi\n";
  for (std::size_t g = 0; g < r.goals.size(); ++g) {
    for (std::size_t i = 0; i < r.factors.size(); ++i) {
      const SensitivityFactor& f = r.factors[i];
      out += csv_field(f.name) + "," + csv_field(r.goals[g].name);
      if (morris(r)) {
        const MorrisIndex& m = r.morris[g][i];
        for (double v : {m.mu_star, m.mu_star_lo, m.mu_star_hi, m.mu, m.sigma}) {
          out += "," + csv_num(v);
        }
      } else {
        const SobolIndex& x = r.sobol[g][i];
        for (double v : {x.s1, x.s1_lo, x.s1_hi, x.st, x.st_lo, x.st_hi, x.s1_se, x.st_se}) {
          out += "," + csv_num(v);
        }
      }
      out += fmt::format(",{},{}\n", f.lo, f.hi);
    }
  }
  return out;
}

std::string sensitivity_json(const Scenario& s, const SensitivityResult& r) {
  ordered_json factors = ordered_json::array();
  for (const SensitivityFactor& f : r.factors) {
    factors.push_back({{"name", f.name}, {"lo", f.lo}, {"hi", f.hi}, {"integer", f.integer}});
  }
  ordered_json goals = ordered_json::array();
  for (std::size_t g = 0; g < r.goals.size(); ++g) {
    ordered_json indices = ordered_json::array();
    for (std::size_t i = 0; i < r.factors.size(); ++i) {
      ordered_json row = {{"parameter", r.factors[i].name}};
      if (morris(r)) {
        const MorrisIndex& m = r.morris[g][i];
        row.update({{"mu_star", jnum(m.mu_star)},
                    {"mu_star_lo", jnum(m.mu_star_lo)},
                    {"mu_star_hi", jnum(m.mu_star_hi)},
                    {"mu", jnum(m.mu)},
                    {"sigma", jnum(m.sigma)}});
      } else {
        const SobolIndex& x = r.sobol[g][i];
        row.update({{"S1", jnum(x.s1)},
                    {"S1_lo", jnum(x.s1_lo)},
                    {"S1_hi", jnum(x.s1_hi)},
                    {"S1_se", jnum(x.s1_se)},
                    {"ST", jnum(x.st)},
                    {"ST_lo", jnum(x.st_lo)},
                    {"ST_hi", jnum(x.st_hi)},
                    {"ST_se", jnum(x.st_se)}});
      }
      indices.push_back(row);
    }
    goals.push_back({{"goal", r.goals[g].name}, {"label", r.goals[g].label}, {"indices", indices}});
  }
  const ordered_json points = points_json(r);
  ordered_json design = {{"method", sensitivity_method_name(r.design.method)},
                         {"samples", r.design.samples},
                         {"points", r.design.points()}};
  if (morris(r)) {
    design["levels"] = r.design.levels;
    design["delta"] = r.design.levels / (2.0 * (r.design.levels - 1));
  }
  const ordered_json doc = {{"schema", "plenary-sensitivity/1"},
                            {"plenary", kVersion},
                            {"scenario", s.name},
                            {"draft", r.draft},
                            {"replicates", r.replicates},
                            {"seed", r.seed},
                            {"bootstrap", r.bootstrap},
                            {"design", design},
                            {"factors", factors},
                            {"goals", goals},
                            {"points", points}};
  return doc.dump(2) + "\n";
}

std::string sensitivity_tornado_svg(const SensitivityResult& r, std::size_t g) {
  std::string out = svg::tornado(r, g);
  const std::string open = "<svg ";
  out.replace(0, open.size(), "<svg xmlns=\"http://www.w3.org/2000/svg\" ");
  const std::size_t line = out.find('\n') + 1;
  out.insert(line,
             "<style>svg { font-family: \"DejaVu Sans\", \"Liberation Sans\", Arial, sans-serif; "
             "font-size: 12px; } .axis-title { font-size: 12px; font-weight: 600; }</style>\n");
  return out;
}

std::string sensitivity_html(const Scenario& s, const SensitivityResult& r,
                             const std::string& command) {
  const std::string name = s.name.empty() ? "scenario" : s.name;
  std::string body = fmt::format("<h1>Sensitivity of {} <span class=\"note\">in</span> {}</h1>\n",
                                 escape(r.draft), escape(name));
  body += fmt::format(
      "<p class=\"meta\">{}. {} points &times; {}, every point on seed {} (common random "
      "numbers); intervals are 95%, from {} bootstrap resamples. plenary {}.</p>\n",
      escape(method_sentence(r)), r.design.points(), count_noun(r.replicates, "replicate"), r.seed,
      r.bootstrap, kVersion);
  body += "<p>Varied:</p>\n<ul>\n";
  for (const SensitivityFactor& f : r.factors) {
    body += fmt::format("<li><code>{}</code> from {} to {}{}</li>\n", escape(f.name), f.lo, f.hi,
                        f.integer ? " (rounded to integers)" : "");
  }
  body += "</ul>\n";
  body += fmt::format(
      "<div class=\"repro\">To reproduce: <code>{}</code> with plenary {}. The same seed gives "
      "the same numbers on any number of threads or MPI ranks.</div>\n",
      escape(command), kVersion);
  for (std::size_t g = 0; g < r.goals.size(); ++g) {
    body += fmt::format("<h2>Goal: {} <span class=\"note\">({})</span></h2>\n",
                        escape(r.goals[g].name), escape(r.goals[g].label));
    body += html::figure(
        svg::tornado(r, g),
        morris(r) ? "Tornado chart: each factor's mu* (the mean absolute change in the goal when "
                    "the factor moves across its range), largest on top, with its 95% interval. "
                    "Bars to the right: the mean effect mu raises the goal; to the left: it "
                    "lowers it."
                  : "Tornado chart: each factor's total index ST (light) and first-order index "
                    "S1 (dark), largest ST on top, with their 95% intervals. ST &minus; S1 is the "
                    "share of variance in interactions.");
    body += html_table(r, g);
  }
  body += fmt::format(
      "<p class=\"note\">Written by plenary {}. Methods and estimators: "
      "docs/sensitivity.md.</p>\n",
      kVersion);
  return html::page("Sensitivity of " + r.draft + " in " + name, body);
}

}  // namespace plenary
