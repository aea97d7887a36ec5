package io.ticketkeeper.internal;

/**
 * The shim's {@code struct tk_key} as TicketKey lays out its off-heap copy (include/ticketkeeper.h): the name, both
 * secrets at their full capacity, then their lengths as 32-bit integers in native byte order. A contract test holds
 * these numbers to the layout clang computes from the header.
 */
public final class KeyLayout {
    public static final int NAME_LENGTH = 16;
    public static final int SECRET_CAPACITY = 32;
    public static final int NAME_OFFSET = 0;
    public static final int HMAC_KEY_OFFSET = NAME_OFFSET + NAME_LENGTH;
    public static final int AES_KEY_OFFSET = HMAC_KEY_OFFSET + SECRET_CAPACITY;
    public static final int HMAC_KEY_LEN_OFFSET = AES_KEY_OFFSET + SECRET_CAPACITY;
    public static final int AES_KEY_LEN_OFFSET = HMAC_KEY_LEN_OFFSET + Integer.BYTES;
    public static final int SIZE = AES_KEY_LEN_OFFSET + Integer.BYTES;

    private KeyLayout() {
    }
}
