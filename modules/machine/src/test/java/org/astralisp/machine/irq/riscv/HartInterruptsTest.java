package org.astralisp.machine.irq.riscv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalLong;

import org.astralisp.machine.cpu.SystemRegister;
import org.astralisp.machine.irq.TestCpu;
import org.astralisp.machine.irq.TriggerMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HartInterruptsTest {

    private final RiscvFixture machine = new RiscvFixture();
    private final TestCpu hart = machine.harts.get(0);
    private final SystemRegister mie = machine.csr(0, HartInterrupts.CSR_MIE);
    private final SystemRegister mip = machine.csr(0, HartInterrupts.CSR_MIP);

    @AfterEach
    void close() {
        machine.close();
    }

    private void raiseEverything() {
        machine.platform.line(1, TriggerMode.LEVEL).raise();
        machine.priority(1, 1);
        machine.enableSource(0, 1);
        machine.enableSource(1, 1);
        machine.clint.write(Clint.MSIP_BASE, 4, 1);
        machine.clint.write(Clint.MTIMECMP_BASE, 8, 0);
        mip.write(HartInterrupts.SSIP | HartInterrupts.STIP);
    }

    @Test
    void mipShowsEveryInputWhatever_mieSays() {
        raiseEverything();
        assertEquals(0xAAA, mip.read());
        assertFalse(hart.interruptPending());
    }

    @Test
    void aSourceIsPendingOnlyWhileItsMieBitIsSet() {
        machine.clint.write(Clint.MSIP_BASE, 4, 1);
        assertFalse(hart.interruptPending());
        mie.write(HartInterrupts.MSIP);
        assertTrue(hart.kicks() > 0);
        assertEquals(OptionalLong.of(HartInterrupts.MACHINE_SOFTWARE), hart.take());
    }

    @Test
    void interruptsAreTakenInTheOrderMeiMsiMtiSeiSsiSti() {
        raiseEverything();
        List<Long> order = List.of(HartInterrupts.MACHINE_EXTERNAL, HartInterrupts.MACHINE_SOFTWARE,
                HartInterrupts.MACHINE_TIMER, HartInterrupts.SUPERVISOR_EXTERNAL, HartInterrupts.SUPERVISOR_SOFTWARE,
                HartInterrupts.SUPERVISOR_TIMER);
        long enabled = 0;
        for (long bit : new long[] {HartInterrupts.STIP, HartInterrupts.SSIP, HartInterrupts.SEIP, HartInterrupts.MTIP,
                HartInterrupts.MSIP, HartInterrupts.MEIP}) {
            enabled |= bit;
            mie.write(enabled);
            assertEquals(OptionalLong.of(order.get(5 - Long.bitCount(enabled) + 1)), hart.take());
        }
        assertEquals(1, machine.platform.causeCounters().count(0, 11));
        assertEquals(1, machine.platform.causeCounters().count(0, 5));
    }

    @Test
    void mieKeepsOnlyTheImplementedEnables() {
        mie.write(-1L);
        assertEquals(0xAAA, mie.read());
    }

    @Test
    void mipWritesChangeOnlyTheSupervisorSoftwareTimerAndExternalBits() {
        mip.write(-1L);
        assertEquals(HartInterrupts.SSIP | HartInterrupts.STIP | HartInterrupts.SEIP, mip.read());
        mip.write(0);
        assertEquals(0, mip.read());
    }

    @Test
    void settingAnEnabledSoftwareBitKicksTheHart() {
        mie.write(HartInterrupts.SSIP);
        hart.drainKicks();
        mip.write(HartInterrupts.SSIP);
        assertTrue(hart.kicks() > 0);
        assertEquals(OptionalLong.of(HartInterrupts.SUPERVISOR_SOFTWARE), hart.take());
    }

    @Test
    void eachHartHasItsOwnCsrsAndTheTimeCsr() {
        assertEquals(3, machine.platform.systemRegisters(1).size());
        machine.csr(1, HartInterrupts.CSR_MIE).write(HartInterrupts.MEIP);
        assertEquals(0, mie.read());
        assertEquals(2, machine.platform.mmio().size());
        assertEquals(6, machine.platform.hart(1).sources().size());
    }

    @Test
    void hartIdsMustBeInOrder() {
        assertThrows(IllegalArgumentException.class,
                () -> new RiscvPlatform(List.of(new TestCpu(1)), machine.timers, RiscvFixture.SOURCES));
    }
}
