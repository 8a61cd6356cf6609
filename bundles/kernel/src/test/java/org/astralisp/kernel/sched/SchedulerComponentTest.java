package org.astralisp.kernel.sched;

import static org.astralisp.kernel.sched.SchedulerOnMachine.awaitEnd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.astralisp.kernel.api.sched.CpuScheduler;
import org.astralisp.kernel.api.sched.KernelTimer;
import org.astralisp.kernel.api.sched.KernelTimers;
import org.astralisp.kernel.api.sched.KernelThread;
import org.astralisp.kernel.api.sched.Safepoint;
import org.astralisp.kernel.api.sched.WorkQueue;
import org.astralisp.kernel.irq.InterruptFramework;
import org.astralisp.kernel.testing.ArchInterruptDrivers;
import org.astralisp.kernel.testing.Eventually;
import org.astralisp.kernel.testing.RecordingContext;
import org.astralisp.machine.Architecture;
import org.astralisp.machine.Machine;
import org.astralisp.machine.MachineConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The boot wiring: the component starts the scheduler on the running framework, registers it, and detaches. */
@Timeout(60)
class SchedulerComponentTest {

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void registersASchedulerThatRunsThreadsAndSwapsPoliciesAndDetachesOnDeactivation(Architecture architecture)
            throws Exception {
        onMachine(architecture, (machine, drivers, framework) -> {
            RecordingContext context = new RecordingContext();
            SchedulerComponent component = new SchedulerComponent(context.context, framework, drivers.timers(),
                    machine.cpus(), new RoundRobinPolicy());
            FairSharePolicy fair = new FairSharePolicy();
            component.addPolicy(fair);
            component.addPolicy(new PriorityPolicy());
            CpuScheduler scheduler = context.service(CpuScheduler.class);
            assertTrue(component.running());
            assertEquals(2, scheduler.cpus());
            assertEquals("rr", scheduler.policy());
            assertEquals(List.of("fair", "priority", "rr"), scheduler.policies());

            AtomicLong steps = new AtomicLong();
            KernelTimers timers = context.service(KernelTimers.class);
            AtomicLong fired = new AtomicLong();
            KernelTimer once = timers.oneShot(1, Duration.ofMillis(1), fired::incrementAndGet);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (fired.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertEquals(1, fired.get(), "the registered kernel timers fire on CPU 1");
            assertFalse(once.cancel(), "a fired one-shot timer is not cancelled");

            KernelThread thread = scheduler.thread(1, "worker", () -> {
                for (int i = 0; i < 10_000; i++) {
                    steps.incrementAndGet();
                    Safepoint.poll();
                }
            });
            assertEquals(List.of("kworker/0", "kworker/1", "worker"),
                    scheduler.threads().stream().map(KernelThread::name).toList(),
                    "the kernel's workers, then the new thread");
            CountDownLatch worked = new CountDownLatch(1);
            context.service(WorkQueue.class).submit(0, worked::countDown);
            assertTrue(worked.await(10, TimeUnit.SECONDS), "the registered workers run work");
            scheduler.setPolicy("fair");
            thread.start();
            awaitEnd(thread);
            assertEquals(10_000, steps.get());
            assertEquals("fair", scheduler.policy());
            assertTrue(scheduler.statistics().get(1).switches() > 0, "CPU 1 ran the worker");

            component.removePolicy(new FairSharePolicy());
            assertEquals("fair", scheduler.policy(), "another instance of the same name is not the one in use");

            component.deactivate();
            assertNull(context.service(CpuScheduler.class), "unregistered");
            assertNull(context.service(KernelTimers.class), "timers unregistered");
            assertNull(context.service(WorkQueue.class), "workers unregistered");
            assertEquals(List.of(), scheduler.threads(), "the workers ended before the scheduler was detached");
            KernelThread late = scheduler.thread(0, "after stop", steps::incrementAndGet);
            late.start();
            assertFalse(late.join(Duration.ofMillis(200)), "a detached scheduler runs no thread");
            assertEquals(KernelThread.State.RUNNABLE, late.state());
        });
    }

    /** What a test does with a running framework. */
    interface FrameworkTest {
        void run(Machine machine, ArchInterruptDrivers drivers, InterruptFramework framework) throws Exception;
    }

    /** Runs {@code test} on a two-vCPU machine of {@code architecture} with the framework started, then stops it. */
    private static void onMachine(Architecture architecture, FrameworkTest test) throws Exception {
        try (Machine machine = Machine.create(new MachineConfig(architecture, 2, 64L << 20, ""))) {
            ArchInterruptDrivers drivers = ArchInterruptDrivers.of(machine);
            InterruptFramework framework = new InterruptFramework(drivers.controller(), machine.cpus(),
                    drivers.timers());
            framework.start(Duration.ofSeconds(5));
            try {
                test.run(machine, drivers, framework);
            } finally {
                framework.stop(Duration.ofSeconds(5));
            }
        }
    }

    @Test
    void deactivationWhileAThreadSpinsReturnsAndLeavesItUnrun() throws Exception {
        onMachine(Architecture.X86_64, (machine, drivers, framework) -> {
            RecordingContext context = new RecordingContext();
            SchedulerComponent component = new SchedulerComponent(context.context, framework, drivers.timers(),
                    machine.cpus(), new RoundRobinPolicy());
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            AtomicLong spins = new AtomicLong();
            KernelThread spinner = component.scheduler().thread(0, "spinner", () -> {
                while (!stop.get()) {
                    spins.incrementAndGet();
                    Safepoint.poll();
                }
            });
            spinner.start();
            Eventually.eventually("the spinner runs", () -> spins.get() > 0);
            component.deactivate(); // its cross calls need the spinner off the vCPU: it must not hang
            long after = spins.get();
            Thread.sleep(100);
            assertEquals(after, spins.get(), "the spinner no longer runs");
            assertEquals(KernelThread.State.RUNNABLE, spinner.state());
            assertFalse(spinner.join(Duration.ofMillis(10)));
        });
    }

    @Test
    void aFrameworkWithoutTheTimersOfItsCpusStartsNoScheduler() throws Exception {
        onMachine(Architecture.RISCV64, (machine, drivers, framework) -> {
            RecordingContext context = new RecordingContext();
            SchedulerComponent component = new SchedulerComponent(context.context, framework,
                    drivers.timers().subList(0, 1), machine.cpus(), new RoundRobinPolicy());
            assertFalse(component.running());
            assertEquals(0, context.services.size(), "nothing registered");
            component.addPolicy(new FairSharePolicy());
            component.removePolicy(new FairSharePolicy());
            component.deactivate();
        });
    }
}
