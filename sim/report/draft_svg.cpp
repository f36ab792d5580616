// plenary draft's charts: the frontier, and in 2-D the heatmap of the goal over the policy
// space (include/plenary/report/draft_report.hpp).

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "plenary/report/draft_report.hpp"
#include "report/svg_base.hpp"

namespace plenary {

namespace {

using svg::escape;
using svg::num;

// Ticks covering [lo, hi] and the scale from them onto [r0, r1].
std::pair<std::vector<double>, svg::Scale> axis(double lo, double hi, double r0, double r1,
                                                bool cover) {
  if (hi <= lo) hi = lo + 1;
  std::vector<double> ticks = svg::nice_ticks(lo, hi, 6, false);
  if (cover && ticks.size() >= 2) {
    const double step = ticks[1] - ticks[0];
    while (ticks.front() > lo) ticks.insert(ticks.begin(), ticks.front() - step);
    while (ticks.back() < hi) ticks.push_back(ticks.back() + step);
    return {ticks, svg::Scale{ticks.front(), ticks.back(), r0, r1}};
  }
  return {ticks, svg::Scale{lo, hi, r0, r1}};
}

std::string marker(double x, double y, std::string_view shape, std::string_view fill,
                   const std::string& title) {
  if (shape == "ring") {
    return fmt::format(
        "<circle cx=\"{}\" cy=\"{}\" r=\"6\" fill=\"none\" stroke=\"{}\" stroke-width=\"2.5\">"
        "<title>{}</title></circle>\n",
        num(x), num(y), fill, escape(title));
  }
  // A diamond.
  return fmt::format(
      "<path d=\"M{0} {1}l7 7l-7 7l-7 -7z\" fill=\"{2}\" stroke=\"#fff\" stroke-width=\"1.5\">"
      "<title>{3}</title></path>\n",
      num(x), num(y - 7), fill, escape(title));
}

}  // namespace

std::string draft_frontier_svg(const Scenario& s, const DraftSearchResult& r) {
  const std::string& main = s.members[static_cast<std::size_t>(r.main_sponsor)].code;
  svg::Frame f;
  f.width = 600;
  f.height = 340;
  f.left = 64;
  double dmax = r.current.distance, glo = HUGE_VAL, ghi = -HUGE_VAL;
  auto take = [&](const DraftPoint& p) {
    if (!p.figure.b) return;
    dmax = std::max(dmax, p.distance);
    const double se = p.figure.b_se.value_or(0);
    glo = std::min(glo, *p.figure.b - kZ95 * se);
    ghi = std::max(ghi, *p.figure.b + kZ95 * se);
  };
  take(r.current);
  for (const DraftPoint& p : r.points) {
    if (p.stage < 100) take(p);
  }
  if (glo > ghi) glo = 0, ghi = 1;
  if (r.goal.probability) glo = std::max(glo, 0.0), ghi = std::min(ghi, 1.0);
  const auto [xt, sx] = axis(0, dmax, f.x0(), f.x1(), true);
  const auto [yt, sy] = axis(glo, ghi, f.y0(), f.y1(), true);
  std::string out = svg::open_svg(f.width, f.height, "The goal against the distance of the text");
  out += svg::axes(f, {sx, xt, "distance of the text from " + main + "'s ideal point"},
                   {sy, yt, r.goal.label});
  for (const DraftPoint& p : r.points) {
    if (p.stage >= 100 || !p.figure.b) continue;
    out += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"2\" fill=\"{}\" opacity=\"{}\"/>\n",
                       num(sx(p.distance)), num(sy(*p.figure.b)), svg::kGrey,
                       p.feasible ? "0.6" : "0.25");
  }
  std::string line;
  for (std::size_t j : r.frontier) {
    const DraftPoint& p = r.points[j];
    const double x = sx(p.distance), y = sy(*p.figure.b);
    line += fmt::format("{}{},{}", line.empty() ? "" : " ", num(x), num(y));
    if (p.figure.b_se) {
      out += fmt::format(
          "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"{3}\" "
          "stroke-width=\"1.5\"/>\n",
          num(x), num(sy(*p.figure.b - kZ95 * *p.figure.b_se)),
          num(sy(*p.figure.b + kZ95 * *p.figure.b_se)), svg::kBlue);
    }
  }
  if (!line.empty()) {
    out += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>\n",
                       line, svg::kBlue);
  }
  if (r.current.figure.b) {
    out += marker(sx(r.current.distance), sy(*r.current.figure.b), "ring", svg::kInk,
                  "the current text");
  }
  if (r.best) {
    const DraftPoint& b = r.points[*r.best];
    out += marker(sx(b.distance), sy(*b.figure.b), "diamond", svg::kVermillion, "the best text");
  }
  return out + "</svg>\n";
}

