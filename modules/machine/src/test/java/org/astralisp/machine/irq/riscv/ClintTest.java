package org.astralisp.machine.irq.riscv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.OptionalLong;

import org.astralisp.machine.irq.TestCpu;
import org.astralisp.machine.port.MachineCheckException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The CLINT at 10 MHz: one mtime tick is 100 ns. Times are checked with generous bounds. */
class ClintTest {

    private static final Duration PATIENCE = Duration.ofSeconds(5);
    private static final long MILLISECOND_TICKS = 10_000;

    private final RiscvFixture machine = new RiscvFixture().enable(HartInterrupts.MSIP | HartInterrupts.MTIP);
    private final Clint clint = machine.clint;
    private final TestCpu hart0 = machine.harts.get(0);
    private final TestCpu hart1 = machine.harts.get(1);

    @AfterEach
    void close() {
        machine.close();
    }

    private long mtime() {
        return clint.read(Clint.MTIME, 8);
    }

    private void mtimecmp(int hart, long value) {
        clint.write(Clint.MTIMECMP_BASE + 8L * hart, 8, value);
    }

    @Test
    void msipRaisesTheMachineSoftwareInterruptOfItsHartUntilCleared() {
        clint.write(Clint.MSIP_BASE + 4, 4, 1);
        assertTrue(hart1.kicks() > 0);
        assertFalse(hart0.interruptPending());
        assertEquals(OptionalLong.of(HartInterrupts.MACHINE_SOFTWARE), hart1.take());
        assertTrue(hart1.interruptPending(), "taking it changes nothing");
        assertEquals(1, clint.read(Clint.MSIP_BASE + 4, 4));
        clint.write(Clint.MSIP_BASE + 4, 4, 0);
        assertFalse(hart1.interruptPending());
    }

    @Test
    void msipKeepsOnlyBitZero() {
        clint.write(Clint.MSIP_BASE, 4, 0xFFFF_FFFEL);
        assertEquals(0, clint.read(Clint.MSIP_BASE, 4));
    }

    @Test
    void mtimeCountsAtTheTimebaseFrequency() throws InterruptedException {
        long before = System.nanoTime();
        long first = mtime();
        long after = System.nanoTime();
        Thread.sleep(20);
        long secondBefore = System.nanoTime();
        long second = mtime();
        long secondAfter = System.nanoTime();
        long ticks = second - first;
        assertTrue(ticks <= (secondAfter - before) / 100 + 1, ticks + " ticks");
        assertTrue(ticks >= (secondBefore - after) / 100 - 1, ticks + " ticks");
    }

    @Test
    void theTimerFiresWhenMtimeReachesMtimecmpAndStaysPendingUntilMoved() throws InterruptedException {
        long start = System.nanoTime();
        long compare = mtime() + 100 * MILLISECOND_TICKS;
        mtimecmp(0, compare);
        assertFalse(hart0.interruptPending());
        assertEquals(OptionalLong.of(HartInterrupts.MACHINE_TIMER), hart0.awaitInterrupt(PATIENCE));
        assertTrue(System.nanoTime() - start >= 99_000_000L);
        assertTrue(Long.compareUnsigned(mtime(), compare) >= 0);
        assertTrue(hart0.interruptPending());
        mtimecmp(0, -1L);
        assertFalse(hart0.interruptPending());
        assertFalse(hart1.interruptPending());
        assertEquals(1, machine.platform.causeCounters().count(0, 7));
    }

    @Test
    void mtimecmpStartsAtTheLargestValueSoNoTimerIsPending() {
        assertEquals(-1L, clint.read(Clint.MTIMECMP_BASE, 8));
        assertFalse(hart0.interruptPending());
        assertEquals(0, machine.timers.armedDeadlines());
    }

    @Test
    void aCompareValueInThePastIsPendingAtOnce() {
        mtimecmp(1, 0);
        assertTrue(hart1.kicks() > 0);
        assertEquals(OptionalLong.of(HartInterrupts.MACHINE_TIMER), hart1.take());
    }

    @Test
    void movingMtimecmpReplacesTheDeadline() throws InterruptedException {
        mtimecmp(0, mtime() + 20 * MILLISECOND_TICKS);
        mtimecmp(0, mtime() + 60_000 * MILLISECOND_TICKS);
        assertEquals(1, machine.timers.armedDeadlines());
        assertEquals(OptionalLong.empty(), hart0.awaitInterrupt(Duration.ofMillis(60)));
    }

    @Test
    void mtimecmpCanBeWrittenInHalves() {
        clint.write(Clint.MTIMECMP_BASE + 8, 4, 0xFFFF_FFFFL);
        clint.write(Clint.MTIMECMP_BASE + 12, 4, 0x1234);
        clint.write(Clint.MTIMECMP_BASE + 8, 4, 0x5678);
        assertEquals(0x0000_1234_0000_5678L, clint.read(Clint.MTIMECMP_BASE + 8, 8));
        assertEquals(0x1234, clint.read(Clint.MTIMECMP_BASE + 12, 4));
        assertEquals(0x5678, clint.read(Clint.MTIMECMP_BASE + 8, 4));
    }

    @Test
    void writingMtimeSetsTheCounterAndReschedulesTimers() {
        mtimecmp(0, 1L << 40);
        assertFalse(hart0.interruptPending());
        clint.write(Clint.MTIME, 8, 1L << 40);
        assertTrue(mtime() >= 1L << 40);
        assertTrue(hart0.kicks() > 0);
        assertTrue(hart0.interruptPending());
        clint.write(Clint.MTIME + 4, 4, 0);
        assertTrue(mtime() < 1L << 32);
        assertFalse(hart0.interruptPending());
        assertEquals(1, machine.timers.armedDeadlines());
    }

    @Test
    void theTimeCsrReadsMtimeAndIsReadOnly() {
        long before = mtime();
        long time = machine.csr(0, Clint.CSR_TIME).read();
        assertTrue(time >= before && time <= mtime());
        assertThrows(MachineCheckException.class, () -> machine.csr(0, Clint.CSR_TIME).write(0));
    }

    @Test
    void registersOfMissingHartsAndOtherOffsetsAreMachineChecks() {
        assertThrows(MachineCheckException.class, () -> clint.read(Clint.MSIP_BASE + 8, 4));
        assertThrows(MachineCheckException.class, () -> clint.read(Clint.MTIMECMP_BASE + 16, 8));
        assertThrows(MachineCheckException.class, () -> clint.write(0x8000, 4, 0));
        assertThrows(MachineCheckException.class, () -> clint.read(Clint.MTIME - 8, 8));
    }

    @Test
    void badWidthsAreMachineChecks() {
        assertThrows(MachineCheckException.class, () -> clint.read(Clint.MSIP_BASE, 8));
        assertThrows(MachineCheckException.class, () -> clint.read(Clint.MTIME + 4, 8));
        assertThrows(MachineCheckException.class, () -> clint.write(Clint.MTIMECMP_BASE, 2, 0));
        assertThrows(MachineCheckException.class, () -> clint.read(Clint.MTIMECMP_BASE + 2, 4));
        assertEquals(0x1_0000, clint.size());
        assertEquals("clint", clint.name());
    }
}
