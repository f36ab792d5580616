#include "plenary/scenario/scenario.hpp"

#include <fmt/format.h>

namespace plenary {

namespace {

// Linear scans: scenarios hold a few hundred members at most and lookups are rare outside
// loading (the loader keeps its own hash index).
template <typename T, typename Key>
int find_index(const std::vector<T>& items, std::string_view wanted, Key key) {
  for (std::size_t k = 0; k < items.size(); ++k) {
    if (items[k].*key == wanted) return static_cast<int>(k);
  }
  return -1;
}

}  // namespace

int Scenario::find_member(std::string_view code) const {
  return find_index(members, code, &Member::code);
}

int Scenario::find_draft(std::string_view id) const { return find_index(drafts, id, &Draft::id); }

int Scenario::find_bloc(std::string_view bloc_name) const {
  return find_index(blocs, bloc_name, &Bloc::name);
}

Eigen::VectorXd sponsor_position(const Scenario& scenario, const std::vector<int>& sponsors,
                                 const std::string& draft_id) {
  Eigen::VectorXd sum = Eigen::VectorXd::Zero(scenario.dims);
  double weight = 0;
  for (int i : sponsors) {
    const Member& m = scenario.members[static_cast<std::size_t>(i)];
    sum += m.clout * m.position;
    weight += m.clout;
  }
  if (weight <= 0) {
    throw ScenarioError(fmt::format(
        "draft '{}' takes its position from its sponsors, but their clout sums to 0; give it "
        "a 'position:' or a sponsor with positive clout",
        draft_id));
  }
  return sum / weight;
}

}  // namespace plenary
