#include "plenary/calibrate/place_roll_calls.hpp"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "plenary/util/compressed.hpp"
#include "plenary/util/error.hpp"

namespace plenary::calibrate {

namespace {

SourceLocation where(const std::filesystem::path& path, const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  return {path.string(), mark.line >= 0 ? mark.line + 1 : 0,
          mark.column >= 0 ? mark.column + 1 : 0};
}

}  // namespace

PositionsFile read_positions(const std::filesystem::path& path) {
  if (!std::filesystem::is_regular_file(path)) {
    throw DataError(fmt::format("cannot read positions file '{}': no such file", path.string()));
  }
  const std::string text = read_data_file(path);
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw DataError({path.string(), e.mark.line + 1, e.mark.column + 1}, e.msg);
  }
  const YAML::Node list = root.IsMap() ? root["positions"] : YAML::Node();
  if (!list || !list.IsSequence()) {
    throw DataError({path.string(), 1, 0}, "expected a map with a list 'positions:'");
  }
  PositionsFile out;
  std::vector<std::vector<double>> rows;
  for (const YAML::Node& entry : list) {
    const YAML::Node code = entry.IsMap() ? entry["code"] : YAML::Node();
    const YAML::Node position = entry.IsMap() ? entry["position"] : YAML::Node();
    if (!code || !code.IsScalar() || !position || !position.IsSequence() || position.size() == 0) {
      throw DataError(where(path, entry), "each entry needs 'code' and a list 'position'");
    }
    std::vector<double> x;
    try {
      for (const YAML::Node& v : position) x.push_back(v.as<double>());
    } catch (const YAML::Exception&) {
      throw DataError(where(path, position), "'position' must be a list of numbers");
    }
    if (!rows.empty() && x.size() != rows.front().size()) {
      throw DataError(where(path, position),
                      fmt::format("position has {} coordinates, the first entry {}", x.size(),
                                  rows.front().size()));
    }
    out.codes.push_back(code.as<std::string>());
    rows.push_back(std::move(x));
  }
  if (rows.empty()) throw DataError({path.string(), 1, 0}, "'positions:' is empty");
  out.positions.resize(static_cast<Eigen::Index>(rows.size()),
                       static_cast<Eigen::Index>(rows.front().size()));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    for (std::size_t d = 0; d < rows[i].size(); ++d) {
      out.positions(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(d)) = rows[i][d];
    }
  }
  return out;
}

std::vector<PlacedRollCall> place_roll_calls(const VoteData& data, const PositionsFile& file,
                                             const std::vector<int>& rcids,
                                             const EstimatorOptions& options) {
  if (options.model != IdealPointModel::kBinary) {
    throw UsageError(
        "--roll-calls places roll calls with the binary Yes/No model only; drop "
        "--model ordered (the positions file may come from either model)");
  }
  std::unordered_map<std::string, Eigen::Index> row;
  for (std::size_t i = 0; i < file.codes.size(); ++i)
    row[file.codes[i]] = static_cast<Eigen::Index>(i);
  std::vector<PlacedRollCall> out;
  for (const int rcid : rcids) {
    const auto index = data.find_roll_call(rcid);
    if (!index) throw DataError(fmt::format("roll call {} is not in the data", rcid));
    const RollCall& rc = data.roll_calls[*index];
    PlacedRollCall placed;
    placed.rcid = rcid;
    placed.session = rc.session;
    placed.title = rc.title;
    std::vector<Eigen::Index> voters;
    std::vector<double> yes;
    for (const CastVote& v : data.votes) {
      if (v.roll_call != static_cast<std::int32_t>(*index)) continue;
      if (v.vote != Vote::kYes && v.vote != Vote::kNo) continue;
      const auto it = row.find(data.states[v.state].alpha3);
      if (it == row.end()) {
        ++placed.without_position;
        continue;
      }
      voters.push_back(it->second);
      yes.push_back(v.vote == Vote::kYes ? 1.0 : 0.0);
    }
    if (voters.empty()) {
      throw DataError(
          fmt::format("roll call {} has no Yes or No votes by members with a position", rcid));
    }
    const Eigen::Index n = static_cast<Eigen::Index>(voters.size());
    Eigen::MatrixXd x(n, file.positions.cols());
    for (Eigen::Index i = 0; i < n; ++i)
      x.row(i) = file.positions.row(voters[static_cast<std::size_t>(i)]);
    const Eigen::VectorXd y = Eigen::Map<const Eigen::VectorXd>(yes.data(), n);
    const Eigen::VectorXd theta = fit_roll_call(x, y, options);
    placed.intercept = theta(0);
    placed.discrimination = theta.tail(theta.size() - 1).transpose();
    const Eigen::VectorXd eta = (x * theta.tail(theta.size() - 1)).array() + theta(0);
    int correct = 0;
    for (Eigen::Index i = 0; i < n; ++i) correct += (eta(i) > 0.0) == (y(i) != 0.0);
    placed.yes = static_cast<int>(y.sum());
    placed.no = static_cast<int>(n) - placed.yes;
    placed.pcc = static_cast<double>(correct) / static_cast<double>(n);
    placed.majority_pcc =
        static_cast<double>(std::max(placed.yes, placed.no)) / static_cast<double>(n);
    out.push_back(std::move(placed));
  }
  return out;
}

std::vector<int> parse_rcid_list(std::string_view text) {
  std::vector<int> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string_view item = text.substr(start, comma - start);
    int value = 0;
    const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), value);
    if (item.empty() || ec != std::errc() || end != item.data() + item.size()) {
      throw UsageError(
          fmt::format("--roll-calls '{}': expected roll-call ids separated by commas, "
                      "found '{}'",
                      text, item));
    }
    out.push_back(value);
    start = comma + 1;
  }
  return out;
}

std::string format_placed(const std::vector<PlacedRollCall>& placed, Link link) {
  nlohmann::ordered_json j;
  j["link"] = link_name(link);
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const PlacedRollCall& p : placed) {
    std::vector<double> b(p.discrimination.data(),
                          p.discrimination.data() + p.discrimination.size());
    list.push_back({{"rcid", p.rcid},
                    {"session", p.session},
                    {"title", p.title},
                    {"yes", p.yes},
                    {"no", p.no},
                    {"without_position", p.without_position},
                    {"intercept", p.intercept},
                    {"discrimination", b},
                    {"pcc", p.pcc},
                    {"majority_pcc", p.majority_pcc}});
  }
  j["roll_calls"] = list;
  return j.dump(2) + "\n";
}

}  // namespace plenary::calibrate
