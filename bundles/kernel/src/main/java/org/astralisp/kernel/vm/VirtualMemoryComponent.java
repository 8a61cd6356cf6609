package org.astralisp.kernel.vm;

import java.util.Hashtable;
import org.astralisp.hal.api.devicetree.DeviceTree;
import org.astralisp.hal.api.devicetree.PlatformDevices;
import org.astralisp.hal.api.paging.PageTableFormat;
import org.astralisp.kernel.api.irq.InterruptManager;
import org.astralisp.kernel.api.mm.PhysicalMemoryManager;
import org.astralisp.kernel.api.vm.VirtualMemoryManager;
import org.astralisp.machine.port.PhysicalMemory;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the {@link VirtualMemoryManager} once the PMM, guest RAM, the HAL's {@link PageTableFormat}
 * and the device tree (for the number of CPUs) are there.
 *
 * <p>Shootdowns go through the interrupt framework's cross-call ({@link InterruptManager#crossCall()},
 * IPIs) when an {@link InterruptManager} is registered. That reference is optional, dynamic and greedy:
 * the VMM comes up without it, using {@link LocalCrossCall} — invalidating every CPU's software TLB from
 * the calling thread, which is exact for a software TLB — and switches to the IPIs when the interrupt
 * framework arrives, back when it leaves, without rebuilding anything: address spaces outlive the switch.
 *
 * <p>Invariant: the manager is registered exactly while this component is active and its inputs fit
 * together.
 */
@Component(service = {}, immediate = true)
public final class VirtualMemoryComponent {

    private static final Logger LOG = LoggerFactory.getLogger(VirtualMemoryComponent.class);

    private final ReplaceableCrossCall crossCall;
    private final ServiceRegistration<VirtualMemoryManager> registration;

    /**
     * Builds the manager and registers it in {@code context}; if the inputs do not fit together (a PMM
     * whose frames are not the format's pages, a device tree without CPUs), registers nothing and logs
     * why as one ERROR line without a stack trace: the fault is in the configuration, not the code.
     */
    @Activate
    public VirtualMemoryComponent(@Reference PhysicalMemoryManager pmm, @Reference PhysicalMemory ram,
            @Reference PageTableFormat format, @Reference DeviceTree tree, BundleContext context) {
        ServiceRegistration<VirtualMemoryManager> registered = null;
        ReplaceableCrossCall shootdowns = null;
        try {
            int cpus = new PlatformDevices(tree).cpus();
            ReplaceableCrossCall candidate = new ReplaceableCrossCall(new LocalCrossCall(cpus));
            VirtualMemoryManager vmm = new PagedVirtualMemoryManager(pmm, ram, format, cpus, candidate);
            registered = context.registerService(VirtualMemoryManager.class, vmm, new Hashtable<>());
            shootdowns = candidate;
            LOG.info("virtual memory: {} page tables, {}-byte pages, {} CPUs with a {}-entry software TLB each",
                    format.name(), format.pageSize(), cpus, SoftwareTlb.ENTRIES);
        } catch (IllegalArgumentException | IllegalStateException e) {
            LOG.error("no virtual memory manager: {}", e.getMessage());
        }
        this.crossCall = shootdowns;
        this.registration = registered;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindInterrupts")
    void bindInterrupts(InterruptManager interrupts) {
        if (crossCall == null) {
            return;
        }
        crossCall.use(interrupts.crossCall());
        LOG.info("virtual memory: TLB shootdown by inter-processor interrupt");
    }

    void unbindInterrupts(InterruptManager interrupts) {
        if (crossCall == null) {
            return;
        }
        crossCall.drop(interrupts.crossCall());
        LOG.info("virtual memory: TLB shootdown from the calling CPU (no interrupt framework)");
    }

    /** Whether shootdowns use the local fallback (no interrupt framework bound). */
    boolean localShootdown() {
        return crossCall.local();
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            registration.unregister();
        }
    }
}
