package org.astralisp.machine.irq.x86;

import java.util.Arrays;

import org.astralisp.machine.bus.MmioDevice;
import org.astralisp.machine.irq.RegisterFaults;
import org.astralisp.machine.port.IrqLine;

/**
 * An I/O APIC after the Intel 82093AA datasheet: 24 interrupt input pins, each with a
 * redirection table entry that turns it into a fixed interrupt message to a local APIC.
 *
 * <p>Registers: IOREGSEL at 0x00 selects an indirect register, IOWIN at 0x10 reads or writes it;
 * both 32 bits wide. Indirect registers: 0x00 IOAPICID (ID in bits 27:24), 0x01 IOAPICVER
 * (read-only: version 0x11, maximum redirection entry 23 in bits 23:16), 0x02 IOAPICARB
 * (read-only: arbitration ID = ID), 0x10 + 2n / 0x11 + 2n the low / high half of redirection
 * entry n. An entry: vector 7:0, delivery mode 10:8 (only 000 fixed is modelled), destination
 * mode 11 (only 0 physical), delivery status 12 (read-only, always 0: delivery is synchronous),
 * polarity 13 (kept for the driver; {@link IrqLine#raise()} is the asserted state whatever it
 * says), remote IRR 14 (read-only), trigger mode 15 (1 level), mask 16 (1 masked, the reset
 * state), destination APIC ID 63:56 (0xFF: all).
 *
 * <p>Edge pins send one message per rising edge while unmasked; an edge on a masked pin is lost.
 * Level pins send a message while asserted, unmasked and remote IRR is clear, and set remote IRR
 * when a local APIC accepts it; an EOI broadcast for the entry's vector clears remote IRR, and a
 * pin still asserted then sends again. Messages that no APIC accepts are dropped.
 *
 * <p>Locking: state is guarded by this object's monitor, held while messages go to the local
 * APICs (the lock order is I/O APIC → local APIC). {@link #deliveries(int)} counts messages
 * accepted per pin.
 */
public final class IoApic implements MmioDevice {

    /** The conventional guest-physical base of the first I/O APIC. */
    public static final long DEFAULT_BASE = 0xFEC0_0000L;
    /** The number of input pins. */
    public static final int PINS = 24;

    static final int IOREGSEL = 0x00;
    static final int IOWIN = 0x10;
    static final int REGISTER_ID = 0x00;
    static final int REGISTER_VERSION = 0x01;
    static final int REGISTER_ARBITRATION = 0x02;
    static final int REGISTER_REDIRECTION = 0x10;
    static final int VERSION_VALUE = ((PINS - 1) << 16) | 0x11;

    static final int VECTOR = 0xFF;
    static final int REMOTE_IRR = 1 << 14;
    static final int LEVEL_TRIGGERED = 1 << 15;
    static final int MASKED = 1 << 16;

    private static final String NAME = "ioapic";
    private static final long SIZE = 0x20;
    private static final int LOW_WRITABLE = 0x0001_AFFF;
    private static final int HIGH_WRITABLE = 0xFF00_0000;
    private static final int ID_WRITABLE = 0x0F00_0000;

    private final ApicBus bus;
    private final long[] deliveries = new long[PINS];
    private final int[] low = new int[PINS];
    private final int[] high = new int[PINS];
    private final boolean[] asserted = new boolean[PINS];
    private final boolean[] wired = new boolean[PINS];
    private int select;
    private int id;

