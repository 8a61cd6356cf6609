package org.astralisp.machine.irq.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.astralisp.machine.irq.TestCpu;
import org.astralisp.machine.port.MachineCheckException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LocalApicPageTest {

    private final ApicFixture machine = new ApicFixture();
    private final LocalApicPage page = machine.platform.localApicPage();

    @AfterEach
    void close() {
        machine.close();
    }

    @Test
    void anAccessReachesTheApicOfTheCpuThatMakesIt() {
        machine.writeApic(1, LocalApic.TPR, 0x20);
        assertEquals(0x20, machine.readApic(1, LocalApic.TPR));
        assertEquals(0, machine.readApic(0, LocalApic.TPR));
    }

    @Test
    void isOnePageNamedLapic() {
        assertEquals(0x1000, page.size());
        assertEquals("lapic", page.name());
    }

    @Test
    void anAccessFromAThreadThatIsNoVcpuIsAMachineCheck() {
        machine.currentCpu.set(-1);
        MachineCheckException e = assertThrows(MachineCheckException.class, () -> page.read(LocalApic.ID, 4));
        assertTrue(e.getMessage().contains("is no vCPU"), e.getMessage());
        machine.currentCpu.set(5);
        assertThrows(MachineCheckException.class, () -> page.write(LocalApic.TPR, 4, 0));
    }

    @Test
    void accessesThatAreNot32BitsAt16ByteBoundariesAreMachineChecks() {
        machine.currentCpu.set(0);
        assertThrows(MachineCheckException.class, () -> page.read(LocalApic.ID, 8));
        assertThrows(MachineCheckException.class, () -> page.read(LocalApic.ID + 4, 4));
        assertThrows(MachineCheckException.class, () -> page.write(LocalApic.TPR, 1, 0));
        assertThrows(MachineCheckException.class, () -> page.read(0x1000, 4));
        assertThrows(MachineCheckException.class, () -> page.write(-16, 4, 0));
    }

    @Test
    void thePlatformMapsTheApicPageAndTheIoApicAtTheirArchitecturalAddresses() {
        assertEquals(LocalApicPage.DEFAULT_BASE, machine.platform.mmio().get(0).base());
        assertEquals(page, machine.platform.mmio().get(0).device());
        assertEquals(IoApic.DEFAULT_BASE, machine.platform.mmio().get(1).base());
    }

    @Test
    void apicIdsMustFitTheBusAndBeUnique() {
        ApicBus bus = new ApicBus();
        bus.attach(machine.platform.localApic(0));
        assertThrows(IllegalArgumentException.class, () -> bus.attach(machine.platform.localApic(0)));
        assertThrows(IllegalArgumentException.class, () -> new LocalApic(new TestCpu(255), bus, machine.timers,
                null, null, machine.platform.counters()));
    }

    @Test
    void apicIdsMustBeTheCpuNumbersEachOnce() {
        LocalApic apic = machine.platform.localApic(1);
        assertThrows(IllegalArgumentException.class, () -> new LocalApicPage(List.of(apic), () -> 0));
        assertThrows(IllegalArgumentException.class,
                () -> new ApicPlatform(List.of(new TestCpu(1)), machine.timers, () -> 0));
    }
}
