package org.astralisp.kernel.devicetree;

import java.io.PrintWriter;
import java.util.List;
import org.astralisp.boot.spi.CommandException;
import org.astralisp.boot.spi.ConsoleCommand;
import org.astralisp.hal.api.devicetree.DeviceTree;
import org.astralisp.hal.api.devicetree.DeviceTreeListing;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The console's {@code devices}: the device tree, one node a line, indented by depth, with its
 * {@code compatible}, {@code reg}, routed interrupts and {@code status} ({@link DeviceTreeListing}).
 * Present exactly while a {@link DeviceTree} service is.
 */
@Component(service = ConsoleCommand.class)
public final class DevicesCommand implements ConsoleCommand {

    private final DeviceTree tree;

    @Activate
    public DevicesCommand(@Reference DeviceTree tree) {
        this.tree = tree;
    }

    @Override
    public String name() {
        return "devices";
    }

    @Override
    public String synopsis() {
        return "devices                    the device tree, indented: compatible, reg, interrupts, status";
    }

    @Override
    public void execute(List<String> args, PrintWriter out) throws CommandException {
        if (!args.isEmpty()) {
            throw new CommandException("usage: devices");
        }
        DeviceTreeListing.render(tree).lines().forEach(out::println);
    }
}
