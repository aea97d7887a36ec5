package io.ticketkeeper.spring;

/**
 * A setting TicketKeeper cannot run with, or a server without an OpenSSL connector for it: the application does not
 * start (an HTTPS server that silently ran without TicketKeeper, or without HTTPS, would be worse).
 * {@link TicketKeeperFailureAnalyzer} prints the message as Spring Boot's "APPLICATION FAILED TO START" report.
 */
public class TicketKeeperConfigurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String action;

    TicketKeeperConfigurationException(String message, Throwable cause) {
        this(message, "Correct the property named above.", cause);
    }

    TicketKeeperConfigurationException(String message, String action, Throwable cause) {
        super(message, cause);
        this.action = action;
    }

    /** What to do about it. */
    public String action() {
        return action;
    }
}
