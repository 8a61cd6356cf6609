package org.astralisp.hal.api.devicetree;

import java.util.List;

/**
 * One interrupt as its controller sees it (devicetree specification v0.4
 * §2.4.2): the controller's node and the specifier cells, whose meaning the
 * controller's binding defines (for the PLIC one cell, the source number; for
 * the I/O APIC and XIVE two, the input and the trigger type).
 *
 * @param controller the node with the {@code interrupt-controller} property
 * @param cells      {@code #interrupt-cells} of the controller, as unsigned 32-bit values; in every
 *                   binding AstraLisp uses the first is the interrupt number
 */
public record InterruptSpecifier(DeviceNode controller, List<Integer> cells) {

    public InterruptSpecifier {
        cells = List.copyOf(cells);
    }

    /** {@code 10 (/soc/plic@c000000)}: the cells in decimal, then the controller's path. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (int cell : cells) {
            text.append(Integer.toUnsignedString(cell)).append(' ');
        }
        return text.append('(').append(controller.path()).append(')').toString();
    }
}
