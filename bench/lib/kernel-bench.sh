# Sourced by the kernel benchmarks' run scripts (bench/sched, bench/proc):
#   kernel_bench NAME MAIN_CLASS IMAGE_DIR [ARGS...]
# compiles bench/NAME/MAIN_CLASS.java with bench/lib/KernelMachine.java
# against the image's jars (IMAGE_DIR/lib, IMAGE_DIR/bundles) on a JDK 25+
# and runs MAIN_CLASS with ARGS.
kernel_bench() {
    name=$1 main=$2 image=$3
    shift 3
    lib=$(cd "$(dirname "$0")/../lib" && pwd)
    jdk=""
    for home in ${JAVA_HOME:+"$JAVA_HOME"} /usr/lib/jvm/*; do
        [ -x "$home/bin/javac" ] && [ -f "$home/release" ] || continue
        major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release")
        if [ -n "$major" ] && [ "$major" -ge 25 ]; then jdk=$home; break; fi
    done
    [ -n "$jdk" ] || { echo "bench/$name: needs a JDK 25 or newer (JAVA_HOME or /usr/lib/jvm)" >&2; exit 1; }
    cp=""
    for jar in machine slf4j-api org.apache.felix.framework boot-spi hal-api hal-x86_64 kernel; do
        found=$(ls "$image/lib/$jar.jar" "$image/bundles/$jar.jar" 2>/dev/null | head -1)
        [ -n "$found" ] || { echo "bench/$name: no $jar.jar in $image/lib or $image/bundles (is $image a built image?)" >&2; exit 2; }
        cp="$cp:$found"
    done
    classes=$(mktemp -d)
    trap 'rm -rf "$classes"' EXIT
    # The arch bundle's DS annotations are not in the image: their enum constants are not resolvable, which is harmless.
    "$jdk/bin/javac" -Xlint:none -nowarn -cp "${cp#:}" -d "$classes" "$(dirname "$0")/$main.java" "$lib/KernelMachine.java" 2>&1 \
        | grep -v 'ReferenceCardinality\|^1 warning$' >&2 || true
    [ -f "$classes/$main.class" ] || { echo "bench/$name: compiling $main.java failed" >&2; exit 1; }
    # Kernel threads are the JDK's internal continuations (docs/kernel.md, "Threads on vCPUs").
    "$jdk/bin/java" --add-exports java.base/jdk.internal.vm=ALL-UNNAMED --enable-native-access=ALL-UNNAMED \
        -Dslf4j.internal.verbosity=ERROR -cp "$classes:${cp#:}" "$main" "$@"
}
