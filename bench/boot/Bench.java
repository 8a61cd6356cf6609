import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * bench/boot: boot time to the console prompt and idle RSS of a boot image,
 * against a bare JVM (same runtime, same JVM flags) running {@code Hello}.
 * Prints figures only, never pass/fail. Usage (see ./run):
 *
 * <pre>java Bench.java IMAGE_DIR [--boots N] [--idle-ms MS]</pre>
 *
 * <p>Each run is a fresh process with stdin a pipe held open. "to prompt" is
 * measured here, from just before the process is spawned to the moment the
 * prompt {@code ok } (or {@code hello}) arrives on its stdout pipe; the loader's
 * own "ready in N ms" is shown too. After the prompt the process idles for
 * {@code --idle-ms}, then VmRSS is read from /proc/PID/status ({@code bin/astra}
 * execs java, so PID is the JVM), then {@code shutdown} is sent (the hello
 * program's stdin is closed). Variants are interleaved run by run, after one
 * discarded warm-up run each.
 */
public final class Bench {

    private static final Pattern READY = Pattern.compile("ready in (\\d+) ms");
    private static final long TIMEOUT_S = 120;

    /** One way of starting a process and the text that says it is up. */
    private record Variant(String name, List<String> command, Map<String, String> env, String marker,
                           String quit) {
    }

    /** One measured run. */
    private record Run(double toPromptMs, double cpuMs, double readyMs, long rssKb, long hwmKb) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: bench/boot/run IMAGE_DIR [--boots N] [--idle-ms MS]");
            System.exit(2);
        }
        Path image = Path.of(args[0]).toAbsolutePath().normalize();
        int boots = 7;
        long idleMs = 1000;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--boots" -> boots = Integer.parseInt(args[++i]);
                case "--idle-ms" -> idleMs = Long.parseLong(args[++i]);
                default -> {
                    System.err.println("bench/boot: unknown argument " + args[i]);
                    System.exit(2);
                }
            }
        }
        Path launcher = image.resolve("bin/astra");
        if (!Files.isExecutable(launcher)) {
            System.err.println("bench/boot: no image at " + image + " (no executable bin/astra)");
            System.exit(2);
        }
        Path runtime = image.resolve("runtime");
        Path java = runtime.resolve("bin/java");
        if (!Files.isExecutable(java)) {
            runtime = Path.of(System.getProperty("java.home"));
            java = runtime.resolve("bin/java");
        }
        List<String> jvmFlags = jvmFlags(launcher);
        String extra = System.getenv().getOrDefault("ASTRA_JAVA_OPTS", "").strip();
        Path helloClasses = compileHello();

        Map<String, String> env = new HashMap<>();
        env.put("PATH", "/usr/bin:/bin");
        env.put("HOME", System.getProperty("user.home"));
        if (!extra.isEmpty()) {
            env.put("ASTRA_JAVA_OPTS", extra);
        }
        boolean aot = Files.isRegularFile(image.resolve("lib/astra.aot"));
        List<Variant> variants = new ArrayList<>();
        if (aot) {
            variants.add(new Variant("astra, AOT cache", List.of(launcher.toString(), "boot"), env, "\nok ",
                    "shutdown\n"));
        }
        Map<String, String> noAot = new HashMap<>(env);
        noAot.put("ASTRA_AOT", "off");
        variants.add(new Variant("astra, no AOT cache", List.of(launcher.toString(), "boot"), noAot, "\nok ",
                "shutdown\n"));
        List<String> hello = new ArrayList<>();
        hello.add(java.toString());
        hello.addAll(jvmFlags);
        if (!extra.isEmpty()) {
            hello.addAll(Arrays.asList(extra.split("\\s+")));
        }
        hello.addAll(List.of("-cp", helloClasses.toString(), "Hello", "wait"));
        variants.add(new Variant("bare JVM, Hello", hello, env, "hello\n", ""));

        System.out.printf(Locale.ROOT, "bench boot: %s%n", image);
        System.out.printf(Locale.ROOT, "  machine:  %s, %d cpus, %s%n", cpuModel(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.arch"));
        System.out.printf(Locale.ROOT, "  runtime:  %s (java %s)%n", runtime, javaVersion(runtime));
        System.out.printf(Locale.ROOT, "  flags:    %s%s%n", String.join(" ", jvmFlags),
                extra.isEmpty() ? "" : " + ASTRA_JAVA_OPTS " + extra);
        System.out.printf(Locale.ROOT, "  method:   %d runs each after a warm-up, interleaved; to prompt = spawn to"
                + " prompt on the stdout pipe; CPU = CPU time of all its threads at the prompt; RSS = VmRSS after %d ms"
                + " idle at the prompt%n", boots, idleMs);
        if (!aot) {
            System.out.println("  note:     the image has no lib/astra.aot: only the run without AOT cache is shown");
        }

        Map<Variant, List<Run>> runs = new LinkedHashMap<>();
        for (Variant v : variants) {
            runs.put(v, new ArrayList<>());
            run(v, idleMs); // warm-up: page cache, first-boot directories
        }
        for (int i = 0; i < boots; i++) {
            for (Variant v : variants) {
                runs.get(v).add(run(v, idleMs));
            }
        }

        System.out.println();
        System.out.printf(Locale.ROOT, "  %-22s %27s %11s %14s %24s %12s%n", "", "to prompt: median (min-max)",
                "CPU median", "'ready in' med", "idle RSS: median (min-max)", "peak RSS med");
        Map<Variant, double[]> medians = new LinkedHashMap<>();
        for (Map.Entry<Variant, List<Run>> e : runs.entrySet()) {
            List<Run> rs = e.getValue();
            double[] t = rs.stream().mapToDouble(Run::toPromptMs).sorted().toArray();
            double[] cpu = rs.stream().mapToDouble(Run::cpuMs).sorted().toArray();
            double[] ready = rs.stream().mapToDouble(Run::readyMs).filter(d -> !Double.isNaN(d)).sorted().toArray();
            double[] rss = rs.stream().mapToDouble(r -> r.rssKb() / 1024.0).sorted().toArray();
            double[] hwm = rs.stream().mapToDouble(r -> r.hwmKb() / 1024.0).sorted().toArray();
            medians.put(e.getKey(), new double[] {median(t), median(rss)});
            System.out.printf(Locale.ROOT, "  %-22s %9.0f ms (%4.0f-%4.0f) %8.0f ms %14s %9.1f MB (%.1f-%.1f) %9.1f MB%n",
                    e.getKey().name(), median(t), t[0], t[t.length - 1], median(cpu),
                    ready.length == 0 ? "-" : String.format(Locale.ROOT, "%.0f ms", median(ready)),
                    median(rss), rss[0], rss[rss.length - 1], median(hwm));
        }
        System.out.println();
        double[] base = medians.get(variants.getLast());
        for (Variant v : variants.subList(0, variants.size() - 1)) {
            double[] m = medians.get(v);
            System.out.printf(Locale.ROOT, "  OS overhead (%s): %+.0f ms (%.1fx the bare JVM), %+.1f MB RSS (%.1fx)%n",
                    v.name(), m[0] - base[0], m[0] / base[0], m[1] - base[1], m[1] / base[1]);
        }
        if (aot) {
            double[] with = medians.get(variants.get(0));
            double[] without = medians.get(variants.get(1));
            System.out.printf(Locale.ROOT, "  AOT cache saves: %.0f ms to prompt (%.0f%%), %.1f MB idle RSS%n",
                    without[0] - with[0], 100 * (without[0] - with[0]) / without[0], without[1] - with[1]);
        }
    }

    /** Starts {@code v}, waits for its prompt, idles, reads RSS, ends it. */
    private static Run run(Variant v, long idleMs) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(v.command());
        pb.environment().clear();
        pb.environment().putAll(v.env());
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        CountDownLatch up = new CountDownLatch(1);
        long[] upAt = new long[2];
        long t0 = System.nanoTime();
        Process p = pb.start();
        Thread outReader = Thread.ofPlatform().daemon().start(() -> pump(p.getInputStream(), out, () -> {
            if (upAt[0] == 0 && (out.indexOf(v.marker()) >= 0 || out.indexOf(v.marker().stripLeading()) == 0)) {
                upAt[0] = System.nanoTime();
                upAt[1] = cpuNanos(p.pid());
                up.countDown();
            }
        }));
        Thread errReader = Thread.ofPlatform().daemon().start(() -> pump(p.getErrorStream(), err, () -> { }));
        try {
            if (!up.await(TIMEOUT_S, TimeUnit.SECONDS) && p.isAlive()) {
                throw new IllegalStateException("no prompt within " + TIMEOUT_S + " s");
            }
            if (upAt[0] == 0) {
                p.waitFor(5, TimeUnit.SECONDS);
                throw new IllegalStateException("exited with status " + p.exitValue() + " before its prompt");
            }
            double toPrompt;
            synchronized (out) {
                toPrompt = (upAt[0] - t0) / 1e6;
            }
            Thread.sleep(idleMs);
            long[] rss = rss(p.pid());
            try (OutputStream stdin = p.getOutputStream()) {
                stdin.write(v.quit().getBytes(StandardCharsets.UTF_8));
            }
            if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
                throw new IllegalStateException("did not exit within " + TIMEOUT_S + " s of " + v.quit().strip());
            }
            outReader.join(5000);
            errReader.join(5000);
            if (p.exitValue() != 0) {
                throw new IllegalStateException("exit status " + p.exitValue());
            }
            double ready = Double.NaN;
            Matcher m;
            synchronized (out) {
                m = READY.matcher(out);
                if (m.find()) {
                    ready = Double.parseDouble(m.group(1));
                }
            }
            return new Run(toPrompt, upAt[1] / 1e6, ready, rss[0], rss[1]);
        } catch (RuntimeException e) {
            p.destroyForcibly();
            synchronized (err) {
                System.err.println("bench/boot: " + v.name() + ": " + e.getMessage() + "\n--- stdout\n" + out
                        + "\n--- stderr\n" + err);
            }
            System.exit(1);
            throw e;
        }
    }

    private static void pump(InputStream in, StringBuilder into, Runnable onData) {
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                synchronized (into) {
                    into.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    onData.run();
                }
            }
        } catch (IOException e) {
            // the process went away
        }
    }

    /**
     * CPU time used so far by every thread of {@code pid}, from the scheduler's
     * per-thread run time (/proc/PID/task/TID/schedstat, nanoseconds). Threads
     * that already ended are not counted.
     */
    private static long cpuNanos(long pid) {
        long total = 0;
        try (var tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks) {
                try {
                    String schedstat = Files.readString(task.resolve("schedstat"));
                    total += Long.parseLong(schedstat.substring(0, schedstat.indexOf(' ')));
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return total;
    }

    /** VmRSS and VmHWM of {@code pid}, in KiB. */
    private static long[] rss(long pid) throws IOException {
        long rss = -1;
        long hwm = -1;
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
            } else if (line.startsWith("VmHWM:")) {
                hwm = Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return new long[] {rss, hwm};
    }

    /** The words of JVM_FLAGS="..." in bin/astra, so the bare JVM runs with the same flags. */
    private static List<String> jvmFlags(Path launcher) throws IOException {
        Matcher m = Pattern.compile("(?m)^JVM_FLAGS=\"([^\"]*)\"").matcher(Files.readString(launcher));
        if (!m.find()) {
            throw new IllegalStateException(launcher + " has no JVM_FLAGS=\"...\" line");
        }
        return Arrays.asList(m.group(1).strip().split("\\s+"));
    }

    private static Path compileHello() throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("bench/boot needs a JDK (javac) to compile Hello.java");
        }
        Path source = Path.of(System.getProperty("bench.dir", "bench/boot")).resolve("Hello.java");
        Path classes = Files.createTempDirectory("astra-bench-hello");
        int status = javac.run(null, null, null, "--release", "25", "-d", classes.toString(), source.toString());
        if (status != 0) {
            throw new IllegalStateException("javac " + source + " failed");
        }
        classes.toFile().deleteOnExit();
        classes.resolve("Hello.class").toFile().deleteOnExit();
        return classes;
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return "unknown cpu";
    }

    private static String javaVersion(Path home) {
        try {
            for (String line : Files.readAllLines(home.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    return line.substring("JAVA_VERSION=".length()).replace("\"", "");
                }
            }
        } catch (IOException e) {
            // no release file
        }
        return "unknown";
    }
}
