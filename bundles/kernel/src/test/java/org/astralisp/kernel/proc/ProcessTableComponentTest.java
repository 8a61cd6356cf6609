package org.astralisp.kernel.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.astralisp.boot.spi.Terminal;
import org.astralisp.boot.spi.TerminalInput;
import org.astralisp.kernel.api.proc.Credentials;
import org.astralisp.kernel.api.proc.ProcessTable;
import org.astralisp.kernel.api.proc.ResourceLimits;
import org.astralisp.kernel.api.syscall.Errno;
import org.astralisp.kernel.api.syscall.ProgramImage;
import org.astralisp.kernel.api.syscall.SystemCallException;
import org.astralisp.kernel.testing.Eventually;
import org.astralisp.kernel.tty.JobControlTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** The component as SCR drives it: registration, loaders coming and going, the console terminal, deactivation. */
@Timeout(60)
class ProcessTableComponentTest {

    /** Services registered through the context, by interface name. */
    private final Map<String, Object> services = new ConcurrentHashMap<>();
    private final BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                String name = ((Class<?>) args[0]).getName();
                services.put(name, args[1]);
                return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ServiceRegistration.class},
                        (p, m, a) -> services.remove(name));
            });

    /** The console tty as the kernel's serial terminal is: a Terminal with job control. */
    interface ConsoleTerminal extends Terminal, JobControlTerminal {
    }

    private static ConsoleTerminal consoleTerminal(ConsoleSessionTest.FakeTerminal signals) {
        return (ConsoleTerminal) Proxy.newProxyInstance(ProcessTableComponentTest.class.getClassLoader(),
                new Class<?>[] {ConsoleTerminal.class}, (proxy, method, args) -> {
                    if (method.getName().equals("setInterruptHandler")) {
                        signals.setInterruptHandler((Runnable) args[0]);
                        return null;
                    }
                    throw new AssertionError("the process table only sets the console's interrupt handler, not "
                            + method.getName());
                });
    }

    @Test
    void registersTheTableAndRunsTheConsoleSessionWhileTheTerminalIsThere() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            ProcessTableComponent component = new ProcessTableComponent(kernel.threads, kernel.timers, kernel.vmm, context);
            assertSame(component.table(), services.get(ProcessTable.class.getName()));
            ConsoleSessionTest.FakeTerminal signals = new ConsoleSessionTest.FakeTerminal();
            ConsoleTerminal terminal = consoleTerminal(signals);
            component.setTerminal(terminal);
            int console = component.console().pid();
            assertEquals("console ttyS0", component.table().status(console).orElseThrow().command());
            component.unsetTerminal(terminal);
            assertNull(component.console());
            Eventually.eventually("the console process ended on HUP",
                    () -> component.table().status(console).isEmpty());
            component.deactivate();
            assertEquals(Map.of(), services, "unregistered");
        }
    }

    @Test
    void aTerminalWithoutJobControlGetsNoSession() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            ProcessTableComponent component = new ProcessTableComponent(kernel.threads, kernel.timers, null, context);
            component.setTerminal(new Terminal() {
                @Override
                public String name() {
                    return "plain";
                }

                @Override
                public TerminalInput read() {
                    throw new AssertionError("a terminal without job control is never read by the process table");
                }

                @Override
                public void write(String text) {
                    throw new AssertionError("a terminal without job control is never written to: " + text);
                }

                @Override
                public void setEcho(boolean echo) {
                    throw new AssertionError("a terminal without job control keeps its echo setting");
                }
            });
            assertNull(component.console());
            component.deactivate();
        }
    }

    @Test
    void spawnUsesTheLoadersRegisteredAtThatMoment() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            ProcessTableComponent component = new ProcessTableComponent(kernel.threads, kernel.timers, null, context);
            ProgramImage image = kernel.image((sys, args) -> 0);
            component.addLoader(kernel.loader);
            int pid = component.table().spawn(image, List.of(), Credentials.ROOT, ResourceLimits.DEFAULT);
            Eventually.eventually("the program ran and was reaped", () -> component.table().status(pid).isEmpty());
            component.removeLoader(kernel.loader);
            SystemCallException e = assertThrows(SystemCallException.class,
                    () -> component.table().spawn(image, List.of(), Credentials.ROOT, ResourceLimits.DEFAULT));
            assertEquals(Errno.ENOEXEC, e.errno());
            assertEquals(List.of(0, 1), component.table().processes().stream().map(p -> p.pid()).toList());
            component.deactivate();
        }
    }
}
