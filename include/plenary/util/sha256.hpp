#pragma once
/// SHA-256 (FIPS 180-4), for the `scenario_sha256` field of results.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace plenary {

/// Lower-case hexadecimal SHA-256 digest of `bytes`.
std::string sha256_hex(std::string_view bytes);

/// Whether SHA-256 uses the CPU's SHA instructions (x86 SHA-NI, used by default where the CPU
/// has them); `enable = false` forces the portable code (for tests). Returns the new state.
bool sha256_hardware(bool enable);

/// SHA-256 of bytes given piece by piece: `update` any number of times, then `hex` once.
/// The digest of the pieces is that of their concatenation.
class Sha256 {
 public:
  void update(std::string_view bytes);
  /// The lower-case hexadecimal digest of everything given; the object is then spent.
  std::string hex();

 private:
  std::array<std::uint32_t, 8> state_ = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                         0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  std::array<unsigned char, 64> pending_{};  // a partial block
  std::size_t pending_size_ = 0;
  std::uint64_t total_ = 0;  // bytes given
};

}  // namespace plenary
