package org.magmap.ops;

/**
 * Another run holds the lock a job needs (a scheduled run started while the previous one still runs). Jobs
 * report it as one line naming the lock and its owner and exit with their own status, so a scheduler can tell
 * "try again later" from a failure.
 */
public final class LockHeldException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param lock the lock file
     * @param owner who holds it, as its file says
     */
    public LockHeldException(String lock, String owner) {
        super(lock + ": held by another run (" + owner + "); this run did nothing");
    }
}
