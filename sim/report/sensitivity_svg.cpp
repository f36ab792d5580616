// The tornado chart of plenary sensitivity (sim/report/sensitivity_svg.hpp).

#include "report/sensitivity_svg.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "report/svg_base.hpp"

namespace plenary::svg {

namespace {

constexpr double kRow = 24;

struct Bar {
  double value = 0, lo = 0, hi = 0;
  std::string_view colour;
  double offset = 0;  // from the row's centre line
  double thickness = 12;
};

std::string bar(const Scale& sx, double y, const Bar& b, const std::string& title) {
  if (std::isnan(b.value)) return "";
  const double x0 = sx(0), x1 = sx(b.value);
  std::string out = fmt::format(
      "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{}</title></rect>\n",
      num(std::min(x0, x1)), num(y + b.offset - b.thickness / 2), num(std::abs(x1 - x0)),
      num(b.thickness), b.colour, escape(title));
  if (!std::isnan(b.lo) && !std::isnan(b.hi)) {
    out += fmt::format(
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"1.5\"/>\n",
        num(sx(b.lo)), num(y + b.offset), num(sx(b.hi)), num(y + b.offset), kInk);
  }
  return out;
}

// The bars of factor i: Morris mu* signed by mu's direction; Sobol ST and S1.
std::vector<Bar> bars_of(const SensitivityResult& r, std::size_t g, std::size_t i) {
  if (r.design.method == SensitivityMethod::kMorris) {
    const MorrisIndex& m = r.morris[g][i];
    const double sign = m.mu < 0 ? -1 : 1;
    return {{sign * m.mu_star, sign * m.mu_star_lo, sign * m.mu_star_hi,
             m.mu < 0 ? kVermillion : kBlue, 0, 14}};
  }
  const SobolIndex& x = r.sobol[g][i];
  return {{x.st, x.st_lo, x.st_hi, kSkyBlue, -4, 8}, {x.s1, x.s1_lo, x.s1_hi, kBlue, 4, 8}};
}

}  // namespace

std::string tornado(const SensitivityResult& r, std::size_t g) {
  const std::vector<std::size_t> order = ranked_factors(r, g);
  const bool morris = r.design.method == SensitivityMethod::kMorris;
  std::size_t longest = 8;
  for (const SensitivityFactor& f : r.factors) longest = std::max(longest, f.name.size());
  Frame f;
  f.left = std::min(260.0, 16 + 7.0 * static_cast<double>(longest));
  f.right = 24;
  f.top = 12;
  f.bottom = 46;
  f.width = 640;
  f.height = f.top + f.bottom + kRow * static_cast<double>(order.size());
  double lo = 0, hi = 0;
  for (const std::size_t i : order) {
    for (const Bar& b : bars_of(r, g, i)) {
      for (double v : {b.value, b.lo, b.hi}) {
        if (std::isnan(v)) continue;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
    }
  }
  if (hi - lo <= 0) hi = lo + 1;
  std::vector<double> ticks = nice_ticks(lo, hi, 6, false);
  const double step = ticks.size() >= 2 ? ticks[1] - ticks[0] : 0.1;
  while (ticks.front() > lo) ticks.insert(ticks.begin(), ticks.front() - step);
  while (ticks.back() < hi) ticks.push_back(ticks.back() + step);
  const Scale sx{ticks.front(), ticks.back(), f.x0(), f.x1()};
  const std::string title =
      morris ? fmt::format("mu*: change in {} over a factor's range (left: the goal falls)",
                           r.goals[g].name)
             : std::string("Sobol index: ST (light) and S1 (dark), share of the goal's variance");
  std::string out = open_svg(f.width, f.height, "Tornado chart of " + r.goals[g].name);
  out += axes(f, {sx, ticks, title}, {Scale{0, 1, f.y0(), f.y1()}, {}, "", false});
  out += fmt::format(
      "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"{3}\" stroke-width=\"1.5\"/>\n",
      num(sx(0)), num(f.y1()), num(f.y0()), kInk);
  double y = f.top + kRow / 2;
  for (const std::size_t i : order) {
    const std::string& name = r.factors[i].name;
    out += text(f.x0() - 8, y + 4, name, "end");
    for (const Bar& b : bars_of(r, g, i)) {
      out += bar(sx, y, b, fmt::format("{}: {:.4g} [{:.4g}, {:.4g}]", name, b.value, b.lo, b.hi));
    }
    y += kRow;
  }
  return out + "</svg>\n";
}

}  // namespace plenary::svg
