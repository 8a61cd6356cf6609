# Sourced by train-aot.sh and tar-image.sh.
# stage_image IMAGE_DIR STAGE_DIR: STAGE_DIR becomes a copy of the image as it
# ships: everything but var/ and dot files (the checkout's .built stamp), hard
# linked where the file system allows it (same inodes, so the same sizes and
# modification times, which the AOT cache checks), with an empty var/ skeleton.
# What boots of the build's image wrote in its var/ stays out.
stage_image() {
    rm -rf "$2"
    mkdir -p "$2"
    for entry in "$1"/*; do
        case ${entry##*/} in
            var) ;;
            *) cp -al "$entry" "$2/" 2>/dev/null || cp -a "$entry" "$2/" ;;
        esac
    done
    mkdir -p "$2/var/log" "$2/var/cache" "$2/var/run"
}
