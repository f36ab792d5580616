// The HTML report (docs/report.md) checked for its content: the charts of every draft, the
// member labels, the numbers of the JSON, reproducibility facts, escaping, self-containment,
// determinism, and clear errors without a partial file.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "plenary/report/compare_report.hpp"
#include "plenary/report/html.hpp"
#include "plenary/report/report.hpp"
#include "plenary/scenario/generate.hpp"
#include "plenary/scenario/loader.hpp"
#include "plenary/scenario/what_if.hpp"
#include "plenary/stats/compare.hpp"
#include "report/html_page.hpp"
#include "report/svg_base.hpp"
#include "report/svg_figures.hpp"

namespace plenary {
namespace {

namespace fs = std::filesystem;

/// A scenario run to the end: everything a report needs.
struct SimulatedRun {
  Scenario scenario;
  Model model;
  Results results;
  Summary summary;

  explicit SimulatedRun(Scenario s, long replicates = 0, int threads = 1) : scenario(std::move(s)) {
    model = compile(scenario);
    RunOptions options;
    options.replicates = replicates > 0 ? replicates : scenario.run.replicates;
    options.seed = scenario.run.seed;
    options.threads = threads;
    results = simulate(model, options);
    summary = summarise(model, results, scenario.run.thresholds);
  }
  ReportRun view() const { return {scenario, model, results, summary}; }
  std::string html() const { return html_report(view()); }
};

Scenario example() { return load_scenario(PLENARY_SOURCE_DIR "/scenarios/example.yaml"); }

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// The part of the page about draft r (1-based), up to the next draft.
std::string section(const std::string& html, std::size_t r) {
  const auto begin = html.find(fmt::format("<section class=\"draft\" id=\"draft-{}\">", r));
  const auto end = html.find("</section>", begin);
  if (begin == std::string::npos || end == std::string::npos) return "";
  return html.substr(begin, end - begin);
}

// The text after the first `begin` in `text`, up to the next `end`.
std::string text_between(const std::string& text, const std::string& begin,
                         const std::string& end) {
  const auto at = text.find(begin);
  if (at == std::string::npos) return "(no " + begin + ")";
  const auto from = at + begin.size();
  return text.substr(from, text.find(end, from) - from);
}

// The text of the value cell that names `json` in its data-json attribute.
std::string cell(const std::string& html, const std::string& json) {
  const std::string key = "data-json=\"" + json + "\">";
  const auto at = html.find(key);
  if (at == std::string::npos) return "(no cell " + json + ")";
  const auto from = at + key.size();
  return html.substr(from, html.find('<', from) - from);
}

class ExampleReport : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    run_ = new SimulatedRun(example());
    html_ = new std::string(run_->html());
    json_ = new nlohmann::json(
        nlohmann::json::parse(json_report(run_->scenario, run_->model, run_->summary)));
  }
  static void TearDownTestSuite() {
    delete run_;
    delete html_;
    delete json_;
  }
  static SimulatedRun* run_;
  static std::string* html_;
  static nlohmann::json* json_;
};
SimulatedRun* ExampleReport::run_ = nullptr;
std::string* ExampleReport::html_ = nullptr;
nlohmann::json* ExampleReport::json_ = nullptr;

TEST_F(ExampleReport, IsOneHtmlDocument) {
  EXPECT_TRUE(html_->starts_with("<!DOCTYPE html>\n<html lang=\"en\">")) << html_->substr(0, 80);
  EXPECT_TRUE(html_->ends_with("</body>\n</html>\n"));
  EXPECT_EQ(count(*html_, "<svg "), count(*html_, "</svg>"));
  EXPECT_EQ(count(*html_, "<g"), count(*html_, "</g>"));
  EXPECT_EQ(count(*html_, "<section"), 2u);
}

TEST_F(ExampleReport, DrawsFourChartsPerDraft) {
  EXPECT_EQ(count(*html_, "<svg "), 8u);
  for (const char* id : {"GGE", "OEWG"}) {
    for (const char* chart :
         {"Co-sponsors by round", "Most likely vote of each member", "Recorded Yes and No counts",
          "Members in the policy space by P(co-sponsor)"}) {
      EXPECT_NE(html_->find(fmt::format("aria-label=\"{}, draft {}\"", chart, id)),
                std::string::npos)
          << chart << " " << id;
    }
  }
}

