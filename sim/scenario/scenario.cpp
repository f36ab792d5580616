#include "plenary/scenario/scenario.hpp"

namespace plenary {

namespace {
template <typename T, typename Key>
int find_index(const std::vector<T>& items, std::string_view wanted, Key key) {
  for (std::size_t k = 0; k < items.size(); ++k) {
    if (key(items[k]) == wanted) return static_cast<int>(k);
  }
  return -1;
}
}  // namespace

int Scenario::find_member(std::string_view code) const {
  return find_index(members, code, [](const Member& m) -> const std::string& { return m.code; });
}

int Scenario::find_draft(std::string_view id) const {
  return find_index(drafts, id, [](const Draft& d) -> const std::string& { return d.id; });
}

int Scenario::find_bloc(std::string_view bloc_name) const {
  return find_index(blocs, bloc_name, [](const Bloc& b) -> const std::string& { return b.name; });
}

}  // namespace plenary
