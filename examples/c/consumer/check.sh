#!/usr/bin/env bash
# Checks an installed neuroquant the way a downstream project sees it (run by `make c-install-check`):
#   1. the files and the SONAME chain libneuroquant.so -> .so.SOVER -> .so.VERSION;
#   2. neuroquant.pc is valid, and main.c builds with its flags (-Wall -Wextra -Werror -Wpedantic)
#      and runs, linked against the shared library and fully statically (`--static` adds
#      Libs.private, so a missing system library fails the link);
#   3. the CMake project beside this script finds the package and builds and runs main.c with
#      neuroquant::neuroquant and neuroquant::neuroquant_static; the version file accepts the
#      releases of the same ABI line only;
#   4. a DESTDIR staging install names the final prefix, not the staging directory.
# Every program prints nq_version(), which must equal the package version (pkg-config's and
# CMake's), itself written from the crate version.
# Usage: check.sh PREFIX WORKDIR DESTDIR DESTDIR_PREFIX, after `make install PREFIX=PREFIX` and
# `make install PREFIX=DESTDIR_PREFIX DESTDIR=DESTDIR` (cmake, pkgconf and a C compiler on PATH).
set -euo pipefail

prefix=$1 work=$2 destdir=$3 final=$4
here=$(cd "$(dirname "$0")" && pwd)
cc=${CC:-cc}
cflags=(-std=c11 -Wall -Wextra -Werror -Wpedantic)
lib=$prefix/lib
mkdir -p "$work"
fail() { echo "c-install-check: $*" >&2; exit 1; }

# 1. Layout.
for f in include/neuroquant.h lib/libneuroquant.a lib/pkgconfig/neuroquant.pc \
    lib/cmake/neuroquant/neuroquant-config.cmake lib/cmake/neuroquant/neuroquant-config-version.cmake; do
    [ -f "$prefix/$f" ] || fail "missing $prefix/$f"
done
export PKG_CONFIG_PATH=$lib/pkgconfig
version=$(pkgconf --modversion neuroquant)
soname=$(readlink "$lib/libneuroquant.so")
[ "$(readlink "$lib/$soname")" = "libneuroquant.so.$version" ] || fail "$soname does not point to libneuroquant.so.$version"
[ -f "$lib/libneuroquant.so.$version" ] && [ ! -L "$lib/libneuroquant.so.$version" ] || fail "no libneuroquant.so.$version file"
readelf -d "$lib/libneuroquant.so.$version" | grep -q "(SONAME).*\[$soname\]" || fail "SONAME of the library is not $soname"
echo "layout ok: libneuroquant.so -> $soname -> libneuroquant.so.$version"

# Runs a consumer and checks the version it reports.
run() {
    local got
    got=$("$1") || fail "$1 failed"
    [ "$got" = "$version" ] || fail "$1 reports nq_version() '$got', the package says '$version'"
    echo "$(basename "$1"): ok (neuroquant $got)"
}

# 2. pkg-config.
pkgconf --validate neuroquant
# shellcheck disable=SC2046  # the flags are meant to split into words
"$cc" "${cflags[@]}" $(pkgconf --cflags neuroquant) "$here/main.c" -o "$work/pkgconfig_shared" \
    $(pkgconf --libs neuroquant) -Wl,-rpath,"$lib"
readelf -d "$work/pkgconfig_shared" | grep -q "(NEEDED).*\[$soname\]" || fail "pkgconfig_shared does not need $soname"
run "$work/pkgconfig_shared"
# shellcheck disable=SC2046
"$cc" -static "${cflags[@]}" $(pkgconf --cflags neuroquant) "$here/main.c" -o "$work/pkgconfig_static" \
    $(pkgconf --static --libs neuroquant)
if readelf -d "$work/pkgconfig_static" 2>/dev/null | grep -q NEEDED; then fail "pkgconfig_static is not static"; fi
run "$work/pkgconfig_static"

# 3. CMake.
{
    cmake -S "$here" -B "$work/cmake" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_C_COMPILER="$cc" \
        -DCMAKE_BUILD_TYPE=Release && cmake --build "$work/cmake"
} > "$work/cmake.log" 2>&1 || { cat "$work/cmake.log"; fail "the CMake consumer did not build"; }
grep -q "neuroquant_DIR:PATH=$lib/cmake/neuroquant" "$work/cmake/CMakeCache.txt" || fail "CMake found another neuroquant"
readelf -d "$work/cmake/consumer_shared" | grep -q "(NEEDED).*\[$soname\]" || fail "consumer_shared does not need $soname"
if readelf -d "$work/cmake/consumer_static" | grep -q "(NEEDED).*libneuroquant"; then
    fail "consumer_static needs the shared library"
fi
run "$work/cmake/consumer_shared"
run "$work/cmake/consumer_static"
# The version file, as find_package(neuroquant REQUEST) includes it.
compatible() {
    local major minor patch
    IFS=. read -r major minor patch <<< "$1"
    cmake -DPACKAGE_FIND_VERSION="$1" -DPACKAGE_FIND_VERSION_MAJOR="${major:-0}" \
        -DPACKAGE_FIND_VERSION_MINOR="${minor:-0}" -DPACKAGE_FIND_VERSION_PATCH="${patch:-0}" \
        -DVERSION_FILE="$lib/cmake/neuroquant/neuroquant-config-version.cmake" -P /dev/stdin <<'CMAKE'
include("${VERSION_FILE}")
message(STATUS "${PACKAGE_VERSION_COMPATIBLE}")
CMAKE
}
expect_compatible() {
    local got
    got=$(compatible "$1" 2>&1 | sed -n 's/^-- //p')
    [ "$got" = "$2" ] || fail "find_package(neuroquant $1) against $version: compatible=$got, expected $2"
}
IFS=. read -r major minor patch <<< "$version"
expect_compatible "$version" TRUE
expect_compatible "$major.$minor" TRUE
expect_compatible "$major.$minor.$((patch + 1))" FALSE   # newer than installed
expect_compatible "$((major + 1)).0" FALSE
if [ "$major" = 0 ] && [ "$minor" -gt 0 ]; then expect_compatible "0.$((minor - 1)).0" FALSE; fi
if [ "$major" -gt 0 ]; then expect_compatible "$((major - 1)).0" FALSE; fi
echo "neuroquant-config-version.cmake: ok"

# 4. DESTDIR.
staged=$destdir$final
[ -f "$staged/include/neuroquant.h" ] && [ -L "$staged/lib/libneuroquant.so" ] || fail "DESTDIR install incomplete in $staged"
grep -qx "prefix=$final" "$staged/lib/pkgconfig/neuroquant.pc" || fail "staged neuroquant.pc does not say prefix=$final"
echo "DESTDIR install: ok (files under $destdir, prefix $final)"
