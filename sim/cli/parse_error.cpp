// Messages for command lines CLI11 refuses (sim/cli/parse_error.hpp).

#include "cli/parse_error.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cctype>
#include <optional>

#include "plenary/util/text.hpp"

namespace plenary::cli {

namespace {

// The subcommand whose line failed: the last one CLI11 had selected, or null before any.
const CLI::App* failed_command(const CLI::App& app) {
  const std::vector<CLI::App*> selected = app.get_subcommands();
  return selected.empty() ? nullptr : selected.back();
}

std::string help_hint(const CLI::App* command) {
  return command ? fmt::format("run 'plenary {} --help' for its options", command->get_name())
                 : std::string("run 'plenary --help' for the commands");
}

// "--name", "--name=value" or "-x...": a word CLI11 reads as an option. "-1" is a value
// (a negative number) and "-" alone a file name.
bool looks_like_option(const std::string& word) {
  if (word.size() < 2 || word[0] != '-') return false;
  const char first = word[1] == '-' ? (word.size() > 2 ? word[2] : '\0') : word[1];
  return std::isalpha(static_cast<unsigned char>(first)) != 0;
}

// The option as CLI11 looks it up: "--name" without "=value", "-x" without what follows.
std::string option_name(const std::string& word) {
  if (word[1] != '-') return word.substr(0, 2);
  return word.substr(0, word.find('='));
}

// Every spelling of `command`'s options, long ones first: "--replicates", ..., "-k", ...
std::vector<std::string> option_names(const CLI::App& command) {
  std::vector<std::string> names;
  for (const CLI::Option* opt : command.get_options()) {
    for (const std::string& l : opt->get_lnames()) names.push_back("--" + l);
  }
  for (const CLI::Option* opt : command.get_options()) {
    for (const std::string& s : opt->get_snames()) names.push_back("-" + s);
  }
  return names;
}

std::vector<std::string> command_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    names.push_back(sub->get_name());
  }
  return names;
}

// Where `command`'s own words start in `args`: after its name (the first word equal to it).
std::size_t words_of(const CLI::App* command, const std::vector<std::string>& args) {
  if (!command) return 0;
  for (std::size_t k = 0; k < args.size(); ++k) {
    if (args[k] == command->get_name()) return k + 1;
  }
  return args.size();
}

// The first option-like word of `command` (or of the program, before any command) that it
// does not know.
std::optional<std::string> unknown_option(const CLI::App& app, const CLI::App* command,
                                          const std::vector<std::string>& args) {
  const CLI::App& owner = command ? *command : app;
  for (std::size_t k = words_of(command, args); k < args.size(); ++k) {
    if (args[k] == "--") break;
    if (!looks_like_option(args[k])) {
      if (!command) break;  // the name of a command: what follows is not the program's
      continue;
    }
    const std::string name = option_name(args[k]);
    if (owner.get_option_no_throw(name) == nullptr) return name;
  }
  return std::nullopt;
}

std::string unknown_option_message(const CLI::App& app, const CLI::App* command,
                                   const std::string& name) {
  const CLI::App& owner = command ? *command : app;
  // A one-letter option is one edit from every other: no suggestion for those.
  const bool long_name = name.size() > 2 && name[1] == '-';
  if (const auto near = long_name ? nearest_word(name, option_names(owner)) : std::nullopt) {
    return fmt::format("unknown option '{}'; did you mean '{}'?", name, *near);
  }
  return fmt::format("unknown option '{}'{}; {}", name,
                     command ? fmt::format(" for 'plenary {}'", command->get_name()) : "",
                     help_hint(command));
}

// An option of the command given before the command's name ("plenary --quiet run ..."):
// the program's own options are only --help and --version.
std::optional<std::string> misplaced_option(const CLI::App& app, const CLI::App* command,
                                            const std::vector<std::string>& args) {
  if (!command) return std::nullopt;
  const std::size_t end = words_of(command, args) - 1;
  for (std::size_t k = 0; k < end; ++k) {
    if (!looks_like_option(args[k])) continue;
    const std::string name = option_name(args[k]);
    if (app.get_option_no_throw(name) != nullptr) continue;
    if (command->get_option_no_throw(name) != nullptr) {
      return fmt::format("option '{}' comes after the command: plenary {} ... {}", name,
                         command->get_name(), args[k]);
    }
    return unknown_option_message(app, nullptr, name);
  }
  return std::nullopt;
}

// The first word that is not an option: what the user meant as the command, if any.
std::optional<std::string> first_word(const std::vector<std::string>& args) {
  for (const std::string& w : args) {
    if (!looks_like_option(w)) return w;
  }
  return std::nullopt;
}

std::string command_message(const CLI::App& app, const std::vector<std::string>& args) {
  const std::vector<std::string> names = command_names(app);
  const std::optional<std::string> word = first_word(args);
  if (!word) {
    return fmt::format("no command given: one of {} is needed; {}", join_quoted(names, " or "),
                       help_hint(nullptr));
  }
  if (const auto near = nearest_word(*word, names)) {
    return fmt::format("unknown command '{}'; did you mean '{}'?", *word, *near);
  }
  return fmt::format("unknown command '{}': the commands are {}; {}", *word,
                     join_quoted(names, " and "), help_hint(nullptr));
}

// CLI11's own text, with a lower-case first letter like the program's other messages
// (a word such as "The", not a name such as "FILE"); "--seed: 1 required UINT missing"
// as "--seed needs a value".
std::string cli11_text(const CLI::ParseError& e) {
  std::string text = e.what();
  const auto colon = text.find(": ");
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&e) != nullptr && text.ends_with(" missing") &&
      colon != std::string::npos) {
    return fmt::format("{} needs a value", text.substr(0, colon));
  }
  if (text.size() > 1 && std::isupper(static_cast<unsigned char>(text[0])) != 0 &&
      std::islower(static_cast<unsigned char>(text[1])) != 0) {
    text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  }
  return text;
}

}  // namespace

std::string parse_error_message(const CLI::App& app, const CLI::ParseError& e,
                                const std::vector<std::string>& args) {
  const CLI::App* command = failed_command(app);
  if (dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr ||
      dynamic_cast<const CLI::RequiredError*>(&e) != nullptr) {
    if (const auto message = misplaced_option(app, command, args)) return *message;
    if (const auto name = unknown_option(app, command, args)) {
      return unknown_option_message(app, command, *name);
    }
    if (!command) return command_message(app, args);
  }
  return fmt::format("{}; {}", cli11_text(e), help_hint(command));
}

}  // namespace plenary::cli
