#pragma once
// What `plenary` says when CLI11 refuses its command line: the same "plenary: error:" form
// as every other error, a "did you mean" for a misspelt option or command, and where to look.

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace plenary::cli {

/// The message (without the "plenary: error: " prefix) for the parse error `e` of `app` on
/// the command line `args` (argv without the program name). An unknown option or command is
/// named with the nearest known one ("unknown option '--replicats'; did you mean
/// '--replicates'?"); any other parse error keeps CLI11's text and says which --help to read.
std::string parse_error_message(const CLI::App& app, const CLI::ParseError& e,
                                const std::vector<std::string>& args);

}  // namespace plenary::cli
