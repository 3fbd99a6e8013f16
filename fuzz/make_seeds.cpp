// Writes the seed corpus of every fuzz target (fuzz/corpus/<target>/) from our own encoders, so
// the seeds stay valid when a format changes: `fuzz_make_seeds fuzz/corpus` (docs/TESTING.md).
// One valid input per shape; the fuzzer mutates from there.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "batch/batch_circuit.hpp"
#include "batch/witness_codec.hpp"
#include "l1/abi.hpp"
#include "l1/rlp.hpp"
#include "snark/groth16.hpp"
#include "snark/r1cs_file.hpp"
#include "snark/wtns_file.hpp"
#include "snark/zkey_file.hpp"
#include "tx/encoding.hpp"
#include "tx/json.hpp"

namespace {

namespace fs = std::filesystem;
using namespace zkamm;

void write(const fs::path& dir, const std::string& name, const void* data, std::size_t n) {
  fs::create_directories(dir);
  std::ofstream(dir / name, std::ios::binary).write(static_cast<const char*>(data), static_cast<std::streamsize>(n));
}
void write(const fs::path& dir, const std::string& name, const std::vector<uint8_t>& b) { write(dir, name, b.data(), b.size()); }
void write(const fs::path& dir, const std::string& name, const std::string& s) { write(dir, name, s.data(), s.size()); }

/// One transaction of every type (the variant's alternatives), fields non-zero where in range.
std::vector<tx::Tx> every_tx_type() {
  std::vector<tx::Tx> out;
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (out.push_back(tx::Tx(std::in_place_index<I>)), ...);
  }(std::make_index_sequence<std::variant_size_v<tx::Tx>>{});
  return out;
}

/// out = x * y (wire 1 public output, wires 2 and 3 private inputs).
snark::R1cs tiny_r1cs() {
  using ff::Fr;
  snark::R1cs r;
  r.num_wires = 4;
  r.num_public_outputs = 1;
  r.num_private_inputs = 2;
  r.num_labels = 4;
  r.constraints.push_back({{{2, Fr::one()}}, {{3, Fr::one()}}, {{1, Fr::one()}}});
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <corpus dir>\n", argv[0]);
    return 2;
  }
  const fs::path root = argv[1];

  const auto txs = every_tx_type();
  for (std::size_t i = 0; i < txs.size(); ++i) {
    write(root / "tx_decode", "type" + std::to_string(i), tx::encode(txs[i]));
    write(root / "tx_json", "type" + std::to_string(i), tx::to_json(txs[i]).dump());
  }

  namespace rlp = l1::rlp;
  write(root / "rlp", "empty_string", rlp::encode(rlp::Item::string({})));
  write(root / "rlp", "uint", rlp::encode(rlp::Item::uint(l1::u256(1'000'000))));
  write(root / "rlp", "long_string", rlp::encode(rlp::Item::string(l1::Bytes(60, 0xab))));
  write(root / "rlp", "nested_list",
        rlp::encode(rlp::Item::of_list({rlp::Item::string({0x01}),
                                        rlp::Item::of_list({rlp::Item::string({}), rlp::Item::of_list({})})})));

  namespace abi = l1::abi;
  auto abi_seed = [&](const std::string& name, const std::string& type_text, const std::vector<abi::Value>& values) {
    const auto type = abi::parse_type(type_text);
    const auto bytes = abi::encode(type->components, values);
    std::string s = type_text + "\n";
    s.append(bytes->begin(), bytes->end());
    write(root / "abi", name, s);
  };
  abi_seed("static", "(uint256,bool,address,bytes4)",
           {abi::Value::uint(7), abi::Value::boolean(true), abi::Value::address({}),
            abi::Value::bytes_value({1, 2, 3, 4})});
  abi_seed("dynamic", "(bytes,string,uint64[],(uint8,bytes)[2])",
           {abi::Value::bytes_value({9, 9}), abi::Value::bytes_value({'h', 'i'}),
            abi::Value::list({abi::Value::uint(1), abi::Value::uint(2)}),
            abi::Value::list({abi::Value::list({abi::Value::uint(3), abi::Value::bytes_value({})}),
                              abi::Value::list({abi::Value::uint(4), abi::Value::bytes_value({5})})})});

  const auto r1cs = tiny_r1cs();
  write(root / "r1cs", "tiny", snark::encode_r1cs(r1cs));
  const std::vector<ff::Fr> witness = {ff::Fr::one(), ff::Fr::from_u64(6), ff::Fr::from_u64(2), ff::Fr::from_u64(3)};
  write(root / "wtns", "tiny", snark::encode_wtns(witness));
  const snark::ToxicWaste tw{ff::Fr::from_u64(11), ff::Fr::from_u64(13), ff::Fr::from_u64(17), ff::Fr::from_u64(19),
                             ff::Fr::from_u64(23)};
  const auto pk = snark::setup_with_toxic_waste(r1cs, tw);
  write(root / "zkey", "tiny", snark::encode_zkey(*pk));

  for (const auto kind : {batch::BatchKind::Universal, batch::BatchKind::Swap}) {
    const batch::BatchParams params{.num_slots = 1, .domain = {}, .kind = kind};
    write(root / "batch_witness", kind == batch::BatchKind::Swap ? "noop_swap" : "noop_universal",
          batch::encode_witness(batch::noop_witness(params)));
  }

  write(root / "jsonrpc", "single", std::string(R"({"jsonrpc":"2.0","id":1,"method":"probe","params":["0x)") +
                                        std::string(64, '0') + R"(","0x0102","123","7",5]})");
  write(root / "jsonrpc", "named", std::string(R"({"jsonrpc":"2.0","id":"a","method":"probe","params":{"index":3,"amount":"0"}})"));
  write(root / "jsonrpc", "batch",
        std::string(R"([{"jsonrpc":"2.0","id":1,"method":"later","params":[1]},{"jsonrpc":"2.0","method":"throws"},)"
                    R"({"jsonrpc":"2.0","id":null,"method":"nope"}])"));
  write(root / "jsonrpc", "send", R"({"jsonrpc":"2.0","id":2,"method":"sendTransaction","params":[)" +
                                      tx::to_json(txs.back()).dump() + "]}");
  return 0;
}
