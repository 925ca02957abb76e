#!/usr/bin/python3
# make_inspect_ref.py — writes inspect_ref.json beside it: PyTorch's (float64) outputs, hidden states, cell states and
# gates for weights the core exported after training, for tests/node/inspect.test.mjs. Not run by the tests (CI has no torch).
#
# usage: /usr/bin/python3 tests/reference/make_inspect_ref.py   (Debian's python3-torch; needs dist/rnnlab.js: make dist)
# Gates are computed from the formulas of the nn.RNN/nn.LSTM/nn.GRU documentation and checked against torch's own h.
import json, os, subprocess, torch, torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
torch.manual_seed(0)

CASES = [
    {'seed': 2, 'task': {'name': 'adding', 'length': 10}, 'model': {'cell': 'rnn', 'hidden': 8, 'layers': 2}},
    {'seed': 3, 'task': {'name': 'parity', 'length': 9}, 'model': {'cell': 'rnn', 'hidden': 8, 'nonlinearity': 'relu'}},
    {'seed': 4, 'task': {'name': 'adding', 'length': 12}, 'model': {'cell': 'lstm', 'hidden': 16, 'layers': 2}},
    {'seed': 5, 'task': {'name': 'sine', 'length': 12}, 'model': {'cell': 'gru', 'hidden': 12, 'layers': 2}},
    {'seed': 6, 'task': {'name': 'text', 'length': 16}, 'model': {'cell': 'lstm', 'hidden': 16}},
    {'seed': 7, 'task': {'name': 'copy', 'length': 3, 'delay': 4, 'symbols': 4}, 'model': {'cell': 'gru', 'hidden': 10}},
]
STEPS = 40

# the core trains each config STEPS steps and exports its weights and task sizes (node + the built library)
NODE = r"""
const RnnLab = require(process.argv[1]);
RnnLab.loadLab().then((lab) => {
  const out = JSON.parse(process.argv[2]).map((c) => {
    const run = lab.createRun({ ...c, optimizer: { name: 'adam', lr: 0.01 } });
    run.train(+process.argv[3]);
    const r = { info: run.taskInfo(), config: run.config(), weights: run.exportWeights() };
    run.dispose();
    return r;
  });
  process.stdout.write(JSON.stringify(out));
});
"""
runs = json.loads(subprocess.check_output(['node', '-e', NODE, os.path.join(ROOT, 'dist/rnnlab.js'), json.dumps(CASES), str(STEPS)]))


def f64(v):  # the float32 values the core holds, exactly, in float64
    return torch.tensor(v, dtype=torch.float32).double()


def layer_pass(cell, W, x, relu):
    """x (T, in) float64 → h, c (LSTM) and gates (T, H) by the documented formulas (batch of one)."""
    Wih, Whh, bih, bhh = W
    H = Whh.shape[1]
    h, c = torch.zeros(H, dtype=torch.float64), torch.zeros(H, dtype=torch.float64)
    hs, cs, gates = [], [], {k: [] for k in ('ifgo' if cell == 'lstm' else 'rzn' if cell == 'gru' else '')}
    for t in range(x.shape[0]):
        gi, gh = Wih @ x[t] + bih, Whh @ h + bhh
        if cell == 'rnn':
            h = torch.relu(gi + gh) if relu else torch.tanh(gi + gh)
        elif cell == 'lstm':  # i, f, g, o = σ, σ, tanh, σ;  c = f⊙c + i⊙g;  h = o⊙tanh(c)
            i, f, g, o = (gi + gh).chunk(4)
            i, f, g, o = torch.sigmoid(i), torch.sigmoid(f), torch.tanh(g), torch.sigmoid(o)
            c = f * c + i * g
            h = o * torch.tanh(c)
            for k, v in zip('ifgo', (i, f, g, o)): gates[k].append(v)
            cs.append(c)
        else:  # r, z = σ;  n = tanh(W_in x + b_in + r⊙(W_hn h + b_hn));  h = (1 − z)⊙n + z⊙h
            ir, iz, inn = gi.chunk(3)
            hr, hz, hn = gh.chunk(3)
            r, z = torch.sigmoid(ir + hr), torch.sigmoid(iz + hz)
            n = torch.tanh(inn + r * hn)
            h = (1 - z) * n + z * h
            for k, v in zip('rzn', (r, z, n)): gates[k].append(v)
        hs.append(h)
    return torch.stack(hs), (torch.stack(cs) if cs else None), {k: torch.stack(v) for k, v in gates.items()}


def rounded(t):
    return [rounded(x) for x in t] if isinstance(t, list) else float('%.8g' % t)


cases = []
for case, run in zip(CASES, runs):
    info, m, w = run['info'], run['config']['model'], run['weights']
    cell, H, L, relu = m['cell'], m['hidden'], m['layers'], m.get('nonlinearity') == 'relu'
    T, F = info['length'], info['inputs']
    if info['name'] == 'text':  # one-hot windows of the corpus
        x = torch.zeros(3, T, F, dtype=torch.float64)
        for b in range(3):
            for t in range(T): x[b, t, torch.randint(F, ()).item()] = 1
    else:
        x = f64(torch.rand(3, T, F).mul(2).sub(1).mul(1e4).round().div(1e4).tolist())
    # torch's modules with the exported weights: one single-layer module per layer, so that each layer's h is visible
    Mod = {'rnn': nn.RNN, 'lstm': nn.LSTM, 'gru': nn.GRU}[cell]
    seq, layers = x, []
    for l in range(L):
        kw = {'nonlinearity': 'relu'} if cell == 'rnn' and relu else {}
        mod = Mod(seq.shape[2], H, 1, batch_first=True, **kw).double()
        W = [f64(w['rnn.%s_l%d' % (n, l)]) for n in ('weight_ih', 'weight_hh', 'bias_ih', 'bias_hh')]
        mod.load_state_dict({'%s_l0' % n: v for n, v in zip(('weight_ih', 'weight_hh', 'bias_ih', 'bias_hh'), W)})
        with torch.no_grad():
            out = mod(seq)[0]  # (B, T, H)
        h, c, gates = layer_pass(cell, W, seq[0], relu)
        assert torch.allclose(h, out[0], atol=1e-12), 'the formulas above are not torch\'s'
        layers.append({'h': h, 'c': c, 'gates': gates})
        seq = out
    head = nn.Linear(H, info['outputs']).double()
    head.load_state_dict({'weight': f64(w['head.weight']), 'bias': f64(w['head.bias'])})
    with torch.no_grad():
        y = head(seq if info['every'] else seq[:, -1])
    if info['classes']: y = torch.softmax(y, -1)
    L0 = []
    for l in layers:
        e = {'h': rounded(l['h'].tolist())}
        if l['c'] is not None: e['c'] = rounded(l['c'].tolist())
        if l['gates']: e['gates'] = {k: rounded(v.tolist()) for k, v in l['gates'].items()}
        L0.append(e)
    cases.append({'config': {**case, 'optimizer': {'name': 'adam', 'lr': 0.01}}, 'weights': w, 'inputs': x.tolist(),
                  'predict': rounded(y.tolist()), 'inspect0': {'output': rounded(y[0].tolist()), 'layers': L0}})

with open(os.path.join(HERE, 'inspect_ref.json'), 'w') as f:
    json.dump({'made_by': 'tests/reference/make_inspect_ref.py (torch %s, float64)' % torch.__version__, 'cases': cases}, f)
print('wrote', os.path.join(HERE, 'inspect_ref.json'), len(cases), 'cases')
