#include "cli/commands.hpp"

namespace plenary::cli {

void add_run_command(CLI::App& app, int& exit_code) {
  (void)app;
  (void)exit_code;
}

}  // namespace plenary::cli
