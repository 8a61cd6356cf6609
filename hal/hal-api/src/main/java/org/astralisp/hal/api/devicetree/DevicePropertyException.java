package org.astralisp.hal.api.devicetree;

/**
 * A property that is missing, or whose value does not have the encoding its
 * binding requires (devicetree specification v0.4 §2.2.4, §2.3, §2.4). The
 * message is {@code /node/path: property: what is wrong}.
 */
public final class DevicePropertyException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String nodePath;
    private final String property;

    DevicePropertyException(String nodePath, String property, String problem) {
        super(nodePath + ": " + property + ": " + problem);
        this.nodePath = nodePath;
        this.property = property;
    }

    /** The full path of the node the property belongs to. */
    public String nodePath() {
        return nodePath;
    }

    /** The name of the property that is missing or malformed. */
    public String property() {
        return property;
    }
}
