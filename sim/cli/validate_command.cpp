#include <fmt/format.h>

#include <memory>

#include "cli/commands.hpp"
#include "cli/scenario_input.hpp"
#include "plenary/model/model.hpp"
#include "plenary/scenario/loader.hpp"
#include "plenary/util/text.hpp"

namespace plenary::cli {

void add_validate_command(CLI::App& app, int& exit_code) {
  auto file = std::make_shared<std::string>();
  CLI::App* sub = app.add_subcommand(
      "validate", "Check a scenario file; exit 0 if it is valid, 2 with the problem if not");
  sub->add_option("FILE", *file, "Scenario file (YAML)")->required();
  sub->callback([file, &exit_code] {
    const PreparedScenario prepared = prepare_scenario(*file);
    const Scenario& scenario = prepared.scenario;
    // Compiling catches what only the compiled model can tell (e.g. a sponsor position
    // with zero clout).
    const Model model = compile(scenario);
    fmt::print("{}: ok: {}, {}, {}, {}\n", *file, count_noun(model.members, "member"),
               count_noun(static_cast<long long>(model.drafts.size()), "draft"),
               count_noun(model.dims, "dimension"), count_noun(model.rounds, "round"));
    fmt::print("{}", prepared.likes);
    exit_code = 0;
  });
}

}  // namespace plenary::cli
