package org.astralisp.machine.irq.ppc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

import org.astralisp.machine.cpu.SystemRegister;
import org.astralisp.machine.irq.TestCpu;
import org.astralisp.machine.irq.TickClock;
import org.astralisp.machine.port.MachineCheckException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The decrementer and time base at 512 MHz. Times are checked with generous bounds. */
class DecrementerTest {

    private static final long MILLISECOND_TICKS = 512_000;

    private final PowerFixture machine = new PowerFixture();
    private final TestCpu cpu = machine.cpus.get(0);
    private final SystemRegister dec = machine.platform.systemRegisters(0).get(Decrementer.SPR_DEC);
    private final SystemRegister tb = machine.platform.systemRegisters(0).get(TimeBase.SPR_TB);

    @AfterEach
    void close() {
        machine.close();
    }

    @Test
    void decStartsPositiveAndCountsDownAtTheTimeBaseFrequency() throws InterruptedException {
        long before = System.nanoTime();
        dec.write(0x7000_0000);
        long after = System.nanoTime();
        Thread.sleep(10);
        long readBefore = System.nanoTime();
        long counted = 0x7000_0000L - dec.read();
        long readAfter = System.nanoTime();
        assertTrue(counted <= (readAfter - before) * 512 / 1000 + 1, counted + " ticks");
        assertTrue(counted >= (readBefore - after) * 512 / 1000 - 1, counted + " ticks");
        assertFalse(cpu.interruptPending());
    }

    @Test
    void aNegativeValueIsPendingAtOnceAndReadsSignExtended() {
        dec.write(-5);
        assertTrue(cpu.kicks() > 0);
        assertTrue(dec.read() < -4);
        assertEquals(OptionalLong.of(Decrementer.CAUSE), cpu.take());
        assertEquals(1, machine.platform.decrementer(0).taken());
    }

    @Test
    void mtsprKeepsTheLow32Bits() {
        dec.write(0x1_0000_0000L - 3);
        assertTrue(dec.read() < 0);
        dec.write(0x7_1000_0000L);
        long value = dec.read();
        assertTrue(value > 0 && value <= 0x1000_0000L, Long.toHexString(value));
    }

    @Test
    void theInterruptComesWhenDecTurnsNegativeAndStaysUntilDecIsWritten() throws InterruptedException {
        long start = System.nanoTime();
        dec.write(50 * MILLISECOND_TICKS);
        assertFalse(cpu.interruptPending());
        assertEquals(OptionalLong.of(Decrementer.CAUSE), cpu.awaitInterrupt(Duration.ofSeconds(5)));
        assertTrue(System.nanoTime() - start >= 49_000_000L);
        assertTrue(cpu.interruptPending(), "taking it changes nothing");
        dec.write(Integer.MAX_VALUE);
        assertFalse(cpu.interruptPending());
    }

    @Test
    void rewritingDecReplacesTheDeadline() throws InterruptedException {
        dec.write(10 * MILLISECOND_TICKS);
        dec.write(Integer.MAX_VALUE);
        assertEquals(1, machine.timers.armedDeadlines() - 1, "one alarm per decrementer (two CPUs)");
        assertEquals(OptionalLong.empty(), cpu.awaitInterrupt(Duration.ofMillis(40)));
    }

    @Test
    void afterGoingNegativeTheNextCrossingIsArmed() throws InterruptedException {
        dec.write(0);
        assertTrue(cpu.awaitKick(Duration.ofSeconds(5)));
        Thread.sleep(5);
        assertTrue(dec.read() < 0);
        assertEquals(2, machine.timers.armedDeadlines());
    }

    @Test
    void theTimeBaseAdvancesAndIsReadOnly() throws InterruptedException {
        long first = tb.read();
        Thread.sleep(2);
        long second = tb.read();
        assertTrue(second - first >= MILLISECOND_TICKS, (second - first) + " ticks");
        SystemRegister tbu = machine.platform.systemRegisters(0).get(TimeBase.SPR_TBU);
        assertEquals(0, tbu.read());
        assertThrows(MachineCheckException.class, () -> tb.write(0));
        assertThrows(MachineCheckException.class, () -> tbu.write(0));
    }

    @Test
    void theUpperHalfIsTheTopOf64Bits() {
        TimeBase timeBase = new TimeBase(new TickClock(TimeBase.FREQUENCY_HZ, System.nanoTime() - 10_000_000_000L));
        assertEquals(timeBase.now() >>> 32, timeBase.tbu().read());
        assertEquals(1, timeBase.tbu().read());
        assertTrue(timeBase.at(System.nanoTime()) > 5_000_000_000L);
    }

    @Test
    void theTimeBaseRunsAt512Megahertz() {
        assertThrows(IllegalArgumentException.class, () -> new TimeBase(TickClock.startingNow(1_000_000)));
    }

    @Test
    void externalComesBeforeTheDecrementer() {
        assertEquals(List.of(machine.xive.externalInterrupt(1), machine.platform.decrementer(1)),
                machine.platform.interruptSources(1));
        assertEquals(1, machine.platform.mmio().size());
        assertEquals(PowerPlatform.XIVE_BASE, machine.platform.mmio().get(0).base());
        assertEquals(machine.platform.timeBase().tb(), machine.platform.systemRegisters(1).get(TimeBase.SPR_TB));
    }

    @Test
    void cpuIdsMustBeInOrder() {
        assertThrows(IllegalArgumentException.class, () -> new PowerPlatform(List.of(new TestCpu(3)), machine.timers));
    }
}
