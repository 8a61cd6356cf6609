package org.astralisp.hal.api.irq;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

class TimerRegistrationsTest {

    @Test
    @SuppressWarnings("unchecked")
    void registersOneServicePerCpuAndUnregistersThemAllOnClose() {
        BundleContext context = mock(BundleContext.class);
        ServiceRegistration<Timer> registration = mock(ServiceRegistration.class);
        when(context.registerService(eq(Timer.class), any(Timer.class), any())).thenReturn(registration);
        Timer first = mock(Timer.class);
        when(first.cpu()).thenReturn(0);
        Timer second = mock(Timer.class);
        when(second.cpu()).thenReturn(1);

        TimerRegistrations timers = TimerRegistrations.register(context, "riscv64", List.of(first, second));

        verify(context).registerService(eq(Timer.class), eq(first),
                argThat(p -> p.get("cpu.id").equals(0) && p.get("arch").equals("riscv64")));
        verify(context).registerService(eq(Timer.class), eq(second),
                argThat(p -> p.get("cpu.id").equals(1) && p.get("arch").equals("riscv64")));
        timers.close();
        verify(registration, times(2)).unregister();
        timers.close();
        verify(registration, times(2)).unregister();
    }
}
