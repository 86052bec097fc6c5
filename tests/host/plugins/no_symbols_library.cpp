// A valid shared object that is not a plugin: it exports a function but no "orchplug" section.
extern "C" __attribute__((visibility("default"))) int orch_test_not_a_plugin() {
    return 42;
}
