// The batch verifier without a compiler (settle/contract_code.hpp): a key's constants replace the
// template's placeholders, and nothing else of the code changes. (That the result verifies real
// proofs on L1 is what the devnet and operator end-to-end tests show.)
#include "settle/contract_code.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "settle/verifier_template.hpp"

namespace zkamm::settle {
namespace {

namespace vt = verifier_template;

size_t count(const l1::Bytes& hay, std::span<const uint8_t> needle) {
  size_t n = 0;
  for (auto it = hay.begin(); (it = std::search(it, hay.end(), needle.begin(), needle.end())) != hay.end(); ++it) ++n;
  return n;
}

/// A key with the template's shape and other values, every one distinct (not curve points: only
/// the bytes matter here).
snark::VerificationKey other_key() {
  uint64_t next = 1000;
  const auto fq = [&] { return ff::Fq::from_u64(next++); };
  snark::VerificationKey vk = vt::template_key();
  for (ec::G1Affine* p : {&vk.alpha_g1, &vk.ic[0], &vk.ic[1]}) p->x = fq(), p->y = fq();
  for (ec::G2Affine* p : {&vk.beta_g2, &vk.gamma_g2, &vk.delta_g2}) p->x.c1 = fq(), p->x.c0 = fq(), p->y.c1 = fq(), p->y.c0 = fq();
  return vk;
}

TEST(ContractCode, EveryContractIsCompiledIn) {
  std::string err;
  for (auto c : {contract_code::Contract::kPoseidon2, contract_code::Contract::kPoseidon4, contract_code::Contract::kPoseidon5,
                 contract_code::Contract::kKeyVerifier, contract_code::Contract::kRollup, contract_code::Contract::kTestErc20,
                 contract_code::Contract::kVerifierTemplateUniversal, contract_code::Contract::kVerifierTemplateSwap}) {
    const auto code = contract_code::creation_code(c, &err);
    ASSERT_TRUE(code.has_value()) << err;
    EXPECT_GT(code->size(), 100u);
  }
  EXPECT_NE(contract_code::compiler().find("solc-js"), std::string_view::npos);
}

TEST(ContractCode, VerifierGetsTheKeysConstantsAndNothingElseChanges) {
  std::string err;
  const auto tmpl = contract_code::creation_code(contract_code::Contract::kVerifierTemplateSwap, &err);
  ASSERT_TRUE(tmpl) << err;
  const snark::VerificationKey vk = other_key();
  const auto code = contract_code::verifier_code(vk, 1, 64, &err);
  ASSERT_TRUE(code) << err;
  ASSERT_EQ(code->size(), tmpl->size());
  const auto words = vt::words(vk);
  size_t changed = 0;
  for (size_t i = 0; i < code->size(); ++i) changed += (*code)[i] != (*tmpl)[i];
  EXPECT_GT(changed, 0u);
  for (size_t i = 0; i < vt::kWords; ++i) {
    const auto p = vt::placeholder(i);
    EXPECT_EQ(count(*code, p), 0u) << "placeholder " << i << " left";
    l1::Bytes from{0x7f}, to{0x7f};  // PUSH32 operands
    from.insert(from.end(), p.begin(), p.end());
    to.insert(to.end(), words[i].begin(), words[i].end());
    EXPECT_EQ(count(*code, to), count(*tmpl, from)) << "word " << i;
  }
  const l1::Bytes slots{0x63, 0, 0, 0, 64};
  EXPECT_EQ(count(*code, slots), 1u);
  // The same key for the other kind starts from the other template.
  const auto universal = contract_code::verifier_code(vk, 0, 64, &err);
  ASSERT_TRUE(universal) << err;
  EXPECT_NE(*universal, *code);
}

TEST(ContractCode, RefusesWhatNoTemplateFits) {
  std::string err;
  snark::VerificationKey two = vt::template_key();
  two.ic.push_back(two.ic[0]);
  EXPECT_FALSE(contract_code::verifier_code(two, 0, 4, &err));
  EXPECT_NE(err.find("public inputs"), std::string::npos);
  EXPECT_FALSE(contract_code::verifier_code(vt::template_key(), 0, 0, &err));
  EXPECT_FALSE(contract_code::verifier_code(vt::template_key(), 0, 1u << 24, &err));
  EXPECT_FALSE(contract_code::verifier_code(vt::template_key(), 2, 4, &err));
}

}  // namespace
}  // namespace zkamm::settle
