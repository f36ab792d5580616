// No dangling references: every file a `--help` text names (docs/output.md, ...) and every
// relative link of the project's markdown (README.md, docs/*.md, bench/README.md,
// data/*/README.md) exists, and a link's #anchor names a heading of its target.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/cli.hpp"

namespace {

namespace fs = std::filesystem;
using plenary::testing::Outcome;
using plenary::testing::read_file;

// GitHub's anchor of a heading: lower case, punctuation other than '-' and '_' dropped,
// spaces to '-' ("What-ifs (`plenary run`)" -> "what-ifs-plenary-run").
std::string anchor_of(const std::string& heading) {
  std::string out;
  for (const char c : heading) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80 || std::isalnum(u) != 0 || c == '-' || c == '_') {
      out += static_cast<char>(std::tolower(u));
    } else if (c == ' ') {
      out += '-';
    }
  }
  return out;
}

// The lines of `text`, those of fenced code blocks blanked (so that numbers stay right).
std::vector<std::string> prose_lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  bool fenced = false;
  for (std::string line; std::getline(in, line);) {
    const bool fence = line.rfind("```", 0) == 0;
    if (fence) fenced = !fenced;
    out.push_back(fence || fenced ? "" : line);
  }
  return out;
}

std::set<std::string> anchors(const fs::path& markdown) {
  std::set<std::string> out;
  for (const std::string& line : prose_lines(read_file(markdown))) {
    const auto hashes = line.find_first_not_of('#');
    if (hashes == 0 || hashes == std::string::npos || line[hashes] != ' ') continue;
    out.insert(anchor_of(line.substr(hashes + 1)));
  }
  return out;
}

// Where `text` (inline code removed) links to: [text](target) and [label]: target.
std::vector<std::string> link_targets(std::string line) {
  line = std::regex_replace(line, std::regex("`[^`]*`"), "");
  std::vector<std::string> out;
  static const std::regex inline_link(R"(\]\(([^)\s]+)(\s+"[^"]*")?\))");
  for (auto it = std::sregex_iterator(line.begin(), line.end(), inline_link);
       it != std::sregex_iterator(); ++it) {
    out.push_back((*it)[1]);
  }
  static const std::regex reference(R"(^\s*\[[^\]]+\]:\s+(\S+))");
  std::smatch m;
  if (std::regex_search(line, m, reference)) out.push_back(m[1]);
  return out;
}

// The broken relative links of one markdown file, as "file:line: target (why)".
std::vector<std::string> broken_links(const fs::path& markdown, const fs::path& root) {
  std::vector<std::string> out;
  const std::vector<std::string> lines = prose_lines(read_file(markdown));
  for (std::size_t k = 0; k < lines.size(); ++k) {
    for (const std::string& target : link_targets(lines[k])) {
      if (target.find("://") != std::string::npos || target.rfind("mailto:", 0) == 0) continue;
      const auto hash = target.find('#');
      const std::string file = target.substr(0, hash);
      // Lexically, not through symbolic links: a link must stay inside the repository.
      const fs::path path =
          file.empty() ? markdown : (markdown.parent_path() / file).lexically_normal();
      const fs::path inside = path.lexically_relative(root.lexically_normal());
      const std::string where =
          markdown.lexically_relative(root).string() + ":" + std::to_string(k + 1) + ": " + target;
      if (inside.empty() || *inside.begin() == "..") {
        out.push_back(where + " (outside the repository)");
      } else if (!fs::exists(path)) {
        out.push_back(where + " (no such file)");
      } else if (hash != std::string::npos && path.extension() == ".md" &&
                 anchors(path).count(target.substr(hash + 1)) == 0) {
        out.push_back(where + " (no such heading)");
      }
    }
  }
  return out;
}

// The project's markdown files that users read.
std::vector<fs::path> markdown_files(const fs::path& root) {
  std::vector<fs::path> out = {root / "README.md", root / "bench" / "README.md"};
  for (const char* dir : {"docs", "data"}) {
    if (!fs::is_directory(root / dir)) continue;
    for (const auto& entry : fs::directory_iterator(root / dir)) {
      if (entry.path().extension() == ".md") out.push_back(entry.path());
      if (entry.is_directory() && fs::exists(entry.path() / "README.md")) {
        out.push_back(entry.path() / "README.md");
      }
    }
  }
  out.erase(
      std::remove_if(out.begin(), out.end(), [](const fs::path& p) { return !fs::exists(p); }),
      out.end());
  std::sort(out.begin(), out.end());
  return out;
}

