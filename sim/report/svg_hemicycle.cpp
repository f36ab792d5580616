// The General Assembly seat chart: seats on concentric half rings, filled from the left.
// Each vote has a shape as well as a colour (Yes circle, No square, Abstain diamond, Absent
// ring, no vote a struck ring), so the chart reads in greyscale and without colour vision.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

#include "plenary/util/text.hpp"
#include "report/svg_base.hpp"
#include "report/svg_charts.hpp"

namespace plenary::svg {

namespace {

/// A seat in unit coordinates: outer radius 1, centre at the origin, y up.
struct SeatPosition {
  double x = 0, y = 0, angle = 0;
  int row = 0;
};

/// The layout of n seats and the radius of one seat (same units).
struct Layout {
  std::vector<SeatPosition> seats;
  double seat_radius = 0;
};

constexpr double kInner = 0.35;  // radius of the innermost ring (the outer one is 1)
constexpr double kPi = std::numbers::pi;

// Seats per row: proportional to the row's radius (largest remainder), at most `capacity`.
std::vector<int> seats_per_row(int n, const std::vector<double>& radius,
                               const std::vector<int>& capacity) {
  const std::size_t rows = radius.size();
  double total = 0;
  for (double r : radius) total += r;
  std::vector<int> count(rows);
  std::vector<std::pair<double, std::size_t>> remainder;
  int placed = 0;
  for (std::size_t k = 0; k < rows; ++k) {
    const double quota = n * radius[k] / total;
    count[k] = std::min(static_cast<int>(quota), capacity[k]);
    placed += count[k];
    remainder.emplace_back(-(quota - count[k]), rows - 1 - k);  // outer rows win ties
  }
  std::sort(remainder.begin(), remainder.end());
  for (std::size_t pass = 0; placed < n && pass < 2 * static_cast<std::size_t>(n); ++pass) {
    const std::size_t k = rows - 1 - remainder[pass % rows].second;
    if (count[k] < capacity[k]) ++count[k], ++placed;
  }
  return count;
}

Layout seat_layout(int n) {
  Layout out;
  std::vector<double> radius{1.0};
  std::vector<int> capacity{n};
  if (n <= 15) {
    out.seat_radius = std::min(0.42 * kPi / std::max(n - 1, 1), 0.12);
  } else {
    for (int rows = 2;; ++rows) {
      const double d = (1 - kInner) / (rows - 1);
      radius.clear(), capacity.clear();
      int total = 0;
      for (int k = 0; k < rows; ++k) {
        radius.push_back(kInner + k * d);
        capacity.push_back(static_cast<int>(kPi * radius.back() / d) + 1);
        total += capacity.back();
      }
      out.seat_radius = 0.4 * d;
      if (total >= n) break;
    }
  }
  const std::vector<int> count = seats_per_row(n, radius, capacity);
  for (std::size_t k = 0; k < radius.size(); ++k) {
    for (int j = 0; j < count[k]; ++j) {
      const double a =
          count[k] == 1 ? kPi / 2 : kPi * (1 - static_cast<double>(j) / (count[k] - 1));
      out.seats.push_back(
          {radius[k] * std::cos(a), radius[k] * std::sin(a), a, static_cast<int>(k)});
    }
  }
  // Left to right; the inner seat first at equal angles, so each vote forms a wedge.
  std::stable_sort(out.seats.begin(), out.seats.end(), [](const auto& a, const auto& b) {
    if (std::abs(a.angle - b.angle) > 1e-12) return a.angle > b.angle;
    return a.row < b.row;
  });
  return out;
}

std::string_view state_colour(SeatState s) {
  switch (s) {
    case SeatState::kYes:
      return kBlue;
    case SeatState::kNo:
      return kVermillion;
    case SeatState::kAbstain:
      return kOrange;
    case SeatState::kAbsent:
      return kGrey;
    case SeatState::kNoVote:
      return kInk;
  }
  return kInk;
}

/// The shape of a seat state, centred on (x, y) with radius r.
std::string seat_shape(SeatState s, double x, double y, double r) {
  const std::string_view c = state_colour(s);
  switch (s) {
    case SeatState::kYes:
      return fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\"/>", num(x), num(y),
                         num(r), c);
    case SeatState::kNo:
      return fmt::format("<rect x=\"{0}\" y=\"{1}\" width=\"{2}\" height=\"{2}\" fill=\"{3}\"/>",
                         num(x - 0.86 * r), num(y - 0.86 * r), num(1.72 * r), c);
    case SeatState::kAbstain:
      return fmt::format("<polygon points=\"{},{} {},{} {},{} {},{}\" fill=\"{}\"/>", num(x),
                         num(y - 1.15 * r), num(x + 1.15 * r), num(y), num(x), num(y + 1.15 * r),
                         num(x - 1.15 * r), num(y), c);
    case SeatState::kAbsent:
      return fmt::format(
          "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"#FFFFFF\" stroke=\"{}\" "
          "stroke-width=\"{}\"/>",
          num(x), num(y), num(r * 0.82), c, num(std::max(1.0, r * 0.3)));
    case SeatState::kNoVote:
      return fmt::format(
          "<circle cx=\"{0}\" cy=\"{1}\" r=\"{2}\" fill=\"#FFFFFF\" stroke=\"{3}\" "
          "stroke-width=\"{4}\"/><path d=\"M{5} {6}L{7} {8}\" stroke=\"{3}\" "
          "stroke-width=\"{4}\"/>",
          num(x), num(y), num(r * 0.85), c, num(std::max(1.0, r * 0.15)), num(x - 0.6 * r),
          num(y + 0.6 * r), num(x + 0.6 * r), num(y - 0.6 * r));
  }
  return "";
}

std::string seat_legend(const std::vector<Seat>& seats, double x, double y) {
  std::array<int, 5> count{};
  for (const Seat& s : seats) ++count[static_cast<std::size_t>(s.state)];
  std::string out = "<g class=\"legend\">\n";
  for (int k = 0; k < 5; ++k) {
    const auto state = static_cast<SeatState>(k);
    if (state == SeatState::kNoVote && count[4] == 0) continue;
    const std::string label =
        fmt::format("{} {}", seat_state_name(state), count[static_cast<std::size_t>(k)]);
    out += seat_shape(state, x + 7, y - 4, 6) + "\n";
    out += text(x + 17, y, label, "start", "class=\"legend-count\"");
    x += 34 + 7.0 * static_cast<double>(label.size());
  }
  return out + "</g>\n";
}

std::string seat_label(const Seat& s, double x, double y, double r) {
  const bool light = s.state == SeatState::kYes || s.state == SeatState::kNo;
  return text(x, y + 0.3 * r, s.label, "middle",
              fmt::format("class=\"seat-label\" style=\"font-size:{}px;fill:{}\"",
                          num(std::min(0.72 * r, 13.0)), light ? "#FFFFFF" : kInk));
}

}  // namespace

std::string hemicycle(const std::vector<Seat>& seats, std::string_view label) {
  const int n = static_cast<int>(seats.size());
  const Layout layout = seat_layout(n);
  constexpr double kWidth = 560, kTop = 24;
  const double radius = n > 15 ? 245 : 150;  // a few seats need less room
  const double seat_px = layout.seat_radius * radius;
  const double cx = kWidth / 2, cy = kTop + seat_px + radius;
  const double height = cy + seat_px + 36;
  std::string out = open_svg(kWidth, height, label);
  const bool labels = seat_px >= 10;
  for (std::size_t k = 0; k < seats.size(); ++k) {
    const double x = cx + layout.seats[k].x * radius, y = cy - layout.seats[k].y * radius;
    out += fmt::format("<g class=\"seat\"><title>{}</title>{}", escape(seats[k].tooltip),
                       seat_shape(seats[k].state, x, y, seat_px));
    if (labels) out += seat_label(seats[k], x, y, seat_px);
    out += "</g>\n";
  }
  out += seat_legend(seats, 16, height - 10);
  out += text(cx, cy - 4, count_noun(static_cast<long long>(n), "member"), "middle",
              "class=\"small\"");
  return out + "</svg>\n";
}

}  // namespace plenary::svg
