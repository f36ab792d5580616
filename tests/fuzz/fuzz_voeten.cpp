// libFuzzer harness for Voeten's roll-call data (a directory of roll_calls.csv,
// roll_call_issues.csv and votes.csv; docs/calibration.md): the input is the three files,
// in that order, separated by a line "@@@@". Either a VoteData whose indices and order hold,
// or a plenary::Error naming the file at fault.
#include <cstddef>
#include <cstdint>

#include "fuzz_util.hpp"
#include "plenary/calibrate/vote_data.hpp"
#include "vote_data_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace plenary;
  const auto parts = fuzz::split_files(fuzz::as_text(data, size), 3);
  fuzz::write_scratch("roll_calls.csv", parts[0]);
  fuzz::write_scratch("roll_call_issues.csv", parts[1]);
  fuzz::write_scratch("votes.csv", parts[2]);
  try {
    fuzz::check_vote_data(calibrate::load_vote_data(fuzz::scratch_dir()));
  } catch (const Error& e) {
    fuzz::expect_place(e, {"roll_calls.csv", "roll_call_issues.csv", "votes.csv"});
  }
  return 0;
}
