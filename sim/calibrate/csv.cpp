#include "calibrate/csv.hpp"

#include <fmt/format.h>

#include "plenary/util/compressed.hpp"
#include "plenary/util/error.hpp"

namespace plenary::calibrate {

CsvReader CsvReader::open(const std::filesystem::path& path) {
  return CsvReader(read_data_file(path), path.string());
}

CsvReader::CsvReader(std::string text, std::string name)
    : text_(std::move(text)), name_(std::move(name)) {
  // A UTF-8 byte-order mark is not part of the first column's name.
  if (text_.starts_with("\xEF\xBB\xBF")) pos_ = 3;
}

bool CsvReader::next(std::vector<std::string>& fields) {
  fields.clear();
  if (pos_ >= text_.size()) return false;
  record_line_ = line_;
  const std::size_t n = text_.size();
  std::string field;
  while (true) {
    field.clear();
    if (pos_ < n && text_[pos_] == '"') {
      // Quoted field: runs to the next quote not doubled.
      const int opened = line_;
      ++pos_;
      while (true) {
        if (pos_ >= n) {
          throw DataError({name_, opened, 0},
                          "quoted field is not closed before the end of the file");
        }
        const char c = text_[pos_++];
        if (c == '"') {
          if (pos_ < n && text_[pos_] == '"') {
            field += '"';
            ++pos_;
          } else {
            break;
          }
        } else {
          if (c == '\n') ++line_;
          field += c;
        }
      }
      const bool at_end = pos_ >= n || text_[pos_] == ',' || text_[pos_] == '\n' ||
                          (text_[pos_] == '\r' && pos_ + 1 < n && text_[pos_ + 1] == '\n') ||
                          (text_[pos_] == '\r' && pos_ + 1 == n);
      if (!at_end) {
        throw DataError({name_, line_, 0},
                        "text after a closing quote; a quote inside a field must be doubled");
      }
    } else {
      const std::size_t start = pos_;
      while (pos_ < n && text_[pos_] != ',' && text_[pos_] != '\n') ++pos_;
      std::size_t end = pos_;
      if (end > start && text_[end - 1] == '\r' && (pos_ >= n || text_[pos_] == '\n')) --end;
      field.assign(text_, start, end - start);
      if (field.find('"') != std::string::npos) {
        throw DataError(
            {name_, line_, 0},
            "quote inside an unquoted field; quote the whole field and double the quote");
      }
    }
    fields.push_back(field);
    if (pos_ < n && text_[pos_] == '\r') ++pos_;
    if (pos_ >= n) return true;
    if (text_[pos_] == ',') {
      ++pos_;
      continue;
    }
    ++pos_;  // '\n'
    ++line_;
    return true;
  }
}

std::vector<std::size_t> require_columns(const CsvReader& reader,
                                         const std::vector<std::string>& header,
                                         std::initializer_list<std::string_view> wanted) {
  std::vector<std::size_t> index;
  for (const std::string_view column : wanted) {
    std::size_t i = 0;
    while (i < header.size() && header[i] != column) ++i;
    if (i == header.size()) {
      throw DataError({reader.name(), 1, 0},
                      fmt::format("missing column '{}': the header is '{}', expected columns {}",
                                  column, fmt::join(header, ","), fmt::join(wanted, ",")));
    }
    index.push_back(i);
  }
  return index;
}

}  // namespace plenary::calibrate
