#include <nlohmann/json.hpp>

#include "plenary/report/report.hpp"
#include "report/uncertainty_json.hpp"

namespace plenary {

namespace {

using nlohmann::ordered_json;

ordered_json optional_number(const std::optional<double>& x) {
  return x ? ordered_json(*x) : ordered_json(nullptr);
}

ordered_json distribution(const Distribution& d) {
  return {{"mean", d.mean},
          {"se", optional_number(d.se)},
          {"p5", d.p5},
          {"p50", d.p50},
          {"p95", d.p95}};
}

ordered_json distribution(const std::optional<Distribution>& d) {
  return d ? distribution(*d) : ordered_json(nullptr);
}

ordered_json probability(const Probability& p) { return {{"p", p.p}, {"se", p.se}}; }

ordered_json parameters(const Parameters& p) {
  ordered_json out = ordered_json::object();
  for (const auto& info : kParameters) out[std::string(info.name)] = p.*(info.field);
  return out;
}

ordered_json draft_json(const Model& model, const DraftSummary& d, const ModelDraft& md) {
  ordered_json by_round = ordered_json::array();
  for (std::size_t t = 0; t < d.sponsors_by_round.size(); ++t) {
    ordered_json row = {{"round", t}};
    row.update(distribution(d.sponsors_by_round[t]));
    by_round.push_back(std::move(row));
  }
  ordered_json reach = ordered_json::object();
  for (const auto& [n, p] : d.p_reach) reach[std::to_string(n)] = probability(p);
  ordered_json members = ordered_json::array();
  for (const MemberSummary& m : d.members) {
    members.push_back({{"code", model.codes[static_cast<std::size_t>(m.member)]},
                       {"p_sponsor", m.p_sponsor},
                       {"p_sponsor_se", m.p_sponsor_se},
                       {"p_yes", optional_number(m.p_yes)},
                       {"p_yes_se", optional_number(m.p_yes_se)},
                       {"p_no", optional_number(m.p_no)},
                       {"p_no_se", optional_number(m.p_no_se)},
                       {"p_abstain", optional_number(m.p_abstain)},
                       {"p_abstain_se", optional_number(m.p_abstain_se)},
                       {"p_absent", optional_number(m.p_absent)},
                       {"p_absent_se", optional_number(m.p_absent_se)}});
  }
  ordered_json uncertain = ordered_json::array();
  for (int i : d.most_uncertain) uncertain.push_back(model.codes[static_cast<std::size_t>(i)]);
  return {{"id", d.id},
          {"parameters", parameters(md.params)},
          {"sponsors", {{"by_round", by_round}, {"final", distribution(d.sponsors_final)}}},
          {"p_reach", reach},
          {"tally",
           {{"replicates", d.tally_replicates},
            {"yes", distribution(d.yes)},
            {"no", distribution(d.no)},
            {"abstain", distribution(d.abstain)},
            {"absent", distribution(d.absent)}}},
          {"p_adopted", probability(d.p_adopted)},
          {"p_without_vote", probability(d.p_without_vote)},
          {"p_withdrawn", probability(d.p_withdrawn)},
          {"most_uncertain", uncertain},
          {"members", members}};
}

}  // namespace

std::string json_report(const Scenario& scenario, const Model& model, const Summary& summary,
                        const UncertaintyRun* uncertainty) {
  ordered_json doc = {{"schema", 1},
                      {"plenary", kVersion},
                      {"scenario", scenario.name},
                      {"scenario_file", scenario.source},
                      {"scenario_sha256", scenario.sha256},
                      {"replicates", summary.replicates},
                      {"seed", summary.seed},
                      {"members", model.members},
                      {"rounds", model.rounds},
                      {"overrides", scenario.overrides},
                      {"what_ifs", scenario.what_ifs},
                      {"parameters", parameters(scenario.parameters)}};
  ordered_json drafts = ordered_json::array();
  for (std::size_t r = 0; r < summary.drafts.size(); ++r) {
    drafts.push_back(draft_json(model, summary.drafts[r], model.drafts[r]));
  }
  doc["drafts"] = std::move(drafts);
  if (uncertainty != nullptr) doc["uncertainty"] = uncertainty_json(*uncertainty);
  return doc.dump(1) + "\n";
}

}  // namespace plenary
