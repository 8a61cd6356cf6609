package org.astralisp.sample.counter;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.astralisp.boot.spi.Handover;
import org.astralisp.boot.spi.HandoverException;
import org.astralisp.boot.spi.HandoverRegistry;
import org.astralisp.boot.spi.HandoverState;
import org.astralisp.boot.spi.QuiescenceGate;
import org.astralisp.sample.counter.api.Counter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Counter 2.0.0: the successor of 1.0.0. It also counts how many hot swaps the
 * count has survived, kept under the additional key {@code swaps} of handover
 * format {@value #FORMAT} v1 (1.0.0 reads {@code count} and ignores it, so a swap
 * back to 1.0.0 works too).
 */
@Component(service = {Counter.class, Handover.class})
public final class CountingService implements Counter, Handover {

    static final String KEY = "sample.counter";
    static final String FORMAT = "sample.counter";

    private final QuiescenceGate gate = new QuiescenceGate(KEY);
    private final AtomicLong count = new AtomicLong();
    private final long swaps;

    @Activate
    public CountingService(@Reference HandoverRegistry registry) throws HandoverException {
        Optional<HandoverState> handedOver = registry.claim(KEY);
        long survived = 0;
        if (handedOver.isPresent()) {
            HandoverState state = handedOver.get();
            state.requireFormat(FORMAT, 1);
            count.set(state.getLong("count"));
            survived = 1 + (state.keys().contains("swaps") ? state.getLong("swaps") : 0);
        }
        swaps = survived;
    }

    @Override
    public long increment() {
        return gate.call(count::incrementAndGet);
    }

    @Override
    public long value() {
        return gate.call(count::get);
    }

    @Override
    public String implementation() {
        return "counter 2.0.0 (" + swaps + " swap" + (swaps == 1 ? "" : "s") + " survived)";
    }

    @Override
    public String handoverKey() {
        return KEY;
    }

    @Override
    public HandoverState quiesce() {
        return gate.close(() -> HandoverState.builder(FORMAT, 1)
                .putLong("count", count.get())
                .putLong("swaps", swaps)
                .build());
    }

    @Override
    public void resume() {
        gate.reopen();
    }
}
