// Just enough Solidity ABI encoding for the sample transactions: static words, string/bytes.
import { keccak_256 } from '@noble/hashes/sha3.js';

const enc = new TextEncoder();
export const keccak = (bytes) => Buffer.from(keccak_256(bytes));
export const keccakHex = (s) => '0x' + keccak(enc.encode(s)).toString('hex');

function word(v) {
  let n = BigInt(v);
  if (n < 0n) n = (1n << 256n) + n;
  return n.toString(16).padStart(64, '0');
}

function encodeDynamic(bytes) {
  const padded = Buffer.alloc(Math.ceil(bytes.length / 32) * 32);
  Buffer.from(bytes).copy(padded);
  return word(bytes.length) + padded.toString('hex');
}

/** args: [type, value] pairs; types: uint*, int*, address, bool, bytes32, string, bytes. */
export function encodeArgs(args) {
  let head = '';
  let tail = '';
  for (const [type, value] of args) {
    if (type === 'string' || type === 'bytes') {
      head += word(args.length * 32 + tail.length / 2);
      const b = type === 'string' ? enc.encode(value) : Buffer.from(value.replace(/^0x/, ''), 'hex');
      tail += encodeDynamic(b);
    } else if (type === 'bool') {
      head += word(value ? 1 : 0);
    } else if (type === 'bytes32') {
      head += value.replace(/^0x/, '').padStart(64, '0');
    } else {
      head += word(value);
    }
  }
  return head + tail;
}

export function selector(signature) {
  return keccak(enc.encode(signature)).subarray(0, 4).toString('hex');
}

/** Calldata for `signature` ("transfer(address,uint256)") with `values`. */
export function calldata(signature, values = []) {
  const types = signature.slice(signature.indexOf('(') + 1, -1).split(',').filter(Boolean);
  return '0x' + selector(signature) + encodeArgs(types.map((t, i) => [t, values[i]]));
}

/** Solidity revert payloads, for expected facts. */
export const errorString = (msg) => calldata('Error(string)', [msg]);
export const panic = (code) => calldata('Panic(uint256)', [code]);
