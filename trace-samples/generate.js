// Regenerates every committed sample: compiles contracts/<project>/*.sol with the pinned solc,
// runs the sample transactions on ethereumjs and writes, per traced transaction,
//   <project>/<tx>/structlogs.json.gz         Geth debug_traceTransaction (geth_structlogs.mjs)
//   <project>/<tx>/vmtrace.json               Erigon trace_replayTransaction (erigon_vmtrace.mjs)
//   <project>/<tx>/vmtrace.erigon-classic.json  same with Erigon's old defects (when they show)
// and per project solc-input.json, solc-output.json and manifest.json.
// Usage: node generate.js [project ...]
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { buildInput, compile, artifact, link, solcVersion, EVM_VERSION } from './compile.mjs';
import { Chain, privateKey, HARDFORK, CHAIN_ID } from './execute.mjs';
import { structLogs, STRUCTLOG_CONFIG } from './geth_structlogs.mjs';
import { vmTraceResult } from './erigon_vmtrace.mjs';
import { OP, NAMES } from './geth_opcodes.mjs';
import { createAddressFromPrivateKey } from '@ethereumjs/util';
import { SAMPLES } from './samples.mjs';
import { SourceFacts } from './source_facts.mjs';
import { keccakHex } from './abi.mjs';

const ROOT = path.dirname(fileURLToPath(import.meta.url));
const CLASSIC_TRIGGERS = new Set([OP.TLOAD, OP.MCOPY, OP.BLOBHASH, OP.BLOBBASEFEE]);

export const KEYS = { alice: privateKey(0xa11ce), bob: privateKey(0xb0b), carol: privateKey(0xca201) };

const hex = (b) => '0x' + Buffer.from(b).toString('hex');

// Written to a temporary name and renamed, so an interrupted run leaves no complete-looking file.
// A ".gz" name gets gzip (no name, mtime 0: the bytes depend only on the content and zlib).
function writeJson(file, value) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  let body = Buffer.from(JSON.stringify(value, (k, v) => (typeof v === 'bigint' ? '0x' + v.toString(16) : v)) + '\n');
  if (file.endsWith('.gz')) body = zlib.gzipSync(body, { level: 9 });
  fs.writeFileSync(tmp, body);
  fs.renameSync(tmp, file);
}

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

/** The whole block as trace_replayBlockTransactions (Erigon: an array of the per-tx results,
 *  identical to single replays, reference §1.2) and debug_traceBlockByNumber ([{txHash, result}])
 *  would return it; only for projects whose every transaction is traced. */
function writeBlock(ctx) {
  if (ctx.blockResults.length !== ctx.txs.length) throw new Error(`${ctx.project}: block needs every tx traced`);
  const dir = path.join(ROOT, ctx.project, 'block');
  writeJson(path.join(dir, 'vmtrace.json'), ctx.blockResults.map((r) => r.vm));
  writeJson(path.join(dir, 'structlogs.json.gz'), ctx.blockResults.map((r) => ({ txHash: r.hash, result: r.logs })));
  ctx.block = { vmtrace: 'block/vmtrace.json', structlogs: 'block/structlogs.json.gz', transactions: ctx.blockResults.map((r) => r.hash) };
}

/** The per-project context handed to a sample's run(). */
class Context {
  constructor(project, sourcesProject, chain, input, output) {
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
    const dir = path.join(ROOT, this.project, name);
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
    this.checkExpect(entry);
  }

  // A manifest fact that is not true would mislead every test built on it.
  checkExpect(entry) {
    const e = entry.expect;
    if (e.status && e.status !== entry.status) throw new Error(`${entry.name}: status ${entry.status}`);
    if (e.error && e.error !== entry.error) throw new Error(`${entry.name}: error ${entry.error}`);
    if (e.output && e.output !== entry.output) throw new Error(`${entry.name}: output ${entry.output}`);
    if (e.logCount !== undefined && e.logCount !== entry.logs.length) throw new Error(`${entry.name}: ${entry.logs.length} logs`);
    for (const op of e.opcodes ?? []) {
      if (!entry.stats.opcodeNames.includes(op)) throw new Error(`${entry.name}: no ${op} executed`);
    }
    if (e.minDepth && entry.stats.maxDepth < e.minDepth) throw new Error(`${entry.name}: depth ${entry.stats.maxDepth}`);
    for (const fn of e.functions ?? []) {
      if (!entry.source.functions.includes(fn)) throw new Error(`${entry.name}: ${fn} not executed (${entry.source.functions})`);
    }
    if (e.failureSnippet && !entry.source.failures.some((f) => f.snippet.includes(e.failureSnippet))) {
      throw new Error(`${entry.name}: no failure at "${e.failureSnippet}": ${JSON.stringify(entry.source.failures)}`);
    }
  }
}

async function runProject(sample) {
  // a project may compile another project's sources with other settings (optimizer, via-IR)
  const input = buildInput(ROOT, sample.sources ?? sample.project, sample.settings);
  const output = compile(input);
  const chain = await Chain.create(Object.values(KEYS));
  const ctx = new Context(sample.project, sample.sources ?? sample.project, chain, input, output);
  for (const [k, key] of Object.entries(KEYS)) ctx.addr[k] = createAddressFromPrivateKey(key).toString();
  await sample.run(ctx);
  if (sample.block) writeBlock(ctx);
  writeJson(path.join(ROOT, sample.project, 'solc-input.json'), input);
  writeJson(path.join(ROOT, sample.project, 'solc-output.json'), output);
  writeJson(path.join(ROOT, sample.project, 'manifest.json'), {
    project: sample.project, description: sample.description,
    generator: { solc: solcVersion(), evmVersion: EVM_VERSION, settings: input.settings, hardfork: HARDFORK, chainId: Number(CHAIN_ID), evm: '@ethereumjs/vm 10.1.3', structLogConfig: STRUCTLOG_CONFIG },
    block: { number: 1, timestamp: 1750000000, baseFeePerGas: '0x3b9aca00', coinbase: '0x00000000000000000000000000000000c0ffee00' },
    accounts: ctx.addr,
    contracts: ctx.contracts,
    transactions: ctx.txs,
    blockTraces: ctx.block,
  });
  console.log(`${sample.project}: ${ctx.txs.filter((t) => t.name).map((t) => `${t.name}(${t.stats.ops} ops)`).join(', ')}`);
}

/** index.json: every traced transaction of every project on disk, so tests can iterate over
 *  all samples without naming them. */
function writeIndex() {
  const index = [];
  for (const sample of SAMPLES) {
    const file = path.join(ROOT, sample.project, 'manifest.json');
    if (!fs.existsSync(file)) continue;
    const m = JSON.parse(fs.readFileSync(file, 'utf8'));
    for (const t of m.transactions.filter((x) => x.name)) {
      index.push({
        project: sample.project, tx: t.name, hash: t.hash, status: t.status, ops: t.stats.ops,
        maxDepth: t.stats.maxDepth, manifest: `${sample.project}/manifest.json`,
        solcOutput: `${sample.project}/solc-output.json`, solcInput: `${sample.project}/solc-input.json`,
        files: Object.fromEntries(Object.entries(t.files).map(([k, v]) => [k, `${sample.project}/${v}`])),
      });
    }
  }
  writeJson(path.join(ROOT, 'index.json'), index);
}

const wanted = process.argv.slice(2);
for (const sample of SAMPLES) {
  if (wanted.length && !wanted.includes(sample.project)) continue;
  await runProject(sample);
}
writeIndex();
