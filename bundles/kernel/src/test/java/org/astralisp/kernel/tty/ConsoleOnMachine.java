package org.astralisp.kernel.tty;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.astralisp.boot.spi.Terminal;
import org.astralisp.boot.spi.TerminalInput;
import org.astralisp.kernel.irq.InterruptFramework;
import org.astralisp.kernel.testing.Machines;
import org.astralisp.kernel.testing.ArchInterruptDrivers;
import org.astralisp.machine.Architecture;
import org.astralisp.machine.Machine;
import org.astralisp.machine.MachineConfig;
import org.astralisp.machine.console.ConsoleBackend;
import org.astralisp.machine.console.PipeConsole;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The console end to end on a real machine of one architecture: its 16550A
 * with a pipe as the host end, the arch bundle's real interrupt-controller
 * and timer drivers, the kernel's real interrupt framework on the vCPU, and
 * the console component activated as SCR would, its {@link Terminal} taken
 * from the bundle context it registers in. The test plays the user at the
 * host end of the line ({@link #type}, {@link #awaitOutput}).
 */
final class ConsoleOnMachine implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(5);

    final PipeConsole host;
    final Machine machine;
    final InterruptFramework framework;
    final SerialConsoleComponent component;
    final Terminal terminal;
    final List<Dictionary<String, ?>> properties = new ArrayList<>();
    final ServiceRegistration<?> registration = mock(ServiceRegistration.class);
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    ConsoleOnMachine(Architecture architecture) throws Exception {
        this(architecture, new PipeConsole());
    }

    /** The console with {@code backend} as the host end ({@link #host} is then a pipe only if it is one). */
    @SuppressWarnings("unchecked")
    ConsoleOnMachine(Architecture architecture, ConsoleBackend backend) throws Exception {
        host = backend instanceof PipeConsole pipe ? pipe : null;
        machine = Machine.create(new MachineConfig(architecture, 1, Machines.RAM, "", backend));
        BundleContext context = mock(BundleContext.class);
        List<Terminal> terminals = new ArrayList<>();
        when(context.registerService(eq(Terminal.class), any(Terminal.class), any())).thenAnswer(call -> {
            terminals.add(call.getArgument(1));
            properties.add(call.getArgument(2));
            return registration;
        });
        ArchInterruptDrivers drivers = ArchInterruptDrivers.of(machine);
        framework = new InterruptFramework(drivers.controller(), machine.cpus(), drivers.timers());
        framework.start(WAIT);
        component = new SerialConsoleComponent(Machines.deviceTree(machine), machine.mmio(), framework, context);
        assertNotNull(component.terminal(), "the console component registered no terminal");
        terminal = terminals.getFirst();
    }

    /** The user types {@code text} at the host end. */
    void type(String text) throws InterruptedException {
        host.feed(text);
    }

    /** Everything the guest sent to the host so far, as UTF-8. */
    String output() {
        output.writeBytes(host.drainOutput());
        return output.toString(StandardCharsets.UTF_8);
    }

    /** Waits up to {@link #WAIT} until the guest has sent {@code expected} in all; fails showing what came. */
    void awaitOutput(String expected) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!output().contains(expected)) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + WAIT.toSeconds() + " s waiting for the guest to send "
                        + printable(expected) + "; it sent " + printable(output()));
            }
            output.writeBytes(host.readOutput(Duration.ofMillis(10)));
        }
    }

    /** The next input the terminal's reader gets, within {@link #WAIT}. */
    TerminalInput read() throws Exception {
        CompletableFuture<TerminalInput> read = readLater();
        try {
            return read.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("no terminal input within " + WAIT.toSeconds() + " s; the guest sent "
                    + printable(output()) + ", driver " + component.driver().statistics(), e);
        }
    }

    /** A read on another thread, as the monitor's. */
    CompletableFuture<TerminalInput> readLater() {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return terminal.read();
            } catch (InterruptedException e) {
                throw new IllegalStateException("reader interrupted", e);
            }
        });
    }

    static String printable(String text) {
        StringBuilder out = new StringBuilder("\"");
        text.codePoints().forEach(c -> out.append(c < 0x20 || c == 0x7F ? String.format("\\x%02x", c)
                : new String(Character.toChars(c))));
        return out.append('"').toString();
    }

    @Override
    public void close() {
        try {
            component.deactivate();
            framework.stop(WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            machine.close();
        }
    }
}