TEST_F(ExampleReport, LabelsEveryMemberInEveryChart) {
  for (std::size_t r = 1; r <= 2; ++r) {
    const std::string s = section(*html_, r);
    for (const Member& m : run_->scenario.members) {
      // One hover title on the seat, one on the point in the policy space.
      EXPECT_EQ(count(s, fmt::format("<title>{} {}: co-sponsor ", m.code, m.name)), 2u) << m.code;
      EXPECT_NE(s.find(fmt::format("class=\"seat-label\" style=\"font-size:13.0px;fill:#FFFFFF\">"
                                   "{}</text>",
                                   m.code)),
                std::string::npos)
          << m.code;
      EXPECT_NE(s.find(fmt::format("class=\"label halo\">{}</text>", m.code)), std::string::npos);
      EXPECT_NE(s.find(fmt::format("<tr><td>{}</td><td>{}</td>", m.code, m.name)),
                std::string::npos);
    }
  }
}

TEST_F(ExampleReport, ShowsTheNumbersOfTheJson) {
  const auto& drafts = (*json_)["drafts"];
  ASSERT_EQ(drafts.size(), 2u);
  for (std::size_t r = 0; r < drafts.size(); ++r) {
    const auto& d = drafts[r];
    const std::string s = section(*html_, r + 1);
    ASSERT_FALSE(s.empty());
    EXPECT_NE(s.find("<h2>Draft " + d["id"].get<std::string>()), std::string::npos);
    const double mean = d["sponsors"]["final"]["mean"];
    EXPECT_EQ(cell(s, "sponsors.final.mean"), fmt::format("{:.2f}", mean));
    for (const char* p : {"p_adopted", "p_without_vote", "p_withdrawn"}) {
      EXPECT_EQ(cell(s, fmt::format("{}.p", p)), fmt::format("{:.3f}", d[p]["p"].get<double>()));
    }
    EXPECT_EQ(cell(s, "p_reach.2.p"), fmt::format("{:.3f}", d["p_reach"]["2"]["p"].get<double>()));
    EXPECT_EQ(cell(s, "tally.replicates"), fmt::format("{}", d["tally"]["replicates"].get<long>()));
    for (const char* v : {"yes", "no", "abstain", "absent"}) {
      EXPECT_EQ(cell(s, fmt::format("tally.{}.mean", v)),
                fmt::format("{:.2f}", d["tally"][v]["mean"].get<double>()));
    }
    // The adoption line sits at the median recorded No + 1 (simple majority).
    const int yes = d["tally"]["no"]["p50"].get<int>() + 1;
    EXPECT_NE(s.find(fmt::format("adopted if Yes \u2265 {} (median No {})", yes, yes - 1)),
              std::string::npos);
  }
}

TEST_F(ExampleReport, SaysHowToReproduceIt) {
  EXPECT_NE(html_->find("<h1>Two rival drafts, three members</h1>"), std::string::npos);
  EXPECT_NE(html_->find(fmt::format("<code>plenary run {} --seed 7 --replicates 2000</code>",
                                    (*json_)["scenario_file"].get<std::string>())),
            std::string::npos);
  EXPECT_NE(html_->find((*json_)["scenario_sha256"].get<std::string>()), std::string::npos);
  EXPECT_NE(html_->find(fmt::format("plenary {}", kVersion)), std::string::npos);
  // Global theta_peer 2.5 (the scenario's), OEWG's override 2 marked.
  EXPECT_NE(html_->find("<tr><th>theta_peer</th><td class=\"n\">2.5</td><td class=\"n\">2.5</td>"
                        "<td class=\"n changed\">2 *</td></tr>"),
            std::string::npos);
  EXPECT_NE(html_->find("target 2"), std::string::npos);  // run.thresholds as a line
}

TEST_F(ExampleReport, NeedsNothingFromTheNetwork) {
  for (const char* forbidden : {"http://", "https://", "<script", "<link", "@import", "url(",
                                "src=", "xmlns", "@font-face"}) {
    EXPECT_EQ(html_->find(forbidden), std::string::npos) << forbidden;
  }
}

