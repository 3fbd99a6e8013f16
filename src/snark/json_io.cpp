#include "snark/json_io.hpp"

#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "ec/pairing.hpp"

namespace zkamm::snark {
namespace {

using ec::G1Affine;
using ec::G2Affine;
using ff::Fq;
using ff::Fq2;
using ff::Fr;
using nlohmann::json;

json dec(const ff::U256& v) { return ff::to_decimal(v); }
json fq(const Fq& v) { return dec(v.to_canonical()); }
json fq2(const Fq2& v) { return json::array({fq(v.c0), fq(v.c1)}); }

json g1(const G1Affine& p) {
  if (p.infinity) return json::array({"0", "1", "0"});
  return json::array({fq(p.x), fq(p.y), "1"});
}

json g2(const G2Affine& p) {
  if (p.infinity) return json::array({json::array({"0", "0"}), json::array({"1", "0"}), json::array({"0", "0"})});
  return json::array({fq2(p.x), fq2(p.y), json::array({"1", "0"})});
}

/// A decimal string below the modulus of F (snarkjs never writes hex or JSON numbers).
template <class F>
bool get_field(const json& j, F& out) {
  if (!j.is_string()) return false;
  const auto& s = j.get_ref<const std::string&>();
  if (s.empty() || s.size() > 78) return false;
  for (char ch : s)
    if (ch < '0' || ch > '9') return false;
  auto v = ff::parse_u256(s);
  if (!v) return false;
  auto f = F::from_canonical(*v);
  if (!f) return false;
  out = *f;
  return true;
}

bool get_fq2(const json& j, Fq2& out) {
  return j.is_array() && j.size() == 2 && get_field(j[0], out.c0) && get_field(j[1], out.c1);
}

/// [x, y, z] with z in {0, 1} (what snarkjs writes), or [x, y] (affine).
FileError get_g1(const json& j, G1Affine& p) {
  if (!j.is_array() || (j.size() != 3 && j.size() != 2)) return FileError::kInconsistent;
  Fq x, y, z = Fq::one();
  if (!get_field(j[0], x) || !get_field(j[1], y) || (j.size() == 3 && !get_field(j[2], z)))
    return FileError::kNonCanonical;
  if (z.is_zero()) {
    p = G1Affine{};
    return FileError::kOk;
  }
  if (!z.is_one()) return FileError::kUnsupported;
  p = G1Affine{x, y};
  return p.is_on_curve() ? FileError::kOk : FileError::kBadPoint;
}

FileError get_g2(const json& j, G2Affine& p) {
  if (!j.is_array() || (j.size() != 3 && j.size() != 2)) return FileError::kInconsistent;
  Fq2 x, y, z = Fq2::one();
  if (!get_fq2(j[0], x) || !get_fq2(j[1], y) || (j.size() == 3 && !get_fq2(j[2], z)))
    return FileError::kNonCanonical;
  if (z.is_zero()) {
    p = G2Affine{};
    return FileError::kOk;
  }
  if (!z.is_one()) return FileError::kUnsupported;
  p = G2Affine{x, y};
  return p.is_in_subgroup() ? FileError::kOk : FileError::kBadPoint;
}

std::optional<json> parse(std::string_view text) {
  json j = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return std::nullopt;
  return j;
}

bool has_string(const json& j, const char* key, std::string_view want) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() && it->get_ref<const std::string&>() == want;
}

}  // namespace

std::string proof_to_json(const Proof& proof) {
  json j = json::object();
  j["pi_a"] = g1(proof.a);
  j["pi_b"] = g2(proof.b);
  j["pi_c"] = g1(proof.c);
  j["protocol"] = "groth16";
  j["curve"] = "bn128";
  return j.dump(1) + "\n";
}

