// The report's line, bar and scatter charts (docs/report.md). Colour is never the only cue:
// every series has a legend entry, line style or position of its own.
#include "report/svg_charts.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "report/svg_base.hpp"

namespace plenary::svg {

namespace {

/// A legend entry: a swatch drawn in a 14 x 14 box at the origin, and its text.
struct LegendEntry {
  std::string swatch;
  std::string text;
};

std::string legend(const std::vector<LegendEntry>& entries, double x, double y) {
  std::string out = "<g class=\"legend\">\n";
  for (const LegendEntry& e : entries) {
    out += fmt::format("<g transform=\"translate({} {})\">{}</g>\n", num(x), num(y - 11), e.swatch);
    out += text(x + 19, y, e.text);
    x += 34 + 7.0 * static_cast<double>(e.text.size());
  }
  return out + "</g>\n";
}

/// Ticks from 0 that reach at least `top`, so that the last tick closes the axis.
std::vector<double> ticks_to(double top, int target) {
  std::vector<double> t = nice_ticks(0, std::max(top, 1.0), target, true);
  const double step = t.size() >= 2 ? t[1] - t[0] : 1.0;
  if (t.back() < top) t.push_back(t.back() + step);
  return t;
}

std::string band_and_median(const FanChart& c, const Scale& sx, const Scale& sy) {
  std::string band;
  for (std::size_t t = 0; t < c.p95.size(); ++t) {
    band += num(sx(static_cast<double>(t))) + "," + num(sy(c.p95[t])) + " ";
  }
  for (std::size_t t = c.p5.size(); t-- > 0;) {
    band += num(sx(static_cast<double>(t))) + "," + num(sy(c.p5[t])) + " ";
  }
  std::string out = fmt::format(
      "<polygon points=\"{}\" fill=\"{}\" fill-opacity=\"0.35\" stroke=\"{}\" "
      "stroke-width=\"0.8\"/>\n",
      band, kSkyBlue, kSkyBlue);
  std::string line;
  std::string dots;
  for (std::size_t t = 0; t < c.p50.size(); ++t) {
    const double x = sx(static_cast<double>(t)), y = sy(c.p50[t]);
    line += num(x) + "," + num(y) + " ";
    dots += fmt::format(
        "<circle cx=\"{}\" cy=\"{}\" r=\"3\" fill=\"{}\"><title>after round {}: median {}, "
        "5-95% {}-{}, mean {:.2f}</title></circle>\n",
        num(x), num(y), kBlue, t, c.p50[t], c.p5[t], c.p95[t], c.mean[t]);
  }
  out += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2.5\"/>\n",
                     line, kBlue);
  return out + dots;
}

std::string round_marker(const Frame& f, const Scale& sx, int round, std::string_view name) {
  const double x = sx(round);
  return fmt::format(
             "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"{3}\" "
             "stroke-dasharray=\"2 3\"/>\n",
             num(x), num(f.y1()), num(f.y0()), kInk) +
         text(x + 3, f.y1() + 11, name, "start", "class=\"small\"");
}

}  // namespace

std::string fan_chart(const FanChart& c) {
  Frame f;
  f.height = 300;
  f.top = 34;
  f.right = 76;
  const int last = static_cast<int>(c.p50.size()) - 1;
  double top = 1;
  for (int v : c.p95) top = std::max(top, static_cast<double>(v));
  for (int v : c.targets) top = std::max(top, static_cast<double>(v));
  const Axis y{Scale{0, 0, f.y0(), f.y1()}, ticks_to(top * 1.05, 5), "co-sponsors"};
  Axis ys = y;
  ys.scale.d1 = y.ticks.back();
  const Axis x{Scale{0, static_cast<double>(std::max(last, 1)), f.x0(), f.x1()},
               nice_ticks(0, std::max(last, 1), 10, true), "round"};
  std::string out = open_svg(f.width, f.height, c.label) + axes(f, x, ys);
  if (c.opens > 0) out += round_marker(f, x.scale, c.opens, "opens");
  if (c.closes < last) out += round_marker(f, x.scale, c.closes, "closes");
  out += band_and_median(c, x.scale, ys.scale);
  for (int target : c.targets) {
    const double py = ys.scale(target);
    out += fmt::format(
        "<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"{3}\" stroke-width=\"2\" "
        "stroke-dasharray=\"7 4\"><title>target: {4} co-sponsors</title></line>\n",
        num(f.x0()), num(py), num(f.x1()), kVermillion, target);
    out += text(f.x1() + 4, py + 4, fmt::format("target {}", target), "start", "class=\"small\"");
  }
  const std::string dash = fmt::format(
      "<line x1=\"0\" y1=\"7\" x2=\"14\" y2=\"7\" stroke=\"{}\" stroke-width=\"2\" "
      "stroke-dasharray=\"5 2\"/>",
      kVermillion);
  out += legend({{fmt::format("<rect width=\"14\" height=\"14\" fill=\"{0}\" fill-opacity=\"0.35\" "
                              "stroke=\"{0}\"/>",
                              kSkyBlue),
                  "5-95% of replicates"},
                 {fmt::format("<line x1=\"0\" y1=\"7\" x2=\"14\" y2=\"7\" stroke=\"{}\" "
                              "stroke-width=\"2.5\"/>",
                              kBlue),
                  "median"},
                 {dash, "target (run.thresholds)"}},
                f.x0(), 18);
  return out + "</svg>\n";
}

