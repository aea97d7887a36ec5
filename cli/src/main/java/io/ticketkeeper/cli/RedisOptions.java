package io.ticketkeeper.cli;

import io.ticketkeeper.fleet.FleetKeySource;
import io.ticketkeeper.session.redis.RedisReplayRecord;
import io.ticketkeeper.session.redis.RedisSessionStore;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * How {@code serve} reaches Redis, for the fleet key source and the session cache alike: an ACL user
 * ({@code --redis-user}), a password read from a file ({@code --redis-password-file}: a password in the URI works
 * too, but shows in the process list) and the CA certificates to trust for {@code rediss://} ({@code --redis-ca-file}).
 *
 * @param user the ACL user, or null for the default user
 * @param passwordFile the file whose first line is the password, or null
 * @param caFile PEM CA certificates for TLS, or null for the JDK's
 */
record RedisOptions(String user, Path passwordFile, Path caFile) {
    static final RedisOptions NONE = new RedisOptions(null, null, null);

    RedisOptions {
        if (user != null && passwordFile == null) {
            throw new IllegalArgumentException("--redis-user " + user + " needs --redis-password-file");
        }
    }

    boolean given() {
        return passwordFile != null || caFile != null;
    }

    RedisSessionStore.Builder applyTo(RedisSessionStore.Builder store) {
        apply(store::credentials, store::trustedCertificates);
        return store;
    }

    RedisReplayRecord.Builder applyTo(RedisReplayRecord.Builder record) {
        apply(record::credentials, record::trustedCertificates);
        return record;
    }

    FleetKeySource.Builder applyTo(FleetKeySource.Builder source) {
        apply(source::credentials, source::trustedCertificates);
        return source;
    }

    private void apply(BiConsumer<String, char[]> credentials, Consumer<Path> trust) {
        char[] password = password();
        try {
            if (password != null) {
                credentials.accept(user, password);
            }
            if (caFile != null) {
                trust.accept(caFile);
            }
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
    }

    /** The first line of the password file, or null without one. */
    private char[] password() {
        if (passwordFile == null) {
            return null;
        }
        byte[] content;
        try {
            content = Files.readAllBytes(passwordFile);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("Redis password file " + passwordFile + ": unreadable: no such file", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("Redis password file " + passwordFile + ": unreadable: " + e, e);
        }
        try {
            int end = 0;
            while (end < content.length && content[end] != '\n' && content[end] != '\r') {
                end++;
            }
            CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(content, 0, end));
            char[] password = Arrays.copyOf(chars.array(), chars.limit());
            Arrays.fill(chars.array(), '\0');
            if (password.length == 0) {
                throw new IllegalArgumentException("Redis password file " + passwordFile + ": the first line is empty");
            }
            return password;
        } finally {
            Arrays.fill(content, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return (user != null ? "user " + user + ", " : "") + (passwordFile != null ? "password from " + passwordFile
                : "no password") + (caFile != null ? ", CA " + caFile : "");
    }
}
