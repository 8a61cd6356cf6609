package org.astralisp.hal.api.devicetree;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A node of a {@link DeviceTree} (devicetree specification v0.4 §2.2): its
 * name, its place in the tree, its properties, and the decoding of the
 * standard properties (§2.3) that depend on other nodes — {@code reg} against
 * the parent's cell sizes, {@code ranges} up to the CPU's address space,
 * interrupts through the interrupt tree (§2.4).
 *
 * <p>Immutable, like the tree it belongs to. Accessors of a property throw
 * {@link DevicePropertyException} when the property is missing or malformed,
 * except where the specification defines a default ({@code status},
 * {@code #address-cells}, {@code #size-cells}).
 */
public final class DeviceNode {

    /** §2.3.5: the defaults a client assumes when a bus node does not say. */
    static final int DEFAULT_ADDRESS_CELLS = 2;
    static final int DEFAULT_SIZE_CELLS = 1;
    /** Addresses wider than 128 bits exist on no bus this parser knows (PCI uses 96). */
    static final int MAX_ADDRESS_CELLS = 4;
    /** Sizes are unsigned 64-bit values. */
    static final int MAX_SIZE_CELLS = 2;
    /** Interrupt specifiers in use have at most four cells (GICv3 with partitions). */
    static final int MAX_INTERRUPT_CELLS = 8;

    private final DeviceTree tree;
    private final DeviceNode parent;
    private final String name;
    private final String path;
    private final List<DeviceProperty> properties;
    private final Map<String, DeviceProperty> propertiesByName;
    private final List<DeviceNode> children;
    private final int phandle;

    DeviceNode(DeviceTree tree, DeviceNode parent, ParsedNode parsed) {
        this.tree = tree;
        this.parent = parent;
        this.name = parsed.name();
        this.path = parsed.path();
        this.properties = parsed.properties();
        Map<String, DeviceProperty> byName = new HashMap<>();
        parsed.properties().forEach(property -> byName.put(property.name(), property));
        this.propertiesByName = Map.copyOf(byName);
        this.phandle = parsed.phandle();
        this.children = parsed.children().stream().map(child -> new DeviceNode(tree, this, child)).toList();
    }

    /** The unit name, {@code node-name@unit-address} (§2.2.1); empty for the root. */
    public String name() {
        return name;
    }

    /** The node name without the unit address: {@code cpu} for {@code cpu@0}. */
    public String baseName() {
        int at = name.indexOf('@');
        return at < 0 ? name : name.substring(0, at);
    }

    /** The unit address as written in the name: {@code 0} for {@code cpu@0}. */
    public Optional<String> unitAddress() {
        int at = name.indexOf('@');
        return at < 0 ? Optional.empty() : Optional.of(name.substring(at + 1));
    }

    /** The full path (§2.2.3): {@code /} for the root, {@code /cpus/cpu@0} below it. */
    public String path() {
        return path;
    }

    /** The parent; empty for the root. */
    public Optional<DeviceNode> parent() {
        return Optional.ofNullable(parent);
    }

    /** The children, in blob order. */
    public List<DeviceNode> children() {
        return children;
    }

    /**
     * The child named {@code name}: the exact unit name, or a node name without
     * unit address when exactly one child has that node name (§2.2.3).
     */
    public Optional<DeviceNode> child(String name) {
        Optional<DeviceNode> exact = children.stream().filter(child -> child.name.equals(name)).findFirst();
        if (exact.isPresent() || name.indexOf('@') >= 0) {
            return exact;
        }
        List<DeviceNode> byBaseName = children.stream().filter(child -> child.baseName().equals(name)).toList();
        return byBaseName.size() == 1 ? Optional.of(byBaseName.getFirst()) : Optional.empty();
    }

    /** The properties, in blob order. */
    public List<DeviceProperty> properties() {
        return properties;
    }

    public Optional<DeviceProperty> findProperty(String name) {
        return Optional.ofNullable(propertiesByName.get(name));
    }

    public boolean hasProperty(String name) {
        return propertiesByName.containsKey(name);
    }

    /** The property {@code name}, which must be present. */
    public DeviceProperty property(String name) throws DevicePropertyException {
        DeviceProperty property = propertiesByName.get(name);
        if (property == null) {
            throw new DevicePropertyException(path, name, "missing");
        }
        return property;
    }

    /** §2.3.1 {@code compatible}: the binding names, most specific first. */
    public List<String> compatible() throws DevicePropertyException {
        return property("compatible").strings();
    }

    /**
     * Whether {@code compatible} lists {@code binding} (§2.3.1). A node with no
     * or a malformed {@code compatible} is compatible with nothing.
     */
    public boolean isCompatible(String binding) {
        DeviceProperty compatible = propertiesByName.get("compatible");
        return compatible != null && compatible.isStringList() && compatible.splitStrings().contains(binding);
    }

    /** §2.3.4 {@code status}; a node without one is {@link DeviceStatus#OKAY}. */
    public DeviceStatus status() throws DevicePropertyException {
        DeviceProperty status = propertiesByName.get("status");
        return status == null ? DeviceStatus.OKAY : DeviceStatus.of(status);
    }

    /** §2.3.3 {@code phandle}, validated by the parser. */
    public OptionalInt phandle() {
        return phandle == 0 ? OptionalInt.empty() : OptionalInt.of(phandle);
    }

    /** §2.3.5 {@code #address-cells}: cells of a child's address in {@code reg}; 2 when absent. */
    public int addressCells() throws DevicePropertyException {
        return cellCount("#address-cells", DEFAULT_ADDRESS_CELLS, MAX_ADDRESS_CELLS);
    }

    /** §2.3.5 {@code #size-cells}: cells of a child's size in {@code reg}; 1 when absent. */
    public int sizeCells() throws DevicePropertyException {
        return cellCount("#size-cells", DEFAULT_SIZE_CELLS, MAX_SIZE_CELLS);
    }

    /** §2.4.2.1 {@code #interrupt-cells}: cells of an interrupt specifier for this controller or nexus. */
    public int interruptCells() throws DevicePropertyException {
        return cellCount("#interrupt-cells", -1, MAX_INTERRUPT_CELLS);
    }

    /** §2.3.6 {@code reg}: (address, size) pairs in the parent bus's address space. */
    public List<RegEntry> reg() throws DevicePropertyException {
        return AddressTranslation.reg(this);
    }

    /** {@link #reg()} translated through the {@code ranges} of every ancestor to CPU physical addresses. */
    public List<AddressRange> physicalReg() throws DevicePropertyException {
        return AddressTranslation.physicalReg(this);
    }

    /**
     * §2.3.8 {@code ranges} of this bus node: how its children's addresses map
     * into its parent's. An empty list is the empty {@code ranges}: the two
     * address spaces are identical.
     */
    public List<RangesEntry> ranges() throws DevicePropertyException {
        return AddressTranslation.ranges(this);
    }

    /**
     * Translates {@code address}, an address on this bus (as a child's
     * {@code reg} would give it), to a CPU physical address through the
     * {@code ranges} of this node and of every ancestor (§2.3.8).
     */
    public long translateToPhysical(BusAddress address) throws DevicePropertyException {
        return AddressTranslation.toPhysical(this, address);
    }

    /**
     * The interrupt parent (§2.4.1): the node that {@code interrupt-parent}
     * names, or else the devicetree parent, repeated until a node with
     * {@code #interrupt-cells} is reached — so an {@code interrupt-parent}
     * on an ancestor is inherited.
     */
    public DeviceNode interruptParent() throws DevicePropertyException {
        return InterruptRouting.interruptParent(this);
    }

    /**
     * The interrupts this device generates, from {@code interrupts-extended}
     * or else {@code interrupts} (§2.4.1), each routed through any interrupt
     * nexus ({@code interrupt-map}, §2.4.3) to the interrupt controller that
     * receives it.
     */
    public List<InterruptSpecifier> interrupts() throws DevicePropertyException {
        return InterruptRouting.interrupts(this);
    }

    /**
     * Routes an interrupt of a child of this interrupt nexus through its
     * {@code interrupt-map} (§2.4.3) to the controller that receives it:
     * {@code unitAddress} has {@link #addressCells()} cells and
     * {@code specifier} {@link #interruptCells()} cells. This is how legacy PCI
     * INTx pins are routed: the unit address is the device's PCI address
     * {@code <phys.hi 0 0>} with bus, device and function in {@code phys.hi},
     * the specifier its pin (1 = INTA).
     *
     * @throws IllegalArgumentException if the cell counts are not this node's
     */
    public InterruptSpecifier mapInterrupt(BusAddress unitAddress, List<Integer> specifier)
            throws DevicePropertyException {
        return InterruptRouting.mapInterrupt(this, unitAddress, specifier);
    }

    @Override
    public String toString() {
        return path;
    }

    DeviceTree tree() {
        return tree;
    }

    /** A cell count property; {@code defaultValue} -1 when the property has no default. */
    private int cellCount(String property, int defaultValue, int max) throws DevicePropertyException {
        DeviceProperty cells = propertiesByName.get(property);
        if (cells == null) {
            if (defaultValue < 0) {
                throw new DevicePropertyException(path, property, "missing");
            }
            return defaultValue;
        }
        long value = Integer.toUnsignedLong(cells.u32());
        if (value > max) {
            throw cells.malformed(value + " is more than the " + max + " cells supported");
        }
        return (int) value;
    }
}
