// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// Cancun opcodes: transient storage (a transient state variable and raw tstore/tload), MCOPY,
/// BLOBHASH and BLOBBASEFEE; PUSH0 (Shanghai) appears throughout the compiled code.
contract Cancun {
    uint256 transient lock;
    uint256 public blobFee;
    bytes32 public blobHash;
    bytes32 public lastCopy;

    modifier nonReentrant() {
        require(lock == 0, "Cancun: reentrant");
        lock = 1;
        _;
        lock = 0;
    }

    function run(bytes calldata data) external nonReentrant returns (bytes memory copy, uint256 t) {
        assembly {
            tstore(7, 0x1234)
            t := tload(7)
        }
        bytes memory src = data;
        copy = new bytes(src.length);
        assembly {
            mcopy(add(copy, 32), add(src, 32), mload(src))
        }
        blobFee = block.blobbasefee;
        blobHash = blobhash(0);
        lastCopy = keccak256(copy);
    }
}
