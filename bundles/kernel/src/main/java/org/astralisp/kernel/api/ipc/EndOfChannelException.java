package org.astralisp.kernel.api.ipc;

/**
 * A receive from a {@link Channel} that is closed and has no message left:
 * the end of the channel, seen by every receiver once the messages sent
 * before the close are drained.
 */
public final class EndOfChannelException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public EndOfChannelException(String channel) {
        super("channel " + channel + " is closed and drained: end of channel");
    }
}
