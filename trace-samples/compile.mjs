// Compiles one sample project (contracts/<project>/*.sol) with the pinned solcjs and returns the
// exact standard-JSON input and output, so that consumers see what a verifier such as Sourcify
// would store for the deployed contracts.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const solc = require('solc');

export const EVM_VERSION = 'prague';

// Only what a source-level debugger needs; the full evm.* selection (opcodes, gas estimates,
// generated Yul ASTs) would multiply the committed size for no consumer.
const CONTRACT_OUTPUTS = [
  'abi', 'metadata', 'storageLayout',
  'evm.bytecode.object', 'evm.bytecode.sourceMap', 'evm.bytecode.linkReferences',
  'evm.deployedBytecode.object', 'evm.deployedBytecode.sourceMap',
  'evm.deployedBytecode.linkReferences', 'evm.deployedBytecode.immutableReferences',
];

export function solcVersion() {
  return solc.version();
}

/** Standard-JSON input for every .sol file of contracts/<project>, keyed by its path relative
 *  to trace-samples/ (so a consumer can open the file from the source unit name).
 *  `settings` may override the optimizer and set viaIR. */
export function buildInput(root, project, settings = {}) {
  const dir = path.join(root, 'contracts', project);
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.sol')).sort();
  const sources = {};
  for (const f of files) {
    const unit = `contracts/${project}/${f}`;
    sources[unit] = { content: fs.readFileSync(path.join(dir, f), 'utf8') };
  }
  return {
    language: 'Solidity',
    sources,
    settings: {
      evmVersion: EVM_VERSION,
      optimizer: settings.optimizer ?? { enabled: false, runs: 200 },
      ...(settings.viaIR ? { viaIR: true } : {}),
      outputSelection: { '*': { '*': CONTRACT_OUTPUTS, '': ['ast'] } },
    },
  };
}

export function compile(input) {
  const output = JSON.parse(solc.compile(JSON.stringify(input)));
  const errors = (output.errors || []).filter((e) => e.severity === 'error');
  if (errors.length) {
    throw new Error(errors.map((e) => e.formattedMessage).join('\n'));
  }
  return output;
}

/** The artifact of `contract` declared in contracts/<project>/<file>. */
export function artifact(output, project, file, contract) {
  const unit = `contracts/${project}/${file}`;
  const a = output.contracts?.[unit]?.[contract];
  if (!a) throw new Error(`no artifact for ${unit}:${contract}`);
  return a;
}

/** `bytecode.object` with every library placeholder replaced by the address in `libraries`
 *  (library name -> 0x address), using the byte ranges solc lists in linkReferences. */
export function link(bytecode, libraries) {
  let hex = bytecode.object;
  for (const libs of Object.values(bytecode.linkReferences ?? {})) {
    for (const [lib, refs] of Object.entries(libs)) {
      const addr = libraries[lib];
      if (!addr) throw new Error(`library ${lib} not given`);
      for (const { start, length } of refs) {
        hex = hex.slice(0, start * 2) + addr.slice(2).toLowerCase().padStart(length * 2, '0') + hex.slice((start + length) * 2);
      }
    }
  }
  if (hex.includes('__$')) throw new Error('unlinked library placeholder left');
  return hex;
}
