#pragma once
// The page and figure frames shared by the run report and the comparison report.

#include <string>
#include <string_view>

namespace plenary::html {

/// A complete HTML5 document with the report's inline style sheet.
std::string page(std::string_view title, const std::string& body);

/// An SVG chart with its caption (HTML allowed in the caption).
std::string figure(const std::string& svg_text, const std::string& caption);

}  // namespace plenary::html
