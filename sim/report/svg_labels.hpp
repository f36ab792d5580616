#pragma once
// Labels of a scatter chart (the policy space of docs/report.md) placed so that no two
// overlap: greedy and deterministic, over a few candidate positions around each point.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace plenary::svg {

/// A rectangle in SVG pixels (y grows downwards).
struct Box {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  /// True when the two share more than an edge.
  bool intersects(const Box& o) const { return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1; }
  /// True when this box lies wholly within `o`.
  bool within(const Box& o) const { return x0 >= o.x0 && x1 <= o.x1 && y0 >= o.y0 && y1 <= o.y1; }
};

/// The width in pixels of `text` at `font_size`, estimated on the wide side for the
/// report's sans-serif fonts (DejaVu Sans, Liberation Sans, Arial), so that boxes that do
/// not meet on paper do not meet on screen either.
double text_width(std::string_view text, double font_size, bool bold);

/// A point to label.
struct LabelRequest {
  double x = 0, y = 0;  ///< the point, in pixels
  double radius = 0;    ///< half the size of its glyph, which the label keeps clear of
  std::string text;
  double font_size = 11;  ///< pixels
  bool bold = false;
  /// A required label (a draft, a status quo, a named member) is placed even if only far
  /// from its point (with a leader line) or over other glyphs; an optional one only beside
  /// its point and clear of every glyph, else it is left out.
  bool required = false;
};

/// A label as placed.
struct PlacedLabel {
  std::size_t request = 0;  ///< its index in the requests
  double x = 0, y = 0;      ///< where its text starts (text-anchor start) and its baseline
  Box box;                  ///< the text's box, its white halo included
  bool leader = false;      ///< placed away from its point: a line joins them
};

/// Places the labels in the order given (so the first are the surest to find room). Each
/// goes to the first candidate position around its point (right, left, above, below, then
/// the diagonals; for a required label then farther out, ring by ring) whose box lies
/// within `bounds` and meets no label placed before; one that also covers no glyph of
/// `glyphs` is preferred within a ring. No two placed boxes intersect, unless a required
/// label finds no room at all in six rings (then it takes its first position in bounds).
std::vector<PlacedLabel> place_labels(const std::vector<LabelRequest>& requests,
                                      const std::vector<Box>& glyphs, const Box& bounds);

}  // namespace plenary::svg
