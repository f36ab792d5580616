// End to end on the real General Assembly data (data/unga, gzip-compressed): sessions 65-72, and
// windows that once diverged.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <tuple>

#include "plenary/calibrate/calibrate.hpp"
#include "plenary/util/error.hpp"

namespace plenary::calibrate {
namespace {

// The data ships with the repository, so it is required: if it cannot be read every test
// fails with the reason (an exception in SetUpTestSuite would only mark them skipped).
class RealData : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    try {
      data_ = new VoteData(load_vote_data(PLENARY_DATA_DIR "/unga"));
    } catch (const std::exception& e) {
      load_error_ = e.what();
    }
  }
  static void TearDownTestSuite() {
    delete data_;
    data_ = nullptr;
  }
  void SetUp() override { ASSERT_NE(data_, nullptr) << "cannot load data/unga: " << load_error_; }
  static inline VoteData* data_ = nullptr;
  static inline std::string load_error_;
};

// Sessions 1-73: the rows of roll_calls.csv and votes.csv and Namibia's (`NA`) rows, as
// counted by Python's csv module (data/unga/README.md).
TEST_F(RealData, ReadsEveryVoteAndMapsEveryCode) {
  EXPECT_EQ(data_->roll_calls.size(), 6112u);
  EXPECT_EQ(data_->votes.size(), 853763u);
  EXPECT_TRUE(data_->unmapped.empty());
  long namibia = 0;
  for (const CastVote& v : data_->votes) namibia += data_->states[v.state].alpha3 == "NAM";
  EXPECT_EQ(namibia, 2367);
}

TEST_F(RealData, Sessions65To72) {
  CalibrationOptions o;
  o.window.first_session = 65;
  o.window.last_session = 72;
  o.estimator.dims = 2;
  const Calibration r = calibrate(*data_, o);
  EXPECT_EQ(r.matrix.window_rcids.size(), 735u);
  EXPECT_EQ(r.matrix.rcids.size(), 401u);
  EXPECT_EQ(r.matrix.dropped_lopsided, 334);
  EXPECT_EQ(r.matrix.members.size(), 193u);
  EXPECT_NEAR(r.fit.majority_pcc, 0.864, 0.001);
  // pscl::ideal reaches 0.990 and 0.928 (docs/calibration.md).
  EXPECT_GT(r.fit.pcc, 0.988);
  EXPECT_GT(r.fit.apre, 0.926);
  EXPECT_GT(r.holdout.pcc, 0.97);
  EXPECT_TRUE(r.estimate.converged);
  for (std::size_t i = 0; i < r.matrix.members.size(); ++i) {
    if (r.matrix.members[i].alpha3 == "USA") {
      EXPECT_GT(r.estimate.positions(static_cast<Eigen::Index>(i), 0), 1.0);
    }
    if (r.matrix.members[i].alpha3 == "SSD") {
      EXPECT_GT(r.matrix.absence[i], 0.0);
    }
  }
}

// Sessions 70-72 in 2 dimensions once diverged: a whole Newton step overshot to linear
// predictors below -709.8, where the vectorised logit computed exp(-eta) = inf, weights
// 0 x inf = NaN and log-likelihoods of -inf, and the fall back to step halving never fired
// because NaN compares false. Every position came out NaN (1000 iterations, PCC 0.17).
class RealWindows : public RealData,
                    public ::testing::WithParamInterface<std::tuple<int, int, int>> {};

TEST_P(RealWindows, ConvergeToFinitePositionsThatBeatTheMajority) {
  const auto [first, last, dims] = GetParam();
  CalibrationOptions o;
  o.window.first_session = first;
  o.window.last_session = last;
  o.estimator.dims = dims;
  o.holdout_share = 0.0;
  const Calibration r = calibrate(*data_, o);
  EXPECT_TRUE(r.estimate.converged);
  EXPECT_LT(r.estimate.iterations, o.estimator.max_iterations / 5);
  EXPECT_TRUE(std::isfinite(r.estimate.log_posterior));
  for (std::size_t k = 0; k < r.matrix.members.size(); ++k) {
    const auto i = static_cast<Eigen::Index>(k);
    EXPECT_TRUE(r.estimate.positions.row(i).allFinite()) << r.matrix.members[k].alpha3;
    EXPECT_TRUE(r.se.row(i).allFinite()) << r.matrix.members[k].alpha3;
  }
  EXPECT_TRUE(r.estimate.intercept.allFinite());
  EXPECT_TRUE(r.estimate.discrimination.allFinite());
  // Well clear of always voting with the majority: APRE 0.6-0.97 on these windows.
  EXPECT_GT(r.fit.pcc, r.fit.majority_pcc + 0.1);
  EXPECT_GT(r.fit.apre, 0.5);
  EXPECT_TRUE(std::isfinite(r.fit.log_likelihood));
  // And the writers accept it.
  EXPECT_NO_THROW(format_positions(r, o, "test"));
  EXPECT_NO_THROW(format_report(r, o));
}

INSTANTIATE_TEST_SUITE_P(Windows, RealWindows,
                         ::testing::Values(std::tuple{70, 72, 1}, std::tuple{70, 72, 2},
                                           std::tuple{70, 72, 3}, std::tuple{71, 72, 1},
                                           std::tuple{71, 72, 2}, std::tuple{72, 72, 2},
                                           std::tuple{60, 64, 1}, std::tuple{60, 64, 2},
                                           std::tuple{1, 10, 1}, std::tuple{1, 10, 2},
                                           std::tuple{40, 50, 2}),
                         [](const ::testing::TestParamInfo<std::tuple<int, int, int>>& param) {
                           return "S" + std::to_string(std::get<0>(param.param)) + "to" +
                                  std::to_string(std::get<1>(param.param)) + "D" +
                                  std::to_string(std::get<2>(param.param));
                         });

TEST_F(RealData, NotConvergingIsAnError) {
  CalibrationOptions o;
  o.window.first_session = 71;
  o.window.last_session = 72;
  o.holdout_share = 0.0;
  o.estimator.max_iterations = 3;
  try {
    calibrate(*data_, o);
    FAIL() << "expected a DataError";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("did not converge"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace plenary::calibrate
