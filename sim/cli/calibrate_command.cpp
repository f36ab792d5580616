// `plenary calibrate`: members' positions from recorded General Assembly votes
// (docs/calibration.md). The library computes; this file parses flags, prints and writes.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "plenary/calibrate/calibrate.hpp"
#include "plenary/calibrate/place_roll_calls.hpp"
#include "plenary/util/atomic_file.hpp"
#include "plenary/util/error.hpp"
#include "plenary/util/text.hpp"

namespace plenary::cli {

namespace {

namespace cal = plenary::calibrate;

struct CalibrateArgs {
  std::string votes;
  std::string sessions;
  std::string issues;
  bool important_only = false;
  bool drop_amendments = false;
  int dims = 2;
  std::string link = "logit";
  std::string model = "binary";
  std::string habits = "on";
  double habit_precision = cal::HabitOptions{}.precision;
  double habit_floor = cal::HabitOptions{}.floor;
  double absence_prior = cal::HabitOptions{}.absence_prior;
  double min_minority = 0.025;
  int min_votes = 20;
  int bootstrap = 0;
  double holdout = 0.1;
  std::uint64_t seed = cal::CalibrationOptions{}.seed;
  double tolerance = cal::EstimatorOptions{}.tolerance;
  std::string out;
  std::string agreement;
  std::string report;
  std::string matrix;
  std::string roll_calls;
  std::string positions;
  bool quiet = false;
};

cal::CalibrationOptions options_from(const CalibrateArgs& a, const cal::VoteData& data) {
  cal::CalibrationOptions o;
  if (a.sessions.empty()) {
    // Default window: every session in the data.
    o.window.first_session = data.roll_calls.empty() ? 1 : data.roll_calls.front().session;
    o.window.last_session = o.window.first_session;
    for (const cal::RollCall& rc : data.roll_calls) {
      o.window.first_session = std::min(o.window.first_session, rc.session);
      o.window.last_session = std::max(o.window.last_session, rc.session);
    }
  } else {
    std::tie(o.window.first_session, o.window.last_session) = cal::parse_session_range(a.sessions);
  }
  if (!a.issues.empty()) o.window.issues = cal::parse_issue_list(a.issues);
  o.window.important_only = a.important_only;
  o.window.drop_amendments = a.drop_amendments;
  o.window.min_minority = a.min_minority;
  o.window.min_votes = a.min_votes;
  o.estimator.dims = a.dims;
  o.estimator.link = a.link == "probit" ? cal::Link::kProbit : cal::Link::kLogit;
  o.estimator.model =
      a.model == "ordered" ? cal::IdealPointModel::kOrdered : cal::IdealPointModel::kBinary;
  o.estimator.tolerance = a.tolerance;
  o.habits = a.habits == "on";
  o.habit.precision = a.habit_precision;
  o.habit.floor = a.habit_floor;
  o.habit.absence_prior = a.absence_prior;
  if (o.estimator.model != cal::IdealPointModel::kOrdered &&
      (a.habits != "on" || a.habit_precision != cal::HabitOptions{}.precision ||
       a.habit_floor != cal::HabitOptions{}.floor ||
       a.absence_prior != cal::HabitOptions{}.absence_prior)) {
    throw UsageError(
        "--habits, --habit-precision, --habit-floor and --absence-prior apply to --model ordered "
        "only (the "
        "binary model has no abstention to estimate a habit from)");
  }
  o.bootstrap = a.bootstrap;
  o.holdout_share = a.holdout;
  o.seed = a.seed;
  return o;
}

// The command that reproduces a positions file, for its header.
std::string command_line(const CalibrateArgs& a, const cal::CalibrationOptions& o) {
  std::string c = fmt::format("plenary calibrate --votes {} --sessions {}-{}", a.votes,
                              o.window.first_session, o.window.last_session);
  if (!a.issues.empty()) c += " --issues " + a.issues;
  if (a.important_only) c += " --important-only";
  if (a.drop_amendments) c += " --drop-amendments";
  c += fmt::format(" --dims {}", o.estimator.dims);
  if (o.estimator.model != cal::IdealPointModel::kBinary) {
    c += fmt::format(" --model {}", cal::model_name(o.estimator.model));
  }
  if (o.estimator.link != cal::Link::kLogit) c += fmt::format(" --link {}", o.estimator.link);
  if (o.estimator.model == cal::IdealPointModel::kOrdered && !o.habits) c += " --habits off";
  if (o.estimator.model == cal::IdealPointModel::kOrdered && o.habits) {
    if (o.habit.precision != cal::HabitOptions{}.precision) {
      c += fmt::format(" --habit-precision {:g}", o.habit.precision);
    }
    if (o.habit.floor != cal::HabitOptions{}.floor) {
      c += fmt::format(" --habit-floor {:g}", o.habit.floor);
    }
    if (o.habit.absence_prior != cal::HabitOptions{}.absence_prior) {
      c += fmt::format(" --absence-prior {:g}", o.habit.absence_prior);
    }
  }
  c +=
      fmt::format(" --min-minority {:g} --min-votes {}", o.window.min_minority, o.window.min_votes);
  if (o.bootstrap > 0) c += fmt::format(" --bootstrap {} --seed {}", o.bootstrap, o.seed);
  if (!a.out.empty()) c += " --out " + a.out;
  return c;
}

// One line on the habits: their spread and the members most and least given to abstaining.
void print_habits(const cal::Calibration& r, double floor) {
  const Eigen::VectorXd& h = r.habits.abstain_habit;
  Eigen::Index low = 0;
  Eigen::Index high = 0;
  h.minCoeff(&low);
  h.maxCoeff(&high);
  const auto code = [&](Eigen::Index i) {
    return r.matrix.members[static_cast<std::size_t>(i)].alpha3;
  };
  fmt::print(
      "habits: abstain_habit mean {:.3f}, sd {:.3f}, from {:.3f} ({}) to {:.3f} ({}), {} at "
      "the floor {:g}; absence pooled {:.4f}, {:.3f} s\n",
      h.mean(), std::sqrt((h.array() - h.mean()).square().mean()), h(low), code(low), h(high),
      code(high), (h.array() <= floor).count(), floor, r.habits.pooled_absence, r.habit_seconds);
}

void print_summary(const cal::Calibration& r, const cal::CalibrationOptions& o) {
  const cal::VoteMatrix& m = r.matrix;
  for (const cal::UnmappedCode& u : m.unmapped) {
    fmt::print("warning: cannot map country code '{}' ({}): its {} left out\n", u.code, u.country,
               u.votes == 1 ? "vote is" : fmt::format("{} votes are", u.votes));
  }
  fmt::print("window: {} in sessions {}-{} ({} to {})\n",
             count_noun(static_cast<long long>(m.window_rcids.size()), "roll call"),
             o.window.first_session, o.window.last_session, m.first_date, m.last_date);
  fmt::print("dropped {} (Yes/No minority under {:g}%), {} left\n",
             count_noun(static_cast<long long>(m.dropped_lopsided), "lopsided roll call"),
             100.0 * o.window.min_minority, m.rcids.size());
  fmt::print("dropped {} with fewer than {}{}\n",
             count_noun(static_cast<long long>(m.dropped_members.size()), "member"),
             count_noun(o.window.min_votes, "Yes/No vote"), m.dropped_members.empty() ? "" : ":");
  for (const cal::DroppedMember& d : m.dropped_members) {
    fmt::print("  {} {} ({})\n", d.state.alpha3, d.state.name, count_noun(d.votes, "vote"));
  }
  fmt::print("estimated {} x {} in {} ({}{}): {}{}, {:.3f} s\n",
             count_noun(static_cast<long long>(m.members.size()), "member"),
             count_noun(static_cast<long long>(m.rcids.size()), "roll call"),
             count_noun(o.estimator.dims, "dimension"),
             o.estimator.model == cal::IdealPointModel::kOrdered ? "ordered " : "",
             o.estimator.link, count_noun(r.estimate.iterations, "iteration"),
             r.estimate.converged ? "" : " (NOT converged)", r.seconds);
  fmt::print(
      "fit: PCC {:.4f} (majority {:.4f}), APRE {:.4f}, log-likelihood {:.1f} over {} {}votes\n",
      r.fit.pcc, r.fit.majority_pcc, r.fit.apre, r.fit.log_likelihood, r.fit.cells,
      o.estimator.model == cal::IdealPointModel::kOrdered ? "Yes/Abstain/No " : "Yes/No ");
  if (r.has_habits) print_habits(r, o.habit.floor);
  if (r.holdout.cells > 0) {
    fmt::print("hold-out: PCC {:.4f} on {} hidden votes ({:g}%), {:.3f} s\n", r.holdout.pcc,
               r.holdout.cells, 100.0 * o.holdout_share, r.holdout_seconds);
  }
  if (r.bootstrap_se) {
    fmt::print("bootstrap: {}, {:.3f} s\n", count_noun(o.bootstrap, "replicate"),
               r.bootstrap_seconds);
  }
}

int place(const CalibrateArgs& a, const cal::VoteData& data) {
  if (a.positions.empty()) throw UsageError("--roll-calls needs --positions FILE");
  const std::vector<int> rcids = cal::parse_rcid_list(a.roll_calls);
  const cal::PositionsFile file = cal::read_positions(a.positions);
  cal::EstimatorOptions e;
  e.link = a.link == "probit" ? cal::Link::kProbit : cal::Link::kLogit;
  e.model = a.model == "ordered" ? cal::IdealPointModel::kOrdered : cal::IdealPointModel::kBinary;
  const auto placed = cal::place_roll_calls(data, file, rcids, e);
  if (!a.report.empty()) write_file_atomically(a.report, cal::format_placed(placed, e.link));
  if (a.quiet) return 0;
  fmt::print("{:>6} {:>7} {:>4} {:>4} {:>7} {:>7}  {}\n", "rcid", "session", "yes", "no", "PCC",
             "majority", "title");
  for (const cal::PlacedRollCall& p : placed) {
    fmt::print("{:>6} {:>7} {:>4} {:>4} {:>7.4f} {:>7.4f}  {}\n", p.rcid, p.session, p.yes, p.no,
               p.pcc, p.majority_pcc, p.title);
  }
  return 0;
}

int run(const CalibrateArgs& a) {
  const cal::VoteData data = cal::load_vote_data(a.votes);
  if (!a.roll_calls.empty()) return place(a, data);
  if (!a.positions.empty()) throw UsageError("--positions is only used with --roll-calls");
  const cal::CalibrationOptions o = options_from(a, data);
  const cal::Calibration r = cal::calibrate(data, o);
  // Files first, so that a failure to write is the last thing the user sees.
  if (!a.out.empty()) write_file_atomically(a.out, cal::format_positions(r, o, command_line(a, o)));
  if (!a.agreement.empty()) write_file_atomically(a.agreement, cal::format_agreement(r.matrix));
  if (!a.report.empty()) write_file_atomically(a.report, cal::format_report(r, o));
  if (!a.matrix.empty()) write_file_atomically(a.matrix, cal::format_matrix(r.matrix));
  if (!a.quiet) print_summary(r, o);
  return 0;
}

}  // namespace

void add_calibrate_command(CLI::App& app, int& exit_code) {
  auto a = std::make_shared<CalibrateArgs>();
  CLI::App* sub = app.add_subcommand(
      "calibrate", "Estimate members' positions from recorded General Assembly votes");
  sub->add_option("--votes", a->votes,
                  "Directory with Voeten's votes.csv, roll_calls.csv, roll_call_issues.csv (each "
                  "plain or .csv.gz; the repository ships data/unga), or one CSV file (.csv or "
                  ".csv.gz) of the UN's General Assembly Voting Data, long or wide form")
      ->required();
  sub->add_option("--sessions", a->sessions, "Session or range, e.g. 65-72 (default: all)");
  sub->add_option("--issues", a->issues,
                  "Keep roll calls on these issues: me,nu,di,hr,co,ec (Voeten's data only)");
  sub->add_flag("--important-only", a->important_only,
                "Keep only votes listed as important (Voeten's data only)");
  sub->add_flag("--drop-amendments", a->drop_amendments,
                "Drop votes on amendments and paragraphs (kept by default)");
  sub->add_option("--dims", a->dims, "Dimensions, 1-3")->capture_default_str();
  sub->add_option("--link", a->link, "logit or probit")
      ->check(CLI::IsMember({"logit", "probit"}))
      ->capture_default_str();
  sub->add_option("--model", a->model,
                  "binary (Yes against No, abstention missing) or ordered (No < Abstain < Yes)")
      ->check(CLI::IsMember({"binary", "ordered"}))
      ->capture_default_str();
  sub->add_option("--habits", a->habits,
                  "Ordered model: estimate members' abstention habits and shrunk absence and "
                  "write them (on) or not (off)")
      ->check(CLI::IsMember({"on", "off"}))
      ->capture_default_str();
  sub->add_option("--habit-precision", a->habit_precision,
                  "Prior precision of a habit, h ~ N(0, 1/precision)")
      ->capture_default_str();
  sub->add_option("--habit-floor", a->habit_floor,
                  "Lowest habit written (<= 0); -1 suits drafts with the default cut points")
      ->capture_default_str();
  sub->add_option("--absence-prior", a->absence_prior,
                  "Prior weight, in roll calls, shrinking absence towards the pooled share")
      ->capture_default_str();
  sub->add_option("--min-minority", a->min_minority,
                  "Drop roll calls whose Yes/No minority share is below this")
      ->capture_default_str();
  sub->add_option("--min-votes", a->min_votes, "Drop members with fewer Yes/No votes")
      ->capture_default_str();
  sub->add_option("--bootstrap", a->bootstrap, "Parametric-bootstrap replicates for the se");
  sub->add_option("--holdout", a->holdout, "Share of votes hidden for the hold-out PCC; 0: skip")
      ->capture_default_str();
  sub->add_option("--seed", a->seed, "Seed of the hold-out and bootstrap draws")
      ->capture_default_str()
      ->check(seed_check());
  sub->add_option("--tolerance", a->tolerance, "Relative convergence tolerance")
      ->capture_default_str();
  sub->add_option("--out,-o", a->out, "Write the positions file (YAML)");
  sub->add_option("--agreement", a->agreement, "Write pairwise agreement scores (CSV)");
  sub->add_option("--report", a->report, "Write the fit report (JSON)");
  sub->add_option("--matrix", a->matrix, "Write the Yes/No matrix estimated on (CSV)");
  sub->add_option("--roll-calls", a->roll_calls,
                  "Place these roll calls (ids, comma-separated) in the space of --positions");
  sub->add_option("--positions", a->positions, "Positions file for --roll-calls");
  sub->add_flag("--quiet,-q", a->quiet, "Print nothing on standard output");
  sub->callback([a, &exit_code] { exit_code = run(*a); });
}

}  // namespace plenary::cli
