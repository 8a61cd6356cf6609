package org.astralisp.kernel.irq;

import static org.astralisp.kernel.irq.KernelOnMachine.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.astralisp.boot.spi.CommandException;
import org.astralisp.hal.api.irq.Trigger;
import org.astralisp.kernel.api.irq.InterruptRegistration;
import org.astralisp.kernel.api.irq.InterruptRequest;
import org.astralisp.machine.Architecture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The console's {@code interrupts}: the table for a known state, and on each machine after real interrupts. */
class InterruptsCommandTest {

    @Test
    void rendersOneRowPerLineThenThePerCpuRows() {
        InterruptSnapshot snapshot = new InterruptSnapshot("plic+clint", 2, List.of(
                new InterruptSnapshot.Line(10, new long[] {12, 0}, Trigger.LEVEL, false, List.of("uart0")),
                new InterruptSnapshot.Line(32, new long[] {3, 1234567}, Trigger.LEVEL, true,
                        List.of("virtio-net", "nvme0"))),
                new long[] {250, 249}, new long[] {1, 2}, new long[] {1, 2}, new long[] {0, 3}, new long[] {0, 0});
        assertEquals("""
                           CPU0       CPU1
                 10:         12          0  plic+clint   level          uart0
                 32:          3    1234567  plic+clint   level  masked  virtio-net, nvme0
                LOC:        250        249  timer interrupts
                IPI:          1          2  inter-processor interrupts
                CAL:          1          2  cross-call functions
                SPU:          0          3  spurious interrupts
                UNK:          0          0  unknown causes
                """, InterruptsCommand.render(snapshot));
    }

    @Test
    void argumentsAreRefused() {
        InterruptsCommand command = new InterruptsCommand(() -> {
            throw new AssertionError("not rendered");
        });
        CommandException e = assertThrows(CommandException.class,
                () -> command.execute(List.of("-a", "8"), new PrintWriter(new StringWriter())));
        assertEquals("takes no arguments, got '-a 8' (usage: interrupts)", e.getMessage());
        assertEquals("interrupts", command.name());
        assertEquals("interrupts", command.synopsis().split(" ")[0]);
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void countsTheRtcCrossCallsAndTicksOfARunningMachine(Architecture architecture) throws Exception {
        try (KernelOnMachine kernel = new KernelOnMachine(architecture)) {
            InterruptFramework framework = kernel.start();
            InterruptRegistration rtc = framework.request(
                    new InterruptRequest("rtc0", kernel.rtcLine(), Trigger.LEVEL, 1, 1), c -> kernel.clearRtc());
            kernel.raiseRtc();
            await("the RTC interrupt on CPU 1", () -> rtc.count(1) == 1);
            kernel.onCpu(0, cpu -> {
                kernel.timers.getFirst().oneShot(1_000);
                framework.runOn(KernelOnMachine.cpus(1), other -> { });
            });
            await("the tick on CPU 0", () -> framework.snapshot().timer()[0] == 1);
            StringWriter text = new StringWriter();
            new InterruptsCommand(framework::snapshot).execute(List.of(), new PrintWriter(text, true));
            String controller = kernel.controller.name();
            assertEquals("""
                               CPU0       CPU1
                    %3d:          0          1  %-12s level          rtc0
                    LOC:          1          0  timer interrupts
                    IPI:          0          1  inter-processor interrupts
                    CAL:          1          1  cross-call functions
                    SPU:          0          0  spurious interrupts
                    UNK:          0          0  unknown causes
                    """.formatted(kernel.rtcLine(), controller), text.toString());
        }
    }
}
