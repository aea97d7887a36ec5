package io.ticketkeeper.cli;

import io.ticketkeeper.KeyDecision;
import io.ticketkeeper.SessionDecision;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a handshake went as the server saw it: resumed, or why not. {@code serve} sends it in a header of its answer
 * ({@value #HEADER}), so that a client ({@code load}, {@code probe}) can tell an offered session that was refused
 * for a reason (an unknown key, the policy) from one the server never saw.
 */
enum ResumptionOutcome {
    RESUMED_TICKET("resumed by its ticket"),
    RESUMED_SESSION_ID("resumed by its session id"),
    NO_TICKET("no ticket presented, no session id known"),
    UNKNOWN_KEY("the ticket's key is not published"),
    KEY_REFUSED("the policy refused the ticket's key"),
    SESSION_REFUSED("the policy refused the session"),
    NOT_OPENED("the ticket did not open");

    static final String HEADER = "X-TicketKeeper-Outcome";
    private static final Pattern IN_HEAD = Pattern.compile("(?im)^" + HEADER + ":\\s*([a-z-]+)\\s*$");

    private final String description;

    ResumptionOutcome(String description) {
        this.description = description;
    }

    /** The outcome of one of serve's connections, from what its policy recorded. */
    static ResumptionOutcome of(boolean resumed, DecisionRecorder.Decisions decisions) {
        boolean ticketPresented = decisions.presentedSlot != -2;
        if (resumed) {
            return ticketPresented ? RESUMED_TICKET : RESUMED_SESSION_ID;
        }
        if (!ticketPresented) {
            return NO_TICKET;
        }
        if (decisions.presentedSlot == -1) {
            return UNKNOWN_KEY;
        }
        if (decisions.keyDecision == KeyDecision.REJECT || decisions.keyDecision == KeyDecision.ABORT) {
            return KEY_REFUSED;
        }
        if (decisions.sessionDecision == SessionDecision.IGNORE
                || decisions.sessionDecision == SessionDecision.IGNORE_RENEW) {
            return SESSION_REFUSED;
        }
        return NOT_OPENED;
    }

    boolean resumed() {
        return this == RESUMED_TICKET || this == RESUMED_SESSION_ID;
    }

    /** The header's value, e.g. {@code unknown-key}. */
    String token() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    String description() {
        return description;
    }

    static Optional<ResumptionOutcome> parse(String token) {
        for (ResumptionOutcome outcome : values()) {
            if (outcome.token().equals(token)) {
                return Optional.of(outcome);
            }
        }
        return Optional.empty();
    }

    /** The header's value in an HTTP answer's head, or null when the server sent none. */
    static String headerIn(String head) {
        int end = head.indexOf("\r\n\r\n");
        Matcher matcher = IN_HEAD.matcher(end < 0 ? head : head.substring(0, end));
        return matcher.find() ? matcher.group(1) : null;
    }
}
