// `plenary forecast`: a session's roll calls forecast from the record before it
// (docs/forecast.md). The library computes; this file parses flags, prints and writes.
#include <fmt/format.h>

#include <cstdio>
#include <memory>

#include "cli/commands.hpp"
#include "plenary/calibrate/vote_data.hpp"
#include "plenary/calibrate/vote_matrix.hpp"
#include "plenary/forecast/forecast.hpp"
#include "plenary/util/atomic_file.hpp"
#include "plenary/util/error.hpp"

namespace plenary::cli {

namespace {

namespace fc = plenary::forecast;

struct ForecastArgs {
  std::string votes;
  int session = 0;
  std::string train;
  int dims = 2;
  std::string out = "forecast.csv";
  std::string json;
  bool score = false;
  bool quiet = false;
};

void print_summary(const calibrate::VoteData& data, const fc::Forecast& f) {
  const fc::Stage& s = f.main;
  fmt::print("forecast of session {}: {} roll calls with kin, {} without, {} members\n", s.target,
             s.items.size(), s.skipped.size(), s.members.size());
  fmt::print(
      "window: sessions {} ({} roll calls, {} votes); drift variance {:.4f} (se {:.4f}) per "
      "session, {} sweeps{}\n",
      fmt::join(s.window, ","), s.fitted_roll_calls, s.fitted_cells, s.drift_variance, s.drift_se,
      s.rounds, s.converged ? "" : " (NOT converged)");
  if (!f.blend_stages.empty()) {
    std::vector<int> targets;
    for (const fc::Stage& b : f.blend_stages) targets.push_back(b.target);
    std::vector<int> sweeps;
    for (const fc::Stage& b : f.blend_stages) sweeps.push_back(b.rounds);
    fmt::print(
        "blend fitted on sessions {} ({} votes, each forecast from the {} sessions before it; "
        "their fits took {} sweeps):",
        fmt::join(targets, ","), f.weights.cells, f.main.window.size(), fmt::join(sweeps, ","));
  } else {
    fmt::print("blend: no session before the window to fit on; spatial model alone:");
  }
  for (int k = 0; k < fc::kBlendWeights; ++k) {
    fmt::print(" {} {:.3f} ({:.3f})", fc::kBlendWeightNames[k], f.weights.w(k), f.weights.se(k));
  }
  fmt::print("\n{:.3f} s\n", f.seconds);
  (void)data;
}

int run(const ForecastArgs& a) {
  fc::ForecastOptions o;
  o.session = a.session;
  o.dynamic.dims = a.dims;
  if (!a.train.empty()) {
    try {
      o.train = calibrate::parse_session_range(a.train);
    } catch (const UsageError& e) {
      // The parser names calibrate's flag; this command's is --train.
      std::string message = e.message();
      if (message.rfind("--sessions", 0) == 0) message.replace(0, 10, "--train");
      throw UsageError(message);
    }
  }
  if (!a.out.empty()) check_writable(a.out);
  if (!a.json.empty()) check_writable(a.json);
  const calibrate::VoteData data = calibrate::load_vote_data(a.votes);
  const fc::Forecast f = fc::run_forecast(data, o);
  std::optional<fc::Score> score;
  if (a.score) score = fc::score_forecast(data, f);
  for (const fc::SkippedItem& k : f.main.skipped) {
    fmt::print(stderr, "plenary forecast: no forecast for roll call {} ({}): {}\n",
               data.roll_calls[k.roll_call].rcid, data.roll_calls[k.roll_call].title, k.reason);
  }
  if (!a.out.empty()) write_file_atomically(a.out, fc::format_csv(data, f));
  if (!a.json.empty()) write_file_atomically(a.json, fc::format_json(data, f, o));
  if (!a.quiet) print_summary(data, f);
  if (score) fmt::print("{}", fc::format_score(*score, o.session));
  return 0;
}

}  // namespace

void add_forecast_command(CLI::App& app, int& exit_code) {
  auto a = std::make_shared<ForecastArgs>();
  CLI::App* sub = app.add_subcommand(
      "forecast",
      "Forecast every member's vote on a session's roll calls from the record before it");
  sub->footer(
      "The agenda is the session's roll calls in roll_calls.csv; its recorded votes, if any, are "
      "never used for the forecast (only by --score). Each item is matched to its kin, the "
      "latest earlier roll call on the same resolution; items without kin are listed on "
      "standard error. Positions come from a dynamic ordered ideal-point model whose drift "
      "variance is estimated; the member's votes on the kin and on the kin's own kin, its "
      "abstention habit and its habit of repeating an Abstain or No are blended in with "
      "weights fitted, by the same pipeline and under a prior centred on repeating the kin, "
      "on the training window's last three sessions. Output CSV: "
      "rcid,code,p_yes,p_no,p_abstain,kin_rcid, "
      "probabilities of each vote given that the member votes. See docs/forecast.md.");
  sub->add_option("--votes", a->votes,
                  "Directory with votes.csv, roll_calls.csv, roll_call_issues.csv")
      ->required();
  sub->add_option("--session", a->session, "Session to forecast (its roll calls are the agenda)")
      ->required();
  sub->add_option("--train", a->train,
                  "Training sessions A-B, B before the session (default: the 8 sessions with "
                  "votes before it)");
  sub->add_option("--dims", a->dims, "Dimensions of the positions, 1-3")->capture_default_str();
  sub->add_option("--out,-o", a->out, "Write the forecast CSV here")->capture_default_str();
  sub->add_option("--json", a->json,
                  "Write kin, placements with standard errors, drift variance and blend "
                  "weights (JSON)");
  sub->add_flag("--score", a->score,
                "Score the forecast against the session's recorded votes, with the baselines "
                "'all Yes' and 'repeat the kin's vote'");
  sub->add_flag("--quiet,-q", a->quiet, "Print no summary (the score is still printed)");
  sub->callback([a, &exit_code] { exit_code = run(*a); });
}

}  // namespace plenary::cli