namespace {

// The Yes counts worth showing: every count that occurred, the adoption line, a margin.
std::pair<int, int> tally_range(const TallyChart& c) {
  const int n = static_cast<int>(c.yes.size()) - 1;
  int lo = n, hi = 0;
  for (int k = 0; k <= n; ++k) {
    const auto uk = static_cast<std::size_t>(k);
    if (c.yes[uk] + c.no[uk] == 0) continue;
    lo = std::min(lo, k);
    hi = std::max(hi, k);
  }
  const int line = static_cast<int>(std::lround(c.adoption_line));
  lo = std::max(0, std::min(lo, line) - 1);
  hi = std::min(n, std::max(hi, line) + 1);
  while (hi - lo < 8 && (lo > 0 || hi < n)) {
    if (lo > 0) --lo;
    if (hi < n) ++hi;
  }
  return {lo, hi};
}

std::string tally_bars(const TallyChart& c, int lo, int hi, const Scale& sx, const Scale& sy) {
  std::uint64_t total = 0;
  for (std::uint64_t v : c.yes) total += v;
  const double slot = sx(1) - sx(0);
  std::string out;
  for (int k = lo; k <= hi; ++k) {
    const auto uk = static_cast<std::size_t>(k);
    for (int side = 0; side < 2; ++side) {
      const std::uint64_t v = side == 0 ? c.yes[uk] : c.no[uk];
      if (v == 0) continue;
      const double x = sx(k) - slot * 0.42 + side * slot * 0.42;
      const double y = sy(static_cast<double>(v));
      out += fmt::format(
          "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{} = {}: {} "
          "replicates ({:.1f}%)</title></rect>\n",
          num(x), num(y), num(slot * 0.4), num(sy(0) - y), side == 0 ? kBlue : kVermillion,
          side == 0 ? "Yes" : "No", k, v,
          100.0 * static_cast<double>(v) / static_cast<double>(std::max<std::uint64_t>(total, 1)));
    }
  }
  return out;
}

}  // namespace

std::string tally_chart(const TallyChart& c) {
  Frame f;
  f.height = 300;
  f.top = 34;
  const auto [lo, hi] = tally_range(c);
  double top = 1;
  for (int k = lo; k <= hi; ++k) {
    const auto uk = static_cast<std::size_t>(k);
    top = std::max(top, static_cast<double>(std::max(c.yes[uk], c.no[uk])));
  }
  Axis y{Scale{0, 0, f.y0(), f.y1()}, ticks_to(top * 1.05, 5), "replicates"};
  y.scale.d1 = y.ticks.back();
  const Axis x{Scale{lo - 0.5, hi + 0.5, f.x0(), f.x1()}, nice_ticks(lo, hi, 10, true),
               "members voting Yes (left bars) or No (right bars)"};
  std::string out = open_svg(f.width, f.height, c.label) + axes(f, x, y);
  out += tally_bars(c, lo, hi, x.scale, y.scale);
  const double lx = x.scale(c.adoption_line - 0.5);
  out += fmt::format(
      "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"{3}\" stroke-width=\"2\" "
      "stroke-dasharray=\"6 3\"><title>{4}</title></line>\n",
      num(lx), num(f.y1()), num(f.y0()), kInk, escape(c.adoption_label));
  const bool right_half = lx > (f.x0() + f.x1()) / 2;
  out += text(right_half ? lx - 5 : lx + 5, f.y1() + 12, c.adoption_label,
              right_half ? "end" : "start", "class=\"small\"");
  out += legend(
      {{fmt::format("<rect width=\"14\" height=\"14\" fill=\"{}\"/>", kBlue), "Yes"},
       {fmt::format("<rect width=\"14\" height=\"14\" fill=\"{}\"/>", kVermillion), "No"},
       {fmt::format("<line x1=\"7\" y1=\"0\" x2=\"7\" y2=\"14\" stroke=\"{}\" stroke-width=\"2\" "
                    "stroke-dasharray=\"4 2\"/>",
                    kInk),
        "adoption line"}},
      f.x0(), 18);
  return out + "</svg>\n";
}

