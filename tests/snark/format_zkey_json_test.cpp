// .zkey, JSON and Solidity export: round trips, snarkjs' coefficient scaling, hostile inputs.
// Keys come from setup_with_toxic_waste on a self-generated circuit; snarkjs reading/writing the
// same files is checked by tests/e2e/*.sh.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "format_fixtures.hpp"
#include "snark/json_io.hpp"
#include "snark/solidity_verifier.hpp"
#include "snark/zkey_file.hpp"

namespace zkamm::snark {
namespace {

using ff::Fr;

const ProvingKey& tiny_pk() {
  static const ProvingKey pk = *setup_with_toxic_waste(test::tiny_r1cs(), test::fixed_toxic_waste());
  return pk;
}

TEST(FormatZkey, RoundTrip) {
  const ProvingKey& pk = tiny_pk();
  auto back = decode_zkey(encode_zkey(pk));
  ASSERT_TRUE(back.ok()) << to_string(back.error());
  EXPECT_EQ(back->num_vars, pk.num_vars);
  EXPECT_EQ(back->num_public, pk.num_public);
  EXPECT_EQ(back->domain_size, pk.domain_size);
  EXPECT_EQ(back->alpha_g1, pk.alpha_g1);
  EXPECT_EQ(back->beta_g1, pk.beta_g1);
  EXPECT_EQ(back->delta_g1, pk.delta_g1);
  EXPECT_EQ(back->beta_g2, pk.beta_g2);
  EXPECT_EQ(back->gamma_g2, pk.gamma_g2);
  EXPECT_EQ(back->delta_g2, pk.delta_g2);
  EXPECT_EQ(back->ic, pk.ic);
  EXPECT_EQ(back->a_g1, pk.a_g1);
  EXPECT_EQ(back->b1_g1, pk.b1_g1);
  EXPECT_EQ(back->b2_g2, pk.b2_g2);
  EXPECT_EQ(back->c_g1, pk.c_g1);
  EXPECT_EQ(back->h_g1, pk.h_g1);
  ASSERT_EQ(back->coefs.size(), pk.coefs.size());
  for (size_t i = 0; i < pk.coefs.size(); ++i) {
    EXPECT_EQ(back->coefs[i].matrix, pk.coefs[i].matrix);
    EXPECT_EQ(back->coefs[i].constraint, pk.coefs[i].constraint);
    EXPECT_EQ(back->coefs[i].signal, pk.coefs[i].signal);
    EXPECT_EQ(back->coefs[i].value, pk.coefs[i].value);
  }
  // The decoded key still proves.
  auto proof = prove(*back, test::tiny_witness());
  ASSERT_TRUE(proof.has_value());
  const auto w = test::tiny_witness();
  EXPECT_TRUE(verify(verification_key(*back), std::span<const Fr>(w.data() + 1, 3), *proof));
}

TEST(FormatZkey, CoefficientsScaledByRSquared) {
  // snarkjs zkey_new.js writeCoef stores v * R^2 mod r. For v = 1 that is R^2 mod r for BN254's
  // r, the constant rSquare of gnark-crypto (ecc/bn254/fr/element.go):
  //   0x0216d0b17f4e44a5_8c49833d53bb8085_53fe3ab1e35c59e3_1bb8e645ae216da7
  ProvingKey pk = tiny_pk();
  pk.coefs.assign(1, Coef{0, 0, 0, Fr::one()});
  const auto b = encode_zkey(pk);
  // Find section 4: walk the container.
  auto f = parse_binfile(b, "zkey", 1);
  ASSERT_TRUE(f.ok());
  auto s = f->unique_section(4);
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->size(), 4u + 12u + 32u);
  EXPECT_EQ(ff::from_bytes_le(s->data() + 16),
            (ff::U256{0x1bb8e645ae216da7ULL, 0x53fe3ab1e35c59e3ULL, 0x8c49833d53bb8085ULL, 0x0216d0b17f4e44a5ULL}));
}

TEST(FormatZkey, PointsAreMontgomeryLittleEndian) {
  // zkey_utils.js writeG1 uses toRprLEM: Montgomery x then y, LE. Our Fq raw() is x * 2^256 mod q.
  const auto b = encode_zkey(tiny_pk());
  auto f = parse_binfile(b, "zkey", 1);
  ASSERT_TRUE(f.ok());
  auto s = f->unique_section(2);
  ASSERT_TRUE(s.ok());
  // n8q | q | n8r | r | nVars | nPublic | domainSize | alpha1 ...
  const uint8_t* alpha = s->data() + 4 + 32 + 4 + 32 + 12;
  const ff::Fq x = ff::Fq::from_raw(ff::from_bytes_le(alpha));
  EXPECT_EQ(x, tiny_pk().alpha_g1.x);
  EXPECT_EQ(ff::from_bytes_le(s->data() + 4), ff::Fq::kModulus);
}

TEST(FormatZkey, RejectsHostileFiles) {
  const auto good = encode_zkey(tiny_pk());
  for (size_t n = 0; n < good.size(); n += 7)
    EXPECT_FALSE(decode_zkey(std::vector<uint8_t>(good.begin(), good.begin() + static_cast<long>(n))).ok()) << n;
  auto f = parse_binfile(good, "zkey", 1);
  ASSERT_TRUE(f.ok());
  size_t sec2 = 0;
  for (const auto& s : f->sections)
    if (s.type == 2) sec2 = s.offset;
  const size_t alpha = sec2 + 4 + 32 + 4 + 32 + 12;

  auto off_curve = good;
  off_curve[alpha + 32] ^= 1;  // alpha.y changes: off the curve
  EXPECT_EQ(decode_zkey(off_curve).error(), FileError::kBadPoint);
  auto non_canonical = good;
  for (int i = 0; i < 32; ++i) non_canonical[alpha + static_cast<size_t>(i)] = 0xff;
  EXPECT_EQ(decode_zkey(non_canonical).error(), FileError::kNonCanonical);
  auto wrong_q = good;
  wrong_q[sec2 + 4] ^= 2;
  EXPECT_EQ(decode_zkey(wrong_q).error(), FileError::kWrongPrime);
  auto plonk = good;
  plonk[f->sections[0].offset] = 2;  // protocol id 2 = PLONK
  EXPECT_EQ(decode_zkey(plonk).error(), FileError::kUnsupported);
  auto domain = good;
  domain[sec2 + 4 + 32 + 4 + 32 + 8] = 3;  // domain size 3: not a power of two
  EXPECT_EQ(decode_zkey(domain).error(), FileError::kInconsistent);
  auto nvars = good;
  nvars[sec2 + 4 + 32 + 4 + 32] = 100;  // sections no longer match nVars
  EXPECT_FALSE(decode_zkey(nvars).ok());
}

/// `zkamm prove` maps the .zkey and reads it in place: the same proof as from the decoded key
/// (same blinding), the same verification key; corrupt coefficient records make the prover
/// refuse; a file cut short or with a wrong section size does not open.
TEST(FormatZkey, MappedKeyProvesAsTheDecodedOne) {
  namespace fs = std::filesystem;
  const fs::path path = fs::temp_directory_path() / ("zkamm-mapped-" + std::to_string(::getpid()) + ".zkey");
  const ProvingKey& pk = tiny_pk();
  const auto bytes = encode_zkey(pk);
  ASSERT_EQ(write_file_bytes(path.string(), bytes), FileError::kOk);
  const auto w = test::tiny_witness();
  const Blinding blinding{Fr::from_u64(77), Fr::from_u64(1234)};
  {
    auto m = MappedZkey::open(path.string());
    ASSERT_TRUE(m.ok()) << to_string(m.error());
    const auto from_map = prove_with_blinding(m->prover_key(), w, blinding);
    const auto from_pk = prove_with_blinding(pk, w, blinding);
    ASSERT_TRUE(from_map.has_value());
    ASSERT_TRUE(from_pk.has_value());
    EXPECT_EQ(*from_map, *from_pk);
    EXPECT_TRUE(verify(m->verification_key(), std::span<const Fr>(w.data() + 1, 3), *from_map));
    EXPECT_EQ(m->verification_key().ic, verification_key(pk).ic);
    MappedZkey moved = std::move(*m);  // the mapping moves with the object
    EXPECT_TRUE(prove(moved.prover_key(), w).has_value());
  }
  auto f = parse_binfile(bytes, "zkey", 1);
  ASSERT_TRUE(f.ok());
  size_t coefs = 0;
  for (const auto& s : f->sections)
    if (s.type == 4) coefs = s.offset + 4;  // after the count
  const auto prove_corrupt = [&](size_t offset, uint8_t value) {
    auto bad = bytes;
    bad[offset] = value;
    EXPECT_EQ(write_file_bytes(path.string(), bad), FileError::kOk);
    auto m = MappedZkey::open(path.string());
    EXPECT_TRUE(m.ok());
    return m.ok() && prove(m->prover_key(), w).has_value();
  };
  EXPECT_FALSE(prove_corrupt(coefs, 2));            // matrix 2
  EXPECT_FALSE(prove_corrupt(coefs + 7, 0x7f));     // constraint beyond the domain
  EXPECT_FALSE(prove_corrupt(coefs + 11, 0x7f));    // signal beyond the wires
  EXPECT_FALSE(prove_corrupt(coefs + 12 + 31, 0xff));  // value >= r
  for (size_t n : {size_t{0}, size_t{11}, bytes.size() / 2, bytes.size() - 1}) {
    ASSERT_EQ(write_file_bytes(path.string(), std::span<const uint8_t>(bytes).first(n)), FileError::kOk);
    EXPECT_FALSE(MappedZkey::open(path.string()).ok()) << n;
  }
  EXPECT_EQ(MappedZkey::open((path.string() + ".missing")).error(), FileError::kIo);
  fs::remove(path);
}

TEST(FormatJson, ProofPublicAndVkRoundTrip) {
  const ProvingKey& pk = tiny_pk();
  const auto w = test::tiny_witness();
  auto proof = prove(pk, w);
  ASSERT_TRUE(proof.has_value());
  auto p2 = proof_from_json(proof_to_json(*proof));
  ASSERT_TRUE(p2.ok()) << to_string(p2.error());
  EXPECT_EQ(*p2, *proof);
  const std::span<const Fr> pub(w.data() + 1, 3);
  auto pub2 = public_signals_from_json(public_signals_to_json(pub));
  ASSERT_TRUE(pub2.ok());
  EXPECT_EQ(*pub2, std::vector<Fr>(pub.begin(), pub.end()));
  const VerificationKey vk = verification_key(pk);
  auto vk2 = verification_key_from_json(verification_key_to_json(vk));
  ASSERT_TRUE(vk2.ok()) << to_string(vk2.error());
  EXPECT_EQ(vk2->alpha_g1, vk.alpha_g1);
  EXPECT_EQ(vk2->beta_g2, vk.beta_g2);
  EXPECT_EQ(vk2->gamma_g2, vk.gamma_g2);
  EXPECT_EQ(vk2->delta_g2, vk.delta_g2);
  EXPECT_EQ(vk2->ic, vk.ic);
  EXPECT_TRUE(verify(*vk2, *pub2, *p2));
}

TEST(FormatJson, RejectsBadInput) {
  EXPECT_EQ(public_signals_from_json("not json").error(), FileError::kBadJson);
  EXPECT_EQ(public_signals_from_json("{}").error(), FileError::kBadJson);
  EXPECT_EQ(public_signals_from_json("[1]").error(), FileError::kNonCanonical);  // numbers, not strings
  EXPECT_EQ(public_signals_from_json("[\"0x10\"]").error(), FileError::kNonCanonical);
  EXPECT_EQ(public_signals_from_json(
                "[\"21888242871839275222246405745257275088548364400416034343698204186575808495617\"]")
                .error(),
            FileError::kNonCanonical);  // = r
  EXPECT_TRUE(public_signals_from_json(
                  "[\"21888242871839275222246405745257275088548364400416034343698204186575808495616\"]")
                  .ok());  // r - 1
  EXPECT_EQ(proof_from_json(R"({"pi_a":["1","3","1"],"pi_b":[["0","0"],["1","0"],["0","0"]],"pi_c":["0","1","0"]})")
                .error(),
            FileError::kBadPoint);  // (1, 3) is not on y^2 = x^3 + 3
  EXPECT_TRUE(proof_from_json(R"({"pi_a":["1","2","1"],"pi_b":[["0","0"],["1","0"],["0","0"]],"pi_c":["0","1","0"]})")
                  .ok());  // generator, infinity, infinity
  EXPECT_EQ(proof_from_json(R"({"pi_a":["1","2","1"]})").error(), FileError::kMissingSection);
  EXPECT_EQ(verification_key_from_json(R"({"protocol":"plonk","curve":"bn128"})").error(), FileError::kUnsupported);
}

TEST(FormatSolidity, VerifierHasSnarkjsAbi) {
  const VerificationKey vk = verification_key(tiny_pk());
  auto sol = export_solidity_verifier(vk);
  ASSERT_TRUE(sol.has_value());
  EXPECT_NE(sol->find("function verifyProof(\n        uint[2] calldata _pA,\n        uint[2][2] calldata _pB,\n"
                      "        uint[2] calldata _pC,\n        uint[3] calldata _pubSignals\n    ) public view returns (bool)"),
            std::string::npos);
  EXPECT_NE(sol->find("function verifyProofs(uint256[8][] calldata proofs, uint[3][] calldata pubSignals)"),
            std::string::npos);
  EXPECT_EQ(sol->find("batchCircuit"), std::string::npos);  // not a zkamm batch circuit's verifier
  VerificationKey none;
  none.ic.resize(1);
  EXPECT_FALSE(export_solidity_verifier(none).has_value());
}

// ZkammRollup's constructor reads (kind, num_slots) back and refuses a verifier of another circuit.
TEST(FormatSolidity, BatchVerifierSaysWhichCircuit) {
  const VerificationKey vk = verification_key(tiny_pk());
  auto sol = export_solidity_verifier(vk, "BatchGroth16Verifier", BatchCircuitId{1, 64});
  ASSERT_TRUE(sol.has_value());
  EXPECT_NE(sol->find("contract BatchGroth16Verifier {"), std::string::npos);
  EXPECT_NE(sol->find("    function batchCircuit() external pure returns (uint8 kind, uint32 numSlots) {\n"
                      "        return (1, 64);\n    }\n"),
            std::string::npos);
}

}  // namespace
}  // namespace zkamm::snark
