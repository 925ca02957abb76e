# Makefile — thin wrappers over scripts/setup.sh, CMake and node: start (build + serve), dist, test, bench, soak.
# Not the build logic itself: CMakeLists.txt builds C++/wasm, web/build.mjs assembles dist/.
PORT ?= 8000
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
export NODE_PATH := /usr/share/nodejs
EMCMAKE ?= emcmake

.PHONY: start dist test setup native wasm test-native test-node test-e2e bench clean

start: dist
	node scripts/serve.mjs --dir dist --port $(PORT)

setup:
	@bash scripts/setup.sh

native: setup
	cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release
	cmake --build build/native -j $(JOBS)

wasm: setup
	$(EMCMAKE) cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release
	cmake --build build/wasm -j $(JOBS)

dist: wasm
	node web/build.mjs --rnnlab build/wasm/rnnlab.js --out dist

test: native dist
	ctest --test-dir build/native --output-on-failure -j $(JOBS)
	node --test tests/node/
	node --test --test-concurrency=1 tests/e2e/

bench: native wasm
	bash bench/run.sh

clean:
	rm -rf build dist
