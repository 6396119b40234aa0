// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

type Price is uint128;

/// Internal functions whose arguments and return values are references: memory (bytes, string,
/// dynamic and static arrays, a struct with dynamic members) and calldata (a bytes slice, a
/// dynamic array, a struct). A debugger must show the data, not the pointers.
contract Args {
    struct Order {
        address owner;
        uint256[] amounts;
        string note;
    }

    struct Pair {
        uint128 a;
        bool b;
    }

    enum Kind {
        None,
        Small,
        Big
    }

    event Done(uint256 total, string greeting);

    function total(uint256[] memory xs) internal pure returns (uint256 s) {
        for (uint256 i = 0; i < xs.length; i++) {
            s += xs[i];
        }
    }

    function greet(string memory who, bytes memory tag) internal pure returns (string memory) {
        return string.concat("hi ", who, string(tag));
    }

    function sumOrder(Order memory o) internal pure returns (uint256) {
        return total(o.amounts) + bytes(o.note).length;
    }

    function reversed(uint256[3] memory c) internal pure returns (uint256[3] memory r) {
        r[0] = c[2];
        r[1] = c[1];
        r[2] = c[0];
    }

    function minMax(uint256[] memory xs) internal pure returns (uint256 lo, uint256 hi) {
        lo = type(uint256).max;
        for (uint256 i = 0; i < xs.length; i++) {
            if (xs[i] < lo) lo = xs[i];
            if (xs[i] > hi) hi = xs[i];
        }
    }

    function digits(uint256 x) internal pure returns (uint256 n) {
        while (x > 0) {
            x /= 10;
            n++;
        }
    }

    function classify(bytes4 sel, int8 delta, Kind k) internal pure returns (bytes4 out, int16 d2) {
        out = sel;
        d2 = int16(delta) * 2;
        if (k == Kind.Big) {
            d2 -= 1;
        }
    }

    function discounted(Price p, uint128 off) internal pure returns (Price) {
        return Price.wrap(Price.unwrap(p) - off);
    }

    function sliceLen(bytes calldata b) internal pure returns (uint256) {
        return b.length;
    }

    function firstTwo(uint256[] calldata xs) internal pure returns (uint256) {
        return xs[0] + xs[1];
    }

    function pairValue(Pair calldata p) internal pure returns (uint256) {
        return p.b ? p.a : 0;
    }

    function run(uint256[] calldata xs, bytes calldata data, Pair calldata p) external returns (uint256 t) {
        uint256[] memory m = xs;
        Order memory o = Order(msg.sender, m, "note");
        uint256[3] memory r = reversed([uint256(7), 8, 9]);
        t = total(m) + sumOrder(o) + r[0] + sliceLen(data[1:]) + firstTwo(xs) + pairValue(p);
        (uint256 lo, uint256 hi) = minMax(m);
        t += hi - lo + digits(12345);
        (bytes4 sel, int16 d) = classify(msg.sig, -5, Kind.Big);
        require(sel == msg.sig, "Args: selector");
        t += uint256(int256(-d)) + Price.unwrap(discounted(Price.wrap(100), 1));
        emit Done(t, greet("bob", data));
    }
}
