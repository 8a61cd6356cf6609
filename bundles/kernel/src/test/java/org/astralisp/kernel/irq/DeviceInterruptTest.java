package org.astralisp.kernel.irq;

import static org.astralisp.kernel.irq.KernelOnMachine.await;
import static org.astralisp.kernel.irq.KernelOnMachine.settle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.astralisp.hal.api.devicetree.AddressRange;
import org.astralisp.hal.api.devicetree.PlatformDevices;
import org.astralisp.hal.api.irq.Trigger;
import org.astralisp.kernel.api.irq.InterruptRegistration;
import org.astralisp.kernel.api.irq.InterruptRequest;
import org.astralisp.kernel.testing.KernelLog;
import org.astralisp.machine.Architecture;
import org.astralisp.machine.port.Mmio;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A real device's line end to end on each machine: the goldfish RTC's alarm
 * through the I/O APIC, PLIC or XIVE and the real HAL driver to the handler,
 * counted on the CPU it was delivered to; masking, affinity, priority against
 * the threshold, a shared level line, a handler that throws.
 */
class DeviceInterruptTest {

    private static final int UART_IER = 1;
    private static final int UART_IIR = 2;

    private KernelOnMachine kernel;
    private final List<String> handledOn = new CopyOnWriteArrayList<>();

    private InterruptFramework boot(Architecture architecture) throws InterruptedException {
        kernel = new KernelOnMachine(architecture);
        return kernel.start();
    }

    @AfterEach
    void powerOff() throws InterruptedException {
        kernel.close();
    }

