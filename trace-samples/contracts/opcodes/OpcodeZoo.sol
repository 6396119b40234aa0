// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// Reached with CALLCODE from OpcodeZoo: its SSTORE lands in OpcodeZoo's storage.
contract Target {
    uint256 public stored;

    function store(uint256 v) external returns (uint256) {
        stored = v;
        return v + 1;
    }
}

/// Opcodes the other samples do not reach: signed and modular arithmetic, BYTE, MSTORE8,
/// MSIZE, block and transaction context, BALANCE/SELFBALANCE, EXTCODESIZE/EXTCODECOPY/
/// EXTCODEHASH, CODESIZE, CALLCODE, LOG0 and LOG4.
contract OpcodeZoo {
    uint256 public stored;
    uint256 public acc;

    constructor() payable {}

    event Four(bytes32 indexed a, bytes32 indexed b, bytes32 indexed c, uint256 d);

    function arithmetic(int256 x) public pure returns (uint256 r) {
        assembly {
            r := add(r, signextend(0, x))
            r := add(r, sar(4, x))
            r := add(r, byte(31, x))
            r := add(r, smod(x, 7))
            r := add(r, sdiv(x, 3))
            r := add(r, mulmod(x, x, 1000003))
            r := add(r, addmod(x, 5, 1000003))
            r := add(r, exp(3, 20))
        }
    }

    function context() public view returns (uint256 r) {
        assembly {
            r := xor(r, gasprice())
            r := xor(r, origin())
            r := xor(r, coinbase())
            r := xor(r, timestamp())
            r := xor(r, number())
            r := xor(r, prevrandao())
            r := xor(r, gaslimit())
            r := xor(r, chainid())
            r := xor(r, selfbalance())
            r := xor(r, basefee())
            r := xor(r, balance(caller()))
            r := xor(r, blockhash(0))
            r := xor(r, codesize())
        }
    }

    function code(address other) public view returns (uint256 size, bytes32 hash, bytes memory head) {
        size = other.code.length;
        hash = other.codehash;
        head = new bytes(8);
        assembly {
            extcodecopy(other, add(head, 32), 2, 8)
            mstore8(add(head, 32), 0xab)
        }
    }

    function run(int256 x, Target target) external returns (uint256 r) {
        r = arithmetic(x) ^ context();
        (uint256 size, , bytes memory head) = code(address(target));
        r ^= size ^ uint256(uint8(head[0])) ^ msizeNow();
        uint256 viaCallcode;
        assembly {
            let p := mload(0x40)
            mstore(p, shl(224, 0x6057361d)) // store(uint256)
            mstore(add(p, 4), 99)
            let ok := callcode(gas(), target, 0, p, 36, p, 32)
            viaCallcode := mload(p)
            log0(p, 32)
        }
        acc = r ^ viaCallcode;
        emit Four(bytes32(uint256(1)), bytes32(uint256(2)), bytes32(uint256(3)), acc);
    }

    function msizeNow() internal pure returns (uint256 m) {
        assembly {
            m := msize()
        }
    }
}
