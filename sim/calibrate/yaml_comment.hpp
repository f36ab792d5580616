#pragma once
// The header comments of the positions files (outputs.cpp, bsv.cpp).

#include <string>

namespace plenary::calibrate::detail {

/// `text` as YAML comment lines: wrapped at spaces before 92 columns, the first line
/// starting with "# ", the others with "#   ".
inline std::string comment(const std::string& text) {
  constexpr std::size_t kWidth = 92;
  std::string out;
  std::string line = "#";
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(start, end - start);
    if (line.size() + 1 + word.size() > kWidth && line.size() > 4) {
      out += line + "\n";
      line = "#  ";
    }
    line += " " + word;
    start = end + 1;
  }
  return out + line + "\n";
}

}  // namespace plenary::calibrate::detail
