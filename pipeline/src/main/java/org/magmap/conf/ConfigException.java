package org.magmap.conf;

/** A configuration problem a user can fix: a missing file, an unknown key, a value of the wrong type. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
