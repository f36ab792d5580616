#pragma once
// Small assemblies built in code, for tests that must not depend on the YAML loader.

#include <string>
#include <vector>

#include "plenary/scenario/scenario.hpp"

namespace plenary::testing {

/// A fluent builder of Scenario values.
class AssemblyBuilder {
 public:
  explicit AssemblyBuilder(int dims = 2) {
    s_.name = "test assembly";
    s_.dims = dims;
  }

  AssemblyBuilder& member(const std::string& code, std::vector<double> position, double clout = 1,
                          double absence = 0, bool votes = true) {
    Member m;
    m.code = code;
    m.name = code;
    m.position =
        Eigen::Map<Eigen::VectorXd>(position.data(), static_cast<Eigen::Index>(position.size()));
    m.clout = clout;
    m.absence = absence;
    m.votes = votes;
    s_.members.push_back(std::move(m));
    return *this;
  }

  AssemblyBuilder& bloc(const std::string& name, const std::vector<std::string>& codes,
                        double tie = 1) {
    Bloc b;
    b.name = name;
    b.tie = tie;
    const int g = static_cast<int>(s_.blocs.size());
    for (const auto& c : codes) {
      const int i = s_.find_member(c);
      b.members.push_back(i);
      s_.members[static_cast<std::size_t>(i)].blocs.push_back(g);
    }
    std::sort(b.members.begin(), b.members.end());
    s_.blocs.push_back(std::move(b));
    return *this;
  }

  AssemblyBuilder& tie(const std::string& from, const std::string& to, double weight) {
    s_.ties.push_back({s_.find_member(from), s_.find_member(to), weight});
    return *this;
  }

  /// Adds a draft open from round 0 to `closes`, its position the sponsors' (nullopt).
  AssemblyBuilder& draft(const std::string& id, const std::vector<std::string>& sponsors,
                         int closes) {
    Draft d;
    d.id = id;
    for (const auto& c : sponsors) d.sponsors.push_back(s_.find_member(c));
    d.status_quo = Eigen::VectorXd::Zero(s_.dims);
    d.closes = closes;
    s_.drafts.push_back(std::move(d));
    return *this;
  }

  /// The last draft added, to adjust further.
  Draft& last_draft() { return s_.drafts.back(); }
  Parameters& parameters() { return s_.parameters; }
  Scenario& scenario() { return s_; }
  Scenario build() const { return s_; }

 private:
  Scenario s_;
};

/// Sets every social term (peer, bloc, lobby, rival) of both phases to zero.
inline void switch_off_social_terms(Parameters& p) {
  p.theta_peer = p.theta_bloc = p.theta_lobby = p.theta_rival = 0;
  p.phi_peer = p.phi_bloc = p.phi_rival = 0;
}

}  // namespace plenary::testing
