package org.astralisp.kernel.irq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.astralisp.hal.api.irq.Trigger;
import org.astralisp.kernel.api.irq.InterruptHandler;
import org.astralisp.kernel.api.irq.InterruptRegistration;
import org.astralisp.kernel.api.irq.InterruptRequest;
import org.astralisp.kernel.api.irq.InterruptRequestException;
import org.astralisp.machine.Architecture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Requests and line operations the framework refuses, each with its message; nothing is left half-done. */
class RequestValidationTest {

    private static final InterruptHandler NOTHING = cpu -> { };
    private static KernelOnMachine x86;
    private static KernelOnMachine riscv;

    @BeforeAll
    static void boot() throws InterruptedException {
        x86 = new KernelOnMachine(Architecture.X86_64);
        x86.start();
        riscv = new KernelOnMachine(Architecture.RISCV64);
        riscv.start();
    }

    @AfterAll
    static void powerOff() throws InterruptedException {
        x86.close();
        riscv.close();
    }

    private static String refusal(KernelOnMachine kernel, InterruptRequest request) {
        return assertThrows(InterruptRequestException.class, () -> kernel.framework.request(request, NOTHING))
                .getMessage();
    }

    @Test
    void aLineTheControllerDoesNotHave() {
        assertEquals("interrupt line 96 (virtio9): no such line: plic+clint has lines 1..95",
                refusal(riscv, new InterruptRequest("virtio9", 96, Trigger.LEVEL, 1, 0)));
        assertEquals("interrupt line 0 (none): no such line: plic+clint has lines 1..95",
                refusal(riscv, new InterruptRequest("none", 0, Trigger.LEVEL, 1, 0)));
        assertEquals("interrupt line 24 (pirq): no such line: ioapic+lapic has lines 0..23",
                refusal(x86, new InterruptRequest("pirq", 24, Trigger.LEVEL, 1, 0)));
    }

    @Test
    void aPriorityOrCpuOutOfRangeOrAnEmptyName() {
        assertEquals("interrupt line 4 (uart0): priority 7 is outside 1..6",
                refusal(x86, new InterruptRequest("uart0", 4, Trigger.LEVEL, 7, 0)));
        assertEquals("interrupt line 4 (uart0): priority 0 is outside 1..6",
                refusal(x86, new InterruptRequest("uart0", 4, Trigger.LEVEL, 0, 0)));
        assertEquals("interrupt line 4 (uart0): CPU 2 does not exist (CPUs are 0..1)",
                refusal(x86, new InterruptRequest("uart0", 4, Trigger.LEVEL, 1, 2)));
        assertEquals("interrupt line 4 ( ): the name is empty; it is what 'interrupts' shows",
                refusal(x86, new InterruptRequest(" ", 4, Trigger.LEVEL, 1, 0)));
    }

    @Test
    void aTriggerTheControllerCannotDo() {
        assertEquals("interrupt line 10 (uart0): the controller refuses trigger EDGE: plic+clint: line 10 cannot be"
                + " made EDGE: PLIC gateways are fixed by the platform, and this one's are level-triggered",
                refusal(riscv, new InterruptRequest("uart0", 10, Trigger.EDGE, 1, 0)));
        assertEquals(0, riscv.framework.snapshot().lines().size(), "nothing requested");
    }

    @Test
    void anEdgeLineHasOneHandlerAndASharedLineOneTriggerPriorityAndCpu() {
        try (InterruptRegistration edge = x86.framework.request(new InterruptRequest("gpio", 20, Trigger.EDGE, 2, 1),
                NOTHING);
                InterruptRegistration level = x86.framework.request(
                        new InterruptRequest("pci-inta", 16, Trigger.LEVEL, 3, 0), NOTHING)) {
            assertEquals("interrupt line 20 (gpio2): an edge line has one handler, and gpio has it",
                    refusal(x86, new InterruptRequest("gpio2", 20, Trigger.EDGE, 2, 1)));
            assertEquals("interrupt line 20 (gpio2): trigger LEVEL differs from EDGE, the trigger of the line's"
                    + " handler gpio", refusal(x86, new InterruptRequest("gpio2", 20, Trigger.LEVEL, 2, 1)));
            assertEquals("interrupt line 16 (nvme): a shared line has one priority and CPU: it has priority 3 on"
                    + " CPU 0 (for pci-inta), the request asks for priority 2 on CPU 0",
                    refusal(x86, new InterruptRequest("nvme", 16, Trigger.LEVEL, 2, 0)));
            try (InterruptRegistration shared = x86.framework.request(
                    new InterruptRequest("nvme", 16, Trigger.LEVEL, 3, 0), NOTHING)) {
                assertEquals(16, shared.line());
            }
            assertEquals(edge.line(), 20);
            assertEquals(level.line(), 16);
        }
    }

    @Test
    void lineOperationsCheckTheirArgumentsAndAClosedRegistrationRefusesThem() {
        InterruptRegistration uart = x86.framework.request(new InterruptRequest("uart0", 4, Trigger.LEVEL, 1, 0),
                NOTHING);
        assertEquals("interrupt line 4 (uart0): CPU 5 does not exist (CPUs are 0..1)",
                assertThrows(InterruptRequestException.class, () -> uart.setAffinity(5)).getMessage());
        assertEquals("interrupt line 4 (uart0): priority 9 is outside 1..6",
                assertThrows(InterruptRequestException.class, () -> uart.setPriority(9)).getMessage());
        assertEquals("interrupt line 4 (uart0): CPU -1 does not exist (CPUs are 0..1)",
                assertThrows(IllegalArgumentException.class, () -> uart.count(-1)).getMessage());
        uart.close();
        assertEquals("uart0 on interrupt line 4: the registration is closed",
                assertThrows(IllegalStateException.class, uart::mask).getMessage());
        assertEquals(0, uart.count(0), "counts stay readable");
    }
}
