package org.astralisp.kernel.pci;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.astralisp.boot.spi.CommandException;
import org.astralisp.boot.spi.ConsoleCommand;
import org.astralisp.hal.api.pci.PciAddress;
import org.astralisp.hal.api.pci.PciBar;
import org.astralisp.hal.api.pci.PciBus;
import org.astralisp.hal.api.pci.PciDevice;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The console's {@code lspci}: one line per function, as pciutils' lspci
 * writes it with numeric ids ({@code 00:01.0 Unclassified device [00ff]: 1234:11e8 (rev 10)},
 * the revision only when non-zero); {@code -v} adds, tab-indented, the
 * subsystem, what the enumerator enabled, the interrupt and each memory BAR at
 * its CPU address ({@code Memory at c0000000 (32-bit, non-prefetchable) [size=1M]}),
 * with a blank line after each function; {@code -s bb:dd.f} shows one
 * function. Present exactly while a {@link PciBus} service is.
 */
@Component(service = ConsoleCommand.class)
public final class LspciCommand implements ConsoleCommand {

    static final String USAGE = "usage: lspci [-v] [-s bb:dd.f]";

    private final PciBus bus;

    @Activate
    public LspciCommand(@Reference PciBus bus) {
        this.bus = bus;
    }

    @Override
    public String name() {
        return "lspci";
    }

    @Override
    public String synopsis() {
        return "lspci [-v] [-s bb:dd.f]     PCI functions: ids and class; -v BARs, interrupt";
    }

    @Override
    public void execute(List<String> args, PrintWriter out) throws CommandException {
        boolean verbose = false;
        Optional<PciAddress> slot = Optional.empty();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("-v") && !verbose) {
                verbose = true;
            } else if (arg.equals("-s") && slot.isEmpty()) {
                if (i + 1 == args.size()) {
                    throw new CommandException("-s needs a function address bb:dd.f; " + USAGE);
                }
                slot = Optional.of(address(args.get(++i)));
            } else {
                throw new CommandException("unexpected argument \"" + arg + "\"; " + USAGE);
            }
        }
        List<PciDevice> devices = bus.devices();
        if (slot.isPresent()) {
            PciAddress wanted = slot.get();
            devices = List.of(bus.device(wanted).orElseThrow(
                    () -> new CommandException("no function at " + wanted)));
        }
        for (PciDevice device : devices) {
            out.println(summary(device));
            if (verbose) {
                details(device).forEach(line -> out.println("\t" + line));
                out.println();
            }
        }
    }

    private static PciAddress address(String text) throws CommandException {
        try {
            return PciAddress.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CommandException(e.getMessage());
        }
    }

    /** {@code 00:01.0 Unclassified device [00ff]: 1234:11e8 (rev 10)}. */
    static String summary(PciDevice device) {
        return String.format("%s %s [%04x]: %04x:%04x%s", device.address(), PciClassNames.name(device.baseAndSubclass()),
                device.baseAndSubclass(), device.vendorId(), device.deviceId(),
                device.revision() == 0 ? "" : String.format(" (rev %02x)", device.revision()));
    }

    static List<String> details(PciDevice device) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format("Subsystem: %04x:%04x", device.subsystemVendorId(), device.subsystemId()));
        if (device.memoryEnabled()) {
            lines.add("Flags: bus master, memory");
        }
        device.problem().ifPresent(problem -> lines.add("Disabled: " + problem));
        device.interrupt().ifPresent(interrupt -> lines.add(String.format("Interrupt: pin %c routed to IRQ %d (%s)",
                'A' + device.interruptPin() - 1, interrupt.cells().getFirst(), interrupt.controller().path())));
        for (PciBar bar : device.bars()) {
            lines.add(String.format("Memory at %s (%s, %s) [size=%s]",
                    bar.assigned() ? Long.toHexString(bar.cpuAddress()) : "<unassigned>",
                    bar.is64() ? "64-bit" : "32-bit", bar.prefetchable() ? "prefetchable" : "non-prefetchable",
                    PciBar.sizeText(bar.size())));
        }
        return lines;
    }
}
