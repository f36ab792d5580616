// `plenary positions`: one year of Bailey, Strezhnev and Voeten's ideal points as a
// positions file (docs/calibration.md, "Standard positions").
#include <fmt/format.h>

#include <memory>

#include "cli/commands.hpp"
#include "plenary/calibrate/bsv.hpp"
#include "plenary/util/atomic_file.hpp"
#include "plenary/util/error.hpp"

namespace plenary::cli {

namespace {

namespace cal = plenary::calibrate;

struct PositionsArgs {
  std::string bsv;
  int year = 0;
  std::string estimate = "all";
  std::string members;
  std::string out;
  bool quiet = false;
};

int run(const PositionsArgs& a) {
  const cal::BsvEstimate estimate =
      a.estimate == "fp" ? cal::BsvEstimate::kFp : cal::BsvEstimate::kAll;
  const std::vector<cal::ListedMember> members =
      a.members.empty() ? cal::un_member_list() : cal::read_member_list(a.members);
  const cal::BsvPositions b = cal::read_bsv(a.bsv, a.year, estimate, members);
  std::string command =
      fmt::format("plenary positions --bsv {} --year {} --estimate {}", a.bsv, a.year, a.estimate);
  if (!a.members.empty()) command += " --members " + a.members;
  command += " --out " + a.out;
  write_file_atomically(a.out, cal::format_bsv_positions(b, command));
  if (!b.missing.empty()) {
    std::vector<std::string> codes;
    for (const cal::ListedMember& m : b.missing) codes.push_back(m.code);
    fmt::print(stderr,
               "warning: {} member{} without a position in {} (no row, or NA; scenarios need "
               "missing_position: bloc_mean): {}\n",
               codes.size(), codes.size() == 1 ? "" : "s", a.year, fmt::join(codes, ", "));
  }
  if (!b.without_se.empty()) {
    fmt::print(stderr, "warning: no se (a quantile is NA) for {}\n", fmt::join(b.without_se, ", "));
  }
  if (!a.quiet) {
    fmt::print("wrote {} positions of {} (idealpoint{}) to {}\n", b.positions.size(), a.year,
               a.estimate, a.out);
  }
  return 0;
}

}  // namespace

void add_positions_command(CLI::App& app, int& exit_code) {
  auto a = std::make_shared<PositionsArgs>();
  CLI::App* sub = app.add_subcommand(
      "positions",
      "Write a positions file from Bailey, Strezhnev and Voeten's ideal points (one year)");
  sub->add_option("--bsv", a->bsv, "IdealpointestimatesAll CSV (Harvard Dataverse)")->required();
  sub->add_option("--year", a->year, "Year of the estimates to write")->required();
  sub->add_option("--estimate", a->estimate, "all (idealpointall) or fp (idealpointfp)")
      ->check(CLI::IsMember({"all", "fp"}))
      ->capture_default_str();
  sub->add_option("--members", a->members,
                  "Member list (YAML, as scenarios include it; default: the 193 UN members)");
  sub->add_option("--out,-o", a->out, "The positions file to write (YAML)")->required();
  sub->add_flag("--quiet,-q", a->quiet, "Print nothing on standard output");
  sub->callback([a, &exit_code] { exit_code = run(*a); });
}

}  // namespace plenary::cli
