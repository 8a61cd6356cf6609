package org.astralisp.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BootOptionsTest {

    private static final Path IMAGE = Path.of("/opt/astra");

    @TempDir
    Path dir;

    private static BootOptions parse(String... args) throws UsageException {
        return BootOptions.parse(List.of(args), IMAGE);
    }

    private static String error(String... args) {
        return assertThrows(UsageException.class, () -> parse(args)).getMessage();
    }

    @Test
    void defaultsAreOneCpuHalfAGigabyteUserNetworkingAndTheHostArch() throws UsageException {
        BootOptions options = parse();
        assertEquals(1, options.cpus());
        assertEquals(512L << 20, options.memory().bytes());
        assertEquals("user", options.nic());
        assertEquals("none", options.display());
        assertEquals("stdio", options.console());
        assertEquals(BootOptions.hostArch(), options.arch());
        assertEquals(IMAGE, options.image());
        assertTrue(options.interactive());
    }

    @Test
    void readsEveryMachineFlag() throws UsageException {
        BootOptions options = parse("--arch", "ppc64", "--cpus", "4", "--memory", "2G",
                "--disk", "disk.img,driver=nvme", "--disk", "b.img", "--nic", "tap:tap0,model=e1000",
                "--display", "vnc:5901", "--console", "telnet:2323", "--image", "/elsewhere");
        assertEquals("ppc64", options.arch());
        assertEquals(4, options.cpus());
        assertEquals(2L << 30, options.memory().bytes());
        assertEquals(List.of("disk.img,driver=nvme", "b.img"), options.disks());
        assertEquals("tap:tap0,model=e1000", options.nic());
        assertEquals("vnc:5901", options.display());
        assertEquals("telnet:2323", options.console());
        assertEquals(Path.of("/elsewhere"), options.image());
    }

    @Test
    void consoleLinesKeepCommandLineOrderAndOrigin() throws IOException, UsageException {
        Path script = Files.writeString(dir.resolve("boot.script"), "; a comment\nbundles\n\n  uptime  \r\n");
        BootOptions options = parse("-e", "help", "--script", script.toString(), "-e", "shutdown");
        assertFalse(options.interactive());
        assertEquals(List.of(
                new BootOptions.ConsoleLine("help", "-e #1"),
                new BootOptions.ConsoleLine("bundles", "boot.script:2"),
                new BootOptions.ConsoleLine("uptime", "boot.script:4"),
                new BootOptions.ConsoleLine("shutdown", "-e #4")), options.consoleLines());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--frobnicate | unknown flag --frobnicate (see: astra help)",
        "--cpus | --cpus needs a value",
        "--cpus 0 | --cpus 0: must be between 1 and 256",
        "--cpus lots | --cpus lots: not a number",
        "--memory 12Q | --memory 12Q: unknown size suffix 'Q' (use K, M, G or T)",
        "--memory 1M | --memory 1M: below the minimum of 64M",
        "--arch sparc | --arch sparc: expected one of ppc64, riscv64, x86_64",
        "--disk ,driver=nvme | --disk ,driver=nvme: needs an image path",
        "--disk a.img,driver=floppy | --disk a.img,driver=floppy: driver must be one of ahci, nvme, virtio-blk",
        "--disk a.img,speed=fast | --disk a.img,speed=fast: unknown option 'speed=fast' (expected driver=…)",
        "--nic wifi | --nic wifi: expected user, none, tap:NAME or switch:PORT",
        "--nic switch:99999 | --nic switch:99999: expected user, none, tap:NAME or switch:PORT",
        "--nic user,model=rtl8139 | --nic user,model=rtl8139: model must be one of e1000, virtio-net",
        "--display vnc:x | --display vnc:x: expected none, vnc:PORT or window",
        "--console serial | --console serial: expected stdio, telnet:PORT or pipe:PATH",
        "--console pipe: | --console pipe:: expected stdio, telnet:PORT or pipe:PATH"})
    void rejectsBadFlagsWithASpecificMessage(String args, String message) {
        assertEquals(message, error(args.split(" ")));
    }

    @Test
    void aMissingScriptIsNamed() {
        assertEquals("--script /no/such.script: no such file", error("--script", "/no/such.script"));
    }

    @Test
    void aScriptThatIsNotUtf8IsRefused() throws IOException {
        Path script = Files.write(dir.resolve("bad.script"), new byte[] {'o', 'k', (byte) 0xC3, '\n'});
        assertEquals("--script " + script + ": not valid UTF-8", error("--script", script.toString()));
    }

    @Test
    void anUnreadableScriptIsNamed() {
        assertTrue(error("--script", dir.toString()).startsWith("--script " + dir + ": cannot read"));
    }

    @Test
    void anImageIsRequired() {
        assertEquals("no image: set astra.home or pass --image DIR",
                assertThrows(UsageException.class, () -> BootOptions.parse(List.of(), null)).getMessage());
    }

    @Test
    void randomCommandLinesEitherParseOrFailWithAUsageMessage() {
        java.util.Random random = new java.util.Random(5);
        String[] words = {"--arch", "--cpus", "--memory", "--disk", "--nic", "--display", "--console", "-e", "x86_64",
            "4", "0", "512M", "12Q", "a.img,driver=nvme", "tap:", "switch:1", "vnc:0", "telnet:23", "", ",", "=", "none"};
        for (int round = 0; round < 5000; round++) {
            String[] args = new String[random.nextInt(8)];
            for (int i = 0; i < args.length; i++) {
                args[i] = words[random.nextInt(words.length)];
            }
            try {
                BootOptions options = parse(args);
                assertTrue(options.cpus() >= 1);
            } catch (UsageException e) {
                assertFalse(e.getMessage().isBlank());
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
            }
        }
    }
}
