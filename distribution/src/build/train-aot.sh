#!/bin/sh
# train-aot.sh IMAGE_DIR WORK_DIR LOG_FILE
# Trains the image's AOT cache, IMAGE_DIR/lib/astra.aot (JDK 25, JEP 483/514/515),
# with the image's own runtime and exactly the production command line: both
# steps run bin/astra, which only gets the AOT mode flags added through
# ASTRA_JAVA_OPTS, in an empty environment (env -i) so that no JAVA_TOOL_OPTIONS
# or JDK_JAVA_OPTIONS of the build machine leak into the cache.
#   1. record: a training boot on a console pipe (the production console path)
#      that runs a few commands and shuts down cleanly;
#   2. create: the same command line assembles the cache from the recording.
# The training runs in WORK_DIR on a staged copy of the image (stage-image.sh):
# bin/astra gives the module path as /proc/self/fd/9/lib, the same for every
# copy, so the cache is the image's; and the build's image is not booted, so a
# system running from it (./astra boot, which locks var/run/astra.lock) neither
# stops the training nor loses its var/.
# Skipped when lib/astra.aot is newer than everything it was trained on (bin/,
# conf/, lib/, bundles/, runtime/).
set -eu
image=$(cd "$1" && pwd)
work=$2
log=$3
aot=$image/lib/astra.aot
# shellcheck source=SCRIPTDIR/stage-image.sh
. "$(dirname "$0")/stage-image.sh"

if [ -s "$aot" ]; then
    newer=$(find "$image/bin" "$image/conf" "$image/lib" "$image/bundles" "$image/runtime" \
        -type f ! -name 'astra.aot*' -newer "$aot" -print | head -n 1)
    if [ -z "$newer" ]; then
        echo "train-aot: $aot is up to date"
        exit 0
    fi
fi

fail() {
    echo "train-aot: $*" >&2
    echo "--- $log (last 40 lines)" >&2
    tail -n 40 "$log" >&2
    exit 1
}

rm -f "$aot"
copy=$work/${image##*/}
stage_image "$image" "$copy"
conf=$work/astra.aotconf
out=$copy/lib/astra.aot
home=$work/home
mkdir -p "$home"

echo "== record: $copy/bin/astra boot  (console: help bundles services uptime dmesg shutdown)" >"$log"
status=0
printf '%s\n' help bundles services uptime dmesg shutdown |
    env -i PATH=/usr/bin:/bin HOME="$home" ASTRA_JAVA_OPTS="-XX:AOTMode=record -XX:AOTConfiguration=$conf" \
        "$copy/bin/astra" boot >>"$log" 2>&1 || status=$?
[ "$status" -eq 0 ] || fail "the training boot exited with status $status"
grep -q '^ready in ' "$log" || fail "the training boot did not reach its prompt"
[ -s "$conf" ] || fail "the training boot wrote no AOT configuration"

echo "== create: $out" >>"$log"
status=0
env -i PATH=/usr/bin:/bin HOME="$home" ASTRA_JAVA_OPTS="-XX:AOTMode=create -XX:AOTConfiguration=$conf -XX:AOTCache=$out" \
    "$copy/bin/astra" boot </dev/null >>"$log" 2>&1 || status=$?
if [ "$status" -ne 0 ] || [ ! -s "$out" ]; then
    fail "assembling the AOT cache failed (status $status)"
fi

mv "$out" "$aot"
rm -rf "$work"
echo "train-aot: $aot ($(($(wc -c <"$aot") / 1024 / 1024)) MB), log: $log"
