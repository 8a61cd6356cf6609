package org.astralisp.boot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The image's boot manifest, {@code conf/boot.manifest}: which bundles the
 * loader installs, at which start level, and which framework properties it sets.
 * The format is in {@code docs/boot.md}; in short, one directive per line:
 *
 * <pre>
 * # comment
 * property NAME = VALUE      a framework property (BundleContext.getProperty)
 * level N                    the bundles that follow start at start level N (1..99)
 * bundle PATH [no-start] [arch=A]   a bundle jar, relative to the image root;
 *                            arch=A: only on machines of architecture A
 * </pre>
 *
 * Bundles are installed in file order and started level by level.
 */
public record BootManifest(Path source, Map<String, String> properties, List<Entry> bundles) {

    /**
     * One {@code bundle} line.
     *
     * @param arch the architecture the bundle is for, or null for every machine
     */
    public record Entry(Path jar, int startLevel, boolean start, String arch, int line) {

        /** Whether this bundle belongs on a machine of architecture {@code machineArch}. */
        public boolean isFor(String machineArch) {
            return arch == null || arch.equals(machineArch);
        }
    }

    private static final java.util.Set<String> ARCHES = java.util.Set.of("x86_64", "riscv64", "ppc64");

    public static final int MAX_START_LEVEL = 99;
    private static final Pattern PROPERTY_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9._-]*");

    /** The highest start level any bundle asks for, at least 1. */
    public int finalStartLevel() {
        return bundles.stream().mapToInt(Entry::startLevel).max().orElse(1);
    }

    /** Reads and checks a manifest; relative bundle paths resolve against {@code imageRoot}. */
    public static BootManifest read(Path file, Path imageRoot) throws BootManifestException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (NoSuchFileException e) {
            throw new BootManifestException(file, 0, "no boot manifest (the image is incomplete)");
        } catch (CharacterCodingException e) {
            throw new BootManifestException(file, 0, "not valid UTF-8");
        } catch (IOException e) {
            throw new BootManifestException(file, 0, "cannot read: " + e.getMessage());
        }
        return parse(file, text, imageRoot);
    }

    static BootManifest parse(Path file, String text, Path imageRoot) throws BootManifestException {
        Map<String, String> properties = new LinkedHashMap<>();
        List<Entry> bundles = new ArrayList<>();
        Map<Path, Integer> seen = new LinkedHashMap<>();
        int level = 1;
        String[] lines = text.split("\r?\n", -1);
        for (int n = 1; n <= lines.length; n++) {
            String line = lines[n - 1].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] words = line.split("\\s+", 2);
            String rest = words.length > 1 ? words[1] : "";
            switch (words[0]) {
                case "property" -> {
                    int eq = rest.indexOf('=');
                    if (eq < 0) {
                        throw new BootManifestException(file, n, "property needs NAME = VALUE");
                    }
                    String name = rest.substring(0, eq).strip();
                    if (!PROPERTY_NAME.matcher(name).matches()) {
                        throw new BootManifestException(file, n, "bad property name '" + name + "'");
                    }
                    if (properties.put(name, rest.substring(eq + 1).strip()) != null) {
                        throw new BootManifestException(file, n, "property " + name + " is set twice");
                    }
                }
                case "level" -> level = level(file, n, rest);
                case "bundle" -> {
                    Entry entry = bundle(file, n, rest, level, imageRoot);
                    Integer earlier = seen.putIfAbsent(entry.jar(), n);
                    if (earlier != null) {
                        throw new BootManifestException(file, n, "bundle " + rest.split("\\s+")[0]
                                + " is already listed on line " + earlier);
                    }
                    bundles.add(entry);
                }
                default -> throw new BootManifestException(file, n, "unknown directive '" + words[0]
                        + "' (expected property, level or bundle)");
            }
        }
        return new BootManifest(file, Map.copyOf(properties), List.copyOf(bundles));
    }

    private static int level(Path file, int n, String rest) throws BootManifestException {
        try {
            int level = Integer.parseInt(rest);
            if (level >= 1 && level <= MAX_START_LEVEL) {
                return level;
            }
        } catch (NumberFormatException e) {
            // reported below with the allowed range
        }
        throw new BootManifestException(file, n, "level needs a number from 1 to " + MAX_START_LEVEL
                + ", not '" + rest + "'");
    }

    private static Entry bundle(Path file, int n, String rest, int level, Path imageRoot)
            throws BootManifestException {
        String[] words = rest.isEmpty() ? new String[0] : rest.split("\\s+");
        if (words.length == 0 || words.length > 3) {
            throw new BootManifestException(file, n, "bundle needs PATH [no-start] [arch=A]");
        }
        boolean start = true;
        String arch = null;
        for (int w = 1; w < words.length; w++) {
            if (words[w].equals("no-start") && start) {
                start = false;
            } else if (words[w].startsWith("arch=") && arch == null) {
                arch = words[w].substring("arch=".length());
                if (!ARCHES.contains(arch)) {
                    throw new BootManifestException(file, n, "unknown architecture '" + arch
                            + "' (expected x86_64, riscv64 or ppc64)");
                }
            } else {
                throw new BootManifestException(file, n, "unknown or repeated bundle option '" + words[w]
                        + "' (expected no-start or arch=A)");
            }
        }
        return new Entry(imageRoot.resolve(words[0]).normalize(), level, start, arch, n);
    }
}
