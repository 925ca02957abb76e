// Globals the web/ modules see that no module declares: esbuild's define flag and the worker-bundle.js hand-off (tsc only).
declare const RNNLAB_TEST: boolean;
declare const RnnLab: any;
interface Window { RnnLabWorkerSource?: string; RnnLabWorkerBoot?: any; RnnLabWorkerFailed?: boolean; __lab?: any; Chart?: any }
declare module 'rnnlab:worker-source' { const source: string; export default source; } // web/build.mjs: rnnlab.js + web/worker.js, as text
