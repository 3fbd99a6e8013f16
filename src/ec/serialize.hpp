#pragma once
// Point encodings at the edges of the system.
//  * EVM precompile layout (EIP-196/197): big-endian 32-byte words; G1 = x || y (64 bytes),
//    G2 = x.c1 || x.c0 || y.c1 || y.c0 (128 bytes, imaginary part first); all zero = infinity.
//  * snarkjs JSON (decimal strings, projective with Jacobian z as in ffjavascript): G1
//    [x, y, "1"], G2 [[x.c0, x.c1], [y.c0, y.c1], ["1", "0"]]; infinity ["0", "1", "0"] and
//    [["0", "0"], ["1", "0"], ["0", "0"]].
// Decoders reject coordinates >= q, points off the curve and (G2) points outside the subgroup.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "ec/g1.hpp"
#include "ec/g2.hpp"

namespace zkamm::ec {

using G1Bytes = std::array<uint8_t, 64>;
using G2Bytes = std::array<uint8_t, 128>;

G1Bytes encode_g1_evm(const G1Affine& p) noexcept;
/// Any 64 bytes; nullopt unless both words are < q and the point is on the curve (or all zero).
std::optional<G1Affine> decode_g1_evm(std::span<const uint8_t, 64> in) noexcept;
G2Bytes encode_g2_evm(const G2Affine& p) noexcept;
/// Any 128 bytes; nullopt unless all words are < q and the point is in G2 (or all zero).
std::optional<G2Affine> decode_g2_evm(std::span<const uint8_t, 128> in) noexcept;

using G1Strings = std::array<std::string, 3>;
using G2Strings = std::array<std::array<std::string, 2>, 3>;

G1Strings g1_to_snarkjs(const G1Affine& p);
G2Strings g2_to_snarkjs(const G2Affine& p);
/// Decimal (or 0x-hex) canonical coordinates; z = 0 means infinity, any other z is normalised
/// (x / z^2, y / z^3). nullopt for malformed or non-canonical numbers and invalid points.
std::optional<G1Affine> g1_from_snarkjs(const G1Strings& s);
std::optional<G2Affine> g2_from_snarkjs(const G2Strings& s);

}  // namespace zkamm::ec
