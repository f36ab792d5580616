#pragma once
/// SHA-256 (FIPS 180-4), for the `scenario_sha256` field of results.

#include <string>
#include <string_view>

namespace plenary {

/// Lower-case hexadecimal SHA-256 digest of `bytes`.
std::string sha256_hex(std::string_view bytes);

}  // namespace plenary
