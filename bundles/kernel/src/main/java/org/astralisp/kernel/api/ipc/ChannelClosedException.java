package org.astralisp.kernel.api.ipc;

/** A send to a {@link Channel} that is closed: the message was not queued, the caller keeps it. */
public final class ChannelClosedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public ChannelClosedException(String channel, String operation) {
        super("channel " + channel + " is closed: " + operation + " refused");
    }
}
