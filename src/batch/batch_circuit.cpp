#include "batch/batch_circuit.hpp"

#include "batch/slot_circuit.hpp"
#include "batch/slot_gadgets.hpp"
#include "batch/swap_slot_circuit.hpp"
#include "circuit/bits.hpp"
#include "circuit/poseidon_gadget.hpp"
#include "circuit/sha256.hpp"

namespace zkamm::batch {
namespace {

using circuit::Bit;
using snark::ConstraintSystem;
using snark::Variable;
namespace bh = tx::batch_header;

void append_const_be(std::vector<Bit>& out, uint64_t v, size_t nbits) {
  for (size_t i = nbits; i-- > 0;) out.push_back(Bit::constant_bit(((v >> i) & 1) != 0));
}

}  // namespace

BatchHandles synthesize(ConstraintSystem& cs, const BatchParams& params, const BatchWitness& w) {
  using circuit::to_bits;
  BatchHandles h;
  const Variable ts = cs.alloc(Fr::from_u64(w.timestamp));
  const auto ts_bits = to_bits(cs, ts, bh::kTimestamp.bits());
  const Variable bn = cs.alloc(Fr::from_u64(w.batch_number));
  const auto bn_bits = to_bits(cs, bn, bh::kNumber.bits());
  const Variable pf = cs.alloc(Fr::from_u64(w.priority_first));
  const auto pf_bits = to_bits(cs, pf, bh::kPriorityFirst.bits());
  const Variable nt = cs.alloc(Fr::from_u64(w.num_tokens));
  const auto nt_bits = to_bits(cs, nt, bh::kNumTokens.bits());
  const Variable ar0 = cs.alloc(w.account_root_old);
  const Variable pr0 = cs.alloc(w.pool_root_old);
  const Variable qr0 = cs.alloc(w.pair_root_old);
  const Variable np0 = cs.alloc(Fr::from_u64(w.num_pools_old));
  // state root = Poseidon(account_root, Poseidon(pool_root, pair_root, num_pools, 0)) (docs/STATE.md)
  const auto root_of = [&cs](const SlotChain& c) {
    return circuit::poseidon_gadget(
        cs, {c.account_root, circuit::poseidon_gadget(cs, {c.pool_root, c.pair_root, c.num_pools, Lc{}})});
  };
  SlotChain chain{ar0, pr0, qr0, np0};
  const Lc old_root = root_of(chain);

  Lc prio;
  std::vector<Bit> pubdata;
  for (uint32_t i = 0; i < params.num_slots; ++i) {
    h.slot_wire_begin.push_back(cs.num_variables());
    const bool swap = params.kind == BatchKind::Swap;
    SlotResult r = swap ? synthesize_swap_slot(cs, params, w.slots[i], chain.account_root, chain.pool_root, ts)
                        : synthesize_slot(cs, params, w.slots[i], chain, ts, nt);
    chain.account_root = r.account_root;
    chain.pool_root = r.pool_root;
    if (!swap) {  // a swap slot creates no pool
      chain.pair_root = r.pair_root;
      chain.num_pools = r.num_pools;
    }
    prio += r.priority;
    pubdata.insert(pubdata.end(), r.pubdata_bits.begin(), r.pubdata_bits.end());
  }
  h.first_slot_wire = h.slot_wire_begin.empty() ? cs.num_variables() : h.slot_wire_begin[0];
  const Lc new_root = root_of(chain);
  const auto old_bits = circuit::to_bits_strict(cs, old_root);
  const auto new_bits = circuit::to_bits_strict(cs, new_root);
  const auto pc_bits = to_bits(cs, prio, bh::kPriorityCount.bits());

  // The header's fields in order (tx/batch_header.hpp: they tile its 98 bytes), then the public data.
  std::vector<Bit> msg;
  msg.reserve(kHeaderBytes * 8 + pubdata.size());
  gadgets::append_be_bits(msg, bn_bits, bh::kNumber.bits());
  gadgets::append_be_bits(msg, ts_bits, bh::kTimestamp.bits());
  gadgets::append_be_bits(msg, old_bits, bh::kOldRoot.bits());
  gadgets::append_be_bits(msg, new_bits, bh::kNewRoot.bits());
  gadgets::append_be_bits(msg, pf_bits, bh::kPriorityFirst.bits());
  gadgets::append_be_bits(msg, pc_bits, bh::kPriorityCount.bits());
  append_const_be(msg, header_slot_field(params), bh::kKind.bits() + bh::kNumSlots.bits());
  gadgets::append_be_bits(msg, nt_bits, bh::kNumTokens.bits());
  msg.insert(msg.end(), pubdata.begin(), pubdata.end());
  const std::vector<Bit> digest = circuit::sha256(cs, msg);

  // input = digest read big-endian with the top 3 bits cleared.
  Lc input;
  for (size_t i = 3; i < 256; ++i) input += digest[i].lc() * circuit::pow2(static_cast<unsigned>(255 - i));
  h.public_input = cs.alloc_public(cs.eval(input));
  cs.enforce_equal(h.public_input, input);
  return h;
}

}  // namespace zkamm::batch
