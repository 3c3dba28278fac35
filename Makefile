# One entry point for building and testing neuroquant. `make test` is what CI runs (.ci/run).
# It needs only rustup's cargo, a C compiler and python3: everything else (cbindgen, maturin,
# numpy, pytest, mypy, dimod, cmake, pkgconf) is installed by this Makefile into .tools/ and .venv/.
# `make install PREFIX=/abs/path [DESTDIR=/staging]` installs the C library (see README "C").

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := test

CARGO ?= cargo
PYTHON ?= python3
ROOT := $(CURDIR)
TOOLS := $(ROOT)/.tools
CBINDGEN_VERSION := 0.29.4
CBINDGEN := $(TOOLS)/bin/cbindgen
VENV := $(ROOT)/.venv
VPY := $(VENV)/bin/python
WHEELS := $(ROOT)/target/wheels
RELEASE := $(ROOT)/target/release
PREFIX ?= /usr/local
DESTDIR ?=
# The crate version (Cargo.toml, the one source) and the SONAME ffi/build.rs gave libneuroquant.so,
# read back from the built file; both expand in recipes only.
CRATE_VERSION = $$($(CARGO) pkgid -p neuroquant-ffi | sed 's/.*@//')
NQ_SONAME = $$(readelf -d $(RELEASE)/libneuroquant.so | sed -n 's/.*(SONAME).*\[\(.*\)\]$$/\1/p')
C_INSTALL := $(ROOT)/target/c-install

.PHONY: testserver test lint rust-test header header-check lib c-test c-install-check install python-test examples install-check venv wheel bench clean

## test: everything CI checks, in order of speed to first failure
test: lint rust-test header-check c-test c-install-check python-test examples install-check
	@echo "make test: all checks passed"

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings
	# the core alone, as a dependency without the optional `dwave` feature (the workspace build
	# always has it: the C and Python crates turn it on)
	$(CARGO) clippy -p neuroquant --lib --locked -- -D warnings
	# rustdoc with warnings as errors (broken links, ambiguous names); the core and the C crate
	# share the library name `neuroquant`, so they are documented one after the other.
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --locked --no-deps -p neuroquant
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --locked --no-deps -p neuroquant-ffi

# The benchmark files of ../shared are optional for a checkout, but where they exist the tests
# using them must not skip.
rust-test:
	NQ_REQUIRE_SHARED=$(if $(wildcard $(ROOT)/../shared/data/qubo),1,0) $(CARGO) test --workspace --locked

$(CBINDGEN):
	$(CARGO) install --locked --quiet --root $(TOOLS) cbindgen --version $(CBINDGEN_VERSION)

## header: regenerate include/neuroquant.h from ffi/
header: $(CBINDGEN)
	$(CBINDGEN) --quiet --config ffi/cbindgen.toml --crate neuroquant-ffi --output include/neuroquant.h

## header-check: fail if the committed header differs from what ffi/ generates
header-check: $(CBINDGEN)
	@mkdir -p target
	$(CBINDGEN) --quiet --config ffi/cbindgen.toml --crate neuroquant-ffi --output target/neuroquant.h.check
	@diff -u include/neuroquant.h target/neuroquant.h.check || \
		{ echo "include/neuroquant.h is stale: run 'make header' and commit it"; exit 1; }

## lib: build libneuroquant.{a,so} into target/release, plus a link named by the SONAME so that
## programs linked there find the library at run time
lib:
	$(CARGO) build --release --locked -p neuroquant-ffi
	soname=$(NQ_SONAME); if [ -n "$$soname" ]; then ln -sfn libneuroquant.so $(RELEASE)/$$soname; fi

## c-test: build libneuroquant and run every C/C++ example under ASan + UBSan (dwave.c against
## the local SAPI test server, which wraps it)
c-test: lib testserver
	$(MAKE) -C examples/c test LIBDIR=$(RELEASE) SAPI_SERVER=$(RELEASE)/nq-sapi-testserver

## install: the C library under $(DESTDIR)$(PREFIX): include/neuroquant.h, lib/libneuroquant.{a,so*},
## lib/pkgconfig/neuroquant.pc, lib/cmake/neuroquant/ (ffi/packaging/install.sh has the layout)
install: lib
	ffi/packaging/install.sh $(RELEASE) "$(CRATE_VERSION)" "$(NQ_SONAME)" "$(PREFIX)" "$(DESTDIR)"

## c-install-check: `make install` into target/c-install, then a C program built with the
## pkg-config flags (shared and static) and a CMake project using find_package(neuroquant) run
## against it (cmake and pkgconf come from .venv)
c-install-check: lib $(VENV)/.installed
	rm -rf $(C_INSTALL)
	$(MAKE) --no-print-directory install PREFIX=$(C_INSTALL)/prefix
	$(MAKE) --no-print-directory install PREFIX=/opt/neuroquant DESTDIR=$(C_INSTALL)/stage
	PATH="$(VENV)/bin:$$PATH" examples/c/consumer/check.sh $(C_INSTALL)/prefix $(C_INSTALL)/build \
		$(C_INSTALL)/stage /opt/neuroquant

$(VENV)/.installed: python/requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install --quiet --upgrade pip
	$(VPY) -m pip install --quiet -r python/requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

wheel: $(VENV)/.installed
	rm -rf $(WHEELS)
	$(VENV)/bin/maturin build --release --locked -m python/Cargo.toml -o $(WHEELS)
	$(VPY) -m pip install --quiet --force-reinstall --no-deps $(WHEELS)/neuroquant-*.whl

## testserver: the local SAPI test server (sapi-testserver/) the Python and C tests start
testserver:
	$(CARGO) build --release --locked -p neuroquant-sapi-testserver

## python-test: build the wheel, install it into .venv, run pytest and mypy.stubtest, then
## dwave-samplers 1.8.0's own sampler tests on neuroquant.ocean's classes (sdist fetched by pip
## into target/, tests extracted under target/, never into the repository)
python-test: wheel testserver
	cd python && $(VPY) -m pytest tests -q
	$(VPY) -m mypy.stubtest neuroquant
	$(VPY) python/tests/dwave_suite/run.py

## examples: the Rust and Python examples run to completion
examples: wheel
	$(CARGO) run --release --locked --quiet --example bqm
	for f in examples/python/*.py; do echo "== $$f"; $(VPY) "$$f"; done

## install-check: `pip install ./python` into a fresh venv gives a working `import neuroquant`
install-check:
	rm -rf target/install-check
	$(PYTHON) -m venv target/install-check
	target/install-check/bin/pip install --quiet ./python
	cd target && install-check/bin/python -c "import neuroquant as nq; b = nq.qubo.Bqm(2, 'SPIN'); \
		b.add_quadratic(0, 1, -1.0); assert list(b.energies([[1, 1], [1, -1]])) == [-1.0, 1.0]; print('import neuroquant', nq.__version__, 'ok')"

## bench: criterion benches and side-by-side runs against peers; rewrites BENCHMARKS.md
bench: $(VENV)/.installed wheel
	$(CARGO) bench -p neuroquant
	$(VPY) benches/compare/run.py --write BENCHMARKS.md

clean:
	$(CARGO) clean
	$(MAKE) -C examples/c clean
	rm -rf $(TOOLS) $(VENV)
