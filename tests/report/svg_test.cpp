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

}  // namespace
}  // namespace plenary::svg