    /** An I/O APIC sending on {@code bus}; the caller attaches it to the bus. */
    public IoApic(ApicBus bus) {
        this.bus = bus;
        Arrays.fill(low, MASKED);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long size() {
        return SIZE;
    }

    /**
     * The line into pin {@code pin}, for the one device wired to it.
     *
     * @throws IllegalArgumentException if there is no such pin or it is wired already
     */
    public synchronized IrqLine line(int pin) {
        if (pin < 0 || pin >= PINS) {
            throw new IllegalArgumentException("I/O APIC pin " + pin + " is not in 0.." + (PINS - 1));
        }
        if (wired[pin]) {
            throw new IllegalArgumentException("I/O APIC pin " + pin + " is wired already");
        }
        wired[pin] = true;
        return new Pin(pin);
    }

    /** How many interrupt messages pin {@code pin} delivered. */
    public synchronized long deliveries(int pin) {
        return deliveries[pin];
    }

    @Override
    public synchronized long read(long offset, int width) {
        checkAccess(offset, width, false);
        return Integer.toUnsignedLong(offset == IOREGSEL ? select : readIndirect());
    }

    @Override
    public synchronized void write(long offset, int width, long value) {
        checkAccess(offset, width, true);
        if (offset == IOREGSEL) {
            select = (int) value & 0xFF;
        } else {
            writeIndirect((int) value);
        }
    }

    /** An EOI broadcast from a local APIC: clears remote IRR of level entries with {@code vector}. */
    synchronized void endOfInterrupt(int vector) {
        for (int pin = 0; pin < PINS; pin++) {
            if ((low[pin] & REMOTE_IRR) != 0 && (low[pin] & VECTOR) == vector) {
                low[pin] &= ~REMOTE_IRR;
                deliverLevel(pin);
            }
        }
    }

    private void checkAccess(long offset, int width, boolean write) {
        if (offset != IOREGSEL && offset != IOWIN) {
            throw RegisterFaults.noRegister(NAME, write, offset, width);
        }
        if (width != 4) {
            throw RegisterFaults.badWidth(NAME, write, offset, width, "IOREGSEL and IOWIN are 32-bit registers");
        }
    }

    private int readIndirect() {
        return switch (select) {
            case REGISTER_ID -> id;
            case REGISTER_VERSION -> VERSION_VALUE;
            case REGISTER_ARBITRATION -> id;
            default -> {
                int pin = redirectionPin(false);
                yield (select & 1) == 0 ? low[pin] : high[pin];
            }
        };
    }

    private void writeIndirect(int value) {
        switch (select) {
            case REGISTER_ID -> id = value & ID_WRITABLE;
            case REGISTER_VERSION, REGISTER_ARBITRATION -> throw RegisterFaults.readOnly(NAME, IOWIN, 4,
                    String.format("indirect register 0x%02x", select));
            default -> {
                int pin = redirectionPin(true);
                if ((select & 1) == 0) {
                    writeLow(pin, value);
                } else {
                    high[pin] = value & HIGH_WRITABLE;
                }
                deliverLevel(pin);
            }
        }
    }

    private int redirectionPin(boolean write) {
        int pin = (select - REGISTER_REDIRECTION) >> 1;
        if (select < REGISTER_REDIRECTION || pin >= PINS) {
            throw RegisterFaults.noRegister(NAME + String.format(" (IOREGSEL 0x%02x)", select), write, IOWIN, 4);
        }
        return pin;
    }

    private void writeLow(int pin, int value) {
        int deliveryMode = (value >>> 8) & 7;
        if (deliveryMode != 0) {
            throw RegisterFaults.refused(NAME, IOWIN, 4, "redirection entry " + pin + ": delivery mode "
                    + deliveryMode + " is not modelled (only 0, fixed)");
        }
        if ((value & (1 << 11)) != 0) {
            throw RegisterFaults.refused(NAME, IOWIN, 4, "redirection entry " + pin
                    + ": logical destination mode is not modelled");
        }
        int remoteIrr = (value & LEVEL_TRIGGERED) != 0 ? low[pin] & REMOTE_IRR : 0;
        low[pin] = (value & LOW_WRITABLE) | remoteIrr;
    }

    private void setLine(int pin, boolean level) {
        boolean rising = level && !asserted[pin];
        asserted[pin] = level;
        if ((low[pin] & LEVEL_TRIGGERED) != 0) {
            deliverLevel(pin);
        } else if (rising && (low[pin] & MASKED) == 0) {
            send(pin, false);
        }
    }

    /** Sends a level pin's message if it is asserted, unmasked and not awaiting EOI. */
    private void deliverLevel(int pin) {
        int entry = low[pin];
        if ((entry & LEVEL_TRIGGERED) == 0 || (entry & (MASKED | REMOTE_IRR)) != 0 || !asserted[pin]) {
            return;
        }
        if (send(pin, true)) {
            low[pin] |= REMOTE_IRR;
        }
    }

    private boolean send(int pin, boolean level) {
        boolean accepted = bus.send(high[pin] >>> 24, low[pin] & VECTOR, level);
        if (accepted) {
            deliveries[pin]++;
        }
        return accepted;
    }

    /** One input pin as a device sees it. */
    private final class Pin implements IrqLine {

        private final int pin;

        Pin(int pin) {
            this.pin = pin;
        }

        @Override
        public void raise() {
            synchronized (IoApic.this) {
                setLine(pin, true);
            }
        }

        @Override
        public void lower() {
            synchronized (IoApic.this) {
                setLine(pin, false);
            }
        }
    }
}
