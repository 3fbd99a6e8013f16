// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {BatchFormat} from "../src/BatchFormat.sol";
import {BigEndian} from "../src/BigEndian.sol";
// Written by tests/tx/batch_header_test.cpp with the C++ encoder (src/tx/batch_header.hpp).
import {BatchHeaderFixture} from "../src/generated/BatchHeaderFixture.sol";
// Written by tests/tx/slot_fixture_test.cpp with the C++ encoder (src/tx/public_data.hpp).
import {SlotFixture} from "../src/generated/SlotFixture.sol";
import {RollupTestBase} from "./RollupTestBase.sol";

/// BatchFormat.decodeHeader against the C++ encoder: every header of the fixture decodes to the
/// field values the C++ side encoded, field by field; wrong lengths and unknown kinds revert.
/// The pubdata slots the C++ encoder wrote decode, with BatchFormat's slot offsets read the way
/// ZkammRollup reads them, to the values it encoded.
contract BatchFormatTest is RollupTestBase {
    using BigEndian for bytes;

    // ZkammStorage's type bytes and first LP token (docs/TRANSACTIONS.md section 1).
    uint8 internal constant OP_DEPOSIT = 1;
    uint8 internal constant OP_FULL_EXIT = 2;
    uint8 internal constant OP_WITHDRAW = 9;
    uint8 internal constant OP_CREATE_ACCOUNT = 10;
    uint16 internal constant FIRST_LP_TOKEN = 512;

    /// decodeHeader reads calldata: the test calls itself to get some.
    function decode(bytes calldata header) external pure returns (BatchFormat.Header memory) {
        return BatchFormat.decodeHeader(header);
    }

    function test_decodesEveryFieldTheCppEncoderWrote() public view {
        assert(BatchHeaderFixture.COUNT >= 10);
        for (uint256 i = 0; i < BatchHeaderFixture.COUNT; i++) {
            BatchHeaderFixture.Case memory c = BatchHeaderFixture.get(i);
            assert(c.encoded.length == BatchFormat.HEADER_BYTES);
            BatchFormat.Header memory h = this.decode(c.encoded);
            require(h.number == c.number, "number");
            require(h.timestamp == c.timestamp, "timestamp");
            require(h.oldRoot == c.oldRoot, "oldRoot");
            require(h.newRoot == c.newRoot, "newRoot");
            require(h.priorityFirst == c.priorityFirst, "priorityFirst");
            require(h.priorityCount == c.priorityCount, "priorityCount");
            require(h.kind == c.kind, "kind");
            require(h.numSlots == c.numSlots, "numSlots");
            require(h.numTokens == c.numTokens, "numTokens");
        }
    }

    function test_rejectsWrongLengths() public {
        bytes memory good = BatchHeaderFixture.get(3).encoded;
        uint256[4] memory lengths = [uint256(0), 97, 99, 196];
        for (uint256 k = 0; k < lengths.length; k++) {
            bytes memory b = new bytes(lengths[k]);
            for (uint256 j = 0; j < b.length && j < good.length; j++) b[j] = good[j];
            vm.expectRevert(bytes("zkamm: header length"));
            this.decode(b);
        }
    }

    function test_rejectsUnknownKinds() public {
        bytes memory b = BatchHeaderFixture.get(3).encoded;
        for (uint256 k = 2; k < 256; k += 51) {
            b[BatchFormat.KIND_AT] = bytes1(uint8(k));
            vm.expectRevert(bytes("zkamm: batch kind"));
            this.decode(b);
        }
        b[BatchFormat.KIND_AT] = bytes1(BatchFormat.KIND_SWAP);
        assert(this.decode(b).kind == BatchFormat.KIND_SWAP);
    }

    /// A slot's fields as ZkammRollup reads them (_checkOp, _dequeue, _walk), by BatchFormat's
    /// offsets; fields its type does not have stay 0.
    function readSlot(bytes calldata s) external pure returns (SlotFixture.Case memory c) {
        require(s.length == BatchFormat.SLOT_BYTES, "slot length");
        c.opType = uint8(s.readUint(BatchFormat.SLOT_TYPE_AT, BatchFormat.TYPE_BYTES));
        c.account = uint32(s.readUint(BatchFormat.SLOT_ACCOUNT_AT, BatchFormat.ACCOUNT_BYTES));
        if (c.opType == OP_CREATE_ACCOUNT) {
            c.pubkey = bytes32(s[BatchFormat.SLOT_PUBKEY_AT:BatchFormat.SLOT_PUBKEY_END]);
            return c;
        }
        c.token = uint16(s.readUint(BatchFormat.SLOT_TOKEN_AT, BatchFormat.TOKEN_BYTES));
        if (c.opType == OP_FULL_EXIT && c.token >= FIRST_LP_TOKEN) {
            c.token0 = uint16(s.readUint(BatchFormat.SLOT_EXIT_TOKEN0_AT, BatchFormat.TOKEN_BYTES));
            c.amount0 = uint128(s.readUint(BatchFormat.SLOT_EXIT_AMOUNT0_AT, BatchFormat.AMOUNT_BYTES));
            c.token1 = uint16(s.readUint(BatchFormat.SLOT_EXIT_TOKEN1_AT, BatchFormat.TOKEN_BYTES));
            c.amount1 = uint128(s.readUint(BatchFormat.SLOT_EXIT_AMOUNT1_AT, BatchFormat.AMOUNT_BYTES));
            return c;
        }
        c.amount = uint128(s.readUint(BatchFormat.SLOT_AMOUNT_AT, BatchFormat.AMOUNT_BYTES));
        if (c.opType == OP_WITHDRAW) {
            c.to = address(uint160(s.readUint(BatchFormat.SLOT_L1_ADDRESS_AT, BatchFormat.L1_ADDRESS_BYTES)));
        }
    }

    function test_decodesEverySlotFieldTheCppEncoderWrote() public view {
        assert(SlotFixture.COUNT >= 10);
        bool[11] memory seen;
        for (uint256 i = 0; i < SlotFixture.COUNT; i++) {
            SlotFixture.Case memory want = SlotFixture.get(i);
            SlotFixture.Case memory got = this.readSlot(want.encoded);
            seen[got.opType] = true;
            require(got.opType == want.opType, "opType");
            require(got.account == want.account, "account");
            require(got.token == want.token, "token");
            require(got.amount == want.amount, "amount");
            require(got.to == want.to, "to");
            require(got.pubkey == want.pubkey, "pubkey");
            require(got.token0 == want.token0, "token0");
            require(got.amount0 == want.amount0, "amount0");
            require(got.token1 == want.token1, "token1");
            require(got.amount1 == want.amount1, "amount1");
        }
        require(seen[OP_DEPOSIT] && seen[OP_FULL_EXIT] && seen[OP_WITHDRAW] && seen[OP_CREATE_ACCOUNT], "types");
    }

    /// The slot fields of each type tile its public data (docs/TRANSACTIONS.md section 4).
    function test_slotFieldsTileTheDocumentedLayout() public pure {
        assert(BatchFormat.SLOT_TYPE_AT + BatchFormat.TYPE_BYTES == BatchFormat.SLOT_ACCOUNT_AT);
        assert(BatchFormat.SLOT_ACCOUNT_AT + BatchFormat.ACCOUNT_BYTES == BatchFormat.SLOT_TOKEN_AT);
        assert(BatchFormat.SLOT_ACCOUNT_AT + BatchFormat.ACCOUNT_BYTES == BatchFormat.SLOT_PUBKEY_AT);
        assert(BatchFormat.SLOT_TOKEN_AT + BatchFormat.TOKEN_BYTES == BatchFormat.SLOT_AMOUNT_AT);
        assert(BatchFormat.SLOT_AMOUNT_AT + BatchFormat.AMOUNT_BYTES == BatchFormat.SLOT_L1_ADDRESS_AT);
        assert(BatchFormat.SLOT_L1_ADDRESS_AT + BatchFormat.L1_ADDRESS_BYTES == BatchFormat.SLOT_BYTES);
        assert(BatchFormat.SLOT_TOKEN_AT + BatchFormat.TOKEN_BYTES == BatchFormat.SLOT_EXIT_TOKEN0_AT);
        assert(BatchFormat.SLOT_EXIT_TOKEN0_AT + BatchFormat.TOKEN_BYTES == BatchFormat.SLOT_EXIT_AMOUNT0_AT);
        assert(BatchFormat.SLOT_EXIT_AMOUNT0_AT + BatchFormat.AMOUNT_BYTES == BatchFormat.SLOT_EXIT_TOKEN1_AT);
        assert(BatchFormat.SLOT_EXIT_TOKEN1_AT + BatchFormat.TOKEN_BYTES == BatchFormat.SLOT_EXIT_AMOUNT1_AT);
        assert(BatchFormat.SLOT_EXIT_AMOUNT1_AT + BatchFormat.AMOUNT_BYTES == BatchFormat.SLOT_BYTES);
        assert(BatchFormat.SLOT_PUBKEY_AT + BatchFormat.PUBKEY_BYTES == BatchFormat.SLOT_PUBKEY_END);
        assert(BatchFormat.SLOT_PUBKEY_END <= BatchFormat.SLOT_BYTES);
        // ZkammRollup's _scan and _chain step by the literal 42 (assembly takes no library constant).
        assert(BatchFormat.SLOT_BYTES == 42);
    }
}
