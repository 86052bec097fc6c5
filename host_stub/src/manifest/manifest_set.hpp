#pragma once
// Turns the manifest files of one directory into the set of plugins to consider. Pure: the
// caller reads the files.
#include <string>
#include <vector>

#include "manifest/manifest.hpp"

namespace orch::host {

struct ManifestFile {
    std::string name;  // file name, without directory
    std::string text;
};

struct ManifestProblem {
    std::string message;    // names the file and what is wrong
    bool required = false;  // the skipped manifest said "required": true: fatal at start-up
};

struct ManifestSet {
    std::vector<Manifest> manifests;      // valid, unique ids and queue_keys, in file-name order
    std::vector<ManifestProblem> errors;  // manifests that were skipped
    std::vector<std::string> warnings;
};

// Parses every file and drops duplicates. Files are taken in file-name order and the first
// manifest to claim an id or queue_key keeps it, so the outcome never depends on directory
// iteration order; the later one is reported naming both files.
ManifestSet select_manifests(std::vector<ManifestFile> files);

}  // namespace orch::host
