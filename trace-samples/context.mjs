// The context a sample's run() gets: deploy / call helpers that send real transactions, write
// the traces of the traced ones and collect the manifest entries.
import path from 'node:path';
import { artifact, link } from './compile.mjs';
import { privateKey } from './execute.mjs';
import { structLogs } from './geth_structlogs.mjs';
import { vmTraceResult } from './erigon_vmtrace.mjs';
import { OP, NAMES } from './geth_opcodes.mjs';
import { SourceFacts } from './source_facts.mjs';
import { keccakHex } from './abi.mjs';
import { writeJson } from './write_json.mjs';
import { checkExpect } from './expect.mjs';

const CLASSIC_TRIGGERS = new Set([OP.TLOAD, OP.MCOPY, OP.BLOBHASH, OP.BLOBBASEFEE]);

export const KEYS = { alice: privateKey(0xa11ce), bob: privateKey(0xb0b), carol: privateKey(0xca201) };

const hex = (b) => '0x' + Buffer.from(b).toString('hex');

function opStats(events) {
  const ops = events.filter((e) => e.kind === 'op');
  const names = {};
  for (const e of ops) names[e.op] = true;
  return {
    ops: ops.length,
    maxDepth: ops.reduce((m, e) => Math.max(m, e.depth), 0),
    maxMemoryBytes: ops.reduce((m, e) => Math.max(m, e.memory.length), 0),
    opcodes: Object.keys(names).map(Number).sort((a, b) => a - b),
  };
}

/** topic0 -> "Contract.Event(types)" for every non-anonymous event in the project's ABIs. */
function eventSignatures(output) {
  const map = new Map();
  for (const contracts of Object.values(output.contracts)) {
    for (const [name, a] of Object.entries(contracts)) {
      for (const e of a.abi.filter((x) => x.type === 'event' && !x.anonymous)) {
        const sig = `${e.name}(${e.inputs.map((i) => i.type).join(',')})`;
        if (!map.has(keccakHex(sig))) map.set(keccakHex(sig), `${name}.${sig}`);
      }
    }
  }
  return map;
}

/** The per-project context handed to a sample's run(). */
export class Context {
  constructor(root, project, sourcesProject, chain, input, output) {
    this.root = root;
    this.project = project;
    this.sourcesProject = sourcesProject;
    this.chain = chain;
    this.output = output;
    this.sources = Object.fromEntries(Object.entries(input.sources).map(([u, s]) => [u, s.content]));
    this.facts = new SourceFacts(output);
    this.events = eventSignatures(output);
    this.blockResults = [];
    this.contracts = [];
    this.txs = [];
    this.keys = KEYS;
    this.addr = Object.fromEntries(Object.entries(KEYS).map(([k]) => [k, null]));
  }

  async deploy(file, contract, ctorArgsHex = '', opts = {}) {
    const a = artifact(this.output, this.sourcesProject, file, contract);
    const data = '0x' + link(a.evm.bytecode, opts.libraries ?? {}) + ctorArgsHex;
    const tx = await this.send({ ...opts, data, to: undefined });
    if (!tx.createdAddress) throw new Error(`deploy of ${contract} failed`);
    this.contracts.push({ name: opts.label ?? contract, source: `contracts/${this.sourcesProject}/${file}`, contract, address: tx.createdAddress, verified: true, libraries: opts.libraries });
    return tx.createdAddress;
  }

  /** Bytecode with no source: the recorder must cope with an unverified contract. */
  async deployRaw(label, initHex, opts = {}) {
    const tx = await this.send({ ...opts, data: initHex, to: undefined });
    if (!tx.createdAddress) throw new Error(`deploy of ${label} failed`);
    const runtime = hex(await this.chain.vm.stateManager.getCode(tx.result.createdAddress));
    this.contracts.push({ name: label, source: null, contract: null, address: tx.createdAddress, verified: false, runtimeCode: runtime });
    return tx.createdAddress;
  }

  async call(to, data, opts = {}) {
    return this.send({ ...opts, to, data });
  }

  async send({ key = KEYS.alice, to, data = '0x', value = 0n, gasLimit = 1_000_000n, trace, demonstrates, expect, classic }) {
    const tx = await this.chain.send({ key, to, data, value, gasLimit, trace: Boolean(trace) });
    const entry = {
      name: trace ?? null, hash: tx.hash, txIndex: tx.index, from: tx.from, to: tx.to?.toString() ?? null,
      nonce: Number(tx.nonce), value: '0x' + value.toString(16), gasLimit: Number(gasLimit),
      input: data, gasUsed: Number(tx.gasUsed), createdAddress: tx.createdAddress,
      status: tx.result.execResult.exceptionError ? 'failed' : 'success',
      // Geth's text for the root frame's error (from the hooks), else ethereumjs's
      error: tx.events?.findLast((e) => e.kind === 'exit' && e.depth === 0)?.error
        ?? tx.result.execResult.exceptionError?.error.replace(/ at 0x.*$/, '') ?? null,
      output: hex(tx.result.execResult.returnValue ?? new Uint8Array()),
      logs: tx.logs.map(([address, topics, logData]) => ({
        address: hex(address), event: this.events.get(hex(topics[0] ?? new Uint8Array())) ?? null,
        topics: topics.map(hex), data: hex(logData),
      })),
    };
    if (trace) this.writeTraces(trace, tx, entry, demonstrates, expect, classic);
    this.txs.push(entry);
    return tx;
  }

  writeTraces(name, tx, entry, demonstrates, expect, wantClassic) {
    const dir = path.join(this.root, this.project, name);
    const logs = structLogs(tx.events, tx.gasUsed);
    const vm = vmTraceResult(tx.events, tx.index, tx.hash, 'modern');
    writeJson(path.join(dir, 'structlogs.json.gz'), logs);
    writeJson(path.join(dir, 'vmtrace.json'), vm);
    this.blockResults.push({ index: tx.index, hash: tx.hash, logs, vm });
    const stats = opStats(tx.events);
    // Only where the sample asks for it: solc's own MCOPYs would otherwise double many files.
    const classic = Boolean(wantClassic) && stats.opcodes.some((op) => CLASSIC_TRIGGERS.has(op) || op === OP.PUSH0);
    if (wantClassic && !classic) throw new Error(`${name}: classic variant requested but no defect site`);
    if (classic) {
      writeJson(path.join(dir, 'vmtrace.erigon-classic.json'), vmTraceResult(tx.events, tx.index, tx.hash, 'classic'));
    }
    entry.files = { structlogs: `${name}/structlogs.json.gz`, vmtrace: `${name}/vmtrace.json` };
    if (classic) entry.files.vmtraceErigonClassic = `${name}/vmtrace.erigon-classic.json`;
    entry.demonstrates = demonstrates ?? '';
    entry.stats = { ops: stats.ops, maxDepth: stats.maxDepth, maxMemoryBytes: stats.maxMemoryBytes, opcodeNames: stats.opcodes.map((o) => NAMES[o]) };
    entry.source = this.facts.analyse(tx.events, this.sources);
    entry.expect = expect ?? {};
    checkExpect(entry);
  }
}
