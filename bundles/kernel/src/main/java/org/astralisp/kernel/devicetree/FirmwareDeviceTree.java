package org.astralisp.kernel.devicetree;

import java.util.Hashtable;
import java.util.Optional;
import org.astralisp.hal.api.devicetree.DeviceTree;
import org.astralisp.hal.api.devicetree.DeviceTreeFormatException;
import org.astralisp.hal.api.devicetree.FlattenedDeviceTree;
import org.astralisp.machine.port.Firmware;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first kernel component: parses the firmware's device tree blob once and registers the resulting
 * {@link DeviceTree} as a service, so the PMM and the drivers bind to it.
 *
 * <p>Invariants: the tree is registered exactly while this component is active and the blob parsed;
 * it is immutable, so every consumer shares the one instance without locking. A blob the parser
 * refuses registers nothing: the {@link DeviceTreeFormatException}'s message (offset and what is
 * wrong) is logged as one ERROR line of the kernel log, without a stack trace, and everything that
 * needs the tree stays unsatisfied. The component does not throw from its activation, because SCR would
 * then print its own stack trace for an error that is the firmware's, not the code's.
 */
@Component(service = {}, immediate = true)
public final class FirmwareDeviceTree {

    private static final Logger LOG = LoggerFactory.getLogger(FirmwareDeviceTree.class);

    private final ServiceRegistration<DeviceTree> registration;

    /** Parses {@code firmware}'s blob and, if it is well formed, registers the tree in {@code context}. */
    @Activate
    public FirmwareDeviceTree(@Reference Firmware firmware, BundleContext context) {
        this.registration = parse(firmware)
                .map(tree -> context.registerService(DeviceTree.class, tree, new Hashtable<>()))
                .orElse(null);
    }

    /**
     * The firmware's device tree, or empty (with the reason logged) if the blob is malformed.
     */
    static Optional<DeviceTree> parse(Firmware firmware) {
        try {
            DeviceTree tree = FlattenedDeviceTree.parse(firmware.deviceTree());
            LOG.info("device tree: {} nodes, {} bytes", tree.nodes().size(), firmware.deviceTree().remaining());
            return Optional.of(tree);
        } catch (DeviceTreeFormatException e) {
            LOG.error("firmware device tree refused, no devices: {}", e.getMessage());
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
