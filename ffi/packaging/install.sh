#!/usr/bin/env bash
# Installs the C library: the header, libneuroquant.a, libneuroquant.so with its SONAME symlinks,
# a pkg-config file and a CMake package, under DESTDIR/PREFIX:
#   include/neuroquant.h
#   lib/libneuroquant.a
#   lib/libneuroquant.so.VERSION, lib/libneuroquant.so.SOVER -> it, lib/libneuroquant.so -> that
#   lib/pkgconfig/neuroquant.pc
#   lib/cmake/neuroquant/neuroquant-config.cmake, neuroquant-config-version.cmake
# Run through `make install PREFIX=/abs/path [DESTDIR=/staging]`, which builds the library first:
#   ffi/packaging/install.sh BUILD_DIR VERSION SONAME PREFIX [DESTDIR]
# VERSION is the crate version (the one source of every version here), SONAME the one ffi/build.rs
# gave the shared library. The installed files name PREFIX, never DESTDIR.
set -euo pipefail

build=$1 version=$2 soname=$3 prefix=$4 destdir=${5:-}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

case $prefix in
    /*) ;;
    *) echo "install.sh: PREFIX must be an absolute path, got '$prefix'" >&2; exit 2 ;;
esac
case $soname in
    libneuroquant.so.*) ;;
    *) echo "install.sh: $build/libneuroquant.so has no SONAME (got '$soname'); ELF platforms only" >&2; exit 2 ;;
esac
sover=${soname#libneuroquant.so.}
real=libneuroquant.so.$version

inc=$destdir$prefix/include
lib=$destdir$prefix/lib
install -d "$inc" "$lib/pkgconfig" "$lib/cmake/neuroquant"
install -m 644 "$root/include/neuroquant.h" "$inc/neuroquant.h"
install -m 644 "$build/libneuroquant.a" "$lib/libneuroquant.a"
install -m 755 "$build/libneuroquant.so" "$lib/$real"
# The loader finds the library by its SONAME, the link editor by the bare name.
if [ "$soname" != "$real" ]; then ln -sfn "$real" "$lib/$soname"; fi
ln -sfn "$soname" "$lib/libneuroquant.so"

fill() {
    sed -e "s|@PREFIX@|$prefix|g" -e "s|@VERSION@|$version|g" -e "s|@SONAME@|$soname|g" \
        -e "s|@SOVER@|$sover|g" -e "s|@SHARED_FILE@|$real|g" "$here/$1.in" > "$2"
    chmod 644 "$2"
}
fill neuroquant.pc "$lib/pkgconfig/neuroquant.pc"
fill neuroquant-config.cmake "$lib/cmake/neuroquant/neuroquant-config.cmake"
fill neuroquant-config-version.cmake "$lib/cmake/neuroquant/neuroquant-config-version.cmake"

echo "installed neuroquant $version (SONAME $soname) under $destdir$prefix"
