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
 * Counter 1.0.0: a count that is handed over across hot swaps.
 *
 * <p>Handover format {@value #FORMAT} v1: {@code count} (long). Adding keys keeps
 * the format version; changing the meaning of a key bumps it.
 */
@Component(service = {Counter.class, Handover.class})
public final class CountingService implements Counter, Handover {

    static final String KEY = "sample.counter";
    static final String FORMAT = "sample.counter";

    private final QuiescenceGate gate = new QuiescenceGate(KEY);
    private final AtomicLong count = new AtomicLong();

    @Activate
    public CountingService(@Reference HandoverRegistry registry) throws HandoverException {
        Optional<HandoverState> handedOver = registry.claim(KEY);
        if (handedOver.isPresent()) {
            HandoverState state = handedOver.get();
            state.requireFormat(FORMAT, 1);
            count.set(state.getLong("count"));
        }
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
        return "counter 1.0.0";
    }

    @Override
    public String handoverKey() {
        return KEY;
    }

    @Override
    public HandoverState quiesce() {
        return gate.close(() -> HandoverState.builder(FORMAT, 1).putLong("count", count.get()).build());
    }

    @Override
    public void resume() {
        gate.reopen();
    }
}
