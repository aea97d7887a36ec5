package io.ticketkeeper;

import io.ticketkeeper.internal.KeyReader;

import java.nio.ByteBuffer;

/** The one {@link KeyReader} that reads real keys: package-private, handed only to the backend at install. */
final class KeyMaterial implements KeyReader {
    static final KeyMaterial READER = new KeyMaterial();

    private KeyMaterial() {
    }

    @Override
    public ByteBuffer material(TicketKey key) {
        return key.material();
    }
}
