package io.ticketkeeper.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The three kinds of Redis URI, what they reach, how they are shown, and the messages for bad ones. */
class RedisEndpointTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "redis://127.0.0.1:6379                              | STANDALONE | redis://127.0.0.1:6379",
        "rediss://user:secret@redis.internal:6380/2          | STANDALONE | rediss://redis.internal:6380 with a password",
        "redis-sentinel://a:26379,b:26380,c#mymaster         | SENTINEL   | redis-sentinel://a:26379,b:26380,c:26379#mymaster",
        "rediss-sentinel://:secret@a:1,b:2/3#m               | SENTINEL   | rediss-sentinel://a:1,b:2#m with a password",
        "redis-cluster://n1:7000,n2:7001,n3                  | CLUSTER    | redis-cluster://n1:7000,n2:7001,n3:6379",
        "rediss-cluster://fleet:secret@n1:7000               | CLUSTER    | rediss-cluster://n1:7000 with a password",
        "redis-cluster://[::1]:7000,n2:7001                  | CLUSTER    | redis-cluster://::1:7000,n2:7001",
    })
    void everyFormIsReadAndShownWithoutItsPassword(String uri, RedisEndpoint.Kind kind, String shown) {
        RedisEndpoint endpoint = RedisEndpoint.parse(uri);
        assertEquals(kind, endpoint.kind());
        assertEquals(shown, endpoint.toString());
        assertFalse(endpoint.toString().contains("secret"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "memcached://x:1                   | unknown scheme 'memcached'",
        "redis-sentinel://a:26379,b:26380  | the master name is missing",
        "redis-sentinel://a:26379#         | the master name is missing",
        "redis-cluster://a:7000/2          | database 0 only",
        "redis-cluster://a:7000#m          | no master name",
        "redis-cluster://a:7000,,b:7001    | an empty host",
        "redis-cluster://a:port            | the port 'port' is not a number",
        "redis-sentinel://a:70000#m        | the port 70000 is not 1 to 65535",
        "redis-sentinel://u:secret@a:1/x#m | the database 'x' is not a number",
    })
    void aBadUriIsNamedWithWhatIsWrongAndTheFormsAccepted(String uri, String problem) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RedisEndpoint.parse(uri));
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertTrue(e.getMessage().contains("redis-sentinel://") && e.getMessage().contains("redis-cluster://"),
                "the forms accepted: " + e.getMessage());
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis-sentinel://a:1#m", "redis-cluster://a:1"})
    void aCaFileNeedsTls(String uri) throws Exception {
        java.nio.file.Path ca = java.nio.file.Files.createTempFile("ca", ".pem");
        try {
            RedisEndpoint endpoint = RedisEndpoint.parse(uri);
            endpoint.trustedCertificates(ca);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> endpoint.link(Duration.ofSeconds(1), Duration.ofSeconds(1), false));
            assertTrue(e.getMessage().contains("use rediss-" + uri.substring(6, uri.indexOf(':')) + "://"),
                    e.getMessage());
        } finally {
            java.nio.file.Files.delete(ca);
        }
    }
}
