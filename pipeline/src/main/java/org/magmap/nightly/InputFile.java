package org.magmap.nightly;

/**
 * One input as a run finds it.
 *
 * @param path its full path
 * @param size its length in bytes
 * @param modified its modification time, ms since the epoch
 * @param fingerprint SHA-256 of its content, hex; "" when it could not be read
 * @param readError why it could not be read, or ""
 */
public record InputFile(String path, long size, long modified, String fingerprint, String readError)
        implements java.io.Serializable {
    /** The same input with its fingerprint (or the reason it has none). */
    public InputFile withFingerprint(String sha256, String error) {
        return new InputFile(path, size, modified, sha256, error);
    }
}
