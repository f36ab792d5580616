#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <exception>
#include <new>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/parse_error.hpp"
#include "plenary/core/isa.hpp"
#include "plenary/util/error.hpp"

int main(int argc, char** argv) {
  CLI::App app{"plenary " PLENARY_VERSION
               ": simulate co-sponsorship and voting in the UN General Assembly"};
  app.set_version_flag("--version", std::string("plenary ") + PLENARY_VERSION);
  app.require_subcommand(1);
  app.footer(
      "Environment:\n  PLENARY_ISA=avx512|avx2|scalar  the instruction set of the engine's kernels "
      "(default:\n                                  the best this processor has; every one gives "
      "the same\n                                  results; docs/architecture.md)");
  int exit_code = 0;
  plenary::cli::add_run_command(app, exit_code);
  plenary::cli::add_compare_command(app, exit_code);
  plenary::cli::add_validate_command(app, exit_code);
  plenary::cli::add_calibrate_command(app, exit_code);
  plenary::cli::add_positions_command(app, exit_code);
  plenary::cli::add_generate_command(app, exit_code);
  plenary::cli::add_sweep_command(app, exit_code);
  plenary::cli::add_sensitivity_command(app, exit_code);
  plenary::cli::add_fit_command(app, exit_code);
  plenary::cli::add_forecast_command(app, exit_code);
  plenary::cli::add_lobby_command(app, exit_code);
  plenary::cli::add_draft_command(app, exit_code);
  // The kernels' path (PLENARY_ISA, include/plenary/core/isa.hpp) is decided once the
  // command line is parsed and before any command runs: a bad value ends the program with
  // status 2 before any output is written, while --help and --version still answer.
  app.parse_complete_callback([] { plenary::kernel_isa(); });
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    const std::vector<std::string> args(argv + std::min(argc, 1), argv + argc);
    fmt::print(stderr, "plenary: error: {}\n", plenary::cli::parse_error_message(app, e, args));
    return plenary::kExitUserError;
  } catch (const plenary::Error& e) {
    fmt::print(stderr, "plenary: error: {}\n", e.what());
    return plenary::kExitUserError;
  } catch (const std::bad_alloc&) {
    fmt::print(stderr,
               "plenary: error: out of memory: the scenario or run is too large for this "
               "machine (reduce members, drafts, rounds, replicates or --threads)\n");
    return plenary::kExitUserError;
  } catch (const std::exception& e) {
    fmt::print(stderr, "plenary: internal error: {}\n", e.what());
    return 1;
  }
  return exit_code;
}
