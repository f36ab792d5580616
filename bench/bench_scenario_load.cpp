// Loading scenarios at scale (issue 20): the table reader's throughput against a plain
// std::getline + strtod loop over the same file, and whole loads of generated scenarios in
// their YAML and table forms, alone and followed by compile() (what `plenary validate` does). Run
// from the build directory:
//   bench/bench_scenario_load --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
// The files are generated once per shape into a temporary directory (removed at exit).
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "plenary/model/model.hpp"
#include "plenary/scenario/generate.hpp"
#include "plenary/scenario/loader.hpp"
#include "plenary/util/atomic_file.hpp"
#include "scenario/table_reader.hpp"

namespace {

namespace fs = std::filesystem;

const fs::path& scratch() {
  static const fs::path dir = [] {
    std::string pattern = (fs::temp_directory_path() / "plenary-bench-load.XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) std::abort();
    static const std::string keep = pattern;
    std::atexit([] {
      std::error_code ignored;
      fs::remove_all(keep, ignored);
    });
    return fs::path(pattern);
  }();
  return dir;
}

// The generated scenario of `members` members with `ties` ties each, written once in both
// forms: N-T.yaml (one YAML file) and N-T-tables.yaml with N-T-tables.{members,ties}.csv.
fs::path scenario_file(int members, int ties, bool tables) {
  static std::map<std::pair<int, int>, bool> written;
  const std::string stem = std::to_string(members) + "-" + std::to_string(ties);
  const fs::path yaml = scratch() / (stem + ".yaml");
  const fs::path table_yaml = scratch() / (stem + "-tables.yaml");
  if (!written[{members, ties}]) {
    plenary::GenerateOptions o;
    o.members = members;
    o.ties_per_member = ties;
    o.replicates = 64;
    const plenary::Scenario s = plenary::generate_scenario(o);
    plenary::write_file_atomically(yaml, plenary::scenario_to_yaml(s));
    const plenary::ScenarioFiles files =
        plenary::scenario_to_tables(s, "", stem + "-tables.members.csv", stem + "-tables.ties.csv");
    plenary::write_file_atomically(scratch() / (stem + "-tables.members.csv"), files.members_csv);
    plenary::write_file_atomically(scratch() / (stem + "-tables.ties.csv"), files.ties_csv);
    plenary::write_file_atomically(table_yaml, files.yaml);
    written[{members, ties}] = true;
  }
  return tables ? table_yaml : yaml;
}

fs::path ties_file(int members, int ties) {
  scenario_file(members, ties, true);
  return scratch() / (std::to_string(members) + "-" + std::to_string(ties) + "-tables.ties.csv");
}

// The table reader over a ties file: every record split and its weight parsed.
void BM_TableReader(benchmark::State& state) {
  const fs::path file = ties_file(static_cast<int>(state.range(0)), 50);
  const auto bytes = static_cast<std::int64_t>(fs::file_size(file));
  for (auto _ : state) {
    plenary::table::Reader in(file, file.string());
    in.read_header();
    double sum = 0;
    std::size_t codes = 0;
    while (in.next()) {
      codes += in.field(0).size() + in.field(1).size();
      sum += in.number(2);
    }
    benchmark::DoNotOptimize(sum);
    benchmark::DoNotOptimize(codes);
  }
  state.SetBytesProcessed(state.iterations() * bytes);
}
BENCHMARK(BM_TableReader)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);

// The simple baseline: std::getline, a split on commas into strings, strtod.
void BM_BaselineGetlineStrtod(benchmark::State& state) {
  const fs::path file = ties_file(static_cast<int>(state.range(0)), 50);
  const auto bytes = static_cast<std::int64_t>(fs::file_size(file));
  for (auto _ : state) {
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);  // the header
    double sum = 0;
    std::size_t codes = 0;
    std::vector<std::string> fields;
    while (std::getline(in, line)) {
      fields.clear();
      std::size_t pos = 0;
      while (true) {
        const std::size_t comma = line.find(',', pos);
        fields.push_back(line.substr(pos, comma - pos));
        if (comma == std::string::npos) break;
        pos = comma + 1;
      }
      codes += fields[0].size() + fields[1].size();
      sum += std::strtod(fields[2].c_str(), nullptr);
    }
    benchmark::DoNotOptimize(sum);
    benchmark::DoNotOptimize(codes);
  }
  state.SetBytesProcessed(state.iterations() * bytes);
}
BENCHMARK(BM_BaselineGetlineStrtod)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);

// A whole load_scenario() of a generated scenario with 50 ties per member: arg 0 the
// members, arg 1 the form (0 YAML, 1 tables).
void BM_LoadScenario(benchmark::State& state) {
  const bool tables = state.range(1) == 1;
  const fs::path file = scenario_file(static_cast<int>(state.range(0)), 50, tables);
  for (auto _ : state) {
    const plenary::Scenario s = plenary::load_scenario(file);
    benchmark::DoNotOptimize(s.ties.data());
  }
  state.counters["ties"] = static_cast<double>(state.range(0)) * 50;
}
BENCHMARK(BM_LoadScenario)
    ->ArgNames({"N", "tables"})
    ->Args({10000, 0})
    ->Args({10000, 1})
    ->Args({100000, 1})
    ->Unit(benchmark::kMillisecond);

// What `plenary validate` does: the load, then compile() into the engine's arrays (W among
// them): arg 0 the members, table form, 50 ties per member.
void BM_LoadAndCompile(benchmark::State& state) {
  const fs::path file = scenario_file(static_cast<int>(state.range(0)), 50, true);
  for (auto _ : state) {
    const plenary::Model model = plenary::compile(plenary::load_scenario(file));
    benchmark::DoNotOptimize(model.ties.nonZeros());
  }
  state.counters["ties"] = static_cast<double>(state.range(0)) * 50;
}
BENCHMARK(BM_LoadAndCompile)->ArgName("N")->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
