package org.astralisp.machine.device.rtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.astralisp.machine.irq.TimerScheduler;
import org.astralisp.machine.port.IrqLine;
import org.astralisp.machine.port.MachineCheckException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The goldfish RTC's registers as Linux's rtc-goldfish driver uses them. */
class GoldfishRtcTest {

    private static final long SECOND = 1_000_000_000L;

    private final TimerScheduler timers = new TimerScheduler();
    private final Level line = new Level();
    private final GoldfishRtc rtc = new GoldfishRtc("rtc0", Clock.systemUTC(), line, timers);

    /** A level line that counts down a latch when raised. */
    private static final class Level implements IrqLine {
        final CountDownLatch raised = new CountDownLatch(1);
        volatile boolean asserted;

        @Override
        public void raise() {
            asserted = true;
            raised.countDown();
        }

        @Override
        public void lower() {
            asserted = false;
        }
    }

    @AfterEach
    void close() {
        timers.close();
    }

    private long time() {
        long low = rtc.read(GoldfishRtc.TIME_LOW, 4);
        return rtc.read(GoldfishRtc.TIME_HIGH, 4) << 32 | low;
    }

    private void armAlarm(long at) {
        rtc.write(GoldfishRtc.ALARM_HIGH, 4, at >>> 32);
        rtc.write(GoldfishRtc.ALARM_LOW, 4, at & 0xFFFF_FFFFL);
    }

    @Test
    void timeIsTheHostsWithinASecond() {
        long host = System.currentTimeMillis() * 1_000_000L;
        assertTrue(Math.abs(time() - host) < SECOND, "RTC " + time() + " host " + host);
    }

    @Test
    void readingTimeLowLatchesTimeHigh() {
        Clock fixed = Clock.fixed(Instant.ofEpochSecond(5_000_000_000L, 7), ZoneOffset.UTC);
        GoldfishRtc latched = new GoldfishRtc("rtc1", fixed, line, timers);
        long expected = 5_000_000_000L * SECOND + 7;
        assertEquals(0, latched.read(GoldfishRtc.TIME_HIGH, 4), "nothing latched yet");
        assertEquals(expected & 0xFFFF_FFFFL, latched.read(GoldfishRtc.TIME_LOW, 4));
        assertEquals(expected >>> 32, latched.read(GoldfishRtc.TIME_HIGH, 4));
    }

    @Test
    void writingTheTimeSetsItsOffsetFromTheHost() {
        long set = 1_000 * SECOND;
        rtc.write(GoldfishRtc.TIME_HIGH, 4, set >>> 32);
        rtc.write(GoldfishRtc.TIME_LOW, 4, set & 0xFFFF_FFFFL);
        long now = time();
        assertTrue(now >= set && now < set + SECOND, "time " + now);
    }

    @Test
    void alarmRaisesTheEnabledInterruptUntilCleared() throws InterruptedException {
        rtc.write(GoldfishRtc.IRQ_ENABLED, 4, 1);
        armAlarm(time() + 50_000_000L);
        assertEquals(1, rtc.read(GoldfishRtc.ALARM_STATUS, 4), "armed");
        assertFalse(line.asserted);
        assertTrue(line.raised.await(5, TimeUnit.SECONDS));
        assertEquals(0, rtc.read(GoldfishRtc.ALARM_STATUS, 4), "went off");
        rtc.write(GoldfishRtc.CLEAR_INTERRUPT, 4, 1);
        assertFalse(line.asserted);
    }

    @Test
    void alarmInThePastFiresAtOnce() {
        rtc.write(GoldfishRtc.IRQ_ENABLED, 4, 1);
        armAlarm(time() - SECOND);
        assertTrue(line.asserted);
    }

    @Test
    void disabledInterruptIsNotRaisedButStaysPending() {
        armAlarm(time() - SECOND);
        assertFalse(line.asserted);
        rtc.write(GoldfishRtc.IRQ_ENABLED, 4, 1);
        assertTrue(line.asserted);
        assertEquals(1, rtc.read(GoldfishRtc.IRQ_ENABLED, 4));
    }

    @Test
    void clearedAlarmDoesNotFire() throws InterruptedException {
        rtc.write(GoldfishRtc.IRQ_ENABLED, 4, 1);
        long at = time() + 50_000_000L;
        armAlarm(at);
        assertEquals(at, rtc.read(GoldfishRtc.ALARM_HIGH, 4) << 32 | rtc.read(GoldfishRtc.ALARM_LOW, 4));
        rtc.write(GoldfishRtc.CLEAR_ALARM, 4, 1);
        assertEquals(0, rtc.read(GoldfishRtc.ALARM_STATUS, 4));
        assertFalse(line.raised.await(200, TimeUnit.MILLISECONDS));
    }

    @Test
    void refusesOtherWidthsOffsetsAndDirections() {
        assertThrows(MachineCheckException.class, () -> rtc.read(0, 8));
        assertThrows(MachineCheckException.class, () -> rtc.read(2, 4));
        assertThrows(MachineCheckException.class, () -> rtc.read(0x20, 4));
        assertThrows(MachineCheckException.class, () -> rtc.read(GoldfishRtc.CLEAR_ALARM, 4));
        assertThrows(MachineCheckException.class, () -> rtc.read(GoldfishRtc.CLEAR_INTERRUPT, 4));
        assertThrows(MachineCheckException.class, () -> rtc.write(GoldfishRtc.ALARM_STATUS, 4, 0));
        assertEquals("rtc0", rtc.name());
        assertEquals(0x1000, rtc.size());
    }
}
