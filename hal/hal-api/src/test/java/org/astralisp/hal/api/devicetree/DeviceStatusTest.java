package org.astralisp.hal.api.devicetree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code status} (devicetree specification v0.4 §2.3.4). */
class DeviceStatusTest {

    private static DeviceNode withStatus(byte[] value) throws DeviceTreeFormatException {
        FdtWriter writer = new FdtWriter().beginNode("").beginNode("dev");
        if (value != null) {
            writer.property("status", value);
        }
        return FlattenedDeviceTree.parse(writer.endNode().endNode().end().build()).node("/dev").orElseThrow();
    }

    private static DeviceStatus status(String value) throws Exception {
        return withStatus((value + "\0").getBytes(StandardCharsets.US_ASCII)).status();
    }

    @Test
    void aNodeWithoutStatusIsOkay() throws Exception {
        assertEquals(DeviceStatus.OKAY, withStatus(null).status());
    }

    @Test
    void decodesEveryValueOfTable2_4() throws Exception {
        assertEquals(DeviceStatus.OKAY, status("okay"));
        assertEquals(DeviceStatus.DISABLED, status("disabled"));
        assertEquals(DeviceStatus.RESERVED, status("reserved"));
        assertEquals(DeviceStatus.FAIL, status("fail"));
        assertEquals(DeviceStatus.FAIL, status("fail-overheat"));
    }

    @Test
    void acceptsTheOlderSpellingOk() throws Exception {
        assertEquals(DeviceStatus.OKAY, status("ok"));
    }

    @Test
    void refusesAnUnknownStatus() {
        DevicePropertyException e = assertThrows(DevicePropertyException.class, () -> status("broken"));
        assertEquals("/dev: status: \"broken\" is not okay, disabled, reserved, fail or fail-sss", e.getMessage());
    }

    @Test
    void refusesAStatusThatIsNotAString() {
        DevicePropertyException e = assertThrows(DevicePropertyException.class,
                () -> withStatus(new byte[] {'o', 'k'}).status());
        assertEquals("/dev: status: value does not end with a NUL terminator", e.getMessage());
    }
}