TEST_F(ExampleReport, IsTheSameBytesOnAnyNumberOfThreads) {
  EXPECT_EQ(SimulatedRun(example(), 0, 2).html(), *html_);
  EXPECT_EQ(SimulatedRun(example(), 0, 4).html(), *html_);
}

TEST(HtmlReport, EscapesScenarioText) {
  Scenario s = example();
  s.name = "<b>Peace & \"security\"</b>";
  s.drafts[0].title = "<script>alert('x')</script>";
  s.members[2].name = "Brazil <&>";
  const std::string html = SimulatedRun(std::move(s), 100).html();
  EXPECT_NE(html.find("<h1>&lt;b&gt;Peace &amp; &quot;security&quot;&lt;/b&gt;</h1>"),
            std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("BRA Brazil &lt;&amp;&gt;: co-sponsor"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("Brazil <&>"), std::string::npos);
}

TEST(HtmlReport, FillsOneSeatPerMemberOfAFullAssembly) {
  GenerateOptions options;  // bench-193
  Scenario s = generate_scenario(options);
  s.members[5].votes = false;  // in arrears under Article 19
  s.run.thresholds = {97};
  const SimulatedRun run(std::move(s), 200);
  const std::string html = run.html();
  for (std::size_t r = 1; r <= 2; ++r) {
    const std::string sec = section(html, r);
    EXPECT_EQ(count(sec, "<g class=\"seat\">"), 193u);
    EXPECT_EQ(count(sec, "class=\"seat-label\""), 0u) << "too many seats to label";
    EXPECT_NE(sec.find("No vote (Art. 19) 1</text>"), std::string::npos);
    const std::string seat = text_between(sec, "<title>M5 Member 5: co-sponsor ", "</title>");
    EXPECT_TRUE(seat.ends_with("%; no vote (Article 19) (most likely: No vote (Art. 19))")) << seat;
    // The legend's counts add up to the Assembly.
    int total = 0;
    const std::string key = "class=\"legend-count\">";
    for (auto at = sec.find(key); at != std::string::npos; at = sec.find(key, at + 1)) {
      const std::string entry = text_between(sec.substr(at), key, "</text>");
      total += std::stoi(entry.substr(entry.rfind(' ') + 1));
    }
    EXPECT_EQ(total, 193);
    EXPECT_NE(sec.find("target 97"), std::string::npos);
  }
}

// The policy space of the 193-member cyber scenarios: every draft, status quo and original
// sponsor labelled, other members where they fit, no two label boxes meeting, and the chart
// writes exactly the labels placed.
TEST(HtmlReport, PlacesPolicySpaceLabelsWithoutOverlap) {
  for (const std::string file : {"cyber-2018-competing.yaml", "cyber-2021-joint.yaml"}) {
    const SimulatedRun run(load_scenario(PLENARY_SOURCE_DIR "/scenarios/" + file), 40);
    ASSERT_EQ(run.model.members, 193);
    for (std::size_t r = 0; r < run.model.drafts.size(); ++r) {
      const svg::SpaceChart c = svg::space_data(run.view(), r);
      const std::vector<svg::PlacedLabel> labels = svg::space_labels(c);
      for (const svg::PlacedLabel& l : labels) {
        for (const svg::PlacedLabel& o : labels) {
          if (&o != &l) {
            EXPECT_FALSE(l.box.intersects(o.box)) << file << " draft " << r;
          }
        }
      }
      const std::string chart = svg::space_chart(c);
      std::size_t named = 0, markers_seen = 0;
      for (const svg::SpaceMarker& m : c.markers) {
        markers_seen += chart.find("class=\"marker-label halo\">" + svg::escape(m.label) +
                                   "</text>") != std::string::npos;
      }
      EXPECT_EQ(markers_seen, c.markers.size()) << file;
      for (const svg::SpacePoint& p : c.points) {
        if (!p.named) continue;
        ++named;
        EXPECT_NE(chart.find("class=\"label halo\">" + p.label + "</text>"), std::string::npos)
            << file << ": named member " << p.label;
      }
      EXPECT_GE(named, 1u) << file;
      EXPECT_GT(labels.size(), c.markers.size() + named + 20) << "members labelled where they fit";
      EXPECT_LT(labels.size(), c.markers.size() + c.points.size()) << "a crowded chart skips some";
      EXPECT_EQ(count(chart, "class=\"label halo\"") + count(chart, "class=\"marker-label halo\""),
                labels.size());
    }
  }
}

// A draft adopted without a vote is not drawn as a hemicycle of seats: a panel says what
// happened and in how many replicates, and the tallies say there was no recorded vote.
TEST(HtmlReport, SaysAdoptedWithoutAVoteInsteadOfDrawingSeats) {
  Scenario s = example();
  s.parameters.rho = 0;  // nobody ever asks for a recorded vote
  const SimulatedRun run(std::move(s), 200);
  const std::string html = run.html();
  EXPECT_EQ(html.find("Most likely vote of each member"), std::string::npos);
  for (std::size_t r = 1; r <= 2; ++r) {
    const std::string sec = section(html, r);
    EXPECT_NE(sec.find("<p class=\"headline\">Adopted without a vote</p>\n<p class=\"share\">in "
                       "100% of replicates (200 of 200)</p>\n<p>No recorded vote in any "
                       "replicate.</p>"),
              std::string::npos)
        << sec;
    EXPECT_NE(sec.find("Recorded votes: no recorded vote in any replicate"), std::string::npos);
  }
}

// A draft put to a recorded vote in most replicates keeps its seat chart, whose caption says
// how often the Assembly voted; its tallies say over which replicates they are means.
TEST_F(ExampleReport, SaysHowOftenTheAssemblyRecordedAVote) {
  for (std::size_t r = 0; r < 2; ++r) {
    const DraftCounts& c = run_->results.drafts[r];
    ASSERT_GT(c.recorded, c.without_vote);
    const std::string sec = section(*html_, r + 1);
    EXPECT_NE(sec.find(fmt::format("The Assembly recorded a vote in {} of replicates ({} of 2000)",
                                   html::share(c.recorded, 2000), c.recorded)),
              std::string::npos)
        << sec;
    EXPECT_NE(sec.find(fmt::format("Recorded votes: means over the {} of 2000 replicates with a "
                                   "recorded vote",
                                   c.recorded)),
              std::string::npos);
  }
  EXPECT_EQ(html::share(3992, 4000), "99.8%");
  EXPECT_EQ(html::share(1, 4000), "<0.1%");
  EXPECT_EQ(html::share(3999, 4000), ">99.9%");
  EXPECT_EQ(html::share(0, 4000), "0%");
  EXPECT_EQ(html::share(4000, 4000), "100%");
}

TEST(HtmlReport, PlacesOneDimensionalMembersOnALine) {
  GenerateOptions options;
  options.members = 20;
  options.dims = 1;
  const std::string html = SimulatedRun(generate_scenario(options), 100).html();
  EXPECT_NE(html.find("Members in the policy space (one dimension)"), std::string::npos);
  EXPECT_NE(html.find("(spread only to limit overlap)"), std::string::npos);
}

TEST(HtmlReport, MarksAdoptionForEitherMajority) {
  EXPECT_EQ(svg::adoption_yes(Majority::kSimple, 0), 1);
  EXPECT_EQ(svg::adoption_yes(Majority::kSimple, 54), 55);
  EXPECT_EQ(svg::adoption_yes(Majority::kTwoThirds, 0), 1);
  EXPECT_EQ(svg::adoption_yes(Majority::kTwoThirds, 1), 2);
  EXPECT_EQ(svg::adoption_yes(Majority::kTwoThirds, 40), 80);
}

TEST(HtmlReport, TakesTheLargestVoteProbabilityAsTheMostLikelyVote) {
  MemberSummary m;
  EXPECT_EQ(svg::most_likely_vote(m), svg::SeatState::kNoVote);
  m.p_yes = 0.3, m.p_no = 0.3, m.p_abstain = 0.1, m.p_absent = 0.3;
  EXPECT_EQ(svg::most_likely_vote(m), svg::SeatState::kYes);  // ties in Yes, No, ... order
  m.p_absent = 0.31;
  EXPECT_EQ(svg::most_likely_vote(m), svg::SeatState::kAbsent);
}

class HtmlReportFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           fmt::format("plenary-report-{}-{}", ::getpid(),
                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  bool empty_dir() const { return fs::is_empty(dir_); }
  fs::path dir_;
};

TEST_F(HtmlReportFile, IsWrittenWhole) {
  const SimulatedRun run(example(), 50);
  write_html_report(dir_ / "r.html", run.view());
  std::ifstream in(dir_ / "r.html", std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, run.html());
}

TEST_F(HtmlReportFile, RefusesARunWithoutReplicates) {
  SimulatedRun run(example(), 10);
  run.results.replicates = 0;
  run.summary.replicates = 0;
  try {
    write_html_report(dir_ / "r.html", run.view());
    FAIL() << "no error";
  } catch (const DataError& e) {
    EXPECT_STREQ(e.what(),
                 "cannot write the report: the run kept no replicates; run at least one "
                 "(--replicates)");
  }
  EXPECT_TRUE(empty_dir()) << "no partial or temporary file";
}

TEST_F(HtmlReportFile, RefusesResultsOfAnotherScenario) {
  const SimulatedRun run(example(), 10);
  GenerateOptions options;
  options.members = 5;
  const SimulatedRun other(generate_scenario(options), 10);
  try {
    write_html_report(dir_ / "r.html", {run.scenario, run.model, other.results, other.summary});
    FAIL() << "no error";
  } catch (const DataError& e) {
    EXPECT_STREQ(e.what(),
                 "cannot write the report: the results do not match scenario 'Two rival drafts, "
                 "three members' (3 members, 2 drafts, 10 rounds); report a run of this scenario");
  }
  EXPECT_TRUE(empty_dir());
}

TEST_F(HtmlReportFile, RefusesAnUnwritablePath) {
  const SimulatedRun run(example(), 10);
  const fs::path path = dir_ / "missing" / "r.html";
  try {
    write_html_report(path, run.view());
    FAIL() << "no error";
  } catch (const DataError& e) {
    EXPECT_EQ(std::string(e.what()), fmt::format("cannot write '{}': directory '{}' does not exist",
                                                 path.string(), (dir_ / "missing").string()));
  }
  EXPECT_THROW(write_html_report(dir_, run.view()), DataError);  // a directory
  EXPECT_TRUE(empty_dir());
}

}  // namespace
}  // namespace plenary

