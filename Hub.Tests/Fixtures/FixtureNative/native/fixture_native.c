/* A native library that exists only in the FixtureNative plugin folder. */
int fixture_native_answer(int x) { return x * 2 + 0x2A00; }
