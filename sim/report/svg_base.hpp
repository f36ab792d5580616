#pragma once
// Building blocks of the HTML report's SVG charts (docs/report.md): escaping, coordinates,
// linear scales, axis ticks, and the colour-blind-safe palette. Every chart is inline SVG in
// an HTML5 page, so no xmlns and no external reference of any kind.

#include <string>
#include <string_view>
#include <vector>

namespace plenary::svg {

// Okabe & Ito's palette ("Color Universal Design", 2008): distinguishable under the common
// colour-vision deficiencies and different in lightness, so they survive greyscale print.
inline constexpr std::string_view kBlue = "#0072B2";        // Yes; the median
inline constexpr std::string_view kVermillion = "#D55E00";  // No; targets
inline constexpr std::string_view kOrange = "#E69F00";      // Abstain
inline constexpr std::string_view kSkyBlue = "#56B4E9";     // the 5-95% band
inline constexpr std::string_view kGrey = "#8C8C8C";        // absent
inline constexpr std::string_view kInk = "#222222";         // text, axes, markers
inline constexpr std::string_view kGridLine = "#E4E4E4";

/// `text` with &, <, >, " and ' replaced by entities: safe in element content and in
/// attribute values alike.
std::string escape(std::string_view text);

/// A coordinate as written into SVG: one decimal, never "-0.0".
std::string num(double x);

/// A probability as a whole percentage, "76%".
std::string percent(double p);

/// Maps the data interval [d0, d1] linearly onto the pixel interval [r0, r1].
struct Scale {
  double d0 = 0, d1 = 1, r0 = 0, r1 = 1;
  double operator()(double x) const;
};

/// Round-number tick values covering [lo, hi], about `target` of them (1, 2 or 5 times a
/// power of ten apart; at least 1 apart when `integer`).
std::vector<double> nice_ticks(double lo, double hi, int target, bool integer);

/// A tick value with as many decimals as its step needs.
std::string tick_label(double value, double step);

/// The plotting area of a chart: the SVG's size and the margins around the axes.
struct Frame {
  double width = 560, height = 320;
  double left = 56, right = 16, top = 16, bottom = 48;
  double x0() const { return left; }
  double x1() const { return width - right; }
  double y0() const { return height - bottom; }  // the bottom of the plot (SVG y grows down)
  double y1() const { return top; }
};

/// Opening tag of an inline chart, scaled to its container, with an accessible label.
std::string open_svg(double width, double height, std::string_view label);

/// One axis: ticks, grid lines across the plot, tick labels and the axis title.
struct Axis {
  Scale scale;
  std::vector<double> ticks;
  std::string title;
  bool grid = true;
};

/// The two axes of a frame (x along the bottom, y along the left), with grid lines.
std::string axes(const Frame& frame, const Axis& x, const Axis& y);

/// Text at (x, y); `anchor` is start, middle or end; `extra` holds further attributes.
std::string text(double x, double y, std::string_view content, std::string_view anchor = "start",
                 std::string_view extra = "");

/// A colour of the viridis map (perceptually uniform and colour-blind safe) at t in [0, 1].
std::string viridis(double t);

}  // namespace plenary::svg
