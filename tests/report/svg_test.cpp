// The SVG building blocks of the HTML report: escaping, coordinates, ticks, colours.
#include <gtest/gtest.h>

#include "report/svg_base.hpp"
#include "report/svg_charts.hpp"

namespace plenary::svg {
namespace {

TEST(Svg, EscapesMarkupAndQuotes) {
  EXPECT_EQ(escape("a<b>&\"c\"'d'"), "a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39;");
  EXPECT_EQ(escape("Côte d\u2019Ivoire"), "Côte d\u2019Ivoire");  // UTF-8 passes through
}

TEST(Svg, WritesCoordinatesWithOneDecimal) {
  EXPECT_EQ(num(1.25), "1.2");
  EXPECT_EQ(num(-0.01), "0.0");
  EXPECT_EQ(num(560), "560.0");
}

TEST(Svg, ChoosesRoundTicks) {
  EXPECT_EQ(nice_ticks(0, 193, 5, true), (std::vector<double>{0, 50, 100, 150}));
  EXPECT_EQ(nice_ticks(0, 2, 5, true), (std::vector<double>{0, 1, 2}));
  EXPECT_EQ(nice_ticks(-1, 1, 4, false), (std::vector<double>{-1, -0.5, 0, 0.5, 1}));
  EXPECT_EQ(tick_label(0.5, 0.5), "0.5");
  EXPECT_EQ(tick_label(-0.0, 0.5), "0.0");
  EXPECT_EQ(tick_label(150, 50), "150");
}

TEST(Svg, MapsViridisEndsAndClamps) {
  EXPECT_EQ(viridis(0), "#440154");
  EXPECT_EQ(viridis(1), "#FDE725");
  EXPECT_EQ(viridis(-3), "#440154");
  EXPECT_EQ(viridis(7), "#FDE725");
}

TEST(Svg, GivesEverySeatAShapeAndItsHoverText) {
  std::vector<Seat> seats;
  for (int k = 0; k < 5; ++k) {
    seats.push_back(
        {"C" + std::to_string(k), "member " + std::to_string(k), static_cast<SeatState>(k)});
  }
  const std::string chart = hemicycle(seats, "five");
  for (int k = 0; k < 5; ++k) {
    EXPECT_NE(chart.find("<title>member " + std::to_string(k) + "</title>"), std::string::npos);
  }
  EXPECT_NE(chart.find("<circle"), std::string::npos);   // Yes
  EXPECT_NE(chart.find("<rect"), std::string::npos);     // No
  EXPECT_NE(chart.find("<polygon"), std::string::npos);  // Abstain
  EXPECT_NE(chart.find("No vote (Art. 19) 1"), std::string::npos);
}

// Labels crowded on one spot: the required ones all find room (farther out, with leader
// lines), no two meet, every box stays in bounds; optional ones are left out rather than
// overlap or cover a glyph.
TEST(Svg, PlacesCrowdedLabelsWithoutOverlap) {
  const Box bounds{0, 0, 400, 300};
  std::vector<LabelRequest> requests;
  std::vector<Box> glyphs;
  for (int k = 0; k < 12; ++k) {
    requests.push_back({200, 150, 5, "R" + std::to_string(k), 11, false, true});
    glyphs.push_back({195, 145, 205, 155});
  }
  requests.push_back({200, 150, 5, "OPT", 11, false, false});
  requests.push_back({20, 20, 5, "FAR", 11, false, false});  // alone: fits
  const std::vector<PlacedLabel> labels = place_labels(requests, glyphs, bounds);
  ASSERT_EQ(labels.size(), 13u);
  int leaders = 0;
  for (std::size_t a = 0; a < labels.size(); ++a) {
    EXPECT_TRUE(labels[a].box.within(bounds)) << requests[labels[a].request].text;
    leaders += labels[a].leader ? 1 : 0;
    for (std::size_t b = a + 1; b < labels.size(); ++b) {
      EXPECT_FALSE(labels[a].box.intersects(labels[b].box))
          << requests[labels[a].request].text << " meets " << requests[labels[b].request].text;
    }
  }
  EXPECT_EQ(labels[0].leader, false);  // the first has the ring next to its point
  EXPECT_GT(leaders, 0);
  EXPECT_EQ(requests[labels.back().request].text, "FAR");  // OPT was left out
  // A label is as wide as its text: a longer text, a wider box.
  EXPECT_LT(text_width("USA", 11, false), text_width("status quo", 11, false));
  EXPECT_LT(text_width("GGE", 12, false), text_width("GGE", 12, true));
}

}  // namespace
}  // namespace plenary::svg
