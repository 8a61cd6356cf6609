package org.astralisp.machine.devicetree;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A node of a device tree under construction: a name, properties in the order
 * they are added, and child nodes (devicetree spec v0.4 §2.2).
 *
 * <p>Invariants: the name is {@code node-name[@unit-address]} where
 * {@code node-name} is 1 to 31 characters of {@code [0-9a-zA-Z,._+-]} starting
 * with a letter and the unit address is non-empty (§2.2.1), except for the
 * root, whose name is empty; no two properties of a node share a name, nor do
 * two children (§2.2.1: siblings have unique names).
 */
public final class DeviceTreeNode {

    private static final int MAXIMUM_NODE_NAME_LENGTH = 31;

    private final String name;
    private final List<DeviceTreeProperty> properties = new ArrayList<>();
    private final List<DeviceTreeNode> children = new ArrayList<>();

    private DeviceTreeNode(String name) {
        this.name = name;
    }

    /** The root node, {@code /}. */
    public static DeviceTreeNode root() {
        return new DeviceTreeNode("");
    }

    /** {@code serial@10000000}, or the empty string for the root. */
    public String name() {
        return name;
    }

    public List<DeviceTreeProperty> properties() {
        return Collections.unmodifiableList(properties);
    }

    public List<DeviceTreeNode> children() {
        return Collections.unmodifiableList(children);
    }

    /**
     * Adds a child named {@code name} and returns it.
     *
     * @throws IllegalArgumentException if the name is not a node name or a
     *         sibling has it already
     */
    public DeviceTreeNode addChild(String name) {
        checkNodeName(name);
        for (DeviceTreeNode child : children) {
            if (child.name.equals(name)) {
                throw new IllegalArgumentException("node " + displayName() + " already has a child " + name);
            }
        }
        DeviceTreeNode child = new DeviceTreeNode(name);
        children.add(child);
        return child;
    }

    /**
     * Adds {@code property}; returns this node.
     *
     * @throws IllegalArgumentException if the node has a property of that name
     */
    public DeviceTreeNode add(DeviceTreeProperty property) {
        for (DeviceTreeProperty p : properties) {
            if (p.name().equals(property.name())) {
                throw new IllegalArgumentException("node " + displayName() + " already has a property "
                        + property.name());
            }
        }
        properties.add(property);
        return this;
    }

    /** Adds an empty (boolean) property. */
    public DeviceTreeNode flag(String property) {
        return add(DeviceTreeProperty.empty(property));
    }

    /** Adds a {@code <string>} or, given several, a {@code <stringlist>}. */
    public DeviceTreeNode string(String property, String... values) {
        return add(DeviceTreeProperty.strings(property, values));
    }

    /** Adds {@code <u32>} cells. */
    public DeviceTreeNode cells(String property, int... cells) {
        return add(DeviceTreeProperty.cells(property, cells));
    }

    /** Adds a {@code <prop-encoded-array>}. */
    public DeviceTreeNode cells(String property, PropEncodedArray cells) {
        return add(DeviceTreeProperty.cells(property, cells));
    }

    private String displayName() {
        return name.isEmpty() ? "/" : name;
    }

    private static void checkNodeName(String name) {
        int at = name.indexOf('@');
        String nodeName = at < 0 ? name : name.substring(0, at);
        String unitAddress = at < 0 ? null : name.substring(at + 1);
        boolean valid = !nodeName.isEmpty() && nodeName.length() <= MAXIMUM_NODE_NAME_LENGTH
                && Character.isLetter(nodeName.charAt(0)) && nodeName.chars().allMatch(DeviceTreeProperty::isNameCharacter)
                && (unitAddress == null
                        || (!unitAddress.isEmpty() && unitAddress.chars().allMatch(DeviceTreeProperty::isNameCharacter)));
        if (!valid) {
            throw new IllegalArgumentException("not a node name (devicetree spec v0.4 §2.2.1: a letter, then up to 30 "
                    + "of 0-9 a-z A-Z , . _ + -, then an optional @unit-address): '" + name + "'");
        }
    }
}
