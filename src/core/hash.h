// Content hashes for page evidence.
#pragma once

#include <string>
#include <string_view>

namespace telescreen::core {

// Lower-case hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

}  // namespace telescreen::core
