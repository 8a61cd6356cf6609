package org.astralisp.kernel.proc;

import static org.astralisp.kernel.testing.Eventually.eventually;
import static org.astralisp.kernel.proc.ProcOnMachine.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.astralisp.kernel.api.proc.ResourceLimits;
import org.astralisp.kernel.api.syscall.ExitStatus;
import org.astralisp.kernel.api.syscall.Signal;
import org.astralisp.kernel.api.syscall.SignalDisposition;
import org.astralisp.kernel.api.syscall.SystemCalls;
import org.astralisp.machine.Architecture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The alarm system call: ALRM after the delay on the kernel timers, replacing and cancelling, every refusal. */
@Timeout(60)
class AlarmTest {

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void anAlarmEndsASleepingProcessWithAlrmByDefault(Architecture architecture) throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine(architecture, 2)) {
            AtomicReference<ExitStatus> status = new AtomicReference<>();
            SignalsTest.spawnWatched(kernel, kernel.image((sys, args) -> {
                sys.alarm(Duration.ofMillis(20));
                sys.sleep(Duration.ofDays(1));
                return 0;
            }), status);
            eventually("the parent saw its child end", () -> status.get() != null);
            assertEquals(ExitStatus.killed(Signal.ALRM), status.get());
        }
    }

    @Test
    void aHandledAlarmInterruptsASleepNoEarlierThanItsDelay() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            AtomicInteger alarms = new AtomicInteger();
            AtomicLong elapsed = new AtomicLong();
            List<Object> seen = kernel.inProcess(ResourceLimits.DEFAULT, (sys, record) -> {
                sys.sigaction(Signal.ALRM, SignalDisposition.handler(signal -> alarms.incrementAndGet()));
                long start = kernel.timers.now();
                record.add(sys.alarm(Duration.ofMillis(50)));
                record.add(refusal(() -> sys.sleep(Duration.ofDays(1))));
                elapsed.set(kernel.timers.now() - start);
                record.add(alarms.get());
                record.add(sys.alarm(Duration.ZERO)); // it went off: nothing left
            });
            assertEquals(List.of(Duration.ZERO, "EINTR: sleep of process 2 interrupted by a signal handler", 1,
                    Duration.ZERO), seen);
            assertTrue(elapsed.get() >= Duration.ofMillis(50).toNanos(), "the alarm came after "
                    + Duration.ofNanos(elapsed.get()) + ", before its 50 ms");
        }
    }

    @Test
    void aNewAlarmReplacesTheEarlierOneAndReturnsWhatWasLeftOfItAndZeroCancels() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            AtomicInteger alarms = new AtomicInteger();
            List<Object> seen = kernel.inProcess(ResourceLimits.DEFAULT, (sys, record) -> {
                sys.sigaction(Signal.ALRM, SignalDisposition.handler(signal -> alarms.incrementAndGet()));
                record.add(sys.alarm(Duration.ofSeconds(10)));
                Duration left = sys.alarm(Duration.ofMillis(30));
                record.add(left.compareTo(Duration.ofSeconds(9)) > 0 && left.compareTo(Duration.ofSeconds(10)) <= 0);
                Duration leftOfShort = sys.alarm(Duration.ZERO); // cancels the 30 ms one
                record.add(!leftOfShort.isNegative() && leftOfShort.compareTo(Duration.ofMillis(30)) <= 0);
                sys.sleep(Duration.ofMillis(100)); // would be EINTR had the alarm not been cancelled
                record.add(alarms.get());
                record.add(sys.alarm(Duration.ZERO));
            });
            assertEquals(List.of(Duration.ZERO, true, true, 0, Duration.ZERO), seen);
        }
    }

    @Test
    void badDelaysAreRefusedAndKeepTheEarlierAlarm() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            List<Object> seen = kernel.inProcess(ResourceLimits.DEFAULT, (sys, record) -> {
                sys.alarm(Duration.ofSeconds(10));
                record.add(refusal(() -> sys.alarm(Duration.ofMillis(-1))));
                record.add(refusal(() -> sys.alarm(null)));
                record.add(refusal(() -> sys.alarm(SystemCalls.MAX_ALARM.plusNanos(1))));
                record.add(sys.alarm(Duration.ZERO).compareTo(Duration.ofSeconds(9)) > 0);
            });
            assertEquals(List.of("EINVAL: alarm: delay PT-0.001S is not a duration of zero or more",
                    "EINVAL: alarm: delay null is not a duration of zero or more",
                    "EINVAL: alarm: delay PT8760H0.000000001S is longer than PT8760H", true), seen);
        }
    }

    @Test
    void anAlarmIsSentToItsOwnProcessOnly() throws Exception {
        try (ProcOnMachine kernel = new ProcOnMachine()) {
            AtomicReference<ExitStatus> status = new AtomicReference<>();
            List<Object> seen = kernel.inProcess(ResourceLimits.DEFAULT, (sys, record) -> {
                sys.sigaction(Signal.ALRM, SignalDisposition.handler(signal -> record.add("parent got ALRM")));
                int child = sys.spawn(kernel.image((s, a) -> {
                    s.alarm(Duration.ofMillis(10));
                    s.sleep(Duration.ofDays(1));
                    return 0;
                }), List.of());
                record.add(sys.wait(child, false).orElseThrow().status());
            });
            assertEquals(List.of(ExitStatus.killed(Signal.ALRM)), seen, "the child died of its alarm, the parent "
                    + "got none");
        }
    }
}
