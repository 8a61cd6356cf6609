#!/bin/sh
# verify-image.sh TARBALL WORK_DIR BUILT_IMAGE_DIR
# The image check of the build (distribution/pom.xml, integration-test phase):
# unpacks TARBALL into WORK_DIR, somewhere else than where it was built, checks
# the tree, and boots it as a machine without a JDK would: `bin/astra boot -e
# bundles -e shutdown` under `env -i PATH=/usr/bin:/bin`, so no JAVA_HOME, no
# JDK on PATH and no JAVA_TOOL_OPTIONS can help. Where the build runs as root
# and may unshare (not in every container), the boot runs in its own mount and
# network namespace in which /usr/lib/jvm and the image it was packed from are
# hidden (empty tmpfs over them) and there is no network. The boot runs with
# -XX:AOTMode=on, so an AOT cache the JVM cannot use fails it instead of being
# silently dropped. Any failed check fails the build (exit status 1).
set -eu
tarball=$1
work=$2
built=$3

name=$(basename "$tarball" .tar.gz)
fail() {
    echo "verify-image: FAILED: $*" >&2
    for f in "$work"/boot*.out "$work"/boot*.err; do
        [ -f "$f" ] && { echo "--- $f" >&2; tail -n 40 "$f" >&2; }
    done
    exit 1
}

rm -rf "$work"
mkdir -p "$work/unpacked"
tar -xzf "$tarball" -C "$work/unpacked" || fail "cannot unpack $tarball"
img=$work/unpacked/$name

# The tree.
[ -d "$img" ] || fail "$tarball has no top directory $name/"
for d in bin lib bundles conf runtime var/log var/cache; do
    [ -d "$img/$d" ] || fail "no $d/ in the image"
done
[ -x "$img/bin/astra" ] || fail "bin/astra is not executable"
for f in "$img"/runtime/bin/*; do
    [ -x "$f" ] || fail "runtime/bin/$(basename "$f") is not executable"
done
[ -x "$img/runtime/bin/java" ] || fail "no runtime/bin/java"
[ -s "$img/lib/astra.aot" ] || fail "no AOT cache lib/astra.aot"
[ -f "$img/conf/boot.manifest" ] || fail "no conf/boot.manifest"
leftover=$(find "$img/var" -mindepth 2 -print | head -n 1)
[ -z "$leftover" ] || fail "var/ holds what a boot wrote: ${leftover#"$img"/}"
[ ! -e "$img/.built" ] || fail "the checkout's .built stamp is in the image"

# A boot with nothing but the image: $1 the image, $2 stdout, $3 stderr, $4.. extra env.
sandbox=""
if [ "$(id -u)" = 0 ] && unshare --mount --net --fork sh -c 'mount -t tmpfs -o size=1m none "$1"' sh "$work" 2>/dev/null; then
    sandbox=yes
fi
boot() {
    image=$1
    out=$2
    err=$3
    shift 3
    script='cd "$1" && img=$2 && shift 3 && exec env -i PATH=/usr/bin:/bin HOME="$PWD" "$@" "$img/bin/astra" boot -e bundles -e shutdown'
    if [ -n "$sandbox" ]; then
        hide='for d in /usr/lib/jvm "$3"; do [ ! -d "$d" ] || mount -t tmpfs -o size=1m,mode=755 none "$d" || exit 97; done'
        unshare --mount --net --fork sh -c "$hide && $script" sh "$work" "$image" "$built" "$@" >"$out" 2>"$err"
    else
        sh -c "$script" sh "$work" "$image" "$built" "$@" >"$out" 2>"$err"
    fi
}

check_boot() {
    out=$1
    err=$2
    grep -q '^ready in [0-9]* ms' "$out" || fail "no 'ready in N ms' line ($out)"
    grep -q 'ID  STATE' "$out" || fail "no bundle list ($out)"
    grep -q 'ACTIVE .*org\.apache\.felix\.framework' "$out" || fail "the framework is not ACTIVE ($out)"
    grep -q 'ACTIVE .*org\.apache\.felix\.scr' "$out" || fail "SCR is not ACTIVE ($out)"
    if grep -q 'did not come up' "$out"; then
        fail "bundles did not come up: $(grep -A5 'did not come up' "$out" | tr '\n' ' ')"
    fi
}

status=0
boot "$img" "$work/boot.out" "$work/boot.err" \
    ASTRA_JAVA_OPTS="-XX:AOTMode=on -XshowSettings:properties" || status=$?
[ "$status" -eq 0 ] || fail "bin/astra boot exited with status $status"
check_boot "$work/boot.out" "$work/boot.err"
grep -q "java.home = $img/runtime\$" "$work/boot.err" \
    || fail "the boot did not run on the image's runtime: $(grep 'java.home =' "$work/boot.err")"

status=0
boot "$img" "$work/boot-noaot.out" "$work/boot-noaot.err" ASTRA_AOT=off || status=$?
[ "$status" -eq 0 ] || fail "bin/astra boot with ASTRA_AOT=off exited with status $status"
check_boot "$work/boot-noaot.out" "$work/boot-noaot.err"

ready=$(sed -n 's/^ready in \([0-9]*\) ms$/\1/p' "$work/boot.out")
active=$(grep -c ' ACTIVE ' "$work/boot.out")
if [ -n "$sandbox" ]; then
    how="in a namespace without /usr/lib/jvm, the build's image and network"
else
    how="under env -i (no namespace: not root or unshare not permitted)"
fi
echo "verify-image: $name unpacked to $img boots $how on its own runtime with its AOT cache (-XX:AOTMode=on):" \
    "$active bundles ACTIVE, ready in $ready ms; and boots with ASTRA_AOT=off"
