#include "report/svg_base.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace plenary::svg {

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string num(double x) {
  std::string s = fmt::format("{:.1f}", x);
  return s == "-0.0" ? "0.0" : s;
}

std::string percent(double p) { return fmt::format("{:.0f}%", 100 * p); }

double Scale::operator()(double x) const {
  if (d1 == d0) return (r0 + r1) / 2;
  return r0 + (x - d0) / (d1 - d0) * (r1 - r0);
}

std::vector<double> nice_ticks(double lo, double hi, int target, bool integer) {
  const double span = hi > lo ? hi - lo : 1.0;
  const double raw = span / std::max(target, 1);
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = 10 * magnitude;
  for (double m : {1.0, 2.0, 5.0}) {
    if (raw <= m * magnitude) {
      step = m * magnitude;
      break;
    }
  }
  if (integer) step = std::max(step, 1.0);
  std::vector<double> ticks;
  const double first = std::ceil(lo / step - 1e-9);
  for (int k = 0; k < 100; ++k) {
    const double v = (first + k) * step;
    if (v > hi + step * 1e-9) break;
    ticks.push_back(v);
  }
  return ticks;
}

std::string tick_label(double value, double step) {
  const int decimals = step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
  std::string s = fmt::format("{:.{}f}", value, decimals);
  return s.starts_with("-") && std::stod(s) == 0 ? s.substr(1) : s;
}

std::string open_svg(double width, double height, std::string_view label) {
  return fmt::format(
      "<svg viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" role=\"img\" aria-label=\"{}\">\n",
      num(width), num(height), num(width), num(height), escape(label));
}

std::string text(double x, double y, std::string_view content, std::string_view anchor,
                 std::string_view extra) {
  return fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"{}\"{}{}>{}</text>\n", num(x), num(y),
                     anchor, extra.empty() ? "" : " ", extra, escape(content));
}

namespace {

double step_of(const std::vector<double>& ticks) {
  return ticks.size() >= 2 ? ticks[1] - ticks[0] : 1.0;
}

}  // namespace

std::string axes(const Frame& f, const Axis& x, const Axis& y) {
  std::string out = "<g class=\"axes\">\n";
  for (double v : x.ticks) {
    const double px = x.scale(v);
    if (x.grid) {
      out += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"{3}\"/>\n",
                         num(px), num(f.y1()), num(f.y0()), kGridLine);
    }
    out += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"{3}\"/>\n",
                       num(px), num(f.y0()), num(f.y0() + 5), kInk);
    out += text(px, f.y0() + 18, tick_label(v, step_of(x.ticks)), "middle");
  }
  for (double v : y.ticks) {
    const double py = y.scale(v);
    if (y.grid) {
      out += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"{3}\"/>\n",
                         num(f.x0()), num(py), num(f.x1()), kGridLine);
    }
    out += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"{3}\"/>\n",
                       num(f.x0() - 5), num(py), num(f.x0()), kInk);
    out += text(f.x0() - 8, py + 4, tick_label(v, step_of(y.ticks)), "end");
  }
  out +=
      fmt::format("<polyline points=\"{0},{1} {0},{2} {3},{2}\" fill=\"none\" stroke=\"{4}\"/>\n",
                  num(f.x0()), num(f.y1()), num(f.y0()), num(f.x1()), kInk);
  out += text((f.x0() + f.x1()) / 2, f.height - 8, x.title, "middle", "class=\"axis-title\"");
  out += fmt::format(
      "<text transform=\"translate({} {}) rotate(-90)\" text-anchor=\"middle\" "
      "class=\"axis-title\">{}</text>\n",
      num(14), num((f.y0() + f.y1()) / 2), escape(y.title));
  return out + "</g>\n";
}

std::string viridis(double t) {
  // viridis (van der Walt & Smith, matplotlib) sampled at nine points, interpolated in RGB.
  static constexpr std::array<std::array<int, 3>, 9> kStops = {{{68, 1, 84},
                                                                {72, 40, 120},
                                                                {62, 74, 137},
                                                                {49, 104, 142},
                                                                {38, 130, 142},
                                                                {31, 158, 137},
                                                                {53, 183, 121},
                                                                {109, 205, 89},
                                                                {253, 231, 37}}};
  const double u = std::clamp(t, 0.0, 1.0) * 8;
  const auto k = std::min<std::size_t>(static_cast<std::size_t>(u), 7);
  const double w = u - static_cast<double>(k);
  std::array<int, 3> rgb{};
  for (std::size_t c = 0; c < 3; ++c) {
    rgb[c] = static_cast<int>(std::lround((1 - w) * kStops[k][c] + w * kStops[k + 1][c]));
  }
  return fmt::format("#{:02X}{:02X}{:02X}", rgb[0], rgb[1], rgb[2]);
}

}  // namespace plenary::svg
