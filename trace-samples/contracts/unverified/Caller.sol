// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// A verified contract calling bytecode that has no source (see samples.mjs, RAW_RUNTIME):
/// once with calldata (the raw code stores and returns x + 1) and once without (it stores and
/// runs off the end of its code: Geth's implicit STOP).
contract Caller {
    event Result(bool ok, bytes data);

    function poke(address target) external returns (bytes memory out) {
        (bool ok, bytes memory data) = target.call(abi.encode(uint256(41)));
        require(ok, "Caller: raw call failed");
        out = data;
        emit Result(ok, data);
        (ok, ) = target.call("");
        require(ok, "Caller: second call failed");
    }
}
