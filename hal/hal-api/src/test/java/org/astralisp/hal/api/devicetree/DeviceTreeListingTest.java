package org.astralisp.hal.api.devicetree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The rendering behind the monitor's {@code devices} command. */
class DeviceTreeListingTest {

    @Test
    void printsEveryNodeIndentedWithItsCompatibleRegAndInterrupts() throws Exception {
        String xive = "(/soc/interrupt-controller@6000000000000)";
        assertEquals("""
                /  compatible="astralisp,ppc64-virt"
                  chosen
                  memory@0  reg=0x0+0x10000000
                  cpus
                    cpu@0  compatible="ibm,power9"  reg=0x0
                    cpu@1  compatible="ibm,power9"  reg=0x1
                  soc  compatible="simple-bus"
                    interrupt-controller@6000000000000  compatible="astralisp,xive"  reg=0x6000000000000+0x12000
                    serial@6000001000000  compatible="ns16550a"  reg=0x6000001000000+0x100  interrupts=10 4 XIVE
                    rtc@6000001090000  compatible="google,goldfish-rtc"  reg=0x6000001090000+0x1000  \
                interrupts=11 4 XIVE
                    virtio_mmio@6000001010000  compatible="virtio,mmio"  reg=0x6000001010000+0x1000  \
                interrupts=1 4 XIVE
                    virtio_mmio@6000001020000  compatible="virtio,mmio"  reg=0x6000001020000+0x1000  \
                interrupts=2 4 XIVE
                    pci@6000010000000  compatible="pci-host-ecam-generic"  reg=0x6000010000000+0x10000000
                """.replace("XIVE", xive), DeviceTreeListing.render(ReferenceBlobs.tree("ppc64-virt")));
    }

    @Test
    void listsEveryCompatibleStringAndEveryInterrupt() throws Exception {
        String listing = DeviceTreeListing.render(ReferenceBlobs.tree("riscv64-virt"));
        assertTrue(listing.contains("\n    clint@2000000  compatible=\"sifive,clint0\",\"riscv,clint0\"  "
                + "reg=0x2000000+0x10000  interrupts=3 (/cpus/cpu@0/interrupt-controller), "
                + "7 (/cpus/cpu@0/interrupt-controller), 3 (/cpus/cpu@1/interrupt-controller), "
                + "7 (/cpus/cpu@1/interrupt-controller)\n"), listing);
    }

    @Test
    void showsTheStatusOfNodesThatHaveOne() throws Exception {
        DeviceTree tree = FlattenedDeviceTree.parse(new FdtWriter().beginNode("")
                .beginNode("on").strings("status", "okay").endNode()
                .beginNode("off").strings("status", "disabled").endNode()
                .beginNode("plain").endNode().endNode().end().build());
        assertEquals("""
                /
                  on  status=okay
                  off  status=disabled
                  plain
                """, DeviceTreeListing.render(tree));
    }

    @Test
    void showsAPropertyThatCannotBeDecodedInItsPlace() throws Exception {
        String listing = DeviceTreeListing.render(ReferenceBlobs.tree("interrupt-routing"));
        assertTrue(listing.contains("\n  dangling@9000  reg=0x9000+0x10  "
                + "interrupts=<error: /dangling@9000: interrupt-parent: phandle 0x4242 names no node>\n"), listing);
        assertTrue(listing.endsWith("\n  ragged@b000  reg=0xb000+0x10  interrupts=<error: /ragged@b000: interrupts: "
                + "value is 12 bytes, not a whole number of 2-cell specifiers (#interrupt-cells of "
                + "/interrupt-controller@1000)>\n"), listing);
    }
}