// The files a help text names: words ending in ".md" (docs/output.md, README.md).
std::vector<std::string> named_files(const std::string& help) {
  std::vector<std::string> out;
  static const std::regex md(R"([A-Za-z0-9_./-]*[A-Za-z0-9_-]\.md\b)");
  for (auto it = std::sregex_iterator(help.begin(), help.end(), md); it != std::sregex_iterator();
       ++it) {
    out.push_back(it->str());
  }
  return out;
}

class DocsLinks : public plenary::testing::CliTest {
 protected:
  // The subcommands listed by `plenary --help`.
  std::vector<std::string> commands() const {
    const Outcome o = plenary("--help");
    std::vector<std::string> out;
    std::istringstream in(o.out);
    bool listing = false;
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("Subcommands:", 0) == 0) {
        listing = true;
        continue;
      }
      std::smatch m;
      if (listing && std::regex_search(line, m, std::regex(R"(^  ([a-z]+)\b)")))
        out.push_back(m[1]);
    }
    return out;
  }
};

TEST_F(DocsLinks, EveryFileAHelpTextNamesExists) {
  const std::vector<std::string> names = commands();
  ASSERT_GE(names.size(), 7u) << "subcommands not found in plenary --help";
  std::size_t checked = 0;
  for (const std::string& command : names) {
    const Outcome o = plenary(command + " --help");
    ASSERT_EQ(o.status, 0) << command << ": " << o.err;
    for (const std::string& file : named_files(o.out)) {
      ++checked;
      EXPECT_TRUE(fs::is_regular_file(fs::path(PLENARY_SOURCE_DIR) / file))
          << "plenary " << command << " --help names " << file << ", which does not exist";
    }
  }
  EXPECT_GE(checked, 5u) << "the help texts name docs/... files; were they found?";
}

TEST_F(DocsLinks, EveryRelativeMarkdownLinkResolves) {
  const fs::path root = PLENARY_SOURCE_DIR;
  const std::vector<fs::path> files = markdown_files(root);
  ASSERT_GE(files.size(), 5u);
  for (const fs::path& file : files) {
    for (const std::string& broken : broken_links(file, root)) ADD_FAILURE() << broken;
  }
}

// The checker itself finds what it must: a missing file, a missing heading, a link out of
// the repository; and it passes links that resolve and text that only looks like a link.
TEST_F(DocsLinks, TheCheckerFindsBrokenLinks) {
  fs::create_directories(dir_ / "docs");
  const std::string outside = dir_.filename().string() + "-outside.md";
  std::ofstream(dir_.parent_path() / outside) << "# Outside\n";
  write("docs/b.md", "# Title\n\n## What-ifs (`plenary run` and `plenary compare`)\n");
  write("docs/a.md",
        "See [b](b.md), [its what-ifs](b.md#what-ifs-plenary-run-and-plenary-compare), "
        "[the web](https://example.org/x.md) and [top](#a).\n"
        "# A\n"
        "A [gone](missing.md) file, a [wrong heading](b.md#nothing) and [out](../../" +
            outside +
            "), [out too](../../x.md).\n"
            "```\n[inside code](nowhere.md)\n```\n"
            "Inline `[code](nowhere.md)` is not a link.\n"
            "[ref]: also-missing.md\n");
  const std::vector<std::string> broken = broken_links(dir_ / "docs" / "a.md", dir_);
  fs::remove(dir_.parent_path() / outside);
  EXPECT_EQ(broken, (std::vector<std::string>{
                        "docs/a.md:3: missing.md (no such file)",
                        "docs/a.md:3: b.md#nothing (no such heading)",
                        "docs/a.md:3: ../../" + outside + " (outside the repository)",
                        "docs/a.md:3: ../../x.md (outside the repository)",
                        "docs/a.md:8: also-missing.md (no such file)",
                    }));
  EXPECT_EQ(named_files("JSON (docs/output.md); see README.md, not 5.md. or x.mdx"),
            (std::vector<std::string>{"docs/output.md", "README.md", "5.md"}));
  EXPECT_EQ(anchor_of("What-ifs (`plenary run` and `plenary compare`)"),
            "what-ifs-plenary-run-and-plenary-compare");
}

}  // namespace
