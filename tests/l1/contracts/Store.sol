// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

contract Store {
    uint256 public value;
    event Stored(address indexed sender, uint256 indexed value, bytes note, uint64[] tags);

    constructor(uint256 initial) payable { value = initial; }

    function set(uint256 v, bytes calldata note, uint64[] calldata tags) external {
        value = v;
        emit Stored(msg.sender, v, note, tags);
    }

    function info() external view returns (uint256, address, bytes32[] memory) {
        bytes32[] memory h = new bytes32[](2);
        h[0] = blockhash(block.number - 1);
        h[1] = bytes32(value);
        return (value, msg.sender, h);
    }

    function fail(uint256 code) external pure {
        revert(string(abi.encodePacked("fail ", bytes1(uint8(48 + code % 10)))));
    }
}
