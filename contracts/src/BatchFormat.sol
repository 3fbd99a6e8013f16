// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// The batch header (docs/BATCH.md section 2): 98 bytes, every field big-endian at a fixed
/// offset. The Solidity twin of src/tx/batch_header.hpp; contracts/test/BatchFormat.t.sol decodes
/// the headers the C++ encoder wrote (generated/BatchHeaderFixture.sol) and compares every field.
library BatchFormat {
    uint256 internal constant HEADER_BYTES = 98;

    // Field offsets and sizes in bytes; each field ends where the next begins.
    uint256 internal constant NUMBER_AT = 0; // u64: 1 for the first batch, then +1
    uint256 internal constant NUMBER_BYTES = 8;
    uint256 internal constant TIMESTAMP_AT = 8; // u64 seconds
    uint256 internal constant TIMESTAMP_BYTES = 8;
    uint256 internal constant OLD_ROOT_AT = 16; // state root before the batch
    uint256 internal constant NEW_ROOT_AT = 48; // state root after the batch
    uint256 internal constant ROOT_BYTES = 32;
    uint256 internal constant PRIORITY_FIRST_AT = 80; // u64: serial of the first priority op
    uint256 internal constant PRIORITY_FIRST_BYTES = 8;
    uint256 internal constant PRIORITY_COUNT_AT = 88; // u32: priority ops in the batch
    uint256 internal constant PRIORITY_COUNT_BYTES = 4;
    uint256 internal constant KIND_AT = 92; // u8: KIND_UNIVERSAL or KIND_SWAP
    uint256 internal constant KIND_BYTES = 1;
    uint256 internal constant NUM_SLOTS_AT = 93; // u24: N
    uint256 internal constant NUM_SLOTS_BYTES = 3;
    uint256 internal constant NUM_TOKENS_AT = 96; // u16: L1 tokens registered (ETH included)
    uint256 internal constant NUM_TOKENS_BYTES = 2;

    uint8 internal constant KIND_UNIVERSAL = 0; // every transaction type, 42-byte slots
    uint8 internal constant KIND_SWAP = 1; // swaps only, 10-byte slots (docs/BATCH.md section 8)

    // The pubdata slot (docs/BATCH.md section 3, docs/TRANSACTIONS.md section 4): a universal
    // batch's pubdata is N slots of SLOT_BYTES, each one transaction's public data (big-endian)
    // zero-padded, the Solidity twin of src/tx/public_data.cpp for the slots the rollup reads:
    // the on-chain types (deposit, full_exit, withdraw, create_account). Offsets are from the
    // slot's first byte; contracts/test/BatchFormat.t.sol decodes the slots the C++ encoder
    // wrote (generated/SlotFixture.sol) with them, field by field.
    uint256 internal constant SLOT_BYTES = 42;
    uint256 internal constant SWAP_SLOT_BYTES = 10;
    uint256 internal constant SLOT_TYPE_AT = 0; // u8: the transaction type (ZkammStorage.OP_*)
    uint256 internal constant TYPE_BYTES = 1;
    uint256 internal constant SLOT_ACCOUNT_AT = 1; // u24: the account of every on-chain type
    uint256 internal constant ACCOUNT_BYTES = 3;
    uint256 internal constant SLOT_TOKEN_AT = 4; // u16: deposit, full_exit, withdraw
    uint256 internal constant TOKEN_BYTES = 2;
    uint256 internal constant SLOT_AMOUNT_AT = 6; // u128: deposit, full_exit of an L1 token, withdraw
    uint256 internal constant AMOUNT_BYTES = 16;
    uint256 internal constant SLOT_L1_ADDRESS_AT = 22; // withdraw: the L1 recipient (20 bytes)
    uint256 internal constant L1_ADDRESS_BYTES = 20;
    uint256 internal constant SLOT_PUBKEY_AT = 4; // create_account: the packed key (32 bytes)
    uint256 internal constant PUBKEY_BYTES = 32;
    // SLOT_PUBKEY_AT + PUBKEY_BYTES as a literal: a sum of constants is computed (and
    // overflow-checked) at run time, 75 gas per create_account slot.
    uint256 internal constant SLOT_PUBKEY_END = 36;
    // full_exit of an LP token (SLOT_TOKEN_AT holds the LP token): the pool's two tokens and
    // the amounts of each that the burned position paid.
    uint256 internal constant SLOT_EXIT_TOKEN0_AT = 6;
    uint256 internal constant SLOT_EXIT_AMOUNT0_AT = 8;
    uint256 internal constant SLOT_EXIT_TOKEN1_AT = 24;
    uint256 internal constant SLOT_EXIT_AMOUNT1_AT = 26;

    struct Header {
        uint64 number;
        uint64 timestamp;
        uint256 oldRoot;
        uint256 newRoot; // may be >= r: the rollup checks it
        uint64 priorityFirst;
        uint32 priorityCount;
        uint8 kind;
        uint24 numSlots;
        uint16 numTokens;
    }

    /// Decodes a header; reverts unless it is exactly HEADER_BYTES long and of a known kind.
    /// What the fields must equal (number, roots, slot count, ...) is the caller's check.
    function decodeHeader(bytes calldata header) internal pure returns (Header memory h) {
        require(header.length == HEADER_BYTES, "zkamm: header length");
        h.kind = uint8(_read(header, KIND_AT, KIND_BYTES));
        require(h.kind <= KIND_SWAP, "zkamm: batch kind");
        h.number = uint64(_read(header, NUMBER_AT, NUMBER_BYTES));
        h.timestamp = uint64(_read(header, TIMESTAMP_AT, TIMESTAMP_BYTES));
        h.oldRoot = _read(header, OLD_ROOT_AT, ROOT_BYTES);
        h.newRoot = _read(header, NEW_ROOT_AT, ROOT_BYTES);
        h.priorityFirst = uint64(_read(header, PRIORITY_FIRST_AT, PRIORITY_FIRST_BYTES));
        h.priorityCount = uint32(_read(header, PRIORITY_COUNT_AT, PRIORITY_COUNT_BYTES));
        h.numSlots = uint24(_read(header, NUM_SLOTS_AT, NUM_SLOTS_BYTES));
        h.numTokens = uint16(_read(header, NUM_TOKENS_AT, NUM_TOKENS_BYTES));
    }

    /// `len` (1..32) bytes at `at`, big-endian. decodeHeader checked the length once, so no read
    /// here passes the header's end.
    function _read(bytes calldata data, uint256 at, uint256 len) private pure returns (uint256 v) {
        assembly {
            v := shr(mul(sub(32, len), 8), calldataload(add(data.offset, at)))
        }
    }
}
