#!/usr/bin/env bash
# run.sh — the benchmark driver (make bench): builds what is missing, then interleaves every variant in alternating processes
# round by round, runs the GFLOP/s and page benchmarks, and prints bench/report.mjs's table. Not a test: it never fails on a missed target.
#
# env: BENCH_ROUNDS (5)  BENCH_QUICK=1 (~1 min smoke: 1 round, H = 32, short windows, lesson 1 only)  LESSON_REPS (3)  LESSONS (all; e.g. 01,07)  BENCH_MS (1000)  BENCH_WARMUP_MS (300)
#      BENCH_HIDDEN ("32 64 128")  BENCH_CELLS ("lstm gru")  BENCH_VARIANTS ("native-march native-sse2 wasm tfjs-wasm tfjs-cpu";
#      also tfjs-wasm-layers: tf.layers.lstm/gru)
#      BENCH_PAGE=0 / BENCH_GEMM=0 skip those parts  BENCH_WASM_FLAGS (--no-liftoff)  BENCH_OUT (build/bench)  JOBS (nproc)
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}   # emscripten's acorn, as the Makefile sets it

QUICK=${BENCH_QUICK:-0}
if [ "$QUICK" = 1 ]; then
  ROUNDS=${BENCH_ROUNDS:-1}; MS=${BENCH_MS:-400}; WARM=${BENCH_WARMUP_MS:-150}; HIDDEN=${BENCH_HIDDEN:-32}
  GEMM_ROUNDS=1; GEMM_MS=50; GEMM_REPS=1; PAGE_LOADS=1; PAGE_SECONDS=3; VIEWS_ROUNDS=1; VIEWS_SECONDS=3; LESSON_REPS=${LESSON_REPS:-1}; LESSONS=${LESSONS:-01}
else
  ROUNDS=${BENCH_ROUNDS:-5}; MS=${BENCH_MS:-1000}; WARM=${BENCH_WARMUP_MS:-300}; HIDDEN=${BENCH_HIDDEN:-"32 64 128"}
  GEMM_ROUNDS=2; GEMM_MS=100; GEMM_REPS=3; PAGE_LOADS=5; PAGE_SECONDS=10; VIEWS_ROUNDS=6; VIEWS_SECONDS=6
fi
CELLS=${BENCH_CELLS:-"lstm gru"}
VARIANTS=(${BENCH_VARIANTS:-native-march native-sse2 wasm tfjs-wasm tfjs-cpu})
CHUNK=10                                   # run.train(CHUNK) per call, natively and in wasm alike
# V8 compiles wasm with its baseline tier first and tiers up hot functions in background threads; on a loaded machine
# that can outlast the warm-up. --no-liftoff compiles with the optimising tier up front: the steady state, for both wasm
# variants (the core and TF.js's backend). BENCH_WASM_FLAGS="" measures with V8's defaults instead.
WASM_FLAGS=${BENCH_WASM_FLAGS---no-liftoff}
OUT=${BENCH_OUT:-build/bench}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
mkdir -p "$OUT"
STAMP=$(date +%Y%m%d-%H%M%S)
RES="$OUT/results-$STAMP.jsonl"
: > "$RES"
say() { echo "[bench $(date +%H:%M:%S)] $*" >&2; }

# ---- builds (incremental: cheap when up to date) ----------------------------------------------------------------------
build_native() {  # $1 dir, $2.. extra cmake flags
  local dir=$1; shift
  if [ ! -f "$dir/CMakeCache.txt" ]; then cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release "$@" > /dev/null; fi
  cmake --build "$dir" -j "$JOBS" --target bench_step_bench bench_gemm_bench > "$OUT/build-$(basename "$dir").log" 2>&1 ||
    { cat "$OUT/build-$(basename "$dir").log" >&2; exit 1; }
}
say "building build/native (x86-64 baseline: SSE2) and build/native-march (-march=native)"
build_native build/native
build_native build/native-march -DRNNLAB_NATIVE_ARCH=ON
if [ ! -f dist/rnnlab.js ]; then say "dist/rnnlab.js missing: make dist"; make dist > "$OUT/build-dist.log" 2>&1; fi
if [ -f build/wasm/rnnlab.js ] && [ build/wasm/rnnlab.js -nt dist/rnnlab.js ]; then
  say "warning: build/wasm/rnnlab.js is newer than dist/rnnlab.js — measuring dist/ (run make dist to refresh it)"
fi
if [ ! -d node_modules/@tensorflow/tfjs ] || [ ! -d node_modules/@tensorflow/tfjs-backend-wasm ]; then
  say "TF.js missing: npm install (devDependencies @tensorflow/tfjs, @tensorflow/tfjs-backend-wasm)"; exit 1
