package io.ticketkeeper.cli;

import java.util.HexFormat;
import java.util.List;

/** How a probe reads: a line per connection, a summary line, or one JSON object for machines. */
final class ProbeReport {
    private final ProbeSettings settings;
    private final List<ProbeConnection> connections;

    ProbeReport(ProbeSettings settings, List<ProbeConnection> connections) {
        this.settings = settings;
        this.connections = List.copyOf(connections);
    }

    List<ProbeConnection> connections() {
        return connections;
    }

    long reused() {
        return connections.stream().filter(ProbeConnection::reused).count();
    }

    long renewed() {
        return connections.stream().filter(ProbeConnection::renewed).count();
    }

    long failed() {
        return connections.stream().filter(ProbeConnection::failed).count();
    }

    /** The exit code: 0 when a reconnection resumed (or none was asked for), 1 when nothing resumed. */
    int exitCode() {
        return connections.size() <= 1 || reused() > 0 ? 0 : 1;
    }

    static String line(ProbeConnection connection) {
        if (connection.failed()) {
            return String.format("[%d] failed: %s", connection.number(), connection.error());
        }
        String state = connection.number() == 1 ? "new" : connection.reused() ? "reused" : "not reused";
        String ticket = connection.ticket().length == 0 ? "none"
                : connection.ticketShort() + " (" + connection.ticket().length + " bytes)";
        String change = connection.number() == 1 || connection.ticket().length == 0 ? ""
                : connection.ticketChanged() ? (connection.reused() ? "  renewed" : "  new ticket") : "  same ticket";
        return String.format("[%d] %s %-10s session id %s  ticket %s  lifetime hint %d s%s%s", connection.number(),
                connection.version(), state, connection.sessionIdShort(), ticket, connection.lifetimeHintSeconds(),
                change, connection.earlyData() == null ? "" : "  early data " + connection.earlyData());
    }

    long earlyData(String state) {
        return connections.stream().filter(c -> state.equals(c.earlyData())).count();
    }

    String summary() {
        int reconnections = Math.max(0, connections.size() - 1);
        return "probe: " + settings.host() + ":" + settings.port() + ": " + reused() + " of " + reconnections
                + " reconnections reused the session (" + renewed() + " with a renewed ticket"
                + (failed() > 0 ? ", " + failed() + " failed" : "") + ")"
                + (settings.earlyData() ? "; early data accepted " + earlyData("accepted") + ", rejected "
                        + earlyData("rejected") : "")
                + (exitCode() != 0 ? " - nothing resumed" : "");
    }

    String json() {
        StringBuilder json = new StringBuilder("{\"host\":").append(quote(settings.host()))
                .append(",\"port\":").append(settings.port())
                .append(",\"reconnections\":").append(Math.max(0, connections.size() - 1))
                .append(",\"reused\":").append(reused())
                .append(",\"renewed\":").append(renewed())
                .append(",\"failed\":").append(failed())
                .append(",\"connections\":[");
        HexFormat hex = HexFormat.of();
        for (int i = 0; i < connections.size(); i++) {
            ProbeConnection c = connections.get(i);
            json.append(i == 0 ? "" : ",").append("{\"number\":").append(c.number())
                    .append(",\"version\":").append(c.version() == null ? "null" : quote(c.version()))
                    .append(",\"reused\":").append(c.reused())
                    .append(",\"sessionId\":").append(quote(hex.formatHex(c.sessionId())))
                    .append(",\"ticket\":").append(quote(hex.formatHex(c.ticket())))
                    .append(",\"lifetimeHint\":").append(c.lifetimeHintSeconds())
                    .append(",\"ticketChanged\":").append(c.ticketChanged())
                    .append(",\"earlyData\":").append(c.earlyData() == null ? "null" : quote(c.earlyData()))
                    .append(",\"error\":").append(c.error() == null ? "null" : quote(c.error()))
                    .append('}');
        }
        return json.append("]}").toString();
    }

    static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
