package org.astralisp.kernel.proc;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import org.astralisp.boot.spi.Terminal;
import org.astralisp.kernel.api.proc.ProcessTable;
import org.astralisp.kernel.api.proc.ProgramLoader;
import org.astralisp.kernel.api.sched.CpuScheduler;
import org.astralisp.kernel.api.sched.KernelTimers;
import org.astralisp.kernel.api.vm.VirtualMemoryManager;
import org.astralisp.kernel.tty.JobControlTerminal;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The process table of the running kernel (docs/kernel.md, "Boot wiring of
 * processes"): once the scheduler's {@link CpuScheduler} and
 * {@link KernelTimers} services (both registered by the scheduler's
 * component) are there,
 * builds the table (the kernel, init and its reaper), registers it as
 * {@link ProcessTable}, and keeps the console session while the console
 * terminal {@code ttyS0} is registered. Program loaders come and go at any
 * time; {@code spawn} asks those registered at that moment.
 *
 * <p>The VMM reference is static and reluctant: address spaces belong to
 * processes, so the table is not rebuilt when a VMM arrives later (processes
 * then have none, and the memory calls answer ENOSYS).
 */
@Component(service = {}, immediate = true)
public final class ProcessTableComponent {

    private final List<ProgramLoader> loaders = new CopyOnWriteArrayList<>();
    private final KernelProcessTable table;
    private final ServiceRegistration<ProcessTable> registration;
    private final ReentrantLock consoleLock = new ReentrantLock();
    /** Guarded by {@code consoleLock} (SCR binds on its own threads). */
    private ConsoleSession console;

    @Activate
    public ProcessTableComponent(@Reference CpuScheduler threads, @Reference KernelTimers timers,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL) VirtualMemoryManager vmm, BundleContext context) {
        table = new KernelProcessTable(threads, timers, vmm, () -> List.copyOf(loaders));
        registration = context.registerService(ProcessTable.class, table, null);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addLoader(ProgramLoader loader) {
        loaders.add(loader);
    }

    void removeLoader(ProgramLoader loader) {
        loaders.remove(loader);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            target = "(name=ttyS0)")
    void setTerminal(Terminal terminal) {
        consoleLock.lock();
        try {
            if (terminal instanceof JobControlTerminal jobControl && console == null) {
                console = new ConsoleSession(table, "ttyS0", jobControl);
            }
        } finally {
            consoleLock.unlock();
        }
    }

    void unsetTerminal(Terminal terminal) {
        consoleLock.lock();
        try {
            if (console != null) {
                console.close();
                console = null;
            }
        } finally {
            consoleLock.unlock();
        }
    }

    /** The console session while the console terminal is there; for the tests. */
    ConsoleSession console() {
        consoleLock.lock();
        try {
            return console;
        } finally {
            consoleLock.unlock();
        }
    }

    KernelProcessTable table() {
        return table;
    }

    @Deactivate
    void deactivate() {
        unsetTerminal(null);
        registration.unregister();
        table.close();
    }
}
