#include "hash/sha256.hpp"

#include <gtest/gtest.h>

#include <string_view>

#include "hash/circomlib_oracle.hpp"
#include "hash/keccak256.hpp"

namespace zkamm::hash {
namespace {

std::span<const uint8_t> bytes(std::string_view s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }
std::string hex(const Digest32& d) { return testing::to_hex(d.data(), d.size()); }

TEST(Sha256, KnownAnswers) {
  // FIPS 180-2 Appendix B.1 ("abc") and the well-known empty-string digest (NIST CSRC examples).
  EXPECT_EQ(hex(sha256(bytes(""))), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(hex(sha256(bytes("abc"))), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Keccak256, KnownAnswersAreEthereumsNotSha3) {
  // Ethereum's empty-code hash (Yellow Paper, KEC(())); "abc" checked with foundry's `cast keccak abc`.
  EXPECT_EQ(hex(keccak256(bytes(""))), "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  EXPECT_EQ(hex(keccak256(bytes("abc"))), "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
  // FIPS 202 SHA3-256("") differs: a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a
  EXPECT_NE(hex(keccak256(bytes(""))), "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a");
}

}  // namespace
}  // namespace zkamm::hash
