#!/bin/sh
# jlink-runtime.sh JDK_HOME OUTPUT_DIR STAMP_FILE MODULES [JLINK_OPTION...]
# Links the image's Java runtime (runtime/) from the JDK that runs the build, for
# the build host's architecture, with the JDK modules MODULES (comma-separated),
# then gives it a default CDS archive (lib/server/classes.jsa, -Xshare:dump).
# Skipped when OUTPUT_DIR was linked from the same JDK with the same modules and
# options (STAMP_FILE, kept outside the image, records them): linking takes
# seconds, and `./astra boot` repackages the image after every source change.
set -eu
jdk=$1
out=$2
stamp=$3
modules=$4
shift 4

key="jdk=$jdk
$(cat "$jdk/release")
modules=$modules
options=$*"
if [ -x "$out/bin/java" ] && [ -f "$out/lib/server/classes.jsa" ] && [ -f "$stamp" ] \
        && [ "$(cat "$stamp")" = "$key" ]; then
    echo "jlink-runtime: $out is up to date"
    exit 0
fi

rm -rf "$out" "$stamp"
"$jdk/bin/jlink" --add-modules "$modules" "$@" --output "$out"
# The default CDS archive for the runtime's own default flags. The AOT cache
# (lib/astra.aot) replaces it when bin/astra boots; it serves boots with
# ASTRA_AOT=off and any other program run on this runtime. One archive made
# here rather than jlink --generate-cds-archive, which also makes a second
# (-XX:-UseCompressedOops) archive of the same size that only heaps over 32 GB use.
"$out/bin/java" -Xshare:dump -Xlog:cds=off -Xlog:aot=off >/dev/null
printf '%s\n' "$key" >"$stamp"
echo "jlink-runtime: $out ($(du -sm "$out" | cut -f1) MB): $modules"
