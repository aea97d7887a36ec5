package io.ticketkeeper;

import java.nio.file.Path;

/** A ticket key file could not be used; {@link #file()} names it and {@link #reason()} says why. */
public final class KeyFileException extends TicketKeeperException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String reason;

    public KeyFileException(Path file, String reason) {
        super("ticket key file " + file + ": " + reason);
        this.file = file;
        this.reason = reason;
    }

    public KeyFileException(Path file, String reason, Throwable cause) {
        super("ticket key file " + file + ": " + reason, cause);
        this.file = file;
        this.reason = reason;
    }

    public Path file() {
        return file;
    }

    public String reason() {
        return reason;
    }
}
