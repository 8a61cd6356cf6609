/**
 * The hardware boundary (ARCHITECTURE §1): what the OS sees of the machine.
 * A driver never holds a Java reference to a device model: it finds its device
 * in the device tree ({@link org.astralisp.machine.port.Firmware}), maps its
 * registers ({@link org.astralisp.machine.port.MmioSpace}), places descriptors
 * and buffers in guest RAM ({@link org.astralisp.machine.port.PhysicalMemory})
 * and learns of completion by interrupt ({@link org.astralisp.machine.port.Cpu}).
 * Exported to Felix as version 1.0.0.
 */
package org.astralisp.machine.port;