fi
GEMM_JS="$OUT/gemm_bench.js"
if [ "${BENCH_GEMM:-1}" = 1 ]; then
  newest=$(ls -t bench/gemm_bench.cpp core/*.hpp "$GEMM_JS" 2>/dev/null | sed -n 1p || true)  # ls fails while $GEMM_JS is missing
  if [ "$newest" != "$GEMM_JS" ]; then
    say "building $GEMM_JS (em++ -O3 -msimd128, the core wasm build's flags)"
    em++ -std=c++17 -O3 -msimd128 -DEIGEN_NO_DEBUG -DNDEBUG -Icore -isystem /usr/include/eigen3 bench/gemm_bench.cpp \
      -o "$GEMM_JS" -sENVIRONMENT=node -sALLOW_MEMORY_GROWTH=1 -sSINGLE_FILE=1 > "$OUT/build-gemm-wasm.log" 2>&1 ||
      { cat "$OUT/build-gemm-wasm.log" >&2; exit 1; }
  fi
fi

# Snapshot what is measured, so that a rebuild by someone else during the run (make test, make dist) cannot swap binaries
# between rounds: the two native benchmarks and the whole dist/ (the page benchmark serves it) are copied and run from here.
# The page benchmark drives the page through window.__lab, which only the test build has: the site is rebuilt with --test
# from dist/rnnlab.js (same module, same runtime, plus the hooks).
SNAP="$OUT/snapshot-$STAMP"
mkdir -p "$SNAP/sse2" "$SNAP/march"
cp build/native/bench_step_bench build/native/bench_gemm_bench "$SNAP/sse2/"
cp build/native-march/bench_step_bench build/native-march/bench_gemm_bench "$SNAP/march/"
node web/build.mjs --rnnlab dist/rnnlab.js --out "$SNAP/dist" --test > "$OUT/build-dist-test.log" 2>&1
trap 'rm -rf "$SNAP"' EXIT
trap 'exit 130' INT TERM
same_wasm=false
if [ -f build/wasm/rnnlab.js ] && cmp -s build/wasm/rnnlab.js dist/rnnlab.js; then same_wasm=true; fi

# ---- what was measured, on what -----------------------------------------------------------------------------------------
git_rev=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git_dirty=$(git status --porcelain -- core bindings web 2>/dev/null | wc -l | tr -d ' ')
node -e '
  const os = require("os"), [rev, dirty, rounds, ms, warm, quick, loadStart] = process.argv.slice(1);
  console.log(JSON.stringify({ bench: "meta", date: new Date().toISOString(), git: rev, dirty_files_core_bindings_web: +dirty,
    cpu: os.cpus()[0].model, cores: os.cpus().length, mem_gb: +(os.totalmem() / 2 ** 30).toFixed(1), node: process.version,
    rounds: +rounds, ms: +ms, warmup_ms: +warm, quick: quick === "1", loadavg_start: loadStart.split(" ").map(Number),
    wasm_node_flags: process.argv[8], dist_is_build_wasm: process.argv[9] === "true" }));
' "$git_rev" "$git_dirty" "$ROUNDS" "$MS" "$WARM" "$QUICK" "$(cut -d' ' -f1-3 /proc/loadavg)" "$WASM_FLAGS" "$same_wasm" >> "$RES"
# (sed -n 1p, not head -1: head closes the pipe early, the writer may die of SIGPIPE, and pipefail + set -e end the script)
{ c++ --version | sed -n 1p; emcc --version 2>/dev/null | sed -n 1p; } | node -e '
  const l = require("fs").readFileSync(0, "utf8").trim().split("\n");
  console.log(JSON.stringify({ bench: "meta", cxx: l[0], emcc: l[1] || null }));' >> "$RES"

# ---- configs, and a check that TF.js takes the very same step as the core --------------------------------------------------
for cell in $CELLS; do for h in $HIDDEN; do node bench/config.mjs --cell "$cell" --hidden "$h" --out "$OUT/$cell-$h.json"; done; done
first_h=${HIDDEN%% *}
for cell in $CELLS; do
  node bench/tfjs_step.mjs "$OUT/$cell-$first_h.json" --check --lib "$SNAP/dist/rnnlab.js" 2>/dev/null | grep '^{' >> "$RES" ||
    say "warning: TF.js and the core disagree on the $cell step (see $RES)"
done

# ---- throughput: rounds × (cell, H) × variants, alternating processes, the order rotated every round -------------------
run_variant() {  # $1 variant, $2 config → one JSON line on stdout
  local v=$1 cfg=$2
  case $v in
    native-march) "$SNAP/march/bench_step_bench" "$cfg" --ms "$MS" --warmup-ms "$WARM" --chunk "$CHUNK" --variant "$v" ;;
    native-sse2) "$SNAP/sse2/bench_step_bench" "$cfg" --ms "$MS" --warmup-ms "$WARM" --chunk "$CHUNK" --variant "$v" ;;
    wasm) node $WASM_FLAGS bench/step_bench.mjs "$cfg" --lib "$SNAP/dist/rnnlab.js" --ms "$MS" --warmup-ms "$WARM" --chunk "$CHUNK" --variant "$v" ;;
    tfjs-wasm) node $WASM_FLAGS bench/tfjs_step.mjs "$cfg" --backend wasm --ms "$MS" --warmup-ms "$WARM" --variant "$v" 2>/dev/null ;;
    tfjs-wasm-layers) node $WASM_FLAGS bench/tfjs_step.mjs "$cfg" --backend wasm --impl layers --ms "$MS" --warmup-ms "$WARM" --variant "$v" 2>/dev/null ;;
    # the cpu backend takes seconds per step at H = 128: one warm-up step and one timed step at least
    tfjs-cpu) node bench/tfjs_step.mjs "$cfg" --backend cpu --ms "$MS" --warmup-ms "$WARM" --min-warmup-steps 1 --min-steps 1 --variant "$v" 2>/dev/null ;;
    *) echo "unknown variant $v" >&2; return 2 ;;
  esac
}
nv=${#VARIANTS[@]}
say "throughput: $ROUNDS rounds × cells [$CELLS] × H [$HIDDEN] × ${VARIANTS[*]} (${MS} ms each after ${WARM} ms warm-up) → $RES"
for ((r = 1; r <= ROUNDS; r++)); do
  k=0
  for cell in $CELLS; do for h in $HIDDEN; do
    for ((i = 0; i < nv; i++)); do
      v=${VARIANTS[$(((i + r + k) % nv))]}
      if line=$(run_variant "$v" "$OUT/$cell-$h.json" | grep '^{'); then
        echo "{\"round\":$r,${line#\{}" >> "$RES"
      else
        echo "{\"round\":$r,\"bench\":\"error\",\"variant\":\"$v\",\"cell\":\"$cell\",\"hidden\":$h}" >> "$RES"
        say "error: $v $cell H=$h failed in round $r"
      fi
    done
    k=$((k + 1))
  done; done
  say "round $r/$ROUNDS done"
done

# ---- GFLOP/s of the gate products ------------------------------------------------------------------------------------------
if [ "${BENCH_GEMM:-1}" = 1 ]; then
  hs=$(echo $HIDDEN | tr ' ' ',')
  say "GFLOP/s: native-march, native-sse2, wasm × $GEMM_ROUNDS"
  for ((r = 1; r <= GEMM_ROUNDS; r++)); do
    a=(--ms "$GEMM_MS" --reps "$GEMM_REPS" --hidden "$hs")
    "$SNAP/march/bench_gemm_bench" --variant native-march "${a[@]}" 2>/dev/null | sed "s/^{/{\"round\":$r,/" >> "$RES" ||
      say "error: native-march GFLOP/s failed"
    "$SNAP/sse2/bench_gemm_bench" --variant native-sse2 "${a[@]}" 2>/dev/null | sed "s/^{/{\"round\":$r,/" >> "$RES" ||
      say "error: native-sse2 GFLOP/s failed"
    node $WASM_FLAGS "$GEMM_JS" --variant wasm "${a[@]}" 2>/dev/null | sed "s/^{/{\"round\":$r,/" >> "$RES" ||
      say "error: wasm GFLOP/s failed"
  done
fi

# ---- one run.inspect({sample}) at H = 128, T = 50 (wasm, the shipped module) -------------------------------------------------
if [ "${BENCH_INSPECT:-1}" = 1 ]; then
  say "inspect: one sample at H = 128, T = 50, lstm/gru/rnn"
  node $WASM_FLAGS bench/inspect_bench.mjs --lib "$SNAP/dist/rnnlab.js" | grep '^{' >> "$RES" || say "error: inspect benchmark failed"
fi

# ---- page figures in headless Chromium --------------------------------------------------------------------------------------
if [ "${BENCH_PAGE:-1}" = 1 ]; then
  say "page: $PAGE_LOADS cold loads of lesson 1, then ${PAGE_SECONDS} s of training with 3 and with 4 runs"
  node bench/page_bench.mjs --dist "$SNAP/dist" --loads "$PAGE_LOADS" --train-seconds "$PAGE_SECONDS" | grep '^{' >> "$RES" || say "error: page benchmark failed"
  node bench/page_bench.mjs --dist "$SNAP/dist" --loads "$PAGE_LOADS" --file | grep '^{' >> "$RES" || say "error: page benchmark (file://) failed"
  say "page: lesson 1's training throughput with its views asking and switched off, ${VIEWS_ROUNDS} rounds"
  node bench/views_bench.mjs --dist "$SNAP/dist" --rounds "$VIEWS_ROUNDS" --seconds "$VIEWS_SECONDS" | grep '^{' >> "$RES" || say "error: views benchmark failed"
  say "page: every lesson, Train → claim verdict with 1 worker and with the pool, median of ${LESSON_REPS:-3}"
  node bench/lesson_bench.mjs --dist "$SNAP/dist" --reps "${LESSON_REPS:-3}" ${LESSONS:+--lessons "$LESSONS"} | grep '^{' >> "$RES" || say "error: lesson benchmark failed"
fi
echo "{\"bench\":\"meta\",\"loadavg_end\":[$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' ',')]}" >> "$RES"

node bench/report.mjs "$RES" | tee "$OUT/report-$STAMP.md"
say "raw results: $RES; table: $OUT/report-$STAMP.md"
