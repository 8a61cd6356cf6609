package org.astralisp.boot.spi;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable snapshot of a component's state, passed from one version of a
 * bundle to the next. Values are restricted to {@code long}, {@link String},
 * {@code boolean} and {@code byte[]} so that no class of the old version's class
 * loader leaks into the new one.
 *
 * <p>{@link #format()} names the layout of the values and {@link #formatVersion()}
 * its revision; a successor that does not understand a format must refuse it
 * with {@link HandoverException} rather than guess.
 */
public final class HandoverState {

    private final String format;
    private final int formatVersion;
    private final Map<String, Object> values;

    private HandoverState(String format, int formatVersion, Map<String, Object> values) {
        this.format = format;
        this.formatVersion = formatVersion;
        this.values = Collections.unmodifiableMap(values);
    }

    /** Starts a snapshot of the given format and revision. */
    public static Builder builder(String format, int formatVersion) {
        return new Builder(format, formatVersion);
    }

    public String format() {
        return format;
    }

    public int formatVersion() {
        return formatVersion;
    }

    public Set<String> keys() {
        return values.keySet();
    }

    public long getLong(String key) throws HandoverException {
        return typed(key, Long.class);
    }

    public String getString(String key) throws HandoverException {
        return typed(key, String.class);
    }

    public boolean getBoolean(String key) throws HandoverException {
        return typed(key, Boolean.class);
    }

    /** A copy of the bytes stored under {@code key}. */
    public byte[] getBytes(String key) throws HandoverException {
        return typed(key, byte[].class).clone();
    }

    /**
     * Checks that this snapshot is of {@code expectedFormat} with a revision the
     * caller understands.
     */
    public void requireFormat(String expectedFormat, int maxVersion) throws HandoverException {
        if (!format.equals(expectedFormat) || formatVersion < 1 || formatVersion > maxVersion) {
            throw new HandoverException("state of format " + format + " v" + formatVersion
                    + " cannot be imported (expected " + expectedFormat + " v1..v" + maxVersion + ")");
        }
    }

    private <T> T typed(String key, Class<T> type) throws HandoverException {
        Object value = values.get(key);
        if (value == null) {
            throw new HandoverException("state " + format + " has no value '" + key + "'");
        }
        if (!type.isInstance(value)) {
            throw new HandoverException("state " + format + " value '" + key + "' is a "
                    + value.getClass().getSimpleName() + ", not a " + type.getSimpleName());
        }
        return type.cast(value);
    }

    @Override
    public String toString() {
        return format + " v" + formatVersion + " " + values.keySet();
    }

    /** Collects values; each key may be set once. */
    public static final class Builder {
        private final String format;
        private final int formatVersion;
        private final Map<String, Object> values = new LinkedHashMap<>();

        private Builder(String format, int formatVersion) {
            this.format = Objects.requireNonNull(format, "format");
            if (formatVersion < 1) {
                throw new IllegalArgumentException("format version must be at least 1, was " + formatVersion);
            }
            this.formatVersion = formatVersion;
        }

        public Builder putLong(String key, long value) {
            return put(key, value);
        }

        public Builder putString(String key, String value) {
            return put(key, Objects.requireNonNull(value, key));
        }

        public Builder putBoolean(String key, boolean value) {
            return put(key, value);
        }

        public Builder putBytes(String key, byte[] value) {
            return put(key, Arrays.copyOf(value, value.length));
        }

        private Builder put(String key, Object value) {
            Objects.requireNonNull(key, "key");
            if (values.putIfAbsent(key, value) != null) {
                throw new IllegalArgumentException("state " + format + " already has a value '" + key + "'");
            }
            return this;
        }

        public HandoverState build() {
            return new HandoverState(format, formatVersion, new LinkedHashMap<>(values));
        }
    }
}