Result<Proof> proof_from_json(std::string_view text) {
  auto j = parse(text);
  if (!j || !j->is_object()) return FileError::kBadJson;
  if (j->contains("protocol") && !has_string(*j, "protocol", "groth16")) return FileError::kUnsupported;
  if (j->contains("curve") && !has_string(*j, "curve", "bn128")) return FileError::kWrongPrime;
  if (!j->contains("pi_a") || !j->contains("pi_b") || !j->contains("pi_c")) return FileError::kMissingSection;
  Proof p;
  for (FileError e : {get_g1((*j)["pi_a"], p.a), get_g2((*j)["pi_b"], p.b), get_g1((*j)["pi_c"], p.c)})
    if (e != FileError::kOk) return e;
  return p;
}

std::string public_signals_to_json(std::span<const Fr> signals) {
  json j = json::array();
  for (const auto& s : signals) j.push_back(dec(s.to_canonical()));
  return j.dump(1) + "\n";
}

Result<std::vector<Fr>> public_signals_from_json(std::string_view text) {
  auto j = parse(text);
  if (!j || !j->is_array()) return FileError::kBadJson;
  std::vector<Fr> out(j->size());
  for (size_t i = 0; i < out.size(); ++i)
    if (!get_field((*j)[i], out[i])) return FileError::kNonCanonical;
  return out;
}

std::string verification_key_to_json(const VerificationKey& vk) {
  json j = json::object();
  j["protocol"] = "groth16";
  j["curve"] = "bn128";
  j["nPublic"] = vk.num_public();
  j["vk_alpha_1"] = g1(vk.alpha_g1);
  j["vk_beta_2"] = g2(vk.beta_g2);
  j["vk_gamma_2"] = g2(vk.gamma_g2);
  j["vk_delta_2"] = g2(vk.delta_g2);
  const ff::Fq12 ab = ec::pairing(vk.alpha_g1, vk.beta_g2);
  json gt = json::array();
  for (const ff::Fq6* half : {&ab.c0, &ab.c1})
    gt.push_back(json::array({fq2(half->c0), fq2(half->c1), fq2(half->c2)}));
  j["vk_alphabeta_12"] = gt;
  json ic = json::array();
  for (const auto& p : vk.ic) ic.push_back(g1(p));
  j["IC"] = ic;
  return j.dump(1) + "\n";
}

Result<VerificationKey> verification_key_from_json(std::string_view text) {
  auto j = parse(text);
  if (!j || !j->is_object()) return FileError::kBadJson;
  if (!has_string(*j, "protocol", "groth16")) return FileError::kUnsupported;
  if (!has_string(*j, "curve", "bn128")) return FileError::kWrongPrime;
  for (const char* key : {"vk_alpha_1", "vk_beta_2", "vk_gamma_2", "vk_delta_2", "IC"})
    if (!j->contains(key)) return FileError::kMissingSection;
  const json& ic = (*j)["IC"];
  if (!ic.is_array() || ic.empty()) return FileError::kInconsistent;
  if (j->contains("nPublic")) {
    const json& n = (*j)["nPublic"];
    if (!n.is_number_unsigned() || n.get<uint64_t>() + 1 != ic.size()) return FileError::kInconsistent;
  }
  VerificationKey vk;
  for (FileError e : {get_g1((*j)["vk_alpha_1"], vk.alpha_g1), get_g2((*j)["vk_beta_2"], vk.beta_g2),
                      get_g2((*j)["vk_gamma_2"], vk.gamma_g2), get_g2((*j)["vk_delta_2"], vk.delta_g2)})
    if (e != FileError::kOk) return e;
  vk.ic.resize(ic.size());
  for (size_t i = 0; i < ic.size(); ++i)
    if (auto e = get_g1(ic[i], vk.ic[i]); e != FileError::kOk) return e;
  return vk;
}

Result<std::string> read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return FileError::kIo;
  std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return FileError::kIo;
  return s;
}

FileError write_text_file(const std::string& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return FileError::kIo;
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  return out ? FileError::kOk : FileError::kIo;
}

}  // namespace zkamm::snark
