// @ts-check
// The page ↔ worker protocol as types (JSDoc, checked by tsc): what web/trainer.js posts and web/worker.js answers, and the
// events the trainer client emits. Types only: this module has no code (esbuild drops it), the behaviour is in those two files.

/**
 * A run as the page asks for it: the config goes to lab.createRun as is.
 * @typedef {object} RunSpec
 * @property {string} id
 * @property {object} config       a run config (docs/api.md)
 * @property {boolean} [weights]   add metrics.weights (exportWeights()) to every tick
 * @property {boolean} [trace]     train one step at a time and add metrics.weightsTrace
 */

/**
 * @typedef {{step: number, loss: number, diverged?: boolean, diverged_at?: number|null, [k: string]: any}} Summary
 *   what run.train() returns (docs/api.md)
 * @typedef {{[metric: string]: any}} Metrics   run.metrics() copies (typed arrays), plus weights / weightsTrace when asked
 * @typedef {{id: string, epoch: number, summary: Summary, metrics: Metrics}} RunReport
 */

/**
 * Page → worker.
 * @typedef {{type: 'init', module?: WebAssembly.Module}
 *   | {type: 'create', runs: Array<RunSpec & {epoch: number}>}
 *   | {type: 'train', seq: number, maxSteps: number, tickMs?: number}
 *   | {type: 'step', seq: number, steps: number}
 *   | {type: 'pause'}
 *   | {type: 'dispose', ids?: string[]}
 *   | {type: 'export', id: string, req: number, what?: 'weights'|'torch'}
 *   | {type: 'look', id: string, req: number, asks: LookAsk[]}
 *   | {type: 'replay', runs: Array<{id: string, steps: number}>}
 *   | {type: 'ping'}
 *   | {type: 'warm'}
 *   | {type: 'memory'}
 *   | {type: '__crash', id?: string|null, how: CrashHow}} WorkerRequest
 * @typedef {'abort'|'trap'|'close'|'throw'} CrashHow
 */

/**
 * A view's question to one run (web/worker-look.js answers it; nothing in the run changes).
 * @typedef {{op: 'predict', inputs: number[][][]}
 *   | {op: 'inspect', sample?: number, inputs?: number[][], layers?: boolean}
 *   | {op: 'generate', prime?: string, length?: number, temperature?: number, seed?: number}
 *   | {op: 'forecast', sample: number, steps: number}
 *   | {op: 'info'}} LookAsk
 */

/**
 * Worker → page. Every reply about a run carries the epoch of the 'create' it came from.
 * @typedef {{type: 'ready'}
 *   | {type: 'module', module: WebAssembly.Module|null}
 *   | {type: 'created', id: string, epoch: number}
 *   | {type: 'error', scope: 'create'|'train', id: string, epoch: number, message: string}
 *   | {type: 'error', scope: 'export'|'look', id: string, epoch?: number, req: number, message: string}
 *   | {type: 'error', scope: 'init'|'protocol'|'handler', message: string, command?: string}
 *   | {type: 'tick', runs: RunReport[], steps: number, ms: number}
 *   | {type: 'stopped', seq: number, reason: 'done'|'paused'|'idle'}
 *   | {type: 'disposed', ids: string[]}
 *   | {type: 'exported', id: string, epoch: number, req: number, step: number, weights: object,
 *      torch?: import('./export-torch-material.js').TorchMaterial}
 *   | {type: 'looked', id: string, epoch: number, req: number, step: number, results: any[]}
 *   | {type: 'replaying', id: string, step: number}
 *   | {type: 'replayed', runs: RunReport[]}
 *   | {type: 'pong'}
 *   | {type: 'memory', wasmBytes: number, mallocInUse: number, liveRuns: number, warmSteps?: number, workers?: MemoryReport[]}
 *   | {type: 'crashed', id?: string|null, epoch?: number, message: string}} WorkerReply
 */

/**
 * One worker's memory (the 'memory' reply); the trainer's memory() sums its workers' and lists them in `workers`.
 * warmSteps: the scratch steps its warm-up has trained so far (web/worker.js).
 * @typedef {{wasmBytes: number, mallocInUse: number, liveRuns: number, warmSteps?: number}} MemoryReport
 */

/**
 * What the trainer client (web/trainer.js) tells its owner. Replies of older epochs and seqs never get this far.
 * @typedef {{type: 'ready'}
 *   | {type: 'tick', runs: RunReport[]}
 *   | {type: 'stopped', reason: 'done'|'paused'|'idle'}
 *   | {type: 'runError', scope: 'create'|'train', id: string, message: string}
 *   | {type: 'failed', scope: 'init'|'worker'|'reply', message: string|null}
 *   | {type: 'crashed', id: string|null, message: string|null, silentSeconds?: number, restarting: boolean}
 *   | {type: 'restored', runs: Array<RunReport & {differs: boolean}>, differs: boolean, wasTraining: boolean}
 *   | {type: 'gaveUp', restarts: number, message: string|null}} TrainerEvent
 */

export {};
