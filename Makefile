# Makefile — thin wrappers over scripts/setup.sh, CMake and node: start (build + serve), dist, test, bench, soak.
# Not the build logic itself: CMakeLists.txt builds C++/wasm, web/build.mjs assembles dist/.
PORT ?= 8000
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
export NODE_PATH := /usr/share/nodejs
EMCMAKE ?= emcmake


.PHONY: vocab start dist test-dist typecheck test setup native wasm fuzz fuzz-smoke sanitize soak bench clean
FUZZ_SECONDS ?= 10

start: dist
	node scripts/serve.mjs --dir dist --port $(PORT)

setup:
	@bash scripts/setup.sh

# the test suite, the trace tool and the vocabulary writer only (the benchmarks are built by `make bench`)
native: setup
	cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release
	cmake --build build/native -j $(JOBS) --target rnnlab_tests rnnlab_trace rnnlab_vocab

# web/vocab.json, the config vocabulary web/schema.js takes its choices from, written by the core (committed: the web
# build and the Node tests read it without a C++ toolchain; tests/native/vocab.test.cpp fails when it is out of date)
vocab: native
	build/native/rnnlab_vocab web/vocab.json

wasm: setup
	$(EMCMAKE) cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release
	cmake --build build/wasm -j $(JOBS)

dist: wasm
	node web/build.mjs --rnnlab build/wasm/rnnlab.js --out dist

# the site as the browser tests drive it: dist/ plus window.__lab and the crash hooks (never shipped)
test-dist: wasm
	node web/build.mjs --rnnlab build/wasm/rnnlab.js --out build/dist-test --test

# web/ types (JSDoc, // @ts-check): tsc checks them, emits nothing
typecheck:
	node_modules/.bin/tsc -p web/tsconfig.json

test: native dist test-dist fuzz-smoke typecheck
	ctest --test-dir build/native --output-on-failure -j $(JOBS)
	node --test tests/node/
	node --test --test-concurrency=1 tests/e2e/

# libFuzzer (clang, ASan + UBSan) on the config/JSON path; `make test` runs it for FUZZ_SECONDS, `make soak` for 10 minutes
fuzz: setup
	CXX=clang++-14 cmake -S . -B build/fuzz -DRNNLAB_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build build/fuzz -j $(JOBS)

fuzz-smoke: fuzz
	rm -rf build/fuzz/corpus && mkdir -p build/fuzz/corpus && cp tests/fuzz/corpus/* build/fuzz/corpus/
	build/fuzz/config_fuzz build/fuzz/corpus -dict=tests/fuzz/json.dict -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	  -rss_limit_mb=2048 -max_len=2048 -print_final_stats=1 2>&1 | tail -n 12

# the native test suite under AddressSanitizer + UndefinedBehaviorSanitizer (CI runs it after make test)
sanitize: setup
	cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=None -DCMAKE_CXX_FLAGS=-O1 -DRNNLAB_SANITIZE=ON
	cmake --build build/asan -j $(JOBS) --target rnnlab_tests
	ctest --test-dir build/asan --output-on-failure -j $(JOBS)

soak: dist test-dist
	$(MAKE) fuzz-smoke FUZZ_SECONDS=600
	SOAK=1 node --test tests/node/robustness.test.mjs
	SOAK=1 node --test --test-concurrency=1 tests/e2e/heap.test.mjs

bench: native dist
	cmake --build build/native -j $(JOBS)
	bash bench/run.sh

clean:
	rm -rf build dist
