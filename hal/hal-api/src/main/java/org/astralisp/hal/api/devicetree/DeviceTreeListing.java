package org.astralisp.hal.api.devicetree;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The device tree as the monitor's {@code devices} command prints it: one line
 * per node, indented two spaces per level, with the properties that say what
 * a device is and where it sits — {@code compatible}, {@code reg} (in the
 * parent bus's addresses), the interrupts routed to their controllers, and
 * {@code status} when the node has one:
 *
 * <pre>
 * /  compatible="astralisp,riscv64-virt"
 *   soc  compatible="simple-bus"
 *     serial@10000000  compatible="ns16550a"  reg=0x10000000+0x100  interrupts=10 (/soc/plic@c000000)
 * </pre>
 *
 * A property that cannot be decoded is shown as {@code <error: why>} in its
 * place, so one bad node does not hide the rest of the tree.
 */
public final class DeviceTreeListing {

    private DeviceTreeListing() {
    }

    /** The listing, one line per node, each ending with a newline. */
    public static String render(DeviceTree tree) {
        StringBuilder out = new StringBuilder();
        render(tree.root(), 0, out);
        return out.toString();
    }

    private static void render(DeviceNode node, int depth, StringBuilder out) {
        out.append("  ".repeat(depth)).append(node.parent().isEmpty() ? "/" : node.name());
        if (node.hasProperty("compatible")) {
            field(out, "compatible", () -> node.compatible().stream()
                    .map(binding -> '"' + binding + '"').collect(Collectors.joining(",")));
        }
        if (node.hasProperty("reg")) {
            field(out, "reg", () -> join(node.reg()));
        }
        if (node.hasProperty("interrupts") || node.hasProperty("interrupts-extended")) {
            field(out, "interrupts", () -> join(node.interrupts()));
        }
        if (node.hasProperty("status")) {
            field(out, "status", () -> node.status().name().toLowerCase(Locale.ROOT));
        }
        out.append('\n');
        for (DeviceNode child : node.children()) {
            render(child, depth + 1, out);
        }
    }

    /** A decoded value, or why it could not be decoded. */
    private interface Value {
        String text() throws DevicePropertyException;
    }

    private static void field(StringBuilder out, String name, Value value) {
        out.append("  ").append(name).append('=');
        try {
            out.append(value.text());
        } catch (DevicePropertyException e) {
            out.append("<error: ").append(e.getMessage()).append('>');
        }
    }

    private static String join(List<?> values) {
        return values.stream().map(Object::toString).collect(Collectors.joining(", "));
    }
}
