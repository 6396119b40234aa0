// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// Never stops on its own: every call ends out of gas.
contract Burner {
    uint256[] public data;

    function burn() external {
        for (uint256 i = 0; ; i++) {
            data.push(i);
        }
    }
}

/// Calls Burner with a gas cap; the nested frame runs out of gas and the caller carries on.
contract Guard {
    Burner public burner;
    bool public lastOk;

    constructor(Burner b) {
        burner = b;
    }

    function tryBurn() external returns (bool ok) {
        (ok, ) = address(burner).call{gas: 60000}(abi.encodeCall(Burner.burn, ()));
        lastOk = ok;
    }
}
