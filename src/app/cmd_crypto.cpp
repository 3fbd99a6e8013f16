// zkamm crypto poseidon / eddsa-verify / sha256: the native primitives from the command line, for
// debugging wallets and circuits (decimal field elements in and out, like Foundry's `cast`).
#include <cstdint>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/commands.hpp"
#include "ec/babyjubjub.hpp"
#include "ff/bn254.hpp"
#include "hash/eddsa.hpp"
#include "hash/poseidon.hpp"
#include "hash/sha256.hpp"

namespace zkamm::app {
namespace {

/// Canonical decimal: digits only, no sign, no leading zero (except "0" itself).
bool is_canonical_decimal(std::string_view s) noexcept {
  if (s.empty() || (s.size() > 1 && s[0] == '0')) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

/// A field element < r written in canonical decimal; nullopt otherwise.
std::optional<ff::Fr> parse_fr(std::string_view s) noexcept {
  if (!is_canonical_decimal(s)) return std::nullopt;
  return ff::Fr::from_decimal(s);
}

int bad_field_element(std::string_view what, const std::string& s) {
  return fail(std::string(what) + ": '" + s + "' is not a canonical decimal field element (0 <= x < r)");
}

int run_poseidon(const std::vector<std::string>& args) {
  if (args.empty() || args.size() > hash::kPoseidonMaxInputs)
    return fail("poseidon takes 1 to " + std::to_string(hash::kPoseidonMaxInputs) + " inputs, got " +
                std::to_string(args.size()));
  std::vector<ff::Fr> inputs;
  inputs.reserve(args.size());
  for (const auto& a : args) {
    auto x = parse_fr(a);
    if (!x) return bad_field_element("input", a);
    inputs.push_back(*x);
  }
  std::cout << hash::poseidon(inputs).to_decimal() << "\n";
  return 0;
}

int run_eddsa_verify(const std::vector<std::string>& args) {
  static constexpr const char* kNames[] = {"AX", "AY", "R8X", "R8Y", "S", "MSG"};
  if (args.size() != 6) return fail("eddsa-verify takes 6 arguments: AX AY R8X R8Y S MSG");
  std::vector<ff::Fr> f;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u}) {
    auto x = parse_fr(args[i]);
    if (!x) return bad_field_element(kNames[i], args[i]);
    f.push_back(*x);
  }
  // S is a scalar mod l: any 256-bit decimal parses; S >= l is a verification failure, not a usage error.
  std::optional<ff::U256> s;
  if (is_canonical_decimal(args[4])) s = ff::parse_u256(args[4]);
  if (!s) return fail("S: '" + args[4] + "' is not a canonical decimal number below 2^256");
  const ec::BabyJubAffine a{f[0], f[1]};
  const hash::EddsaSignature sig{ec::BabyJubAffine{f[2], f[3]}, *s};
  std::cout << (hash::eddsa_verify_poseidon(a, f[4], sig) ? "true" : "false") << "\n";
  return 0;
}

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int run_sha256(std::string_view hex) {
  const std::string original(hex);
  if (hex.size() >= 2 && hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X')) hex.remove_prefix(2);
  if (hex.size() % 2 != 0) return fail("sha256: '" + original + "' has an odd number of hex digits");
  std::vector<uint8_t> bytes(hex.size() / 2);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const int hi = hex_value(hex[2 * i]);
    const int lo = hex_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return fail("sha256: '" + original + "' is not hex");
    bytes[i] = static_cast<uint8_t>(hi * 16 + lo);
  }
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (uint8_t b : hash::sha256(bytes)) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  std::cout << out << "\n";
  return 0;
}

}  // namespace

void register_crypto(CLI::App& app, int& exit_code) {
  auto* crypto = app.add_subcommand("crypto", "native primitives for debugging (decimal field elements)");
  crypto->require_subcommand(1);

  auto* pos = crypto->add_subcommand("poseidon", "Poseidon hash (circomlib) of 1..16 field elements");
  auto pos_args = std::make_shared<std::vector<std::string>>();
  pos->add_option("X", *pos_args, "inputs, decimal < r")->required();
  pos->callback([=, &exit_code] { exit_code = run_poseidon(*pos_args); });

  auto* ev = crypto->add_subcommand("eddsa-verify", "EdDSA-Poseidon (circomlib) verification: prints true/false");
  auto ev_args = std::make_shared<std::vector<std::string>>();
  ev->add_option("AX AY R8X R8Y S MSG", *ev_args, "public key, signature and message, decimal")->required();
  ev->callback([=, &exit_code] { exit_code = run_eddsa_verify(*ev_args); });

  auto* sha = crypto->add_subcommand("sha256", "SHA-256 of hex bytes: prints the digest in hex");
  auto sha_arg = std::make_shared<std::string>();
  sha->add_option("HEX", *sha_arg, "input bytes, hex (optional 0x, even length; \"\" for empty)")->required();
  sha->callback([=, &exit_code] { exit_code = run_sha256(*sha_arg); });
}

}  // namespace zkamm::app
