package io.ticketkeeper.tomcat;

import io.ticketkeeper.endpoints.TlsVersion;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Requests to every host, a thread each, TLS 1.3 and 1.2 in turn, for as long as a test changes the server under
 * them (reloads): written once for this module's tests and tomcat/tcnative's.
 */
public final class LoadDuring {
    private LoadDuring() {
    }

    /** One request to {@code host}; it throws (an assertion too) when the answer is wrong. */
    public interface Request {
        void send(String host, TlsVersion version) throws Exception;
    }

    /** What the test does under the load. */
    public interface Change {
        void run() throws Exception;
    }

    /**
     * Sends requests until {@code change} returns and returns how many were served; the first request that failed
     * fails the test.
     */
    public static int served(List<String> hosts, Request request, Change change) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger served = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> load = new ArrayList<>();
        for (String host : hosts) {
            Thread thread = new Thread(() -> {
                while (!stop.get() && failure.get() == null) {
                    try {
                        request.send(host, served.get() % 2 == 0 ? TlsVersion.TLS1_3 : TlsVersion.TLS1_2);
                        served.incrementAndGet();
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }
            }, "load-" + host);
            thread.start();
            load.add(thread);
        }
        try {
            change.run();
        } finally {
            stop.set(true);
            for (Thread thread : load) {
                thread.join();
            }
        }
        if (failure.get() != null) {
            throw new AssertionError("a request failed during the reloads", failure.get());
        }
        return served.get();
    }
}
