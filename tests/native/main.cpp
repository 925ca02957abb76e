// main.cpp — the doctest runner for the native suite. Not a test: each unit's tests live in tests/native/<unit>.test.cpp.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
