#include "plenary/util/sha256.hpp"

#include <gtest/gtest.h>

#include <string>

namespace plenary {
namespace {

// Every test runs twice: with the CPU's SHA instructions where it has them, and without.
class Sha256Test : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override { sha256_hardware(GetParam()); }
  void TearDown() override { sha256_hardware(true); }
};
INSTANTIATE_TEST_SUITE_P(HardwareOrNot, Sha256Test, ::testing::Bool());

// FIPS 180-4 / NIST example vectors.
TEST_P(Sha256Test, KnownVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256_hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// Lengths around the padding boundary (55, 56, 63, 64 bytes) exercise the two-block tail.
TEST_P(Sha256Test, PaddingBoundaries) {
  EXPECT_EQ(sha256_hex(std::string(55, 'a')),
            "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
  EXPECT_EQ(sha256_hex(std::string(56, 'a')),
            "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
  EXPECT_EQ(sha256_hex(std::string(64, 'a')),
            "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

// Pieces of every size, across block boundaries, give the digest of the whole.
TEST_P(Sha256Test, PiecesGiveTheDigestOfTheWhole) {
  std::string text;
  for (int k = 0; k < 1000; ++k) text += static_cast<char>('a' + (k * 7919) % 26);
  for (std::size_t piece : {1u, 3u, 55u, 63u, 64u, 65u, 200u, 1000u}) {
    Sha256 h;
    for (std::size_t at = 0; at < text.size(); at += piece) {
      h.update(std::string_view(text).substr(at, piece));
    }
    EXPECT_EQ(h.hex(), sha256_hex(text)) << piece;
  }
  Sha256 empty;
  EXPECT_EQ(empty.hex(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

}  // namespace
}  // namespace plenary
