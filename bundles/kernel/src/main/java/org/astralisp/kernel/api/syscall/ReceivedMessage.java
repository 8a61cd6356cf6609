package org.astralisp.kernel.api.syscall;

import java.util.Arrays;

/**
 * A message {@link SystemCalls#receive} took from a channel: its bytes and
 * the handles it carried, now in the receiver's table (the numbers there, in
 * the order they were sent).
 */
public record ReceivedMessage(byte[] data, int[] handles) {

    public ReceivedMessage {
        data = data.clone();
        handles = handles.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public int[] handles() {
        return handles.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ReceivedMessage that && Arrays.equals(data, that.data)
                && Arrays.equals(handles, that.handles);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(data) + Arrays.hashCode(handles);
    }

    @Override
    public String toString() {
        return "message of " + data.length + " bytes with handles " + Arrays.toString(handles);
    }
}
