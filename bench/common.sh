# Sourced by bench/run.sh, store.sh and audit.sh (POSIX sh): die, and the
# release build they all measure.  Needs $PY; sets $B (the build
# directory) and $J (its jixiao) from the first argument of the script.

die() {
	echo "bench: $*" >&2
	exit 1
}

is_release() {
	[ -f "$1/build.ninja" ] || return 1
	bt=$(meson introspect --buildoptions "$1" 2>/dev/null |
		"$PY" -c 'import json,sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"]=="buildtype"))' \
			2>/dev/null) || return 1
	[ "$bt" = release ]
}

# release_build [BUILD_DIR]: BUILD_DIR if it is a release build, else
# build-bench (set up with -Dbuildtype=release when missing); builds jixiao.
release_build() {
	B=${1:-build-bench}
	if ! is_release "$B"; then
		if [ -f "$B/build.ninja" ]; then
			echo "bench: $B is not a release build; measuring build-bench (buildtype=release) instead" >&2
		fi
		B=build-bench
		if [ ! -f "$B/build.ninja" ]; then
			meson setup "$B" -Dbuildtype=release >/dev/null || die "meson setup $B failed"
		fi
		is_release "$B" || die "$B exists but is not a release build (meson configure $B -Dbuildtype=release)"
	fi
	ninja -C "$B" jixiao >/dev/null || die "ninja -C $B jixiao failed"
	J=$(cd "$B" && pwd)/jixiao
}
