package org.astralisp.machine.irq.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.OptionalLong;

import org.astralisp.machine.cpu.SystemRegister;
import org.astralisp.machine.irq.TestCpu;
import org.astralisp.machine.port.MachineCheckException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The APIC timer at a 1 GHz bus clock. Times are checked with generous bounds: these are not benchmarks. */
class LocalApicTimerTest {

    private static final Duration PATIENCE = Duration.ofSeconds(5);
    private static final int VECTOR = 0xEC;
    private static final int DIVIDE_BY_1 = 0xB;
    private static final int DIVIDE_BY_128 = 0xA;
    private static final int PERIODIC = 1 << 17;
    private static final int TSC_DEADLINE = 2 << 17;
    private static final long MILLISECOND = 1_000_000L;

    private final ApicFixture machine = new ApicFixture().enabled();
    private final TestCpu cpu = machine.cpus.get(0);

    @AfterEach
    void close() {
        machine.close();
    }

    private void write(int offset, int value) {
        machine.writeApic(0, offset, value);
    }

    private int read(int offset) {
        return machine.readApic(0, offset);
    }

    private SystemRegister tscDeadline() {
        return machine.platform.systemRegisters(0).get(ApicPlatform.IA32_TSC_DEADLINE);
    }

    private SystemRegister tsc() {
        return machine.platform.systemRegisters(0).get(TimeStampCounter.MSR);
    }

    @Test
    void oneShotFiresOnceAtAboutTheProgrammedTime() throws InterruptedException {
        write(LocalApic.LVT_TIMER, VECTOR);
        write(LocalApic.TIMER_DIVIDE_CONFIGURATION, DIVIDE_BY_1);
        long start = System.nanoTime();
        write(LocalApic.TIMER_INITIAL_COUNT, (int) (20 * MILLISECOND));
        assertEquals(OptionalLong.of(VECTOR), cpu.awaitInterrupt(PATIENCE));
        long elapsed = System.nanoTime() - start;
        assertTrue(elapsed >= 20 * MILLISECOND, "fired after " + elapsed + " ns");
        write(LocalApic.EOI, 0);
        assertEquals(0, read(LocalApic.TIMER_CURRENT_COUNT));
        assertEquals(OptionalLong.empty(), cpu.awaitInterrupt(Duration.ofMillis(60)));
        assertEquals(0, machine.timers.armedDeadlines());
    }

    @Test
    void periodicFiresRepeatedlyAtItsPeriod() throws InterruptedException {
        write(LocalApic.LVT_TIMER, PERIODIC | VECTOR);
        write(LocalApic.TIMER_DIVIDE_CONFIGURATION, DIVIDE_BY_1);
        long start = System.nanoTime();
        write(LocalApic.TIMER_INITIAL_COUNT, (int) (10 * MILLISECOND));
        for (int i = 0; i < 4; i++) {
            assertEquals(OptionalLong.of(VECTOR), cpu.awaitInterrupt(PATIENCE), "expiry " + i);
            write(LocalApic.EOI, 0);
        }
        long elapsed = System.nanoTime() - start;
        assertTrue(elapsed >= 40 * MILLISECOND, "4 periods of 10 ms in " + elapsed + " ns");
        assertEquals(4, machine.platform.localApic(0).deliveries(VECTOR));
        assertEquals(1, machine.timers.armedDeadlines());
    }

    @Test
    void aPeriodicCountRunsFromTheInitialCountDownAndReloads() throws InterruptedException {
        write(LocalApic.LVT_TIMER, LocalApic.LVT_MASKED | PERIODIC | VECTOR);
        write(LocalApic.TIMER_DIVIDE_CONFIGURATION, DIVIDE_BY_1);
        write(LocalApic.TIMER_INITIAL_COUNT, (int) MILLISECOND);
        Thread.sleep(5);
        long count = Integer.toUnsignedLong(read(LocalApic.TIMER_CURRENT_COUNT));
        assertTrue(count > 0 && count <= MILLISECOND, "count " + count);
        write(LocalApic.TIMER_DIVIDE_CONFIGURATION, DIVIDE_BY_128);
        long slowed = Integer.toUnsignedLong(read(LocalApic.TIMER_CURRENT_COUNT));
        assertTrue(slowed > 0 && slowed <= MILLISECOND, "count " + slowed);
    }

