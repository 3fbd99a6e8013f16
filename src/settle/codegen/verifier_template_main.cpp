// Build-time generator (not part of zkamm): writes the batch verifier's template sources, one
// per batch kind, and the placeholders' hex values, for src/settle/compile_contracts.js
// (settle/verifier_template.hpp explains the scheme).
// Usage: zkamm_verifier_template OUT_DIR
#include <fstream>
#include <iostream>
#include <string>

#include "l1/bytes.hpp"
#include "settle/verifier_template.hpp"
#include "snark/solidity_verifier.hpp"

int main(int argc, char** argv) {
  namespace vt = zkamm::settle::verifier_template;
  if (argc != 2) {
    std::cerr << "usage: zkamm_verifier_template OUT_DIR\n";
    return 2;
  }
  const std::string dir = argv[1];
  const auto vk = vt::template_key();
  for (uint8_t kind = 0; kind <= 1; ++kind) {
    const auto sol = zkamm::snark::export_solidity_verifier(vk, "BatchGroth16Verifier",
                                                            zkamm::snark::BatchCircuitId{kind, vt::kSlotsPlaceholder});
    std::ofstream out(dir + "/VerifierTemplate" + std::to_string(kind) + ".sol");
    if (!sol || !(out << *sol)) return 1;
  }
  std::ofstream out(dir + "/verifier_placeholders.json");
  out << "{\"slots\": \"" << std::hex << vt::kSlotsPlaceholder << "\", \"words\": [";
  for (size_t i = 0; i < vt::kWords; ++i) {
    const auto p = vt::placeholder(i);
    out << (i ? ", " : "") << '"' << zkamm::l1::to_hex(p).substr(2) << '"';
  }
  out << "]}\n";
  return out ? 0 : 1;
}