namespace {

std::string diamond(double x, double y, double r, std::string_view fill) {
  return fmt::format(
      "<polygon points=\"{},{} {},{} {},{} {},{}\" fill=\"{}\" stroke=\"{}\" "
      "stroke-width=\"2\"/>",
      num(x), num(y - r), num(x + r), num(y), num(x), num(y + r), num(x - r), num(y), fill, kInk);
}

std::string cross(double x, double y, double r) {
  return fmt::format("<path d=\"M{} {}L{} {}M{} {}L{} {}\" stroke=\"{}\" stroke-width=\"3\"/>",
                     num(x - r), num(y - r), num(x + r), num(y + r), num(x - r), num(y + r),
                     num(x + r), num(y - r), kInk);
}

std::string colour_bar(const Frame& f, std::string_view name) {
  const double x = f.x1() + 22, h = f.y0() - f.y1();
  std::string out;
  constexpr int kSteps = 20;
  for (int k = 0; k < kSteps; ++k) {
    const double t = (k + 0.5) / kSteps;
    out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"14\" height=\"{}\" fill=\"{}\"/>\n", num(x),
                       num(f.y0() - (k + 1) * h / kSteps), num(h / kSteps + 0.5), viridis(t));
  }
  for (int k = 0; k <= 4; ++k) {
    out += text(x + 18, f.y0() - k * h / 4 + 4, fmt::format("{}%", 25 * k), "start",
                "class=\"small\"");
  }
  out += fmt::format(
      "<text transform=\"translate({} {}) rotate(-90)\" text-anchor=\"middle\" "
      "class=\"axis-title\">{}</text>\n",
      num(f.width - 6), num((f.y0() + f.y1()) / 2), escape(name));
  return out;
}

// The data window: every point and marker, 8% padding, the same scale on both axes.
std::pair<Scale, Scale> space_scales(const SpaceChart& c, const Frame& f) {
  double x0 = 1e300, x1 = -1e300, y0 = 1e300, y1 = -1e300;
  auto take = [&](double x, double y) {
    x0 = std::min(x0, x), x1 = std::max(x1, x), y0 = std::min(y0, y), y1 = std::max(y1, y);
  };
  for (const SpacePoint& p : c.points) take(p.x, p.y);
  for (const SpaceMarker& m : c.markers) take(m.x, m.y);
  double span = std::max(x1 - x0, c.one_dimensional ? 0.0 : y1 - y0);
  span = span > 0 ? span * 1.16 : 2.0;
  const double cx = (x0 + x1) / 2, cy = c.one_dimensional ? 0.0 : (y0 + y1) / 2;
  const double ry = c.one_dimensional ? 1.0 : span / 2;
  return {Scale{cx - span / 2, cx + span / 2, f.x0(), f.x1()},
          Scale{cy - ry, cy + ry, f.y0(), f.y1()}};
}

// Small assemblies get every code written; large ones smaller points.
bool label_all(const SpaceChart& c) { return c.points.size() <= 40; }
double point_radius(const SpaceChart& c) { return c.points.size() > 100 ? 4.5 : 6; }

Frame space_frame(const SpaceChart& c) {
  Frame f;
  f.top = 34;
  f.right = 96;
  f.height = c.one_dimensional ? 230 : f.top + f.bottom + (f.width - f.left - f.right);
  return f;
}

// What to label, surest first: the markers (this draft's, the other drafts', the status
// quos), the named members, then the others from the outside of the cloud inwards, where
// a label has the most room. `glyphs` receives every point's and marker's box.
std::vector<LabelRequest> space_label_requests(const SpaceChart& c, const Scale& sx,
                                               const Scale& sy, std::vector<Box>& glyphs) {
  const double r = point_radius(c);
  std::vector<LabelRequest> requests;
  std::vector<const SpaceMarker*> markers;
  for (const SpaceMarker& m : c.markers) markers.push_back(&m);
  std::stable_sort(markers.begin(), markers.end(), [](const SpaceMarker* a, const SpaceMarker* b) {
    return (a->highlight ? 0 : a->status_quo ? 2 : 1) < (b->highlight ? 0 : b->status_quo ? 2 : 1);
  });
  for (const SpaceMarker* m : markers) {
    const double g = m->status_quo ? 6 : 8;
    glyphs.push_back({sx(m->x) - g, sy(m->y) - g, sx(m->x) + g, sy(m->y) + g});
    requests.push_back({sx(m->x), sy(m->y), g, m->label, 12, true, true});
  }
  std::vector<std::size_t> others;
  for (std::size_t k = 0; k < c.points.size(); ++k) {
    const SpacePoint& p = c.points[k];
    glyphs.push_back({sx(p.x) - r, sy(p.y) - r, sx(p.x) + r, sy(p.y) + r});
    if (p.named || label_all(c)) {
      requests.push_back({sx(p.x), sy(p.y), r, p.label, 11, false, true});
    } else {
      others.push_back(k);
    }
  }
  const double cx = (sx.r0 + sx.r1) / 2, cy = (sy.r0 + sy.r1) / 2;
  auto far = [&](std::size_t k) {
    return std::hypot(sx(c.points[k].x) - cx, sy(c.points[k].y) - cy);
  };
  std::stable_sort(others.begin(), others.end(),
                   [&](std::size_t a, std::size_t b) { return far(a) > far(b); });
  for (std::size_t k : others) {
    const SpacePoint& p = c.points[k];
    requests.push_back({sx(p.x), sy(p.y), r, p.label, 11, false, false});
  }
  return requests;
}