    /** The RTC's handler: lowers the line and notes the thread it ran on. */
    private InterruptRegistration requestRtc(InterruptFramework framework, int priority, int cpu) {
        return framework.request(new InterruptRequest("rtc0", kernel.rtcLine(), Trigger.LEVEL, priority, cpu), c -> {
            kernel.clearRtc();
            handledOn.add(c + ":" + Thread.currentThread().getName());
        });
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void theRtcAlarmReachesItsHandlerOnCpu0AndIsCountedThere(Architecture architecture) throws Exception {
        InterruptRegistration rtc = requestRtc(boot(architecture), 1, 0);
        kernel.raiseRtc();
        await("the RTC interrupt on CPU 0", () -> rtc.count(0) == 1);
        settle();
        assertEquals(List.of("0:vcpu0"), handledOn);
        assertEquals(1, rtc.count(0));
        assertEquals(0, rtc.count(1));
        assertEquals(kernel.rtcLine(), rtc.line());
    }

    /**
     * The 16550's THR-empty interrupt (PC16550D: IER bit 1 raises it at once
     * with an empty transmitter; reading IIR while it is the source clears it)
     * on the UART's line: I/O APIC pin 4, PLIC/XIVE source 10, routed to CPU 1.
     */
    @ParameterizedTest
    @EnumSource(Architecture.class)
    void theUartsTransmitterEmptyInterruptReachesItsHandlerOnCpu1(Architecture architecture) throws Exception {
        InterruptFramework framework = boot(architecture);
        AddressRange registers = PlatformDevices.of(kernel.machine.firmware().deviceTree()).registers("ns16550a");
        Mmio uart = kernel.machine.mmio().map(registers.address(), registers.size());
        int line = architecture == Architecture.X86_64 ? 4 : 10;
        List<Integer> iir = new CopyOnWriteArrayList<>();
        InterruptRegistration registration = framework.request(new InterruptRequest("uart0", line, Trigger.LEVEL, 1, 1),
                cpu -> {
                    iir.add(uart.read8(UART_IIR) & 0x0F);
                    uart.write8(UART_IER, 0);
                });
        uart.write8(UART_IER, 0x02);
        await("the THR-empty interrupt on CPU 1", () -> iir.size() == 1);
        settle();
        assertEquals(List.of(0x02), iir, "IIR: THR empty");
        assertEquals(1, registration.count(1));
        assertEquals(0, registration.count(0));
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void aMaskedLineHoldsTheAlarmUntilUnmasked(Architecture architecture) throws Exception {
        InterruptRegistration rtc = requestRtc(boot(architecture), 1, 0);
        rtc.mask();
        kernel.raiseRtc();
        settle();
        assertEquals(0, rtc.count(0), "delivered while masked");
        rtc.unmask();
        await("the held RTC interrupt after unmask", () -> rtc.count(0) == 1);
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void affinityMovesTheLineToCpu1(Architecture architecture) throws Exception {
        InterruptRegistration rtc = requestRtc(boot(architecture), 1, 0);
        rtc.setAffinity(1);
        kernel.raiseRtc();
        await("the RTC interrupt on CPU 1", () -> rtc.count(1) == 1);
        settle();
        assertEquals(0, rtc.count(0));
        assertEquals(List.of("1:vcpu1"), handledOn);
    }

    /**
     * The priority is raised before the alarm, not while it is held: on x86 a
     * held interrupt already sits in the local APIC's IRR with its old vector
     * (the priority's class), which a new redirection entry does not change.
     */
    @ParameterizedTest
    @EnumSource(Architecture.class)
    void aThresholdAtTheLinesPriorityHoldsItBackAndAHigherPriorityPasses(Architecture architecture)
            throws Exception {
        InterruptFramework framework = boot(architecture);
        InterruptRegistration rtc = requestRtc(framework, 1, 0);
        framework.setThreshold(0, 1);
        assertEquals(1, framework.threshold(0));
        kernel.raiseRtc();
        settle();
        assertEquals(0, rtc.count(0), "priority 1 delivered through threshold 1");
        framework.setThreshold(0, 0);
        await("the RTC interrupt once the threshold is 0", () -> handledOn.size() == 1);
        framework.setThreshold(0, 1);
        rtc.setPriority(2);
        kernel.raiseRtc();
        await("the RTC interrupt at priority 2 above threshold 1", () -> rtc.count(0) == 2);
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void everyHandlerOfASharedLevelLineIsCalled(Architecture architecture) throws Exception {
        InterruptFramework framework = boot(architecture);
        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();
        InterruptRegistration one = framework.request(
                new InterruptRequest("rtc-status", kernel.rtcLine(), Trigger.LEVEL, 1, 0), c -> first.incrementAndGet());
        InterruptRegistration two = framework.request(
                new InterruptRequest("rtc0", kernel.rtcLine(), Trigger.LEVEL, 1, 0), c -> {
                    kernel.clearRtc();
                    second.incrementAndGet();
                });
        kernel.raiseRtc();
        await("both handlers", () -> second.get() == 1);
        settle();
        assertEquals(1, first.get());
        assertEquals(1, one.count(0), "one interrupt of the line, counted once");
        assertEquals(1, two.count(0));
        one.close();
        one.close();
        kernel.raiseRtc();
        await("the remaining handler", () -> second.get() == 2);
        assertEquals(1, first.get(), "a closed handler is not called");
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void aHandlerThatThrowsIsLoggedOncePerBurstAndTheLineGoesOn(Architecture architecture) throws Exception {
        InterruptFramework framework = boot(architecture);
        AtomicInteger calls = new AtomicInteger();
        try (KernelLog log = KernelLog.of(LineTable.class)) {
            InterruptRegistration rtc = framework.request(
                    new InterruptRequest("rtc0", kernel.rtcLine(), Trigger.LEVEL, 1, 0), c -> {
                        kernel.clearRtc();
                        if (calls.incrementAndGet() <= 2) {
                            throw new IllegalStateException("driver bug " + calls.get());
                        }
                    });
            // Waits for the handler's call, which comes after it cleared the RTC: a new alarm raised
            // before that clear would be cleared with it.
            kernel.raiseRtc();
            await("the first failing interrupt", () -> calls.get() == 1);
            kernel.raiseRtc();
            await("the second failing interrupt", () -> calls.get() == 2);
            kernel.raiseRtc();
            await("an interrupt that goes well", () -> calls.get() == 3);
            await("three interrupts counted", () -> rtc.count(0) == 3);
            List<ILoggingEvent> errors = log.events().stream().filter(e -> e.getLevel() == Level.ERROR).toList();
            assertEquals(1, errors.size(), "one ERROR for the burst of two failures: " + errors);
            assertTrue(errors.getFirst().getFormattedMessage().startsWith("interrupt line " + kernel.rtcLine()
                    + " (rtc0): handler rtc0 threw on CPU 0"), errors.getFirst().getFormattedMessage());
            assertEquals("driver bug 1", errors.getFirst().getThrowableProxy().getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void theLastHandlerToCloseMasksTheLine(Architecture architecture) throws Exception {
        InterruptFramework framework = boot(architecture);
        InterruptRegistration rtc = requestRtc(framework, 1, 0);
        rtc.close();
        kernel.raiseRtc();
        settle();
        assertEquals(List.of(), handledOn);
        assertEquals(0, framework.snapshot().spurious()[0], "a masked line is not even claimed");
        InterruptRegistration again = requestRtc(framework, 1, 1);
        await("the held alarm, for the new handler on CPU 1", () -> again.count(1) == 1);
    }
}
