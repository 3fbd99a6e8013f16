#include "settle/contract_code.hpp"

#include <algorithm>

#include "settle/verifier_template.hpp"
#include "tx/batch_header.hpp"

namespace zkamm::settle::contract_code {
namespace {

/// Replaces every occurrence of `from` by `to` (same length) in `code`; returns how many.
size_t replace_all(l1::Bytes& code, std::span<const uint8_t> from, std::span<const uint8_t> to) {
  size_t n = 0;
  for (auto it = code.begin(); (it = std::search(it, code.end(), from.begin(), from.end())) != code.end(); ++n) {
    it = std::copy(to.begin(), to.end(), it);
  }
  return n;
}

}  // namespace

std::optional<l1::Bytes> creation_code(Contract c, std::string* error) {
  const std::string_view hex = creation_code_hex(c);
  auto b = hex.empty() ? std::nullopt : l1::from_hex(hex);
  if (!b || b->empty()) {
    if (error != nullptr)
      *error = "this zkamm was built without the compiled contracts (the build found no node_modules/solc; see docs/BUILD.md)";
    return std::nullopt;
  }
  return b;
}

std::optional<l1::Bytes> verifier_code(const snark::VerificationKey& vk, uint8_t kind, uint32_t num_slots,
                                       std::string* error) {
  const auto fail = [&](std::string why) -> std::optional<l1::Bytes> {
    if (error != nullptr) *error = std::move(why);
    return std::nullopt;
  };
  if (vk.num_public() != 1) return fail("the verification key has " + std::to_string(vk.num_public()) + " public inputs, not 1");
  if (num_slots == 0 || num_slots >= (1u << 24)) return fail("slot count not in [1, 2^24)");
  if (kind >= tx::kNumBatchKinds) return fail("unknown batch kind");
  auto code = creation_code(kind == 0 ? Contract::kVerifierTemplateUniversal : Contract::kVerifierTemplateSwap, error);
  if (!code) return std::nullopt;
  const auto words = verifier_template::words(vk);
  for (size_t i = 0; i < verifier_template::kWords; ++i) {
    std::array<uint8_t, 33> from{}, to{};
    from[0] = to[0] = 0x7f;  // PUSH32
    const auto p = verifier_template::placeholder(i);
    std::copy(p.begin(), p.end(), from.begin() + 1);
    std::copy(words[i].begin(), words[i].end(), to.begin() + 1);
    if (replace_all(*code, from, to) == 0) return fail("verifier template without placeholder " + std::to_string(i));
  }
  const auto be4 = [](uint32_t v) {
    return std::array<uint8_t, 5>{0x63, static_cast<uint8_t>(v >> 24), static_cast<uint8_t>(v >> 16),
                                  static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)};  // PUSH4
  };
  if (replace_all(*code, be4(verifier_template::kSlotsPlaceholder), be4(num_slots)) != 1)
    return fail("verifier template without a unique slot-count placeholder");
  return code;
}

}  // namespace zkamm::settle::contract_code
