# One entry point for building and testing neuroquant. `make test` is what CI runs (.ci/run).
# It needs only rustup's cargo, a C compiler and python3: everything else (cbindgen, maturin,
# numpy, pytest, mypy, dimod) is installed by this Makefile into .tools/ and .venv/.

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

.PHONY: test lint rust-test header header-check c-test python-test examples install-check venv wheel bench clean

## test: everything CI checks, in order of speed to first failure
test: lint rust-test header-check c-test python-test examples install-check
	@echo "make test: all checks passed"

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

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

## c-test: build libneuroquant and run every C/C++ example under ASan + UBSan
c-test:
	$(CARGO) build --release --locked -p neuroquant-ffi
	$(MAKE) -C examples/c test LIBDIR=$(ROOT)/target/release

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

## python-test: build the wheel, install it into .venv, run pytest and mypy.stubtest
python-test: wheel
	cd python && $(VPY) -m pytest tests -q
	$(VPY) -m mypy.stubtest neuroquant

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
