// Greedy label placement (sim/report/svg_labels.hpp).
#include "report/svg_labels.hpp"

#include <array>
#include <optional>

namespace plenary::svg {

namespace {

// The white halo drawn around label text (stroke-width 3px), on each side.
constexpr double kHalo = 1.5;
// Rings of candidate positions a required label may try, and how far apart they are.
constexpr int kRings = 6;
constexpr double kRingStep = 14;

// Ascent and descent of the text as fractions of the font size.
constexpr double kAscent = 0.8, kDescent = 0.25;

double height_of(const LabelRequest& r) { return (kAscent + kDescent) * r.font_size + 2 * kHalo; }

// The label's box when its top-left corner is at (x0, y0).
Box box_at(double x0, double y0, double w, double h) { return {x0, y0, x0 + w, y0 + h}; }

// The eight candidate boxes of ring `ring` around the point: right, left, above, below,
// then the diagonals.
std::array<Box, 8> candidates(const LabelRequest& r, int ring) {
  const double w = text_width(r.text, r.font_size, r.bold) + 2 * kHalo;
  const double h = height_of(r);
  const double gap = r.radius + 3 + kRingStep * ring;
  const double d = 0.7 * gap;
  return {box_at(r.x + gap, r.y - h / 2, w, h),     box_at(r.x - gap - w, r.y - h / 2, w, h),
          box_at(r.x - w / 2, r.y - gap - h, w, h), box_at(r.x - w / 2, r.y + gap, w, h),
          box_at(r.x + d, r.y - d - h, w, h),       box_at(r.x - d - w, r.y - d - h, w, h),
          box_at(r.x + d, r.y + d, w, h),           box_at(r.x - d - w, r.y + d, w, h)};
}

bool meets_any(const Box& b, const std::vector<Box>& boxes) {
  for (const Box& o : boxes) {
    if (b.intersects(o)) return true;
  }
  return false;
}

PlacedLabel placed(std::size_t k, const LabelRequest& r, const Box& b, int ring) {
  return {k, b.x0 + kHalo, b.y0 + kHalo + kAscent * r.font_size, b, ring > 0};
}

// The position of one label, or nullopt for an optional label with no clear room.
std::optional<PlacedLabel> place_one(std::size_t k, const LabelRequest& r,
                                     const std::vector<Box>& taken, const std::vector<Box>& glyphs,
                                     const Box& bounds) {
  std::optional<PlacedLabel> first_in_bounds;
  for (int ring = 0; ring < (r.required ? kRings : 1); ++ring) {
    std::optional<PlacedLabel> over_glyphs;
    for (const Box& b : candidates(r, ring)) {
      if (!b.within(bounds)) continue;
      if (!first_in_bounds) first_in_bounds = placed(k, r, b, ring);
      if (meets_any(b, taken)) continue;
      if (!meets_any(b, glyphs)) return placed(k, r, b, ring);
      if (!over_glyphs) over_glyphs = placed(k, r, b, ring);
    }
    if (r.required && over_glyphs) return over_glyphs;
  }
  return r.required ? first_in_bounds : std::nullopt;
}

}  // namespace

double text_width(std::string_view text, double font_size, bool bold) {
  double em = 0;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((u & 0xC0) == 0x80) continue;  // a UTF-8 continuation byte: counted with its lead
    if (c == ' ' || c == '.' || c == ',' || c == ':' || c == 'i' || c == 'l' || c == 'j') {
      em += 0.34;
    } else if (c == 'M' || c == 'W' || c == 'm' || c == 'w') {
      em += 0.9;
    } else if (c >= 'a' && c <= 'z') {
      em += 0.62;
    } else {
      em += 0.74;  // capitals, digits, other signs
    }
  }
  return em * font_size * (bold ? 1.08 : 1.0);
}

std::vector<PlacedLabel> place_labels(const std::vector<LabelRequest>& requests,
                                      const std::vector<Box>& glyphs, const Box& bounds) {
  std::vector<PlacedLabel> out;
  std::vector<Box> taken;
  for (std::size_t k = 0; k < requests.size(); ++k) {
    const std::optional<PlacedLabel> p = place_one(k, requests[k], taken, glyphs, bounds);
    if (!p) continue;
    taken.push_back(p->box);
    out.push_back(*p);
  }
  return out;
}

}  // namespace plenary::svg
