package org.astralisp.hal.api.devicetree;

import java.util.List;

/**
 * A node as the structure block spelled it, before it is linked into a
 * {@link DeviceTree}: the parser builds these bottom-up, the tree turns them
 * into {@link DeviceNode}s top-down so that each node can know its parent.
 *
 * @param name       the unit name (§2.2.1); empty for the root
 * @param path       the full path (§2.2.3)
 * @param properties in blob order
 * @param children   in blob order
 * @param phandle    the validated {@code phandle} (§2.3.3), or 0 when the node has none
 */
record ParsedNode(String name, String path, List<DeviceProperty> properties, List<ParsedNode> children,
                  int phandle) {
}
