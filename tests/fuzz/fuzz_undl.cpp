// libFuzzer harness for the UN Dag Hammarskjöld Library's voting data (one CSV file, long or
// wide form, told apart by its header; docs/calibration.md): the input is the file. Either
// a VoteData whose indices and order hold, or a plenary::Error naming the file.
#include <cstddef>
#include <cstdint>

#include "fuzz_util.hpp"
#include "plenary/calibrate/vote_data.hpp"
#include "vote_data_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace plenary;
  const auto file = fuzz::write_scratch("undl.csv", fuzz::as_text(data, size));
  try {
    fuzz::check_vote_data(calibrate::load_vote_data(file));
  } catch (const Error& e) {
    fuzz::expect_place(e, {"undl.csv"});
  }
  return 0;
}
