#!/bin/sh
# tar-image.sh IMAGE_DIR WORK_DIR TARBALL
# Packs the image as TARBALL (.tar.gz), the tree under its directory name
# (astralisp-VERSION/), from a staged copy in WORK_DIR (stage-image.sh): var/
# holds only the empty log/, cache/ and run/, whatever the build's image wrote
# there; the checkout's .built stamp is left out. File modes are kept (bin/astra
# and runtime/bin/* executable), and so are modification times: the AOT cache
# checks the size and time of the module path jars and of runtime/lib/modules,
# so an unpacked image must carry the times the cache was trained with. Owners
# are recorded as 0/0. Skipped when TARBALL is newer than everything in the
# image but var/.
set -eu
image=$(cd "$1" && pwd)
work=$2
tarball=$3
name=${image##*/}
# shellcheck source=SCRIPTDIR/stage-image.sh
. "$(dirname "$0")/stage-image.sh"

chmod 755 "$image/bin/astra"
[ -s "$image/lib/astra.aot" ] || { echo "tar-image: $image has no lib/astra.aot" >&2; exit 1; }
[ -x "$image/runtime/bin/java" ] || { echo "tar-image: $image has no runtime/bin/java" >&2; exit 1; }

if [ -f "$tarball" ]; then
    newer=$(find "$image" -mindepth 1 \( -path "$image/var" -o -name '.*' \) -prune \
        -o -newer "$tarball" -print | head -n 1)
    if [ -z "$newer" ]; then
        echo "tar-image: $tarball is up to date"
        exit 0
    fi
fi

stage_image "$image" "$work/$name"
rm -f "$tarball"
tar --create --gzip --file "$tarball" --directory "$work" \
    --sort=name --owner=0 --group=0 --numeric-owner "$name"
rm -rf "$work"
echo "tar-image: $tarball ($(($(wc -c <"$tarball") / 1024 / 1024)) MB)"
