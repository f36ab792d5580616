#include "plenary/scenario/scenario.hpp"

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

}  // namespace plenary
