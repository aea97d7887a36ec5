package io.ticketkeeper.attacks;

import java.util.List;

/**
 * What a server answered to one ClientHello: the messages of its first flight in order (alerts with level and
 * description), what that amounts to, and how long the probe took (reported, never asserted).
 */
record Answer(List<String> messages, Kind kind, long nanos) {
    enum Kind {
        /** ServerHello and Certificate: a new session, the ticket was not used. */
        FULL_HANDSHAKE,
        /** ServerHello and ChangeCipherSpec or Finished without a Certificate: the ticket resumed a session. */
        RESUMED,
        /** An alert before any ServerHello: a clean refusal. */
        ALERT,
        /** The connection ended (or timed out) with nothing received. */
        NOTHING,
        /** Anything else: never expected. */
        OTHER
    }

    static Answer of(List<String> messages) {
        return new Answer(List.copyOf(messages), classify(messages), 0);
    }

    Answer took(long nanos) {
        return new Answer(messages, kind, nanos);
    }

    /** Full handshake or clean refusal: what every attack must get. */
    boolean safe() {
        return kind == Kind.FULL_HANDSHAKE || kind == Kind.ALERT;
    }

    private static Kind classify(List<String> messages) {
        if (messages.isEmpty()) {
            return Kind.NOTHING;
        }
        boolean hello = messages.contains("SERVER_HELLO");
        if (hello && messages.contains("CERTIFICATE")) {
            return Kind.FULL_HANDSHAKE;
        }
        // TLS 1.2: ServerHello, [NewSessionTicket,] ChangeCipherSpec. TLS 1.3: ServerHello, EncryptedExtensions,
        // Finished (a ChangeCipherSpec may come too, for middleboxes).
        if (hello && (messages.contains("CHANGE_CIPHER_SPEC") || messages.contains("FINISHED"))) {
            return Kind.RESUMED;
        }
        if (!hello && messages.get(0).startsWith("ALERT")) {
            return Kind.ALERT;
        }
        return Kind.OTHER;
    }

    @Override
    public String toString() {
        return kind + " " + messages;
    }
}
