// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// Called through an interface view function, i.e. with STATICCALL.
contract Oracle {
    uint256 public price = 1234;

    function quote(uint256 amount) external view returns (uint256) {
        return amount * price;
    }
}

/// Precompiles: ecrecover (0x01), sha256 (0x02), ripemd160 (0x03), identity (0x04, called from
/// assembly), plus a STATICCALL to a contract.
contract Precompiles {
    Oracle public oracle;

    event Results(address signer, bytes32 sha, bytes20 ripemd, bytes echoed, uint256 quote);

    constructor(Oracle o) {
        oracle = o;
    }

    function run(bytes32 hash, uint8 v, bytes32 r, bytes32 s, bytes calldata data)
        external
        returns (address signer)
    {
        signer = ecrecover(hash, v, r, s);
        bytes32 sha = sha256(data);
        bytes20 rip = ripemd160(data);
        bytes memory echoed = identity(data);
        uint256 q = oracle.quote(3);
        emit Results(signer, sha, rip, echoed, q);
    }

    function identity(bytes memory data) internal view returns (bytes memory out) {
        out = new bytes(data.length);
        assembly {
            let ok := staticcall(gas(), 4, add(data, 32), mload(data), add(out, 32), mload(data))
            if iszero(ok) { revert(0, 0) }
        }
    }
}
