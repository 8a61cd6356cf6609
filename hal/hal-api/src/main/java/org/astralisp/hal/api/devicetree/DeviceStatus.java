package org.astralisp.hal.api.devicetree;

/**
 * The operational status of a device, the {@code status} property
 * (devicetree specification v0.4 §2.3.4, Table 2.4). A driver binds only to
 * {@link #OKAY} devices.
 */
public enum DeviceStatus {
    /** {@code "okay"}: operational (also the meaning of a missing {@code status}). */
    OKAY,
    /** {@code "disabled"}: not operational now, but might become so (not plugged in, switched off). */
    DISABLED,
    /** {@code "reserved"}: operational, but in use by other software; do not bind. */
    RESERVED,
    /** {@code "fail"} or {@code "fail-sss"}: a serious error was detected; not operational. */
    FAIL;

    /** Decodes a {@code status} value; {@code "ok"}, an older spelling of okay, is accepted too. */
    static DeviceStatus of(DeviceProperty status) throws DevicePropertyException {
        String value = status.string();
        return switch (value) {
            case "okay", "ok" -> OKAY;
            case "disabled" -> DISABLED;
            case "reserved" -> RESERVED;
            default -> {
                if (value.equals("fail") || value.startsWith("fail-")) {
                    yield FAIL;
                }
                throw status.malformed("\"" + value + "\" is not okay, disabled, reserved, fail or fail-sss");
            }
        };
    }
}
