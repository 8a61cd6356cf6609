package org.astralisp.kernel.api.irq;

import java.util.Objects;
import org.astralisp.hal.api.irq.Trigger;

/**
 * What a driver asks for when it installs a handler.
 *
 * @param name who handles the line, as {@code interrupts} shows it ({@code uart0}, {@code virtio-rng})
 * @param line the controller line, from the device's interrupt specifier
 * @param trigger how the line signals
 * @param priority {@code 1..maxPriority()}
 * @param cpu the CPU it is delivered to (affinity)
 */
public record InterruptRequest(String name, int line, Trigger trigger, int priority, int cpu) {

    public InterruptRequest {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(trigger, "trigger");
    }
}
