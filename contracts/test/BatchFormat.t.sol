// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {BatchFormat} from "../src/BatchFormat.sol";
// Written by tests/tx/batch_header_test.cpp with the C++ encoder (src/tx/batch_header.hpp).
import {BatchHeaderFixture} from "../src/generated/BatchHeaderFixture.sol";
import {RollupTestBase} from "./RollupTestBase.sol";

/// BatchFormat.decodeHeader against the C++ encoder: every header of the fixture decodes to the
/// field values the C++ side encoded, field by field; wrong lengths and unknown kinds revert.
contract BatchFormatTest is RollupTestBase {
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
}
