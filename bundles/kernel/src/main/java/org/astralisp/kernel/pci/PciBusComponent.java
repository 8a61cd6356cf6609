package org.astralisp.kernel.pci;

import java.util.Hashtable;
import java.util.Optional;
import org.astralisp.hal.api.devicetree.DeviceTree;
import org.astralisp.hal.api.pci.PciBus;
import org.astralisp.hal.api.pci.PciDevice;
import org.astralisp.hal.api.pci.PciEnumerator;
import org.astralisp.hal.api.pci.PciNodeException;
import org.astralisp.machine.port.MachineCheckException;
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
 * Enumerates PCI at boot ({@link PciEnumerator}: scan, BAR assignment, INTx
 * routing; docs/pci.md) and registers the result as the {@link PciBus}
 * service that drivers bind to.
 *
 * <p>Invariants: the bus is registered exactly while this component is active
 * and enumeration succeeded; it is an immutable snapshot, enumerated once (a
 * second enumeration would move BARs under drivers that mapped them). A
 * malformed host bridge node, or a machine check while touching the ECAM,
 * registers nothing: the reason is one ERROR line of the kernel log without a
 * stack trace, as for the device tree itself. A function the enumerator could
 * not enable is a WARN line with its reason; the bus is registered with it.
 */
@Component(service = {}, immediate = true)
public final class PciBusComponent {

    private static final Logger LOG = LoggerFactory.getLogger(PciBusComponent.class);

    private final ServiceRegistration<PciBus> registration;

    @Activate
    public PciBusComponent(@Reference DeviceTree tree, @Reference MmioSpace mmio, BundleContext context) {
        this.registration = enumerate(tree, mmio)
                .map(bus -> context.registerService(PciBus.class, bus, new Hashtable<>()))
                .orElse(null);
    }

    /** The configured bus, or empty (with the reason logged) if the host bridge cannot be used. */
    static Optional<PciBus> enumerate(DeviceTree tree, MmioSpace mmio) {
        try {
            PciBus bus = PciEnumerator.enumerate(tree, mmio);
            LOG.info("pci: {} functions", bus.devices().size());
            for (PciDevice device : bus.devices()) {
                device.problem().ifPresent(problem -> LOG.warn("pci {}: {}", device.address(), problem));
            }
            return Optional.of(bus);
        } catch (PciNodeException | MachineCheckException e) {
            LOG.error("no PCI bus: {}", e.getMessage());
            return Optional.empty();
        }
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            registration.unregister();
        }
    }
}
