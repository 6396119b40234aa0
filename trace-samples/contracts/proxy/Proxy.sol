// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// Logic contract: its code runs in the proxy's storage context.
contract Implementation {
    uint256 public value;
    address public lastCaller;

    event ValueSet(uint256 value, address caller);

    function setValue(uint256 v) external returns (uint256) {
        value = v;
        lastCaller = msg.sender;
        emit ValueSet(v, msg.sender);
        return v * 2;
    }
}

/// Minimal delegatecall proxy; the implementation address lives in the EIP-1967 slot.
contract Proxy {
    constructor(address implementation) {
        assembly {
            sstore(0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc, implementation)
        }
    }

    fallback() external payable {
        assembly {
            let impl := sload(0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc)
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), impl, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            switch ok
            case 0 { revert(0, returndatasize()) }
            default { return(0, returndatasize()) }
        }
    }
}
