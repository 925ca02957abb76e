// pre.js — runs inside the Emscripten module before it starts. Not the API (api.js is): it only keeps the module quiet
// and lets it run where `document` is missing (workers, Node).
Module['print'] = Module['print'] || function () {};