    @Test
    void periodsShorterThanTheMinimumAreCoalescedNotAFlood() throws InterruptedException {
        write(LocalApic.LVT_TIMER, PERIODIC | VECTOR);
        write(LocalApic.TIMER_DIVIDE_CONFIGURATION, DIVIDE_BY_1);
        long start = System.nanoTime();
        write(LocalApic.TIMER_INITIAL_COUNT, 1_000);
        Thread.sleep(40);
        long elapsed = System.nanoTime() - start;
        int kicks = cpu.kicks();
        assertTrue(kicks >= 1, "never fired");
        assertTrue(kicks <= elapsed / LocalApicTimer.MINIMUM_PERIOD_NANOS + 1, kicks + " kicks in " + elapsed + " ns");
    }

    @Test
    void writingZeroToTheInitialCountStopsTheTimer() throws InterruptedException {
        write(LocalApic.LVT_TIMER, PERIODIC | VECTOR);
        write(LocalApic.TIMER_INITIAL_COUNT, (int) (10 * MILLISECOND));
        write(LocalApic.TIMER_INITIAL_COUNT, 0);
        assertEquals(0, machine.timers.armedDeadlines());
        assertEquals(0, read(LocalApic.TIMER_CURRENT_COUNT));
        assertEquals(OptionalLong.empty(), cpu.awaitInterrupt(Duration.ofMillis(60)));
    }

    @Test
    void rewritingTheInitialCountRestartsTheCountWithOneDeadline() throws InterruptedException {
        write(LocalApic.LVT_TIMER, VECTOR);
        write(LocalApic.TIMER_DIVIDE_CONFIGURATION, DIVIDE_BY_1);
        write(LocalApic.TIMER_INITIAL_COUNT, -1);
        long start = System.nanoTime();
        write(LocalApic.TIMER_INITIAL_COUNT, (int) (10 * MILLISECOND));
        assertEquals(1, machine.timers.armedDeadlines());
        assertEquals(OptionalLong.of(VECTOR), cpu.awaitInterrupt(PATIENCE));
        long elapsed = System.nanoTime() - start;
        assertTrue(elapsed >= 10 * MILLISECOND && elapsed < 4 * 1_000 * MILLISECOND, elapsed + " ns");
    }

    @Test
    void theCurrentCountFallsFromTheInitialCountAtBusClockOverDivisor() throws InterruptedException {
        write(LocalApic.TIMER_DIVIDE_CONFIGURATION, DIVIDE_BY_128);
        assertEquals(DIVIDE_BY_128, read(LocalApic.TIMER_DIVIDE_CONFIGURATION));
        long before = System.nanoTime();
        write(LocalApic.TIMER_INITIAL_COUNT, -1);
        long after = System.nanoTime();
        Thread.sleep(20);
        long readBefore = System.nanoTime();
        long count = Integer.toUnsignedLong(read(LocalApic.TIMER_CURRENT_COUNT));
        long readAfter = System.nanoTime();
        long counted = 0xFFFF_FFFFL - count;
        assertTrue(counted <= (readAfter - before) / 128 + 1, "counted " + counted);
        assertTrue(counted >= (readBefore - after) / 128 - 1, "counted " + counted);
        assertEquals(-1, read(LocalApic.TIMER_INITIAL_COUNT));
    }

    @Test
    void aNewDivisorContinuesFromTheCurrentCount() {
        write(LocalApic.TIMER_DIVIDE_CONFIGURATION, DIVIDE_BY_1);
        write(LocalApic.TIMER_INITIAL_COUNT, -1);
        long beforeChange = Integer.toUnsignedLong(read(LocalApic.TIMER_CURRENT_COUNT));
        write(LocalApic.TIMER_DIVIDE_CONFIGURATION, DIVIDE_BY_128);
        long afterChange = Integer.toUnsignedLong(read(LocalApic.TIMER_CURRENT_COUNT));
        assertTrue(afterChange <= beforeChange, afterChange + " > " + beforeChange);
        assertTrue(afterChange > 0xF000_0000L, "restarted from " + afterChange);
    }

