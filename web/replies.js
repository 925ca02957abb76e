// @ts-check
// The workers' pending replies by request number (the trainer's weight exports, the views' questions): one promise each.
// It posts nothing and knows no worker; web/trainer.js opens a request, posts it, and settles it when the reply comes.

export function createReplies() {
  let seq = 0;
  /** @type {Record<number, {resolve: (r: any) => void, reject: (e: Error) => void}>} */
  const pending = {};
  /** @param {number} req */
  const take = (req) => { const p = pending[req]; delete pending[req]; return p; };
  return {
    /** a new request number and the promise its reply settles @returns {{req: number, promise: Promise<any>}} */
    open() {
      const req = ++seq;
      return { req, promise: new Promise((resolve, reject) => { pending[req] = { resolve, reject }; }) };
    },
    /** @param {number} req @param {any} value */
    resolve(req, value) { const p = take(req); if (p) p.resolve(value); },
    /** @param {number} req @param {Error} err */
    reject(req, err) { const p = take(req); if (p) p.reject(err); },
  };
}
