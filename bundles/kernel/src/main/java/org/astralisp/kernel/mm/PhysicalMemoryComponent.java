package org.astralisp.kernel.mm;

import java.util.Hashtable;
import java.util.Optional;
import org.astralisp.hal.api.devicetree.DevicePropertyException;
import org.astralisp.hal.api.devicetree.DeviceTree;
import org.astralisp.hal.api.paging.PageTableFormat;
import org.astralisp.kernel.api.mm.MemoryStatistics;
import org.astralisp.kernel.api.mm.PhysicalMemoryManager;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the PMM from the device tree and registers it as the {@link PhysicalMemoryManager} service.
 *
 * <p>Inputs: the {@link DeviceTree} service (mandatory), read through {@link MemoryMap}; and, if one is
 * registered when this component activates, the arch bundle's {@link PageTableFormat}, which fixes the
 * page size ({@link PageSizeChoice}). The format reference is static and reluctant: the PMM holds every
 * frame's state, so it is never rebuilt because an arch bundle came or went later — a HAL that arrives
 * after the PMM has to agree with the board's page size, which it does on every AstraLisp machine.
 *
 * <p>Invariants: the manager is registered exactly while this component is active and the tree
 * described usable memory. A tree the PMM cannot be built from registers nothing; the reason (the node
 * and property, or the overlapping ranges, or the page size disagreement) is one ERROR line of the
 * kernel log, without a stack trace, because the fault is in the firmware's description, not the code.
 */
@Component(service = {}, immediate = true)
public final class PhysicalMemoryComponent {

    private static final Logger LOG = LoggerFactory.getLogger(PhysicalMemoryComponent.class);

    private final ServiceRegistration<PhysicalMemoryManager> registration;

    /**
     * Builds the PMM for {@code tree} and registers it in {@code context}.
     *
     * @param hal the arch bundle's page table format, or {@code null} when none is registered
     */
    @Activate
    public PhysicalMemoryComponent(@Reference DeviceTree tree,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.RELUCTANT)
            PageTableFormat hal, BundleContext context) {
        this.registration = build(tree, Optional.ofNullable(hal))
                .map(pmm -> context.registerService(PhysicalMemoryManager.class, pmm, new Hashtable<>()))
                .orElse(null);
    }

    /** The PMM {@code tree} describes, or empty (with the reason logged) if it describes none. */
    static Optional<PhysicalMemoryManager> build(DeviceTree tree, Optional<PageTableFormat> hal) {
        try {
            int pageSize = PageSizeChoice.choose(tree, hal);
            MemoryMap map = MemoryMap.of(tree);
            PhysicalMemoryManager pmm = new FrameAllocator(pageSize, map.ram(), map.reserved());
            MemoryStatistics statistics = pmm.statistics();
            LOG.info("physical memory: {} frames of {} bytes usable of RAM {}, reserved {}; page size from {}",
                    statistics.totalFrames(), pageSize, map.ram(), map.reserved(),
                    hal.map(format -> "the HAL's " + format.name()).orElse("the board"));
            return Optional.of(pmm);
        } catch (DevicePropertyException | IllegalArgumentException e) {
            LOG.error("no physical memory manager: {}", e.getMessage());
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
