// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// The ERC-20 calls the rollup makes.
interface IERC20Minimal {
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
    function transfer(address to, uint256 amount) external returns (bool);
    function balanceOf(address who) external view returns (uint256);
}
