package org.astralisp.boot;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The parsed command line of {@code astra boot} (ARCHITECTURE §7).
 *
 * <p>Machine flags ({@code --arch --cpus --memory --disk --nic --display}) are
 * validated here and handed to bundles as framework properties
 * ({@code astra.arch}, {@code astra.cpus}, …) for the machine model to read;
 * {@code --console} selects the console back end.
 *
 * @param consoleLines lines fed to the console from {@code -e} and
 *        {@code --script}, in command-line order; when non-empty the system runs
 *        them and shuts down instead of reading the console
 */
public record BootOptions(
        String arch,
        int cpus,
        ByteSize memory,
        List<String> disks,
        String nic,
        String display,
        String console,
        List<ConsoleLine> consoleLines,
        Path image) {

    public static final ByteSize MINIMUM_MEMORY = new ByteSize(64L << 20);
    public static final int MAXIMUM_CPUS = 256;
    private static final Set<String> ARCHES = Set.of("x86_64", "riscv64", "ppc64");
    private static final Set<String> DISK_DRIVERS = Set.of("virtio-blk", "nvme", "ahci");
    private static final Set<String> NIC_MODELS = Set.of("virtio-net", "e1000");

    /** A console line and where it came from, for error messages. */
    public record ConsoleLine(String text, String origin) {
    }

    public boolean interactive() {
        return consoleLines.isEmpty();
    }

    /**
     * The boot arguments the firmware passes in {@code /chosen/bootargs}: the
     * machine's devices as the command line chose them, in {@code key=value}
     * form (the console lines are the console's business, not the kernel's).
     */
    public String bootArguments() {
        StringBuilder args = new StringBuilder("console=" + console + " nic=" + nic + " display=" + display);
        for (String disk : disks) {
            args.append(" disk=").append(disk);
        }
        return args.toString();
    }

    /** Parses the arguments that follow {@code boot}. */
    public static BootOptions parse(List<String> args, Path defaultImage) throws UsageException {
        String arch = hostArch();
        int cpus = 1;
        ByteSize memory = new ByteSize(512L << 20);
        List<String> disks = new ArrayList<>();
        String nic = "user";
        String display = "none";
        String console = "stdio";
        List<ConsoleLine> lines = new ArrayList<>();
        Path image = defaultImage;
        for (int i = 0; i < args.size(); i++) {
            String flag = args.get(i);
            switch (flag) {
                case "--arch" -> arch = oneOf(flag, value(args, i++), ARCHES);
                case "--cpus" -> cpus = cpus(value(args, i++));
                case "--memory" -> memory = memory(value(args, i++));
                case "--disk" -> disks.add(disk(value(args, i++)));
                case "--nic" -> nic = nic(value(args, i++));
                case "--display" -> display = display(value(args, i++));
                case "--console" -> console = console(value(args, i++));
                case "-e" -> lines.add(new ConsoleLine(value(args, i++), "-e #" + (lines.size() + 1)));
                case "--script" -> lines.addAll(Script.read(Path.of(value(args, i++))));
                case "--image" -> image = Path.of(value(args, i++));
                default -> throw new UsageException("unknown flag " + flag + " (see: astra help)");
            }
        }
        if (image == null) {
            throw new UsageException("no image: set astra.home or pass --image DIR");
        }
        return new BootOptions(arch, cpus, memory, List.copyOf(disks), nic, display, console,
                List.copyOf(lines), image);
    }

    /** The architecture of the host, the default for {@code --arch}. */
    static String hostArch() {
        return switch (System.getProperty("os.arch")) {
            case "riscv64" -> "riscv64";
            case "ppc64", "ppc64le" -> "ppc64";
            default -> "x86_64";
        };
    }

    private static String value(List<String> args, int i) throws UsageException {
        if (i + 1 >= args.size()) {
            throw new UsageException(args.get(i) + " needs a value");
        }
        return args.get(i + 1);
    }

    private static String oneOf(String flag, String value, Set<String> allowed) throws UsageException {
        if (!allowed.contains(value)) {
            throw new UsageException(flag + " " + value + ": expected one of " + String.join(", ", allowed.stream().sorted().toList()));
        }
        return value;
    }

    private static int cpus(String text) throws UsageException {
        int n;
        try {
            n = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new UsageException("--cpus " + text + ": not a number");
        }
        if (n < 1 || n > MAXIMUM_CPUS) {
            throw new UsageException("--cpus " + text + ": must be between 1 and " + MAXIMUM_CPUS);
        }
        return n;
    }

    private static ByteSize memory(String text) throws UsageException {
        ByteSize size = ByteSize.parse("--memory", text);
        if (size.bytes() < MINIMUM_MEMORY.bytes()) {
            throw new UsageException("--memory " + text + ": below the minimum of " + MINIMUM_MEMORY);
        }
        return size;
    }

    private static String disk(String text) throws UsageException {
        String[] parts = text.split(",", -1);
        if (parts[0].isEmpty()) {
            throw new UsageException("--disk " + text + ": needs an image path");
        }
        for (int p = 1; p < parts.length; p++) {
            option("--disk", text, parts[p], "driver", DISK_DRIVERS);
        }
        return text;
    }

    private static String nic(String text) throws UsageException {
        String[] parts = text.split(",", -1);
        String backend = parts[0];
        boolean known = backend.equals("user") || backend.equals("none")
                || (backend.startsWith("tap:") && backend.length() > 4)
                || (backend.startsWith("switch:") && port(backend.substring(7)));
        if (!known) {
            throw new UsageException("--nic " + text + ": expected user, none, tap:NAME or switch:PORT");
        }
        for (int p = 1; p < parts.length; p++) {
            option("--nic", text, parts[p], "model", NIC_MODELS);
        }
        return text;
    }

    private static String display(String text) throws UsageException {
        if (text.equals("none") || text.equals("window") || (text.startsWith("vnc:") && port(text.substring(4)))) {
            return text;
        }
        throw new UsageException("--display " + text + ": expected none, vnc:PORT or window");
    }

    private static String console(String text) throws UsageException {
        if (text.equals("stdio") || (text.startsWith("telnet:") && port(text.substring(7)))
                || (text.startsWith("pipe:") && text.length() > "pipe:".length())) {
            return text;
        }
        throw new UsageException("--console " + text + ": expected stdio, telnet:PORT or pipe:PATH");
    }

    private static void option(String flag, String whole, String option, String key, Set<String> allowed)
            throws UsageException {
        int eq = option.indexOf('=');
        if (eq < 0 || !option.substring(0, eq).equals(key)) {
            throw new UsageException(flag + " " + whole + ": unknown option '" + option + "' (expected " + key + "=…)");
        }
        String value = option.substring(eq + 1);
        if (!allowed.contains(value)) {
            throw new UsageException(flag + " " + whole + ": " + key + " must be one of "
                    + String.join(", ", allowed.stream().sorted().toList()));
        }
    }

    private static boolean port(String text) {
        try {
            int port = Integer.parseInt(text);
            return port > 0 && port < 65536;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
