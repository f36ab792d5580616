#pragma once
/// The subcommands of the `plenary` program. Each add_*_command registers a CLI11
/// subcommand whose callback does the work and stores its exit status in `exit_code`.
/// A plenary::Error thrown by a callback reaches main, which prints it and exits 2.

#include <CLI/CLI.hpp>

namespace plenary::cli {

void add_run_command(CLI::App& app, int& exit_code);
void add_validate_command(CLI::App& app, int& exit_code);
void add_calibrate_command(CLI::App& app, int& exit_code);
void add_generate_command(CLI::App& app, int& exit_code);
void add_compare_command(CLI::App& app, int& exit_code);
void add_sweep_command(CLI::App& app, int& exit_code);
void add_fit_command(CLI::App& app, int& exit_code);
void add_positions_command(CLI::App& app, int& exit_code);
void add_forecast_command(CLI::App& app, int& exit_code);
void add_lobby_command(CLI::App& app, int& exit_code);
void add_draft_command(CLI::App& app, int& exit_code);
void add_sensitivity_command(CLI::App& app, int& exit_code);

}  // namespace plenary::cli
