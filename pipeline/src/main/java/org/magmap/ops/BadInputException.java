package org.magmap.ops;

/**
 * Input a user must fix (a missing or malformed file, a setting that cannot work). Jobs report it as one clear
 * line naming the file and the problem and exit with status 2, before any work starts where possible.
 */
public final class BadInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String source;

    /**
     * @param source the file, directory or setting at fault
     * @param problem what is wrong with it, in words a user can act on
     */
    public BadInputException(String source, String problem) {
        super(source + ": " + problem);
        this.source = source;
    }

    public BadInputException(String source, String problem, Throwable cause) {
        super(source + ": " + problem, cause);
        this.source = source;
    }

    /** The file, directory or setting at fault. */
    public String source() {
        return source;
    }
}
