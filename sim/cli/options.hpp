#pragma once
// Checks shared by the subcommands' options.

#include <CLI/CLI.hpp>
#include <string>

#include "plenary/util/text.hpp"

namespace plenary::cli {

/// A seed: a decimal integer in [0, 2^64). CLI11 alone would wrap "-1" to 2^64 - 1 and
/// saturate values that are too large, silently making different requests collide.
inline CLI::Validator seed_check() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        if (parse_unsigned(text)) return {};
        return "expected a non-negative integer below 2^64, got '" + text + "'";
      },
      "SEED");
}

}  // namespace plenary::cli
