// The determinism contract: the same seed gives the same bytes on any number of threads
// and any batch size; a member's random numbers depend on its code, not on who else is in
// the scenario.
#include <gtest/gtest.h>

#include "plenary/engine/simulate.hpp"
#include "plenary/model/model.hpp"
#include "plenary/report/report.hpp"
#include "plenary/scenario/generate.hpp"
#include "plenary/stats/summary.hpp"
#include "support/assembly.hpp"

namespace plenary {
namespace {

using testing::AssemblyBuilder;

// Twelve members, two rival drafts with every term of the model switched on.
AssemblyBuilder busy_assembly() {
  AssemblyBuilder b;
  for (int i = 0; i < 12; ++i) {
    b.member("M" + std::to_string(i), {std::sin(i * 1.3), std::cos(i * 0.7)}, 1 + i % 3,
             0.05 * (i % 4), i != 7);
  }
  b.bloc("G1", {"M0", "M1", "M2", "M3", "M4"}).bloc("G2", {"M4", "M5", "M6", "M7"}, 2.0);
  b.tie("M8", "M0", 1).tie("M9", "M1", 0.5).tie("M10", "M11", 2);
  b.draft("A", {"M0"}, 8);
  b.last_draft().rivals = {1};
  b.last_draft().withdraw_below = 0.45;
  b.draft("B", {"M5", "M6"}, 10);
  b.last_draft().opens = 2;
  b.last_draft().majority = Majority::kTwoThirds;
  b.parameters().theta_0 = -2;
  b.parameters().rho = 0.7;
  return b;
}

Results run(const Model& m, int threads, int batch, std::uint64_t seed = 3, long k = 1001) {
  RunOptions o;
  o.replicates = k;
  o.seed = seed;
  o.threads = threads;
  o.batch = batch;
  return simulate(m, o);
}

class Threads : public ::testing::TestWithParam<int> {};

TEST_P(Threads, SameResultsAsOneThread) {
  const Model m = compile(busy_assembly().build());
  EXPECT_EQ(run(m, GetParam(), 16), run(m, 1, 16));
}

INSTANTIATE_TEST_SUITE_P(Counts, Threads, ::testing::Values(2, 4, 7));

TEST(Determinism, BatchSizeDoesNotMatter) {
  const Model m = compile(busy_assembly().build());
  const Results reference = run(m, 1, 4);
  for (int batch : {8, 12, 64, 256, 2000}) EXPECT_EQ(run(m, 2, batch), reference) << batch;
}

TEST(Determinism, SameSeedSameJsonBytes) {
  const Scenario s = busy_assembly().build();
  const Model m = compile(s);
  const std::string one = json_report(s, m, summarise(m, run(m, 1, 256), {3, 5}));
  const std::string four = json_report(s, m, summarise(m, run(m, 4, 32), {3, 5}));
  EXPECT_EQ(one, four);
  EXPECT_NE(one, json_report(s, m, summarise(m, run(m, 4, 32, /*seed=*/4), {3, 5})));
}

// An ensemble split into blocks of replicates (as a sweep does across processes) adds up to
// the whole run's counts exactly.
TEST(Determinism, ReplicateBlocksAddUpToTheWholeRun) {
  const Model m = compile(busy_assembly().build());
  const Results whole = run(m, 2, 16, 3, 1001);
  RunOptions o;
  o.seed = 3;
  o.threads = 1;
  Results sum;
  for (const auto& [first, count] :
       std::vector<std::pair<long, long>>{{0, 400}, {400, 12}, {412, 589}}) {
    o.first_replicate = first;
    o.replicates = count;
    const Results part = simulate(m, o);
    if (sum.drafts.empty()) {
      sum = part;
    } else {
      for (std::size_t r = 0; r < sum.drafts.size(); ++r) sum.drafts[r].add(part.drafts[r]);
    }
  }
  sum.replicates = whole.replicates;
  EXPECT_EQ(sum, whole);
  o.first_replicate = 2;
  EXPECT_THROW(simulate(m, o), UsageError);
}

// The engine counts each member's sponsored rivals in 16 bits (sim/engine/batch.hpp), so
// simulate() refuses, before any work, a draft that 65,536 drafts name as a rival, and says
// which draft and what to do; 65,535 is the most the counts hold.
TEST(Determinism, ADraftNamedAsARivalMoreThan65535TimesIsRefused) {
  Model m = compile(busy_assembly().build());
  const ModelDraft other = m.drafts[1];
  m.drafts.resize(1);
  m.drafts[0].rivals.clear();
  for (int q = 1; q <= 65536; ++q) {
    ModelDraft d = other;
    d.id = "R" + std::to_string(q);
    d.rivals = {0};
    m.drafts.push_back(std::move(d));
    m.drafts[0].rivals.push_back(q);
  }
  RunOptions o;
  o.replicates = 4;
  try {
    simulate(m, o);
    FAIL() << "expected a UsageError";
  } catch (const UsageError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("draft A is named as a rival 65536 times"), std::string::npos) << what;
    EXPECT_NE(what.find("split the scenario"), std::string::npos) << what;
  }
}

TEST(Determinism, DifferentSeedsDiffer) {
  const Model m = compile(busy_assembly().build());
  EXPECT_NE(run(m, 2, 64, 1), run(m, 2, 64, 2));
}

// The engine keeps the members' own bloc terms only while a batch's lane state fits a
// core's L2 cache (sim/engine/batch.hpp); above, the decisions and the vote look them up by
// combination of blocs. 3,000 members in 12 blocs (1 to 3 each), sparse ties and two rival
// drafts: a batch of 4 keeps them per member, one of 16 per combination; the same bytes.
TEST(Determinism, BlocTermsPerMemberOrPerCombinationGiveTheSameBits) {
  GenerateOptions g;
  g.members = 3000;
  g.ties_per_member = 5;
  g.rounds = 6;
  const Model m = compile(generate_scenario(g));
  const Results per_member = run(m, 1, 4, 5, 32);
  EXPECT_EQ(run(m, 2, 16, 5, 32), per_member);
  EXPECT_EQ(run(m, 1, 12, 5, 32), per_member);
}

TEST(Determinism, DenseAndSparseTiesGiveTheSameBits) {
  Model m = compile(busy_assembly().build());
  set_tie_storage(m, false);
  const Results sparse = run(m, 2, 64);
  set_tie_storage(m, true);
  EXPECT_EQ(run(m, 2, 64), sparse);
}

// Adding a member that nobody watches and that is in no bloc, with lobbying off, leaves
// every other member's co-sponsorship and intended votes bit for bit as they were: the
// random streams are keyed by member code and draft id, not by position in the file.
TEST(Determinism, AddingAMemberLeavesOthersDrawsAlone) {
  AssemblyBuilder b = busy_assembly();
  b.parameters().theta_lobby = 0;
  for (Draft& d : b.scenario().drafts) d.withdraw_below.reset();
  const Results before = run(compile(b.build()), 2, 64);
  // Inserted first, so every other member's index shifts by one.
  Scenario s = b.build();
  Member newcomer = s.members[3];
  newcomer.code = "NEW";
  newcomer.blocs.clear();
  s.members.insert(s.members.begin(), newcomer);
  for (Bloc& g : s.blocs) {
    for (int& i : g.members) ++i;
  }
  for (Tie& t : s.ties) {
    ++t.from;
    ++t.to;
  }
  for (Draft& d : s.drafts) {
    for (int& i : d.sponsors) ++i;
  }
  const Results after = run(compile(s), 2, 64);
  for (std::size_t r = 0; r < 2; ++r) {
    for (std::size_t i = 0; i < 12; ++i) {
      EXPECT_EQ(after.drafts[r].member_sponsor[i + 1], before.drafts[r].member_sponsor[i]);
      for (std::size_t v = 0; v < kVotes; ++v) {
        EXPECT_EQ(after.drafts[r].member_votes[kVotes * (i + 1) + v],
                  before.drafts[r].member_votes[kVotes * i + v]);
      }
    }
  }
}

}  // namespace
}  // namespace plenary

namespace plenary {
namespace {

// A failure inside a worker thread reaches the caller as an exception (never
// std::terminate), whatever the thread count.
TEST(Simulate, WorkerExceptionsReachTheCaller) {
  const Model m = compile(busy_assembly().build());
  for (int threads : {1, 2, 3}) {
    RunOptions o;
    o.replicates = 400;
    o.threads = threads;
    o.batch = 8;
    o.progress = [](long done) {
      if (done >= 16) throw std::runtime_error("stop");
    };
    EXPECT_THROW(simulate(m, o), std::runtime_error) << threads;
  }
}

}  // namespace
}  // namespace plenary