std::vector<PlacedLabel> space_labels(const SpaceChart& c, const Frame& f, const Scale& sx,
                                      const Scale& sy, std::vector<LabelRequest>& requests) {
  std::vector<Box> glyphs;
  requests = space_label_requests(c, sx, sy, glyphs);
  return place_labels(requests, glyphs, Box{f.x0(), f.y1(), f.x1(), f.y0()});
}

// The labels, drawn over everything with a white halo: markers bold, named members (and
// all members of a small assembly) in ink, the others lighter; a leader line joins a label
// placed away from its point.
std::string space_label_marks(const std::vector<LabelRequest>& requests,
                              const std::vector<PlacedLabel>& labels) {
  std::string lines, texts;
  for (const PlacedLabel& l : labels) {
    const LabelRequest& r = requests[l.request];
    if (l.leader) {
      const double x = std::clamp(r.x, l.box.x0, l.box.x1), y = std::clamp(r.y, l.box.y0, l.box.y1);
      lines += fmt::format(
          "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"0.8\"/>\n",
          num(r.x), num(r.y), num(x), num(y), kInk);
    }
    const std::string_view style = r.bold       ? "class=\"marker-label halo\""
                                   : r.required ? "class=\"label halo\""
                                                : "class=\"label halo\" fill=\"#555555\"";
    texts += text(l.x, l.y, r.text, "start", style);
  }
  return lines + texts;
}

std::string space_points(const SpaceChart& c, const Frame& f, const Scale& sx, const Scale& sy) {
  const double r = point_radius(c);
  std::string out;
  for (const SpacePoint& p : c.points) {
    out += fmt::format(
        "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\" stroke=\"{}\" stroke-width=\"0.7\">"
        "<title>{}</title></circle>\n",
        num(sx(p.x)), num(sy(p.y)), num(r), viridis(p.value), kInk, escape(p.tooltip));
  }
  for (const SpaceMarker& m : c.markers) {
    const double x = sx(m.x), y = sy(m.y);
    out += m.status_quo ? cross(x, y, 6) : diamond(x, y, 8, m.highlight ? kInk : "#FFFFFF");
  }
  std::vector<LabelRequest> requests;
  const std::vector<PlacedLabel> labels = space_labels(c, f, sx, sy, requests);
  return out + space_label_marks(requests, labels);
}

}  // namespace

std::vector<PlacedLabel> space_labels(const SpaceChart& c) {
  const Frame f = space_frame(c);
  const auto [sx, sy] = space_scales(c, f);
  std::vector<LabelRequest> requests;
  return space_labels(c, f, sx, sy, requests);
}

std::string space_chart(const SpaceChart& c) {
  const Frame f = space_frame(c);
  const auto [sx, sy] = space_scales(c, f);
  const Axis x{sx, nice_ticks(sx.d0, sx.d1, 6, false), "dimension 1"};
  Axis y{sy, nice_ticks(sy.d0, sy.d1, 6, false), "dimension 2"};
  if (c.one_dimensional) {
    y.ticks.clear();
    y.title = "(spread only to limit overlap)";
  }
  std::string out = open_svg(f.width, f.height, c.label) + axes(f, x, y);
  out += space_points(c, f, sx, sy) + colour_bar(f, c.value_name);
  out += legend({{fmt::format("<circle cx=\"7\" cy=\"7\" r=\"5\" fill=\"{}\" stroke=\"{}\"/>",
                              viridis(0.6), kInk),
                  "member"},
                 {diamond(7, 7, 6, kInk), "this draft"},
                 {diamond(7, 7, 6, "#FFFFFF"), "other draft"},
                 {cross(7, 7, 5), "status quo"}},
                f.x0(), 18);
  return out + "</svg>\n";
}

}  // namespace plenary::svg
