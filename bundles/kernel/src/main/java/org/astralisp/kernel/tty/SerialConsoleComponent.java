package org.astralisp.kernel.tty;

import java.util.Hashtable;
import org.astralisp.boot.spi.Terminal;
import org.astralisp.hal.api.devicetree.DeviceTree;
import org.astralisp.kernel.api.irq.InterruptManager;
import org.astralisp.kernel.api.irq.InterruptRegistration;
import org.astralisp.kernel.api.irq.InterruptRequest;
import org.astralisp.kernel.api.irq.InterruptRequestException;
import org.astralisp.machine.port.MachineCheckException;
import org.astralisp.machine.port.Mmio;
import org.astralisp.machine.port.MmioSpace;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The system console: binds the 16550A driver to the UART that
 * {@code /chosen/stdout-path} names and registers the {@link Terminal}
 * service {@value #TERMINAL} over it, once the {@link DeviceTree},
 * {@link MmioSpace} and {@link InterruptManager} services are there.
 *
 * <p>Activation, in order: describe the node ({@link ConsoleUartNode}), map
 * its registers, program the UART with its interrupts off, make the tty and
 * its deferred work, request the line ({@value #PRIORITY}, the least urgent
 * priority: a console waits well; CPU 0), enable the UART's interrupts, then
 * register the service with the properties {@code name} = {@value #TERMINAL}
 * and {@code device} = the node's path. Anything refused on the way — a node
 * the driver cannot run, a window the bus does not decode, a line the
 * framework refuses — is one ERROR line naming it and no service, as the
 * other kernel components do; what was set up before is undone.
 *
 * <p>Deactivation: unregister the service, clear IER, release the line, and
 * close the tty, which wakes every reader with {@code Hangup}.
 */
@Component(service = {}, immediate = true)
public final class SerialConsoleComponent {

    static final String TERMINAL = "ttyS0";
    static final int PRIORITY = 1;
    static final int CPU = 0;

    private static final Logger LOG = LoggerFactory.getLogger(SerialConsoleComponent.class);

    private ConsoleUartNode node;
    private Uart16550Driver driver;
    private SerialTerminal terminal;
    private InterruptRegistration line;
    private ServiceRegistration<Terminal> registration;

    @Activate
    public SerialConsoleComponent(@Reference DeviceTree tree, @Reference MmioSpace mmio,
            @Reference InterruptManager interrupts, BundleContext context) {
        try {
            start(tree, mmio, interrupts);
        } catch (ConsoleDeviceException | IllegalArgumentException | MachineCheckException
                | InterruptRequestException e) {
            LOG.error("no console terminal: {}", e.getMessage());
            stop();
            return;
        }
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("name", TERMINAL);
        properties.put("device", node.path());
        registration = context.registerService(Terminal.class, terminal, properties);
        LOG.info("{}: {}, line {} ({}), {} baud, carrier {}", TERMINAL, node.description(), node.line(),
                node.trigger(), Uart16550Driver.BAUD, driver.carrierDetected() ? "detected" : "not detected");
    }

    private void start(DeviceTree tree, MmioSpace mmio, InterruptManager interrupts)
            throws ConsoleDeviceException {
        node = ConsoleUartNode.fromStdoutPath(tree);
        Mmio registers = mmio.map(node.registers().address(), node.registers().size());
        SerialTerminal tty = new SerialTerminal(TERMINAL + " (" + node.description() + ")",
                bytes -> driver.write(bytes), work -> interrupts.deferredWork(TERMINAL, work));
        terminal = tty;
        driver = new Uart16550Driver(registers, node.regShift(), node.clockHz(), tty);
        driver.initialize();
        line = interrupts.request(new InterruptRequest(TERMINAL, node.line(), node.trigger(), PRIORITY, CPU),
                cpu -> driver.handleInterrupt());
        driver.enableInterrupts();
    }

    /** The terminal while the component is active and the console runs; for the tests. */
    SerialTerminal terminal() {
        return registration == null ? null : terminal;
    }

    /** The driver while the component is active and the console runs; for the tests. */
    Uart16550Driver driver() {
        return registration == null ? null : driver;
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
        stop();
    }

    private void stop() {
        if (driver != null && line != null) {
            driver.disableInterrupts();
        }
        if (line != null) {
            line.close();
            line = null;
        }
        if (terminal != null) {
            terminal.close();
        }
    }
}
