#!/usr/bin/env bash
# Builds the Debian packages build-cache-pruner_<version>_<arch>.deb and
# orchestrator-host-stub_<version>_<arch>.deb from one Release build (preset `package`, prefix /usr,
# Debian's hardening flags from dpkg-buildflags) with CPack's DEB generator.
# Usage: scripts/package.sh [--out DIR] [--revision N]
#   --out DIR       where the .deb files go (default: build/package/debs)
#   --revision N    the Debian revision (default 1): the install test builds a newer one
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

out="$root/build/package/debs"
revision=1
while (($# > 0)); do
    case "$1" in
        --out) out="$(realpath -m "${2:?--out needs a directory}")"; shift 2 ;;
        --revision) revision="${2:?--revision needs a number}"; shift 2 ;;
        *) echo "package.sh: unknown argument '$1' (expected --out DIR or --revision N)" >&2; exit 2 ;;
    esac
done
if [[ ! "$revision" =~ ^[1-9][0-9]*$ ]]; then
    echo "package.sh: --revision '$revision': expected a positive integer" >&2
    exit 2
fi

# Debian's hardening (fortify, stack protector, relro, bindnow, PIE), as debhelper would build.
export DEB_BUILD_MAINT_OPTIONS=hardening=+all
cppflags="$(dpkg-buildflags --get CPPFLAGS)"
cxxflags="$(dpkg-buildflags --get CXXFLAGS)"
ldflags="$(dpkg-buildflags --get LDFLAGS)"

cmake --preset package \
    -DCMAKE_CXX_FLAGS="$cppflags $cxxflags" \
    -DCMAKE_EXE_LINKER_FLAGS="$ldflags" \
    -DCMAKE_MODULE_LINKER_FLAGS="$ldflags" \
    -DCPACK_DEBIAN_PACKAGE_RELEASE="$revision" >/dev/null
cmake --build --preset package -j "$(nproc)"
mkdir -p "$out"
(cd build/package && cpack -G DEB -B "$out" >&2)
rm -rf "$out/_CPack_Packages"
find "$out" -maxdepth 1 -name "*-${revision}_*.deb" -print
