package org.astralisp.kernel.proc;

import static org.astralisp.kernel.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.astralisp.hal.api.paging.PageTableFormat;
import org.astralisp.hal.ppc64.paging.RadixPageTableFormat;
import org.astralisp.hal.riscv64.paging.Sv39PageTableFormat;
import org.astralisp.hal.x86_64.paging.FourLevelPageTableFormat;
import org.astralisp.kernel.api.mm.PhysicalMemoryManager;
import org.astralisp.kernel.api.proc.Credentials;
import org.astralisp.kernel.api.proc.ProcessState;
import org.astralisp.kernel.api.proc.ProcessStatus;
import org.astralisp.kernel.api.proc.Program;
import org.astralisp.kernel.api.proc.ProgramLoader;
import org.astralisp.kernel.api.proc.ResourceLimits;
import org.astralisp.kernel.api.sched.CpuScheduler;
import org.astralisp.kernel.api.syscall.ProgramImage;
import org.astralisp.kernel.api.syscall.SystemCallException;
import org.astralisp.kernel.api.syscall.SystemCalls;
import org.astralisp.kernel.irq.InterruptFramework;
import org.astralisp.kernel.mm.Pmms;
import org.astralisp.kernel.sched.Scheduler;
import org.astralisp.kernel.sched.SchedulerOnMachine;
import org.astralisp.kernel.vm.PagedVirtualMemoryManager;
import org.astralisp.machine.Architecture;
import org.astralisp.machine.Machine;

/**
 * A real machine with the interrupt framework, the scheduler, the PMM and
 * VMM, and a process table over them whose loaders are the Java class loader
 * and {@link #loader}, which runs the lambdas a test registers as
 * {@code test:NAME} programs.
 */
final class ProcOnMachine implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(10);

    /** The machine, its interrupt framework and scheduler (with the three policies). */
    final SchedulerOnMachine kernel;
    final Machine machine;
    final InterruptFramework framework;
    final Scheduler scheduler;
    final PhysicalMemoryManager pmm;
    final PagedVirtualMemoryManager vmm;
    final CpuScheduler threads;
    final org.astralisp.kernel.api.sched.KernelTimers timers;
    final KernelProcessTable table;
    final TestPrograms loader = new TestPrograms();
    final SystemCalls sys;

    ProcOnMachine() throws InterruptedException {
        this(Architecture.RISCV64, 2);
    }

    ProcOnMachine(Architecture architecture, int cpus) throws InterruptedException {
        this(architecture, cpus, new PidAllocator());
    }

    ProcOnMachine(Architecture architecture, int cpus, PidAllocator pids) throws InterruptedException {
        kernel = new SchedulerOnMachine(architecture, cpus);
        machine = kernel.machine;
        framework = kernel.framework;
        scheduler = kernel.scheduler;
        PageTableFormat format = switch (architecture) {
            case X86_64 -> new FourLevelPageTableFormat();
            case RISCV64 -> new Sv39PageTableFormat();
            case PPC64 -> new RadixPageTableFormat();
        };
        pmm = Pmms.over(machine.memory(), format.pageSize());
        vmm = new PagedVirtualMemoryManager(pmm, machine.memory(), format, cpus, framework.crossCall());
        threads = scheduler;
        List<ProgramLoader> loaders = List.of(new JavaProgramLoader(ProcOnMachine.class.getClassLoader()), loader);
        timers = new org.astralisp.kernel.sched.KernelTimerService(scheduler);
        table = new KernelProcessTable(threads, timers, vmm, () -> loaders, pids);
        sys = table.systemCalls();
    }

    /** Programs registered by name, loaded from {@code test:NAME}. */
    static final class TestPrograms implements ProgramLoader {

        private final Map<String, Program> programs = new ConcurrentHashMap<>();
        private final AtomicInteger names = new AtomicInteger();

        @Override
        public String name() {
            return "test programs";
        }

        @Override
        public boolean accepts(ProgramImage image) {
            return image.scheme().equals("test");
        }

        @Override
        public Program load(ProgramImage image) throws org.astralisp.kernel.api.proc.ProgramLoadException {
            Program program = programs.get(image.location().substring(5));
            if (program == null) {
                throw new org.astralisp.kernel.api.proc.ProgramLoadException("no test program " + image.location());
            }
            return program;
        }

        /** The image of a new program running {@code program}. */
        ProgramImage image(Program program) {
            String name = "p" + names.incrementAndGet();
            programs.put(name, program);
            return ProgramImage.at("test:" + name);
        }
    }

    /** Spawns {@code program} as the kernel does (a child of init, in a session of its own), as root. */
    int spawn(Program program) {
        return table.spawn(loader.image(program), List.of(), Credentials.ROOT, ResourceLimits.DEFAULT);
    }

    int spawn(Program program, Credentials credentials, ResourceLimits limits) {
        return table.spawn(loader.image(program), List.of(), credentials, limits);
    }

    /** {@code program}'s image, for spawning from a program. */
    ProgramImage image(Program program) {
        return loader.image(program);
    }

    Optional<ProcessStatus> status(int pid) {
        return table.status(pid);
    }

    ProcessState state(int pid) {
        return status(pid).map(ProcessStatus::state).orElse(null);
    }

    /** Waits until {@code pid} is gone from the table (ended and reaped). */
    void awaitGone(int pid) throws InterruptedException {
        try {
            eventually("process " + pid + " ended and was reaped", () -> status(pid).isEmpty());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + " (now " + status(pid) + ")", e);
        }
    }

    /** The message of the {@link SystemCallException} {@code call} throws; fails if it throws none. */
    static String refusal(Runnable call) {
        return assertThrows(SystemCallException.class, call::run).getMessage();
    }

    /** What a test program does, recording what it sees. */
    interface Body {
        void run(SystemCalls sys, List<Object> record);
    }

    /**
     * Runs {@code body} in a new process the kernel spawns (pid 2 in a fresh
     * table) with {@code limits}; what it recorded. A failure inside the
     * program fails the test with what was recorded before.
     */
    List<Object> inProcess(ResourceLimits limits, Body body) throws InterruptedException {
        List<Object> record = new ArrayList<>();
        AtomicReference<List<Object>> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        int pid = spawn((sys, args) -> {
            try {
                body.run(sys, record);
            } catch (RuntimeException | AssertionError e) {
                failure.set(e);
            }
            result.set(List.copyOf(record));
            return 0;
        }, Credentials.ROOT, limits);
        awaitGone(pid);
        if (failure.get() != null) {
            throw new AssertionError("the program failed after recording " + record, failure.get());
        }
        return result.get();
    }

    /** The pids in the table now. */
    List<Integer> pids() {
        List<Integer> pids = new ArrayList<>();
        table.processes().forEach(p -> pids.add(p.pid()));
        return pids;
    }

    @Override
    public void close() throws InterruptedException {
        try {
            table.close();
            eventually("every process but the kernel and init ended", () -> pids().equals(List.of(0, 1)));
        } finally {
            kernel.close();
        }
    }
}