namespace plenary {
namespace {

// The comparison report: both scenarios, every figure of the comparison with the JSON's
// numbers, charts for A and B, and the members that move most.
TEST(CompareReport, ShowsBothScenariosTheDifferencesAndTheMovers) {
  const Scenario a = example();
  const WhatIfRun what_if = apply_what_ifs(example(), {{WhatIfKind::kForce, "BRA:GGE"}});
  const Scenario& b = what_if.scenario;
  const Model ma = compile(a);
  const Model mb = compile(b, what_if.constraints);
  RunOptions o;
  o.replicates = 300;
  o.seed = 7;
  ReplicateLog la, lb;
  o.log = &la;
  const Results rsa = simulate(ma, o);
  o.log = &lb;
  const Results rsb = simulate(mb, o);
  const Summary sa = summarise(ma, rsa, a.run.thresholds);
  const Summary sb = summarise(mb, rsb, b.run.thresholds);
  const Comparison c = compare({a, ma, la, 7}, {b, mb, lb, 7}, a.run.thresholds);
  const std::string html = compare_html({a, ma, rsa, sa}, {b, mb, rsb, sb}, c);
  const nlohmann::json j = nlohmann::json::parse(compare_json(a, b, c));
  EXPECT_EQ(count(html, "<svg "),
            2u * 2 * 2 + 2);  // fan + seats per draft and side, forest, movers
  EXPECT_NE(html.find("--force &#39;BRA:GGE&#39;"), std::string::npos);
  EXPECT_NE(html.find("common random numbers (seed 7)"), std::string::npos);
  for (const auto& f : j["overall"]) {
    const std::string row =
        text_between(html, "data-key=\"" + f["key"].get<std::string>() + "\"", "</tr>");
    EXPECT_NE(row.find(fmt::format("{:.3f}", f["a"].get<double>()).substr(0, 4)), std::string::npos)
        << row;
  }
  const std::string movers = text_between(html, "Members whose stance moves most</h2>", "</svg>");
  EXPECT_NE(movers.find("BRA Brazil"), std::string::npos);
  EXPECT_LT(movers.find("BRA Brazil"), movers.find("USA United States"));
  EXPECT_EQ(html.find("http"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
}

}  // namespace
}  // namespace plenary
