package org.astralisp.boot;

import java.util.Dictionary;
import java.util.Hashtable;
import org.astralisp.boot.spi.CommandException;
import org.astralisp.boot.spi.ConsoleCommand;
import org.astralisp.machine.Machine;
import org.astralisp.machine.port.Cpu;
import org.astralisp.machine.port.Firmware;
import org.astralisp.machine.port.MmioSpace;
import org.astralisp.machine.port.PhysicalMemory;
import org.osgi.framework.BundleContext;

/**
 * Hands the hardware to the OS (ARCHITECTURE §1): the machine's ports become
 * services of the system bundle, which drivers and the kernel reference through
 * Declarative Services. Nothing else of the machine crosses into Felix.
 */
final class MachinePorts {

    /** The service property naming the machine's architecture on {@link Firmware}. */
    static final String ARCH = "arch";
    /** The service property naming a {@link Cpu}'s number. */
    static final String CPU_ID = "cpu.id";

    private MachinePorts() {
    }

    static void register(BundleContext system, Machine machine) {
        system.registerService(PhysicalMemory.class, machine.memory(), null);
        system.registerService(MmioSpace.class, machine.mmio(), null);
        // The arch property lets exactly the matching HAL bundle's components bind (target "(arch=…)").
        Dictionary<String, Object> firmware = new Hashtable<>();
        firmware.put(ARCH, machine.description().architecture().toString());
        system.registerService(Firmware.class, machine.firmware(), firmware);
        for (Cpu cpu : machine.cpus()) {
            Dictionary<String, Object> properties = new Hashtable<>();
            properties.put(CPU_ID, cpu.id());
            system.registerService(Cpu.class, cpu, properties);
        }
    }

    /** {@code machine}: what the hardware is. */
    static ConsoleCommand machineCommand(Machine machine) {
        return ConsoleCommand.of("machine", "machine                    the hardware: arch, cpus, memory, page size, "
                + "interrupt controller, timer", (args, out) -> {
                    if (!args.isEmpty()) {
                        throw new CommandException("usage: machine");
                    }
                    machine.description().lines().forEach(out::println);
                });
    }
}
