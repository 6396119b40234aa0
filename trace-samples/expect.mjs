// Verifies a traced transaction's hand-written `expect` facts against what actually happened
// before they go into the manifest: a fact that is not true would mislead every test built on it.

export function checkExpect(entry) {
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
