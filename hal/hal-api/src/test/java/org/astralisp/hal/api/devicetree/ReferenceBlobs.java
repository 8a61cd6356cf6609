package org.astralisp.hal.api.devicetree;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The DTBs checked in under {@code src/test/resources/devicetree}, each
 * compiled by dtc from the {@code .dts} beside it
 * ({@code dtc -q -I dts -O dtb -o NAME.dtb NAME.dts});
 * {@link DtcCompatibilityTest} checks that they still match their sources.
 */
final class ReferenceBlobs {

    static final List<String> NAMES =
            List.of("riscv64-virt", "x86_64-virt", "ppc64-virt", "address-translation", "interrupt-routing");

    private ReferenceBlobs() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = ReferenceBlobs.class.getResourceAsStream("/devicetree/" + name + ".dtb")) {
            if (in == null) {
                throw new IllegalArgumentException("no reference blob " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String source(String name) {
        try (InputStream in = ReferenceBlobs.class.getResourceAsStream("/devicetree/" + name + ".dts")) {
            if (in == null) {
                throw new IllegalArgumentException("no reference source " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static DeviceTree tree(String name) throws DeviceTreeFormatException {
        return FlattenedDeviceTree.parse(bytes(name));
    }
}
