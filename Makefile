# jixiao — the README's commands.  Everything goes through meson/ninja;
# this file only sequences them.  `make demo` and `make test` install any
# missing Debian packages first (scripts/install-deps.sh).

BUILD      ?= build
BUILD_SAN  ?= build-san
BUILD_FUZZ ?= build-fuzz
FUZZ_SECONDS ?= 300
SMOKE_SECONDS ?= 10
MESON_TEST = meson test --print-errorlogs -v --num-processes 2

.PHONY: all deps build demo test test-unit test-san fuzz fuzz-smoke bench format format-check clean

all: build

deps:
	@sh scripts/install-deps.sh

$(BUILD)/build.ninja:
	meson setup $(BUILD) -Dwerror=true >/dev/null

build: $(BUILD)/build.ninja
	ninja -C $(BUILD)

demo: deps build
	@echo "== jixiao check examples/beita-2023.yaml"
	-./$(BUILD)/jixiao check examples/beita-2023.yaml
	@echo
	@echo "== jixiao score examples/beita-2023.yaml"
	-./$(BUILD)/jixiao score examples/beita-2023.yaml
	@echo
	@echo "== jixiao report examples/beita-2023.yaml --force -o out/"
	@mkdir -p out
	./$(BUILD)/jixiao report examples/beita-2023.yaml --force -o out/
	@echo
	@echo "== jixiao db: the examples into out/demo.db, the review list, the 2023 summary"
	./$(BUILD)/jixiao db import -q --db out/demo.db examples/
	-./$(BUILD)/jixiao db check --db out/demo.db --year 2023
	./$(BUILD)/jixiao db summary --db out/demo.db --year 2023 -o out/summary-2023.xlsx

# The whole suite: unit and golden tests, again under ASan+UBSan, a short
# run of every fuzzer, and the format check; ends with "N passed, N failed".
test: deps
	@sh scripts/run-tests.sh

test-unit: build
	$(MESON_TEST) -C $(BUILD)

$(BUILD_SAN)/build.ninja:
	CC=clang meson setup $(BUILD_SAN) -Db_sanitize=address,undefined -Db_lundef=false -Dwerror=true \
	  -Dbuildtype=debug >/dev/null

test-san: deps $(BUILD_SAN)/build.ninja
	ninja -C $(BUILD_SAN)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  $(MESON_TEST) -C $(BUILD_SAN)

$(BUILD_FUZZ)/build.ninja:
	CC=clang meson setup $(BUILD_FUZZ) -Dfuzz=true -Db_lundef=false -Dbuildtype=debugoptimized >/dev/null

fuzz-smoke: $(BUILD_FUZZ)/build.ninja
	ninja -C $(BUILD_FUZZ)
	sh fuzz/run.sh $(BUILD_FUZZ) $(SMOKE_SECONDS)

fuzz: deps $(BUILD_FUZZ)/build.ninja
	ninja -C $(BUILD_FUZZ)
	sh fuzz/run.sh $(BUILD_FUZZ) $(FUZZ_SECONDS)

bench: deps
	sh bench/run.sh build-bench
	sh bench/store.sh build-bench
	sh bench/audit.sh build-bench
	sh bench/serve.sh build-bench

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

format-check:
	clang-format --dry-run --Werror $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(BUILD_SAN) $(BUILD_FUZZ)