std::string draft_heatmap_svg(const Scenario& s, const DraftSearchResult& r) {
  if (r.dims != 2) return "";
  const auto n = static_cast<std::size_t>(r.grid);
  if (r.points.size() < n * n) return "";
  // Equal scales on both axes, unless the box is very tall or flat (the height is clamped).
  const double w = r.upper[0] - r.lower[0], h = r.upper[1] - r.lower[1];
  svg::Frame f;
  f.left = 56;
  f.right = 90;
  f.top = 12;
  f.bottom = 48;
  const double plot_w = 460;
  const double plot_h = std::clamp(plot_w * h / w, 120.0, 700.0);
  f.width = f.left + plot_w + f.right;
  f.height = f.top + plot_h + f.bottom;
  const auto [xt, sx] = axis(r.lower[0], r.upper[0], f.x0(), f.x1(), false);
  const auto [yt, sy] = axis(r.lower[1], r.upper[1], f.y0(), f.y1(), false);
  double lo = HUGE_VAL, hi = -HUGE_VAL;
  for (std::size_t j = 0; j < n * n; ++j) {
    if (const auto& b = r.points[j].figure.b) lo = std::min(lo, *b), hi = std::max(hi, *b);
  }
  std::string out = svg::open_svg(f.width, f.height, "The goal over the policy space");
  // Cells centred on the grid points.
  const double cw = (f.x1() - f.x0()) / static_cast<double>(n - 1);
  const double ch = (f.y0() - f.y1()) / static_cast<double>(n - 1);
  out += fmt::format(
      "<g><clipPath id=\"heat\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>"
      "</clipPath><g clip-path=\"url(#heat)\">\n",
      num(f.x0()), num(f.y1()), num(f.x1() - f.x0()), num(f.y0() - f.y1()));
  for (std::size_t j = 0; j < n * n; ++j) {
    const DraftPoint& p = r.points[j];
    if (!p.figure.b) continue;
    const double t = hi > lo ? (*p.figure.b - lo) / (hi - lo) : 0.5;
    out += fmt::format(
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"{}><title>{:.3g}{}</title>"
        "</rect>\n",
        num(sx(p.position[0]) - cw / 2), num(sy(p.position[1]) - ch / 2), num(cw + 0.5),
        num(ch + 0.5), svg::viridis(t), p.feasible ? "" : " opacity=\"0.45\"", *p.figure.b,
        p.feasible ? "" : " (loses a kept member)");
  }
  out += "</g></g>\n";
  out += svg::axes(f, {sx, xt, "dimension 1", false}, {sy, yt, "dimension 2", false});
  std::vector<bool> kept(s.members.size(), false);
  for (int i : r.keep) kept[static_cast<std::size_t>(i)] = true;
  for (std::size_t i = 0; i < s.members.size(); ++i) {
    const Member& m = s.members[i];
    out += fmt::format(
        "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\" stroke=\"{}\" stroke-width=\"0.8\">"
        "<title>{}</title></circle>\n",
        num(sx(m.position[0])), num(sy(m.position[1])), kept[i] ? 4.5 : 2.5,
        kept[i] ? svg::kOrange : "#fff", svg::kInk, escape(m.code));
  }
  const Member& main = s.members[static_cast<std::size_t>(r.main_sponsor)];
  out += svg::text(sx(main.position[0]) + 7, sy(main.position[1]) + 4, main.code, "start",
                   "font-weight=\"bold\" fill=\"#fff\" stroke=\"#222\" stroke-width=\"0.3\"");
  out += marker(sx(r.current.position[0]), sy(r.current.position[1]), "ring", "#fff",
                "the current text");
  if (r.best) {
    const DraftPoint& b = r.points[*r.best];
    out +=
        marker(sx(b.position[0]), sy(b.position[1]), "diamond", svg::kVermillion, "the best text");
  }
  // The colour key.
  const double kx = f.x1() + 24, ky0 = f.y0(), ky1 = f.y1() + 20;
  for (int k = 0; k < 20; ++k) {
    const double y = ky0 - (ky0 - ky1) * (k + 1) / 20.0;
    out +=
        fmt::format("<rect x=\"{}\" y=\"{}\" width=\"14\" height=\"{}\" fill=\"{}\"/>\n", num(kx),
                    num(y), num((ky0 - ky1) / 20.0 + 0.5), svg::viridis((k + 0.5) / 20));
  }
  if (lo <= hi) {
    const int digits = r.goal.probability ? 2 : 1;
    out += svg::text(kx + 18, ky0, fmt::format("{:.{}f}", lo, digits));
    out += svg::text(kx + 18, ky1 + 8, fmt::format("{:.{}f}", hi, digits));
  }
  out += svg::text(kx - 4, f.y1() + 8, r.goal.name, "start");
  return out + "</svg>\n";
}

}  // namespace plenary