    @Test
    void aMaskedTimerCountsToZeroWithoutAnInterrupt() throws InterruptedException {
        write(LocalApic.LVT_TIMER, LocalApic.LVT_MASKED | VECTOR);
        write(LocalApic.TIMER_DIVIDE_CONFIGURATION, DIVIDE_BY_1);
        write(LocalApic.TIMER_INITIAL_COUNT, (int) MILLISECOND);
        Thread.sleep(30);
        assertEquals(0, read(LocalApic.TIMER_CURRENT_COUNT));
        assertFalse(machine.bankBit(0, LocalApic.IRR, VECTOR));
    }

    @Test
    void tscDeadlineFiresWhenTheTscPassesItAndThenReadsZero() throws InterruptedException {
        write(LocalApic.LVT_TIMER, TSC_DEADLINE | VECTOR);
        long deadline = tsc().read() + 2 * 20 * MILLISECOND; // 20 ms at 2 GHz
        long start = System.nanoTime();
        tscDeadline().write(deadline);
        assertEquals(deadline, tscDeadline().read());
        assertEquals(OptionalLong.of(VECTOR), cpu.awaitInterrupt(PATIENCE));
        assertTrue(System.nanoTime() - start >= 19 * MILLISECOND);
        assertTrue(Long.compareUnsigned(tsc().read(), deadline) >= 0);
        assertEquals(0, tscDeadline().read());
    }

    @Test
    void aTscDeadlineInThePastFiresAtOnce() throws InterruptedException {
        write(LocalApic.LVT_TIMER, TSC_DEADLINE | VECTOR);
        tscDeadline().write(1);
        assertEquals(OptionalLong.of(VECTOR), cpu.awaitInterrupt(PATIENCE));
    }

    @Test
    void writingZeroToTheTscDeadlineDisarmsIt() throws InterruptedException {
        write(LocalApic.LVT_TIMER, TSC_DEADLINE | VECTOR);
        tscDeadline().write(tsc().read() + 20 * MILLISECOND);
        tscDeadline().write(0);
        assertEquals(0, machine.timers.armedDeadlines());
        assertEquals(OptionalLong.empty(), cpu.awaitInterrupt(Duration.ofMillis(60)));
    }

    @Test
    void aDeadlineBeyondTheHostClockNeverFires() {
        write(LocalApic.LVT_TIMER, TSC_DEADLINE | VECTOR);
        tscDeadline().write(-1L);
        assertEquals(-1L, tscDeadline().read());
        assertEquals(0, machine.timers.armedDeadlines());
    }

    @Test
    void outsideTscDeadlineModeTheMsrReadsZeroAndIgnoresWrites() {
        write(LocalApic.LVT_TIMER, VECTOR);
        tscDeadline().write(12345);
        assertEquals(0, tscDeadline().read());
        assertEquals(0, machine.timers.armedDeadlines());
    }

    @Test
    void inTscDeadlineModeTheCountRegistersAreInert() {
        write(LocalApic.LVT_TIMER, TSC_DEADLINE | VECTOR);
        write(LocalApic.TIMER_INITIAL_COUNT, 1000);
        assertEquals(0, read(LocalApic.TIMER_INITIAL_COUNT));
        assertEquals(0, read(LocalApic.TIMER_CURRENT_COUNT));
        assertEquals(0, machine.timers.armedDeadlines());
    }

    @Test
    void switchingBetweenTscDeadlineAndCountingModesDisarms() {
        write(LocalApic.LVT_TIMER, VECTOR);
        write(LocalApic.TIMER_INITIAL_COUNT, -1);
        write(LocalApic.LVT_TIMER, TSC_DEADLINE | VECTOR);
        assertEquals(0, machine.timers.armedDeadlines());
        tscDeadline().write(tsc().read() + 1_000 * MILLISECOND);
        write(LocalApic.LVT_TIMER, PERIODIC | VECTOR);
        assertEquals(0, machine.timers.armedDeadlines());
        assertEquals(0, read(LocalApic.TIMER_CURRENT_COUNT));
    }

    @Test
    void timerLvtReadsBackVectorMaskAndMode() {
        write(LocalApic.LVT_TIMER, 0xFFFF_FFFF & ~(1 << 18));
        assertEquals(0x0003_00FF, read(LocalApic.LVT_TIMER));
    }

    @Test
    void theTscAdvancesAndRefusesWrites() throws InterruptedException {
        long first = tsc().read();
        Thread.sleep(2);
        assertTrue(tsc().read() > first);
        assertThrows(MachineCheckException.class, () -> tsc().write(0));
    }
}
